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


def test_vertex_series_against_C4_by_hand_and_control():
    """γ⁰ parts from the C4 forms (test_dressed.py) at γ = 0: L_zz = M_z²/(M_z² + 2εΔ), so
    Γ^σ_z = 1/(1 − L_zz) σ_z = (1 + M_z²/2εΔ) σ_z; L_xx = L_yy = εΔ/(M_z² + 2εΔ) with no xy
    mixing at γ⁰, so Γ^σ_x = (M_z² + 2εΔ)/(M_z² + εΔ) σ_x.  Control (it runs the engine): the
    two channels differ, so a vertex taken from the wrong channel is caught."""
    from streda.integrals import model as M

    e, D, Mz = M.eps, M.Delta, M.Mz
    sz = series_to_sympy(gamma_sigma_series("z")["z"])
    sx = series_to_sympy(gamma_sigma_series("x")["x"])
    assert sympy.simplify(sz[0] - (1 + Mz ** 2 / (2 * e * D))) == 0
    assert sympy.simplify(sx[0] - (Mz ** 2 + 2 * e * D) / (Mz ** 2 + e * D)) == 0
    assert sympy.simplify(sx[0] - sz[0]) != 0
    assert sympy.simplify(series_to_sympy(gamma_sigma_series("x")["z"]).get(0, 0)) == 0
