"""``report.html``: the verification report as one self-contained HTML file.

What a person opens first.  No CDN, no JavaScript, no external file: equations are
presentation MathML (:mod:`streda.verify.mathml`), diagrams and plots inline SVG
(:mod:`streda.diagrams.draw`, matplotlib), typography in an inline style sheet.
The order is that of the PDF (:mod:`streda.verify.report`):

1. the findings -- every printed formula regenerated differently, grouped
   (:func:`streda.verify.findings.collect`), printed and regenerated side by side in
   the paper's variables;
2. the certificates, as statements with proof steps;
3. the check summary;
4. the full tables, agreeing rows folded (one line per equation for the 0 = 0 rows).

>>> page = document([], {"Delta": "3/10"}, "0.1.0", 6)
>>> page.startswith("<!DOCTYPE html>") and "<script" not in page and 'id="findings"' in page
True
"""
from __future__ import annotations

import html
import re

from . import findings as F
from . import mathml as ML
from .compare import AGREES, DIFFERS, NOT_COMPARABLE

__all__ = ["document", "STYLE"]

STYLE = """
:root { --ink:#1d2330; --muted:#5b6472; --rule:#d9dde3; --bad:#b3261e; --badbg:#fdecea;
        --ok:#1e6b3a; --okbg:#e8f4ec; --grey:#f3f4f6; --accent:#23408e; }
* { box-sizing: border-box; }
html { font-size: 17px; }
body { margin: 0; color: var(--ink); background: #fff;
       font-family: "Source Serif 4", "Source Serif Pro", Charter, "Bitstream Charter", "STIX Two Text",
                    Georgia, "DejaVu Serif", serif; line-height: 1.5; }
main { max-width: 72rem; margin: 0 auto; padding: 1.6rem 2rem 4rem; }
h1, h2, h3, h4, .sans, table, nav, .banner, summary { font-family: "Source Sans 3", "Source Sans Pro",
       "Fira Sans", "Helvetica Neue", Arial, "DejaVu Sans", sans-serif; }
h1 { font-size: 1.75rem; margin: 0 0 .2rem; letter-spacing: -.01em; }
h2 { font-size: 1.35rem; margin: 2.4rem 0 .6rem; padding-bottom: .25rem; border-bottom: 2px solid var(--ink); }
h3 { font-size: 1.08rem; margin: 1.6rem 0 .3rem; }
h4 { font-size: .98rem; margin: 1.1rem 0 .3rem; color: var(--muted); }
p { margin: .4rem 0 .8rem; }
.sub { color: var(--muted); margin: 0 0 1rem; font-size: .95rem; }
.banner { display: flex; flex-wrap: wrap; gap: .6rem; margin: .8rem 0 1.2rem; }
.pill { border-radius: 999px; padding: .2rem .8rem; font-size: .9rem; font-weight: 600; background: var(--grey); }
.pill.bad { background: var(--badbg); color: var(--bad); }
.pill.ok { background: var(--okbg); color: var(--ok); }
nav { font-size: .9rem; color: var(--muted); margin-bottom: .5rem; }
nav a { color: var(--accent); text-decoration: none; margin-right: 1rem; }
table { border-collapse: collapse; width: 100%; margin: .4rem 0 1rem; font-size: .92rem; }
th { text-align: left; font-weight: 600; color: var(--muted); border-bottom: 1.5px solid var(--ink);
     padding: .35rem .5rem; vertical-align: bottom; }
td { border-bottom: 1px solid var(--rule); padding: .45rem .5rem; vertical-align: middle; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.differs td { background: var(--badbg); }
tr.nc td { background: var(--grey); }
table.find { table-layout: fixed; }
table.find th:nth-child(1) { width: 16%; } table.find th:nth-child(2), table.find th:nth-child(3) { width: 31%; }
table.find td.eq { overflow-wrap: anywhere; }
.scroll { overflow-x: auto; overflow-y: hidden; max-width: 100%; }
.prose { font-size: .88rem; font-style: italic; }
.txt { font-family: "DejaVu Sans Mono", monospace; font-size: .78rem; overflow-wrap: anywhere; color: var(--muted); }
.why { font-size: .82rem; color: var(--muted); font-family: "Source Sans 3", Arial, sans-serif; }
.rel { font-weight: 600; color: var(--bad); }
.status { font-weight: 700; text-transform: uppercase; font-size: .78rem; letter-spacing: .04em; }
.status.differs, .status.fail, .status.error { color: var(--bad); }
.status.agrees, .status.pass { color: var(--ok); }
.status.ran { color: var(--accent); }
math { font-family: "STIX Two Math", "Latin Modern Math", "DejaVu Math TeX Gyre", math; font-size: 1.05em; }
math[display="block"] { margin: .2rem 0; }
details { margin: .2rem 0 1rem; }
summary { cursor: pointer; color: var(--ok); font-size: .92rem; }
.cert { border-left: 3px solid var(--accent); padding: .2rem 0 .2rem 1rem; margin: 1rem 0; }
.cert ol { padding-left: 1.3rem; }
.cert li { margin: .35rem 0; }
.cert .by { font-size: .85rem; color: var(--muted); }
dl.glance { font-size: .9rem; margin: .4rem 0 1.4rem; columns: 2 26rem; column-gap: 2rem; }
dl.glance dt { font-family: "Source Sans 3", "Fira Sans", Arial, "DejaVu Sans", sans-serif; font-weight: 700;
               margin-top: .5rem; break-after: avoid; }
dl.glance dd { margin: 0 0 0 1rem; break-inside: avoid; }
dl.glance i { color: var(--bad); }
dl.glance dt a { color: var(--ink); text-decoration: none; }
dl.glance dt b { color: var(--bad); margin-left: .3rem; }
.legend { background: var(--grey); padding: .6rem .9rem; border-radius: 6px; font-size: .95rem; }
.figs { display: grid; grid-template-columns: repeat(auto-fill, minmax(15rem, 1fr)); gap: 1.2rem; }
figure { margin: 0; text-align: center; }
figure svg { max-width: 100%; height: auto; }
figcaption { font-size: .85rem; color: var(--muted); }
@media print { main { max-width: none; padding: 0; } h2 { break-before: page; } details { display: block; } }
"""


def _e(s) -> str:
    return html.escape(str(s), quote=True)


def _status(s: str) -> str:
    word = {NOT_COMPARABLE: "not comparable"}.get(s, s)
    return f'<span class="status {_e(s)}">{_e(word)}</span>'


def _where_math(rec: dict) -> str:
    """``[x, y]`` with σ-names as math, and the order M_x^k τ^j."""
    parts = []
    where = [x for x in (rec.get("row"), rec.get("column")) if x is not None]
    if where:
        parts.append("[" + ", ".join(ML.math(ML.symbol_name(str(w))) if _is_name(str(w)) else _e(w)
                                     for w in where) + "]")
    orders = []
    if rec.get("mx_order") is not None:
        orders.append(ML.subsup("M", "x", ML.mn(rec["mx_order"])))
    if rec.get("tau_order") is not None:
        orders.append(ML.sup(ML.mi("tau"), ML.row(ML.mn(rec["tau_order"]))))
    if orders:
        parts.append(ML.math("<mo>&InvisibleTimes;</mo>".join(orders)))
    return " ".join(parts)


def _is_name(s: str) -> bool:
    m = re.fullmatch(r"([A-Za-z]+)(_[A-Za-z0-9]+)?", s)
    return bool(m) and (len(m.group(1)) == 1 or m.group(1) in ML._GREEK)


def _entry(rec: dict) -> str:
    return f"Eq.&nbsp;({_e(rec.get('equation'))}) {_where_math(rec)}"


def _math_or_text(expr, display: bool = False) -> str:
    """An expression as MathML in a scrolling box; text that is not an expression as wrapping text."""
    if expr is None or not str(expr).strip():
        return "—"
    body = ML.expression(expr)
    if body.startswith("<mtext>"):
        text = " ".join(str(expr).split())
        if re.search(r"[A-Za-z]{3,} [A-Za-z]{2,}", text) and "Matrix" not in text:   # words: prose
            return f'<div class="prose">{ML.prose(text)}</div>'
        return f'<div class="txt">{_e(text)}</div>'
    return f'<div class="scroll">{ML.math(body, display=display)}</div>'


def _side(expr, fallback) -> str:
    return _math_or_text(expr if expr is not None else fallback, display=True)


def _finding_row(f: F.Finding) -> str:
    rec = f.record
    note = []
    if f.relation is not None:
        note.append(f'<span class="rel">regenerated = {ML.equation(f.relation)} × printed</span>')
    reason = " ".join(str(rec.get("reason", "")).split())
    if reason.startswith("wrong print"):
        note.append('<span class="rel">wrong print</span>')
    short = reason.split(" at ")[0] + " at a sampled point" if "non-zero: relative" in reason else reason
    short = short.split("; note on the print:")[0].replace("wrong print: ", "")
    if f.relation is None or not short.startswith("computed - printed"):
        note.append(f'<div class="why" title="{_e(reason)}">{ML.prose(short)}</div>')
    return (f'<tr><td class="eq">{_entry(rec)}</td><td class="side">{_side(f.printed, rec.get("printed"))}</td>'
            f'<td class="side">{_side(f.computed, rec.get("computed"))}</td><td>{"".join(note)}</td></tr>')


def _findings(results) -> str:
    groups = F.collect(results)
    n = sum(len(fs) for _, fs in groups)
    out = ['<section id="findings"><h2>1. Findings: printed formulas the engine regenerates differently</h2>',
           f'<p>{n} printed entries differ from what the engine regenerates. Printed and regenerated are '
           'written in the paper\'s own variables: for the coefficients of the response tensors '
           + ML.math(ML.row(ML.sub("Delta", "S"), "=", "<msqrt>" + ML.expression("M_z**2 + 2*varepsilon*Delta")
                             + "</msqrt>")) + ", "
           + ML.math(ML.row(ML.sub("mu", "z"), "=", ML.sub("M", "z"), "/", ML.sub("Delta", "S"))) + ", "
           + ML.math(ML.row(ML.sub("mu", "x"), "=", ML.sub("M", "x"), "/", ML.sub("Delta", "S")))
           + ' (the term of order ' + ML.math(ML.subsup("M", "x", "k")) + ' is shown whole), '
           'as in Eq. (15).</p>']
    if not groups:
        out.append("<p>None: every compared entry agrees or makes no comparable statement.</p>")
    if groups:
        out.append('<dl class="glance">')
        for ((key, _t, _b), fs), (title, lines) in zip(groups, F.digest(groups)):
            out.append(f'<dt><a href="#f-{key}">{_e(title)}</a> <b>{len(fs)}</b></dt>')
            for eq, recs, what in lines:
                out.append(f"<dd>Eq.&nbsp;({_e(eq)}) " + "; ".join(_where_math(r) for r in recs)
                           + f': <i>{_e(what.replace("-", "−"))}</i></dd>')
        out.append("</dl>")
    for (key, title, blurb), fs in groups:
        out.append(f'<h3 id="f-{key}">{_e(title)} <span class="sub">({len(fs)})</span></h3><p class="sub">{_e(blurb)}</p>')
        out.append('<table class="find"><thead><tr><th>entry</th><th>printed</th><th>regenerated</th>'
                   '<th>relation, reason</th></tr></thead><tbody>')
        out += [_finding_row(f) for f in fs]
        out.append("</tbody></table>")
    out.append("</section>")
    return "\n".join(out)


def _certificates(by: dict) -> str:
    out = ['<section id="certificates"><h2>2. Certificates</h2>']
    res = by.get("pn_exact")
    if res:
        recs = res.get("records", [])
        orders = sorted({r["order"] for r in recs})
        zero = sorted({r["order"] for r in recs if r.get("is_zero")})
        out.append('<div class="cert"><h3>Statement. ' + ML.prose(str(res.get("figure", ""))) + "</h3>")
        out.append(f"<p>Exact identity in the ring of the independent variables (FLINT); orders "
                   f"{_e(', '.join(map(str, orders)))} computed, exactly zero for "
                   f"{_e(', '.join(map(str, zero)) or 'none')}.</p></div>")
    res = by.get("pn_all_orders")
    for case in (res or {}).get("records", []):
        control = "control" in str(case.get("case", ""))
        if case.get("certified"):
            verdict, st = "certified", "pass"
        else:
            verdict, st = ("refused, as a negative control must be", "pass") if control else ("refused", "fail")
        out.append(f'<div class="cert"><h3>{ML.prose(case.get("case", ""))}: {_status(st)} '
                   f'<span class="sub">{verdict}</span></h3>')
        out.append("<p><b>Statement.</b> " + ML.prose(str(case.get("conclusion", ""))) + "</p><p><b>Proof.</b></p><ol>")
        for st in case.get("steps", []):
            mark = "" if st.get("passed") else "<b>FAILS:</b> "
            out.append(f'<li>{mark}{ML.prose(st.get("claim", ""))}<div class="by">checked by: '
                       f'{ML.prose(st.get("checked_by", ""))}</div></li>')
        out.append("</ol></div>")
    out.append("</section>")
    return "\n".join(out)


def _summary(results) -> str:
    rows = []
    for r in results:
        t = r.get("timings", {})
        secs = t.get("computed_seconds", t.get("seconds", 0.0)) or 0.0
        cls = ' class="differs"' if r["status"] in ("fail", "error") else ""
        rows.append(f'<tr{cls}><td>{ML.prose(r["title"])}</td><td>{_status(r["status"])}</td>'
                    f'<td>{ML.prose(r["figure"])}</td><td class="num">{secs:.2f}</td></tr>')
    return ('<section id="summary"><h2>3. Check summary</h2><table><thead><tr><th>check</th><th>status</th>'
            '<th>result</th><th class="num">s</th></tr></thead><tbody>' + "".join(rows) + "</tbody></table></section>")


def _comparison_rows(recs) -> str:
    rows = []
    for r in recs:
        cls = {DIFFERS: ' class="differs"', NOT_COMPARABLE: ' class="nc"'}.get(r.get("status"), "")
        rows.append(f'<tr{cls}><td class="eq">{_where_math(r)}</td>'
                    f'<td class="side">{_math_or_text(r.get("printed", ""))}</td>'
                    f'<td class="side">{_math_or_text(r.get("computed", ""))}</td>'
                    f'<td>{_status(r.get("status", ""))}<div class="why">{ML.prose(r.get("reason", ""))}</div></td></tr>')
    return ('<table class="find"><thead><tr><th>entry</th><th>printed</th><th>regenerated</th><th>verdict</th></tr></thead>'
            "<tbody>" + "".join(rows) + "</tbody></table>")


def _comparison_section(res) -> str:
    recs = res.get("records", [])
    by_eq: dict = {}
    for r in recs:
        by_eq.setdefault(str(r.get("equation")), []).append(r)
    out = [f'<h3>{ML.prose(res["title"])}</h3>']
    for eq, rs in by_eq.items():
        c = F.counts(rs)
        shown = [r for r in rs if r.get("status") != AGREES]
        agree = [r for r in rs if r.get("status") == AGREES and not F.is_trivial_zero(r)]
        zeros = [r for r in rs if F.is_trivial_zero(r)]
        out.append(f'<h4>Eq. ({_e(eq)}): {c[AGREES]} agree, {c[DIFFERS]} differ, {c[NOT_COMPARABLE]} not comparable</h4>')
        if shown:
            out.append(_comparison_rows(shown))
        if agree:
            out.append(f"<details><summary>{len(agree)} further entries agree (show them)</summary>"
                       f"{_comparison_rows(agree)}</details>")
        if zeros:
            out.append(f'<p class="why">{len(zeros)} further entries agree: printed 0 = regenerated 0.</p>')
    return "\n".join(out)


_HEAD = {"order": "n", "mx_order": "k", "tau_order": "j", "max_abs": "|P| ≤", "is_zero": "exactly 0",
         "exactly_zero": "exactly 0", "expected_zero": "expected 0", "rungs": "rungs", "unique": "unique"}


def _cell(v) -> str:
    if isinstance(v, bool):
        return "yes" if v else "<b>no</b>"
    if isinstance(v, (int, float)):
        return ML.math(ML.mn(v))
    if isinstance(v, list) and len(v) == 2 and all(isinstance(x, str) for x in v):
        try:
            re_, im_ = float(v[0]), float(v[1])
        except ValueError:
            return _e(", ".join(v))
        z = f"{re_:.6g}" + ("" if im_ == 0 else f" {'+' if im_ > 0 else '−'} {abs(im_):.3g} i")
        return ML.math(ML.mn(z))
    s = str(v)
    if re.fullmatch(r"[-+]?\d+(\.\d+)?([eE][-+]?\d+)?", s):
        return ML.math(ML.mn(f"{float(s):.6g}" if "." in s or "e" in s.lower() else s))
    return ML.prose(s)


def _generic_table(res, limit: int = 60) -> str:
    recs = res.get("records", [])
    if not recs:
        return ""
    keys = [k for k in recs[0] if not isinstance(recs[0][k], dict)
            and not (isinstance(recs[0][k], list) and len(recs[0][k]) != 2)][:6]
    head = "".join(f"<th>{ML.prose(_HEAD.get(k, k.replace('_', ' ')))}</th>" for k in keys)
    rows = ["<tr>" + "".join(f"<td>{_cell(r.get(k, ''))}</td>" for k in keys) + "</tr>" for r in recs[:limit]]
    more = f'<p class="why">{len(recs) - limit} further rows in results.json.</p>' if len(recs) > limit else ""
    return (f'<h3>{ML.prose(res["title"])}</h3><p class="sub">{ML.prose(res["figure"])}</p>'
            f"<details><summary>{len(recs)} rows</summary><table><thead><tr>{head}</tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>{more}</details>")


def _figures(diagrams, plots) -> str:
    out = ['<h3>Diagrams of Figs. 2–4, generated by the enumerators</h3><div class="figs">']
    for caption, svg in diagrams:
        out.append(f"<figure>{svg}<figcaption>{ML.prose(caption)}</figcaption></figure>")
    out.append("</div>")
    for caption, svg in plots:
        out.append(f'<figure>{svg}<figcaption>{ML.prose(caption)}</figcaption></figure>')
    return "\n".join(out)


def document(results: list, parameters: dict, version: str, max_order: int,
             diagrams=(), plots=()) -> str:
    """The whole page.  ``diagrams`` and ``plots``: [(caption, inline SVG text)]."""
    by = {r["name"]: r for r in results}
    n_fail = sum(r["status"] in ("fail", "error") for r in results)
    comp = [rec for r in results if r.get("comparison") for rec in r.get("records", [])]
    c = F.counts(comp)
    params = ", ".join(ML.parameter(k, v) for k, v in parameters.items())
    banner = [f'<span class="pill {"bad" if n_fail else "ok"}">{len(results) - n_fail} of {len(results)} checks '
              f'pass or ran</span>',
              f'<span class="pill bad">{c[DIFFERS]} printed entries differ</span>',
              f'<span class="pill ok">{c[AGREES]} agree</span>',
              f'<span class="pill">{c[NOT_COMPARABLE]} make no comparable statement</span>']
    body = [f'<header><h1>Verification report: Ado, Tretiakov, Titov</h1>'
            f'<p class="sub">“Microscopic theory of spin-orbit torques and skyrmion dynamics” — every check '
            f'regenerated by streda {_e(version)}; parameter point {params}; '
            f'{ML.math(ML.sup("P", ML.row("(", "n", ")")))} to order {int(max_order)}.</p>'
            f'<div class="banner">{"".join(banner)}</div>'
            '<nav><a href="#findings">1 Findings</a><a href="#certificates">2 Certificates</a>'
            '<a href="#summary">3 Check summary</a><a href="#tables">4 Full tables</a></nav></header>',
            _findings(results), _certificates(by), _summary(results),
            '<section id="tables"><h2>4. Full tables</h2>']
    body += [_comparison_section(r) for r in results if r.get("comparison")]
    body += [_generic_table(r) for r in results if not r.get("comparison")]
    if diagrams or plots:
        body.append(_figures(diagrams, plots))
    body.append("</section>")
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            "<title>streda verification report: Ado, Tretiakov, Titov</title>"
            f"<style>{STYLE}</style></head>\n<body><main>\n" + "\n".join(body) + "\n</main></body></html>\n")
