"""validate(): every refusal has its own test; every enumerated diagram passes."""
import networkx as nx
import pytest

from streda.diagrams import (DiagramError, add_end, add_impurity, add_impurity_line, add_insertion,
                             add_line, add_vertex, bare_bubbles, born_self_energy, crossed_pair,
                             is_valid, ladder_diagrams, new_diagram, pn_diagrams, validate)


def bubble():
    """Tr[sy GR sx GR vx GA] (nodes alpha, x1, beta)."""
    return list(bare_bubbles(1, alpha="sigma_y"))[1].copy()


def ladder2():
    """Two-rung ladder, no insertions: alpha iR1 iR2 beta iA2 iA1."""
    (D, _), = ladder_diagrams(2, 0, alpha="sigma_y")
    return D.copy()


def edge(D, u, v):
    (k,) = [k for k, d in D.get_edge_data(u, v).items() if d["kind"] == "G"]
    return D.edges[u, v, k]


def test_enumerated_diagrams_are_valid():
    diagrams = [*pn_diagrams(3), *bare_bubbles(3), born_self_energy("R"), born_self_energy("A"),
                crossed_pair(alpha="sigma_y")]
    diagrams += [D for k in range(4) for n in range(3) for D, _ in ladder_diagrams(k, n)]
    for D in diagrams:
        validate(D)
        assert is_valid(D)


def test_rejects_non_multidigraph():
    with pytest.raises(DiagramError, match="must be a networkx.MultiDiGraph, got DiGraph"):
        validate(nx.DiGraph(bubble()))


def test_rejects_missing_name():
    D = bubble()
    del D.graph["name"]
    with pytest.raises(DiagramError, match="has no name"):
        validate(D)


def test_rejects_unknown_diagram_kind():
    D = bubble()
    D.graph["kind"] = "tadpole"
    with pytest.raises(DiagramError, match="unknown kind 'tadpole'"):
        validate(D)


def test_rejects_empty_diagram():
    with pytest.raises(DiagramError, match="'void' has no nodes"):
        validate(new_diagram("void", "bubble"))


def test_rejects_unknown_node_kind():
    D = bubble()
    D.nodes["x1"]["kind"] = "blob"
    with pytest.raises(DiagramError, match="node 'x1' .* unknown kind 'blob'"):
        validate(D)


def test_rejects_unknown_vertex_op():
    D = bubble()
    D.nodes["beta"]["op"] = "v_z"
    with pytest.raises(DiagramError, match="vertex 'beta' .* unknown op 'v_z'"):
        validate(D)


def test_rejects_insertion_that_is_not_sigma_x():
    D = bubble()
    D.nodes["x1"]["op"] = "sigma_z"
    with pytest.raises(DiagramError, match="insertion 'x1' .* op 'sigma_z'"):
        validate(D)


def test_rejects_unknown_edge_kind():
    D = bubble()
    edge(D, "alpha", "x1")["kind"] = "photon"
    with pytest.raises(DiagramError, match=r"edge \('alpha', 'x1', 0\) .* unknown kind 'photon'"):
        validate(D)


def test_rejects_g_edge_without_side():
    D = bubble()
    del edge(D, "x1", "beta")["side"]
    with pytest.raises(DiagramError, match=r"G edge \('x1', 'beta', 0\) .* has no side"):
        validate(D)


def test_rejects_g_edge_with_invalid_side():
    D = bubble()
    edge(D, "x1", "beta")["side"] = "K"
    with pytest.raises(DiagramError, match=r"G edge \('x1', 'beta', 0\) .* invalid side 'K'"):
        validate(D)


def test_rejects_g_edge_without_momentum():
    D = bubble()
    del edge(D, "x1", "beta")["momentum"]
    with pytest.raises(DiagramError, match=r"G edge \('x1', 'beta', 0\) .* no momentum label"):
        validate(D)


def test_rejects_unknown_correlator():
    D = ladder2()
    D.edges["iR1", "iA1", 0]["correlator"] = "colored"
    with pytest.raises(DiagramError, match=r"line \('iR1', 'iA1', 0\) .* unknown correlator"):
        validate(D)


def test_rejects_impurity_line_loop():
    D = ladder2()
    D.remove_edge("iR1", "iA1")
    D.add_edge("iR1", "iR1", kind="impurity", correlator="white-noise")
    with pytest.raises(DiagramError, match="starts and ends at the same node"):
        validate(D)


def test_rejects_impurity_line_on_a_vertex():
    D = bubble()
    D.add_edge("x1", "beta", kind="impurity", correlator="white-noise")
    with pytest.raises(DiagramError, match="ends on insertion node 'x1', not an impurity node"):
        validate(D)


def test_rejects_dangling_fermion_line():
    D = bubble()
    D.remove_edge("x1", "beta")
    with pytest.raises(DiagramError, match="dangling fermion line at insertion node 'x1'.* 1/0"):
        validate(D)


def test_rejects_dangling_line_at_vertex():
    D = bubble()
    add_vertex(D, "extra", "sigma_z")
    with pytest.raises(DiagramError, match="dangling fermion line at vertex node 'extra'.* 0/0"):
        validate(D)


def test_rejects_end_node_with_two_edges():
    D = next(pn_diagrams(0)).copy()
    D.add_edge("gamma", "left", kind="G", side="A", momentum="p")
    with pytest.raises(DiagramError, match="end node 'left' .* G in/out degree 1/1"):
        validate(D)


def test_rejects_impurity_node_without_line():
    D = ladder2()
    D.remove_edge("iR1", "iA1")
    with pytest.raises(DiagramError, match="impurity node 'iR1' .* on 0 impurity lines"):
        validate(D)


def test_rejects_impurity_node_on_two_lines():
    D = ladder2()
    D.add_edge("iR1", "iA2", kind="impurity", correlator="white-noise")
    with pytest.raises(DiagramError, match="impurity node 'iR1' .* on 2 impurity lines"):
        validate(D)


def test_rejects_impurity_node_off_the_fermion_line():
    D = ladder2()
    add_impurity(D, "j1")
    add_impurity(D, "j2")
    add_impurity_line(D, "j1", "j2")
    with pytest.raises(DiagramError, match="dangling fermion line at impurity node 'j1'"):
        validate(D)


def test_rejects_side_change_at_insertion():
    D = bubble()
    edge(D, "x1", "beta")["side"] = "A"
    with pytest.raises(DiagramError, match="side changes from R to A at insertion node 'x1'"):
        validate(D)


def test_rejects_two_closed_loops():
    D = bubble()
    add_vertex(D, "a2", "sigma_z")
    add_vertex(D, "b2", "v_y")
    add_line(D, ["a2", "b2", "a2"], "RA", ["k", "k"])
    with pytest.raises(DiagramError, match="not a single cycle: 2 loops"):
        validate(D)


def test_rejects_loop_with_open_line():
    D = bubble()
    add_end(D, "e1")
    add_end(D, "e2")
    add_line(D, ["e1", "e2"], "R", ["k"])
    with pytest.raises(DiagramError, match="mixes a closed loop .* with an open line"):
        validate(D)


def test_rejects_disconnected_open_lines():
    D = next(pn_diagrams(0)).copy()
    add_end(D, "e1")
    add_end(D, "e2")
    add_line(D, ["e1", "e2"], "A", ["k"])
    with pytest.raises(DiagramError, match="is disconnected"):
        validate(D)


def test_rejects_mixed_momenta_in_one_section():
    D = bubble()
    edge(D, "x1", "beta")["momentum"] = "q"
    with pytest.raises(DiagramError, match="mixed momenta in one section.* carries 'p' but .* 'q'"):
        validate(D)


def test_rejects_unparsable_momentum():
    D = bubble()
    for u, v in (("alpha", "x1"), ("x1", "beta"), ("beta", "alpha")):
        edge(D, u, v)["momentum"] = "p**2"
    with pytest.raises(DiagramError, match="momentum label 'p\\*\\*2' is not a sum"):
        validate(D)


def test_rejects_momentum_running_through_impurity_node():
    D = born_self_energy().copy()
    edge(D, "i1", "i2")["momentum"] = "p"
    with pytest.raises(DiagramError, match="'p' runs unchanged through impurity node 'i1'"):
        validate(D)


def test_rejects_momentum_not_conserved_along_line():
    D = ladder2()
    edge(D, "iA2", "iA1")["momentum"] = "k"  # A side of the middle section
    with pytest.raises(DiagramError, match=r"not conserved along impurity line \('iR1', 'iA1'"):
        validate(D)


def test_rejects_dependent_white_noise_sections():
    # sections p, q1, p: the two rungs would carry opposite transfers, i.e. one momentum
    D = ladder2()
    for u, v in (("iR2", "beta"), ("beta", "iA2")):
        edge(D, u, v)["momentum"] = "p"
    with pytest.raises(DiagramError, match="2 impurity lines .* only 1 independent momentum"):
        validate(D)


def test_rejects_wrong_stored_order():
    D = bubble()
    D.graph["order"] = 2
    with pytest.raises(DiagramError, match="stores order=2 but has 1 sigma_x insertions"):
        validate(D)


def test_rejects_wrong_stored_prefactor():
    D = bubble()
    D.graph["prefactor"] = 1
    with pytest.raises(DiagramError, match=r"stores prefactor=1 but .* \(-1\)\^1 = -1"):
        validate(D)


def test_rejects_bubble_with_impurity_lines():
    D = ladder2()
    D.graph["kind"] = "bubble"
    with pytest.raises(DiagramError, match="bubble .* has impurity line"):
        validate(D)


def test_builders_refuse_bad_arguments():
    D = new_diagram("d", "bubble")
    add_vertex(D, "a", "sigma_x")
    with pytest.raises(DiagramError, match="node 'a' already exists"):
        add_insertion(D, "a")
    with pytest.raises(DiagramError, match="invalid side 'X'"):
        add_line(D, ["a", "a"], "X", ["p"])
    with pytest.raises(DiagramError, match="missing node 'b'"):
        add_line(D, ["a", "b"], "R", ["p"])
    with pytest.raises(DiagramError, match="unknown diagram kind 'loop'"):
        new_diagram("d", "loop")
    with pytest.raises(DiagramError, match="unknown correlator 'gauss'"):
        add_impurity_line(D, "a", "a", correlator="gauss")


def test_crossing_diagram_is_valid_vocabulary():
    # extensibility: a crossing diagram needs no new vocabulary, only consistent labels
    D = crossed_pair(alpha="sigma_y")
    validate(D)
    edge(D, "iA1", "iA2")["momentum"] = "p"  # would pretend momentum conservation fails
    with pytest.raises(DiagramError, match="not conserved"):
        validate(D)
