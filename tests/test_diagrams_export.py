"""DOT and TikZ-Feynman export: golden strings, Graphviz parses, pdflatex compiles."""
import re
import shutil
import subprocess

import pytest

from streda.diagrams import (ExportError, bare_bubbles, born_self_energy, crossed_pair, layout,
                             ladder_diagrams, pn_diagrams, render, to_dot, to_latex_document,
                             to_tikz_feynman, write_dot, write_latex)
from streda.diagrams import export as export_mod

needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz dot not installed")


def small():
    """Tr[sy GR sx GR vx GA]."""
    return list(bare_bubbles(1, alpha="sigma_y"))[1]


def sample():
    return [*bare_bubbles(2, alpha="sigma_y"), *[D for D, _ in ladder_diagrams(2, 1)],
            *pn_diagrams(2), born_self_energy(), crossed_pair()]


GOLDEN_DOT = """\
digraph "Tr[sy GR sx GR vx GA]" {
  rankdir=LR;
  node [fontname="Helvetica", fontsize=12];
  edge [fontname="Helvetica", fontsize=9, arrowsize=0.6];
  "alpha" [shape=circle, label="σy", margin=0.02];
  "x1" [shape=square, label="", style=filled, fillcolor=black, width=0.15, height=0.15];
  "beta" [shape=circle, label="vx", margin=0.02];
  "alpha" -> "x1" [style=solid, label="p"];
  "x1" -> "beta" [style=solid, label="p"];
  "alpha" -> "beta" [style=dashed, label="p", dir=back];
}"""

GOLDEN_TIKZ = r"""\begin{tikzpicture}
  \begin{feynman}
    \vertex [dot, label=left:{$\sigma_y$}] (n1) at (0.00, 0.00) {};
    \vertex [square dot] (n2) at (1.20, 1.00) {};
    \vertex [dot, label=right:{$v_x$}] (n3) at (2.40, 0.00) {};
    \diagram* {
      (n1) -- [fermion] (n2),
      (n2) -- [fermion] (n3),
      (n3) -- [charged scalar] (n1),
    };
  \end{feynman}
\end{tikzpicture}"""


def test_golden_dot():
    assert to_dot(small()) == GOLDEN_DOT


def test_golden_tikz():
    assert to_tikz_feynman(small()) == GOLDEN_TIKZ


def test_tikz_edges_match_the_graph():
    # read the \diagram* edges back and compare with the graph's edges and styles
    style_of = {"R": "fermion", "A": "charged scalar"}
    for D in sample():
        text = to_tikz_feynman(D)
        names = {f"n{i + 1}": n for i, n in enumerate(D.nodes)}
        drawn = sorted((names[a], names[b], s.split(",")[0])
                       for a, s, b in re.findall(r"\((n\d+)\) -- \[([^\]]*)\] \((n\d+)\)", text))
        want = sorted((u, v, style_of[d["side"]] if d["kind"] == "G" else "ghost")
                      for u, v, d in D.edges(data=True))
        assert drawn == want
        assert text.count("square dot") == D.graph["order"]


def test_ladder_rungs_are_vertical():
    for D, _ in ladder_diagrams(2, 2):
        pos = layout(D)
        for j in (1, 2):
            assert pos[f"iR{j}"][0] == pos[f"iA{j}"][0]
            assert pos[f"iR{j}"][1] == 1.0 and pos[f"iA{j}"][1] == -1.0


def test_latex_document_escapes_captions():
    doc = to_latex_document(small(), title="K^bare_1 & co")
    assert r"\section*{K\^{}bare\_1 \& co}" in doc
    assert "Tr[sy GR sx GR vx GA] -- bare bubble of K\\^{}bare at order M\\_x\\^{}1" in doc


@needs_dot
def test_dot_parses_with_graphviz(tmp_path):
    for i, D in enumerate(sample()):
        path = tmp_path / f"d{i}.dot"
        write_dot(D, path)
        proc = subprocess.run(["dot", "-Tsvg", str(path)], capture_output=True, timeout=60)
        assert proc.returncode == 0, proc.stderr.decode()
        svg = proc.stdout.decode()
        assert svg.count('class="node"') == D.number_of_nodes()
        assert svg.count('class="edge"') == D.number_of_edges()


@needs_dot
def test_render_writes_svg_and_pdf(tmp_path):
    render(small(), tmp_path / "a.svg")
    assert "<svg" in (tmp_path / "a.svg").read_text()
    render(small(), tmp_path / "a.out", fmt="pdf")
    assert (tmp_path / "a.out").read_bytes().startswith(b"%PDF")


def test_render_without_dot_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setattr(export_mod.shutil, "which", lambda name: None)
    with pytest.raises(ExportError, match="needs the Graphviz 'dot' program on PATH"):
        render(small(), tmp_path / "a.svg")


def test_render_refuses_unknown_format(tmp_path):
    with pytest.raises(ExportError, match="format must be one of pdf, svg, png"):
        render(small(), tmp_path / "a.jpeg")


def test_export_validates_first():
    D = small().copy()
    D.nodes["x1"]["kind"] = "blob"
    with pytest.raises(ValueError, match="unknown kind 'blob'"):
        to_dot(D)
    with pytest.raises(ValueError, match="unknown kind 'blob'"):
        to_tikz_feynman(D)


@pytest.mark.latex
@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="pdflatex not installed")
def test_tikz_feynman_document_compiles(tmp_path):
    write_latex(sample(), tmp_path / "diagrams.tex", title="streda diagrams")
    cmd = ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "diagrams.tex"]
    proc = subprocess.run(cmd, cwd=tmp_path, capture_output=True, timeout=300)
    log = (tmp_path / "diagrams.log").read_text(errors="replace")
    assert proc.returncode == 0, log[-2000:]
    assert (tmp_path / "diagrams.pdf").read_bytes().startswith(b"%PDF")
    assert "LuaTeX is required" not in log
