"""Enumerators and the isomorphism merge: counts against independent combinatorics."""
from math import comb, factorial, prod

import networkx as nx
import pytest

from streda.diagrams import (DiagramError, are_isomorphic, bare_bubbles, born_self_energy, dedupe,
                             diagram_hash, fermion_lines, insertion_count, ladder_diagrams,
                             naive_ladders, pn_diagrams, sections, to_ladder, validate)
from streda.integrals.word import format_word

CASES = [(0, n) for n in range(5)] + [(1, n) for n in range(4)] + [(2, n) for n in range(3)] \
    + [(3, 1), (3, 2)]


def segment_counts(D):
    """Insertions per segment, outermost first: (R_0..R_k, A_0..A_k), read off to_ladder."""
    lad = to_ladder(D)
    outer_first = list(reversed(lad.rungs))
    core = format_word(lad.core).split()
    cut = next(i for i, t in enumerate(core) if t[0] in "vp")  # the current vertex
    r = [format_word(left).split().count("sx") for left, _ in outer_first]
    a = [format_word(right).split().count("sx") for _, right in outer_first]
    return r + [core[:cut].count("sx")], a + [core[cut:].count("sx")]


@pytest.mark.parametrize("rungs,n", CASES)
def test_ladder_count_is_binomial(rungs, n):
    found = list(ladder_diagrams(rungs, n))
    # n identical insertions in 2(rungs+1) distinguishable segments: stars and bars
    assert len(found) == comb(n + 2 * rungs + 1, 2 * rungs + 1)
    assert sum(m for _, m in found) == (2 * rungs + 2) ** n  # every naive placement accounted for


@pytest.mark.parametrize("rungs,n", [(1, 3), (2, 2), (3, 2)])
def test_ladder_multiplicity_is_multinomial(rungs, n):
    for D, mult in ladder_diagrams(rungs, n):
        r, a = segment_counts(D)
        assert sum(r) + sum(a) == n
        assert mult == factorial(n) // prod(factorial(c) for c in r + a)


@pytest.mark.parametrize("rungs,n", [(1, 2), (2, 2)])
def test_unique_ladders_are_pairwise_distinct(rungs, n):
    found = [D for D, _ in ladder_diagrams(rungs, n)]
    assert [m for _, m in dedupe(found)] == [1] * len(found)
    # ... and they differ as placements too (segment counts all different)
    assert len({tuple(map(tuple, segment_counts(D))) for D in found}) == len(found)


def test_ladder_properties():
    for D, _ in ladder_diagrams(2, 2, alpha="sigma_z", beta="v_y"):
        validate(D)
        assert D.graph["kind"] == "ladder"
        assert D.graph["order"] == insertion_count(D) == 2 and D.graph["prefactor"] == 1
        (line,) = fermion_lines(D)
        assert line.closed and line.nodes[0] == "alpha"
        # R0+A0 joined at sigma_alpha, R2+A2 at v_beta, R1 and A1 apart: 2k runs
        assert len(sections(D)) == 2 * 2


def test_relabelled_rungs_merge_too():
    naive = list(naive_ladders(2, 1, relabel_rungs=True))
    assert len(naive) == 2 * 6
    merged = dedupe(naive)
    assert len(merged) == 6 and all(m == 2 for _, m in merged)  # 2! rung labellings each


def test_rungs_zero_are_the_bare_bubbles():
    for n in range(4):
        ladders = [D for D, _ in ladder_diagrams(0, n, alpha="sigma_y")]
        bubbles = list(bare_bubbles(n, alpha="sigma_y"))
        assert len(bubbles) == n + 1
        for B in bubbles:
            assert sum(are_isomorphic(B, L) for L in ladders) == 1


def test_dedupe_merges_known_duplicates():
    a, b = bare_bubbles(1)  # sigma_x on the A line, on the R line
    renamed = nx.relabel_nodes(a, {"alpha": 10, "beta": 11, "x1": 12})
    relabelled_momentum = a.copy()
    for _, _, d in relabelled_momentum.edges(data=True):
        d["momentum"] = "k"
    merged = dedupe([a, b, renamed, relabelled_momentum, b.copy()])
    assert [(D is a or D is b, m) for D, m in merged] == [(True, 3), (True, 2)]
    assert merged[0][0] is a and merged[1][0] is b


def test_dedupe_keeps_r_and_a_insertions_apart():
    a, b = bare_bubbles(1)
    assert diagram_hash(a) != diagram_hash(b)
    assert not are_isomorphic(a, b)
    assert len(dedupe([a, b])) == 2


def test_dedupe_distinguishes_vertex_ops_and_correlators():
    (x,), (y,) = [list(bare_bubbles(0, alpha=al)) for al in ("sigma_x", "sigma_y")]
    assert len(dedupe([x, y])) == 2
    (L, _), = ladder_diagrams(1, 0)
    S = L.copy()
    S.edges["iR1", "iA1", 0]["correlator"] = "spin-dependent"
    assert len(dedupe([L, S])) == 2


def test_negative_control_coarse_match_breaks_the_count():
    # ignoring the R/A side and the vertex ops lets the R and A lines swap:
    # the binomial check must then fail, proving that it can fail
    naive = list(naive_ladders(0, 2))
    assert len(dedupe(naive)) == comb(2 + 1, 1)
    coarse = dedupe(naive, node_attrs=("kind",), edge_attrs=("kind",))
    assert len(coarse) != comb(2 + 1, 1)
    assert len(coarse) == 2  # {2 on one line, 1+1}


def test_pn_diagrams():
    for n in range(5):
        found = list(pn_diagrams(n, vertex="p_y"))
        assert len(found) == n + 1
        for m, D in enumerate(found):
            validate(D)
            (line,) = fermion_lines(D)
            assert not line.closed and (line.nodes[0], line.nodes[-1]) == ("left", "right")
            sides = [D.edges[e]["side"] for e in line.edges]
            assert sides == ["R"] * (m + 1) + ["A"] * (n - m + 1)
            assert D.graph["prefactor"] == (-1) ** n
        assert [m for _, m in dedupe(found)] == [1] * (n + 1)


def test_born_self_energy():
    for side in "RA":
        D = born_self_energy(side)
        validate(D)
        assert D.graph["kind"] == "self-energy" and D.graph["prefactor"] == 1
        assert [s.momentum for s in sections(D)] == ["p", "q", "p"]
        assert {d["side"] for _, _, d in D.edges(data=True) if d["kind"] == "G"} == {side}
    assert not are_isomorphic(born_self_energy("R"), born_self_energy("A"))


@pytest.mark.parametrize("call,match", [
    (lambda: list(pn_diagrams(-1)), "n must be a non-negative integer, got -1"),
    (lambda: list(pn_diagrams(1.5)), "n must be a non-negative integer"),
    (lambda: list(pn_diagrams(1, vertex="q_x")), "unknown vertex op 'q_x'"),
    (lambda: list(bare_bubbles(1, beta="v_z")), "unknown beta op 'v_z'"),
    (lambda: list(ladder_diagrams(-2, 1)), "rungs must be a non-negative integer"),
    (lambda: list(ladder_diagrams(1, True)), "n must be a non-negative integer"),
    (lambda: born_self_energy("B"), "side must be R or A"),
])
def test_enumerators_refuse_bad_input(call, match):
    with pytest.raises(DiagramError, match=match):
        call()


@pytest.mark.slow
@pytest.mark.parametrize("rungs,n", [(3, 4), (4, 3), (2, 5), (1, 6)])
def test_ladder_count_is_binomial_higher_orders(rungs, n):
    found = list(ladder_diagrams(rungs, n))
    assert len(found) == comb(n + 2 * rungs + 1, 2 * rungs + 1)
    assert sum(m for _, m in found) == (2 * rungs + 2) ** n
