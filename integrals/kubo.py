"""Kubo–Středa tensors from diagrams: the spin susceptibility K (Eq. 9) and σ (Eq. 13).

    K_αβ = e/8π ∫ Tr[σ_α (G^R − G^A) v_β G^A − σ_α G^R v_β (G^R − G^A)]
         = e/8π (2·RA − RR − AA),   RA = ∫ Tr σ_α G^R v_β G^A, ...
    σ_αβ = e²/4π (2·RA − RR − AA)   with v_α in place of σ_α.

The order-M_x^k coefficient is the sum of the k+1 bare bubbles of Fig. 2(b)
(:func:`bubble_ladders`; drawn by ``streda.diagrams.bare_bubbles``), each with its Dyson sign (−1)^k; the
"dressed" tensors add non-crossing ladders (:mod:`streda.integrals.ladder`).

With ξ over the whole real axis the RR and AA terms are *not* dropped: each is
computed.  For K they vanish identically (all poles on one side, integrand
decaying like ξ^−2); for σ the integrand of the RR/AA terms decays only like
1/ξ and the symmetric cut-off leaves the arc term (METHOD-HINTS fact 4) -- the
engine reports it.

Entries are returned as "reduced" values r (m_e = 1, e = 1, without the 1/π):
the physical entry is ``prefactor(kind) · r`` with prefactor e/8π (K) or e²/4π (σ),
times m_e^{1−k/2} for k velocity vertices (see :func:`physical_factor`).

>>> physical_factor("K")
e*sqrt(m_e)/(8*pi)
>>> [f.token for f in swap_sides(bubble_ladders("K", "y", "x", 1)[0][0].core, "R")]
['GR', 'vx', 'GR', 'sx', 'GR']
"""
from __future__ import annotations

from functools import lru_cache

import sympy

from . import model as M
from .backend import Backend
from .bubble import integrate_word
from .cx import Cx
from .word import Factor, Ladder, parse_word

__all__ = ["ROWS", "COLS", "PARTS", "ladder_value", "bubble_ladders", "tensor_order",
           "physical_factor", "alpha_d", "swap_sides"]

ROWS = {"K": ("x", "y", "z"), "sigma": ("x", "y")}
COLS = ("x", "y")
PARTS = ("RA", "RR", "AA")


def alpha_d(B: Backend):
    """α_d = 1/(m_e τ) = 2γ (m_e = 1) in the backend: 2γ = (E − Ē)/i with E, Ē from (s, t).

    Each backend computes it in its own value type (:meth:`Backend.alpha_d`)."""
    return B.alpha_d()


def _trace2(vals):
    """Tr Y = 2 Y_0."""
    v = vals["0"]
    return v + v


def ladder_value(lad: Ladder, B: Backend):
    """Tr[outer · S_k(… S_1(I[core]) …)] (reduced, m_e = 1), see :class:`Ladder`.

    Rungs are scalar white noise; spin-dependent rungs live in :mod:`streda.integrals.ladder`.
    """
    labels = ("0", "x", "y", "z")
    if not lad.rungs:
        return _trace2(integrate_word(tuple(lad.outer) + tuple(lad.core), B))
    ad = alpha_d(B)
    X = integrate_word(tuple(lad.core), B)
    for j, (left, right) in enumerate(lad.rungs):
        last = j == len(lad.rungs) - 1
        new = {lab: B.zero_value() for lab in labels} if not last else B.zero_value()
        for i in labels:
            if _is_zero(X[i]):
                continue
            word = tuple(left) + (Factor("sigma", i),) + tuple(right)
            if last:
                tr = _trace2(integrate_word(tuple(lad.outer) + word, B))
                new = new + X[i] * tr
            else:
                Y = integrate_word(word, B)
                for lab in labels:
                    new[lab] = new[lab] + X[i] * Y[lab]
        if last:
            return new * ad
        X = {lab: v * ad for lab, v in new.items()}
    raise AssertionError("unreachable")


def _is_zero(v) -> bool:
    if isinstance(v, Cx):
        return v.is_zero()
    return v == 0


def swap_sides(word, new: str):
    """The word with every Green's function replaced by G^new (RA → RR or AA terms)."""
    return tuple(Factor("G", new) if f.kind == "G" else f for f in word)


@lru_cache(maxsize=None)
def bubble_ladders(kind: str, row: str, col: str, order: int):
    """[(Ladder, Dyson sign)] of the order-M_x^k bare bubbles of entry (row, col) (Fig. 2b):
    Tr σ_α (G^R σ_x)^m G^R v_β G^A (σ_x G^A)^(k−m), m = 0..k, each with sign (−1)^k, from
    G(M_x) = Σ_n G(M_x σ_x G)^n on both lines.  Plain words: ``integrals`` does not read
    graphs.  The enumerator :func:`streda.diagrams.bare_bubbles` draws the same terms
    (``tests/test_kubo.py`` checks they are equal, term by term).

    >>> [str(lad) for lad, _ in bubble_ladders("K", "y", "x", 1)]
    ['Tr[sy · S0] with S0 = I[GR vx GA sx GA]', 'Tr[sy · S0] with S0 = I[GR sx GR vx GA]']
    """
    outer = parse_word(("s" if kind == "K" else "v") + row)
    return tuple((Ladder(core=parse_word(" ".join(["GR sx"] * m + ["GR", "v" + col, "GA"] + ["sx GA"] * (order - m))),
                         rungs=(), outer=outer), (-1) ** order) for m in range(order + 1))


def tensor_order(kind: str, order: int, B: Backend, parts=PARTS) -> dict:
    """{(row, col): {part: reduced value}} of the bare tensor at order M_x^order.

    Each part is Σ_diagrams sign · Tr[...] over the bare bubbles; ``RR``/``AA`` use
    the same words with all Green's functions retarded/advanced.
    """
    out = {}
    for row in ROWS[kind]:
        for col in COLS:
            entry = {}
            for part in parts:
                acc = B.zero_value()
                for lad, sign in bubble_ladders(kind, row, col, order):
                    if part != "RA":
                        lad = Ladder(core=swap_sides(lad.core, part[0]), rungs=lad.rungs,
                                     outer=swap_sides(lad.outer, part[0]))
                    v = ladder_value(lad, B)
                    acc = acc + (v if sign == 1 else -v)
                entry[part] = acc
            out[(row, col)] = entry
    return out


def physical_factor(kind: str, m=M.m_e, e=M.e_charge):
    """The factor turning 2·RA − RR − AA (reduced) into the physical entry."""
    if kind == "K":
        return e / (8 * sympy.pi) * m ** sympy.Rational(1, 2)
    return e ** 2 / (4 * sympy.pi)
