"""M_x¹ groundwork of the crossed torques (streda.integrals.crossed_mx): the anisotropic
leading-order pinches and ladder, checked against the exact residue route of api.tensor and
between the two frames of the momentum shift, with a negative control that must miss."""
import pytest

from streda.integrals import crossed_mx as X
from streda.integrals import crossed_torques as CT
from streda.integrals.api import tensor

P = "eps=5/4,Delta=3/10,Mz=2/5,m=1"
G = 1e-5


def _api(point, dressing, order, entry):
    r = tensor("K", "rashba", f"{point},gamma=1/100000", dressing=dressing, mx_order=1, dps=15)
    return G * float(r.value(order, entry).real)


def _richardson(r, e):
    # symmetric differences at M_x and M_x/2: error O(M_x²), removed to O(M_x⁴)
    return r["K1_half"][e] + (r["K1_half"][e] - r["K1"][e]) / 3


def test_m_x0_ladder_matches_isotropic_engine_and_api():
    c = X.contours(X.model_h("rashba", P), 1.25)
    k = X.ladder_K_leading(c)
    old = CT.ladder_K_leading(CT.bands("rashba", P))
    for e in X.ENTRIES:
        assert abs(k[e].real - old[e]) < 1e-13
    assert abs(k["yx"].real - _api(P, "ladder", 0, "yx")) < 1e-12
    assert abs(c.rho[1:]).max() < 1e-15          # Born self-energy scalar (both subbands)


@pytest.mark.parametrize("point", [P, "eps=2,Delta=3/10,Mz=-1/5,m=1"])
def test_bare_K1_zy_against_residue_route(point):
    # bare vertices: K⁽¹⁾_zy = 2τΔ_S μ_x μ_z³ (…) of Eq. (15a) at order 1/γ, non-zero
    r = X.ladder_K1("rashba", point, dressed=False)
    ref = _api(point, "bare", 1, "zy")
    assert abs(ref) > 1e-4
    assert abs(_richardson(r, "zy") - ref) < 1e-9 * abs(ref) + 1e-12
    assert abs(r["K1"]["zy"] - r["K1_half"]["zy"]) < 1e-5 * abs(ref)     # the h/h/2 error
    for e in ("xx", "xy", "yx", "yy", "zx"):         # order 1/γ: only zy is odd in M_x there
        assert abs(r["K1"][e]) < 1e-11


def test_dressed_K1_vanishes_in_both_frames():
    # Eq. (16): the ladder-dressed K does not depend on M (order 1/γ here)
    for frame in ("original", "shifted"):
        r = X.ladder_K1("rashba", P, frame=frame)
        assert max(abs(v) for v in r["K1"].values()) < 1e-11


def test_shifted_frame_equals_original_frame():
    a = X.ladder_K1("rashba", P, dressed=False, frame="original")
    b = X.ladder_K1("rashba", P, dressed=False, frame="shifted")
    assert abs(a["K1"]["zy"] - b["K1"]["zy"]) < 1e-12
    assert abs(b["K1"]["zy"]) > 1e-3


def test_control_frozen_contour_misses():
    ref = _api(P, "bare", 1, "zy")
    r = X.ladder_K1("rashba", P, dressed=False, control="frozen-contour")
    assert abs(r["K1"]["zy"] - ref) > 0.1 * abs(ref)
    with pytest.raises(ValueError, match="diffuson"):      # dressed: the identity is fed
        X.ladder_K1("rashba", P, control="frozen-contour")


def test_verify_check_passes_and_is_listed():
    from types import SimpleNamespace

    from streda.verify import crossed_torque_check as C

    r = C.crossed_torques_mx1(SimpleNamespace(quick=True))
    assert r["status"] == "pass"
    assert any(rec.get("control") == "frozen-contour" and rec["misses"] for rec in r["records"])
    assert "crossed_torques_mx1" in [c.name for c in C.CROSSED_TORQUE_CHECKS]


def test_born_self_energy_stays_scalar_with_in_plane_field():
    # both subbands, scalar disorder: ρ = (m/2π)·1 for any M (so the identity decouples from the
    # ladder and the leading-order vertices exist); same in the shifted frame
    for mh in (X.model_h("rashba", P, Mx="1/10"), X.shifted_h("rashba", P, Mx="1/10")):
        c = X.contours(mh, 1.25)
        assert abs(c.rho[0] - 1 / (2 * 3.141592653589793)) < 1e-14
        assert abs(c.rho[1:]).max() < 1e-15


def test_verify_check_fails_when_the_contours_do_not_move(monkeypatch):
    """The check's own verdict must turn to fail when the engine is wrong: here its main path
    keeps the M_x = 0 circles (the control's error), so the bare K1 no longer matches api.tensor."""
    from types import SimpleNamespace

    from streda.verify import crossed_torque_check as C

    orig = X.ladder_K1

    def frozen(model, point, dressed=True, frame="original", control="", **kw):
        return orig(model, point, dressed=dressed, frame=frame,
                    control="frozen-contour" if not dressed else control, **kw)

    monkeypatch.setattr(X, "ladder_K1", frozen)
    assert C.crossed_torques_mx1(SimpleNamespace(quick=True))["status"] == "fail"
