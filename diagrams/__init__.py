"""Feynman diagrams of the paper as networkx data (Fig. 2-4, Appendix C).

A diagram is a :class:`networkx.MultiDiGraph` whose nodes are operator
insertions and whose edges are propagators and impurity lines; the vocabulary
is fixed in :mod:`streda.diagrams.vocabulary`.  Algorithms live in their own
modules: :mod:`~streda.diagrams.validate`, :mod:`~streda.diagrams.structure`,
:mod:`~streda.diagrams.enumerators`, :mod:`~streda.diagrams.isomorphism`,
:mod:`~streda.diagrams.translate`, :mod:`~streda.diagrams.layout` and
:mod:`~streda.diagrams.export`.

>>> from streda.diagrams import ladder_diagrams, to_ladder
>>> len(list(ladder_diagrams(1, 2)))      # C(2 + 3, 3)
10
"""
from .crossed import crossed_diagrams, naive_crossed
from .enumerators import (bare_bubbles, born_self_energy, crossed_pair, ladder_diagrams,
                          naive_ladders, pn_diagrams)
from .export import (ExportError, render, to_dot, to_latex_document, to_tikz_feynman, write_dot,
                     write_latex)
from .graph import (add_end, add_impurity, add_impurity_line, add_insertion, add_line,
                    add_propagator, add_vertex, new_diagram)
from .isomorphism import are_isomorphic, dedupe, diagram_hash
from .layout import layout
from .structure import (FermionLine, Section, dyson_prefactor, fermion_lines, insertion_count,
                        sections, traced_vertex)
from .translate import to_ladder, to_word
from .validate import is_valid, validate
from .vocabulary import (CORRELATORS, DIAGRAM_KINDS, EDGE_KINDS, NODE_KINDS, SIDES, VERTEX_OPS,
                         DiagramError)

__all__ = [
    "DiagramError", "DIAGRAM_KINDS", "NODE_KINDS", "EDGE_KINDS", "SIDES", "CORRELATORS",
    "VERTEX_OPS",
    "new_diagram", "add_vertex", "add_insertion", "add_impurity", "add_end", "add_propagator",
    "add_impurity_line", "add_line",
    "validate", "is_valid",
    "FermionLine", "Section", "fermion_lines", "sections", "traced_vertex", "insertion_count",
    "dyson_prefactor",
    "pn_diagrams", "bare_bubbles", "ladder_diagrams", "naive_ladders", "born_self_energy",
    "crossed_pair", "crossed_diagrams", "naive_crossed",
    "dedupe", "are_isomorphic", "diagram_hash",
    "to_word", "to_ladder",
    "layout", "to_dot", "write_dot", "render", "to_tikz_feynman", "to_latex_document",
    "write_latex",
    "ExportError",
]
