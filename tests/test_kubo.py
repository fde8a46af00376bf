"""Kubo–Středa tensors from diagrams (:mod:`streda.integrals.kubo`), checked against derivations.

* **Symmetry (Eq. 10–11, derived here).**  Under p → −p with σ_z-conjugation,
  H[M_x] → H[−M_x], v → −v, σ_{x,y} → −σ_{x,y}, σ_z → σ_z: so K_{xβ}, K_{yβ} are
  even and K_{zβ} odd in M_x, and every σ_{αβ} is even in M_x.  Under p_x → −p_x
  with σ_x-conjugation, H[M_z] → H[−M_z], v_x → −v_x, v_y → v_y, σ_y,z → −σ_y,z: K_xx,
  K_yy, K_zy are odd and K_xy, K_yx, K_zx even in M_z; σ_xy, σ_yx odd, σ_xx, σ_yy even.
  Hence at order M_x^k: for even k the z row of K vanishes, for odd k the x and y
  rows of K and the whole of σ vanish; the M_z parities are checked at rational
  points (s, t fixed: they depend on M_z² only).  Control: a σ_y insertion (an
  in-plane field along y) breaks the σ_x mirror and flips the M_z parity.
* **One-sided parts.**  With one velocity vertex and ≥ 2 Green's functions of one
  kind the averaged integrand is O(ξ^{-3/2}), rational, so O(ξ⁻²): closing on the
  pole-free side gives RR = AA = 0 for K exactly.  For σ (two velocity vertices,
  order k = 0) the RR term decays like c/ξ with c = ⟨p_x²⟩/ξ = 1 for xx, yy and
  ⟨p_x p_y⟩ = 0 for xy: the half-circle gives Tr ∫v_xG^Rv_xG^R = 2·(i/2)·1 = i,
  AA = −i; the quadrature path (symmetric cut-off, physical point) agrees.
* **Diagrams vs words.**  The bare bubbles of order k, written directly as the
  Dyson words (−1)^k Tr σ_α (G^Rσ_x)^m G^R v_β G^A (σ_x G^A)^{k−m}, give the same entries.
* **Ladders.**  One rung: α_d Σ_j X_j Tr[outer ∫ left σ_j right] with X = I[core],
  α_d = 2γ.  Many rungs: with L(X) = α_d∫G^R X G^A and L(p_x) = α σ_y (Eq. C4/C5a),
  Σ_{n=0}^{N} L^n(v_x) + α L^N(σ_y) = p_x by induction (v_x = p_x − ασ_y), so for every N
      Σ_{n≤N} ladder_n[GR vx GA] + α·ladder_N[GR sy GA] = Tr σ_α I[GR px GA]   exactly.
"""
from __future__ import annotations

from fractions import Fraction as F

import mpmath
import pytest
import sympy

from streda.integrals import bubble
from streda.integrals import evaluate as ev
from streda.integrals.bubble import integrate_sum, integrate_word
from streda.integrals.cx import Cx
from streda.integrals.kubo import alpha_d, ladder_value, physical_factor, tensor_order
from streda.integrals.model import RashbaModel
from streda.integrals.quadrature import integrate_word_quad
from streda.integrals.word import Ladder, parse_word

I = sympy.I
RPOINTS = [
    dict(s=F(7, 3), t=F(5, 2), a=F(2, 3), M=F(1, 5)),
    dict(s=F(-11, 4), t=F(13, 5), a=F(3, 2), M=F(-2, 7)),
]
PT = RashbaModel.from_string("eps=1,gamma=1/10,Delta=3/10,Mz=2/5")

#: M_z parity (+1 even, −1 odd) of each entry, derived in the module docstring
K_MZ = {("x", "x"): -1, ("x", "y"): +1, ("y", "x"): +1, ("y", "y"): -1, ("z", "x"): +1, ("z", "y"): -1}
S_MZ = {("x", "x"): +1, ("x", "y"): -1, ("y", "x"): -1, ("y", "y"): +1}


def W(text: str) -> tuple:
    return parse_word(text)


def at(value, pt: dict) -> sympy.Expr:
    """An exact value (Cx of KFrac) at rational (s, t, a, M)."""
    vals = {k: sympy.Rational(v.numerator, v.denominator) for k, v in pt.items()}
    vals["eta"] = sympy.Symbol("eta")
    part = lambda x: sympy.Integer(0) if x is None else x.to_sympy(vals)  # noqa: E731
    return sympy.expand(part(value.re) + I * part(value.im))


def is_zero(value) -> bool:
    return value.is_zero() if isinstance(value, Cx) else value == 0


def mz_parity(value) -> int | None:
    """+1 / −1 if the exact value is even / odd under M → −M at both rational points, else None."""
    signs = set()
    for pt in RPOINTS:
        v, w = at(value, pt), at(value, dict(pt, M=-pt["M"]))
        if v == w and v != 0:
            signs.add(1)
        elif v == -w and v != 0:
            signs.add(-1)
        else:
            signs.add(None)
    return signs.pop() if len(signs) == 1 else None


@pytest.fixture(scope="module")
def B():
    return ev.exact_backend()


# ------------------------------------------------------------------ Eq. (11): parity pattern

@pytest.mark.parametrize("k", range(4))
def test_K_parity_pattern(k, B):
    T = tensor_order("K", k, B)
    for (row, col), parts in T.items():
        must_vanish = (row == "z") if k % 2 == 0 else (row in "xy")
        if must_vanish:
            assert all(is_zero(v) for v in parts.values()), (k, row, col)
        else:
            assert not is_zero(parts["RA"]), (k, row, col)
            assert mz_parity(parts["RA"]) == K_MZ[(row, col)], (k, row, col)


@pytest.mark.parametrize("k", range(4))
def test_sigma_parity_pattern(k, B):
    T = tensor_order("sigma", k, B)
    for (row, col), parts in T.items():
        if k % 2:
            assert all(is_zero(v) for v in parts.values()), (k, row, col)
        else:
            assert not is_zero(parts["RA"])
            assert mz_parity(parts["RA"]) == S_MZ[(row, col)], (k, row, col)


def _order1_words(row: str, col: str, ins: str):
    """Order-1 Dyson words of K with the in-plane insertion σ_ins."""
    return [(W(f"s{row} GR s{ins} GR v{col} GA"), -1), (W(f"s{row} GR v{col} GA s{ins} GA"), -1)]


def test_parity_control_field_along_y():
    """Negative control: with σ_y insertions (in-plane field along y) K_zx^(1) is odd in M_z, so the
    even-parity check of Eq. (11) fails for it, while the σ_x words pass."""
    good = integrate_sum(_order1_words("z", "x", "x"), ev.exact_backend(), ("0",))["0"]
    bad = integrate_sum(_order1_words("z", "x", "y"), ev.exact_backend(), ("0",))["0"]
    assert mz_parity(good) == K_MZ[("z", "x")] == 1
    assert not is_zero(bad)
    assert mz_parity(bad) == -1


# ------------------------------------------------------------------ diagrams vs Dyson words

def dyson_words(kind: str, row: str, col: str, k: int):
    outer = f"s{row}" if kind == "K" else f"v{row}"
    return [(W(" ".join([outer] + ["GR sx"] * m + ["GR", f"v{col}", "GA"] + ["sx GA"] * (k - m))), (-1) ** k)
            for m in range(k + 1)]


@pytest.mark.parametrize("kind,k", [("K", 0), ("K", 1), ("K", 2), ("K", 3), ("sigma", 0), ("sigma", 2)])
def test_tensor_equals_dyson_words(kind, k, B):
    """tensor_order (via the diagram enumerator and ladders) = Σ_m (−1)^k Tr[...] written by hand."""
    T = tensor_order(kind, k, B, parts=("RA",))
    for (row, col), parts in T.items():
        tr = integrate_sum(dyson_words(kind, row, col, k), B, ("0",))["0"]
        for pt in RPOINTS:
            assert at(parts["RA"], pt) == 2 * at(tr, pt), (kind, k, row, col)


# ------------------------------------------------------------------ RR and AA parts

@pytest.mark.parametrize("k", range(4))
def test_K_one_sided_parts_vanish(k, B):
    T = tensor_order("K", k, B, parts=("RR", "AA"))
    assert all(is_zero(v) for parts in T.values() for v in parts.values())


def test_sigma_one_sided_parts_closed_form(B):
    """σ^(0): RR = i δ_αβ, AA = −i δ_αβ (half-circle of the 1/ξ tail), exactly; zero at order 2."""
    T = tensor_order("sigma", 0, B, parts=("RR", "AA"))
    for (row, col), parts in T.items():
        want = I if row == col else 0
        assert sympy.simplify(ev.exact_to_sympy(parts["RR"]) - want) == 0, (row, col)
        assert sympy.simplify(ev.exact_to_sympy(parts["AA"]) + want) == 0, (row, col)
    T2 = tensor_order("sigma", 2, B, parts=("RR", "AA"))
    assert all(is_zero(v) for parts in T2.values() for v in parts.values())


def _sigma_vs_quadrature(entries, dps: int):
    with ev.flint_precision(dps):
        Bb = ev.ball_backend(PT)
        T = tensor_order("sigma", 0, Bb, parts=("RR", "RA"))
    for row, col, part in entries:
        word = f"v{row} GR v{col} G{part[1]}"
        q, err = integrate_word_quad(word, PT, dps=dps, error=True)
        v = T[(row, col)][part]
        with mpmath.workdps(dps + 5):
            mid = mpmath.mpc(v.real.mid().str(dps + 5, radius=False), v.imag.mid().str(dps + 5, radius=False))
            assert abs(2 * q["0"] - mid) <= 20 * err + mpmath.mpf(10) ** (5 - dps), (row, col, part)


def test_sigma_RR_against_quadrature():
    """The RR part at a physical point (balls) vs the quadrature path with the symmetric cut-off,
    ∫_0^∞[f(ξ) + f(−ξ)]dξ, of Tr ∫ v_α G^R v_β G^R (20 digits); one RA entry as well."""
    _sigma_vs_quadrature([("x", "x", "RR"), ("x", "y", "RR"), ("x", "y", "RA")], 20)


@pytest.mark.slow
def test_sigma_all_parts_against_quadrature_30_digits():
    _sigma_vs_quadrature([(r, c, p) for r in "xy" for c in "xy" for p in ("RR", "RA")], 30)


def test_one_sided_control_sigma_RR_is_not_zero(B):
    """Negative control for the vanishing of K's RR part: σ's RR part (two velocities) is non-zero."""
    T = tensor_order("sigma", 0, B, parts=("RR",))
    assert not is_zero(T[("x", "x")]["RR"])


def test_physical_factor_gives_the_dimensions_of_K_and_sigma():
    """Dimensional analysis (ħ = 1), independent of how the factor is written: K has the
    units of e·√(m/energy) (e α m τ of Eq. 16), σ of e²; the coefficient of M_x^k τ^j then
    scales as energy^(−1/2 − k + j)·mass^(1/2)·charge (K) and energy^(−k + j)·charge² (σ).
    Replaces a test that compared the factor with the helper it is built from."""
    from streda.integrals import model as M
    from streda.verify.tensors import coefficient

    lam_E, lam_m, lam_e = sympy.Integer(3), sympy.Integer(5), sympy.Integer(7)
    scale = {M.eps: lam_E * M.eps, M.Delta: lam_E * M.Delta, M.Mz: lam_E * M.Mz,
             M.m_e: lam_m * M.m_e, M.e_charge: lam_e * M.e_charge}
    for kind, k, r, c, j, dim in (("K", 1, "z", "y", 1, (sympy.Rational(-1, 2) - 1 + 1, sympy.Rational(1, 2), 1)),
                                  ("K", 0, "x", "x", 0, (sympy.Rational(-1, 2), sympy.Rational(1, 2), 1)),
                                  ("sigma", 0, "x", "y", 0, (0, 0, 2)),
                                  ("sigma", 0, "x", "x", 1, (1, 0, 2))):
        expr = coefficient(kind, k, r, c, j)
        assert expr != 0
        ratio = sympy.simplify(expr.subs(scale, simultaneous=True) / expr)
        assert ratio == lam_E ** dim[0] * lam_m ** dim[1] * lam_e ** dim[2], (kind, k, r, c, j, ratio)
    # control: a factor with the wrong power of m_e fails the same check
    bad = coefficient("K", 0, "x", "x", 0) * M.m_e ** sympy.Rational(1, 2)
    assert sympy.simplify(bad.subs(scale, simultaneous=True) / bad) != lam_E ** sympy.Rational(-1, 2) * lam_m ** sympy.Rational(1, 2) * lam_e


# ------------------------------------------------------------------ ladders

def _alpha_d_at(pt: dict) -> sympy.Expr:
    """α_d = 2γ = (E − Ē)/i = (s² − t²)/(2i a²) at a rational point (spin-independent)."""
    s, t, a = (sympy.Rational(pt[k].numerator, pt[k].denominator) for k in "sta")
    return (s ** 2 - t ** 2) / (2 * I * a ** 2)


def test_alpha_d_is_two_gamma_on_both_backends():
    """α_d = 1/(m_e τ) = 2γ (m_e = 1), checked in the model's own variables (exact backend) and
    as a ball at a point (the ball branch of ``alpha_d`` is separate code); with it the Born
    self-energy is reproduced, α_d ∫ d²p/(2π)² G^R = −iγ (Eq. C1–C3).  Replaces a test that
    compared ``alpha_d`` with a retyped copy of its own formula (s² − t²)/(2ia²)."""
    from streda.integrals import model as M

    Bx = ev.exact_backend()
    assert sympy.simplify(ev.exact_to_sympy(alpha_d(Bx)) - 2 * M.gamma) == 0
    born = integrate_word(W("GR"), Bx)["0"] * alpha_d(Bx)
    assert sympy.simplify(ev.exact_to_sympy(born) + I * M.gamma) == 0
    pt = RashbaModel.from_string("eps=3/2,gamma=1/7,Delta=1/2,Mz=1/3")
    with ev.flint_precision(30):
        Bb = ev.ball_backend(pt)
        ad = alpha_d(Bb)
        import flint

        g = flint.acb(flint.fmpq(1, 7))
        assert abs(ad - 2 * g) < 1e-25
        assert abs(ad * integrate_word(W("GR"), Bb)["0"] + flint.acb(0, 1) * g) < 1e-25


@pytest.mark.parametrize("outer,core,left,right", [
    ("sy", "GR vx GA", "GR", "GA"),
    ("sz", "GR sx GR vy GA", "GR sx GR", "GA"),
    ("sx", "GR vx GA sx GA", "GR", "GA sx GA"),
])
def test_one_rung_ladder_explicit(outer, core, left, right, B):
    """ladder_value = α_d Σ_j X_j Tr[outer · ∫ left σ_j right], X = I[core]."""
    lad = Ladder(core=W(core), rungs=((W(left), W(right)),), outer=W(outer))
    got = ladder_value(lad, B)
    X = integrate_word(W(core), B)
    for pt in RPOINTS:
        want = 0
        for j in "0xyz":
            Y = integrate_word(W(f"{outer} {left} s{j} {right}"), B)
            want += at(X[j], pt) * 2 * at(Y["0"], pt)
        assert at(got, pt) == sympy.expand(_alpha_d_at(pt) * want)


def test_one_rung_control_wrong_alpha_d(B):
    """Negative control: with α_d = γ (i.e. 1/τ mistaken for 1/2τ) the explicit formula disagrees."""
    lad = Ladder(core=W("GR vx GA"), rungs=((W("GR"), W("GA")),), outer=W("sy"))
    got = ladder_value(lad, B)
    X = integrate_word(W("GR vx GA"), B)
    pt = RPOINTS[0]
    want = sum(at(X[j], pt) * 2 * at(integrate_word(W(f"sy GR s{j} GA"), B)["0"], pt) for j in "0xyz")
    assert at(got, pt) != sympy.expand(_alpha_d_at(pt) / 2 * want)


def _ladder(core: str, n: int, outer: str) -> Ladder:
    return Ladder(core=W(core), rungs=tuple((W("GR"), W("GA")) for _ in range(n)), outer=W(outer))


@pytest.mark.parametrize("outer", ["sx", "sy", "sz"])
def test_ladder_sum_dresses_velocity_to_momentum(outer, B):
    """Σ_{n≤N} ladder_n[GR vx GA] + α·ladder_N[GR sy GA] = Tr σ_α I[GR px GA], N = 0..3, exactly."""
    target = integrate_word(W(f"{outer} GR px GA"), B)["0"]
    partial = []
    for N in range(4):
        partial.append(ladder_value(_ladder("GR vx GA", N, outer), B))
        tail = ladder_value(_ladder("GR sy GA", N, outer), B)
        for pt in RPOINTS:
            a = sympy.Rational(pt["a"].numerator, pt["a"].denominator)
            lhs = sum(at(p, pt) for p in partial) + a * at(tail, pt)
            assert sympy.expand(lhs) == 2 * at(target, pt), (outer, N)


def test_ladder_sum_control_bare_bubble_alone():
    """Negative control: without the rungs (N = 1 but dropping ladder_1) the identity fails for σ_y."""
    B = ev.exact_backend()
    pt = RPOINTS[0]
    a = sympy.Rational(pt["a"].numerator, pt["a"].denominator)
    target = 2 * at(integrate_word(W("sy GR px GA"), B)["0"], pt)
    lhs = at(ladder_value(_ladder("GR vx GA", 0, "sy"), B), pt) + a * at(ladder_value(_ladder("GR sy GA", 1, "sy"), B), pt)
    assert sympy.expand(lhs) != target


def test_bubble_words_equal_the_diagram_enumeration():
    """integrals writes the bare bubbles from the Dyson series; the graph enumerator of
    diagrams/ draws them independently: the same Ladders, signs and order, term by term."""
    from streda.diagrams import bare_bubbles, to_ladder
    from streda.integrals.kubo import bubble_ladders

    for kind, rows in (("K", "xyz"), ("sigma", "xy")):
        for r in rows:
            for c in "xy":
                for n in range(6):
                    drawn = tuple((to_ladder(D), D.graph["prefactor"])
                                  for D in bare_bubbles(n, alpha=("sigma_" if kind == "K" else "v_") + r,
                                                        beta="v_" + c))
                    assert drawn == bubble_ladders(kind, r, c, n)
    # control: a different order's words are not these
    assert bubble_ladders("K", "x", "x", 2) != bubble_ladders("K", "x", "x", 1)
