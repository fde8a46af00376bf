"""The γ-expansion of exact values (:func:`streda.integrals.expansion.gamma_series`).

Independent checks:

* **Convergence** (tolerance tier 3): the exact value, evaluated at small γ with
  60-digit mpmath arithmetic (principal roots s, t computed directly, nothing
  expanded), minus the truncated series Σ_{j ≤ order} c_j γ^j must shrink like
  γ^{n}, n > order the next non-zero power: log₁₀ of the ratio of truncation
  errors at γ = 10⁻⁶ and 10⁻⁷ equals n to ±0.01.  A series with one coefficient
  perturbed by a relative 10⁻⁹ fails the same check (negative control).
* **Exact leading terms derived by hand**: the resolvent identity
  G^R G^A = (G^A − G^R)/(2iγ) with I[GR] = −i/2 gives I[GR GA] = 1/(2γ) and
  I[GR GR GA] = −i/(4γ²) with nothing else; α_d∫G^R p_x G^A = α σ_y (Eq. C5a
  solved by Γ^p = p) gives I[GR px GA]_y = a/(2γ) exactly.
* **Fermi-surface formula for the 1/γ term**: for γ → 0 only intra-band pairs
  G^A_b X G^R_b ≈ (π/γ) δ(ε − E_b) P_b X P_b diverge.  With b = (αp_y, −αp_x, −M),
  E_± = ξ ± |b|, the two Fermi points ξ₁,₂ = ε + Δ ∓ λ (|b| = λ ∓ Δ, dE/dξ = λ/|b|)
  and the angle averages ⟨n_z²⟩ = M²/|b|², ⟨n_x²⟩ = Δξ/|b|²:
      c₋₁(I[GA sz GR]_z) = M²/(2(λ² − Δ²)),   c₋₁(I[GA sx GR]_x) = εΔ/(2(λ² − Δ²)).
"""
from __future__ import annotations

import mpmath
import pytest
import sympy

from streda.integrals import evaluate as ev
from streda.integrals import model as M
from streda.integrals.expansion import LAM, gamma_series, series_to_sympy
from streda.integrals.word import parse_word

A_S, M_S = sympy.Symbol("a"), sympy.Symbol("M")
EPS, DELTA, MZ = mpmath.mpf(1), mpmath.mpf(3) / 10, mpmath.mpf(2) / 5     # a generic point
DPS = 60


def exact(word: str, comp: str):
    return ev.evaluate([(parse_word(word), 1)], "exact")[comp]


def numeric_exact(value, gamma):
    """The exact value at (ε, γ, Δ, M_z) = (EPS, gamma, DELTA, MZ), at DPS digits."""
    expr = ev.exact_to_sympy(value, keep_roots=True)
    f = sympy.lambdify((ev.S_SYM, ev.T_SYM, M.Delta, M.Mz), expr, modules="mpmath")
    with mpmath.workdps(DPS):
        lam2 = DELTA ** 2 + 2 * EPS * DELTA + MZ ** 2
        s = mpmath.sqrt(lam2 + 2j * gamma * DELTA)
        t = mpmath.sqrt(lam2 - 2j * gamma * DELTA)
        return f(s, t, DELTA, MZ)


def numeric_series(ser: dict, gamma, upto: int):
    with mpmath.workdps(DPS):
        lam = mpmath.sqrt(DELTA ** 2 + 2 * EPS * DELTA + MZ ** 2)
        tot = mpmath.mpc(0)
        for j, c in ser.items():
            if j <= upto:
                f = sympy.lambdify((LAM, A_S, M_S), c, modules="mpmath")
                tot += mpmath.mpmathify(f(lam, mpmath.sqrt(DELTA), MZ)) * gamma ** j
        return tot


def truncation_exponent(value, ser: dict, order: int) -> mpmath.mpf:
    """log₁₀ of err(10⁻⁶)/err(10⁻⁷), err = |exact − Σ_{j≤order} c_j γ^j|."""
    with mpmath.workdps(DPS):
        g1, g2 = mpmath.mpf(10) ** -6, mpmath.mpf(10) ** -7
        e1 = abs(numeric_exact(value, g1) - numeric_series(ser, g1, order))
        e2 = abs(numeric_exact(value, g2) - numeric_series(ser, g2, order))
        return mpmath.log10(e1 / e2)


CASES = [
    ("GA sz GR", "z", 1),
    ("GA sx GR", "y", 0),
    ("GR sx GR vx GA", "z", 0),
    ("GR sx GR vx GA", "z", 2),
    ("GR sx GR vx GA sx GA", "y", -1),
    ("GR vx GA", "y", 1),
]


@pytest.mark.parametrize("word,comp,order", CASES)
def test_truncation_error_scales_like_next_power(word, comp, order):
    v = exact(word, comp)
    ser = gamma_series(v, order + 4)
    nxt = min(j for j in ser if j > order)
    assert nxt >= order + 1
    expo = truncation_exponent(v, ser, order)
    assert abs(expo - nxt) < 0.01, (word, comp, order, expo, nxt)
    # the truncated series itself is consistent: asking for fewer orders gives a prefix
    low = gamma_series(v, order)
    assert low == {j: c for j, c in ser.items() if j <= order}


def test_control_perturbed_coefficient_breaks_the_scaling():
    """Negative control: one coefficient off by a relative 10⁻⁹ leaves an error ∝ γ^j, j ≤ order."""
    v = exact("GR sx GR vx GA", "z")
    ser = gamma_series(v, 4)
    bad = dict(ser)
    bad[0] = bad[0] * (1 + sympy.Rational(1, 10 ** 9))
    expo = truncation_exponent(v, bad, 2)
    assert abs(expo - 3) > 1          # the true next power is 3; the broken series scales like γ⁰


def test_leading_terms_from_the_resolvent_identity():
    assert gamma_series(exact("GR GA", "0"), 3) == {-1: sympy.Rational(1, 2)}
    assert gamma_series(exact("GR GR GA", "0"), 3) == {-2: -sympy.I / 4}
    assert gamma_series(exact("GR", "0"), 3) == {0: -sympy.I / 2}
    assert gamma_series(exact("GR px GA", "y"), 3) == {-1: A_S / 2}


def test_fermi_surface_leading_terms():
    """c₋₁ from the intra-band Fermi-surface formula (module docstring), in λ, a, M (Δ = a²)."""
    eps_ = (LAM ** 2 - A_S ** 4 - M_S ** 2) / (2 * A_S ** 2)
    sz = gamma_series(exact("GA sz GR", "z"), 0)
    sx = gamma_series(exact("GA sx GR", "x"), 0)
    assert sympy.cancel(sz[-1] - M_S ** 2 / (2 * (LAM ** 2 - A_S ** 4))) == 0
    assert sympy.cancel(sx[-1] - eps_ * A_S ** 2 / (2 * (LAM ** 2 - A_S ** 4))) == 0
    # the σ_y part of ∫G^A σ_x G^R has no 1/γ term: ⟨n_x n_y⟩ = 0 on the Fermi surface
    assert min(gamma_series(exact("GA sx GR", "y"), 0)) == 0


def test_fermi_surface_control_wrong_band_weight():
    """Negative control: dropping the velocity factor |dE/dξ| = λ/|b| gives a different c₋₁."""
    sz = gamma_series(exact("GA sz GR", "z"), 0)
    lam, a2 = LAM, A_S ** 2
    wrong = M_S ** 2 / 2 * (1 / (lam - a2) ** 2 + 1 / (lam + a2) ** 2)
    assert sympy.cancel(sz[-1] - wrong) != 0


def test_series_to_sympy_maps_to_model_symbols():
    """λ² = Δ² + 2εΔ + M_z², a = √Δ, M = M_z (m_e = 1)."""
    out = series_to_sympy({-1: A_S / 2, 0: M_S ** 2 / (2 * (LAM ** 2 - A_S ** 4))})
    assert sympy.simplify(out[-1] - sympy.sqrt(M.Delta) / 2) == 0
    assert sympy.simplify(out[0] - M.Mz ** 2 / (2 * (2 * M.eps * M.Delta + M.Mz ** 2))) == 0


def test_flint_factored_coefficients_equal_sympy_factor_of_the_expansion():
    """Each γ coefficient is factored by FLINT and renormalised by sympy; the result must be
    the expression sympy's own factorisation of the expanded coefficient gives (a second,
    independent multivariate factoriser), for every bare K and σ entry and its R/A parts."""
    import sympy

    from streda.integrals import evaluate as ev
    from streda.integrals import kubo
    from streda.integrals.expansion import _kfrac_terms, _term_to_sympy, gamma_series

    B = ev.exact_backend()
    checked = 0
    for kind, k in (("K", 1), ("K", 2), ("sigma", 2)):
        for e in kubo.tensor_order(kind, k, B).values():
            for v in (e["RA"] + e["RA"] - e["RR"] - e["AA"], e["RR"]):
                if v.is_zero():
                    continue
                want: dict = {}
                for part, unit in ((v.re, 1), (v.im, sympy.I)):
                    if part is not None and not part.is_zero():
                        for j, t in _kfrac_terms(part, 1).items():
                            want[j] = want.get(j, 0) + unit * _term_to_sympy(t)
                want = {j: sympy.factor(sympy.expand(c)) for j, c in sorted(want.items())
                        if sympy.expand(c) != 0}
                assert gamma_series(v, 1) == want
                checked += 1
    assert checked >= 10
