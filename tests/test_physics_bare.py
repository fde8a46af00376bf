"""Bare tensors: sign-sensitive Eq. (15b), hand-written Dyson words, odd-n ladder partial sums.

* Eq. (15b) as γ → 0.  The engine's σ^(k) (k = 0, 1, 2) is evaluated numerically, exact in
  γ, at γ = 10⁻², 10⁻³, 10⁻⁴ (ball arithmetic, no γ-series, no comparator) and set against
  the *printed* pieces evaluated at the same point.  The residuals
  σ_xy − [printed τ⁰ piece] and 2γσ_xx − [printed τ¹ coefficient] must shrink at least
  like γ; a wrong printed sign leaves a residual of twice the entry.  Odd orders in M_x
  vanish by the mirror symmetries (see test_physics_drude.py, step 4).
* Dyson words by hand.  H contains −M_xσ_x, so G = (E − H₀ + M_xσ_x)⁻¹ = Σ_n (−M_x)^n
  (G₀σ_x)^n G₀: the M_x^n coefficient of Tr σ_α G^R v_β G^A is (−1)^n Σ_{a+c=n}
  Tr σ_α (G^Rσ_x)^a G^R v_β G^A (σ_xG^A)^c.  The Kubo–Středa trace of Eq. (9) expands to
  2RA − RR − AA, with e/8π for K and e²/4π for σ (Eq. 13).  RR and AA vanish here: all poles
  lie in one half plane and the integrand decays at least like ξ⁻² (n_G = n + 2 Green's
  functions against one or two velocities), so the contour closes on the other side.  The
  words are written out below as strings and integrated by the mpmath quadrature path (no
  residues, no enumerator, no ``physical_factor``); the engine's physical entry must agree.
* Odd-n ladder partial sums: the 0- and 1-rung partial sums of K^(1)_zy rebuilt from
  hand-written words and the rung α_d = 2γ (m = 1); their sign is fixed by (−1)^n.
"""
from __future__ import annotations

from functools import lru_cache

import mpmath
import pytest
import sympy

from streda.integrals import evaluate as ev
from streda.integrals import model as M
from streda.integrals.bubble import integrate_word
from streda.verify.dressed import ladder_partial_sums
from streda.integrals.model import RashbaModel
from streda.integrals.quadrature import integrate_word_quad
from streda.integrals.word import parse_word
from streda.verify import tensors as T
from streda.verify.cmd_tensor import numeric_tensor
from streda.verify.compare import AGREES
from streda.verify.printed import tensors as P


def _mid(x) -> complex:
    return complex(float(x.real.mid().str(20, radius=False)), float(x.imag.mid().str(20, radius=False)))


# ----------------------------------------------------------------- Eq. (15b) as γ → 0

POINT15 = "eps=3/2,Delta=1/2,Mz=1/3"
GAMMAS = ("1/100", "1/1000", "1/10000")


def _printed_value(row, col, k, j, pt):
    ent = P.get("15b", row, col, mx_order=k, tau_order=j)
    sub = {M.eps: pt.eps, M.Delta: pt.Delta, M.Mz: pt.Mz, M.m_e: 1, M.e_charge: 1}
    return complex(sympy.N(P.canonical(ent.expr).subs(sub), 20))


@pytest.fixture(scope="module")
def sigma_by_gamma():
    out = {}
    for g in GAMMAS:
        pt = RashbaModel.from_string(f"{POINT15},gamma={g}")
        out[g] = (pt, numeric_tensor("sigma", "bare", 2, pt, 15))
    return out


@pytest.mark.parametrize("k", [0, 2])
@pytest.mark.parametrize("entry", ["xy", "yx"])
def test_eq15b_hall_tau0_residual_shrinks_like_gamma(sigma_by_gamma, entry, k):
    res = []
    for g in GAMMAS:
        pt, S = sigma_by_gamma[g]
        want = _printed_value(entry[0], entry[1], k, 0, pt)
        assert abs(want) > 1e-3                                   # a non-trivial printed entry
        res.append(abs(_mid(S[k][entry]) - want) / abs(want))
        assert res[-1] < 20 * float(pt.gamma), (entry, k, g, res)
    assert res[2] < res[0] / 50                                   # two decades of γ


@pytest.mark.parametrize("k", [0, 2])
@pytest.mark.parametrize("entry", ["xx", "yy"])
def test_eq15b_diagonal_tau1_residual_shrinks_like_gamma(sigma_by_gamma, entry, k):
    """2γσ − A → 0 like γ also says that the unprinted τ⁰ part is (at most) O(γ) small."""
    res = []
    for g in GAMMAS:
        pt, S = sigma_by_gamma[g]
        want = _printed_value(entry[0], entry[1], k, 1, pt)
        assert abs(want) > 1e-3
        res.append(abs(2 * float(pt.gamma) * _mid(S[k][entry]) - want) / abs(want))
        assert res[-1] < 20 * float(pt.gamma), (entry, k, g, res)
    assert res[2] < res[0] / 50


def test_eq15b_odd_orders_vanish(sigma_by_gamma):
    for g in GAMMAS:
        S = sigma_by_gamma[g][1]
        assert all(v.contains(0) for v in S[1].values())


def test_eq15b_wrong_hall_sign_is_seen():
    """Negative control: the residual against −(printed) stays at 2 (does not shrink)."""
    pt = RashbaModel.from_string(f"{POINT15},gamma=1/10000")
    S = numeric_tensor("sigma", "bare", 0, pt, 15)
    want = _printed_value("x", "y", 0, 0, pt)
    assert abs(_mid(S[0]["xy"]) + want) / abs(want) > 1.9


@pytest.mark.slow
def test_eq15b_all_verdicts_pinned():
    """All 32 pieces agree: k = 0, 2 from the residual tests above, odd k by symmetry,
    diagonal τ⁰ (unprinted) and Hall τ¹ pieces zero by the same residual tests."""
    recs = T.compare_bare("15b")
    assert len(recs) == 4 * 4 * 2
    assert all(r.status == AGREES for r in recs), [r.label for r in recs if r.status != AGREES]
    for r in recs:
        if r.mx_order % 2 == 1 or (r.row == r.column) != (r.tau_order == 1):
            assert r.computed == "0", r.label


# ----------------------------------------------------------------- hand-written Dyson words

QPOINT = RashbaModel.from_string("eps=3/2,gamma=1/5,Delta=1/2,Mz=1/3,m=2,e=3")
QDPS = 10

#: M_x^n coefficient of Tr σ_α G^R v_β G^A: (−1)^n Σ_{a+c=n} (words written out by hand)
HAND_WORDS = {
    ("K", 2, "x", "x"): (+1, ["sx GR sx GR sx GR vx GA",
                              "sx GR sx GR vx GA sx GA",
                              "sx GR vx GA sx GA sx GA"]),
    ("K", 3, "z", "y"): (-1, ["sz GR sx GR sx GR sx GR vy GA",
                              "sz GR sx GR sx GR vy GA sx GA",
                              "sz GR sx GR vy GA sx GA sx GA",
                              "sz GR vy GA sx GA sx GA sx GA"]),
    ("sigma", 2, "x", "y"): (+1, ["vx GR sx GR sx GR vy GA",
                                  "vx GR sx GR vy GA sx GA",
                                  "vx GR vy GA sx GA sx GA"]),
}


@lru_cache(maxsize=None)
def _hand_value(kind, n, row, col):
    sign, words = HAND_WORDS[(kind, n, row, col)]
    with mpmath.workdps(QDPS + 5):
        ra = sum(2 * integrate_word_quad(w, QPOINT, dps=QDPS)["0"] for w in words) * sign
        e = QPOINT.mp("e")
        pref = e / (8 * mpmath.pi) if kind == "K" else e * e / (4 * mpmath.pi)
        return complex(pref * 2 * ra)                      # RR = AA = 0 (module docstring)


@pytest.mark.parametrize("key", sorted(HAND_WORDS))
def test_tensor_entry_against_hand_words_by_quadrature(key):
    kind, n, row, col = key
    want = _hand_value(kind, n, row, col)
    got = _mid(numeric_tensor(kind, "bare", n, QPOINT, 15)[n][row + col])
    assert abs(want) > 1e-4
    assert abs(got - want) < 1e-7 * abs(want), (key, got, want)


def test_hand_words_control_wrong_dyson_sign():
    """Negative control: the opposite Dyson sign at odd order is seen."""
    want = _hand_value("K", 3, "z", "y")
    got = _mid(numeric_tensor("K", "bare", 3, QPOINT, 15)[3]["zy"])
    assert abs(got + want) > 1.9 * abs(want)


# ----------------------------------------------------------------- odd-n ladder partial sums

LPOINT = RashbaModel.from_string("eps=1,gamma=1/10,Delta=3/10,Mz=1/3")


def _hand_partial_sums_K1_zy(B, ad):
    """(−1)¹·Tr σ_z[…]: 0 rungs, and 0 + 1 rung with σ_x in each of the four G's."""
    tr = lambda w: 2 * integrate_word(parse_word(w), B)["0"]             # noqa: E731
    s0 = -(tr("sz GR sx GR vy GA") + tr("sz GR vy GA sx GA"))
    placements = [("GR sx GR vy GA", "GR", "GA"), ("GR vy GA sx GA", "GR", "GA"),
                  ("GR vy GA", "GR sx GR", "GA"), ("GR vy GA", "GR", "GA sx GA")]
    s1 = 0
    for core, left, right in placements:
        X = integrate_word(parse_word(core), B)
        for j in "0xyz":
            s1 = s1 + X[j] * tr(f"sz {left} s{j} {right}")
    return s0, s0 - ad * s1


def test_odd_n_ladder_partial_sums_against_hand_words():
    from streda.integrals.pointwise import to_acb

    with ev.flint_precision(40):
        B = ev.ball_backend(LPOINT)
        sums = ladder_partial_sums("z", "y", 1, 1, B)
        h0, h1 = _hand_partial_sums_K1_zy(B, 2 * to_acb(LPOINT.gamma))     # α_d = 2γ (m = 1)
        assert abs(h0) > 1e-3 and abs(h1 - h0) > 1e-4
        for got, want in ((sums[0], h0), (sums[1], h1)):
            assert (got - want).contains(0) and abs(got - want) < 1e-25
        # and the sign is physical: the 0-rung sum is the bare K^(1)_zy, whose tau^1 part is
        # +e√Δ M_z³/(2π(2εΔ + M_z²)²) > 0 for M_z > 0 (Eq. C8a; reduced: divide by e√m/8π)
        assert float(h0.real.mid()) > 0


def test_odd_n_ladder_partial_sums_go_to_zero():
    """Eq. (16): the limit of the odd-n series is 0; the partial sums shrink towards it."""
    with ev.flint_precision(30):
        B = ev.ball_backend(LPOINT)
        sums = ladder_partial_sums("z", "y", 1, 4, B)
    mags = [abs(_mid(s)) for s in sums]
    assert mags[-1] < 0.5 * mags[0] and mags[-1] < mags[-2]


# ----------------------------------------------------------------- Eq. (15a): K_zx, K_zy at M_x³

@pytest.fixture(scope="module")
def K_by_gamma():
    out = {}
    for g in GAMMAS:
        pt = RashbaModel.from_string(f"{POINT15},gamma={g}")
        out[g] = (pt, numeric_tensor("K", "bare", 3, pt, 15))
    return out


def _printed15a(row, col, k, j, pt):
    ent = P.get("15a", row, col, mx_order=k, tau_order=j)
    sub = {M.eps: pt.eps, M.Delta: pt.Delta, M.Mz: pt.Mz, M.m_e: 1, M.e_charge: 1}
    return complex(sympy.N(P.canonical(ent.expr).subs(sub), 20))


@pytest.mark.parametrize("entry,j", [("zx", 0), ("zy", 1)])
def test_eq15a_Mx3_brackets_against_numbers(K_by_gamma, entry, j):
    """The printed bracket of the M_x³ term of K_zx (τ⁰) and K_zy (τ¹), as the ratio of the
    M_x³ to the M_x¹ piece (it does not depend on the overall sign): the engine's numbers,
    exact in γ, approach it like γ."""
    res = []
    for g in GAMMAS:
        pt, K = K_by_gamma[g]
        want = _printed15a(entry[0], entry[1], 3, j, pt) / _printed15a(entry[0], entry[1], 1, j, pt)
        got = _mid(K[3][entry]) / _mid(K[1][entry])
        res.append(abs(got - want) / abs(want))
        assert res[-1] < 20 * float(pt.gamma), (entry, g, res)
    assert res[2] < res[0] / 50


def test_eq15a_Kzx_sign_finding(K_by_gamma):
    """K_zx at τ⁰: Appendix C (Eq. C8a) prints K^(1)_zx = +e√Δ M_z²√m/(4π(M_z² + 2εΔ)²)
    while Eq. (15a) prints the opposite sign at M_x¹ (and, by the bracket above, at M_x³).
    The engine's numbers side with (C8a): ratio +1 to C8a, −1 to (15a) at M_x¹ and M_x³."""
    pt, K = K_by_gamma[GAMMAS[-1]]
    c8a = P.get("C8a", "z", "x", mx_order=1, tau_order=0)
    sub = {M.eps: pt.eps, M.Delta: pt.Delta, M.Mz: pt.Mz, M.m_e: 1, M.e_charge: 1}
    assert abs(_mid(K[1]["zx"]) / complex(sympy.N(P.canonical(c8a.expr).subs(sub), 20)) - 1) < 1e-3
    for k in (1, 3):
        ratio = _mid(K[k]["zx"]) / _printed15a("z", "x", k, 0, pt)
        assert abs(ratio + 1) < 1e-3, (k, ratio)
