"""Diagrams as SVG drawn with matplotlib: no Graphviz, no TeX needed.

Same conventions and coordinates as the other exports
(:func:`streda.diagrams.layout.layout`): G^R solid with an arrow, G^A dashed with
an arrow, impurity lines dotted, external vertices labelled by their operator,
σ_x insertions as filled squares (Fig. 4).  The report embeds the SVG text
inline (:func:`to_svg`); :func:`write_svg` writes a file.

>>> from streda.diagrams.enumerators import bare_bubbles
>>> svg = to_svg(next(bare_bubbles(1, alpha="sigma_y")))
>>> svg.startswith("<svg") and "</svg>" in svg
True
"""
from __future__ import annotations

import io
import os
import re
from collections import Counter

import networkx as nx

from .layout import layout
from .validate import validate

__all__ = ["to_svg", "write_svg", "OPERATOR_LABELS"]

#: mathtext labels of the external operators (as in the paper's figures)
OPERATOR_LABELS = {"sigma_x": r"$\sigma_x$", "sigma_y": r"$\sigma_y$", "sigma_z": r"$\sigma_z$",
                   "sigma_0": r"$\sigma_0$", "v_x": r"$v_x$", "v_y": r"$v_y$",
                   "p_x": r"$\Gamma^{p}_x$", "p_y": r"$\Gamma^{p}_y$"}


def _figure(D: nx.MultiDiGraph, unit: float):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.patches import FancyArrowPatch

    validate(D)
    pos = layout(D)
    xs = [p[0] for p in pos.values()] or [0.0]
    ys = [p[1] for p in pos.values()] or [0.0]
    w, h = max(xs) - min(xs), max(ys) - min(ys)
    fig, ax = plt.subplots(figsize=(unit * (w + 1.6), unit * (h + 1.4)))
    ax.set_xlim(min(xs) - 0.8, max(xs) + 0.8)
    ax.set_ylim(min(ys) - 0.7, max(ys) + 0.7)
    ax.set_aspect("equal")
    ax.axis("off")
    pairs = Counter(frozenset((u, v)) for u, v, d in D.edges(data=True) if d["kind"] == "G")
    for u, v, d in D.edges(data=True):
        (xu, yu), (xv, yv) = pos[u], pos[v]
        if d["kind"] == "G":
            rad = -0.6 if pairs[frozenset((u, v))] > 1 else 0.0
            ls = "-" if d["side"] == "R" else (0, (4, 3))
            ax.add_patch(FancyArrowPatch((xu, yu), (xv, yv), connectionstyle=f"arc3,rad={rad}",
                                         arrowstyle="-|>,head_length=6,head_width=3", linestyle=ls,
                                         color="#1a1a1a", lw=1.3, shrinkA=4, shrinkB=4))
        else:
            rad = -0.5 if yu == yv else 0.0
            ax.add_patch(FancyArrowPatch((xu, yu), (xv, yv), connectionstyle=f"arc3,rad={rad}",
                                         arrowstyle="-", linestyle=(0, (1, 2)), color="#555555", lw=1.4))
    cx = (min(xs) + max(xs)) / 2
    for n, d in D.nodes(data=True):
        x, y = pos[n]
        if d["kind"] == "vertex":
            ax.plot([x], [y], "o", color="#1a1a1a", ms=5)
            ha, dx = ("right", -0.12) if x <= cx else ("left", 0.12)
            if min(xs) < x < max(xs):           # inside a line (Fig. 4): label above the vertex
                ha, dx = "center", 0.0
            ax.text(x + dx, y + (0.0 if dx else 0.3), OPERATOR_LABELS.get(d["op"], d["op"]),
                    ha=ha, va="center", fontsize=12)
        elif d["kind"] == "insertion":
            ax.plot([x], [y], "s", color="#1a1a1a", ms=6)
    return fig


def to_svg(D: nx.MultiDiGraph, unit: float = 0.7) -> str:
    """Inline SVG text of one diagram (``unit`` inches per layout step); deterministic."""
    import matplotlib
    import matplotlib.pyplot as plt

    fig = _figure(D, unit)
    buf = io.StringIO()
    with matplotlib.rc_context({"svg.hashsalt": "streda", "svg.fonttype": "path"}):
        fig.savefig(buf, format="svg", bbox_inches="tight", pad_inches=0.02, metadata={"Date": None})
    plt.close(fig)
    return strip_svg_header(buf.getvalue())


def strip_svg_header(svg: str) -> str:
    """The ``<svg>`` element alone (no XML declaration, DOCTYPE or comments), for inline use."""
    svg = svg[svg.index("<svg"):]
    return re.sub(r"<!--.*?-->", "", svg, flags=re.S).strip()


def write_svg(D: nx.MultiDiGraph, path: str | os.PathLike, unit: float = 0.7) -> None:
    """Write :func:`to_svg` to ``path`` (UTF-8)."""
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(to_svg(D, unit) + "\n")
