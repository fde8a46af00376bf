"""Structural queries on diagrams: fermion lines, momentum sections, Dyson order.

These are read-only algorithms on the graph data of
:mod:`streda.diagrams.vocabulary`.  They assume the node degrees are sane
(every non-``end`` node has one G edge in and one out); :func:`fermion_lines`
raises :class:`~streda.diagrams.vocabulary.DiagramError` otherwise.

>>> from streda.diagrams.enumerators import bare_bubbles
>>> D = next(bare_bubbles(1, alpha="sigma_y", beta="v_x"))
>>> [line.closed for line in fermion_lines(D)]
[True]
>>> fermion_lines(D)[0].nodes
('alpha', 'beta', 'x1')
>>> [s.momentum for s in sections(D)], insertion_count(D), dyson_prefactor(D)
(['p'], 1, -1)
"""
from __future__ import annotations

import re
from collections.abc import Hashable
from dataclasses import dataclass

import networkx as nx

from .vocabulary import DiagramError

__all__ = [
    "FermionLine", "Section", "propagators", "impurity_lines", "g_in", "g_out", "g_maps",
    "fermion_lines", "sections", "momentum_form", "transfer", "traced_vertex", "insertion_count",
    "dyson_prefactor",
]

@dataclass(frozen=True)
class FermionLine:
    """One fermion line: ``nodes`` in operator order and the G ``edges`` joining them.

    An open line starts at an ``end`` node and stops at one (both listed in
    ``nodes``); a closed line lists each node once and its last edge returns
    to ``nodes[0]`` (the traced vertex when there is one).
    """

    closed: bool
    nodes: tuple
    edges: tuple


@dataclass(frozen=True)
class Section:
    """The G edges between two consecutive impurity nodes of a line (see :func:`sections`).

    ``momenta`` is the set of labels the edges carry (one, in a valid diagram);
    ``external`` is True when the section reaches an ``end`` node.
    """

    edges: tuple
    momenta: frozenset
    external: bool

    @property
    def momentum(self) -> str:
        """The section's single momentum label."""
        if len(self.momenta) != 1:
            raise DiagramError(f"section starting at edge {self.edges[0]!r} carries momenta "
                               f"{sorted(self.momenta)}, not one")
        return next(iter(self.momenta))


def propagators(D: nx.MultiDiGraph) -> list:
    """All G edges as ``(u, v, key, data)``."""
    return [(u, v, k, d) for u, v, k, d in D.edges(keys=True, data=True) if d.get("kind") == "G"]


def impurity_lines(D: nx.MultiDiGraph) -> list:
    """All impurity lines as ``(u, v, key, data)``."""
    return [(u, v, k, d) for u, v, k, d in D.edges(keys=True, data=True)
            if d.get("kind") == "impurity"]


def g_in(D: nx.MultiDiGraph, node: Hashable) -> list:
    """G edges ending at ``node``, as ``(u, v, key, data)``."""
    return [(u, v, k, d) for u, v, k, d in D.in_edges(node, keys=True, data=True)
            if d.get("kind") == "G"]


def g_out(D: nx.MultiDiGraph, node: Hashable) -> list:
    """G edges leaving ``node``, as ``(u, v, key, data)``."""
    return [(u, v, k, d) for u, v, k, d in D.out_edges(node, keys=True, data=True)
            if d.get("kind") == "G"]


def g_maps(D: nx.MultiDiGraph) -> tuple[dict, dict]:
    """``(ins, outs)``: node -> its G edges in / out (as :func:`g_in`, :func:`g_out`), in one
    pass over the edges; the whole-diagram algorithms use it instead of a query per node.

    >>> from streda.diagrams.enumerators import pn_diagrams
    >>> ins, outs = g_maps(next(pn_diagrams(0)))
    >>> [(n, len(ins[n]), len(outs[n])) for n in ins]
    [('left', 0, 1), ('gamma', 1, 1), ('right', 1, 0)]
    """
    ins: dict = {n: [] for n in D}
    outs: dict = {n: [] for n in D}
    for u, v, k, d in D.edges(keys=True, data=True):
        if d.get("kind") == "G":
            outs[u].append((u, v, k, d))
            ins[v].append((u, v, k, d))
    return ins, outs


def _next(outs: dict, node: Hashable) -> tuple:
    out = outs[node]
    if len(out) != 1:
        raise DiagramError(f"fermion line breaks at node {node!r}: {len(out)} outgoing G edges")
    return out[0]


def traced_vertex(D: nx.MultiDiGraph, nodes=None, maps: tuple | None = None) -> Hashable | None:
    """The vertex where the line turns from A to R (σ_α in Tr[σ_α G^R … G^A]), or None.

    Only ``nodes`` are searched when given (``maps``: :func:`g_maps` of ``D``, if at hand).
    None when there is no such vertex or more than one.
    """
    ins, outs = maps if maps is not None else g_maps(D)
    found = []
    for n in (D.nodes if nodes is None else nodes):
        if D.nodes[n].get("kind") != "vertex":
            continue
        i, o = ins[n], outs[n]
        if len(i) == 1 and len(o) == 1 and (i[0][3].get("side"), o[0][3].get("side")) == ("A", "R"):
            found.append(n)
    return found[0] if len(found) == 1 else None


def _walk(D: nx.MultiDiGraph, outs: dict, start: Hashable, stop_at_start: bool) -> tuple[list, list]:
    nodes, edges, node, seen = [start], [], start, {start}
    while True:
        if D.nodes[node].get("kind") == "end" and node != start:
            return nodes, edges
        u, v, k, _ = _next(outs, node)
        edges.append((u, v, k))
        if v == start and stop_at_start:
            return nodes, edges
        if v in seen:
            raise DiagramError(f"fermion line from {start!r} runs into node {v!r} twice")
        nodes.append(v)
        seen.add(v)
        node = v


def fermion_lines(D: nx.MultiDiGraph) -> list[FermionLine]:
    """The open lines (from each starting ``end`` node) then the closed loops.

    A closed loop is read from its traced vertex (:func:`traced_vertex`), else
    from its first node in ``D.nodes`` order.
    """
    maps = g_maps(D)
    ins, outs = maps
    lines, seen = [], set()
    for n, kind in D.nodes(data="kind"):
        if kind == "end" and not ins[n] and outs[n]:
            nodes, edges = _walk(D, outs, n, stop_at_start=False)
            seen.update(nodes)
            lines.append(FermionLine(False, tuple(nodes), tuple(edges)))
    for n, kind in D.nodes(data="kind"):
        if n in seen or kind == "end" or not (ins[n] or outs[n]):
            continue
        nodes, _ = _walk(D, outs, n, stop_at_start=True)
        start = traced_vertex(D, nodes, maps)
        if start is None:
            start = n
        nodes, edges = _walk(D, outs, start, stop_at_start=True)
        seen.update(nodes)
        lines.append(FermionLine(True, tuple(nodes), tuple(edges)))
    return lines


def sections(D: nx.MultiDiGraph) -> list[Section]:
    """The runs of G edges between consecutive impurity nodes, in line order.

    Vertices and insertions conserve momentum (uniform response, Eq. 9), so
    all G edges of a section carry one momentum; an impurity node starts a new
    section.  On a closed loop read from a non-impurity node the last run
    joins the first.  (In a ladder the R and A sections between the same two
    rungs carry the same momentum by conservation across the rungs, not by
    being one section.)
    """
    out = []
    for line in fermion_lines(D):
        runs, cur = [], []
        for i, e in enumerate(line.edges):
            cur.append(e)
            head = e[1]
            if D.nodes[head].get("kind") == "impurity" or i == len(line.edges) - 1:
                runs.append(cur)
                cur = []
        if line.closed and len(runs) > 1 and D.nodes[line.nodes[0]].get("kind") != "impurity":
            runs[0] = runs.pop() + runs[0]
        for run in runs:
            labels = frozenset(D.edges[e].get("momentum") for e in run)
            ext = any(D.nodes[n].get("kind") == "end" for e in run for n in e[:2])
            out.append(Section(tuple(run), labels, ext))
    return out


_TERM = re.compile(r"\s*([+-]?)\s*(\d*)\s*\*?\s*([A-Za-z][A-Za-z0-9_']*)\s*")


def momentum_form(label: str) -> dict[str, int]:
    """Parse a momentum label into integer coefficients of momentum names.

    >>> momentum_form("p+q2-q1")
    {'p': 1, 'q2': 1, 'q1': -1}
    >>> momentum_form("2k - k")
    {'k': 1}
    >>> momentum_form("p^2")
    Traceback (most recent call last):
    ...
    streda.diagrams.vocabulary.DiagramError: momentum label 'p^2' is not a sum of momentum names with integer coefficients (e.g. 'p', 'q1', 'p+q2-q1')
    """
    pos, form = 0, {}
    text = str(label)
    while pos < len(text):
        m = _TERM.match(text, pos)
        if m is None or m.end() == pos or (pos > 0 and not m.group(1)):
            raise DiagramError(f"momentum label {label!r} is not a sum of momentum names with "
                               f"integer coefficients (e.g. 'p', 'q1', 'p+q2-q1')")
        c = int(m.group(2) or 1) * (-1 if m.group(1) == "-" else 1)
        form[m.group(3)] = form.get(m.group(3), 0) + c
        pos = m.end()
    if not text.strip():
        raise DiagramError("empty momentum label")
    return {k: v for k, v in form.items() if v}


def transfer(D: nx.MultiDiGraph, node: Hashable) -> dict[str, int]:
    """Momentum left at impurity ``node``: (incoming label) − (outgoing label), as a form.

    In operator order an impurity node stands for ⟨k|V|k'⟩ = V(k − k'); white
    noise ⟨V(t)V(t')⟩ ∝ δ(t + t') makes the two ends of one impurity line
    carry opposite transfers, and each line's transfer is integrated freely.
    """
    (_, _, _, din), = g_in(D, node)
    (_, _, _, dout), = g_out(D, node)
    form = dict(momentum_form(din["momentum"]))
    for k, v in momentum_form(dout["momentum"]).items():
        form[k] = form.get(k, 0) - v
    return {k: v for k, v in form.items() if v}


def insertion_count(D: nx.MultiDiGraph) -> int:
    """Number n of σ_x insertions (the power of M_x)."""
    return sum(1 for _, k in D.nodes(data="kind") if k == "insertion")


def dyson_prefactor(D: nx.MultiDiGraph) -> int:
    """The coefficient (−1)^n of M_x^n × (the diagram's word) in the Dyson series.

    G = G0 − M_x G0 σ_x G puts (−M_x)^n (G0 σ_x)^n G0 at order n (Sec. II.B);
    every distinct placement of the n insertions occurs exactly once, and the
    external vertices (response σ_α, source v_β) are distinguishable, so there
    is no further symmetry factor.  Physical constants (e/4π, α_d per rung)
    are the integrals layer's job.  For P^(n) (Eq. C9), defined as the plain
    sum of its words, this is the sign with which P^(n) enters the series.
    """
    return -1 if insertion_count(D) % 2 else 1
