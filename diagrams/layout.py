"""Explicit drawing coordinates for diagrams (used by the TikZ-Feynman export).

* A closed line with a traced vertex σ_α and one current vertex v_β is drawn
  as in Fig. 2(b)/3(d): σ_α at the left on y = 0, v_β at the right, the R line
  along y = +1, the A line along y = −1.  When the impurity lines are the
  nested rungs of a non-crossing ladder, each rung is a vertical line and the
  columns between rungs are wide enough for the insertions of both lines.
* Open lines are horizontal rows (y = 0, −2, −4, …), one node per unit step,
  in operator order (as in Fig. 4).
* Anything else (a closed line of another shape) is placed on a circle.

Units are abstract (one step = 1); :mod:`streda.diagrams.export` scales them.

>>> from streda.diagrams.enumerators import bare_bubbles, pn_diagrams
>>> layout(next(bare_bubbles(1)))          # Tr[sx GR vx GA sx GA]
{'alpha': (0.0, 0.0), 'beta': (2.0, 0.0), 'x1': (1.0, -1.0)}
>>> layout(next(pn_diagrams(1)))
{'left': (0.0, 0.0), 'gamma': (1.0, 0.0), 'x1': (2.0, 0.0), 'right': (3.0, 0.0)}
"""
from __future__ import annotations

import math

import networkx as nx

from .structure import fermion_lines, impurity_lines, traced_vertex

__all__ = ["layout"]

Pos = dict


def _split(D: nx.MultiDiGraph, nodes: list) -> tuple[list[list], list]:
    segs, imps = [[]], []
    for n in nodes:
        if D.nodes[n]["kind"] == "impurity":
            imps.append(n)
            segs.append([])
        else:
            segs[-1].append(n)
    return segs, imps


def _bubble(D: nx.MultiDiGraph, nodes: tuple) -> Pos | None:
    start = nodes[0]
    if traced_vertex(D, nodes) != start:
        return None
    vertices = [i for i, n in enumerate(nodes) if D.nodes[n]["kind"] == "vertex"]
    if len(vertices) != 2:
        return None
    c = vertices[1]
    r_nodes, a_nodes = list(nodes[1:c]), list(nodes[c + 1:])[::-1]  # both outer -> inner
    r_segs, r_imp = _split(D, r_nodes)
    a_segs, a_imp = _split(D, a_nodes)
    partner = {}
    for u, v, _, _ in impurity_lines(D):
        partner[u], partner[v] = v, u
    pos: Pos = {start: (0.0, 0.0)}
    nested = len(r_imp) == len(a_imp) and all(partner.get(r) == a for r, a in zip(r_imp, a_imp))
    if not nested:
        for i, n in enumerate(r_nodes):
            pos[n] = (float(i + 1), 1.0)
        for i, n in enumerate(a_nodes):
            pos[n] = (float(i + 1), -1.0)
        pos[nodes[c]] = (float(max(len(r_nodes), len(a_nodes)) + 1), 0.0)
        return pos
    col = 0
    for j, (rs, as_) in enumerate(zip(r_segs, a_segs)):
        for i, n in enumerate(rs):
            pos[n] = (float(col + 1 + i), 1.0)
        for i, n in enumerate(as_):
            pos[n] = (float(col + 1 + i), -1.0)
        col += max(len(rs), len(as_))
        if j < len(r_imp):
            col += 1
            pos[r_imp[j]] = (float(col), 1.0)
            pos[a_imp[j]] = (float(col), -1.0)
    pos[nodes[c]] = (float(col + 1), 0.0)
    return pos


def layout(D: nx.MultiDiGraph) -> dict:
    """Node positions ``{node: (x, y)}`` in the order of ``D.nodes``."""
    pos: Pos = {}
    lines = fermion_lines(D)
    row = 0
    for line in lines:
        if not line.closed:
            for i, n in enumerate(line.nodes):
                pos[n] = (float(i), float(-2 * row))
            row += 1
            continue
        found = _bubble(D, line.nodes) if len(lines) == 1 else None
        if found is None:
            k = len(line.nodes)
            angles = [2 * math.pi * i / k for i in range(k)]
            found = {n: (round(-math.cos(t), 6), round(math.sin(t), 6))
                     for n, t in zip(line.nodes, angles)}
        pos.update(found)
    for n in D.nodes:  # isolated nodes (invalid diagrams) at the origin row below
        pos.setdefault(n, (0.0, float(-2 * row)))
    return {n: pos[n] for n in D.nodes}
