"""Diagram identity up to relabelling: attribute-aware isomorphism and :func:`dedupe`.

Two diagrams are the same when a bijection of their nodes preserves edge
direction (operator order), node ``kind``/``op`` and edge
``kind``/``side``/``correlator``.  Momentum labels are dummy integration
variables and node names are arbitrary, so neither is compared.

Candidates are bucketed by a Weisfeiler–Lehman hash and every merge is
confirmed by :func:`networkx.is_isomorphic` (the hash alone is never trusted).
networkx does not hash multigraphs, so the hash is taken on the *subdivision*
of the diagram: every edge becomes a labelled node between its end points,
which preserves isomorphism classes exactly.

>>> from streda.diagrams.enumerators import bare_bubbles
>>> a, b = bare_bubbles(1)          # sigma_x on the A line, then on the R line
>>> are_isomorphic(a, b)
False
>>> import networkx as nx
>>> c = nx.relabel_nodes(a, {"x1": "elsewhere"})
>>> [m for _, m in dedupe([a, b, c])]
[2, 1]
"""
from __future__ import annotations

import warnings
from collections.abc import Iterable, Sequence

import networkx as nx
from networkx.algorithms.isomorphism import categorical_multiedge_match, categorical_node_match

__all__ = ["NODE_MATCH", "EDGE_MATCH", "diagram_hash", "are_isomorphic", "dedupe"]

#: node attributes compared by the isomorphism test
NODE_MATCH = ("kind", "op")
#: edge attributes compared by the isomorphism test (not ``momentum``: a dummy label)
EDGE_MATCH = ("kind", "side", "correlator")


def _label(d: dict, attrs: Sequence[str]) -> str:
    return "|".join(f"{a}={d.get(a)}" for a in attrs)


def _subdivision(D: nx.MultiDiGraph, node_attrs: Sequence[str],
                 edge_attrs: Sequence[str]) -> nx.DiGraph:
    H = nx.DiGraph()
    for n, d in D.nodes(data=True):
        H.add_node(("n", n), label="N:" + _label(d, node_attrs))
    for u, v, k, d in D.edges(keys=True, data=True):
        e = ("e", u, v, k)
        H.add_node(e, label="E:" + _label(d, edge_attrs))
        H.add_edge(("n", u), e)
        H.add_edge(e, ("n", v))
    return H


def diagram_hash(D: nx.MultiDiGraph, node_attrs: Sequence[str] = NODE_MATCH,
                 edge_attrs: Sequence[str] = EDGE_MATCH) -> str:
    """Weisfeiler–Lehman hash of ``D``: equal for isomorphic diagrams.

    >>> from streda.diagrams.enumerators import pn_diagrams
    >>> h = [diagram_hash(D) for D in pn_diagrams(2)]
    >>> len(set(h))
    3
    """
    H = _subdivision(D, node_attrs, edge_attrs)
    iterations = max(3, H.number_of_nodes() // 2 + 1)
    with warnings.catch_warnings():
        # networkx >= 3.5 notes that directed hashes changed; the hash is only a bucket
        warnings.filterwarnings("ignore", message="The hashes produced for directed graphs")
        return nx.weisfeiler_lehman_graph_hash(H, node_attr="label", iterations=iterations)


def are_isomorphic(D1: nx.MultiDiGraph, D2: nx.MultiDiGraph, node_attrs: Sequence[str] = NODE_MATCH,
                   edge_attrs: Sequence[str] = EDGE_MATCH) -> bool:
    """True when ``D1`` and ``D2`` are the same diagram up to node names and momentum labels."""
    nm = categorical_node_match(list(node_attrs), [None] * len(node_attrs))
    em = categorical_multiedge_match(list(edge_attrs), [None] * len(edge_attrs))
    if not nx.faster_could_be_isomorphic(D1, D2):
        return False
    return nx.is_isomorphic(D1, D2, node_match=nm, edge_match=em)


def dedupe(diagrams: Iterable[nx.MultiDiGraph], *, node_attrs: Sequence[str] = NODE_MATCH,
           edge_attrs: Sequence[str] = EDGE_MATCH) -> list[tuple[nx.MultiDiGraph, int]]:
    """Merge isomorphic diagrams: ``[(representative, multiplicity), ...]``.

    Representatives are the first of each class, in input order; the
    multiplicity counts how many inputs fell into the class.  ``node_attrs``
    and ``edge_attrs`` choose what the isomorphism must preserve (coarser
    choices are for negative controls only).
    """
    buckets: dict[str, list[int]] = {}
    reps: list[list] = []
    for D in diagrams:
        h = diagram_hash(D, node_attrs, edge_attrs)
        for i in buckets.get(h, ()):
            if are_isomorphic(reps[i][0], D, node_attrs, edge_attrs):
                reps[i][1] += 1
                break
        else:
            buckets.setdefault(h, []).append(len(reps))
            reps.append([D, 1])
    return [(D, m) for D, m in reps]
