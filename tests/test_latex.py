"""LaTeX tables and reports (``streda.verify.latex``)."""
from __future__ import annotations

import shutil

import pytest
import sympy

from streda.integrals.model import Mz, eps, gamma, tau
from streda.verify import latex as L
from streda.verify.compare import Comparison, compare_expressions, not_comparable
from streda.verify.latex import (LatexError, comparison_table, compile_pdf, document, escape_latex,
                                 expression_cell, to_sympy, value_table, write_latex)
from streda.verify.printed import tensors as T

FIT = r"\resizebox{\ifdim\width>\linewidth\linewidth\else\width\fi}{!}"
COLS = (r"@{}>{\raggedright\arraybackslash}p{0.15\linewidth}"
        r">{\raggedright\arraybackslash}p{0.29\linewidth}"
        r">{\raggedright\arraybackslash}p{0.29\linewidth}"
        r">{\raggedright\arraybackslash}p{0.17\linewidth}@{}")
needs_pdflatex = pytest.mark.skipif(shutil.which("pdflatex") is None, reason="pdflatex not on PATH")


def rec(status="agrees", computed="2*tau", printed="2*tau", reason="exact", **kw):
    base = dict(equation="16", row="x", column="y", mx_order=0, tau_order=1)
    base.update(kw)
    return Comparison(status=status, reason=reason, computed=computed, printed=printed, **base)


# ------------------------------------------------------------------ golden strings
def test_golden_comparison_table():
    got = comparison_table([rec()], "Tiny", "tab:tiny")
    want = "\n".join([
        r"\begin{table}[htbp]",
        r"\centering",
        r"\small",
        r"\caption{Tiny}",
        r"\label{tab:tiny}",
        r"\begin{tabular}{" + COLS + "}",
        r"\toprule",
        r"Entry & Regenerated & Printed & Status \\",
        r"\midrule",
        r"Eq.~(16)\newline [x, y]\newline $M_x^{0},\ \tau^{1}$ & " + FIT + r"{$2 \tau$} & " + FIT
        + r"{$2 \tau$} & agrees\newline{\scriptsize exact} \\",
        r"\bottomrule",
        r"\end{tabular}",
        r"\end{table}",
    ]) + "\n"
    assert got == want


def test_golden_value_table():
    got = value_table({"$K_{xy}$": [["1.50", "0"], ["-2.5E-3", "4"]], "row_2": [None, ["0", "-1"]]},
                      ["$x$", "y"], caption="Numbers")
    want = "\n".join([
        r"\begin{table}[htbp]",
        r"\centering",
        r"\caption{Numbers}",
        FIT + "{%",
        r"\begin{tabular}{@{}lcc@{}}",
        r"\toprule",
        r" & $x$ & y \\",
        r"\midrule",
        r"$K_{xy}$ & $1.50$ & $-2.5\times10^{-3} + 4\,i$ \\",
        r"row\_2 & --- & $-1\,i$ \\",
        r"\bottomrule",
        r"\end{tabular}}",
        r"\end{table}",
    ]) + "\n"
    assert got == want


def test_value_table_rejects_bad_entries():
    with pytest.raises(ValueError, match=r"row 'a', column 'x': '1,5' is not a decimal string"):
        value_table([("a", [["1,5", "0"]])], ["x"])
    with pytest.raises(ValueError, match=r"expected \[re, im\]"):
        value_table([("a", [["1", "2", "3"]])], ["x"])
    with pytest.raises(ValueError, match=r"has 1 entries for 2 columns"):
        value_table([("a", [["1", "0"]])], ["x", "y"])
    for bad in (["nan", "0"], ["1e", "0"], ["", "0"]):
        with pytest.raises(ValueError):
            value_table([("a", [bad])], ["x"])


# ------------------------------------------------------------------ highlight and escaping
def test_differs_row_is_highlighted():
    table = comparison_table([rec(), rec(status="differs", computed="2*tau", printed="-2*tau",
                                         reason="computed - printed is non-zero")], "c")
    rows = table.split(r"\midrule")[1].split(r"\\")
    agrees_row = next(r for r in rows if "agrees" in r)
    differs_row = next(r for r in rows if "DIFFERS" in r)
    assert r"\rowcolor{red!15}" in differs_row and r"\textbf{DIFFERS}" in differs_row
    assert r"\rowcolor" not in agrees_row
    # negative control: a table of agreements has no highlight at all
    assert r"\rowcolor" not in comparison_table([rec(), rec()], "c")


def test_not_comparable_row_is_shaded_and_unknown_status_refused():
    t = comparison_table([rec(status="not-comparable", computed="", reason="ambiguous")], "c")
    assert r"\rowcolor{black!8}" in t and r"\textit{not comparable}" in t and "---" in t
    with pytest.raises(ValueError, match="unknown status 'maybe'"):
        comparison_table([rec(status="maybe")], "c")


def test_reason_special_characters_are_escaped():
    reason = r"50% of M_z & #1 {x} ~ ^ \ $ at τ → 0, ε² − 1"
    t = comparison_table([rec(status="differs", reason=reason)], "c")
    want = (r"50\% of M\_z \& \#1 \{x\} \textasciitilde{} \textasciicircum{} \textbackslash{} \$ "
            r"at $\tau$ $\to$ 0, $\varepsilon$\textsuperscript{2} $-$ 1")
    assert escape_latex(reason) == want
    assert want in t.replace(r"\allowbreak{}", "")         # break points may be added, nothing else
    assert reason not in t


def test_escape_unknown_unicode_is_visible_not_dropped():
    assert escape_latex("a\u2603b") == "a[U+2603]b"


# ------------------------------------------------------------------ expressions
def test_to_sympy_maps_model_names():
    assert to_sympy("varepsilon*M_z/gamma") == eps * Mz / gamma
    g = to_sympy("gamma")
    assert g == gamma and isinstance(g, sympy.Symbol)  # never the Gamma function
    assert to_sympy("tau") == tau and to_sympy("eps") == eps
    assert to_sympy("sqrt(M_z**2 + 2*Delta*varepsilon)") == T.canonical(T.Delta_S)
    assert to_sympy("beta + 1").free_symbols == {sympy.Symbol("beta")}
    for bad in ("1/(", "", "import os", "lambda: 1"):
        with pytest.raises(ValueError) as exc:
            to_sympy(bad)
        assert "\n" not in str(exc.value)


def test_to_sympy_round_trips_printed_entries():
    for eq in ("15a", "C8b", "17"):
        for e in T.whole_entries(eq):
            assert sympy.simplify(to_sympy(sympy.sstr(e.expr)) - e.expr) == 0


def test_expression_cell():
    assert expression_cell("2*tau") == FIT + r"{$2 \tau$}"
    # words are set as text that may break (a table cell must not run over the page), a token verbatim
    assert expression_cell("0 (numerically)") == r"{\small 0 (\allowbreak{}numerically)}"
    assert expression_cell("Matrix([[1]]") == r"\texttt{Matrix([[1]]}"
    assert expression_cell("") == "---"
    long = expression_cell(sympy.sstr(T.get("15a", "x", "y").expr), width=60)
    assert long.count(r"\newline") >= 1 and long.count(FIT) == long.count(r"\newline") + 1
    assert r"\bigl(" in long and r"\bigr)" in long


# ------------------------------------------------------------------ documents and pdflatex
def test_document_preamble():
    doc = document(["A", "B"], title="x_y & z", preamble_extra=r"\newcommand{\foo}{1}")
    for pkg in ("booktabs", "amsmath", "xcolor", "colortbl", "graphicx", "tikz", "tikz-feynman",
                "geometry", "longtable", "array"):
        assert pkg in doc
    assert r"\title{x\_y \& z}" in doc and r"\newcommand{\foo}{1}" in doc
    assert doc.index(r"\newcommand{\foo}") < doc.index(r"\begin{document}") < doc.index("A\n\nB")


def _records():
    a = T.get("15a", "x", "y", 0, 1).expr
    b = T.get("K0bare", "x", "y", 0, 1).expr
    whole = T.get("15a", "y", "y").expr
    e = T.get("C8b", "x", "y")
    return [
        compare_expressions(T.canonical(a), T.canonical(a), equation="15a", row="x", column="y",
                            mx_order=0, tau_order=1),
        compare_expressions(T.canonical(b), T.canonical(a), equation="15a", row="x", column="y",
                            mx_order=0, tau_order=1),
        compare_expressions(whole, whole, equation="15a", row="y", column="y"),
        not_comparable(None, e.expr, equation="C8b", row="x", column="y", mx_order=2, reason=e.note),
    ]


@pytest.mark.latex
@needs_pdflatex
def test_report_compiles(tmp_path):
    recs = _records()
    # expectations from the print, not from a run: an entry against itself agrees; the τ¹ K_xy
    # of (K0bare) is minus that of (15a) (the ratio, computed here); (C8b) K_xy is dimensionally
    # wrong, hence not comparable
    a = T.canonical(T.get("15a", "x", "y", 0, 1).expr)
    b = T.canonical(T.get("K0bare", "x", "y", 0, 1).expr)
    assert sympy.simplify(b / a) == -1
    assert [r.status for r in recs] == ["agrees", "differs", "agrees", "not-comparable"]
    body = [comparison_table(recs, r"Eq.~(15a) at $M_x = 0$", "tab:c"),
            comparison_table(recs * 8, "Long", "tab:long", long=True),
            value_table({"$K_{x\\beta}$": [["1.25", "-3.5e-7"], ["0", "1"]],
                         "50% & more": [["-2.0E+12", "0"], None]}, ["$x$", "$y$"], "Numbers")]
    tex = write_latex(tmp_path / "sub dir" / "report.tex", document(body, title="Report: τ & γ"))
    pdf = compile_pdf(tex)
    assert pdf == tex.with_suffix(".pdf") and pdf.read_bytes()[:5] == b"%PDF-"
    log = tex.with_suffix(".log").read_text(encoding="latin-1")
    assert "Overfull \\hbox" not in log


@pytest.mark.latex
@needs_pdflatex
def test_broken_document_raises_latex_error(tmp_path):  # negative control
    tex = write_latex(tmp_path / "bad.tex", document([r"\begin{tabular}{c} \nosuchmacro \end{tabular}"]))
    with pytest.raises(LatexError) as exc:
        compile_pdf(tex, runs=1)
    msg = str(exc.value)
    assert "\n" not in msg
    assert "! Undefined control sequence." in msg and "l." in msg and "nosuchmacro" in msg


@pytest.mark.latex
@needs_pdflatex
def test_runaway_document_times_out(tmp_path):
    tex = write_latex(tmp_path / "loop.tex", "\\def\\x{\\x}\\x\n")
    with pytest.raises(LatexError, match="timed out after 2 s"):
        compile_pdf(tex, runs=1, timeout=2)


def test_missing_pdflatex_and_missing_file(tmp_path, monkeypatch):
    tex = write_latex(tmp_path / "a.tex", document(["x"]))
    monkeypatch.setattr(L.shutil, "which", lambda name: None)
    with pytest.raises(LatexError, match="pdflatex not found on PATH"):
        compile_pdf(tex)
    monkeypatch.undo()
    if shutil.which("pdflatex"):
        with pytest.raises(LatexError, match="no such LaTeX file"):
            compile_pdf(tmp_path / "none.tex")


def test_first_error_parser():
    log = "This is pdfTeX\n(./a.tex\n! Missing $ inserted.\n<inserted text>\n$\nl.7 a_b\n\n"
    assert L._first_error(log) == "! Missing $ inserted. (l.7 a_b)"
    assert L._first_error("") == "no error message in the log"
