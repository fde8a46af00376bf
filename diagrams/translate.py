"""Translate diagrams into the words of :mod:`streda.integrals.word`.

Tokens: a vertex ``op`` maps to ``sx sy sz s0 vx vy px py``, an insertion to
``sx``, a G edge to ``GR``/``GA``; impurity and end nodes carry no factor.
The Dyson coefficient (−1)^n is the graph attribute ``prefactor``
(:func:`streda.diagrams.structure.dyson_prefactor`); physical constants are
left to the integrals layer.

* :func:`to_word` — an open line or a closed bubble that is a single
  momentum section (no impurity lines): the word from left to right, a closed
  one starting at the traced vertex σ_α.
* :func:`to_ladder` — a closed non-crossing R–A ladder (a bare bubble is the
  case without rungs): ``Tr[σ_α · S_k(… S_1(I[core]) …)]``, Eq. (C4)–(C5).

>>> from streda.diagrams.enumerators import bare_bubbles, ladder_diagrams
>>> from streda.integrals.word import format_word
>>> [format_word(to_word(D)) for D in bare_bubbles(1, alpha="sigma_y", beta="v_x")]
['sy GR vx GA sx GA', 'sy GR sx GR vx GA']
>>> D, _ = next(iter(ladder_diagrams(1, 1, alpha="sigma_y")))
>>> D.graph["name"]
'ladder k=1 n=1: R(1,0) A(0,0)'
>>> str(to_ladder(D))
'Tr[sy · S(GR sx GR | S0 | GA)] with S0 = I[GR vx GA]'
"""
from __future__ import annotations

from functools import lru_cache

import networkx as nx

from streda.integrals.word import Factor, Ladder, parse_word

from .structure import fermion_lines, impurity_lines, sections, traced_vertex
from .validate import validate
from .vocabulary import OP_TOKENS, WHITE_NOISE, DiagramError

__all__ = ["node_factor", "edge_factor", "to_word", "to_ladder"]


def node_factor(D: nx.MultiDiGraph, node) -> Factor | None:
    """The factor of a node: its op for vertices and insertions, None otherwise.

    >>> from streda.diagrams.enumerators import pn_diagrams
    >>> node_factor(next(pn_diagrams(0, vertex="p_y")), "gamma")
    Factor(kind='p', label='y')
    """
    d = D.nodes[node]
    if d.get("kind") in ("vertex", "insertion"):
        return _op_factor(d["op"])
    return None


@lru_cache(maxsize=None)
def _op_factor(op: str) -> Factor:
    return parse_word(OP_TOKENS[op])[0]


def edge_factor(D: nx.MultiDiGraph, edge: tuple) -> Factor:
    """The factor ``GR``/``GA`` of a G edge ``(u, v, key)``."""
    return _g_factor(D.edges[edge]["side"])


@lru_cache(maxsize=None)
def _g_factor(side: str) -> Factor:
    return Factor("G", side)


def _single_line(D: nx.MultiDiGraph, what: str):
    validate(D)
    lines = fermion_lines(D)
    if len(lines) != 1:
        raise DiagramError(
            f"{what} reads one fermion line; diagram {D.graph['name']!r} has {len(lines)}")
    return lines[0]


def _traced(D: nx.MultiDiGraph, line, what: str):
    start = line.nodes[0]
    if traced_vertex(D, line.nodes) != start:
        raise DiagramError(f"{what}: diagram {D.graph['name']!r} has no single vertex where the "
                           f"line turns from A to R, so the traced vertex sigma_alpha is undefined")
    return start


def to_word(D: nx.MultiDiGraph) -> tuple[Factor, ...]:
    """The word of an open line, or of a closed single-section bubble from σ_α.

    >>> from streda.diagrams.enumerators import pn_diagrams
    >>> from streda.integrals.word import format_word
    >>> [format_word(to_word(D)) for D in pn_diagrams(2)]
    ['GR px GA sx GA sx GA', 'GR sx GR px GA sx GA', 'GR sx GR sx GR px GA']
    """
    line = _single_line(D, "to_word")
    n_sec = len(sections(D))
    if n_sec != 1:
        raise DiagramError(f"to_word reads a single momentum section; diagram {D.graph['name']!r} "
                           f"has {n_sec} (use to_ladder for closed ladders)")
    word = []
    if line.closed:
        start = _traced(D, line, "to_word")
        word.append(node_factor(D, start))
    for e in line.edges:
        word.append(edge_factor(D, e))
        f = node_factor(D, e[1])
        if f is not None and not (line.closed and e[1] == line.nodes[0]):
            word.append(f)
    return tuple(word)


def to_ladder(D: nx.MultiDiGraph) -> Ladder:
    """The nested-sandwich form of a closed non-crossing R–A ladder (Eq. C4, C5; Fig. 3d).

    Reading from σ_α, the R line is cut by rung ends r_1 … r_k into R_0 … R_k
    and the A line (back from v_β) by a_k … a_1 into A_k … A_0; rung j must
    join r_j to a_j (nested rungs).  Then ``outer = (σ_α,)``, ``core = R_k v_β A_k``
    and rung j contributes ``(left, right) = (R_{j-1}, A_{j-1})``, listed
    innermost first.
    """
    name = D.graph.get("name")
    line = _single_line(D, "to_ladder")
    if not line.closed:
        raise DiagramError(f"to_ladder reads a closed line; diagram {name!r} is open (use to_word)")
    start = _traced(D, line, "to_ladder")
    vertices = [n for n in line.nodes if D.nodes[n]["kind"] == "vertex"]
    if len(vertices) != 2:
        raise DiagramError(f"to_ladder needs exactly two external vertices (sigma_alpha, v_beta); "
                           f"diagram {name!r} has {len(vertices)}")
    r_segs, a_segs, r_imp, a_imp = [[]], [[]], [], []
    segs, imps, core_factor = r_segs, r_imp, None
    for e in line.edges:
        segs[-1].append(edge_factor(D, e))
        v = e[1]
        if v == start:
            break
        kind = D.nodes[v]["kind"]
        if kind == "impurity":
            imps.append(v)
            segs.append([])
        elif kind == "vertex":
            core_factor = node_factor(D, v)
            segs, imps = a_segs, a_imp
        else:
            segs[-1].append(node_factor(D, v))
    k = len(r_imp)
    partner = {}
    for u, v, key, d in impurity_lines(D):
        if d["correlator"] != WHITE_NOISE:
            raise DiagramError(f"impurity line {(u, v, key)!r} of {name!r} has correlator "
                               f"{d['correlator']!r}; ladder rungs are white-noise (Eq. C4)")
        partner[u], partner[v] = v, u
    a_outer_first = a_imp[::-1]
    for j in range(max(k, len(a_imp))):
        r = r_imp[j] if j < k else None
        a = a_outer_first[j] if j < len(a_outer_first) else None
        if r is None or a is None or partner.get(r) != a:
            bad = r if r is not None else a
            raise DiagramError(f"impurity line at node {bad!r} of {name!r} is not a rung of a "
                               f"non-crossing R-A ladder (crossing, or both ends on one line)")
    a_segs = a_segs[::-1]  # A_0 .. A_k, outermost first
    core = tuple(r_segs[k]) + (core_factor,) + tuple(a_segs[k])
    rungs = tuple((tuple(r_segs[j]), tuple(a_segs[j])) for j in reversed(range(k)))
    return Ladder(core=core, rungs=rungs, outer=(node_factor(D, start),))
