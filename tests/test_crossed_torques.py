"""Crossed X/Ψ corrections to the spin susceptibility K (integrals.crossed_torques, issue 10
item 5).

Independent references: the leading-order dressed vertices of Appendix C (Eqs. C4–C6 at
γ → 0: Γ^σ_x = (M_z² + 2εΔ)/(M_z² + εΔ) σ_x, Γ^σ_z = (1 + M_z²/2εΔ) σ_z, Γ^p = p/m); the
residue route of api.tensor for the non-crossing normalisation; for massive Dirac the spin
vertex *is* the velocity (v = 1), so K_xy·4π must be the exact X = 4εm(ε² − m²)/(ε² + 3m²)²
of integrals.crossed; Eq. (11) (isotropy at m_x = 0 and K_xx odd in m_z); the σ_xy of
crossed_rashba.crossed_sigma from the same blocks.
"""
from __future__ import annotations

import warnings

import numpy as np
import pytest

from streda.integrals import crossed_torques as CT

RASHBA = "eps=5/4,Delta=3/10,Mz=2/5,m=1"


@pytest.fixture(autouse=True)
def _quiet():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        yield


@pytest.fixture(scope="module")
def bc():
    return CT.bands("rashba", RASHBA)


def test_spin_vertex_is_the_appendix_c_closed_form(bc):
    eps, D, M = 1.25, 0.3, 0.4
    g = CT.spin_vertices(bc)
    gx = (M * M + 2 * eps * D) / (M * M + eps * D)
    assert np.allclose(g["x"], gx * np.array([[0, 1], [1, 0]]), atol=1e-13)
    assert np.allclose(g["y"], gx * np.array([[0, -1j], [1j, 0]]), atol=1e-13)
    assert np.allclose(g["z"], (1 + M * M / (2 * eps * D)) * np.diag([1, -1]), atol=1e-13)
    # control: the bare vertex is not dressed
    assert not np.allclose(CT.spin_vertices(bc, "bare-vertex")["x"], g["x"])


def test_velocity_vertex_is_kinematic(bc):
    vv = CT.velocity_vertices(bc)
    for p in ((0.3, -1.1), (2.0, 0.5)):
        assert np.allclose(vv["x"](*p), p[0] * np.eye(2), atol=1e-13)
        assert np.allclose(vv["y"](*p), p[1] * np.eye(2), atol=1e-13)
    assert not np.allclose(CT.velocity_vertices(bc, "bare-vertex")["x"](0.3, -1.1), 0.3 * np.eye(2))


def test_ladder_normalisation_matches_api_tensor(bc):
    from streda.integrals.api import tensor

    lad = CT.ladder_K_leading(bc)
    g = 1e-5
    api = tensor("K", "rashba", RASHBA + ",gamma=1/100000", dressing="ladder", mx_order=0, dps=15)
    for e in CT.ENTRIES:
        assert abs(lad[e] - g * float(api.value(0, e).real)) < 1e-8
    assert abs(lad["yx"]) > 0.04            # the Edelstein entry, e α_R m/4π·(1/γ)


def test_spin_vertex_feeding_the_diffuson_is_refused():
    dirac = CT.bands("dirac", "eps=2,m=1,v=1")
    with pytest.raises(ValueError, match="diffuson"):
        CT.spin_vertices(dirac, rows="z")


def test_dirac_spin_vertex_is_the_velocity_so_K_xy_is_exact_X():
    e, m = 2.0, 1.0
    r = CT.crossed_K("dirac", f"eps={e},m={m},v=1", h=1 / 4, rows="xy")
    want = 4 * e * m * (e * e - m * m) / (e * e + 3 * m * m) ** 2
    assert abs(4 * np.pi * r["K"]["xy"] - want) < 1e-6
    assert abs(r["K"]["xy"] + r["K"]["yx"]) < 1e-12
    assert abs(r["sigma_xy"] - want) < 1e-6


def test_x_block_diverges_at_backscattering_only_in_the_edelstein_entries(bc):
    bs = CT.backscattering_log(bc, h=1 / 4)
    for cp, cm in bs["c"]:
        assert abs(cp + cm) > 100 * bs["c_change"]
    assert abs(bs["B"]["xy"]) > 100 * bs["B_error"]["xy"] and abs(bs["B"]["xy"] + bs["B"]["yx"]) < 1e-14
    for e in ("xx", "yy", "zx", "zy"):
        assert abs(bs["B"][e]) < 1e-14
    assert abs(bs["B_sigma_xy"]) < 1e-14


@pytest.mark.slow
def test_rashba_crossed_K_isotropic_finite_and_sigma_consistent(bc):
    from streda.integrals.crossed_rashba import crossed_sigma

    r = CT.crossed_K(None, None, bc=bc, h=1 / 4)
    K = r["K"]
    err = r["K_error"]["xx"] + abs(sum(r["K_parts"]["xx"].values()).imag)
    assert abs(K["xx"] - K["yy"]) < 1e-12 and abs(K["zx"]) < 1e-15 and abs(K["zy"]) < 1e-15
    assert abs(K["xx"]) > 100 * err
    s = crossed_sigma(None, None, bc=bc, h=1 / 4, phi_ratio=0.5)
    tot = sum(s[k] for k in ("X", "Psi_R", "Psi_A")).real
    assert abs(r["sigma_xy"] - tot) < 2 * (s["error"] + r["sigma_xy_error"])
    # controls on the same moments: bare vertices move K_xx; a σ_y left bare breaks isotropy
    c = CT.crossed_K(None, None, bc=bc, h=1 / 4, control="bare-vertex", moments=r["moments"])
    assert abs(c["K"]["xx"] - K["xx"]) > 100 * err
    c = CT.crossed_K(None, None, bc=bc, h=1 / 4, control="half-dressed", moments=r["moments"])
    assert abs(c["K"]["xx"] - c["K"]["yy"]) > 100 * err


@pytest.mark.slow
def test_rashba_crossed_K_xx_is_odd_in_Mz(bc):
    a = CT.crossed_K(None, None, bc=bc, h=1 / 4)
    b = CT.crossed_K("rashba", "eps=5/4,Delta=3/10,Mz=-2/5,m=1", h=1 / 4)
    assert abs(a["K"]["xx"] + b["K"]["xx"]) < 10 * (a["K_error"]["xx"] + b["K_error"]["xx"]) + 1e-12
    assert abs(a["K"]["xx"]) > 1e-4
