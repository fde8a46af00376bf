"""Translation to words and ladders, against words derived by hand from the paper's formulas."""
import pytest

from streda.diagrams import (DiagramError, bare_bubbles, born_self_energy, crossed_pair,
                             fermion_lines, ladder_diagrams, pn_diagrams, to_ladder, to_word)
from streda.diagrams.translate import edge_factor, node_factor
from streda.integrals.word import format_word, parse_word


def words(diagrams):
    return [format_word(to_word(D)) for D in diagrams]


def test_kbare_first_order_terms():
    # K^bare,(1) before Eq. (C8a): -(e/4pi) Tr[s_a GR sx GR v_b GA + s_a GR v_b GA sx GA]
    found = list(bare_bubbles(1, alpha="sigma_y", beta="v_x"))
    assert sorted(words(found)) == sorted(["sy GR sx GR vx GA", "sy GR vx GA sx GA"])
    assert {D.graph["prefactor"] for D in found} == {-1}


def test_kbare_second_order_terms():
    # K^bare,(2): +(e/4pi) Tr[s_a GR sx GR v_b GA sx GA + s_a (GR sx)^2 GR v_b GA
    #                        + s_a GR v_b GA (sx GA)^2]
    found = list(bare_bubbles(2, alpha="sigma_x", beta="v_y"))
    assert sorted(words(found)) == sorted(["sx GR sx GR vy GA sx GA", "sx GR sx GR sx GR vy GA",
                                           "sx GR vy GA sx GA sx GA"])
    assert {D.graph["prefactor"] for D in found} == {1}


def test_kbare_negative_control_moved_insertion_differs():
    # the same diagram with sigma_x moved from the R to the A line is not the printed R term
    b_a, b_r = bare_bubbles(1, alpha="sigma_y")
    assert format_word(to_word(b_a)) != "sy GR sx GR vx GA"
    assert format_word(to_word(b_r)) == "sy GR sx GR vx GA"


@pytest.mark.parametrize("n", range(5))
def test_pn_words_follow_eq_c9(n):
    # [G^R sx]^m G^R Gamma G^A [sx G^A]^(n-m), built here from the formula
    expected = [" ".join(["GR sx"] * m + ["GR px GA"] + ["sx GA"] * (n - m)) for m in range(n + 1)]
    assert words(pn_diagrams(n)) == expected


def test_bare_bubble_as_ladder_has_no_rungs():
    for D in bare_bubbles(2, alpha="sigma_z", beta="p_x"):
        lad = to_ladder(D)
        assert lad.rungs == () and format_word(lad.outer) == "sz"
        assert lad.outer + lad.core == to_word(D)


def flatten(lad):
    """outer · left_k … left_1 · core · right_1 … right_k: the trace's operator order."""
    lefts = [left for left, _ in reversed(lad.rungs)]
    rights = [right for _, right in lad.rungs]
    return tuple(lad.outer) + sum(lefts, ()) + tuple(lad.core) + sum(rights, ())


def walk(D):
    """Second method: read the cyclic word straight off the graph from sigma_alpha."""
    (line,) = fermion_lines(D)
    out = [node_factor(D, line.nodes[0])]
    for e in line.edges:
        out.append(edge_factor(D, e))
        f = node_factor(D, e[1])
        if f is not None and e[1] != line.nodes[0]:
            out.append(f)
    return tuple(out)


@pytest.mark.parametrize("rungs,n", [(1, 0), (1, 2), (2, 1), (3, 2)])
def test_ladder_translation_is_consistent(rungs, n):
    for D, _ in ladder_diagrams(rungs, n, alpha="sigma_y", beta="v_x"):
        lad = to_ladder(D)
        assert len(lad.rungs) == rungs
        assert flatten(lad) == walk(D)
        for left, right in lad.rungs:
            assert left[-1].token == "GR" and right[0].token == "GA"
        assert lad.core[0].token == "GR" and lad.core[-1].token == "GA"
        assert sum(f.token == "sx" for f in flatten(lad)) == n  # sigma_alpha is sy, not sx


def test_one_rung_ladder_by_hand():
    # Tr[sy · S(GR sx GR | I[GR vx GA] | GA sx GA)]: one sx outside the rung on each line
    (D,) = [D for D, _ in ladder_diagrams(1, 2, alpha="sigma_y")
            if D.graph["name"].endswith("R(1,0) A(1,0)")]
    lad = to_ladder(D)
    assert lad.outer == parse_word("sy")
    assert lad.rungs == ((parse_word("GR sx GR"), parse_word("GA sx GA")),)
    assert lad.core == parse_word("GR vx GA")


def test_to_word_refuses_ladders_and_self_energy():
    (D, _), = ladder_diagrams(1, 0)
    with pytest.raises(DiagramError, match="single momentum section; .* has 2 .*use to_ladder"):
        to_word(D)
    with pytest.raises(DiagramError, match="has 3"):
        to_word(born_self_energy())


def test_to_ladder_refuses_open_lines():
    with pytest.raises(DiagramError, match="is open"):
        to_ladder(next(pn_diagrams(1)))


def test_to_ladder_refuses_crossing_diagram():
    with pytest.raises(DiagramError, match="not a rung of a non-crossing R-A ladder"):
        to_ladder(crossed_pair())


def test_to_ladder_refuses_self_energy_on_one_line():
    (D, _), = ladder_diagrams(1, 0)
    D = D.copy()
    # reconnect: both ends of the impurity line on the R line (a Born self-energy insertion)
    D.remove_edge("iR1", "iA1")
    D.remove_edge("beta", "iA1")
    D.remove_edge("iA1", "alpha")
    D.remove_node("iA1")
    D.remove_edge("iR1", "beta")
    D.add_node("iR2", kind="impurity")
    D.add_edge("iR1", "iR2", kind="G", side="R", momentum="q1")
    D.add_edge("iR2", "beta", kind="G", side="R", momentum="p")
    D.add_edge("beta", "alpha", kind="G", side="A", momentum="p")
    D.add_edge("iR1", "iR2", kind="impurity", correlator="white-noise")
    with pytest.raises(DiagramError, match="not a rung .*both ends on one line"):
        to_ladder(D)


def test_to_ladder_refuses_spin_dependent_rungs():
    (D, _), = ladder_diagrams(1, 0)
    D = D.copy()
    D.edges["iR1", "iA1", 0]["correlator"] = "spin-dependent"
    with pytest.raises(DiagramError, match="'spin-dependent'; ladder rungs are white-noise"):
        to_ladder(D)


def test_translation_validates_first():
    D = next(bare_bubbles(1)).copy()
    D.nodes["x1"]["op"] = "sigma_y"
    with pytest.raises(DiagramError, match="insertion 'x1'"):
        to_word(D)
