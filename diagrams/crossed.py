"""The leading crossed diagrams of the conductivity bubble: X and the two Ψ (issue 10).

Ado, Dmitriev, Ostrovsky, Titov, EPL 111, 37004 (2015): at the same order W⁰ as the
ladder, the R–A bubble with *ladder-dressed* vertices Γ_α, Γ_β acquires the diagrams with
one pair of crossed white-noise lines.  They are enumerated here, not typed in:

1. put the two vertices α (traced) and β on the closed line, n_R impurity nodes on the
   R segment α → β and n_A = 4 − n_R on the A segment β → α;
2. join the four impurity nodes into two lines in every way (every labelling, so the
   naive list has isomorphic duplicates);
3. keep a pairing when its two chords *cross* on the circle (a non-crossing pair is a
   ladder rung or a self-energy piece, already in the ladder approximation) and when
   it has nodes on both segments (with all four on one segment no R–A pair is left to
   pinch: that diagram is O(W), a crossed correction to Σ);
4. merge isomorphic diagrams (:func:`streda.diagrams.isomorphism.dedupe`).

The result is the X diagram (n_R = n_A = 2, lines R→A crossing) and Ψ_R, Ψ_A
(n_R = 3 or 1: one line within a segment, crossed by one R–A line).  Momenta are carried
as graph data: the section after the first end of line j loses q_j, after its second
end regains it.  The vertices are ladder-dressed (graph attribute ``dressed_vertices``).

>>> found = crossed_diagrams()
>>> [(D.graph["family"], D.graph["segments"], mult) for D, mult in found]
[('Psi_A', (1, 3), 2), ('X', (2, 2), 2), ('Psi_R', (3, 1), 2)]
>>> X = found[1][0]
>>> [d["momentum"] for _, _, d in X.edges(data=True) if d["kind"] == "G"]
['p', 'p-q1', 'p-q1-q2', 'p-q1-q2', 'p-q2', 'p']
"""
from __future__ import annotations

import itertools

import networkx as nx

from .graph import add_impurity, add_impurity_line, add_line, add_vertex, new_diagram
from .isomorphism import dedupe
from .validate import validate
from .vocabulary import VERTEX_OPS, DiagramError

__all__ = ["crossed_diagrams", "naive_crossed", "chords_cross", "FAMILIES"]

#: the family of a leading crossed diagram by its (n_R, n_A)
FAMILIES = {(2, 2): "X", (3, 1): "Psi_R", (1, 3): "Psi_A"}

_PAIRINGS = (((0, 1), (2, 3)), ((0, 2), (1, 3)), ((0, 3), (1, 2)))


def chords_cross(a: tuple, b: tuple, ring: list) -> bool:
    """Do the chords a = (u, v) and b of a circle whose nodes are ``ring`` (in order) cross?

    >>> chords_cross((1, 3), (2, 4), [0, 1, 2, 3, 4]), chords_cross((1, 4), (2, 3), [0, 1, 2, 3, 4])
    (True, False)
    """
    pos = {n: i for i, n in enumerate(ring)}
    lo, hi = sorted((pos[a[0]], pos[a[1]]))
    inside = [lo < pos[n] < hi for n in b]
    return inside[0] != inside[1]


def _build(ring: list, sides: str, pairs: list, names: tuple, alpha: str, beta: str) -> nx.MultiDiGraph:
    n_r = sum(1 for n in ring if n.startswith("iR"))
    D = new_diagram(f"crossed {FAMILIES.get((n_r, 4 - n_r), '?')}", "ladder",
                    "one pair of crossed white-noise lines on the R-A bubble with ladder-dressed "
                    "vertices (Ado et al. 2015)")
    for n in ring:
        if n in ("alpha", "beta"):
            add_vertex(D, n, alpha if n == "alpha" else beta)
        else:
            add_impurity(D, n)
    line_of = {}
    for (u, v), q in zip(pairs, names):
        line_of[u] = line_of[v] = q
    seen, mom, labels = set(), {"p": 1}, []
    for n in ring:
        if n in line_of:
            q = line_of[n]
            mom[q] = mom.get(q, 0) + (1 if q in seen else -1)
            seen.add(q)
        labels.append(_label(mom))
    add_line(D, ring + [ring[0]], sides, labels)
    for u, v in pairs:
        add_impurity_line(D, u, v)
    D.graph["family"] = FAMILIES[(n_r, 4 - n_r)]
    D.graph["segments"] = (n_r, 4 - n_r)
    D.graph["dressed_vertices"] = True
    D.graph["order"] = 0
    D.graph["prefactor"] = 1
    return D


def _label(mom: dict) -> str:
    out = ""
    for k in sorted(mom, key=lambda s: (s != "p", s)):
        c = mom[k]
        if c:
            out += ("+" if c > 0 else "-") + (str(abs(c)) if abs(c) != 1 else "") + k
    return out.lstrip("+") or "0"


def naive_crossed(alpha: str = "v_x", beta: str = "v_y"):
    """Every labelled leading crossed diagram (isomorphic duplicates included)."""
    for op in (alpha, beta):
        if op not in VERTEX_OPS:
            raise DiagramError(f"unknown vertex op {op!r}; expected one of {', '.join(VERTEX_OPS)}")
    for n_r in range(5):
        n_a = 4 - n_r
        rnodes = [f"iR{j + 1}" for j in range(n_r)]
        anodes = [f"iA{j + 1}" for j in range(n_a)]
        ring = ["alpha"] + rnodes + ["beta"] + anodes
        sides = "R" * (n_r + 1) + "A" * (n_a + 1)
        imp = rnodes + anodes
        for pairing in _PAIRINGS:
            pairs = [(imp[a], imp[b]) for a, b in pairing]
            if not chords_cross(pairs[0], pairs[1], ring):
                continue
            if n_r in (0, 4):
                continue
            for names in itertools.permutations(("q1", "q2")):
                D = _build(ring, sides, pairs, names, alpha, beta)
                validate(D)
                yield D


def crossed_diagrams(alpha: str = "v_x", beta: str = "v_y") -> list:
    """The unique leading crossed diagrams with multiplicities, ordered by n_R."""
    found = dedupe(naive_crossed(alpha, beta))
    return sorted(found, key=lambda t: t[0].graph["segments"])
