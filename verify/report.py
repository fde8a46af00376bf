"""The ``streda verify`` report: LaTeX source, PDF, diagram pictures and the cost plot.

Every figure in the report is produced by the run itself: the diagrams of
Figs. 2-4 come from the enumerators (TikZ-Feynman with explicit coordinates,
and Graphviz PDF/SVG files beside the report), the cost plot from the P^(n)
timings of this run.
"""
from __future__ import annotations

import shutil
from pathlib import Path

from .compare import Comparison
from .latex import comparison_table, compile_pdf, document, escape_latex, write_latex

__all__ = ["figure_diagrams", "write_diagram_files", "cost_plot", "cost_svg", "build_report", "build_html"]


def figure_diagrams():
    """[(label, caption, diagram)] for Figs. 2-4 of the paper, from the enumerators."""
    from streda.diagrams import bare_bubbles, born_self_energy, ladder_diagrams, pn_diagrams

    out = [("fig2a", "Fig. 2(a): Born self-energy", born_self_energy())]
    for n in (1, 2):
        for i, D in enumerate(bare_bubbles(n, alpha="sigma_y", beta="v_x")):
            out.append((f"fig2b_n{n}_{i}", f"Fig. 2(b): bare bubble, order $M_x^{n}$", D))
    for i, (D, _m) in enumerate(ladder_diagrams(1, 1, alpha="sigma_y", beta="v_x")):
        out.append((f"fig3d_k1_{i}", "Fig. 3(d): one rung, one $\\sigma_x$ insertion", D))
    for n in (1, 2, 3):
        for i, D in enumerate(pn_diagrams(n)):
            out.append((f"fig4_n{n}_{i}", f"Fig. 4: term of $P^{{({n})}}$", D))
    return out


def write_diagram_files(out_dir: Path) -> list[str]:
    """Render every figure diagram with Graphviz (PDF and SVG) when ``dot`` exists."""
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


def _summary(results) -> str:
    rows = []
    colour = {"pass": "", "ran": "", "fail": r"\rowcolor{red!15}", "error": r"\rowcolor{red!15}"}
    for r in results:
        rows.append(colour.get(r["status"], "") + " & ".join([
            escape_latex(r["title"]), r"\textbf{" + escape_latex(r["status"]) + "}",
            r"\small " + escape_latex(r["figure"]),
            f"{r['timings'].get('computed_seconds', r['timings']['seconds']):.2f}"]) + r" \\")
    return "\n".join([r"\section*{Summary}", r"\begin{longtable}{@{}p{0.3\linewidth}lp{0.45\linewidth}r@{}}",
                      r"\toprule check & status & figure & s \\ \midrule", *rows, r"\bottomrule",
                      r"\end{longtable}"])


def _pn_table(res_exact, res_num) -> str:
    num = {(r["order"], r["component"]): r for r in (res_num or {}).get("records", [])}
    rows = []
    for r in res_exact["records"]:
        nr = num.get((r["order"], r["component"]))
        rows.append(f"{r['order']} & {r['component']} & {'exactly 0' if r['is_zero'] else 'non-zero'} & "
                    f"{escape_latex(nr['max_abs']) if nr else '--'} \\\\")
    return "\n".join([r"\section*{$P^{(n)}$ of Eq.~(C9)}",
                      r"Exact: identity in $\mathbb{Z}[s,t,a,M]$ (FLINT); numeric: upper bound of $|P^{(n)}|$ "
                      r"from complex balls at the default point.",
                      r"\begin{longtable}{@{}rlll@{}}", r"\toprule $n$ & comp. & exact & numeric $|P|\le$ \\ \midrule",
                      *rows, r"\bottomrule", r"\end{longtable}"])


def _certificate(res) -> str:
    parts = [r"\section*{All-orders certificate for $P^{(n)} = 0$}"]
    for case in res["records"]:
        parts.append(r"\subsection*{" + escape_latex(case["case"]) + ": "
                     + ("certified" if case["certified"] else "refused") + "}")
        parts.append(r"\begin{enumerate}")
        for st in case["steps"]:
            parts.append(r"\item " + ("" if st["passed"] else r"\textbf{FAILS:} ") + escape_latex(st["claim"])
                         + r"\\ {\small checked by: " + escape_latex(st["checked_by"]) + "}")
        parts.append(r"\end{enumerate}")
        parts.append(escape_latex(case["conclusion"]))
    return "\n".join(parts)


def _generic_table(res, title) -> str:
    recs = res.get("records", [])
    if not recs:
        return ""
    keys = [k for k in recs[0] if not isinstance(recs[0][k], (dict, list))][:6]
    head = " & ".join(escape_latex(k) for k in keys) + r" \\"
    rows = [" & ".join(escape_latex(str(r.get(k, ""))) for k in keys) + r" \\" for r in recs[:60]]
    return "\n".join([r"\subsection*{" + escape_latex(title) + "}", escape_latex(res["figure"]),
                      r"\begin{longtable}{@{}" + "l" * len(keys) + "@{}}", r"\toprule " + head + r" \midrule",
                      *rows, r"\bottomrule", r"\end{longtable}"])


def _diagrams_section() -> str:
    from streda.diagrams import to_tikz_feynman

    parts = [r"\section*{Diagrams (Figs. 2--4), generated by the enumerators}"]
    for _label, cap, D in figure_diagrams():
        parts += [r"\begin{center}", to_tikz_feynman(D), r"\\[2pt] {\small " + cap + ": "
                  + escape_latex(D.graph["name"]) + r"}\end{center}"]
    return "\n".join(parts)


def build_report(results: list, out_dir: Path, header: str, compile: bool = True) -> dict:
    """Write report.tex (and report.pdf when ``compile``); returns the paths written."""
    by = {r["name"]: r for r in results}
    parts = [escape_latex(header), _summary(results)]
    if "pn_exact" in by:
        parts.append(_pn_table(by["pn_exact"], by.get("pn_numeric")))
        if (out_dir / "pn_cost.pdf").exists():
            parts.append(r"\begin{center}\includegraphics[width=0.6\linewidth]{pn_cost.pdf}\end{center}")
    if "pn_all_orders" in by:
        parts.append(_certificate(by["pn_all_orders"]))
    comp = [r for r in results if r.get("comparison")]
    if comp:
        parts.append(r"\section*{Regenerated versus printed}"
                     r"Rows shaded red differ from the paper; grey rows cannot be compared as printed "
                     r"(the reason is given).")
        for r in comp:
            recs = [Comparison(**{k: v for k, v in c.items()}) for c in r["records"]]
            if recs:
                parts.append(comparison_table(recs, caption=escape_latex(r["title"]), long=True))
    other = [r for r in results if not r.get("comparison") and r["name"] not in ("pn_exact", "pn_numeric",
                                                                                 "pn_all_orders")]
    if other:
        parts.append(r"\section*{Further checks}")
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

    diagrams = [(cap.replace("$", "").replace("\\", "") + ": " + D.graph["name"], to_svg(D))
                for _label, cap, D in figure_diagrams()]
    plots = []
    by = {r["name"]: r for r in results}
    if "pn_exact" in by:
        svg = cost_svg(by["pn_exact"]["records"], by["pn_exact"]["timings"].get("record_seconds", []))
        if svg:
            plots.append(("Seconds per order of the exact P^(n) = 0 certificate in this run", svg))
    text = html_document(results, parameters, version, max_order, diagrams, plots)
    path = out_dir / "report.html"
    path.write_text(text, encoding="utf-8")
    return path
