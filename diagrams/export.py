"""Drawing diagrams: Graphviz DOT and TikZ-Feynman (layered like ``networkx.drawing.nx_latex``).

Pure strings: :func:`to_dot`, :func:`to_tikz_feynman` (one ``tikzpicture``),
:func:`to_latex_document` (a complete pdflatex document); writers:
:func:`write_dot`, :func:`write_latex`; :func:`render` runs Graphviz ``dot``.

Conventions (both back ends): G^R solid with an arrow, G^A dashed with an
arrow, impurity lines dotted, external vertices labelled by their operator,
σ_x insertions as filled squares (Fig. 4), impurity and end points unmarked.
The TikZ output uses explicit coordinates from :func:`streda.diagrams.layout.layout`
and ``\\diagram*`` only, so plain pdflatex compiles it (no LuaLaTeX graph drawing).

>>> from streda.diagrams.enumerators import pn_diagrams
>>> print(to_dot(next(pn_diagrams(0))))
digraph "P(0) m=0: GR px GA" {
  rankdir=LR;
  node [fontname="Helvetica", fontsize=12];
  edge [fontname="Helvetica", fontsize=9, arrowsize=0.6];
  "left" [shape=none, label="", width=0.05, height=0.05];
  "gamma" [shape=circle, label="px", margin=0.02];
  "right" [shape=none, label="", width=0.05, height=0.05];
  "left" -> "gamma" [style=solid, label="p"];
  "gamma" -> "right" [style=dashed, label="p"];
}
"""
from __future__ import annotations

import os
import shutil
import subprocess
from collections import Counter
from collections.abc import Iterable

import networkx as nx

from .layout import layout
from .validate import validate
from .vocabulary import DiagramError

__all__ = ["ExportError", "to_dot", "write_dot", "render", "to_tikz_feynman", "to_latex_document",
           "write_latex", "X_UNIT", "Y_UNIT"]

#: TikZ length (cm) of one layout step along x and y
X_UNIT, Y_UNIT = 1.2, 1.0

_DOT_OP = {"sigma_x": "σx", "sigma_y": "σy", "sigma_z": "σz", "sigma_0": "σ0",
           "v_x": "vx", "v_y": "vy", "p_x": "px", "p_y": "py"}
_TEX_OP = {"sigma_x": r"\sigma_x", "sigma_y": r"\sigma_y", "sigma_z": r"\sigma_z",
           "sigma_0": r"\sigma_0", "v_x": "v_x", "v_y": "v_y",
           "p_x": r"\Gamma^{p}_x", "p_y": r"\Gamma^{p}_y"}
_RENDER_FORMATS = ("pdf", "svg", "png")


class ExportError(DiagramError):
    """A drawing cannot be produced (bad format, missing or failing ``dot``)."""


def _q(x) -> str:
    s = str(x).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{s}"'


def to_dot(D: nx.MultiDiGraph) -> str:
    """Graphviz DOT text of a diagram (validated first).

    Columns follow :func:`~streda.diagrams.layout.layout`: nodes with the same
    x share a rank (so ladder rungs stand upright), and an edge drawn right to
    left is written reversed with ``dir=back`` (its arrow still shows the
    operator order).
    """
    validate(D)
    out = [f"digraph {_q(D.graph['name'])} {{", "  rankdir=LR;",
           '  node [fontname="Helvetica", fontsize=12];',
           '  edge [fontname="Helvetica", fontsize=9, arrowsize=0.6];']
    for n, d in D.nodes(data=True):
        kind = d["kind"]
        if kind == "vertex":
            attrs = f"shape=circle, label={_q(_DOT_OP[d['op']])}, margin=0.02"
        elif kind == "insertion":
            attrs = 'shape=square, label="", style=filled, fillcolor=black, width=0.15, height=0.15'
        elif kind == "impurity":
            attrs = "shape=point, width=0.06"
        else:
            attrs = 'shape=none, label="", width=0.05, height=0.05'
        out.append(f"  {_q(n)} [{attrs}];")
    pos = layout(D)
    for u, v, d in D.edges(data=True):
        if d["kind"] == "G":
            style = "solid" if d["side"] == "R" else "dashed"
            attrs = f"style={style}, label={_q(d['momentum'])}"
            if pos[u][0] > pos[v][0]:  # runs right to left in the drawing: keep ranks left to right
                u, v, attrs = v, u, attrs + ", dir=back"
        else:
            attrs = "style=dotted, dir=none, constraint=false, penwidth=1.5"
        out.append(f"  {_q(u)} -> {_q(v)} [{attrs}];")
    columns: dict[float, list] = {}
    for n, (x, _) in pos.items():
        columns.setdefault(x, []).append(n)
    for x in sorted(columns):
        if len(columns[x]) > 1:
            out.append("  {rank=same; " + " ".join(_q(n) + ";" for n in columns[x]) + "}")
    out.append("}")
    return "\n".join(out)


def write_dot(D: nx.MultiDiGraph, path: str | os.PathLike) -> None:
    """Write :func:`to_dot` to ``path`` (UTF-8)."""
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(to_dot(D) + "\n")


def render(D: nx.MultiDiGraph, path: str | os.PathLike, fmt: str | None = None) -> None:
    """Draw ``D`` with Graphviz ``dot`` into ``path`` (format from ``fmt`` or the suffix).

    Raises :class:`ExportError` when the format is not pdf/svg/png, when the
    ``dot`` binary is not on PATH, or when ``dot`` fails.
    """
    fmt = (fmt or os.path.splitext(str(path))[1].lstrip(".")).lower()
    if fmt not in _RENDER_FORMATS:
        raise ExportError(f"cannot render to {str(path)!r}: format must be one of "
                          f"{', '.join(_RENDER_FORMATS)} (from fmt= or the file suffix)")
    text = to_dot(D)
    exe = shutil.which("dot")
    if exe is None:
        raise ExportError("render needs the Graphviz 'dot' program on PATH; install graphviz "
                          "or use write_dot() and render elsewhere")
    proc = subprocess.run([exe, f"-T{fmt}", "-o", os.fspath(path)], input=text.encode("utf-8"),
                          capture_output=True, timeout=120)
    if proc.returncode != 0:
        msg = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise ExportError(f"dot -T{fmt} failed for diagram {D.graph['name']!r}: "
                          f"{msg[0] if msg else 'exit status ' + str(proc.returncode)}")


def _label_side(x: float, y: float, xs: list[float]) -> str:
    if y > 0:
        return "above"
    if y < 0:
        return "below"
    if x <= min(xs):
        return "left"
    if x >= max(xs):
        return "right"
    return "below"


def to_tikz_feynman(D: nx.MultiDiGraph) -> str:
    """One ``tikzpicture`` with a ``feynman`` environment, explicit coordinates, ``\\diagram*``.

    >>> from streda.diagrams.enumerators import bare_bubbles
    >>> print(to_tikz_feynman(next(bare_bubbles(0, alpha="sigma_y"))))
    \\begin{tikzpicture}
      \\begin{feynman}
        \\vertex [dot, label=left:{$\\sigma_y$}] (n1) at (0.00, 0.00) {};
        \\vertex [dot, label=right:{$v_x$}] (n2) at (1.20, 0.00) {};
        \\diagram* {
          (n1) -- [fermion, half left] (n2),
          (n2) -- [charged scalar, half left] (n1),
        };
      \\end{feynman}
    \\end{tikzpicture}
    """
    validate(D)
    pos = layout(D)
    xs = [p[0] for p in pos.values()]
    name = {n: f"n{i + 1}" for i, n in enumerate(D.nodes)}
    out = [r"\begin{tikzpicture}", r"  \begin{feynman}"]
    for n, d in D.nodes(data=True):
        x, y = pos[n]
        at = f"({x * X_UNIT:.2f}, {y * Y_UNIT:.2f})"
        if d["kind"] == "vertex":
            side = _label_side(x, y, xs)
            label = f"label={side}:{{${_TEX_OP[d['op']]}$}}"
            out.append(f"    \\vertex [dot, {label}] ({name[n]}) at {at} {{}};")
        elif d["kind"] == "insertion":
            out.append(f"    \\vertex [square dot] ({name[n]}) at {at} {{}};")
        else:
            out.append(f"    \\vertex ({name[n]}) at {at};")
    out.append(r"    \diagram* {")
    pairs = Counter(frozenset((u, v)) for u, v, d in D.edges(data=True) if d["kind"] == "G")
    for u, v, d in D.edges(data=True):
        if d["kind"] == "G":
            style = "fermion" if d["side"] == "R" else "charged scalar"
            if pairs[frozenset((u, v))] > 1:
                style += ", half left"
        else:
            style = "ghost"
            (xu, yu), (xv, yv) = pos[u], pos[v]
            if yu == yv:  # both ends on one row: arc above it
                style += ", half left" if xu < xv else ", half right"
        out.append(f"      ({name[u]}) -- [{style}] ({name[v]}),")
    out += [r"    };", r"  \end{feynman}", r"\end{tikzpicture}"]
    return "\n".join(out)


_TEX_SPECIAL = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "$": r"\$", "&": r"\&",
                "#": r"\#", "%": r"\%", "_": r"\_", "^": r"\^{}", "~": r"\~{}"}


def _tex_escape(text: str) -> str:
    """Escape LaTeX specials; non-ASCII Greek is spelled out for plain pdflatex.

    >>> _tex_escape("P(1) m=0: GR_x^2 & σ")
    'P(1) m=0: GR\\\\_x\\\\^{}2 \\\\& sigma'
    """
    text = text.replace("σ", "sigma").replace("Γ", "Gamma")
    return "".join(_TEX_SPECIAL.get(c, c) for c in text)


def to_latex_document(diagrams: nx.MultiDiGraph | Iterable[nx.MultiDiGraph],
                      title: str | None = None, captions: bool = True) -> str:
    """A complete pdflatex document with one centred picture per diagram.

    Captions are each diagram's ``name`` (and ``description`` when present).

    >>> from streda.diagrams.enumerators import pn_diagrams
    >>> doc = to_latex_document(pn_diagrams(1), title="P^(1)")
    >>> doc.splitlines()[:2]
    ['\\\\documentclass{article}', '\\\\usepackage[compat=1.1.0]{tikz-feynman}']
    >>> doc.count("tikzpicture}")
    4
    """
    if isinstance(diagrams, nx.Graph):
        diagrams = [diagrams]
    out = [r"\documentclass{article}", r"\usepackage[compat=1.1.0]{tikz-feynman}",
           r"\tikzfeynmanset{warn luatex=false}  % explicit coordinates: no graph drawing needed",
           r"\begin{document}"]
    if title:
        out.append(r"\section*{" + _tex_escape(title) + "}")
    for D in diagrams:
        out += [r"\begin{center}", to_tikz_feynman(D)]
        if captions:
            cap = D.graph["name"]
            if D.graph.get("description"):
                cap += " -- " + D.graph["description"]
            out += [r"\\[4pt]", r"{\small " + _tex_escape(cap) + "}"]
        out.append(r"\end{center}")
    out.append(r"\end{document}")
    return "\n".join(out) + "\n"


def write_latex(diagrams: nx.MultiDiGraph | Iterable[nx.MultiDiGraph], path: str | os.PathLike,
                **kwargs) -> None:
    """Write :func:`to_latex_document` to ``path``; ``kwargs`` go to it."""
    text = to_latex_document(diagrams, **kwargs)
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(text)
