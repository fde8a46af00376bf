"""Tests of the disorder dressing (``streda.verify.dressed``, ``streda.integrals.ladder``).

Independent references:

* Eq. (C4) lines 1–2 and 5, exact in γ (m_e = 1), as reported by the quadrature helper:
      α_d ∫ G^A σ_x G^R = [(εΔ + γ²) σ_x + M_z γ σ_y] / (M_z² + 2εΔ + γ²),
      α_d ∫ G^A σ_y G^R = [(εΔ + γ²) σ_y − M_z γ σ_x] / (M_z² + 2εΔ + γ²),
      α_d ∫ G^A σ_z G^R = (M_z² + γ²) / (M_z² + 2εΔ + γ²) σ_z.
  Their Δ → 0 limit is derived by hand: with H = ξ − M_zσ_z the Green's functions are
  diagonal, (G^Aσ_xG^R)_01 = 1/[(ε−iγ−ξ+M)(ε+iγ−ξ−M)], and one residue (pole ε−M+iγ, m = 1,
  α_d = 2γ) gives α_d∫ = γ/(γ+iM); the (1,0) entry is γ/(γ−iM).  So σ_x → γ²/(M²+γ²) and
  σ_y → +Mγ/(M²+γ²): the paper's −M_zγ σ_y (line 1 of C4) has the opposite sign.
* The ladder series summed rung by rung (enumerated diagrams) must converge geometrically
  to the closed form; its ratio is the spectral radius of the ladder map, which the C4 forms
  give independently: ρ = √[(εΔ+γ²)² + M_z²γ²] / (M_z² + 2εΔ + γ²) (the σ_z eigenvalue is
  smaller; the charge mode is not excited by a current source).
* Eq. (C7) from P^(0) = ±√(Δm)/(2γ) σ (see ``test_pn.py``): dressed K^(0)_yx = −K^(0)_xy =
  e√(Δm)/(4πγ) = eτα_R m_e/2π.

Controls: the undressed vertex does not solve (C5a); bare tensors depend on M_x; spin-dependent
disorder V(1 + uσ_z) breaks the cancellation (K^(1), K^(2) ≠ 0); a wrong ladder limit stops the
geometric convergence.
"""
from __future__ import annotations

import math

import flint
import mpmath
import pytest
import sympy

from streda.integrals import evaluate as ev
from streda.integrals import model as M
from streda.integrals.bubble import integrate_word
from streda.integrals.ladder import Disorder, dressed_K_numeric
from streda.verify.dressed import ladder_partial_sums
from streda.integrals.model import RashbaModel
from streda.integrals.pointwise import BallBackend, to_acb
from streda.integrals.quadrature import integrate_word_quad
from streda.integrals.word import parse_word
from streda.verify import dressed as DR
from streda.verify import tensors as T
from streda.verify.cmd_tensor import numeric_tensor

POINT = RashbaModel.from_string("eps=1,gamma=1/10,Delta=3/10,Mz=2/5")
eps, g, D, Mz = M.eps, M.gamma, M.Delta, M.Mz
DEN = Mz ** 2 + 2 * eps * D + g ** 2
C4_FORMS = {
    "sigma_x": {"x": (eps * D + g ** 2) / DEN, "y": Mz * g / DEN},
    "sigma_y": {"x": -Mz * g / DEN, "y": (eps * D + g ** 2) / DEN},
    "sigma_z": {"z": (Mz ** 2 + g ** 2) / DEN},
}


def _sym(v):
    return sympy.Integer(0) if v.is_zero() else ev.exact_to_sympy(v)


def ball_mp(x, dps: int = 50):
    with mpmath.workdps(dps):
        return mpmath.mpc(mpmath.mpf(x.real.mid().str(dps, radius=False)),
                          mpmath.mpf(x.imag.mid().str(dps, radius=False)))


# --------------------------------------------------------------------------- (C4), (C5a)

@pytest.mark.parametrize("xname", sorted(C4_FORMS))
def test_c4_exact_forms_equal_engine_symbolically(xname):
    vals = DR.c4_value(xname)
    for k in ("0", "x", "y", "z"):
        want = C4_FORMS[xname].get(k, sympy.Integer(0))
        assert sympy.simplify(_sym(vals[k]) - want) == 0, (xname, k)


@pytest.mark.parametrize("text", ["eps=1,gamma=1/10,Delta=3/10,Mz=2/5",
                                  "eps=2,gamma=1/2,Delta=1/5,Mz=-3/4"])
def test_c4_exact_forms_by_quadrature(text):
    """Second method at two points (one with γ = 1/2, far from the γ-expansion)."""
    pt = RashbaModel.from_string(text)
    ad = 2 * pt.mp("gamma")
    for xname, tok in (("sigma_x", "sx"), ("sigma_y", "sy"), ("sigma_z", "sz")):
        q = integrate_word_quad(f"GA {tok} GR", pt, dps=20)
        for k in ("0", "x", "y", "z"):
            want = mpmath.mpf(str(sympy.N(C4_FORMS[xname].get(k, sympy.Integer(0)).subs(pt.subs()), 25)))
            assert abs(ad * q[k] - want) < 1e-16, (text, xname, k)


def test_c4_forms_hand_limit_and_printed_sign_control():
    """Δ → 0 limit derived by hand (module docstring); the printed sign of the σ_y term
    (C4, line 1: −M_zγ/(M_z²+2εΔ)) is the negative control and must fail."""
    lim = {k: sympy.simplify(v.subs(D, 0)) for k, v in C4_FORMS["sigma_x"].items()}
    assert sympy.simplify(lim["x"] - g ** 2 / (Mz ** 2 + g ** 2)) == 0
    assert sympy.simplify(lim["y"] - Mz * g / (Mz ** 2 + g ** 2)) == 0
    # the engine's own γ-expansion of line 1, σ_y component: +M_zγ/(M_z²+2εΔ) at order γ¹
    series = DR._series("sigma_x", "y", 1)
    printed_y = -Mz / (Mz ** 2 + 2 * eps * D)
    assert sympy.simplify(series.get(1, 0) - printed_y) != 0
    assert sympy.simplify(series.get(1, 0) + printed_y) == 0      # same magnitude, opposite sign
    assert sympy.simplify(series.get(0, 0)) == 0


@pytest.mark.parametrize("beta", "xy")
def test_gamma_p_solves_C5a_exactly(beta):
    res = DR.gamma_p_residual(beta)
    assert set(res) == {"0", "x", "y", "z"} and all(v.is_zero() for v in res.values())


def test_control_undressed_vertex_does_not_solve_C5a():
    """If Γ = v were the solution, α_d ∫ G^A v G^R would vanish; it does not.  Its value
    follows from the C4 forms above and v_x = p_x − √Δ σ_y (m = 1), with α_d∫G^A p_x G^R =
    √Δ σ_y (Γ^p = p/m): √Δ[σ_y − C4(σ_y)] = √Δ[(M_z² + εΔ)σ_y + M_zγσ_x]/(M_z² + 2εΔ + γ²)."""
    vals = integrate_word(parse_word("GA vx GR"), ev.exact_backend())
    ad = 2 * g
    want = {"0": 0, "x": sympy.sqrt(D) * Mz * g / DEN, "y": sympy.sqrt(D) * (Mz ** 2 + eps * D) / DEN, "z": 0}
    for k in "0xyz":
        assert sympy.simplify(ad * _sym(vals[k]) - want[k]) == 0, k


# --------------------------------------------------------------------------- Eq. (16)

def test_dressed_orders_vanish_for_n_1_to_4():
    rep = DR.dressed_orders_report(4)
    assert len(rep) == 5 * (6 + 4)
    for r in rep:
        if r["mx_order"] >= 1:
            assert r["exactly_zero"], r
            if r["tensor"] == "K":
                assert "= 0 exactly" in r["because"]
    nonzero0 = {(r["tensor"], r["row"] + r["column"]) for r in rep
                if r["mx_order"] == 0 and not r["exactly_zero"]}
    assert nonzero0 == {("K", "xy"), ("K", "yx"), ("sigma", "xx"), ("sigma", "yy")}


def test_control_bare_tensors_depend_on_Mx():
    """The bare tensors do depend on M_x, with the values Appendix C prints: K^bare,(1)_zy at τ¹
    (Eq. C8a) and K^bare,(2)_yx at τ¹ (Eq. C8b, an agreeing entry), so the dressed zeros are substantive."""
    from streda.verify.printed import tensors as P

    for eq, r, c, k, j in (("C8a", "z", "y", 1, 1), ("C8b", "y", "x", 2, 1)):
        printed = P.canonical(P.get(eq, r, c, mx_order=k, tau_order=j).expr)
        assert printed != 0
        assert sympy.simplify(T.coefficient("K", k, r, c, j) - printed) == 0, (eq, r, c)
    assert not T.reduced_total("sigma", 2, "x", "y").is_zero()


def test_dressed_K0_is_C7_exactly():
    """Reduced Tr σ_y P^(0)_x = √Δ/γ (m_e = 1), exact in γ."""
    assert sympy.simplify(_sym(DR.dressed_K_order(0, "y", "x")) - sympy.sqrt(D) / g) == 0
    assert sympy.simplify(_sym(DR.dressed_K_order(0, "x", "y")) + sympy.sqrt(D) / g) == 0
    assert DR.dressed_K_order(0, "x", "x").is_zero() and DR.dressed_K_order(0, "z", "y").is_zero()


def test_dressed_K0_physical_value_with_mass():
    pt = RashbaModel.from_string("eps=3/2,gamma=1/4,Delta=1/2,Mz=-1/3,m=2,e=3")
    K = numeric_tensor("K", "ladder", 1, pt, 40)
    with mpmath.workdps(50):
        want = pt.mp("e") * mpmath.sqrt(pt.mp("Delta") * pt.mp("m")) / (4 * mpmath.pi * pt.mp("gamma"))
        assert abs(ball_mp(K[0]["yx"]) - want) < mpmath.mpf(10) ** -35 * want
        assert abs(ball_mp(K[0]["xy"]) + want) < mpmath.mpf(10) ** -35 * want
    assert all(v.contains(0) for k in (0, 1) for key, v in K[k].items() if (k, key) not in
               ((0, "xy"), (0, "yx")))


def test_numeric_vertex_equation_agrees_with_exact_route():
    """(1 − L)⁻¹ with the 4x4 ladder map (dressed_K_numeric) vs (−1)^n Tr σ P^(n) on balls."""
    with ev.flint_precision(40):
        B = ev.ball_backend(POINT)
        for r in "xyz":
            for c in "xy":
                num = dressed_K_numeric(B, r, c, 3)
                for n in range(4):
                    ex = DR.dressed_K_value(n, r, c, B)
                    assert (num[n] - ex).contains(0) and abs(num[n] - ex) < 1e-30, (r, c, n)
                    assert num[n].contains(0) == DR.dressed_K_order(n, r, c).is_zero()


# --------------------------------------------------------------------------- ladder series

LADDER_POINT = RashbaModel.from_string("eps=1,gamma=1/10,Delta=3/10,Mz=1/20")


def _rho(pt: RashbaModel) -> float:
    e, gg, d, mz = (float(pt.mp(k)) for k in ("eps", "gamma", "Delta", "Mz"))
    den = mz * mz + 2 * e * d + gg * gg
    return max(math.hypot(e * d + gg * gg, mz * gg), mz * mz + gg * gg) / den


def _errors(row, col, order, rungs, shift=0):
    with ev.flint_precision(40):
        B = ev.ball_backend(LADDER_POINT)
        sums = ladder_partial_sums(row, col, order, rungs, B)
        limit = dressed_K_numeric(B, row, col, order)[order] + shift
        return [float(abs(s - limit).mid().str(20, radius=False)) for s in sums]


def test_ladder_partial_sums_converge_geometrically_n0():
    err = _errors("y", "x", 0, 8)
    rho = _rho(LADDER_POINT)
    ratios = [b / a for a, b in zip(err, err[1:])]
    assert all(r == pytest.approx(rho, rel=0.02) for r in ratios), (ratios, rho)
    assert err[-1] < 1e-2 * err[0]


def test_ladder_partial_sums_converge_geometrically_n2():
    """Order M_x²: the limit is 0 (Eq. 16); the error is ~ k ρ^k (the two insertions ride
    along the k sections), so successive ratios fall monotonically towards ρ."""
    err = _errors("y", "x", 2, 6)
    rho = _rho(LADDER_POINT)
    ratios = [b / a for a, b in zip(err, err[1:])]
    assert all(r < 1 for r in ratios[1:]) and ratios[0] < 1.01
    assert all(b < a for a, b in zip(ratios, ratios[1:]))            # monotone decrease
    assert ratios[-1] == pytest.approx(rho, rel=0.15)
    # fit log e_k = c + p log k + k log ρ_fit over k = 1..6
    import numpy as np

    k = np.arange(1, len(err))
    A = np.c_[np.ones(len(k)), np.log(k), k]
    coef = np.linalg.lstsq(A, np.log(err[1:]), rcond=None)[0]
    assert math.exp(coef[2]) == pytest.approx(rho, rel=0.06)


def test_control_wrong_ladder_limit_does_not_converge():
    """Negative control: against a limit off by 0.1 (2 % of K^(0)) the errors level off."""
    err = _errors("y", "x", 0, 8, shift=flint.acb("0.1"))
    assert err[-1] / err[-2] > 0.9 and err[-1] > 0.09


# --------------------------------------------------------------------------- spin-dependent disorder

def _spin_dependent(u, order=2):
    g0 = sympy.Rational(1, 10)
    with ev.flint_precision(40):
        B = BallBackend(1, g0 * (1 + u * u), sympy.Rational(3, 10), sympy.Rational(2, 5), 2 * u * g0)
        return {(r, c): dressed_K_numeric(B, r, c, order, Disorder(u), alpha_d_value=to_acb(2 * g0))
                for r in "xyz" for c in "xy"}


def test_spin_dependent_disorder_breaks_the_cancellation():
    vals = _spin_dependent(sympy.Rational(1, 2))
    nonzero = {(n, rc) for rc, v in vals.items() for n in (1, 2) if not v[n].contains(0)}
    assert {(1, ("z", "x")), (1, ("z", "y")), (2, ("x", "y")), (2, ("y", "x"))} <= nonzero
    assert abs(vals[("z", "y")][1]) > 0.1


def test_control_scalar_limit_of_spin_dependent_disorder():
    """u = 0 through the same code path: K^(1), K^(2) vanish and K^(0) is the scalar result."""
    vals = _spin_dependent(0)
    assert all(v[n].contains(0) for v in vals.values() for n in (1, 2))
    with ev.flint_precision(40):
        ref = dressed_K_numeric(ev.ball_backend(POINT), "y", "x", 0)[0]
    assert (vals[("y", "x")][0] - ref).contains(0) and abs(vals[("y", "x")][0] - ref) < 1e-30
