"""report.html: one self-contained file, findings first, math as MathML, pictures as SVG."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from streda.verify import html as H
from streda.verify import mathml as ML


def _page(quick_report) -> str:
    out, status, _ = quick_report
    assert status == 0
    return (out / "report.html").read_text(encoding="utf-8")


def test_self_contained_no_script_no_network(quick_report):
    page = _page(quick_report)
    assert page.startswith("<!DOCTYPE html>")
    assert "<script" not in page.lower()
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)   # no CDN, no remote file
    assert not re.search(r"<link\b", page)
    assert page.count("<math") > 50 and page.count("<svg") >= 19       # equations and Figs. 2-4


def test_order_findings_certificates_summary_tables(quick_report):
    page = _page(quick_report)
    idx = [page.index(f'id="{s}"') for s in ("findings", "certificates", "summary", "tables")]
    assert idx == sorted(idx)


def test_the_c8b_typo_is_a_finding_with_the_regenerated_coefficient(quick_report):
    page = _page(quick_report)
    findings = page[page.index('id="findings"'):page.index('id="certificates"')]
    assert "The C8b typo" in findings and "wrong print" in findings
    assert "Sign flips inside Appendix C" in findings
    # negative control: a group with no differing entry in this run is not shown
    assert "Dresselhaus sign" not in findings


def test_agreeing_zero_rows_are_folded_into_one_line(quick_report):
    page = _page(quick_report)
    tables = page[page.index('id="tables"'):]
    m = re.findall(r"(\d+) further entries agree: printed 0 = regenerated 0", tables)
    assert m and all(int(x) > 0 for x in m)
    assert "<details>" in tables


def test_no_python_reprs_or_raw_names_in_the_text(quick_report):
    page = _page(quick_report)
    text = re.sub(r"<math.*?</math>", " ", page, flags=re.S)       # what is left is prose and markup
    text = re.sub(r"<svg.*?</svg>", " ", text, flags=re.S)
    text = re.sub(r"<style>.*?</style>", " ", text, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", text)
    for raw in ("P^(n)", "sigma_xx", "xi^-2", "{'", "': '", "|P|", "M_x^"):
        assert raw not in text, raw


def test_mathml_of_a_fraction_and_of_the_paper_names():
    assert "<mfrac>" in ML.expression("M_z/(2*Delta*varepsilon + M_z**2)")
    assert "<mi>ε</mi>" in ML.prose("gamma and varepsilon") or "ε" in ML.expression("varepsilon")
    assert ML.prose("sigma_xx") == "<math><msub><mi>σ</mi><mi>xx</mi></msub></math>"
    assert "&lt;" in ML.prose("a < b")               # text is escaped, never markup


def test_document_with_nothing_to_report_is_still_a_page():
    page = H.document([], {}, "0", 0)
    assert 'id="findings"' in page and "None: every compared entry agrees" in page


def test_verify_without_tex_and_graphviz_exits_0_and_writes_the_html(tmp_path):
    """PATH holds only the Python of this environment: no pdflatex, no dot."""
    bindir = tmp_path / "bin"                   # an empty PATH: this Python is called by its full path
    bindir.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PATH",)}
    env["PATH"] = str(bindir)
    out = tmp_path / "D"
    proc = subprocess.run([sys.executable, "-m", "streda.verify.cli", "verify", "--quick", "--no-cache",
                           "--only", "compare_C8b,pn_exact", "--out", str(out)],
                          capture_output=True, text=True, env=env, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    page = (out / "report.html").read_text(encoding="utf-8")
    assert "<math" in page and "<svg" in page
    assert (out / "report.tex").exists() and not (out / "report.pdf").exists()
    assert "pdflatex not found" in proc.stdout and "Traceback" not in proc.stderr
    assert any(Path(out / "diagrams").glob("*.svg"))             # drawn by matplotlib instead of dot
