"""Magnetic white noise V(1 + u·σ): the correlator's Born self-energy, rung and the torques.

Independent expectations: the Born self-energy Σ = −i(γ + γ_vec·σ) claimed by
:meth:`Disorder.born` is checked for self-consistency with the independent quadrature path
(α_d0 Σ_ab W_ab σ_a ∫G^R σ_b computed by mpmath, with G^R built from the model's H and that
same Σ); the rung against explicit 2x2 matrix products written here.
"""
from __future__ import annotations

import mpmath
import pytest
import sympy

from streda.integrals.disorder import SCALAR, Disorder, parse_disorder
from streda.integrals.model import ModelError
from streda.integrals.models import get_model
from streda.integrals.quadrature import integrate_word_quad

PAULI = {"0": sympy.eye(2), "x": sympy.Matrix([[0, 1], [1, 0]]),
         "y": sympy.Matrix([[0, -sympy.I], [sympy.I, 0]]), "z": sympy.diag(1, -1)}


def _mat(c):
    return sum((c[k] * PAULI[k] for k in "0xyz"), sympy.zeros(2, 2))


@pytest.mark.parametrize("u", [(0, 0, sympy.Rational(3, 10)), (sympy.Rational(1, 5), sympy.Rational(-1, 3), sympy.Rational(1, 2))])
def test_rung_is_lambda_X_lambda(u):
    """Σ W_ab σ_a X σ_b = (1 + u·σ) X (1 + u·σ), by explicit matrices."""
    d = Disorder.magnetic(*u)
    X = {"0": sympy.Rational(2), "x": sympy.Rational(-1, 7), "y": sympy.Rational(3), "z": sympy.Rational(5, 3)}
    lam = sympy.eye(2) + sum((ui * PAULI[k] for ui, k in zip(u, "xyz")), sympy.zeros(2, 2))
    want = lam * _mat(X) * lam
    assert sympy.simplify(_mat(d.rung(X)) - want) == sympy.zeros(2, 2)
    # the general route (no closed form for u ∥ z) gives the same
    W = Disorder(W=d.W)
    assert sympy.simplify(_mat(W.rung(X)) - want) == sympy.zeros(2, 2)


@pytest.mark.parametrize("u", [(0, 0, sympy.Rational(3, 10)), (0, 0, sympy.Rational(-7, 5))])
def test_born_self_energy_is_self_consistent_by_quadrature(u):
    """α_d0 Σ_ab W_ab σ_a (∫G^R) σ_b with G^R carrying Σ equals Σ: γ and γ_vec of born()."""
    d = Disorder.magnetic(*u)
    pt = get_model("rashba").point("eps=1,gamma=1/10,Delta=3/10,Mz=2/5")
    born = d.born(pt["gamma"])
    I = integrate_word_quad("GR", pt, dps=15, disorder=d)
    lhs = d.rung({k: sympy.Float(mpmath.re(I[k]), 20) + sympy.I * sympy.Float(mpmath.im(I[k]), 20) for k in "0xyz"})
    ad0 = d.alpha_d0(pt["gamma"], pt["m"])
    want = {"0": -sympy.I * born[0], "x": -sympy.I * born[1], "y": -sympy.I * born[2], "z": -sympy.I * born[3]}
    for k in "0xyz":
        assert abs(complex(ad0 * lhs[k] - want[k])) < 1e-12, k


def test_control_wrong_born_self_energy_is_not_consistent():
    """Failing control: with γ_z dropped from G (scalar self-energy), α_d0 W∫G ≠ the magnetic Σ... but
    the scalar Σ is reproduced only without the σ_z part: the magnetic Σ has γ_z ≠ 0."""
    d = Disorder.magnetic(uz=sympy.Rational(3, 10))
    pt = get_model("rashba").point("eps=1,gamma=1/10,Delta=3/10,Mz=2/5")
    I = integrate_word_quad("GR", pt, dps=15, disorder=SCALAR)
    ad0 = 2 * pt["gamma"]                       # the scalar strength, as if u were ignored
    assert abs(complex(ad0 * I["0"]) + 0.1j) < 1e-12      # scalar Born: −iγ
    assert d.born(pt["gamma"])[3] != 0                      # ... the magnetic one has γ_z ≠ 0


def test_parse_disorder():
    assert parse_disorder("scalar") is SCALAR
    assert parse_disorder("magnetic:uz=1/2").u_vec == (0, 0, sympy.Rational(1, 2))
    for bad in ("magnetic:uz", "electric", "magnetic:q=1", "magnetic:uz=abc"):
        with pytest.raises(ModelError):
            parse_disorder(bad)


def test_in_plane_magnetic_disorder_is_refused_by_the_quadrature_path():
    """In-plane u gives Σ an in-plane part: det G^-1 depends on φ and the trapezoid is no longer
    exact, so the path refuses (one line) instead of returning wrong numbers."""
    from streda.integrals.quadrature import QuadratureError

    pt = get_model("rashba").point()
    with pytest.raises(QuadratureError, match="along z"):
        integrate_word_quad("GR", pt, dps=15, disorder=Disorder.magnetic(ux=sympy.Rational(1, 5)))


def test_torque_limit_formulas_against_the_solved_ansatz():
    """a..d of verify/magnetic.py (m_x → 0 limits) against solve_coefficients (the ansatz (7)
    solved at a small finite M_x with the M_x series of the engine's K): equal up to O(m_x²)."""
    from streda.integrals import tensor
    from streda.verify.magnetic import torque_coefficients_mx0
    from streda.verify.torques import solve_coefficients

    r = tensor("K", params="eps=1,gamma=1/10,Delta=3/10,Mz=2/5", dressing="ladder", mx_order=4, dps=30,
               disorder="magnetic:uz=3/10")
    vals = r.values()
    lead = {(k, e): (vals[k][e].real, mpmath.mpf(0)) for k in vals for e in vals[k]}
    limit = {n: v[0] for n, v in torque_coefficients_mx0(lead, mpmath.mpf("0.4")).items()}
    Mx, Mz = mpmath.mpf("0.004"), mpmath.mpf("0.4")
    K = [[sympy.Float(str(sum(vals[k][a + b].real * Mx ** k for k in vals)), 30) for b in "xy"] for a in "xyz"]
    M = mpmath.sqrt(Mx ** 2 + Mz ** 2)
    m = (sympy.Float(str(Mx / M), 30), 0, sympy.Float(str(Mz / M), 30))
    solved = solve_coefficients(K, m)
    for n in "abcd":
        assert abs(float(solved[n]) - float(limit[n])) < 1e-3 * max(1e-2, abs(float(limit[n]))), n
    # control: the limit formula for c without the K^(1)_zy term is far off
    assert abs(float(solved["c"]) - float(limit["c"] + mpmath.mpf("0.4") * vals[1]["zy"].real)) > 1e-3


def test_certificate_refuses_magnetic_disorder_and_accepts_scalar():
    from streda.verify.allorders import all_orders_certificate

    assert not all_orders_certificate("p", check_orders=1, disorder=Disorder.magnetic(uz=sympy.Rational(3, 10))).certified
    assert all_orders_certificate("p", check_orders=1, disorder=SCALAR).certified
