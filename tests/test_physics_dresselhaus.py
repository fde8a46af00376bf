"""The engine's Dresselhaus path (`tensor --model dresselhaus`) against a brute-force bubble.

Brute force, written here from scratch: H_D = p²/2m + α(σ_x p_x − σ_y p_y) − M_zσ_z (Eq. 18)
as explicit numpy 2x2 matrices, G^{R,A} = (ε ± iγ − H_D)⁻¹, v = ∂H_D/∂p = (p_x/m + ασ_x,
p_y/m − ασ_y), and the Kubo–Středa trace of Eq. (9)

    K_αβ = (e/8π) ∫ d²p/(2π)² Tr[σ_α (G^R − G^A) v_β G^A − σ_α G^R v_β (G^R − G^A)],

integrated over ξ = p²/2m on the whole real axis (the paper's prescription; for ξ < 0 the
momentum is imaginary and the angle average, even in p, is unchanged) with
d²p/(2π)² = (m/2π) dξ dφ/2π: a trapezoid rule in φ (exact: the integrand is a trigonometric
polynomial of degree ≤ 3 < 8) and Gauss–Legendre panels in ξ, refined around the poles.

Mapping (verify/dresselhaus.py): K_D(M) = −O K_R(O M) with O = [[0,1,0],[1,0,0],[0,0,−1]];
the sign +1 (reading Eq. 19 without the momentum inversion) is the control that must fail.
"""
from __future__ import annotations

import numpy as np
import pytest

from streda.integrals.model import RashbaModel
from streda.verify.cmd_tensor import numeric_tensor
from streda.verify.dresselhaus import engine_mapping_check

S0 = np.eye(2, dtype=complex)
SX = np.array([[0, 1], [1, 0]], dtype=complex)
SY = np.array([[0, -1j], [1j, 0]], dtype=complex)
SZ = np.array([[1, 0], [0, -1]], dtype=complex)
SIG = {"x": SX, "y": SY, "z": SZ}

TEXT = "eps=3/2,gamma=1/5,Delta=1/2,Mz=1/3,m=2,e=3"
PT = RashbaModel.from_string(TEXT)


def _nodes(eps, gamma, Delta, Mz, n=48, sub=6):
    """Gauss–Legendre nodes and weights for ξ on (−∞, ∞), panels refined around the poles;
    the two tails are mapped by ξ = c ∓ w(1 − t)/t (t ∈ (0, 1]); the integrand decays like ξ⁻²
    (G^R − G^A ~ γ/ξ²), so it is smooth in t."""
    lam = np.sqrt(Delta ** 2 + 2 * eps * Delta + Mz ** 2)
    c1, c2 = eps + Delta - lam, eps + Delta + lam
    w = 4 * gamma
    brk = sorted([c1 - w, c1, c1 + w, c2 - w, c2, c2 + w])
    t, wt = np.polynomial.legendre.leggauss(n)
    xs, ws = [], []
    for lo, hi in zip(brk, brk[1:]):
        edges = np.linspace(lo, hi, sub + 1)
        for a, b in zip(edges, edges[1:]):
            xs.append((a + b) / 2 + (b - a) / 2 * t)
            ws.append((b - a) / 2 * wt)
    u, uw = (t + 1) / 2, wt / 2                                     # t ∈ (0, 1)
    for c, sgn in ((brk[0], -1), (brk[-1], +1)):
        xs.append(c + sgn * w * (1 - u) / u)
        ws.append(uw * w / u ** 2)
    return np.concatenate(xs), np.concatenate(ws)


def brute_force_K(eps, gamma, Delta, Mz, m, e, sign_v=+1, n_phi=8):
    """3x2 bare K of the Dresselhaus model (see module docstring); ``sign_v`` flips the
    spin-orbit part of the velocity (used only to show that the test can tell)."""
    alpha = np.sqrt(Delta / m)
    xi, wxi = _nodes(eps, gamma, Delta, Mz)
    p = np.sqrt((2 * m * xi).astype(complex))[:, None, None]
    out = np.zeros((3, 2), dtype=complex)
    for phi in 2 * np.pi * np.arange(n_phi) / n_phi:
        px, py = p * np.cos(phi), p * np.sin(phi)
        H = (p * p / (2 * m)) * S0 + alpha * (px * SX - py * SY) - Mz * SZ
        GR = np.linalg.inv((eps + 1j * gamma) * S0 - H)
        GA = np.linalg.inv((eps - 1j * gamma) * S0 - H)
        v = {"x": px / m * S0 + sign_v * alpha * SX, "y": py / m * S0 - sign_v * alpha * SY}
        for i, a in enumerate("xyz"):
            for j, b in enumerate("xy"):
                T = SIG[a] @ (GR - GA) @ v[b] @ GA - SIG[a] @ GR @ v[b] @ (GR - GA)
                out[i, j] += np.sum(wxi * np.trace(T, axis1=1, axis2=2))
    return e / (8 * np.pi) * out / n_phi * m / (2 * np.pi)


@pytest.fixture(scope="module")
def brute():
    f = [float(getattr(PT, k)) for k in ("eps", "gamma", "Delta", "Mz", "m", "e")]
    return brute_force_K(*f)


def _engine(model):
    K = numeric_tensor("K", "bare", 0, PT, 15, model)[0]
    return np.array([[complex(float(K[r + c].real.mid().str(20, radius=False)),
                              float(K[r + c].imag.mid().str(20, radius=False))) if K[r + c] != 0 else 0
                      for c in "xy"] for r in "xyz"])


def test_engine_dresselhaus_K0_equals_brute_force(brute):
    got = _engine("dresselhaus")
    scale = np.abs(brute).max()
    assert scale > 1e-3
    assert np.abs(got - brute).max() < 1e-8 * scale, (got, brute)


def test_brute_force_sees_the_velocity_sign(brute):
    """Control: the brute force with the spin part of v flipped differs by O(1)."""
    f = [float(getattr(PT, k)) for k in ("eps", "gamma", "Delta", "Mz", "m", "e")]
    wrong = brute_force_K(*f, sign_v=-1)
    assert np.abs(wrong - brute).max() > 0.1 * np.abs(brute).max()


def test_engine_dresselhaus_is_mapped_rashba_numerically():
    """K_D(0, 0, M_z) = −O K_R(0, 0, −M_z) with the engine's own Rashba path; +O must fail."""
    KD = _engine("dresselhaus")
    KR = np.array(_engine_rashba_flipped())
    O = np.array([[0, 1, 0], [1, 0, 0], [0, 0, -1]])
    scale = np.abs(KD).max()
    assert np.abs(KD - (-O @ KR)).max() < 1e-10 * scale
    assert np.abs(KD - (O @ KR)).max() > 0.5 * scale


def _engine_rashba_flipped():
    pt = RashbaModel.from_string(TEXT.replace("Mz=1/3", "Mz=-1/3"))
    K = numeric_tensor("K", "bare", 0, pt, 15)[0]
    return [[complex(float(K[r + c].real.mid().str(20, radius=False))) if K[r + c] != 0 else 0
             for c in "xy"] for r in "xyz"]


def test_exact_mapping_and_wrong_sign_control():
    """Exact identity in the engine's variables, order by order in M_x (0 and 1)."""
    good = engine_mapping_check(1, sign=-1)
    assert all(r["exactly_equal"] for r in good)
    nonzero = [r for r in good if not r["dresselhaus_zero"]]
    assert len(nonzero) >= 6                        # K^(0)_xx..yy, K^(1)_zx, K^(1)_zy
    bad = engine_mapping_check(1, sign=+1)
    assert all(not r["exactly_equal"] for r in bad if not r["dresselhaus_zero"])
