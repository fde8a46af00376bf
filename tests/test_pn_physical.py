"""P^(n) (Eq. C9) with the angular engine, on the whole and on the physical ξ axis.

Independent sources: the exact engine's proof P^(n) = 0 (n ≥ 1) and the hand result
α_d P^(0)_x = α_R σ_y (Γ = p/m solves the vertex equation) on the whole axis; on ξ ≥ 0, the
γ → 0 limit −∫_{−∞}^{0} dξ of the integrand at γ ≈ 0, computed here by plain mpmath
quadrature of angle averages (streda.integrals.quadrature.average_angle), no residues.
"""
import mpmath
import pytest

from streda.integrals.angular import AngularError
from streda.integrals.angular_vertex import pn_angular
from streda.integrals.models import get_model
from streda.integrals.quadrature import average_angle

PT = "eps=1,gamma=1/10,Delta=3/10,Mz=2/5"


@mpmath.workdps(30)
def test_whole_axis_reproduces_the_exact_cancellation_and_p0():
    pt = get_model("rashba").point(PT)
    p0 = pn_angular(0, "x", pt, 20)
    want = mpmath.sqrt(mpmath.mpf(3) / 10) / (2 * mpmath.mpf(1) / 10)       # α_R/α_d, α_d = 2γ
    assert abs(p0["y"] - want) < 1e-18 * want
    assert max(abs(p0[a]) for a in "0xz") < 1e-18 * want
    for n in (1, 2, 3):
        for b in "xy":
            assert max(abs(v) for v in pn_angular(n, b, pt, 20).values()) < 1e-18 * want, (n, b)
    # negative control: the bare velocity as vertex does not cancel (Eq. C9 needs Γ = p/m)
    assert abs(pn_angular(1, "x", pt, 20, vertex="v")["z"]) > 1e-2


def test_physical_axis_does_not_cancel():
    pt = get_model("rashba").point(PT)
    assert abs(pn_angular(1, "y", pt, 15, "physical")["0"]) > 1e-2
    assert abs(pn_angular(2, "x", pt, 15, "physical")["y"]) > 1e-2
    # by symmetry the other current direction vanishes on both axes
    assert max(abs(v) for v in pn_angular(1, "x", pt, 15, "physical").values()) < 1e-13


def _negative_axis_integral(n, beta, comp, dps=15):
    """−∫_{−∞}^{0} dξ (m/2π) of the angle-averaged P^(n) integrand at γ = 10⁻¹² (no pole on ξ < 0)."""
    pt = get_model("rashba").point("eps=1,gamma=1/10**12,Delta=3/10,Mz=2/5")
    words = [" ".join(["GR sx"] * m + ["GR", "p" + beta, "GA"] + ["sx GA"] * (n - m)) for m in range(n + 1)]
    sig = {"0": mpmath.eye(2), "z": mpmath.matrix([[1, 0], [0, -1]]), "y": mpmath.matrix([[0, -1j], [1j, 0]])}

    def f(xi):
        tot = sum((average_angle(w, pt, xi, dps=dps) for w in words), mpmath.zeros(2))
        M = tot * sig[comp]
        return (M[0, 0] + M[1, 1]) / 2

    with mpmath.workdps(dps):
        return -mpmath.quad(f, [-mpmath.inf, -1, 0]) / (2 * mpmath.pi)


@pytest.mark.parametrize("n, beta, comp", [(1, "y", "z"), (2, "x", "y")])
def test_physical_axis_limit_is_minus_the_negative_axis(n, beta, comp):
    """Whole axis ∫ = 0 for every γ, so ∫_0^∞ → −∫_{−∞}^0 (at γ = 0) as γ → 0: P^(n) = O(γ⁰) on
    ξ ≥ 0, with an O(γ²) correction (the engine at γ = 1/1600 is within 1e-6 relative)."""
    want = _negative_axis_integral(n, beta, comp)
    got = pn_angular(n, beta, get_model("rashba").point("eps=1,gamma=1/1600,Delta=3/10,Mz=2/5"), 15,
                     "physical")[comp]
    assert abs(want) > 1e-2
    assert abs(got - want) < 1e-6 * abs(want)
    # control: at γ = 1/10 the O(γ²) correction is visible at this tolerance
    far = pn_angular(n, beta, get_model("rashba").point(PT), 15, "physical")[comp]
    assert abs(far - want) > 1e-5 * abs(want)


def test_pn_angular_refuses_bad_input():
    pt = get_model("rashba").point(PT)
    for kw in (dict(n=-1), dict(n=99), dict(beta="z"), dict(vertex="q"), dict(xi_range="half")):
        args = dict(n=1, beta="x", point=pt, dps=10)
        args.update(kw)
        with pytest.raises(AngularError) as exc:
            pn_angular(**args)
        assert "\n" not in str(exc.value)


def test_check_fails_when_the_whole_axis_does_not_vanish(monkeypatch):
    """Negative control of the verify check: a non-zero P^(n) on the whole axis must fail it."""
    import mpmath

    from streda.verify import prescription

    real = prescription.pn_angular

    def broken(n, beta, pt, dps, xi):
        out = real(n, beta, pt, dps, xi)
        return {k: v + (mpmath.mpf("1e-3") if xi == "whole" and n else 0) for k, v in out.items()}

    monkeypatch.setattr(prescription, "pn_angular", broken)
    r = prescription.pn_physical_axis(gammas=("1/100", "1/200"), orders=(1,), dps=12)
    assert r["status"] == "fail"
    monkeypatch.setattr(prescription, "pn_angular", real)
    assert prescription.pn_physical_axis(gammas=("1/100", "1/200"), orders=(1,), dps=12)["status"] == "pass"
