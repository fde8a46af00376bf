"""Builders for diagram graphs (data only; see :mod:`streda.diagrams.vocabulary`).

Each builder checks its own arguments and refuses bad ones with a one-line
:class:`~streda.diagrams.vocabulary.DiagramError`; whole-diagram consistency is
the job of :func:`streda.diagrams.validate.validate`.

>>> D = new_diagram("demo", "bubble")
>>> add_vertex(D, "alpha", "sigma_y"); add_vertex(D, "beta", "v_x")
>>> add_propagator(D, "alpha", "beta", "R", "p"); add_propagator(D, "beta", "alpha", "A", "p")
>>> sorted(D.nodes(data="op"))
[('alpha', 'sigma_y'), ('beta', 'v_x')]
>>> add_vertex(D, "gamma", "v_z")
Traceback (most recent call last):
...
streda.diagrams.vocabulary.DiagramError: unknown vertex op 'v_z' for node 'gamma'; expected one of sigma_x, sigma_y, sigma_z, sigma_0, v_x, v_y, p_x, p_y
"""
from __future__ import annotations

import numbers
from collections.abc import Hashable, Sequence

import networkx as nx

from .vocabulary import (CORRELATORS, DIAGRAM_KINDS, SIDES, VERTEX_OPS, WHITE_NOISE,
                         DiagramError)

__all__ = [
    "new_diagram", "add_vertex", "add_insertion", "add_impurity", "add_end",
    "add_propagator", "add_impurity_line", "add_line", "check_order",
]


def new_diagram(name: str, kind: str, description: str | None = None) -> nx.MultiDiGraph:
    """An empty diagram with graph attributes ``name``, ``kind`` (and ``description``)."""
    if kind not in DIAGRAM_KINDS:
        raise DiagramError(
            f"unknown diagram kind {kind!r}; expected one of {', '.join(DIAGRAM_KINDS)}")
    D = nx.MultiDiGraph(name=name, kind=kind)
    if description is not None:
        D.graph["description"] = description
    return D


def _fresh(D: nx.MultiDiGraph, node: Hashable) -> None:
    if node in D:
        raise DiagramError(f"node {node!r} already exists in diagram {D.graph.get('name')!r}")


def add_vertex(D: nx.MultiDiGraph, node: Hashable, op: str) -> None:
    """Add an external vertex carrying operator ``op`` (Eq. 9: σ_α, v_β; Eq. C9: Γ^p)."""
    if op not in VERTEX_OPS:
        raise DiagramError(
            f"unknown vertex op {op!r} for node {node!r}; expected one of {', '.join(VERTEX_OPS)}")
    _fresh(D, node)
    D.add_node(node, kind="vertex", op=op)


def add_insertion(D: nx.MultiDiGraph, node: Hashable) -> None:
    """Add a σ_x insertion of the in-plane field (one Dyson order, Fig. 2b, 4)."""
    _fresh(D, node)
    D.add_node(node, kind="insertion", op="sigma_x")


def add_impurity(D: nx.MultiDiGraph, node: Hashable) -> None:
    """Add the end point of an impurity line."""
    _fresh(D, node)
    D.add_node(node, kind="impurity")


def add_end(D: nx.MultiDiGraph, node: Hashable) -> None:
    """Add an open end of a fermion line."""
    _fresh(D, node)
    D.add_node(node, kind="end")


def add_propagator(D: nx.MultiDiGraph, u: Hashable, v: Hashable, side: str, momentum: str) -> None:
    """Add G^side_momentum standing between ``u`` (left) and ``v`` (right) in the word."""
    if side not in SIDES:
        raise DiagramError(f"G edge ({u!r}, {v!r}) has invalid side {side!r}; expected R or A")
    if not isinstance(momentum, str) or not momentum:
        raise DiagramError(f"G edge ({u!r}, {v!r}) needs a non-empty momentum label")
    for n in (u, v):
        if n not in D:
            raise DiagramError(f"G edge ({u!r}, {v!r}) refers to missing node {n!r}")
    D.add_edge(u, v, kind="G", side=side, momentum=momentum)


def add_impurity_line(D: nx.MultiDiGraph, u: Hashable, v: Hashable,
                      correlator: str = WHITE_NOISE) -> None:
    """Add an impurity line between impurity nodes ``u`` and ``v``."""
    if correlator not in CORRELATORS:
        raise DiagramError(f"impurity line ({u!r}, {v!r}) has unknown correlator {correlator!r}; "
                           f"expected one of {', '.join(CORRELATORS)}")
    for n in (u, v):
        if n not in D:
            raise DiagramError(f"impurity line ({u!r}, {v!r}) refers to missing node {n!r}")
    D.add_edge(u, v, kind="impurity", correlator=correlator)


def add_line(D: nx.MultiDiGraph, nodes: Sequence[Hashable], sides: Sequence[str],
             momenta: Sequence[str]) -> None:
    """Join existing ``nodes`` in order by propagators (``len(nodes) - 1`` of them).

    >>> D = new_diagram("line", "bubble")
    >>> add_end(D, "left"); add_vertex(D, "g", "p_x"); add_end(D, "right")
    >>> add_line(D, ["left", "g", "right"], "RA", ["p", "p"])
    >>> [(u, v, s) for u, v, s in D.edges(data="side")]
    [('left', 'g', 'R'), ('g', 'right', 'A')]
    """
    if not (len(sides) == len(momenta) == len(nodes) - 1):
        raise DiagramError(
            f"a line through {len(nodes)} nodes needs {len(nodes) - 1} sides and momenta")
    for u, v, s, k in zip(nodes[:-1], nodes[1:], sides, momenta):
        add_propagator(D, u, v, s, k)


def check_order(n, what: str = "n") -> int:
    """Validate a non-negative integer order (number of insertions, rungs).

    >>> check_order(2)
    2
    >>> check_order(-1)
    Traceback (most recent call last):
    ...
    streda.diagrams.vocabulary.DiagramError: n must be a non-negative integer, got -1
    """
    if isinstance(n, bool) or not isinstance(n, numbers.Integral) or n < 0:
        raise DiagramError(f"{what} must be a non-negative integer, got {n!r}")
    return int(n)
