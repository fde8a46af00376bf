"""report.pdf: findings first, math as math, no line wider than the page (pdflatex log)."""
from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from streda.verify.report import build_report, parameters_latex, prose_latex

needs_pdflatex = pytest.mark.skipif(shutil.which("pdflatex") is None, reason="pdflatex not on PATH")

#: the widest Overfull \hbox the log may report (points)
OVERFULL_LIMIT = 5.0


def overfull_widths(log: str) -> list[float]:
    """Widths (pt) of every ``Overfull \\hbox`` of a TeX log.

    >>> overfull_widths("Overfull \\\\hbox (12.5pt too wide) in paragraph")
    [12.5]
    """
    return [float(x) for x in re.findall(r"Overfull \\hbox \(([\d.]+)pt too wide\)", log)]


def test_overfull_parser_sees_an_overfull_line():
    # negative control for the log check below
    assert overfull_widths("Overfull \\hbox (40.2077pt too wide) in alignment at lines 1--2") == [40.2077]
    assert overfull_widths("Underfull \\hbox (badness 10000)") == []


def test_page_one_has_no_python_reprs():
    tex = parameters_latex({"Delta": "3/10", "alpha": "sqrt(30)/10", "eps": "1"})
    assert tex == r"$\Delta = \frac{3}{10}$, $\alpha_R = \frac{\sqrt{30}}{10}$, $\varepsilon = 1$"
    assert prose_latex("P^(n) = 0; |P| <= 1e-50 for sigma_xx, decay xi^-2") == (
        r"$P^{(n)}$ = 0; $|P|$ \textless{}= 1e-50 for $\sigma_{xx}$, decay $\xi^{-2}$")


def test_report_tex_order_findings_before_tables(quick_results):
    out, data, results = quick_results
    paths = build_report(results, out, data["parameters"], 6, compile=False)
    tex = open(paths["tex"], encoding="utf-8").read()
    heads = re.findall(r"\\section\{([^}]*)\}", tex)
    assert heads[:4] == ["Findings: printed formulas the engine regenerates differently", "Certificates",
                         "Check summary", "Full tables"]
    assert "The C8b typo" in tex and "{'" not in tex and "P^(n)" not in tex
    assert re.search(r"further entries agree", tex)


@pytest.mark.latex
@needs_pdflatex
def test_report_pdf_compiles_without_overfull_lines(quick_results):
    out, data, results = quick_results
    paths = build_report(results, out, data["parameters"], 6, compile=True)
    log = (out / "report.log").read_text(encoding="latin-1")
    wide = [w for w in overfull_widths(log) if w > OVERFULL_LIMIT]
    assert not wide, f"Overfull \\hbox wider than {OVERFULL_LIMIT}pt: {wide}"
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", paths["pdf"], "-"], capture_output=True, text=True).stdout
        assert 0 <= text.index("Findings") < text.index("Full tables")
