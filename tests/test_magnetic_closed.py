"""Closed forms of the torque coefficients with magnetic disorder V(1 + u σ_z) (issue 9, item 5).

The closed forms (streda.integrals.magnetic_leading: exact values expanded in γ symbolically,
the general ladder solved on Laurent series) are checked against independent routes:
(a) the exact-in-γ ball values with a Richardson fit in γ (verify/magnetic.py) at three points
    with different ε, Δ, M_z, u, to the precision of the fit;
(b) u → 0 against the scalar-disorder result of the Γ = p/m route (P^(n), symbolic) and the
    scalar numbers;
(c) negative controls that must disagree: u → −u, and the scalar rung in the ladder.
"""
from __future__ import annotations

from fractions import Fraction

import mpmath
import pytest
import sympy

from streda.integrals import magnetic_leading as ml
from streda.integrals import model as M
from streda.verify.magnetic import (POINTS, closed_form_comparison, leading_order_K,
                                    torque_coefficients_mx0)

COEFFS = ("a", "b", "c", "d")
DPS = 60


@pytest.fixture(scope="module")
def forms():
    return ml.torque_closed_forms()


def _point(params, u):
    vals = dict(item.split("=") for item in params.split(","))
    return tuple(Fraction(vals[n]) for n in ("eps", "Delta", "Mz")) + (Fraction(u),)


def _numbers(params, dis):
    lead, err = leading_order_K(params, dis, points=12, dps=DPS)
    eps, Delta, Mz, _ = _point(params, "0")
    with mpmath.workdps(DPS):
        return torque_coefficients_mx0(lead, mpmath.mpf(Mz.numerator) / Mz.denominator), err


def _maxdiff(x, y):
    return max(abs(x[n][i] - y[n][i]) for n in x for i in (0, 1))


def test_series_arithmetic_small_cases():
    g = ml.Ser(0, [ml.Fr.const(1), ml.Fr.const(1)], 4)           # 1 + γ + O(γ⁴)
    inv = g.inverse()
    assert [inv.coeff(j) == ml.Fr.const((-1) ** j) for j in range(4)] == [True] * 4
    assert inv.prec == 4
    p = ml.Ser(-2, [ml.Fr.var("u")], 1) * ml.Ser(0, [ml.Fr.const(1), ml.Fr.const(2)], 3)   # precision: min(1+0, 3-2)
    assert p.prec == 1 and p.coeff(-1) == ml.Fr.const(2) * ml.Fr.var("u")
    with pytest.raises(ValueError):
        p.coeff(1)


def test_ladder_map_ward_identity_and_zero_mode():
    """Tr L(X) = Tr X (the charge row of 1 − L vanishes) and L(1 + gσ_z) = 1 + gσ_z, g = 2u/(1 + u²),
    to the precision of the series (what justifies solving the (x, y, z) block with D_0 = 0)."""
    L = ml.ladder_map_series(prec=3)
    u = ml.Fr.var("u")
    g = ml.Fr.const(2) * u / (ml.Fr.const(1) + u * u)

    def zero(s):
        assert s.prec >= 2                       # known through γ¹ at least: the test is not vacuous
        return all(s.coeff(j).is_zero() for j in range(min(s.val, 0), s.prec))

    for j in ml.LABELS:
        assert zero(L[j]["0"] - ml.Ser.monomial(ml.Fr.const(1 if j == "0" else 0))), j
    image = {i: L["0"][i] + L["z"][i] * g for i in ml.LABELS}
    assert zero(image["0"] - ml.Ser.monomial(ml.Fr.const(1))) and zero(image["z"] - ml.Ser.monomial(g))
    assert zero(image["x"]) and zero(image["y"])
    # control: 1 + σ_z (g replaced by 1) is not a zero mode
    assert not zero(L["0"]["z"] + L["z"]["z"] - ml.Ser.monomial(ml.Fr.const(1)))
    # and with the scalar rung the charge row is no longer Tr L(X) = Tr X
    Ls = ml.ladder_map_series(prec=3, rung="scalar")
    assert not zero(Ls["0"]["0"] - ml.Ser.monomial(ml.Fr.const(1)))


def test_compact_forms_are_the_derived_forms(forms):
    compact = ml.compact_forms()
    for n in COEFFS:
        for i in (0, 1):
            assert sympy.cancel(forms[n][i] - compact[n][i]) == 0, (n, i)
    # leading order: a and c are ∝ τ = 1/2γ, b and d are γ⁰
    assert forms["a"][1] == 0 and forms["c"][1] == 0 and forms["b"][0] == 0 and forms["d"][0] == 0
    # control: a wrong hand simplification (one sign in D) is caught by the same comparison
    wrong = ml.compact_forms(abbreviated=True)["a"][0].subs(ml.D_SYM, -ml.abbreviations()[ml.D_SYM])
    wrong = wrong.subs(ml.W_SYM, ml.abbreviations()[ml.W_SYM])
    assert sympy.cancel(forms["a"][0] - wrong) != 0


@pytest.mark.parametrize("params,u", POINTS)
def test_closed_forms_equal_the_fitted_numbers(forms, params, u):
    """(a) at three points; the Richardson fit supports ~33 digits (fit error ~1e-34 .. 1e-38)."""
    num, err = _numbers(params, f"magnetic:uz={u}")
    cf = ml.evaluate_forms(forms, *_point(params, u), dps=DPS)
    with mpmath.workdps(DPS):
        scale = max(abs(num[n][i]) for n in COEFFS for i in (0, 1))
        diff = _maxdiff(cf, num)
        assert err < mpmath.mpf(10) ** -30 * scale
        assert diff <= 100 * err
        assert diff <= mpmath.mpf(10) ** -30 * scale          # at least 30 digits agree
        assert all(abs(num[n][i]) > 1e-6 * scale for n, i in (("a", 0), ("b", 1), ("c", 0), ("d", 1)))


def test_u_to_zero_is_the_scalar_result(forms):
    """(b) b, c, d vanish identically at u = 0, and a equals the scalar K⁰_xy of the Γ = p/m route."""
    from streda.integrals.api import symbolic_tensor

    at0 = {n: tuple(sympy.simplify(x.subs(ml.U, 0)) for x in forms[n]) for n in COEFFS}
    assert all(at0[n] == (0, 0) for n in "bcd")
    recs = symbolic_tensor("K", "ladder", 0, 0)
    scal = {r["gamma_power"]: r["expression"].subs({M.e_charge: 1, M.m_e: 1})
            for r in recs if (r["row"], r["column"]) == ("x", "y")}
    assert sympy.simplify(at0["a"][0] - scal[-1]) == 0 and sympy.simplify(at0["a"][1] - scal[0]) == 0
    # and the scalar numbers of the ball + Richardson route
    params = POINTS[0][0]
    num, err = _numbers(params, "scalar")
    cf = ml.evaluate_forms(forms, *_point(params, "0"), dps=DPS)
    with mpmath.workdps(DPS):
        assert _maxdiff(cf, num) <= 100 * err


def test_negative_controls_disagree(forms):
    """(c) u → −u, and the magnetic rung replaced by the scalar one, miss the numbers."""
    params, u = POINTS[0]
    num, err = _numbers(params, f"magnetic:uz={u}")
    flipped = {n: tuple(x.subs(ml.U, -ml.U) for x in pair) for n, pair in forms.items()}
    pt = _point(params, u)
    with mpmath.workdps(DPS):
        scale = max(abs(num[n][i]) for n in COEFFS for i in (0, 1))
        assert _maxdiff(ml.evaluate_forms(flipped, *pt, dps=DPS), num) > 0.1 * scale
        rung = ml.evaluate_forms(ml.scalar_rung_control(), *pt, dps=DPS)
        assert _maxdiff(rung, num) > 0.01 * scale


def test_the_check_fails_with_wrong_closed_forms(monkeypatch, forms):
    """The verify comparison passes with the derived forms and fails with u → −u forms."""
    good = closed_form_comparison(points=POINTS[:1], fit_points=10, dps=40)
    assert good["ok"]
    flipped = {n: tuple(x.subs(ml.U, -ml.U) for x in pair) for n, pair in forms.items()}
    monkeypatch.setattr(ml, "torque_closed_forms", lambda rung="magnetic": flipped)
    bad = closed_form_comparison(points=POINTS[:1], fit_points=10, dps=40)
    assert not bad["ok"]
    assert not [r for r in bad["records"] if r.get("case") == "closed form vs numbers"][0]["agrees"]


def test_K0_forms_against_the_independent_quadrature_route(forms):
    """a and b (from K⁰) against mpmath quadrature of the words (no residues, shared with the
    engine only through the model): the ladder solved numerically at γ = 1/100 … 1/800 and
    A/γ + B + Cγ + Dγ² fitted.  The finite-γ fit limits the agreement to ~1e-9 relative."""
    from streda.integrals.disorder import Disorder
    from streda.integrals.models import get_model
    from streda.integrals.quadrature import integrate_word_quad

    params, u = POINTS[0]
    dis = Disorder.magnetic(uz=sympy.Rational(u))
    dps = 15
    words = {"0": "GR GA", "x": "GR sx GA", "y": "GR sy GA", "z": "GR sz GA", "vx": "GR vx GA", "vy": "GR vy GA"}

    def conv(x):
        x = sympy.Rational(x)
        return mpmath.mpf(int(x.p)) / int(x.q)

    def K0(g):
        pt = get_model("rashba").point(f"{params},gamma={g}")
        I = {j: integrate_word_quad(w, pt, dps=dps, disorder=dis) for j, w in words.items()}
        ad0 = 2 * conv(g) / (1 + conv(u) ** 2)
        rung = lambda X: dis.rung(X, I=mpmath.mpc(0, 1), conv=conv)      # noqa: E731
        L = {j: rung({k: v * ad0 for k, v in I[j].items()}) for j in "0xyz"}
        A = mpmath.matrix([[(1 if i == j else 0) - L[j][i] for j in "xyz"] for i in "xyz"])
        out = {}
        for b in "xy":
            rhs = rung({k: v * ad0 for k, v in I["v" + b].items()})
            D = mpmath.lu_solve(A, mpmath.matrix([rhs[i] for i in "xyz"]))
            for a in "xy":
                tot = I["v" + b][a] + sum(D[k] * I[j][a] for k, j in enumerate("xyz"))
                out[a + b] = (2 * tot / (4 * mpmath.pi)).real
        return out

    with mpmath.workdps(dps):
        gs = [sympy.Rational(1, 100 * 2 ** j) for j in range(4)]
        vals = [K0(g) for g in gs]
        Mfit = mpmath.matrix([[conv(g) ** p for p in range(-1, len(gs) - 1)] for g in gs])
        fit = {e: mpmath.lu_solve(Mfit, mpmath.matrix([v[e] for v in vals])) for e in ("xy", "yy")}
        cf = ml.evaluate_forms(forms, *_point(params, u), dps=dps)
        assert abs(fit["xy"][0] - cf["a"][0]) <= 1e-7 * abs(cf["a"][0])      # a: 1/γ part
        assert abs(fit["yy"][1] - cf["b"][1]) <= 1e-7 * abs(cf["b"][1])      # b: γ⁰ part
        # control: the u → −u forms are far from the quadrature numbers
        flipped = ml.evaluate_forms({n: tuple(x.subs(ml.U, -ml.U) for x in forms[n]) for n in "ab"},
                                    *_point(params, u), dps=dps)
        assert abs(fit["xy"][0] - flipped["a"][0]) > 1e-2 * abs(cf["a"][0])
