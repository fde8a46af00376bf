"""Consistency checks of a diagram graph: :func:`validate`.

The checks run in this order and the first failure raises
:class:`~streda.diagrams.vocabulary.DiagramError` with one line naming the
offending node or edge:

1. graph type and graph attributes (``name``, ``kind``);
2. node kinds and ops, edge kinds, G ``side``/``momentum``, impurity
   ``correlator`` and end points;
3. degrees: every non-``end`` node has exactly one G edge in and one out
   (else "dangling fermion line"); an ``end`` node has one G edge in total
   and no impurity line; an impurity node sits on exactly one impurity line;
4. the side (R/A) changes only at an external vertex;
5. fermion lines: closed loops form a single cycle and do not coexist with
   open lines; the whole diagram is connected;
6. momenta: one label per section (the G edges between consecutive impurity
   nodes); labels are integer sums of momentum names (``p``, ``q1``,
   ``p+q2-q1``); momentum is conserved along each impurity line (its two
   ends take opposite transfers, see
   :func:`streda.diagrams.structure.transfer`); every transfer is non-zero
   and the transfers of different lines are linearly independent (white
   noise: each line is its own integration momentum);
7. stored ``order``/``prefactor`` (if present) agree with the graph; a
   ``bubble`` has no impurity lines.

Valid diagrams pass silently:

>>> from streda.diagrams.enumerators import ladder_diagrams
>>> for D, _ in ladder_diagrams(1, 1):
...     validate(D)
>>> import networkx as nx
>>> validate(nx.MultiDiGraph(name="empty", kind="tadpole"))
Traceback (most recent call last):
...
streda.diagrams.vocabulary.DiagramError: diagram 'empty' has unknown kind 'tadpole'; expected one of bubble, ladder, self-energy
"""
from __future__ import annotations

import networkx as nx
import sympy

from .structure import (dyson_prefactor, fermion_lines, g_in, g_maps, impurity_lines,
                        insertion_count, momentum_form, sections, transfer)
from .vocabulary import (CORRELATORS, DIAGRAM_KINDS, EDGE_KINDS, INSERTION_OPS, NODE_KINDS,
                         SIDES, VERTEX_OPS, DiagramError)

__all__ = ["validate", "is_valid"]


def _graph(D) -> str:
    if not isinstance(D, nx.MultiDiGraph):
        raise DiagramError(f"a diagram must be a networkx.MultiDiGraph, got {type(D).__name__}")
    name = D.graph.get("name")
    if not isinstance(name, str) or not name:
        raise DiagramError(
            "diagram has no name (graph attribute 'name' must be a non-empty string)")
    kind = D.graph.get("kind")
    if kind not in DIAGRAM_KINDS:
        raise DiagramError(f"diagram {name!r} has unknown kind {kind!r}; "
                           f"expected one of {', '.join(DIAGRAM_KINDS)}")
    if D.number_of_nodes() == 0:
        raise DiagramError(f"diagram {name!r} has no nodes")
    return name


def _attributes(D, name: str) -> None:
    for n, d in D.nodes(data=True):
        kind = d.get("kind")
        if kind not in NODE_KINDS:
            raise DiagramError(f"node {n!r} of {name!r} has unknown kind {kind!r}; "
                               f"expected one of {', '.join(NODE_KINDS)}")
        op = d.get("op")
        if kind == "vertex" and op not in VERTEX_OPS:
            raise DiagramError(f"vertex {n!r} of {name!r} has unknown op {op!r}; "
                               f"expected one of {', '.join(VERTEX_OPS)}")
        if kind == "insertion" and op not in INSERTION_OPS:
            raise DiagramError(f"insertion {n!r} of {name!r} has op {op!r}; "
                               f"an insertion is the M_x term, op 'sigma_x'")
    for u, v, k, d in D.edges(keys=True, data=True):
        kind = d.get("kind")
        edge = (u, v, k)
        if kind not in EDGE_KINDS:
            raise DiagramError(f"edge {edge!r} of {name!r} has unknown kind {kind!r}; "
                               f"expected one of {', '.join(EDGE_KINDS)}")
        if kind == "G":
            if "side" not in d:
                raise DiagramError(f"G edge {edge!r} of {name!r} has no side (R or A)")
            if d["side"] not in SIDES:
                raise DiagramError(f"G edge {edge!r} of {name!r} has invalid side {d['side']!r}; "
                                   f"expected R or A")
            mom = d.get("momentum")
            if not isinstance(mom, str) or not mom:
                raise DiagramError(f"G edge {edge!r} of {name!r} has no momentum label")
        else:
            corr = d.get("correlator")
            if corr not in CORRELATORS:
                raise DiagramError(f"impurity line {edge!r} of {name!r} has unknown correlator "
                                   f"{corr!r}; expected one of {', '.join(CORRELATORS)}")
            if u == v:
                raise DiagramError(f"impurity line {edge!r} of {name!r} starts and ends "
                                   f"at the same node")
            for x in (u, v):
                if D.nodes[x].get("kind") != "impurity":
                    raise DiagramError(f"impurity line {edge!r} of {name!r} ends on "
                                       f"{D.nodes[x]['kind']} node {x!r}, not an impurity node")


def _degrees(D, name: str, maps: tuple) -> None:
    ins, outs = maps
    n_imp = {n: 0 for n in D}
    for u, v, _, _ in impurity_lines(D):
        n_imp[u] += 1
        n_imp[v] += 1
    for n, kind in D.nodes(data="kind"):
        i, o = len(ins[n]), len(outs[n])
        if kind == "end":
            if (i, o) not in ((0, 1), (1, 0)):
                raise DiagramError(f"end node {n!r} of {name!r} has G in/out degree {i}/{o}; "
                                   f"an open end has exactly one G edge")
            continue
        if kind == "impurity" and n_imp[n] != 1:
            raise DiagramError(f"impurity node {n!r} of {name!r} is on {n_imp[n]} impurity lines, "
                               f"expected exactly 1")
        if (i, o) != (1, 1):
            raise DiagramError(f"dangling fermion line at {kind} node {n!r} of {name!r}: "
                               f"G in/out degree {i}/{o}, expected 1/1")


def _sides(D, name: str, maps: tuple) -> None:
    ins, outs = maps
    for n, kind in D.nodes(data="kind"):
        if kind in ("vertex", "end"):
            continue
        (_, _, _, din), = ins[n]
        (_, _, _, dout), = outs[n]
        if din["side"] != dout["side"]:
            raise DiagramError(f"G side changes from {din['side']} to {dout['side']} at {kind} "
                               f"node {n!r} of {name!r}; it may change only at an external vertex")


def _lines(D, name: str) -> None:
    lines = fermion_lines(D)
    closed = [ln for ln in lines if ln.closed]
    opened = [ln for ln in lines if not ln.closed]
    if len(closed) > 1:
        starts = ", ".join(repr(ln.nodes[0]) for ln in closed)
        raise DiagramError(f"closed fermion line of {name!r} is not a single cycle: "
                           f"{len(closed)} loops (through {starts})")
    if closed and opened:
        raise DiagramError(f"diagram {name!r} mixes a closed loop (through {closed[0].nodes[0]!r}) "
                           f"with an open line (from {opened[0].nodes[0]!r})")
    if not nx.is_weakly_connected(D):
        parts = sorted(nx.weakly_connected_components(D), key=len)
        first = sorted(parts[0], key=str)[0]
        raise DiagramError(f"diagram {name!r} is disconnected: node {first!r} "
                           f"is not joined to the rest")


def _momenta(D, name: str) -> None:
    for s in sections(D):
        if len(s.momenta) != 1:
            first = {}
            for e in s.edges:
                first.setdefault(D.edges[e]["momentum"], e)
            (m1, e1), (m2, e2) = list(first.items())[:2]
            raise DiagramError(f"mixed momenta in one section of {name!r}: edge {e1!r} carries "
                               f"{m1!r} but edge {e2!r} carries {m2!r}")
    parsed = set()
    for u, v, k, d in D.edges(keys=True, data=True):
        if d["kind"] == "G" and d["momentum"] not in parsed:    # each label once
            parsed.add(d["momentum"])
            try:
                momentum_form(d["momentum"])
            except DiagramError as exc:
                raise DiagramError(f"G edge {(u, v, k)!r} of {name!r}: {exc}") from None
    rows, names = [], []
    for u, v, k, _ in impurity_lines(D):
        tu, tv = transfer(D, u), transfer(D, v)
        for n, t in ((u, tu), (v, tv)):
            if not t:
                (_, _, _, din), = g_in(D, n)
                raise DiagramError(f"momentum {din['momentum']!r} runs unchanged through impurity "
                                   f"node {n!r} of {name!r}; the sections on either side of a "
                                   f"white-noise line are independent")
        total = {m: tu.get(m, 0) + tv.get(m, 0) for m in set(tu) | set(tv)}
        if any(total.values()):
            raise DiagramError(f"momentum is not conserved along impurity line {(u, v, k)!r} of "
                               f"{name!r}: its ends take {_fmt(tu)} and {_fmt(tv)}")
        rows.append(tu)
        names.append((u, v, k))
    if len(rows) > 1:
        cols = sorted({m for r in rows for m in r})
        rank = sympy.Matrix([[r.get(c, 0) for c in cols] for r in rows]).rank()
        if rank < len(rows):
            raise DiagramError(f"the {len(rows)} impurity lines of {name!r} carry only {rank} "
                               f"independent momentum transfers; each white-noise line is an "
                               f"independent integration momentum (relabel the sections)")


def _fmt(form: dict) -> str:
    return "".join(f"{'+' if c > 0 else '-'}{abs(c) if abs(c) != 1 else ''}{m}"
                   for m, c in sorted(form.items())).lstrip("+") or "0"


def _stored(D, name: str) -> None:
    n = insertion_count(D)
    if "order" in D.graph and D.graph["order"] != n:
        raise DiagramError(f"diagram {name!r} stores order={D.graph['order']!r} "
                           f"but has {n} sigma_x insertions")
    if "prefactor" in D.graph and D.graph["prefactor"] != dyson_prefactor(D):
        raise DiagramError(f"diagram {name!r} stores prefactor={D.graph['prefactor']!r} "
                           f"but its Dyson coefficient is (-1)^{n} = {dyson_prefactor(D)}")
    if D.graph["kind"] == "bubble" and impurity_lines(D):
        u, v, k, _ = impurity_lines(D)[0]
        raise DiagramError(f"bubble {name!r} has impurity line {(u, v, k)!r}; "
                           f"use kind 'ladder' or 'self-energy'")


def validate(D) -> None:
    """Raise :class:`DiagramError` (one line) if ``D`` is not a well-formed diagram."""
    name = _graph(D)
    _attributes(D, name)
    maps = g_maps(D)
    _degrees(D, name, maps)
    _sides(D, name, maps)
    _lines(D, name)
    _momenta(D, name)
    _stored(D, name)


def is_valid(D) -> bool:
    """True when :func:`validate` passes.

    >>> import networkx as nx
    >>> is_valid(nx.Graph())
    False
    """
    try:
        validate(D)
    except DiagramError:
        return False
    return True
