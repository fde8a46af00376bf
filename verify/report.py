"""The ``streda verify`` reports: orchestration, the LaTeX/PDF report, diagram files, cost plot.

Two reports with the same order (findings, certificates, check summary, full tables):
``report.html`` (:func:`build_html`, written by :mod:`streda.verify.html`; needs Python
alone) and ``report.tex``/``report.pdf`` (:func:`build_report`; the PDF needs pdflatex).
Every figure is produced by the run itself: the diagrams of Figs. 2-4 come from the
enumerators (TikZ-Feynman with explicit coordinates in the PDF, SVG drawn by matplotlib
in the HTML, Graphviz files beside the report when ``dot`` exists), the cost plot from
the P^(n) timings of this run.
"""
from __future__ import annotations

import re
import shutil
from pathlib import Path

from .compare import Comparison
from .latex import breakable, comparison_table, compile_pdf, document, escape_latex, write_latex

__all__ = ["figure_diagrams", "write_diagram_files", "cost_plot", "cost_svg", "build_report", "build_html"]


def figure_diagrams():
    """[(label, caption, diagram)] for Figs. 2-4 of the paper, from the enumerators."""
    from streda.diagrams import bare_bubbles, born_self_energy, ladder_diagrams, pn_diagrams

    out = [("fig2a", "Fig. 2(a) of the paper: Born self-energy", born_self_energy())]
    for n in (1, 2):
        for i, D in enumerate(bare_bubbles(n, alpha="sigma_y", beta="v_x")):
            out.append((f"fig2b_n{n}_{i}", f"Fig. 2(b) of the paper: bare bubble, order $M_x^{n}$", D))
    for i, (D, _m) in enumerate(ladder_diagrams(1, 1, alpha="sigma_y", beta="v_x")):
        out.append((f"fig3d_k1_{i}", "Fig. 3(d) of the paper: one rung, one $\\sigma_x$ insertion", D))
    for n in (1, 2, 3):
        for i, D in enumerate(pn_diagrams(n)):
            out.append((f"fig4_n{n}_{i}", f"Fig. 4 of the paper: term of $P^{{({n})}}$", D))
    return out


def write_diagram_files(out_dir: Path) -> list[str]:
    """Render every figure diagram with Graphviz (PDF and SVG) when ``dot`` exists,
    else as SVG drawn by matplotlib (:mod:`streda.diagrams.draw`)."""
    from streda.diagrams import render, write_dot

    ddir = out_dir / "diagrams"
    ddir.mkdir(parents=True, exist_ok=True)
    files = []
    from streda.diagrams import to_dot

    for label, _cap, D in figure_diagrams():
        dot_path = ddir / f"{label}.dot"
        same = dot_path.exists() and dot_path.read_text() == to_dot(D)
        write_dot(D, dot_path)
        files.append(f"diagrams/{label}.dot")
        if same and all((ddir / f"{label}.{f}").exists() for f in ("pdf", "svg")):
            files += [f"diagrams/{label}.pdf", f"diagrams/{label}.svg"]     # unchanged: keep the pictures
            continue
        if shutil.which("dot"):
            for fmt in ("pdf", "svg"):
                render(D, ddir / f"{label}.{fmt}", fmt)
                files.append(f"diagrams/{label}.{fmt}")
        else:                           # no Graphviz: the same picture drawn by matplotlib
            from streda.diagrams.draw import write_svg

            write_svg(D, ddir / f"{label}.svg")
            files.append(f"diagrams/{label}.svg")
    return files


def _per_order(pn_records: list, timings: list) -> dict:
    per_order: dict = {}
    for rec, t in zip(pn_records, timings):
        per_order[rec["order"]] = per_order.get(rec["order"], 0.0) + float(t or 0.0)
    return per_order


def _cost_figure(per_order: dict):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    xs = sorted(per_order)
    fig, ax = plt.subplots(figsize=(5, 3.2))
    ax.semilogy(xs, [max(per_order[x], 1e-4) for x in xs], "o-")
    ax.set_xlabel("order n")
    ax.set_ylabel("seconds (x and y components)")
    ax.set_title("cost of the exact P$^{(n)}$ = 0 certificate")
    ax.grid(True, which="both", alpha=0.3)
    fig.tight_layout()
    return fig


def cost_svg(pn_records: list, timings: list) -> str | None:
    """The cost plot of :func:`cost_plot` as inline SVG text (None without timings)."""
    import io

    import matplotlib
    import matplotlib.pyplot as plt

    from streda.diagrams.draw import strip_svg_header

    per_order = _per_order(pn_records, timings)
    if not per_order:
        return None
    fig = _cost_figure(per_order)
    buf = io.StringIO()
    with matplotlib.rc_context({"svg.hashsalt": "streda-cost", "svg.fonttype": "path"}):
        fig.savefig(buf, format="svg", metadata={"Date": None})
    plt.close(fig)
    return strip_svg_header(buf.getvalue())


def cost_plot(pn_records: list, timings: list, out_dir: Path) -> str | None:
    """Seconds per order of the exact P^(n) check (log scale) as PDF and PNG."""
    per_order = _per_order(pn_records, timings)
    if not per_order:
        return None
    import json

    stamp = out_dir / "pn_cost.json"
    data = json.dumps(sorted(per_order.items()))
    if stamp.exists() and stamp.read_text() == data and all((out_dir / f"pn_cost.{e}").exists()
                                                            for e in ("pdf", "png")):
        return "pn_cost.pdf"          # same timings (a cached run): the plot is already there
    import matplotlib.pyplot as plt

    fig = _cost_figure(per_order)
    for ext in ("pdf", "png"):
        fig.savefig(out_dir / f"pn_cost.{ext}", metadata={"CreationDate": None} if ext == "pdf" else None)
    plt.close(fig)
    stamp.write_text(data)
    return "pn_cost.pdf"


def prose_latex(text) -> str:
    r"""LaTeX of plain text with its symbols (``P^(n)``, ``sigma_xx``, ``|P|``) set as math.

    >>> print(prose_latex("P^(n) = 0; decay xi^-2 for sigma_xx"))
    $P^{(n)}$ = 0; decay $\xi^{-2}$ for $\sigma_{xx}$
    """
    from .mathml import _GREEK, prose_tokens

    def name(x):
        return "\\" + x if x in _GREEK else (x if len(x) == 1 else r"\mathrm{" + x + "}")

    out = []
    for t in prose_tokens(str(text)):
        if t[0] == "text":          # allow line breaks inside long formulas typed as text
            out.append(breakable(t[1]))
            continue
        base, sub, sup = t[1:]
        if base.startswith("|"):
            out.append(f"$|{base[1]}|$")
            continue
        m = name(base)
        if sub:
            m += "_{" + (name(sub) if sub in _GREEK else sub) + "}"
        if sup:
            m += "^{" + ("+" if sup == "+" else sup.replace("-", "-")) + "}"
        out.append("$" + m + "$")
    return "".join(out)


_PARAM = {"Delta": r"\Delta", "Mx": "M_x", "Mz": "M_z", "alpha": r"\alpha_R", "e": "e", "eps": r"\varepsilon",
          "gamma": r"\gamma", "gamma_z": r"\gamma_z", "m": "m_e"}


def parameters_latex(parameters: dict) -> str:
    r"""The parameter point as math: ``$\Delta = \frac{3}{10}$, ...``."""
    import sympy

    from .latex import to_sympy

    out = []
    for k, v in parameters.items():
        try:
            val = sympy.latex(to_sympy(str(v)))
        except ValueError:
            val = r"\text{" + escape_latex(v) + "}"
        out.append(f"${_PARAM.get(k, escape_latex(k))} = {val}$")
    return ", ".join(out)


def _summary(results) -> str:
    rows = []
    colour = {"fail": r"\rowcolor{red!15}", "error": r"\rowcolor{red!15}"}
    for r in results:
        rows.append(colour.get(r["status"], "") + " & ".join([
            prose_latex(r["title"]), r"\textbf{" + escape_latex(r["status"]) + "}",
            r"\small " + prose_latex(r["figure"]),
            f"{r['timings'].get('computed_seconds', r['timings']['seconds']):.2f}"]) + r" \\")
    return "\n".join([r"\section{Check summary}",
                      r"\begin{longtable}{@{}>{\raggedright\arraybackslash}p{0.3\linewidth}l"
                      r">{\raggedright\arraybackslash}p{0.47\linewidth}r@{}}",
                      r"\toprule check & status & result & s \\ \midrule", *rows, r"\bottomrule",
                      r"\end{longtable}"])


def _pn_table(res_exact, res_num) -> str:
    num = {(r["order"], r["component"]): r for r in (res_num or {}).get("records", [])}
    rows = []
    for r in res_exact["records"]:
        nr = num.get((r["order"], r["component"]))
        rows.append(f"{r['order']} & ${r['component']}$ & {'exactly 0' if r['is_zero'] else 'non-zero'} & "
                    f"{'$' + escape_latex(nr['max_abs']) + '$' if nr else '--'} \\\\")
    return "\n".join([r"\subsection*{Statement: " + prose_latex(res_exact["figure"]) + "}",
                      r"Exact: identity in $\mathbb{Z}[s,t,a,M]$ (FLINT); numeric: upper bound of $|P^{(n)}|$ "
                      r"from complex balls at the parameter point.",
                      r"\begin{longtable}{@{}rlll@{}}", r"\toprule $n$ & component & exact & numeric $|P|\le$ \\ "
                      r"\midrule", *rows, r"\bottomrule", r"\end{longtable}"])


def _certificate(res) -> str:
    parts = []
    for case in res["records"]:
        parts.append(r"\subsection*{" + escape_latex(case["case"]) + ": "
                     + ("certified" if case["certified"] else "refused") + "}")
        parts.append(r"\paragraph{Statement.} " + prose_latex(case["conclusion"]))
        parts.append(r"\paragraph{Proof.}\begin{enumerate}")
        for st in case["steps"]:
            parts.append(r"\item " + ("" if st["passed"] else r"\textbf{FAILS:} ") + prose_latex(st["claim"])
                         + r"\\ {\small checked by: " + prose_latex(st["checked_by"]) + "}")
        parts.append(r"\end{enumerate}")
    return "\n".join(parts)


def _generic_table(res, title, limit: int = 60) -> str:
    from .html import _HEAD

    recs = res.get("records", [])
    if not recs:
        return ""
    keys = [k for k in recs[0] if not isinstance(recs[0][k], (dict, list))]
    same = [k for k in keys if len(recs) > 1 and isinstance(recs[0][k], str) and len(recs[0][k]) > 30
            and all(r.get(k) == recs[0][k] for r in recs)]          # one long text for all rows: once above
    keys = [k for k in keys if k not in same][:6]
    cols = "".join(rf">{{\raggedright\arraybackslash}}p{{\dimexpr 0.98\linewidth/{len(keys)} - 2\tabcolsep\relax}}"
                   for _ in keys)
    head = " & ".join(prose_latex(_HEAD.get(k, k.replace("_", " "))) for k in keys) + r" \\"

    def cell(v):
        if isinstance(v, bool):
            return "yes" if v else r"\textbf{no}"
        return prose_latex(v)

    rows = [" & ".join(cell(r.get(k, "")) for k in keys) + r" \\" for r in recs[:limit]]
    if len(recs) > limit:
        rows.append(r"\multicolumn{" + str(len(keys)) + r"}{@{}l}{\small " + str(len(recs) - limit)
                    + r" further rows in results.json} \\")
    notes = [r"\par{\small " + prose_latex(k.replace("_", " ")) + ": " + prose_latex(recs[0][k]) + "}"
             for k in same]
    return "\n".join([r"\subsection*{" + prose_latex(title) + "}", prose_latex(res["figure"]), *notes,
                      r"\begin{longtable}{" + cols + "}", r"\toprule " + head + r" \midrule",
                      *rows, r"\bottomrule", r"\end{longtable}"])


_FIND_COLS = (r"@{}>{\raggedright\arraybackslash}p{0.14\linewidth}"
              r">{\raggedright\arraybackslash}p{0.31\linewidth}"
              r">{\raggedright\arraybackslash}p{0.31\linewidth}"
              r">{\raggedright\arraybackslash}p{0.16\linewidth}@{}")


_RECORD_FIELDS = ("equation", "status", "reason", "computed", "printed", "row", "column", "mx_order", "tau_order")


def _findings(results) -> str:
    import sympy

    from .findings import collect
    from .latex import _entry_label, expression_cell

    groups = collect(results)
    n = sum(len(fs) for _, fs in groups)
    parts = [r"\section{Findings: printed formulas the engine regenerates differently}",
             f"{n} printed entries differ from what the engine regenerates. Both sides are written in the "
             r"paper's variables: for the response tensors $\Delta_S = \sqrt{M_z^2 + 2\varepsilon\Delta}$, "
             r"$\mu_z = M_z/\Delta_S$, $\mu_x = M_x/\Delta_S$, the term of order $M_x^k$ shown whole, as in Eq.~(15)."]
    parts += _at_a_glance(groups)
    for (_key, title, blurb), fs in groups:
        parts += [r"\subsection*{" + escape_latex(title) + f" ({len(fs)})" + "}", r"{\small " + escape_latex(blurb) + "}",
                  rf"\begin{{longtable}}{{{_FIND_COLS}}}", r"\toprule entry & printed & regenerated & relation \\",
                  r"\midrule", r"\endhead"]
        for f in fs:
            rec = f.record
            lab = _entry_label(Comparison(**{k: rec.get(k) for k in _RECORD_FIELDS}))
            reason = " ".join(str(rec.get("reason", "")).split())
            if f.relation is not None:
                note = r"regenerated $=" + sympy.latex(f.relation) + r"\times{}$printed"
            elif reason.startswith("wrong print"):
                note = r"\textbf{wrong print}\newline{\scriptsize " + prose_latex(reason.split("; note")[0]) + "}"
            else:
                note = r"{\scriptsize " + prose_latex(reason.split(" at ")[0]) + "}"
            p_cell = expression_cell(f.printed if f.printed is not None else rec.get("printed"), width=48)
            c_cell = expression_cell(f.computed if f.computed is not None else rec.get("computed"), width=48)
            parts.append(" & ".join([lab, p_cell, c_cell, note]) + r" \\ \midrule")
        parts.append(r"\end{longtable}")
    return "\n".join(parts)


def _where_tex(rec: dict) -> str:
    """``[x, y] $M_x^2\tau^1$`` of one record."""
    from .latex import _name_tex

    where = [x for x in (rec.get("row"), rec.get("column")) if x is not None]
    out = "[" + ", ".join(_name_tex(w) for w in where) + "]" if where else ""
    orders = []
    if rec.get("mx_order") is not None:
        orders.append(f"M_x^{{{rec['mx_order']}}}")
    if rec.get("tau_order") is not None:
        orders.append(rf"\tau^{{{rec['tau_order']}}}")
    return out + ("\\," + "$" + " ".join(orders) + "$" if orders else "")


def _at_a_glance(groups) -> list[str]:
    """The one-page overview: per group, one line per equation with its entries and the relation."""
    from .findings import digest

    if not groups:
        return [r"\noindent None: every compared entry agrees or makes no comparable statement."]
    parts = [r"\subsection*{At a glance}", r"\begin{description}\small"]
    for title, lines in digest(groups):
        items = []
        for eq, recs, what in lines:
            items.append(f"Eq.~({escape_latex(eq)}) " + "; ".join(_where_tex(r) for r in recs)
                         + r": \emph{" + escape_latex(what) + "}")
        parts.append(r"\item[" + escape_latex(title) + r".] " + r"\newline ".join(items))
    parts.append(r"\end{description}")
    parts.append(r"\noindent The entries follow, printed and regenerated side by side.")
    return parts


def _full_comparisons(results) -> list[str]:
    from .findings import is_trivial_zero

    parts = [r"\subsection*{Regenerated versus printed}",
             r"Rows shaded red differ from the paper; grey rows make no comparable statement (the reason "
             r"is given); entries where printed and regenerated are both 0 are counted in one line."]
    for r in results:
        if not r.get("comparison"):
            continue
        by_eq: dict = {}
        for c in r["records"]:
            by_eq.setdefault(str(c.get("equation")), []).append(c)
        for eq, recs in by_eq.items():
            shown = [Comparison(**c) for c in recs if not is_trivial_zero(c)]
            zeros = len(recs) - len(shown)
            if shown:
                parts.append(comparison_table(shown, caption=prose_latex(r["title"]) + f" --- Eq.~({escape_latex(eq)})",
                                              long=True, width=40))
            if zeros:
                parts.append(r"\noindent{\small Eq.~(" + escape_latex(eq) + f"): {zeros} further entries agree "
                             r"(printed $0$ = regenerated $0$).}\par\medskip")
    return parts


def _diagrams_section() -> str:
    from streda.diagrams import to_tikz_feynman

    parts = [r"\subsection*{Diagrams of Figs.~2--4 of the paper, generated by the enumerators}"]
    for _label, cap, D in figure_diagrams():
        parts += [r"\begin{center}\scalebox{1.25}{" + to_tikz_feynman(D) + r"}\\[4pt] {\small " + cap + ": "
                  + escape_latex(D.graph["name"]) + r"}\end{center}"]
    return "\n".join(parts)


def build_report(results: list, out_dir: Path, parameters: dict, max_order: int,
                 compile: bool = True) -> dict:
    """Write report.tex (and report.pdf when ``compile``); returns the paths written.

    Order: findings, certificates, check summary, full tables (as report.html).
    """
    by = {r["name"]: r for r in results}
    header = (r"\noindent Every check of the paper regenerated by streda; parameter point "
              + parameters_latex(parameters) + rf"; $P^{{(n)}}$ to order {int(max_order)}."
              + r" The HTML version, \texttt{report.html}, has the same content.")
    parts = [header, _findings(results), r"\section{Certificates}"]
    if "pn_exact" in by:
        parts.append(_pn_table(by["pn_exact"], by.get("pn_numeric")))
    if "pn_all_orders" in by:
        parts.append(_certificate(by["pn_all_orders"]))
    parts += [_summary(results), r"\section{Full tables}"]
    parts += _full_comparisons(results)
    if "pn_exact" in by and (out_dir / "pn_cost.pdf").exists():
        parts.append(r"\begin{center}\includegraphics[width=0.6\linewidth]{pn_cost.pdf}\end{center}")
    other = [r for r in results if not r.get("comparison") and r["name"] not in ("pn_exact", "pn_all_orders")]
    parts += [_generic_table(r, r["title"]) for r in other]
    parts.append(_diagrams_section())
    tex = document(parts, title="streda verification report: Ado, Tretiakov, Titov")
    tex_path, pdf_path = out_dir / "report.tex", out_dir / "report.pdf"
    unchanged = (tex_path.exists() and tex_path.read_text(encoding="utf-8") == tex and pdf_path.exists()
                 and pdf_path.stat().st_mtime >= tex_path.stat().st_mtime)
    if not unchanged:
        write_latex(tex_path, tex)
    out = {"tex": str(tex_path)}
    if compile:
        out["pdf"] = str(pdf_path) if unchanged else str(compile_pdf(tex_path))
    return out


def build_html(results: list, out_dir: Path, parameters: dict, version: str, max_order: int) -> Path:
    """Write ``report.html`` (one self-contained file: MathML, inline SVG, no scripts)."""
    from streda.diagrams.draw import to_svg

    from .html import document as html_document

    diagrams = [(re.sub(r"[$\\{}]", "", cap) + ": " + D.graph["name"], to_svg(D))
                for _label, cap, D in figure_diagrams()]
    plots = []
    by = {r["name"]: r for r in results}
    if "pn_exact" in by:
        svg = cost_svg(by["pn_exact"]["records"], by["pn_exact"]["timings"].get("record_seconds", []))
        if svg:
            plots.append(("Seconds per order of the exact P^(n) = 0 certificate in this run", svg))
    if by.get("hall_curve", {}).get("records"):
        from .hall_plot import hall_svg
        from streda.diagrams.draw import strip_svg_header

        recs = by["hall_curve"]["records"]
        data = {key: [float(r[col]) for r in recs] for key, col in
                (("eps", "eps_over_m"), ("ladder", "ladder"), ("ladder+crossed", "ladder+crossed"),
                 ("printed", "printed"))}
        plots.append(("Anomalous Hall conductivity of massive Dirac fermions against eps/m: non-crossing "
                      "ladder, and with the crossed X and Psi diagrams (engine); crosses: the EPL 2015 form",
                      strip_svg_header(hall_svg(data))))
    if by.get("hall_rashba_curve", {}).get("records"):
        from .hall_plot import rashba_svg
        from streda.diagrams.draw import strip_svg_header

        recs = by["hall_rashba_curve"]["records"]
        data = {key: [float(r[key]) for r in recs] for key in ("eps", "ladder", "ladder+crossed", "error")}
        plots.append(("Anomalous Hall conductivity of the Rashba ferromagnet (Delta = 3/10, M_z = 2/5) against "
                      "eps: the non-crossing ladder vanishes with both subbands occupied; the crossed X and Psi "
                      "diagrams alone give a finite sigma_xy (bars: quadrature error)",
                      strip_svg_header(rashba_svg(data))))
    text = html_document(results, parameters, version, max_order, diagrams, plots)
    path = out_dir / "report.html"
    path.write_text(text, encoding="utf-8")
    return path
