"""Ladder dressing of the Kubo–Středa bubbles: when Γ = p/m holds, and the dressed entries.

The dressed current vertex solves (Eq. C5a, correlator W of :mod:`streda.integrals.disorder`)

    Γ_β = v_β + α_d0 Σ_ab W_ab σ_a [∫ G^A Γ_β G^R] σ_b.

For scalar disorder and a model whose velocity is v = p/m_e + (constant spin part),
Γ = p/m_e solves it exactly iff  α_d ∫ G^A (p_β/m) G^R = p_β/m − v_β  (both sides
momentum independent after the integral) -- an exact identity checked by the exact
engine for the model at hand (:func:`closed_form_vertex_holds`), not assumed.  Then
the order-n vertex source is α_d(−1)^n P^(n) and

    K^(n)_αβ = (e/4π)·(−1)^n Tr σ_α P^(n)_β · √m_e,                (Eq. 16, C7)

(:func:`dressed_K_value` returns the reduced (−1)^n Tr σ_α P^(n)_β).  Otherwise (magnetic
disorder, or a model for which the identity fails) the general ladder solver of
:mod:`streda.integrals.ladder` must be used.

>>> closed_form_vertex_holds("rashba")
True
>>> from streda.integrals.disorder import Disorder
>>> closed_form_vertex_holds("rashba", Disorder.magnetic(uz=1))
False
"""
from __future__ import annotations

from functools import lru_cache

import sympy

from .backend import Backend
from .bubble import integrate_sum, integrate_word
from .cx import Cx
from .kubo import alpha_d
from .ladder import chain_terms
from .word import Factor, parse_word

__all__ = ["vertex_residual", "closed_form_vertex_holds", "dressed_K_value", "dressed_sigma_parts",
           "dressed_sigma_numeric"]


def vertex_residual(beta: str, model="rashba") -> dict:
    """v_β + α_d ∫ G^A (p_β/m) G^R − p_β/m: exact Pauli components (m_e = 1, scalar disorder).

    All zero iff Γ^p = p/m solves (C5a).  The spin part of v − p/m is read off the model's
    velocity ∂H/∂p: it must be (rational)·α_R times a Pauli matrix, else ValueError.
    """
    from . import evaluate as ev
    from . import model as M
    from .exact import KFrac
    from .models import get_model, px, py

    mod = get_model(model)
    B = ev.exact_backend(False, model)
    ad = alpha_d(B)
    vals = integrate_word(parse_word(f"GA p{beta} GR"), B)
    res = {k: v * ad for k, v in vals.items()}
    V = mod.velocity(beta).subs({M.m_e: 1})
    spin = V - sympy.eye(2) * {"x": px, "y": py}[beta]
    comps = {"0": (spin[0, 0] + spin[1, 1]) / 2, "x": (spin[0, 1] + spin[1, 0]) / 2,
             "y": (spin[1, 0] - spin[0, 1]) / (2 * sympy.I), "z": (spin[0, 0] - spin[1, 1]) / 2}
    for k, c in comps.items():
        c = sympy.nsimplify(sympy.expand(c))
        if c == 0:
            continue
        r = sympy.nsimplify(c / M.alpha_R)
        if not r.is_Rational:
            raise ValueError(f"the spin part of v_{beta} - p/m is not a rational multiple of alpha_R: {c}")
        res[k] = res[k] + Cx(KFrac(B, r.p * B.a) if r.q == 1 else KFrac(B, r.p * B.a, sympy.Rational(1, r.q)))
    return res


@lru_cache(maxsize=None)
def closed_form_vertex_holds(model="rashba", disorder=None) -> bool:
    """Whether Γ = p/m_e solves the vertex equation exactly for ``model`` and ``disorder``.

    Scalar disorder only (a spin-dependent rung mixes spin into the charge vertex); then the
    exact engine decides through :func:`vertex_residual` for both current directions.
    """
    if disorder is not None and disorder.spin_dependent:
        return False
    try:
        return all(all(v.is_zero() for v in vertex_residual(b, model).values()) for b in "xy")
    except ValueError:
        return False


def dressed_K_value(n: int, row: str, col: str, B: Backend):
    """Reduced dressed K^(n)_{row,col} = (−1)^n Tr σ_row P^(n)_col (m_e = 1) on backend ``B``.

    Valid once Γ^p = p/m is known to solve (C5a) (:func:`closed_form_vertex_holds`): then the
    order-n vertex source is α_d(−1)^n P^(n) and every higher vertex correction vanishes."""
    terms = [(chain_terms(a, (Factor("p", col),), n - a), (-1) ** n) for a in range(n + 1)]
    v = integrate_sum(terms, B)[row]
    return v + v


def dressed_sigma_parts(n: int, row: str, col: str, B: Backend) -> dict:
    """Reduced dressed σ^(n) parts: RA with the dressed vertex Γ^p, bare RR and AA (m_e = 1).

    The physical entry is (e²/4π)(2 RA − RR − AA)."""
    vout = (Factor("v", row),)

    def tr(terms):
        v = integrate_sum(terms, B)["0"]
        return v + v

    ra = tr([(vout + chain_terms(a, (Factor("p", col),), n - a), (-1) ** n) for a in range(n + 1)])
    parts = {"RA": ra}
    for side in ("R", "A"):
        g = "GR" if side == "R" else "GA"
        terms = []
        for a in range(n + 1):
            w = " ".join([f"{g} sx"] * a + [g, f"v{col}", g] + [f"sx {g}"] * (n - a))
            terms.append((vout + parse_word(w), (-1) ** n))
        parts[side * 2] = tr(terms)
    return parts



def dressed_sigma_numeric(B: Backend, alpha: str, beta: str, order: int, disorder, alpha_d_value=None) -> list:
    """Reduced dressed RA part of σ^(n)_{αβ}, n = 0..order, from the general ladder solver (any correlator).

    RA = Tr v_α ∫ Ḡ^R Γ_β Ḡ^A at order M_x^n, with Γ_β = v_β + D^(b) the dressed vertex of
    :func:`streda.integrals.ladder.dressed_vertex_numeric` (momentum-free D^(b) solving
    (1 − L) D = source, the rung X → Σ W_ab σ_a X σ_b of ``disorder``); RR and AA stay bare
    (as for scalar disorder, :func:`dressed_sigma_parts`; take them from
    :func:`streda.integrals.kubo.tensor_order`).  Returns ``[RA^(0), ..., RA^(order)]``; the
    physical entry is (e²/4π)(2 RA − RR − AA).  For scalar disorder RA equals the one of
    :func:`dressed_sigma_parts` (Γ = p/m): a test compares the two routes.
    """
    from .ladder import dressed_vertex_numeric

    Ds = dressed_vertex_numeric(B, beta, order, disorder, alpha_d_value)
    vout = (Factor("v", alpha),)
    out = []
    for n in range(order + 1):
        terms = [(vout + chain_terms(a, (Factor("v", beta),), n - a), (-1) ** n) for a in range(n + 1)]
        ra = integrate_sum(terms, B)["0"]
        for b in range(n + 1):
            for j, dj in Ds[b].items():
                if _is_zero(dj):
                    continue
                terms = [(vout + chain_terms(a, (Factor("sigma", j),), n - b - a), (-1) ** (n - b))
                         for a in range(n - b + 1)]
                ra = ra + dj * integrate_sum(terms, B)["0"]
        out.append(ra + ra)                                   # Tr X = 2 X_0
    return out


def _is_zero(v) -> bool:
    from .cx import SelfZero

    return v.is_zero() if isinstance(v, (Cx, SelfZero)) else v == 0
