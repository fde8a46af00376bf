"""Tests of the independent quadrature path :mod:`streda.integrals.quadrature`.

Every check compares with an independent derivation: a brute-force angle
average built from the Hamiltonian by matrix inversion and Gauss-Legendre
quadrature in φ; closed forms from Cauchy's theorem (pure-retarded words, the
Born self-energy); a residue evaluation of α_d∫G^Aσ_xG^R written out by hand
below; the paper's Eq. (C4) and (C9) with stated tolerances.  Each check has a
negative control that must fail, and a test proving that it fails.

Conventions (paper, ħ = 1): G^R = [ε + iγ − H]^{-1}, H = ξ + α(σ_x p_y − σ_y p_x)
− M_z σ_z, α_d = 1/(m τ) = 2γ/m; ξ over the whole real axis.
"""
from __future__ import annotations

import mpmath
import pytest

from streda.integrals.model import RashbaModel
from streda.integrals.quadrature import (
    QuadratureError, angle_degree, average_angle, decay_order, integrate_word_quad, xi_poles,
)

KEYS = ("0", "x", "y", "z")


def point(text: str) -> RashbaModel:
    return RashbaModel.from_string(text)


def alpha_d(pt: RashbaModel):
    """α_d = 1/(m_e τ) = 2γ/m_e."""
    return 2 * pt.mp("gamma") / pt.mp("m")


def maxdiff(a: dict, b: dict):
    return max(abs(a[k] - b[k]) for k in KEYS)


def size(a: dict):
    return max(abs(a[k]) for k in KEYS)


# --------------------------------------------------------------- independent brute force

_S0 = mpmath.eye(2)
_SX = mpmath.matrix([[0, 1], [1, 0]])
_SY = mpmath.matrix([[0, -1j], [1j, 0]])
_SZ = mpmath.matrix([[1, 0], [0, -1]])


def brute_average(word: str, pt: RashbaModel, xi) -> mpmath.matrix:
    """(1/2π)∫dφ F_1…F_k from the definitions: G = (ε ± iγ ± iγ_zσ_z − H)^{-1} by matrix
    inversion, Gauss-Legendre in φ on four quarter periods (no use of the module's formulas)."""
    eps, g, mz, m, al, gz = (pt.mp(k) for k in ("eps", "gamma", "Mz", "m", "alpha", "gamma_z"))
    xi = mpmath.mpf(xi)
    p = mpmath.sqrt(mpmath.mpc(2 * m * xi))
    cache: dict = {}

    def prod(phi):
        if phi not in cache:
            px, py = p * mpmath.cos(phi), p * mpmath.sin(phi)
            h = (p * p / (2 * m)) * _S0 + al * (_SX * py - _SY * px) - mz * _SZ
            out = _S0
            for t in word.split():
                if t == "GR":
                    f = mpmath.inverse((eps + 1j * g) * _S0 + 1j * gz * _SZ - h)
                elif t == "GA":
                    f = mpmath.inverse((eps - 1j * g) * _S0 - 1j * gz * _SZ - h)
                elif t[0] == "s":
                    f = {"0": _S0, "x": _SX, "y": _SY, "z": _SZ}[t[1]]
                else:
                    vx = (px / m) * _S0 - (al * _SY if t[0] == "v" else 0 * _S0)
                    vy = (py / m) * _S0 + (al * _SX if t[0] == "v" else 0 * _S0)
                    f = {"x": vx, "y": vy, "+": vx + 1j * vy, "-": vx - 1j * vy}[t[1]]
                out = out * f
            cache[phi] = out
        return cache[phi]

    res = mpmath.matrix(2, 2)
    for i in range(2):
        for j in range(2):
            res[i, j] = mpmath.quad(lambda f: prod(f)[i, j], mpmath.linspace(0, 2 * mpmath.pi, 5),
                                    method="gauss-legendre") / (2 * mpmath.pi)
    return res


# --------------------------------------------------------------- exact angle average

@pytest.mark.parametrize("word,xi", [
    ("GA sx GR", "0.7"),
    ("GR px GA", "-0.7"),             # ξ < 0: imaginary momentum
    ("p+ GR vy GA sz v-", "1.9"),
    ("GR sx GR vx GA sy", "0.35"),
])
def test_trapezoid_angle_average_is_exact(word, xi):
    pt = point("eps=1,gamma=1/10,Delta=3/10,Mz=2/5,gamma_z=1/30,m=3/2")
    with mpmath.workdps(30):
        ref = brute_average(word, pt, xi)
        got = average_angle(word, pt, xi, dps=30)
        assert mpmath.mnorm(got - ref, 1) < mpmath.mpf(10) ** -27 * (1 + mpmath.mnorm(ref, 1))


def test_too_few_angles_is_not_exact():
    """Negative control: 'GA px GR' has a second harmonic (off-diagonal e^{-iφ}·p_x), so
    two angles alias it onto the average; the default degree + 2 = 5 angles do not."""
    pt = point("eps=1,gamma=1/10,Delta=3/10,Mz=2/5")
    assert angle_degree("GA px GR") == 3
    with mpmath.workdps(30):
        ref = brute_average("GA px GR", pt, "0.7")
        bad = average_angle("GA px GR", pt, "0.7", dps=30, n_angles=2)
        good = average_angle("GA px GR", pt, "0.7", dps=30, n_angles=4)
        assert mpmath.mnorm(bad - ref, 1) > 1e-3
        assert mpmath.mnorm(good - ref, 1) < 1e-27


@pytest.mark.parametrize("word", ["GA px GR sy", "GR p+ GA v-", "GR sx GR vy GA"])
def test_branch_of_momentum_does_not_matter(word):
    """For ξ < 0 the averaged integrand is even in p, so p = ±i√(2m|ξ|) agree."""
    pt = point("eps=1,gamma=1/10,Delta=3/10,Mz=2/5")
    with mpmath.workdps(30):
        a = average_angle(word, pt, "-0.8", dps=30, branch=1)
        b = average_angle(word, pt, "-0.8", dps=30, branch=-1)
        assert mpmath.mnorm(a - b, 1) < 1e-28 * mpmath.mnorm(a, 1)
        # negative control: a single angle (φ = 0) is not an average and is odd in p
        a1 = average_angle(word, pt, "-0.8", dps=30, branch=1, n_angles=1)
        b1 = average_angle(word, pt, "-0.8", dps=30, branch=-1, n_angles=1)
        assert mpmath.mnorm(a1 - b1, 1) > 1e-3 * mpmath.mnorm(a1, 1)


# --------------------------------------------------------------- poles

def test_poles_are_roots_of_det_and_eq_c3():
    """x± = ε + iγ + Δ ∓ √(λ² + 2iγΔ) (Eq. C3), conjugates for G^A; with γ_z the roots of
    det = ξ² − 2(a + Δ)ξ + a² − c² (a = ε ± iγ, c = M_z ± iγ_z), found by polyroots."""
    pt = point("eps=1,gamma=1/10,Delta=3/10,Mz=2/5")
    with mpmath.workdps(30):
        e, g, d, mz = (pt.mp(k) for k in ("eps", "gamma", "Delta", "Mz"))
        s = mpmath.sqrt(d ** 2 + 2 * e * d + mz ** 2 + 2j * g * d)
        xp, xm = e + 1j * g + d - s, e + 1j * g + d + s
        r = xi_poles(pt, 30)
        assert abs(r["R"][0] - xp) < 1e-28 and abs(r["R"][1] - xm) < 1e-28
        assert abs(r["A"][0] - mpmath.conj(xp)) < 1e-28 and abs(r["A"][1] - mpmath.conj(xm)) < 1e-28
        ptz = point("eps=1,gamma=1/10,Delta=3/10,Mz=2/5,gamma_z=1/7")
        for label, sg in (("R", 1), ("A", -1)):
            a = ptz.mp("eps") + sg * 1j * ptz.mp("gamma")
            c = ptz.mp("Mz") + sg * 1j * ptz.mp("gamma_z")
            roots = mpmath.polyroots([1, -2 * (a + ptz.mp("Delta")), a * a - c * c], extraprec=60)
            got = xi_poles(ptz, 30)[label]
            for x in got:
                assert min(abs(x - y) for y in roots) < 1e-27


# --------------------------------------------------------------- Cauchy: closed forms

@pytest.mark.parametrize("params", ["eps=1,gamma=1/10,Delta=3/10,Mz=2/5",
                                    "eps=2,gamma=1/3,Delta=1/2,Mz=-1,m=2"])
def test_born_self_energy(params):
    """α_d∫d²p/(2π)² G^R = −iγ·1 exactly (whole axis, symmetric limit).

    Derivation: G^R = [a − ξ + αpσ_φ − M_zσ_z]/((ξ − x₊)(ξ − x₋)), a = ε + iγ, both
    poles in the upper half plane.  σ_φ averages to 0.  The σ_z part decays like 1/ξ²:
    close in the lower half plane, no pole, 0.  The scalar part ~ −1/ξ: the lower
    semicircle from L to −L contributes ∫(−1/ξ)dξ = iπ, so ∫_{−L}^{L} = −iπ, and
    α_d (m/2π)(−iπ) = (2γ/m)(m/2π)(−iπ) = −iγ.  G^A: +iγ.
    """
    pt = point(params)
    with mpmath.workdps(30):
        g = pt.mp("gamma")
        for word, target in (("GR", -1j * g), ("GA", 1j * g)):
            c = integrate_word_quad(word, pt, 30)
            assert abs(alpha_d(pt) * c["0"] - target) < 1e-27
            for k in "xyz":
                assert abs(c[k]) < 1e-27


def test_born_self_energy_with_small_gamma_z_is_still_scalar():
    """Finding: a σ_z self-energy γ_z with |γ_z| < γ keeps both poles of G^R in the upper
    half plane (iγ + iγ_zσ_z stays positive definite, no real root), so on the whole real
    axis the σ_z part still integrates to 0 and the scalar part to −iγ."""
    pt = point("eps=1,gamma=1/10,Delta=3/10,Mz=2/5,gamma_z=1/11")
    with mpmath.workdps(30):
        assert all(mpmath.im(x) > 0 for x in xi_poles(pt, 30)["R"])
        c = integrate_word_quad("GR", pt, 30)
        assert abs(alpha_d(pt) * c["0"] + 1j * pt.mp("gamma")) < 1e-27
        assert abs(c["z"]) < 1e-27


def test_born_self_energy_control_gamma_z_above_gamma():
    """Negative control: γ_z > γ moves one pole x₁ of G^R below the real axis; then the σ_z
    part is non-zero.  Closing in the lower half plane (clockwise, encloses x₁):
    ∫ −c/((ξ−x₁)(ξ−x₂)) = 2πi c/(x₁−x₂) and ∫(a−ξ)/(…) = −iπ − 2πi (a−x₁)/(x₁−x₂)."""
    pt = point("eps=1,gamma=1/10,Delta=3/10,Mz=2/5,gamma_z=1/5")
    with mpmath.workdps(30):
        a = pt.mp("eps") + 1j * pt.mp("gamma")
        c = pt.mp("Mz") + 1j * pt.mp("gamma_z")
        roots = mpmath.polyroots([1, -2 * (a + pt.mp("Delta")), a * a - c * c], extraprec=60)
        (x1,) = [x for x in roots if mpmath.im(x) < 0]
        (x2,) = [x for x in roots if mpmath.im(x) > 0]
        measure = pt.mp("m") / (2 * mpmath.pi)
        want_z = measure * 2j * mpmath.pi * c / (x1 - x2)
        want_0 = measure * (-1j * mpmath.pi - 2j * mpmath.pi * (a - x1) / (x1 - x2))
        got = integrate_word_quad("GR", pt, 30)
        assert abs(got["z"] - want_z) < 1e-26 and abs(got["0"] - want_0) < 1e-26
        assert abs(alpha_d(pt) * got["z"]) > 1e-2          # the control does fail the identity
        assert abs(alpha_d(pt) * got["0"] + 1j * pt.mp("gamma")) > 1e-2


@pytest.mark.parametrize("word", ["GR sx GR", "GR GR px GR sy", "GR vx GR sz GR"])
def test_pure_retarded_words_vanish(word):
    """Words with only G^R decaying like 1/ξ² or faster: all poles in the upper half plane,
    close in the lower one: I = 0 (whole-axis prescription)."""
    pt = point("eps=1,gamma=1/10,Delta=3/10,Mz=2/5")
    assert decay_order(word) >= 2
    with mpmath.workdps(30):
        assert size(integrate_word_quad(word, pt, 30)) < 1e-27
        # negative control: replacing the last G^R by G^A gives a non-zero integral
        cut = word.rindex("GR")
        mixed = word[:cut] + "GA" + word[cut + 2:]
        assert size(integrate_word_quad(mixed, pt, 30)) > 1e-2


# --------------------------------------------------------------- Eq. (C4)

def residue_ga_sx_gr(pt: RashbaModel) -> dict:
    """α_d∫G^Aσ_xG^R by residues, derived by hand (independent of the module).

    Angle average of the numerators: (u_A − M_zσ_z)σ_x(u_R − M_zσ_z) + α²p²⟨σ_φσ_xσ_φ⟩
    = (u_Au_R − M_z²)σ_x + 2M_zγσ_y   (⟨σ_φσ_xσ_φ⟩ = 0, u_{R,A} = ε ± iγ − ξ).
    Denominator D_R D_A with D_R = (ξ−x₊)(ξ−x₋) (upper half plane), D_A = conjugate
    poles.  Decay 1/ξ²: ∫dξ N/(D_R D_A) = 2πi Σ_{x = x±} N(x)/(D_R'(x) D_A(x)).
    """
    e, g, d, mz, m = (pt.mp(k) for k in ("eps", "gamma", "Delta", "Mz", "m"))
    s = mpmath.sqrt(d ** 2 + 2 * e * d + mz ** 2 + 2j * g * d)
    xs = [e + 1j * g + d - s, e + 1j * g + d + s]

    def dr_prime(x):
        return 2 * x - xs[0] - xs[1]

    def da(x):
        return (x - mpmath.conj(xs[0])) * (x - mpmath.conj(xs[1]))

    def integral(num):
        return 2j * mpmath.pi * sum(num(x) / (dr_prime(x) * da(x)) for x in xs)

    pref = alpha_d(pt) * m / (2 * mpmath.pi)
    cx = pref * integral(lambda x: (e - 1j * g - x) * (e + 1j * g - x) - mz ** 2)
    cy = pref * integral(lambda x: 2 * mz * g)
    return {"x": cx, "y": cy}


@pytest.mark.parametrize("params", ["eps=1,gamma=1/10,Delta=3/10,Mz=2/5",
                                    "eps=3,gamma=2,Delta=1/2,Mz=-1,m=2"])
def test_c4_line1_against_residues(params):
    pt = point(params)
    with mpmath.workdps(30):
        want = residue_ga_sx_gr(pt)
        got = integrate_word_quad("GA sx GR", pt, 30)
        ad = alpha_d(pt)
        assert abs(ad * got["x"] - want["x"]) < 1e-26
        assert abs(ad * got["y"] - want["y"]) < 1e-26
        assert abs(got["0"]) < 1e-26 and abs(got["z"]) < 1e-26
        # negative control: the opposite sign of the σ_y (M_zγ) term is excluded
        assert abs(ad * got["y"] + want["y"]) > 1e-3


def _c4_printed_line1(pt):
    """Eq. (C4) line 1 as printed: α_d∫G^Aσ_xG^R = εΔ/(M_z²+2εΔ) σ_x − M_zγ/(M_z²+2εΔ) σ_y."""
    e, g, d, mz = (pt.mp(k) for k in ("eps", "gamma", "Delta", "Mz"))
    den = mz ** 2 + 2 * e * d
    return {"x": e * d / den, "y": -mz * g / den}


def _deviations(word, gammas, params="eps=1,Delta=3/10,Mz=2/5", flip_y=False):
    """Deviation of α_d∫word from the printed line 1 (σ_x, σ_y), at each γ."""
    out = []
    with mpmath.workdps(25):
        for g in gammas:
            pt = point(f"{params},gamma={g}")
            got = integrate_word_quad(word, pt, 20)
            pr = _c4_printed_line1(pt)
            ad = alpha_d(pt)
            sy = -1 if flip_y else 1
            out.append((abs(ad * got["x"] - pr["x"]), abs(ad * got["y"] - sy * pr["y"]), pr))
    return out


GAMMAS = ["1/20", "1/40", "1/80"]


def test_c4_line1_order_of_agreement():
    """Eq. (C4) line 1, 'up to second order in γ'.  What we see:
    * σ_x: the deviation falls by 4 per halving of γ: O(γ²) (the printed σ_x term is
      right through first order, the γ² term is not printed);
    * σ_y with the order G^R σ_x G^A: deviation falls by 8 per halving: O(γ³);
    * σ_y with the order as printed, G^A σ_x G^R: the sign of M_zγ is opposite, see the
      next test."""
    dev = _deviations("GR sx GA", GAMMAS)
    for (x1, y1, _), (x2, y2, _) in zip(dev, dev[1:]):
        assert 3.6 < x1 / x2 < 4.4
        assert 7.2 < y1 / y2 < 8.8
    dev_a = _deviations("GA sx GR", GAMMAS, flip_y=True)
    for (x1, y1, _), (x2, y2, _) in zip(dev_a, dev_a[1:]):
        assert 3.6 < x1 / x2 < 4.4
        assert 7.2 < y1 / y2 < 8.8


def test_c4_line1_sign_of_mz_gamma_term_for_ga_sx_gr():
    """Finding: with G^R = [ε + iγ − H]^{-1} and H ∋ −M_zσ_z, the σ_y coefficient of
    α_d∫G^Aσ_xG^R is 2M_zγ·α_d(m/2π)∫dξ/|D_R|², i.e. it has the sign of +M_z, while Eq. (C4)
    prints −M_zγ/(M_z²+2εΔ).  As printed, the deviation does not shrink faster than γ
    (this is also the negative control of the previous test)."""
    dev = _deviations("GA sx GR", GAMMAS)
    for (_, y, pr) in dev:
        assert y > 1.9 * abs(pr["y"])           # ≈ 2|M_zγ|/(M_z²+2εΔ)
    for mz in ("2/5", "-2/5"):
        pt = point(f"eps=1,gamma=1/10,Delta=3/10,Mz={mz}")
        with mpmath.workdps(20):
            cy = integrate_word_quad("GA sx GR", pt, 20)["y"]
            assert mpmath.sign(mpmath.re(cy)) == mpmath.sign(pt.mp("Mz"))


def test_c4_line2_is_line1_rotated():
    """Rotation by π/2 about z maps σ_x → σ_y, σ_y → −σ_x: line 2 = rotated line 1."""
    pt = point("eps=1,gamma=1/10,Delta=3/10,Mz=2/5")
    with mpmath.workdps(30):
        l1 = integrate_word_quad("GA sx GR", pt, 30)
        l2 = integrate_word_quad("GA sy GR", pt, 30)
        assert abs(l2["y"] - l1["x"]) < 1e-27 and abs(l2["x"] + l1["y"]) < 1e-27
        assert abs(l2["x"] - l1["y"]) > 1e-2     # negative control: without the sign


@pytest.mark.parametrize("gamma", ["1/10", "1/2", "3"])
def test_c4_lines_3_4_exact_in_gamma(gamma):
    """α_d∫G^A (p_x/α_R m_e) G^R = σ_y and α_d∫G^A (p_y/α_R m_e) G^R = −σ_x, at any γ."""
    pt = point(f"eps=1,gamma={gamma},Delta=3/10,Mz=2/5,m=3/2")
    with mpmath.workdps(25):
        f = alpha_d(pt) / pt.mp("alpha")
        cx = integrate_word_quad("GA px GR", pt, 20)
        cy = integrate_word_quad("GA py GR", pt, 20)
        assert abs(f * cx["y"] - 1) < 1e-17 and abs(cx["x"]) + abs(cx["z"]) + abs(cx["0"]) < 1e-17
        assert abs(f * cy["x"] + 1) < 1e-17 and abs(cy["y"]) + abs(cy["z"]) + abs(cy["0"]) < 1e-17
        # negative control: the bare velocity v_x instead of p_x/m_e is not σ_y-only
        cv = integrate_word_quad("GA vx GR", pt, 20)
        assert abs(f * cv["y"] - 1) > 1e-3


# --------------------------------------------------------------- Eq. (C9)

def _p_n(pt, n, vertex, dps):
    """P^(n) = Σ_m ∫ [G^Rσ_x]^m G^R Γ G^A [σ_x G^A]^{n−m} (Eq. C9), as Pauli components."""
    total = {k: mpmath.mpc(0) for k in KEYS}
    for m in range(n + 1):
        word = " ".join(["GR sx"] * m + ["GR", vertex, "GA"] + ["sx GA"] * (n - m))
        c = integrate_word_quad(word, pt, dps)
        total = {k: total[k] + c[k] for k in KEYS}
    return total


@pytest.mark.parametrize("vertex", ["px", "py"])
def test_c9_p1_vanishes(vertex):
    pt = point("eps=1,gamma=1/10,Delta=3/10,Mz=2/5")
    with mpmath.workdps(30):
        one = integrate_word_quad(f"GR sx GR {vertex} GA", pt, 30)
        assert size(one) > 0.1                   # each term is O(1) ...
        assert size(_p_n(pt, 1, vertex, 30)) < 1e-27   # ... their sum is 0 to 27 digits


def test_c9_p1_control_bare_velocity():
    """Negative control: with the bare velocity v_x = p_x/m − α_Rσ_y, P^(1) ≠ 0."""
    pt = point("eps=1,gamma=1/10,Delta=3/10,Mz=2/5")
    with mpmath.workdps(30):
        assert size(_p_n(pt, 1, "vx", 30)) > 1e-2


def test_c9_p2_vanishes_at_large_gamma():
    """n = 2, γ not small (the identity is exact in γ when the roots are not expanded)."""
    pt = point("eps=1,gamma=1/2,Delta=3/10,Mz=2/5")
    with mpmath.workdps(20):
        assert size(_p_n(pt, 2, "px", 20)) < 1e-17
        assert size(_p_n(pt, 2, "vx", 20)) > 1e-3


# --------------------------------------------------------------- precision, prescriptions, errors

def test_precision_30_vs_40_digits():
    pt = point("eps=1,gamma=1/10,Delta=3/10,Mz=2/5")
    with mpmath.workdps(50):
        a = integrate_word_quad("GR sx GR px GA", pt, 30)
        b = integrate_word_quad("GR sx GR px GA", pt, 40)
        assert maxdiff(a, b) < 1e-29 * size(b)
        low = integrate_word_quad("GR sx GR px GA", pt, 12)   # control: 12 digits are not 30
        assert maxdiff(low, b) > 1e-20 * size(b)


def test_error_estimate_is_returned():
    pt = point("eps=1,gamma=1/10,Delta=3/10,Mz=2/5")
    c, err = integrate_word_quad("GA sz GR", pt, 20, error=True)
    assert set(c) == set(KEYS) and 0 <= err < 1e-18


def test_folded_form_equals_whole_axis_for_convergent_word():
    """∫_0^∞[f(ξ)+f(−ξ)]dξ = ∫_{−∞}^{∞} f for a 1/ξ²-decaying word: two code paths."""
    pt = point("eps=1,gamma=1/10,Delta=3/10,Mz=2/5")
    with mpmath.workdps(30):
        a = integrate_word_quad("GR sx GR vy GA", pt, 30)
        b = integrate_word_quad("GR sx GR vy GA", pt, 30, symmetric=True)
        assert maxdiff(a, b) < 1e-27 * size(a)


@pytest.mark.parametrize("word", ["GR px px", "px", "sx", "GR vx vy GA p+ p-"])
def test_divergent_words_are_refused(word):
    pt = point("eps=1,gamma=1/10,Delta=3/10,Mz=2/5")
    with pytest.raises(QuadratureError, match="diverges"):
        integrate_word_quad(word, pt, 15)


@pytest.mark.parametrize("call,match", [
    (lambda pt: integrate_word_quad("", pt), "empty word"),
    (lambda pt: integrate_word_quad("GR qx", pt), "unknown token"),
    (lambda pt: integrate_word_quad(42, pt), "a word is"),
    (lambda pt: integrate_word_quad("GA sx GR", pt, dps=2), "dps must be"),
    (lambda pt: integrate_word_quad("GA sx GR", "eps=1"), "RashbaModel"),
    (lambda pt: integrate_word_quad("GR", pt, symmetric=False), "symmetric limit"),
    (lambda pt: average_angle("GR", pt, "1+2j"), "real"),
    (lambda pt: average_angle("GR", pt, "abc"), "real number"),
    (lambda pt: average_angle("GR", pt, 1, branch=0), "branch"),
    (lambda pt: average_angle("GR", pt, 1, n_angles=0), "n_angles"),
])
def test_bad_input_gives_one_line_error(call, match):
    pt = point("eps=1,gamma=1/10,Delta=3/10,Mz=2/5")
    with pytest.raises(ValueError, match=match) as info:
        call(pt)
    assert "\n" not in str(info.value)


def test_word_as_factor_tuple_and_sympy_xi():
    from sympy import Rational
    from streda.integrals.word import parse_word
    pt = point("eps=1,gamma=1/10,Delta=3/10,Mz=2/5")
    with mpmath.workdps(20):
        a = average_angle(parse_word("GA sx GR"), pt, Rational(7, 10), dps=20)
        b = average_angle("GA sx GR", pt, "0.7", dps=20)
        assert mpmath.mnorm(a - b, 1) < 1e-18


@pytest.mark.parametrize("params", ["eps=1,gamma=1/10**13", "eps=10**13,gamma=1"])
def test_quadrature_refuses_points_beyond_its_error_control(params):
    """Issue 11 item 7: gamma <= 1e-12 or eps/gamma >= 1e12 is refused, not answered."""
    from streda.integrals.model import RashbaModel
    from streda.integrals.quadrature import QuadratureError, integrate_word_quad

    with pytest.raises(QuadratureError, match="holds for gamma > 1e-12"):
        integrate_word_quad("GA px GR", RashbaModel.from_string(f"{params},Delta=3/10,Mz=2/5"), dps=15)


def test_quadrature_range_control_accepts_a_point_just_inside():
    """The control: gamma = 1e-11 at eps = 1 (eps/gamma = 1e11) is inside the stated range and
    still reproduces (C4) line 3, alpha_d * I_y / alpha = 1, exactly in gamma."""
    import mpmath

    from streda.integrals.model import RashbaModel
    from streda.integrals.quadrature import integrate_word_quad

    pt = RashbaModel.from_string("eps=1,gamma=1/10**11,Delta=3/10,Mz=2/5")
    c = integrate_word_quad("GA px GR", pt, dps=15)
    val = 2 * pt.mp("gamma") / pt.mp("m") * c["y"] / pt.mp("alpha")
    assert abs(val - 1) < mpmath.mpf("1e-9")
