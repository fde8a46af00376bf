"""Tests of the all-orders certificate for P^(n) = 0 (``streda.verify.allorders``).

The certificate must be granted for the kinetic vertex Γ^p = p/m with scalar disorder and
refused, at the right step, for the two negative controls.  Its steps are re-checked here by
independent means:

* steps 1–2 with plain mpmath 2x2 matrices at a random momentum (no sympy, no engine):
  [p/m, G] = 0 and G^R − G^A = −2iγ G^R G^A; both fail for the controls;
* step 3 (telescoping) by a word comparison written here, which must reject wrong identities;
* the conclusion P^(n) = (i/2γ)∫Γ[(G^Rσx)^n G^R − G^A(σx G^A)^n] by evaluating both sides at
  a point with the ball engine (for n = 0 too, where it reproduces P^(0) ≠ 0), and the one-kind
  integrals by the independent quadrature path.  With the bare vertex the telescoped form is
  not P^(n): the refusal is substantive.
"""
from __future__ import annotations

import flint
import mpmath
import pytest
import sympy

from streda.integrals import evaluate as ev
from streda.integrals.model import RashbaModel
from streda.integrals.quadrature import integrate_word_quad
from streda.integrals.word import parse_word
from streda.verify import allorders as AO
from streda.verify import pn

POINT = RashbaModel.from_string("eps=1,gamma=1/10,Delta=3/10,Mz=2/5")


@pytest.fixture(scope="module")
def cert_p():
    return AO.all_orders_certificate(vertex="p", check_orders=4)


# --------------------------------------------------------------------------- the verdicts

def test_certified_for_kinetic_vertex(cert_p):
    c = cert_p
    assert c.certified and c.vertex == "p" and c.gamma_z is False
    assert len(c.steps) == 6 and all(s.passed for s in c.steps)
    assert all(s.claim and s.checked_by for s in c.steps)
    assert "n >= 1" in c.conclusion and "P^(0)" in c.conclusion
    d = c.to_json()
    assert d["certified"] is True and [set(s) for s in d["steps"]] == [
        {"claim", "checked_by", "passed", "detail"}] * 6


def test_refused_for_bare_vertex_at_step_1():
    c = AO.all_orders_certificate(vertex="bare", check_orders=2)
    assert not c.certified
    assert [s.passed for s in c.steps][:3] == [False, True, True]
    assert "!= 0" in c.steps[0].detail
    assert c.conclusion.startswith("NOT certified") and "[1]" in c.conclusion


def test_refused_for_spin_dependent_self_energy_at_step_2():
    c = AO.all_orders_certificate(vertex="p", gamma_z=True, check_orders=2)
    assert not c.certified
    assert [s.passed for s in c.steps][:3] == [True, False, True]
    assert "gamma_z" in c.steps[1].detail
    assert "[2]" in c.conclusion


# --------------------------------------------------------------------------- steps 1–2 by hand

S0 = mpmath.eye(2)
SX = mpmath.matrix([[0, 1], [1, 0]])
SY = mpmath.matrix([[0, -1j], [1j, 0]])
SZ = mpmath.matrix([[1, 0], [0, -1]])


def _greens(px, py, gz=0):
    """G^R, G^A at momentum (px, py) from H of Eq. (C1), m_e = 1, Σ = ∓i(γ + γ_z σ_z)."""
    eps, g, mz, a = (POINT.mp(k) for k in ("eps", "gamma", "Mz", "alpha"))
    H = (px * px + py * py) / 2 * S0 + a * (SX * py - SY * px) - mz * SZ
    GR = mpmath.inverse((eps + 1j * g) * S0 + 1j * gz * SZ - H)
    GA = mpmath.inverse((eps - 1j * g) * S0 - 1j * gz * SZ - H)
    return GR, GA


def _norm(A):
    return max(abs(A[i, j]) for i in range(2) for j in range(2))


def test_steps_1_and_2_by_hand_and_their_controls():
    with mpmath.workdps(30):
        px, py = mpmath.mpf("0.731"), mpmath.mpf("-1.137")
        a, g = POINT.mp("alpha"), POINT.mp("gamma")
        GR, GA = _greens(px, py)
        tiny = mpmath.mpf(10) ** -25
        for V in (px * S0, py * S0):                            # Γ^p = p/m commutes
            assert _norm(V * GR - GR * V) < tiny
        vx = px * S0 - a * SY                                    # bare v_x does not
        assert _norm(vx * GR - GR * vx) > mpmath.mpf("1e-3")
        assert _norm(GR - GA + 2j * g * GR * GA) < tiny         # resolvent identity
        GRz, GAz = _greens(px, py, gz=mpmath.mpf("0.05"))       # fails with γ_z σ_z
        assert _norm(GRz - GAz + 2j * g * GRz * GAz) > mpmath.mpf("1e-4")


# --------------------------------------------------------------------------- step 3

def _same(lhs, rhs) -> bool:
    """Letter-by-letter equality of normalised words with symbolic exponents."""
    return len(lhs) == len(rhs) and all(
        (x == y) if not isinstance(x, tuple) else
        (isinstance(y, tuple) and x[0] == y[0] and sympy.simplify(x[1] - y[1]) == 0)
        for x, y in zip(lhs, rhs))


def test_telescoping_word_check_passes():
    ok, detail = AO.telescoping_word_check()
    assert ok and "==" in detail


def test_telescoping_identity_and_wrong_identities():
    m, n = sympy.symbols("m n", integer=True, nonnegative=True)
    RS, SA = ("R", "s"), ("s", "A")
    lhs = AO._normalise(AO._expand_first([(RS, m), "R", (SA, n - m)], 2))
    right = AO._normalise([(RS, m + 1), "A", (SA, n - m - 1)])
    assert _same(lhs, right)                                   # A_m = B_(m+1)
    wrong = {
        "B_m instead of B_(m+1)": [(RS, m), "A", (SA, n - m)],
        "exponent off by one": [(RS, m + 1), "A", (SA, n - m)],
        "R and A swapped": [(RS, m + 1), "R", (SA, n - m - 1)],
        "sigma and A swapped": [(RS, m + 1), "A", (("A", "s"), n - m - 1)],
    }
    for name, w in wrong.items():
        assert not _same(lhs, AO._normalise(w)), name


def test_free_algebra_identity_and_a_wrong_sign():
    ok, detail = AO._free_algebra_check(5)
    assert ok and "n = 0..5" in detail
    R, A, s = sympy.symbols("R A sigma", commutative=False)
    c = sympy.Symbol("c")
    n = 3
    lhs = sum(((R * s) ** k * c * (R - A) * (s * A) ** (n - k) for k in range(n + 1)), sympy.Integer(0))
    assert sympy.expand(lhs - c * ((R * s) ** n * R - A * (s * A) ** n)) == 0
    assert sympy.expand(lhs - c * ((R * s) ** n * R + A * (s * A) ** n)) != 0


# --------------------------------------------------------------------------- the conclusion

def _telescoped(n: int, comp: str, vertex: str, dps: int = 40) -> dict:
    """(i/2γ) ∫ Γ[(G^Rσx)^n G^R − G^A(σx G^A)^n] with the ball engine (m_e = 1)."""
    tok = ("p" if vertex == "p" else "v") + comp
    wR = parse_word(" ".join([tok] + ["GR sx"] * n + ["GR"]))
    wA = parse_word(" ".join([tok, "GA"] + ["sx GA"] * n))
    with ev.flint_precision(dps):
        vals = ev.evaluate([(wR, 1), (wA, -1)], "numeric", POINT, dps)
        fac = flint.acb(0, 1) / (2 * flint.acb(flint.fmpq(1, 10)))
        return {k: v * fac for k, v in vals.items()}


@pytest.mark.parametrize("n", [0, 1, 2])
def test_telescoped_form_equals_pn(n):
    """For Γ^p both sides agree (including n = 0, where both are ±√Δ/2γ σ ≠ 0)."""
    for comp in "xy":
        with ev.flint_precision(40):
            P = ev.evaluate(pn.pn_terms(n, comp), "numeric", POINT, 40)
        T = _telescoped(n, comp, "p")
        assert all((P[k] - T[k]).contains(0) and abs(P[k] - T[k]) < 1e-30 for k in P)
        if n == 0:
            assert not all(v.contains(0) for v in P.values())


@pytest.mark.parametrize("n", [0, 1, 2])
def test_control_telescoped_form_is_not_pn_for_bare_vertex(n):
    with ev.flint_precision(40):
        P = ev.evaluate(pn.pn_terms(n, "x", vertex="bare"), "numeric", POINT, 40)
    T = _telescoped(n, "x", "bare")
    assert any(abs(P[k] - T[k]) > 1e-3 for k in P)


@pytest.mark.parametrize("word", ["px GR sx GR", "px GA sx GA", "py GR sx GR sx GR"])
def test_one_kind_integrals_vanish_by_quadrature(word):
    """Step 6 by the second method; control: the mixed word GR px GA does not vanish."""
    vals, err = integrate_word_quad(word, POINT, dps=20, error=True)
    assert max(abs(v) for v in vals.values()) < 1e-15
    mixed = integrate_word_quad("GR px GA", POINT, dps=20)
    assert abs(mixed["y"]) > 1
