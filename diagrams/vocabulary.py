"""The vocabulary of streda diagrams: which node, edge and graph attributes exist.

A diagram is a :class:`networkx.MultiDiGraph`; this module only *names* the
allowed attribute values (the data model), builders live in
:mod:`streda.diagrams.graph` and algorithms in the other modules.

Graph attributes
    ``name`` (non-empty str), ``kind`` in :data:`DIAGRAM_KINDS`, optional
    ``description``; enumerators also store ``order`` (number n of σ_x
    insertions, the power of M_x) and ``prefactor`` = (−1)^n, the Dyson
    coefficient, see :func:`streda.diagrams.structure.dyson_prefactor`.

Nodes (operator insertions), attribute ``kind`` in :data:`NODE_KINDS`
    * ``"vertex"``: an external vertex; attribute ``op`` in :data:`VERTEX_OPS`.
      ``p_x``/``p_y`` are the kinetic vertex Γ^p = p/m_e (Eq. C6a), ``v_x``/``v_y``
      the bare velocity v = p/m_e + α_R ẑ×σ (Eq. 9).
    * ``"insertion"``: a σ_x of the in-plane exchange field, one order of the
      Dyson series G = G0 − M_x G0 σ_x G (Sec. II.B; squares in Fig. 4);
      attribute ``op="sigma_x"``.
    * ``"impurity"``: the end point of one impurity line (Fig. 2a, 3).
    * ``"end"``: an open end of a fermion line (no operator).  Open lines
      (the P^(n) terms of Eq. C9, the self-energy legs of Fig. 2a) start at an
      ``end`` node with one outgoing G edge and stop at one with one incoming.

Edges, attribute ``kind`` in :data:`EDGE_KINDS`
    * ``"G"``: a Born-averaged propagator; ``side`` in :data:`SIDES`
      (G^R or G^A, Eq. C2) and ``momentum``, a free-form label (``"p"``,
      ``"q1"``, ...).  **Direction = operator order**: an edge u → v means the
      propagator stands between u (left) and v (right) in the word, so a closed
      line reads Tr[σ_α G^R … v_β G^A …] when followed from the traced vertex
      σ_α around and back to it.
    * ``"impurity"``: one disorder line between two ``impurity`` nodes,
      ``correlator`` in :data:`CORRELATORS` (``"white-noise"``, ⟨VV⟩ =
      δ(r−r')/(m_e τ), is the paper's; ``"spin-dependent"`` is only a label
      for negative controls).  Its direction carries no physics (rungs are
      drawn from the R line to the A line).

Momentum labels are integer sums of momentum names (``"p"``, ``"q1"``,
``"p+q2-q1"``).  A *section* is the run of G edges between two consecutive
impurity nodes of a line; it carries one momentum (vertices and insertions
conserve it, the response is uniform).  Each impurity line transfers a
momentum that is conserved along the line and, for white noise, is an
independent integration variable (see
:func:`streda.diagrams.structure.transfer`; checked by
:func:`streda.diagrams.validate.validate`).

Extending without changing the vocabulary
    * *Crossing diagrams* are closed lines whose impurity lines connect
      impurity nodes in crossing order; they use the same nodes and edges,
      kind ``"ladder"``, and momentum labels such as ``"p+q2-q1"`` for the
      sections fixed by momentum conservation.  Whether a diagram is
      non-crossing is *computed* (:func:`streda.diagrams.translate.to_ladder`
      refuses crossing ones), never stored.
    * *Diffusons* (Fig. 3c) are two open lines, one R and one A, each with two
      ``end`` nodes, joined by rungs: kind ``"ladder"``, validated by the same
      rules (open lines may number more than one; only closed loops must be
      a single cycle).
    * A new correlator or vertex operator is one more entry in
      :data:`CORRELATORS` / :data:`VERTEX_OPS` (and in :data:`OP_TOKENS`).

>>> sorted(NODE_KINDS)
['end', 'impurity', 'insertion', 'vertex']
>>> OP_TOKENS["v_x"], OP_TOKENS["sigma_0"]
('vx', 's0')
"""
from __future__ import annotations

__all__ = [
    "DiagramError", "DIAGRAM_KINDS", "NODE_KINDS", "EDGE_KINDS", "SIDES", "CORRELATORS",
    "VERTEX_OPS", "INSERTION_OPS", "OP_TOKENS", "WHITE_NOISE",
]


class DiagramError(ValueError):
    """A malformed diagram or a bad request to build one (one-line message)."""


#: graph attribute ``kind``
DIAGRAM_KINDS = ("bubble", "ladder", "self-energy")
#: node attribute ``kind``
NODE_KINDS = ("vertex", "insertion", "impurity", "end")
#: edge attribute ``kind``
EDGE_KINDS = ("G", "impurity")
#: G edge attribute ``side``: retarded or advanced
SIDES = ("R", "A")
#: the paper's disorder correlator
WHITE_NOISE = "white-noise"
#: impurity-line attribute ``correlator``
CORRELATORS = (WHITE_NOISE, "spin-dependent")
#: external vertex operators (node attribute ``op``) and their word tokens
OP_TOKENS = {
    "sigma_x": "sx", "sigma_y": "sy", "sigma_z": "sz", "sigma_0": "s0",
    "v_x": "vx", "v_y": "vy", "p_x": "px", "p_y": "py",
}
VERTEX_OPS = tuple(OP_TOKENS)
#: the only operator an ``insertion`` node may carry (the M_x σ_x term)
INSERTION_OPS = ("sigma_x",)
