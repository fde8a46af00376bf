"""Γ^σ of (C5b) expanded in γ two ways: series of the exact ladder map vs series of the closed form."""
import sympy

from streda.integrals.expansion import series_to_sympy, sympy_gamma_series
from streda.verify.dressed import gamma_sigma, gamma_sigma_series


def test_vertex_series_equals_series_of_closed_form():
    for a in "xz":                                   # σ_y follows from σ_x by rotation
        for c in "xyz":
            s1 = series_to_sympy(sympy_gamma_series(gamma_sigma(a)[c], 1))
            s2 = series_to_sympy(gamma_sigma_series(a)[c])
            for k in (0, 1):
                assert sympy.simplify(s1.get(k, 0) - s2.get(k, 0)) == 0, (a, c, k)


def test_vertex_series_negative_control():
    # Γ^σ_z at γ⁰ is (1 + M_z²/2εΔ)σ_z; a perturbed value must not match
    s = series_to_sympy(gamma_sigma_series("z")["z"])
    from streda.integrals import model as M

    want = 1 + M.Mz ** 2 / (2 * M.eps * M.Delta)
    assert sympy.simplify(s[0] - want) == 0
    assert sympy.simplify(s[0] - want * sympy.Rational(11, 10)) != 0
