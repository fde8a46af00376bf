"""Spin-dependent disorder V(1 + uσ_z): the vertex ΛXΛ and the dressed K, by a second route.

* Λ X Λ with Λ = 1 + uσ_z against explicit numpy 2x2 products: for X = x₀ + x·σ,
  ΛσxΛ = (1 − u²)σ_x (σ_zσ_xσ_z = −σ_x), likewise σ_y, and Λ1Λ = 1 + u² + 2uσ_z.
* The dressed K^(0) (Eq. C5a with Λ, no M_x) by an independent route: the open integrals
  ∫G^R σ_j G^A and ∫G^R v G^A by the mpmath quadrature path (Born self-energy
  −iγ₀(1 + u² + 2uσ_z), i.e. γ = γ₀(1 + u²), γ_z = 2uγ₀), the rung L(X) = α_d Λ[∫G^R X G^A]Λ
  with α_d = 2γ₀ built from numpy matrices, and the vertex equation D = L(v + D) solved by
  least squares (the charge channel is the diffusion pole).  Then K_αβ = Tr σ_α ∫G^R(v + D)G^A
  (reduced, m = 1).  The engine's u-dependence K(u) − K(0) must agree, and it is O(u²)
  (Λ enters the spin channel as 1 − u², the self-energy as 1 + u²).
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np
import pytest
import sympy

from streda.integrals import evaluate as ev
from streda.integrals.ladder import Disorder, _lam, dressed_K_numeric
from streda.integrals.model import RashbaModel
from streda.integrals.pointwise import BallBackend, to_acb
from streda.integrals.quadrature import integrate_word_quad

S = {"0": np.eye(2, dtype=complex), "x": np.array([[0, 1], [1, 0]], dtype=complex),
     "y": np.array([[0, -1j], [1j, 0]], dtype=complex), "z": np.array([[1, 0], [0, -1]], dtype=complex)}
G0, DELTA, MZ, EPS = sympy.Rational(1, 10), sympy.Rational(3, 10), sympy.Rational(2, 5), 1


def _mat(c):
    return sum(complex(c[k]) * S[k] for k in "0xyz")


def _comps(A):
    return {k: np.trace(S[k] @ A) / 2 for k in "0xyz"}


@pytest.mark.parametrize("u", [0.5, -0.3, 1.7])
def test_lambda_x_lambda_against_explicit_products(u):
    rng = np.random.default_rng(7)
    X = {k: complex(*rng.normal(size=2)) for k in "0xyz"}
    Lam = S["0"] + u * S["z"]
    want = _comps(Lam @ _mat(X) @ Lam)
    got = _lam(u)(X)
    for k in "0xyz":
        assert abs(got[k] - want[k]) < 1e-12, (u, k)


@lru_cache(maxsize=None)
def _independent_K0(u, rows="xyz", col="x", dps=8):
    pt = RashbaModel.from_string(f"eps={EPS},Delta={DELTA},Mz={MZ}", gamma=G0 * (1 + u * u),
                                 gamma_z=2 * u * G0)
    I = {j: _mat(integrate_word_quad(f"GR s{j} GA", pt, dps=dps)) for j in "0xyz"}
    Iv = _mat(integrate_word_quad(f"GR v{col} GA", pt, dps=dps))
    ad = 2 * float(G0)
    Lam = S["0"] + float(u) * S["z"]
    # columns: L applied to σ_j, as component vectors
    Lm = np.array([[_comps(ad * Lam @ I[j] @ Lam)[i] for j in "0xyz"] for i in "0xyz"])
    src = np.array([_comps(ad * Lam @ Iv @ Lam)[i] for i in "0xyz"])
    D, *_ = np.linalg.lstsq(np.eye(4) - Lm, src, rcond=None)
    assert np.abs((np.eye(4) - Lm) @ D - src).max() < 1e-9          # solvable: no charge source
    Y = Iv + sum(D[n] * I[j] for n, j in enumerate("0xyz"))
    return {r: 2 * _comps(Y)[r] for r in rows}


def _engine_K0(u, rows="xyz", col="x"):
    u = sympy.nsimplify(u)
    with ev.flint_precision(30):
        B = BallBackend(EPS, G0 * (1 + u * u), DELTA, MZ, 2 * u * G0)
        return {r: complex(float(v.real.mid().str(20, radius=False)), float(v.imag.mid().str(20, radius=False)))
                for r in rows for v in [dressed_K_numeric(B, r, col, 0, Disorder(u),
                                                          alpha_d_value=to_acb(2 * G0))[0]]}


def test_dressed_K_spin_dependent_against_independent_route():
    ind0, ind = _independent_K0(0), _independent_K0(sympy.Rational(1, 2))
    eng0, eng = _engine_K0(0), _engine_K0(sympy.Rational(1, 2))
    scale = max(abs(v) for v in ind.values())
    assert scale > 0.1
    for r in "xyz":
        assert abs(eng[r] - ind[r]) < 1e-7 * scale, (r, eng[r], ind[r])
    # the change is large at u = 1/2 (K_yx drops from √Δ/γ₀ ≈ 5.5 to ≈ 0.54), so a wrong
    # vertex cannot hide in it
    assert abs(eng["y"] - eng0["y"]) > 0.5 * abs(eng0["y"])
    for r in "xy":
        assert abs((eng[r] - eng0[r]) - (ind[r] - ind0[r])) < 1e-7 * scale


def test_u_squared_change_of_dressed_K_by_second_differences():
    """The O(u²) part of the engine's u-dependence, [K(u) + K(−u) − 2K(0)]/u² (the part the
    vertex factor 1 − u² feeds; γ_z = 2uγ₀ also gives a linear term, which cancels here), at
    u = 1/10 and 1/20: it settles (O(u²) corrections), and the independent route gives it too."""
    def second(f, u):
        return (f(u) + f(-u) - 2 * f(0)) / float(u) ** 2

    eng = lambda u: _engine_K0(u, rows="y")["y"]                                   # noqa: E731
    ind = lambda u: _independent_K0(u, rows="y")["y"]                              # noqa: E731
    a, b = second(eng, sympy.Rational(1, 10)), second(eng, sympy.Rational(1, 20))
    assert abs(b) > 1
    assert abs(a - b) < 0.1 * abs(b)
    assert abs(second(ind, sympy.Rational(1, 10)) - a) < 1e-5 * abs(a)


@lru_cache(maxsize=None)
def _independent_K1(u, col="y", dps=8):
    """Order M_x¹ by hand.  With G = G₀ − M_x G₀σ_xG₀ and Γ = v + D₀ + M_x D₁:
    Y₁ = −∫(G^Rσ_xG^R Γ₀ G^A + G^R Γ₀ G^A σ_xG^A),  (1 − L) D₁ = α_d Λ Y₁ Λ,
    K^(1)_α = Tr σ_α [Y₁ + ∫G^R D₁ G^A] (reduced, m = 1)."""
    pt = RashbaModel.from_string(f"eps={EPS},Delta={DELTA},Mz={MZ}", gamma=G0 * (1 + u * u),
                                 gamma_z=2 * u * G0)
    q = lambda w: _mat(integrate_word_quad(w, pt, dps=dps))                      # noqa: E731
    I = {j: q(f"GR s{j} GA") for j in "0xyz"}
    Iv = q(f"GR v{col} GA")
    ad, Lam = 2 * float(G0), S["0"] + float(u) * S["z"]
    Lm = np.array([[_comps(ad * Lam @ I[j] @ Lam)[i] for j in "0xyz"] for i in "0xyz"])

    def solve(Y):
        src = np.array([_comps(ad * Lam @ Y @ Lam)[i] for i in "0xyz"])
        D, *_ = np.linalg.lstsq(np.eye(4) - Lm, src, rcond=None)
        return D

    D0 = solve(Iv)
    Y1 = -(q(f"GR sx GR v{col} GA") + q(f"GR v{col} GA sx GA"))
    for n, j in enumerate("0xyz"):
        if abs(D0[n]) > 1e-14:
            Y1 = Y1 - D0[n] * (q(f"GR sx GR s{j} GA") + q(f"GR s{j} GA sx GA"))
    D1 = solve(Y1)
    tot = Y1 + sum(D1[n] * I[j] for n, j in enumerate("0xyz"))
    return {r: 2 * _comps(tot)[r] for r in "xyz"}


@pytest.mark.slow
def test_first_order_in_Mx_with_spin_dependent_disorder():
    """Spin-dependent disorder breaks the cancellation of Eq. (16): K^(1)_zy ≠ 0.  Its value
    from the engine's ladder solver against the order-1 vertex equation written by hand."""
    u = sympy.Rational(1, 2)
    ind = _independent_K1(u)
    with ev.flint_precision(30):
        B = BallBackend(EPS, G0 * (1 + u * u), DELTA, MZ, 2 * u * G0)
        eng = {r: dressed_K_numeric(B, r, "y", 1, Disorder(u), alpha_d_value=to_acb(2 * G0))[1] for r in "xyz"}
    eng = {r: complex(float(v.real.mid().str(20, radius=False)), float(v.imag.mid().str(20, radius=False)))
           for r, v in eng.items()}
    scale = max(abs(v) for v in ind.values())
    assert abs(ind["z"]) > 0.1                        # the cancellation is broken
    for r in "xyz":
        assert abs(eng[r] - ind[r]) < 1e-7 * scale, (r, eng[r], ind[r])
