"""Enumerators of the paper's diagrams (generators, deterministic order).

* :func:`pn_diagrams` — the n+1 open terms of P^(n), Eq. (C9), Fig. 4;
* :func:`bare_bubbles` — the n+1 bare bubbles of K^bare at order M_x^n, Fig. 2(b);
* :func:`ladder_diagrams` — non-crossing white-noise ladders with n σ_x
  insertions anywhere between the rungs, Fig. 3(d); produced naively by
  :func:`naive_ladders` (with isomorphic duplicates) and merged by
  :func:`streda.diagrams.isomorphism.dedupe`;
* :func:`born_self_energy` — the Born self-energy of Fig. 2(a);
* :func:`crossed_pair` — the lowest crossing diagram (not in the paper's
  approximation; it demonstrates the vocabulary's reach).

:func:`pn_diagrams` and :func:`bare_bubbles` store each diagram's word (read once from the
validated graph by :func:`~streda.diagrams.translate.to_word`) as the graph attribute
``word``, a tuple of :class:`~streda.integrals.word.Factor`; the integrals layer takes it as is.

Node names: closed lines have the traced vertex ``"alpha"`` (σ_α) and the
current vertex ``"beta"`` (v_β); open lines have ``end`` nodes ``"left"`` and
``"right"`` (the word's left and right ends) and the vertex ``"gamma"``;
insertions are ``"x1"``, ``"x2"``, … in operator order; rung j (1 = outermost)
joins ``"iR<j>"`` on the R line to ``"iA<j>"`` on the A line.  Momenta: the
outermost section carries ``"p"``, the section inside rung j carries ``"q<j>"``.

>>> [D.graph["name"] for D in pn_diagrams(1)]
['P(1) m=0: GR px GA sx GA', 'P(1) m=1: GR sx GR px GA']
>>> from streda.integrals.word import format_word
>>> format_word(next(pn_diagrams(1)).graph["word"])
'GR px GA sx GA'
>>> found = ladder_diagrams(1, 1, alpha="sigma_y")
>>> [(D.graph["name"], m) for D, m in found]  # doctest: +NORMALIZE_WHITESPACE
[('ladder k=1 n=1: R(1,0) A(0,0)', 1), ('ladder k=1 n=1: R(0,1) A(0,0)', 1),
 ('ladder k=1 n=1: R(0,0) A(0,1)', 1), ('ladder k=1 n=1: R(0,0) A(1,0)', 1)]
"""
from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence

import networkx as nx

from streda.integrals.word import format_word

from .graph import (add_end, add_impurity, add_impurity_line, add_insertion, add_line, add_vertex,
                    check_order, new_diagram)
from .isomorphism import dedupe
from .structure import dyson_prefactor
from .translate import to_word
from .vocabulary import SIDES, VERTEX_OPS, DiagramError

__all__ = ["pn_diagrams", "bare_bubbles", "ladder_diagrams", "naive_ladders", "born_self_energy",
           "crossed_pair"]


def _op(op: str, what: str) -> str:
    if op not in VERTEX_OPS:
        raise DiagramError(f"unknown {what} op {op!r}; expected one of {', '.join(VERTEX_OPS)}")
    return op


def _stamp(D: nx.MultiDiGraph) -> nx.MultiDiGraph:
    D.graph["order"] = sum(1 for _, k in D.nodes(data="kind") if k == "insertion")
    D.graph["prefactor"] = dyson_prefactor(D)
    return D


def _momentum(section: int) -> str:
    return "p" if section == 0 else f"q{section}"


def _closed_ladder(name: str, alpha: str, beta: str, groups: Sequence[Sequence[str]],
                   rung_names: Sequence[int] | None = None) -> nx.MultiDiGraph:
    """Tr[σ_α R_0 ⋯ R_k v_β A_k ⋯ A_0], k rungs, the insertions ``groups[s]`` in segment s.

    Segments in trace order: s = 0..k are R_0..R_k, s = k+1..2k+1 are A_k..A_0.
    ``rung_names[j-1]`` is the label used for rung j's impurity nodes.
    Nodes are added in trace order.
    """
    k = len(groups) // 2 - 1
    rung_names = list(rung_names or range(1, k + 1))
    D = new_diagram(name, "ladder" if k else "bubble")
    add_vertex(D, "alpha", alpha)
    nodes, sides, momenta = ["alpha"], [], []
    for s, group in enumerate(groups):
        side = "R" if s <= k else "A"
        section = s if s <= k else 2 * k + 1 - s  # R_j and A_j share the momentum of section j
        for x in group:
            add_insertion(D, x)
            nodes.append(x)
        if s < k:
            nxt = f"iR{rung_names[s]}"
            add_impurity(D, nxt)
        elif s == k:
            nxt = "beta"
            add_vertex(D, nxt, beta)
        elif s < 2 * k + 1:
            nxt = f"iA{rung_names[section - 1]}"
            add_impurity(D, nxt)
        else:
            nxt = "alpha"
        sides += [side] * (len(group) + 1)
        momenta += [_momentum(section)] * (len(group) + 1)
        nodes.append(nxt)
    add_line(D, nodes, sides, momenta)
    for j in rung_names:
        add_impurity_line(D, f"iR{j}", f"iA{j}")
    return D


def pn_diagrams(n: int, vertex: str = "p_x") -> Iterator[nx.MultiDiGraph]:
    """The n+1 open lines [G^R σ_x]^m G^R Γ G^A [σ_x G^A]^(n−m), m = 0..n, of P^(n) (Eq. C9).

    Fig. 4 draws them; Γ is the kinetic vertex ``vertex`` (Γ^p = p/m_e, Eq. C6a).

    The line runs from the ``end`` node ``"left"`` to the ``end`` node
    ``"right"``; there is no trace.  ``prefactor`` is (−1)^n (the sign of
    P^(n) in the Dyson series; P^(n) itself is the plain sum of the words).

    >>> [D.graph["prefactor"] for D in pn_diagrams(3)]
    [-1, -1, -1, -1]
    """
    n = check_order(n)
    vertex = _op(vertex, "vertex")
    for m in range(n + 1):
        D = new_diagram(f"P({n}) m={m}", "bubble",
                        f"term m={m} of P^({n}), Eq. (C9): [G^R sigma_x]^{m} G^R Gamma G^A "
                        f"[sigma_x G^A]^{n - m}")
        xs_r = [f"x{i}" for i in range(1, m + 1)]
        xs_a = [f"x{i}" for i in range(m + 1, n + 1)]
        nodes = ["left", *xs_r, "gamma", *xs_a, "right"]
        for x in nodes:
            if x in ("left", "right"):
                add_end(D, x)
            elif x == "gamma":
                add_vertex(D, x, vertex)
            else:
                add_insertion(D, x)
        sides = "R" * (m + 1) + "A" * (n - m + 1)
        add_line(D, nodes, sides, ["p"] * len(sides))
        D.graph["name"] += ": " + format_word(_store_word(D))
        yield _stamp(D)


def _store_word(D: nx.MultiDiGraph) -> tuple:
    """Validate ``D`` and read its word, once (:func:`to_word` does both); keep it as ``word``."""
    D.graph["word"] = to_word(D)
    return D.graph["word"]


def bare_bubbles(n: int, alpha: str = "sigma_x", beta: str = "v_x") -> Iterator[nx.MultiDiGraph]:
    """The n+1 bare bubbles Tr σ_α (G^R σ_x)^m G^R v_β G^A (σ_x G^A)^(n−m), m = 0..n.

    These are the terms of K^bare at order M_x^n (Fig. 2b; printed for n = 1, 2
    before Eq. C8a), each with ``prefactor`` (−1)^n.

    >>> [D.graph["name"] for D in bare_bubbles(1, alpha="sigma_y")]
    ['Tr[sy GR vx GA sx GA]', 'Tr[sy GR sx GR vx GA]']
    """
    n = check_order(n)
    alpha, beta = _op(alpha, "alpha"), _op(beta, "beta")
    for m in range(n + 1):
        groups = [[f"x{i}" for i in range(1, m + 1)], [f"x{i}" for i in range(m + 1, n + 1)]]
        D = _closed_ladder(f"bare n={n} m={m}", alpha, beta, groups)
        D.graph["description"] = (f"bare bubble of K^bare at order M_x^{n} (Fig. 2b), "
                                  f"{m} sigma_x on the R line")
        D.graph["name"] = f"Tr[{format_word(_store_word(D))}]"
        yield _stamp(D)


def naive_ladders(rungs: int, n: int, alpha: str = "sigma_x", beta: str = "v_x",
                  relabel_rungs: bool = False) -> Iterator[nx.MultiDiGraph]:
    """Every ordered placement of n labelled insertions over the 2(rungs+1) segments.

    Insertion i goes to segment ``placement[i-1]`` (graph attribute
    ``placement``; segments in trace order R_0..R_k, A_k..A_0), so placements
    that differ by a permutation of the insertions are isomorphic duplicates:
    (2k+2)^n graphs in all, times k! with ``relabel_rungs`` (rungs labelled in
    every order).  Feed them to :func:`~streda.diagrams.isomorphism.dedupe`.

    >>> sum(1 for _ in naive_ladders(1, 2, relabel_rungs=False))
    16
    """
    rungs, n = check_order(rungs, "rungs"), check_order(n)
    alpha, beta = _op(alpha, "alpha"), _op(beta, "beta")
    n_seg = 2 * rungs + 2
    orders = itertools.permutations(range(1, rungs + 1)) if relabel_rungs else [None]
    for rung_names in orders:
        for placement in itertools.product(range(n_seg), repeat=n):
            groups = [[f"x{i + 1}" for i in range(n) if placement[i] == s] for s in range(n_seg)]
            D = _closed_ladder(f"naive k={rungs} placement={placement}", alpha, beta, groups,
                               rung_names)
            D.graph["placement"] = placement
            yield D


def ladder_diagrams(rungs: int, n: int, alpha: str = "sigma_x",
                    beta: str = "v_x") -> Iterator[tuple[nx.MultiDiGraph, int]]:
    """Unique non-crossing ladders with ``rungs`` white-noise rungs and n σ_x insertions (Fig. 3d).

    Yields ``(diagram, multiplicity)``: the diagrams of :func:`naive_ladders`
    merged by isomorphism.  ``multiplicity`` counts the naive copies (the
    number of orderings of the labelled insertions, n!/∏ c_s!) and is a
    bookkeeping check, **not** a weight: each unique diagram enters the Dyson
    series once, with ``prefactor`` (−1)^n.  The name lists the insertions per
    segment, R and A, outermost section first: ``R(1,0) A(0,1)``.
    With ``rungs=0`` these are the bare bubbles (kind ``"bubble"``).
    """
    found = dedupe(naive_ladders(rungs, n, alpha, beta))
    for D, mult in found:
        placement = D.graph.pop("placement")
        counts = [placement.count(s) for s in range(2 * rungs + 2)]
        r_counts, a_counts = counts[:rungs + 1], counts[rungs + 1:][::-1]
        D.graph["name"] = (f"ladder k={rungs} n={n}: R({','.join(map(str, r_counts))}) "
                           f"A({','.join(map(str, a_counts))})")
        D.graph["description"] = (f"non-crossing ladder, {rungs} white-noise rung(s), {n} "
                                  f"sigma_x insertion(s) (Fig. 3d)")
        yield _stamp(D), mult


def crossed_pair(alpha: str = "sigma_x", beta: str = "v_x") -> nx.MultiDiGraph:
    """The lowest crossing diagram: two crossed white-noise lines on an R–A bubble.

    Beyond the paper's non-crossing approximation; it shows that crossing
    diagrams need no new vocabulary: rung 1 joins the first R impurity node to
    the *inner* A one, and the last A section is fixed by momentum
    conservation, ``p-q1+q2``.  :func:`~streda.diagrams.translate.to_ladder`
    refuses it.

    >>> D = crossed_pair()
    >>> [d["momentum"] for _, _, d in D.edges(data=True) if d["kind"] == "G"]
    ['p', 'q1', 'q2', 'q2', 'p-q1+q2', 'p']
    """
    alpha, beta = _op(alpha, "alpha"), _op(beta, "beta")
    D = new_diagram("crossed pair", "ladder",
                    "two crossed white-noise impurity lines "
                    "(beyond the non-crossing approximation)")
    add_vertex(D, "alpha", alpha)
    add_impurity(D, "iR1")
    add_impurity(D, "iR2")
    add_vertex(D, "beta", beta)
    add_impurity(D, "iA1")
    add_impurity(D, "iA2")
    add_line(D, ["alpha", "iR1", "iR2", "beta", "iA1", "iA2", "alpha"], "RRRAAA",
             ["p", "q1", "q2", "q2", "p-q1+q2", "p"])
    add_impurity_line(D, "iR1", "iA1")
    add_impurity_line(D, "iR2", "iA2")
    return _stamp(D)


def born_self_energy(side: str = "R") -> nx.MultiDiGraph:
    """Fig. 2(a): G_p Σ G_p with Σ = α_d ∫ G_q, one impurity line across the internal G.

    The external legs (momentum ``"p"``) run from ``end`` node ``"left"`` to
    impurity node ``"i1"`` and from ``"i2"`` to ``end`` node ``"right"``; the
    internal propagator carries ``"q"``.

    >>> D = born_self_energy()
    >>> [(u, v, d["momentum"]) for u, v, d in D.edges(data=True) if d["kind"] == "G"]
    [('left', 'i1', 'p'), ('i1', 'i2', 'q'), ('i2', 'right', 'p')]
    """
    if side not in SIDES:
        raise DiagramError(f"self-energy side must be R or A, got {side!r}")
    D = new_diagram(f"Born self-energy {side}", "self-energy",
                    f"Born approximation, Fig. 2(a): Sigma^{side} = alpha_d int G^{side}_q")
    add_end(D, "left")
    add_impurity(D, "i1")
    add_impurity(D, "i2")
    add_end(D, "right")
    add_line(D, ["left", "i1", "i2", "right"], side * 3, ["p", "q", "p"])
    add_impurity_line(D, "i1", "i2")
    return _stamp(D)
