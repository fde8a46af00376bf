"""The angular engine (residues per angle + trapezoid) for any two-band model.

Every assertion compares against an independent derivation: the exact ball engine
(residues in the rotated frame, exact in γ), the 2D Gauss–Legendre route, a symmetry
(persistent helix), or a hand calculation (the Born self-energy).
"""
from __future__ import annotations

import mpmath
import pytest

from streda.integrals.angular import (AngularError, NotConverged, SelfEnergyError, born_self_energy,
                                      tensor_angular)
from streda.integrals.models import get_model
from streda.integrals.quad2d import tensor_quad2d
from streda.integrals.quadrature import QuadratureError
from streda.verify.rashba_dresselhaus import exact_reference, max_difference

RD = get_model("rashba+dresselhaus")
POINT = "eps=1,gamma=1/10,Mz=2/5"


@pytest.mark.parametrize("kind", ["K", "sigma"])
@pytest.mark.parametrize("single,coupling", [("rashba", "alpha=sqrt(3/10),beta=0"),
                                             ("dresselhaus", "alpha=0,beta=sqrt(3/10)")])
def test_limits_reproduce_the_exact_single_models(kind, single, coupling):
    """β = 0 is Rashba, α = 0 is Dresselhaus: 25 digits against the exact engine."""
    ours = tensor_angular(kind, RD.point(f"{POINT},{coupling}"), 2, 25)
    ref = exact_reference(kind, single, f"{POINT},Delta=3/10", 2, 25)
    assert max_difference(ours, ref) < mpmath.mpf(10) ** -25


def test_single_models_at_another_point_and_mass():
    """m ≠ 1, small γ, M_z = 0: the built-in rashba model against the exact engine."""
    params = "eps=2,gamma=1/50,Delta=3/10,Mz=0,m=1/3"
    ours = tensor_angular("K", get_model("rashba").point(params), 3, 20)
    ref = exact_reference("K", "rashba", params, 3, 20)
    assert max_difference(ours, ref) < mpmath.mpf(10) ** -20


def test_negative_control_a_wrong_sign_is_seen():
    """Flipping β against the exact Dresselhaus tensor (α = 0) must fail the comparison."""
    ours = tensor_angular("K", RD.point(f"{POINT},alpha=0,beta=-sqrt(3/10)"), 1, 15)
    ref = exact_reference("K", "dresselhaus", f"{POINT},Delta=3/10", 1, 15)
    assert max_difference(ours, ref) > mpmath.mpf("0.1")


def test_two_routes_agree():
    """Residues + trapezoid against 2D Gauss–Legendre, K at M_x^0 of rashba+dresselhaus
    (8 digits here; the 20-digit comparison is the verify check ``rd_two_routes``)."""
    a = tensor_angular("K", RD.point(), 0, 15)
    b = tensor_quad2d("K", RD.point(), 0, 8)
    assert max_difference(a, b) < mpmath.mpf(10) ** -8
    c = tensor_quad2d("K", RD.point("beta=-1/4"), 0, 8)       # control: the wrong model
    assert max_difference(a, c) > mpmath.mpf("0.01")


def test_two_routes_agree_on_the_physical_axis():
    a = tensor_angular("K", RD.point(), 0, 12, xi_range="physical")
    b = tensor_quad2d("K", RD.point(), 0, 8, xi_range="physical")
    assert max_difference(a, b) < mpmath.mpf(10) ** -8


def test_persistent_helix_columns_equal():
    """α = β: H depends on p_x − p_y only through p²/2m, whose velocity is odd: K_ax = K_ay."""
    K = tensor_angular("K", RD.point("alpha=1/2,beta=1/2"), 1, 15)
    for k, ent in K.items():
        scale = max(abs(v) for v in ent.values())
        for row in "xyz":
            assert abs(ent[row + "x"] - ent[row + "y"]) < 1e-13 * scale
    assert abs(K[0]["xx"]) > 0.01     # and the response itself does not vanish


def test_born_self_energy_is_scalar_for_rashba_dresselhaus_not_for_dirac():
    """Whole axis: G^R has all its poles above the axis, only the arc survives: Σ ∝ 1 when
    h·σ has no p-independent σ part other than M_z, whose arc term decays like 1/ξ²."""
    S = born_self_energy(RD.point(), 20)
    with mpmath.workdps(30):
        assert abs(S["0"] + 1j * mpmath.mpf(1) / 10) < 1e-19
    assert all(S[a] == 0 for a in "xyz")
    D = born_self_energy(get_model("dirac").point(), 15)
    # hand calculation: arc of the σ0 and σz parts, E/v²u and m/v²u -> Σ_z/Σ_0 = m/E (E = ε + iγ)
    E = mpmath.mpc(2, mpmath.mpf(1) / 100)
    assert abs(D["z"] / D["0"] - 1 / E) < 1e-12
    with pytest.raises(SelfEnergyError, match="σ part"):
        tensor_angular("K", get_model("dirac").point(), 0, 10)


def test_prescriptions_agree_at_leading_order_and_differ_at_finite_gamma():
    """Rashba: |whole − physical| falls with γ (K_xy like γ²) and is visible at γ = 1/10."""
    d = []
    for g in ("1/10", "1/100"):
        pt = get_model("rashba").point(f"eps=1,gamma={g},Delta=3/10,Mz=2/5")
        W = tensor_angular("K", pt, 0, 12)
        P = tensor_angular("K", pt, 0, 12, xi_range="physical")
        d.append(abs(W[0]["xy"] - P[0]["xy"]))
    assert d[0] > 1e-6
    assert 50 < d[0] / d[1] < 200     # γ²: a factor 100 for a factor 10 in γ


def test_sigma_on_the_physical_axis_is_finite_only_combined():
    """σ's parts decay like 1/ξ each; 2RA − RR − AA decays faster and has a finite ξ ≥ 0 integral."""
    s = tensor_angular("sigma", get_model("rashba").point(), 0, 12, xi_range="physical")
    assert abs(s[0]["xx"]) > 1


@pytest.mark.parametrize("kwargs,msg", [
    (dict(xi_range="half"), "unknown xi_range"),
    (dict(kind="Q"), "unknown tensor"),
    (dict(mx_order=-1), "mx_order"),
    (dict(mx_order=99), "mx_order"),
    (dict(dps=2), "dps"),
    (dict(dps=10 ** 6), "dps"),
    (dict(disorder="magnetic"), "must be None or a Disorder"),
])
def test_bad_input_is_one_line(kwargs, msg):
    args = dict(kind="K", point=RD.point(), mx_order=0, dps=10)
    args.update(kwargs)
    with pytest.raises(AngularError, match=msg) as exc:
        tensor_angular(**args)
    assert "\n" not in str(exc.value)


def test_nonzero_mx_in_the_point_is_refused():
    with pytest.raises(AngularError, match="coefficients of M_x"):
        tensor_angular("K", RD.point("Mx=1/10"), 0, 10)


def test_unconverged_is_refused(monkeypatch):
    """With the angle cap below what the anisotropic model needs, the engine refuses."""
    import streda.integrals.angular as A

    monkeypatch.setattr(A, "MAX_ANGLES", 16)
    A._cached.cache_clear()
    try:
        with pytest.raises(NotConverged, match="did not reach"):
            tensor_angular("K", RD.point("gamma=1/50"), 0, 20)
    finally:
        A._cached.cache_clear()


def test_quad2d_bad_input():
    with pytest.raises(QuadratureError, match="xi_range"):
        tensor_quad2d("K", RD.point(), 0, 10, xi_range="half")
