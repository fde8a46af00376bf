"""Tests of the bare tensors K (Eq. 9) and σ (Eq. 13) (``streda.verify.tensors``,
``streda.verify.cmd_tensor.numeric_tensor``).

Independent references:

* the mpmath quadrature path, with the physical m_e, e and α_R = √(Δ/m_e): the value is built
  here from the diagrams' words (bare bubbles of Fig. 2b, Tr = 2·c₀ of the open integral),
  K = e/8π (2RA − RR − AA), σ = e²/4π (2RA − RR − AA), RR/AA = the same words with every
  Green's function retarded/advanced.  The engine works at m_e = 1 and restores the mass, so a
  point with m_e = 2, e = 3 also tests that scaling;
* the symmetry analysis of Eq. (11): K_xx, K_yy odd in m_z and even in m_x; K_xy, K_yx even in
  both; K_zx odd in m_x and even in m_z; K_zy odd in both; and, after Eq. (13), σ_xx even in
  both, σ_xy odd in m_z.  M_x-parity = parity of the order k; m_z-parity by flipping M_z;
* the statuses of :func:`compare_bare`, re-derived without series algebra: the exact-in-γ value
  at γ = 10⁻³…10⁻⁶ minus the printed leading terms shrinks like γ when the print agrees and
  does not shrink (τ⁰ differs) or grows like 1/γ (τ¹ differs) when it does not.
"""
from __future__ import annotations

from functools import lru_cache

import mpmath
import pytest
import sympy

from streda.diagrams import bare_bubbles, to_ladder
from streda.integrals import evaluate as ev
from streda.integrals import kubo
from streda.integrals.model import RashbaModel
from streda.integrals.quadrature import integrate_word_quad
from streda.integrals.word import Factor, parse_word
from streda.verify import tensors as T
from streda.verify.cmd_tensor import numeric_tensor
from streda.verify.printed import tensors as printed

POINT = RashbaModel.from_string("eps=1,gamma=1/10,Delta=3/10,Mz=2/5,m=2,e=3")
DPS = 30
ROWS = {"K": "xyz", "sigma": "xy"}


def ball_mp(x, dps: int = 50):
    """Midpoint of an acb ball as an mpmath complex at ``dps`` digits."""
    with mpmath.workdps(dps):
        return mpmath.mpc(mpmath.mpf(x.real.mid().str(dps, radius=False)),
                          mpmath.mpf(x.imag.mid().str(dps, radius=False)))


def _swap(word, side: str):
    return tuple(Factor("G", side) if f.kind == "G" else f for f in word)


@lru_cache(maxsize=None)
def quad_entry(kind: str, k: int, row: str, col: str, pt: RashbaModel = POINT, dps: int = DPS):
    """(value, error estimate) of the physical entry at order M_x^k by quadrature."""
    alpha = ("sigma_" if kind == "K" else "v_") + row
    parts, errs = {}, {}
    with mpmath.workdps(dps + 10):
        for part in ("RA", "RR", "AA"):
            acc, err = mpmath.mpc(0), mpmath.mpf(0)
            for D in bare_bubbles(k, alpha=alpha, beta="v_" + col):
                lad = to_ladder(D)
                assert not lad.rungs
                word = tuple(lad.outer) + tuple(lad.core)
                if part != "RA":
                    word = _swap(word, part[0])
                vals, e = integrate_word_quad(word, pt, dps, error=True)
                acc += D.graph["prefactor"] * 2 * vals["0"]
                err += 2 * e
            parts[part], errs[part] = acc, err
        fac = pt.mp("e") / (8 * mpmath.pi) if kind == "K" else pt.mp("e") ** 2 / (4 * mpmath.pi)
        value = fac * (2 * parts["RA"] - parts["RR"] - parts["AA"])
        error = fac * (2 * errs["RA"] + errs["RR"] + errs["AA"])
    return value, error


def _check_against_quadrature(kind: str, k: int, entries):
    allk = numeric_tensor(kind, "bare", k, POINT, DPS)
    num = allk[k]
    with mpmath.workdps(50):
        # the size of the tensor at this order (for an order that vanishes, e.g. σ^(1): at M_x^0)
        scale = max(abs(ball_mp(v)) for v in num.values()) or max(abs(ball_mp(v)) for v in allk[0].values())
        assert scale > 1e-3
        for rc in entries:
            q, err = quad_entry(kind, k, rc[0], rc[1])
            b = ball_mp(num[rc])
            assert err < mpmath.mpf(10) ** -28 * scale, (kind, k, rc, err)
            # ≥ 25 significant digits of the tensor at this order
            assert abs(q - b) < mpmath.mpf(10) ** -25 * scale, (kind, k, rc, q, b)


# --------------------------------------------------------------------------- quadrature

def test_K1_agrees_with_quadrature():
    _check_against_quadrature("K", 1, ["xx", "zx", "zy"])


def test_sigma0_agrees_with_quadrature():
    _check_against_quadrature("sigma", 0, ["xx", "xy"])


@pytest.mark.slow
@pytest.mark.parametrize("kind,k", [("K", 0), ("K", 2), ("K", 3), ("sigma", 1), ("sigma", 2)])
def test_all_orders_agree_with_quadrature(kind, k):
    _check_against_quadrature(kind, k, [r + c for r in ROWS[kind] for c in "xy"])


@pytest.mark.slow
def test_remaining_entries_of_the_default_orders_agree_with_quadrature():
    _check_against_quadrature("K", 1, ["xy", "yx", "yy"])
    _check_against_quadrature("sigma", 0, ["yx", "yy"])


def test_control_quadrature_check_detects_a_wrong_sign():
    """Negative control: the same comparison with the Dyson sign dropped fails (K^(1)_zx)."""
    num = ball_mp(numeric_tensor("K", "bare", 1, POINT, DPS)[1]["zx"])
    q, _ = quad_entry("K", 1, "z", "x")
    with mpmath.workdps(50):
        assert abs(q - num) < mpmath.mpf(10) ** -25 * abs(num)
        assert abs(-q - num) > mpmath.mpf("0.1") * abs(num)


# --------------------------------------------------------------------------- parity (Eq. 11)

K_PARITY = {  # entry: (parity in m_x, parity in m_z), +1 even, -1 odd
    "xx": (1, -1), "yy": (1, -1), "xy": (1, 1), "yx": (1, 1), "zx": (-1, 1), "zy": (-1, -1)}
SIGMA_PARITY = {"xx": (1, 1), "yy": (1, 1), "xy": (1, -1), "yx": (1, -1)}


def _mz_parity(a, b):
    """+1 if a = b(−M_z), −1 if a = −b, 0 if a = b = 0, None if neither."""
    if a.contains(0) and b.contains(0):
        return 0
    if (a - b).contains(0):
        return 1
    if (a + b).contains(0):
        return -1
    return None


def _parities(kind: str, max_k: int):
    up = numeric_tensor(kind, "bare", max_k, RashbaModel.from_string("Mz=2/5"), DPS)
    dn = numeric_tensor(kind, "bare", max_k, RashbaModel.from_string("Mz=-2/5"), DPS)
    return {(k, key): _mz_parity(up[k][key], dn[k][key]) for k in up for key in up[k]}, up, dn


@pytest.mark.parametrize("kind,table,max_k", [("K", K_PARITY, 3), ("sigma", SIGMA_PARITY, 2)])
def test_parity_structure(kind, table, max_k):
    par, _, _ = _parities(kind, max_k)
    for (k, key), p in par.items():
        px, pz = table[key]
        if (-1) ** k != px:           # wrong M_x parity: the order must vanish
            assert p == 0, (kind, k, key)
        else:
            assert p == pz, (kind, k, key, p)
    # every entry is non-zero at some order (the structure is not trivially satisfied)
    assert all(any(par[(k, key)] not in (0, None) for k in range(max_k + 1)) for key in table)


def test_control_parity_detector_rejects_a_mixed_entry():
    """Negative control: K_xx + K_xy mixes odd and even m_z parts; it has no parity."""
    _, up, dn = _parities("K", 0)
    assert _mz_parity(up[0]["xx"] + up[0]["xy"], dn[0]["xx"] + dn[0]["xy"]) is None
    # and a wrong expectation (K_xy odd in m_z) would be caught
    assert _mz_parity(up[0]["xy"], dn[0]["xy"]) != -1


# --------------------------------------------------------------------------- statuses by γ → 0

GAMMAS = ("1/1000", "1/10000", "1/100000", "1/1000000")


def _residuals(eq: str, row: str, col: str, k: int):
    """Exact-in-γ value minus the printed leading terms, at decreasing γ."""
    expr = printed.canonical(printed.get(eq, row, col, mx_order=k).expr)
    out = []
    for g in GAMMAS:
        pt = RashbaModel.from_string(f"eps=1,gamma={g},Delta=3/10,Mz=2/5,m=2,e=3")
        v = ball_mp(numeric_tensor("K", "bare", k, pt, 40)[k][row + col])
        with mpmath.workdps(50):
            p = mpmath.mpmathify(sympy.N(expr.subs(pt.subs()), 50))
            out.append(abs(v - p))
    return out


def _status(eq, row, col, k, tau_order):
    hits = [c for c in T.compare_bare(eq) if c.row == row and c.column == col
            and c.mx_order == k and c.tau_order == tau_order]
    assert len(hits) == 1
    return hits[0].status


@pytest.mark.parametrize("eq,row,col,k", [("C8a", "z", "y", 1), ("K0bare", "x", "y", 0),
                                          ("C8b", "y", "x", 2)])
def test_agreeing_entries_residual_shrinks_like_gamma(eq, row, col, k):
    assert _status(eq, row, col, k, 1) == "agrees"
    r = _residuals(eq, row, col, k)
    for a, b in zip(r, r[1:]):
        assert b / a == pytest.approx(0.1, rel=1e-3)


def test_differing_tau1_entry_residual_grows_like_one_over_gamma():
    """Eq. (15a) [x, y] at M_x^0: the printed τ¹ coefficient has the opposite sign."""
    assert _status("15a", "x", "y", 0, 1) == "differs"
    r = _residuals("15a", "x", "y", 0)
    for a, b in zip(r, r[1:]):
        assert b / a == pytest.approx(10, rel=1e-3)


@pytest.mark.parametrize("row,col,k", [("y", "y", 0), ("x", "x", 2)])
def test_differing_tau0_entries_residual_does_not_shrink(row, col, k):
    assert _status("15a", row, col, k, 0) == "differs" and _status("15a", row, col, k, 1) == "agrees"
    r = _residuals("15a", row, col, k)
    assert r[-1] > mpmath.mpf("0.01")
    for a, b in zip(r, r[1:]):
        assert b / a == pytest.approx(1, rel=1e-3)


# --------------------------------------------------------------------------- RR and AA

def test_rr_aa_parts_of_K_vanish_exactly():
    """Expectation by power counting (not from a run): RR has all poles on one side, so only a
    half-arc could contribute, which needs a 1/ξ tail.  Tr σ_a G^R v_b G^R has one spin vertex:
    with G ~ 1/ξ the α σ part of v gives ξ⁻², the p/m part ~ √ξ e^{±iφ} averages to zero
    against the scalar leading G and leaves ≤ ξ^{-3/2}: no arc at any order, RR = AA = 0
    for all 6 entries, 4 orders, 2 parts."""
    rep = T.rr_aa_report("K", 3)
    assert len(rep) == 4 * 6 * 2 and all(r["exactly_zero"] for r in rep)


def test_rr_aa_parts_of_sigma_xx_do_not_vanish():
    """Expectation by power counting (not from a run): all poles of Tr v_a G^R v_b G^R lie on
    one side, so RR is the half-arc term alone, non-zero only if the integrand decays like
    1/ξ.  At M_x⁰ it does, Tr p_a p_b/(m²ξ²) ~ δ_ab/ξ after the angle average (⟨p_xp_y⟩ = 0):
    diagonal entries only.  At M_x¹ one more G gives ξ⁻²: no arc, RR = AA = 0."""
    rep = T.rr_aa_report("sigma", 1)
    nonzero = {(r["mx_order"], r["row"] + r["column"], r["part"]) for r in rep if not r["exactly_zero"]}
    assert {(0, "xx", "RR"), (0, "xx", "AA"), (0, "yy", "RR"), (0, "yy", "AA")} == nonzero


def test_rr_parts_by_quadrature():
    """Second method (m_e = 1): Tr σ_y G^R v_x G^R ≈ 0; Tr v_x G^R v_x G^R equals the engine's RR."""
    pt = RashbaModel.from_string("eps=1,gamma=1/10,Delta=3/10,Mz=2/5")
    k_rr = integrate_word_quad("sy GR vx GR", pt, dps=20)
    assert abs(k_rr["0"]) < 1e-17
    s_rr = 2 * integrate_word_quad("vx GR vx GR", pt, dps=20)["0"]
    with ev.flint_precision(40):
        eng = kubo.tensor_order("sigma", 0, ev.ball_backend(pt))[("x", "x")]["RR"]
    assert abs(s_rr) > 0.1
    assert abs(s_rr - ball_mp(eng)) < 1e-17


def test_reduced_total_matches_numeric_tensor():
    """The exact reduced value, evaluated at m_e = 1, times e/8π, is numeric_tensor's entry."""
    pt = RashbaModel.from_string("eps=1,gamma=1/10,Delta=3/10,Mz=2/5")
    val = T.reduced_total("K", 1, "z", "y")
    expr = ev.exact_to_sympy(val).subs({k: v for k, v in pt.subs().items()})
    with mpmath.workdps(40):
        exact = mpmath.mpmathify(sympy.N(expr, 40)) / (8 * mpmath.pi)
        num = ball_mp(numeric_tensor("K", "bare", 1, pt, 40)[1]["zy"])
        assert abs(exact - num) < mpmath.mpf(10) ** -35


def test_words_of_bare_bubbles():
    """The quadrature builder reads the diagrams the engine uses (Fig. 2b)."""
    words = sorted(" ".join(f.token for f in tuple(to_ladder(D).outer) + tuple(to_ladder(D).core))
                   for D in bare_bubbles(1, alpha="sigma_z", beta="v_y"))
    assert words == ["sz GR sx GR vy GA", "sz GR vy GA sx GA"]
    assert parse_word(words[0])[0] == Factor("sigma", "z")
