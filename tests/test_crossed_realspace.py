"""The real-space route to the crossed diagrams at finite broadening (issue 10).

Checked against independent derivations: the Fourier rules against direct Hankel quadrature,
the first-order (double-pole) machinery against a symmetric difference in ε, rotation
symmetry (Eq. 11) that the route does not put in, and Ψ_A = Ψ_R* (complex conjugation).
The convergence to the leading-order engines is a verify check (`crossed_finite_gamma`)."""
import mpmath as mp
import numpy as np
import pytest

from streda.integrals.crossed_realspace import crossed_finite_gamma
from streda.integrals.ft_rational import RationalFT

PT = "eps=5/4,Delta=3/10,Mz=2/5,m=1"


def _hankel(n, nu, r, g):
    """i^ν ∫p dp/2π J_ν(pr) p^n g(p²): the transform of p₊^{n₊}p₋^{n₋} g by direct quadrature."""
    with mp.workdps(25):
        f = lambda p: p * mp.besselj(nu, p * r) * p ** n * g(p ** 2) / (2 * mp.pi)
        return complex(1j ** nu * mp.quadosc(f, [0, mp.inf], omega=r))


@pytest.mark.parametrize("mono", [(0, 0), (1, 0), (0, 2), (2, 1)])
@pytest.mark.parametrize("r", [1.7, 9.0])          # the ball and the scipy branch
@pytest.mark.parametrize("mult", [2, 3])            # a simple pole with a double or a triple one
def test_fourier_rules_against_hankel_quadrature(mono, r, mult):
    a1, a2 = -0.7 + 0.4j, 1.3 + 0.5j
    ft = RationalFT({mono: np.eye(2)}, [(a1, 1), (a2, mult)], lead=0.8)
    n, nu = mono[0] + mono[1], mono[0] - mono[1]
    got = ft.harmonics(np.array([r]))[nu][0, 0, 0]
    ref = _hankel(n, nu, r, lambda s: 1 / (0.8 * (s - a1) * (s - a2) ** mult))
    assert abs(got - ref) < 1e-12 * abs(ref)


def test_fourier_rules_fail_with_a_wrong_pole_order():
    """Control: the same comparison with the double pole taken as simple must fail."""
    a1, a2 = -0.7 + 0.4j, 1.3 + 0.5j
    ft = RationalFT({(1, 0): np.eye(2)}, [(a1, 1), (a2, 1)], lead=0.8)
    got = ft.harmonics(np.array([1.7]))[1][0, 0, 0]
    ref = _hankel(1, 1, 1.7, lambda s: 1 / (0.8 * (s - a1) * (s - a2) ** 2))
    assert abs(got - ref) > 1e-2 * abs(ref)


@pytest.fixture(scope="module")
def at_gamma():
    return crossed_finite_gamma("rashba", PT, 0.2)


def test_rotation_symmetry_comes_out(at_gamma):
    """Eq. (11) at m_x = 0: K_xx = K_yy, K_xy = −K_yx, K_zb = 0, family by family; Ψ_A = Ψ_R*."""
    K = at_gamma["K"]
    for f in ("X", "Psi_R", "Psi_A"):
        assert abs(K["xx"][f] - K["yy"][f]) < 1e-12 * abs(K["xx"][f])
        assert abs(K["xy"][f] + K["yx"][f]) < 1e-12 * abs(K["xy"][f])
        assert abs(K["zx"][f]) < 1e-15 and abs(K["zy"][f]) < 1e-15
    for e in ("xx", "xy"):
        assert abs(K[e]["Psi_A"] - K[e]["Psi_R"].conjugate()) < 1e-12 * abs(K[e]["Psi_R"])
    s = at_gamma["sigma_xy"]
    assert abs(s["Psi_A"] - s["Psi_R"].conjugate()) < 1e-12 * abs(s["Psi_R"])


def _point(eps):
    return f"eps={eps},Delta=3/10,Mz=2/5,m=1"


def test_taylor_coefficients_against_differences_in_energy():
    """V = −1 is the ε derivative at fixed W and self-energy: double and triple poles, the product
    rule over four factors and the vertex Taylor coefficients against Richardson-combined
    differences at h = 1/100, 1/200 (error O(h⁴))."""
    from fractions import Fraction as Fr

    g = 0.2
    d = crossed_finite_gamma("rashba", PT, g, perturbation="eps", order=2)
    c = d["series"][0]["K"]
    vals = {}
    for h in (Fr(1, 100), Fr(1, 200)):
        p = crossed_finite_gamma("rashba", _point(Fr(5, 4) + h), g)["K"]
        m = crossed_finite_gamma("rashba", _point(Fr(5, 4) - h), g)["K"]
        vals[h] = {(e, f): ((p[e][f] - m[e][f]) / (2 * float(h)), (p[e][f] - 2 * c[e][f] + m[e][f]) / (2 * float(h) ** 2))
                   for e in ("xx", "xy") for f in ("X", "Psi_R", "Psi_A")}
    for key in vals[Fr(1, 100)]:
        for k in (1, 2):
            rich = (4 * vals[Fr(1, 200)][key][k - 1] - vals[Fr(1, 100)][key][k - 1]) / 3
            got = d["series"][k]["K"][key[0]][key[1]]
            assert abs(got - rich) < 1e-6 * abs(rich), (key, k, got, rich)
    # control: without the vertex Taylor coefficients the first order misses
    bare = crossed_finite_gamma("rashba", PT, g, perturbation="eps", control="frozen-vertex")
    key = ("xx", "X")
    rich = (4 * vals[Fr(1, 200)][key][0] - vals[Fr(1, 100)][key][0]) / 3
    assert abs(bare["K"]["xx"]["X"] - rich) > 1e-2 * abs(rich)


def test_quick_check_frames_and_eq11():
    """The verify check (--quick): M_xσ_x (original frame) and the scalar u·p_y with ṽ_y = v_y + u
    (shifted frame) are different insertions, yet agree family by family at orders 1 and 2;
    Eq. (11) holds (K⁽¹⁾ only in the z row, K⁽²⁾ not in it, σ_xy even in M_x); its control
    (vertices not varied) makes the frames disagree."""
    from types import SimpleNamespace

    from streda.verify.crossed_finite_gamma_check import crossed_finite_gamma_check

    r = crossed_finite_gamma_check(SimpleNamespace(quick=True))
    assert r["status"] == "pass", r["records"]
    rec = {x.get("step") or x.get("control"): x for x in r["records"]}
    assert float(rec["frame invariance (orders 1, 2; every entry and family)"]["largest_difference"]) < 1e-9
    assert rec["frozen-vertex (vertices not varied)"]["frames_disagree"]


def test_check_fails_when_a_frame_is_wrong(monkeypatch):
    """The check can fail: the shifted frame with its vertices frozen breaks frame invariance."""
    from types import SimpleNamespace

    import streda.integrals.crossed_realspace as RS
    from streda.verify import crossed_finite_gamma_check as C

    real = RS.crossed_finite_gamma

    def broken(model, point, gamma, **kw):
        if kw.get("perturbation") == "Mx-shifted":
            kw["control"] = "frozen-vertex"
        return real(model, point, gamma, **kw)

    monkeypatch.setattr(RS, "crossed_finite_gamma", broken)
    monkeypatch.setattr(C, "GAMMAS_QUICK", ("1/5",))
    assert C.crossed_finite_gamma_check(SimpleNamespace(quick=True))["status"] == "fail"


def test_extrapolation_recovers_a_known_law():
    from streda.verify.crossed_finite_gamma_check import extrapolate

    g = ("1/10", "1/20", "1/40", "1/80")
    gf = np.array([0.1, 0.05, 0.025, 0.0125])
    v = -1.35e-3 + 4e-3 * gf + 1e-3 * gf * np.log(gf) - 2e-2 * gf ** 2
    c0, err = extrapolate(g, v)
    assert abs(c0 + 1.35e-3) < 1e-12 and err > 0


def test_gamma_outside_its_limits_is_refused():
    with pytest.raises(ValueError, match="gamma/eps"):
        crossed_finite_gamma("rashba", PT, 1e-5)


def test_parity_in_mz_of_eq11():
    """Eq. (11) in M_z, which the route does not put in: K_zx = m_x κ_zx/κ is even in m_z,
    K_zy = m_x m_z κ_zy/κ odd; at M_x², K_xx = m_z κ_xx/κ odd, K_xy = κ_xy/κ even.  Control: the
    same comparison with the signs swapped fails."""
    g = 0.2
    up = crossed_finite_gamma("rashba", PT, g, perturbation="Mx", order=2)["series"]
    dn = crossed_finite_gamma("rashba", "eps=5/4,Delta=3/10,Mz=-2/5,m=1", g, perturbation="Mx", order=2)["series"]
    tot = lambda s, k, e: sum(s[k]["K"][e].values()).real
    for k, e, sign in ((1, "zx", 1), (1, "zy", -1), (2, "xx", -1), (2, "yy", -1), (2, "xy", 1), (2, "yx", 1)):
        a, b = tot(up, k, e), tot(dn, k, e)
        assert abs(a - sign * b) < 1e-9 * abs(a), (k, e, a, b)
        assert abs(a + sign * b) > 1e-3 * abs(a), (k, e)
