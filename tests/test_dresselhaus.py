"""Dresselhaus model (Sec. III): the unitary mapping (19), the torque form (20), Eq. (27).

The symbolic statements are checked against a second, numerical method: our own
brute-force Kubo bubble (Eq. 9) evaluated directly for the Dresselhaus Hamiltonian,
compared with the mapped Rashba bubble.
"""
from __future__ import annotations

import numpy as np
import pytest
import sympy

from streda.verify import dresselhaus as DR
from streda.verify import torques as T
from streda.verify.compare import AGREES, DIFFERS

ALPHA = float(np.sqrt(0.3))
EPS, GAMMA = 1.0, 0.1


@pytest.fixture(scope="module")
def records():
    return {(r.equation, r.row): r for r in DR.check_mapping()}


def _KR(mx, mz):
    return DR.bare_bubble_K(ALPHA, 0.0, (float(mx), 0.0, float(mz)), EPS, GAMMA)


def _KD(M):
    return DR.bare_bubble_K(0.0, ALPHA, tuple(float(c) for c in M), EPS, GAMMA)


def test_unitary_and_spin_map():
    U = DR.U_SPIN
    assert (U * U.H).applyfunc(sympy.simplify) == sympy.eye(2)
    O = DR.spin_map()
    # second method: conjugate each Pauli matrix and read off the components by hand
    sx, sy, sz = (T.PAULI[a] for a in "xyz")
    assert (U * sx * U.H).applyfunc(sympy.simplify) == sy
    assert (U * sy * U.H).applyfunc(sympy.simplify) == sx
    assert (U * sz * U.H).applyfunc(sympy.simplify) == -sz
    assert O.det() == 1 and O * O == sympy.eye(3)     # a proper rotation (π about (1,1,0)/√2)


_NP_SIG = {"0": np.eye(2), "x": np.array([[0, 1], [1, 0]], dtype=complex),
           "y": np.array([[0, -1j], [1j, 0]]), "z": np.diag([1.0 + 0j, -1.0])}


def _H(model, p, M, al=0.7, xi=0.3):
    """Eq. (8) Rashba / Eq. (18) Dresselhaus with explicit 2x2 numpy matrices."""
    s = _NP_SIG
    so = (s["x"] * p[1] - s["y"] * p[0]) if model == "R" else (s["x"] * p[0] - s["y"] * p[1])
    return xi * s["0"] + al * so - (M[0] * s["x"] + M[1] * s["y"] + M[2] * s["z"])


def test_eq19_by_hand_with_numpy():
    """Hand derivation behind the (19) verdicts: U = (σ_x + σ_y)/√2 is Hermitian and unitary,
    U σ_x U = σ_y, U σ_y U = σ_x, U σ_z U = −σ_z, hence U H_D[p] U = ξ + α(σ_y p_x − σ_x p_y)
    − (M_y σ_x + M_x σ_y − M_z σ_z) = H_R[−p] with M' = (M_y, M_x, −M_z): the printed
    H_R[p] needs p → −p.  Checked with numpy matrices at random p, M."""
    rng = np.random.default_rng(19)
    U = (_NP_SIG["x"] + _NP_SIG["y"]) / np.sqrt(2)
    for _ in range(5):
        p, M = rng.normal(size=2), rng.normal(size=3)
        lhs = U.conj().T @ _H("D", p, M) @ U
        Mp = (M[1], M[0], -M[2])
        assert np.abs(lhs - _H("R", -p, Mp)).max() < 1e-13
        assert np.abs(lhs - _H("R", p, Mp)).max() > 0.1          # without the inversion: differs
        assert np.allclose(np.array(DR.spin_map(), dtype=float) @ M, Mp)
        # "19 (alternative)": U2 = (σ_x − σ_y)/√2 maps σ_x → −σ_y, σ_y → −σ_x, σ_z → −σ_z, so
        # U2 H_D[p] U2 = H_R[p] with M'' = (−M_y, −M_x, −M_z): no momentum inversion needed
        U2 = (_NP_SIG["x"] - _NP_SIG["y"]) / np.sqrt(2)
        assert np.abs(U2 @ _H("D", p, M) @ U2 - _H("R", p, (-M[1], -M[0], -M[2]))).max() < 1e-13


def _fit(K, m, torque_of):
    """Coefficients (a, b, c, d) of the printed ansatz ``torque_of`` fitted by least squares to
    T = s × m, s = K E (κ = 1), E = x̂, ŷ; returns (coefficients, residual)."""
    A, y = [], []
    for j, E in enumerate(((1, 0), (0, 1))):
        T = np.cross(np.real(np.asarray(K))[:, j], m)
        cols = [np.array(torque_of(m, E, *(1 if i == k else 0 for i in range(4))), dtype=float).ravel()
                for k in range(4)]
        A.append(np.array(cols).T)
        y.append(T)
    A, y = np.vstack(A), np.concatenate(y)
    x, *_ = np.linalg.lstsq(A, y, rcond=None)
    return x, np.abs(A @ x - y).max()


def test_eq20_sign_from_brute_force_bubbles():
    """Second route for the (20) verdicts: the brute-force Dresselhaus bubble fitted to the
    printed (20) basis and the brute-force Rashba bubble fitted to the printed (7) basis, at the
    same |m_z| (no mapping, no solver of ours): the fits are exact (residual ~ 0) and
    (a, b, c, d)_D = −(a, b, c, d)_R, so (20) holds with the negated coefficients."""
    from streda.verify.printed import torques as P

    Mabs, mxy, mzv = 0.5, 0.6, 0.8
    mR = np.array([mxy, 0.0, mzv])
    cR, resR = _fit(_KR(mxy * Mabs, mzv * Mabs), mR, P.eq7_torque)
    scale = np.abs(cR).max()
    assert resR < 1e-10 * scale and scale > 1e-3
    for phi in (0.4, 2.1):
        m = np.array([mxy * np.cos(phi), mxy * np.sin(phi), mzv])
        cD, resD = _fit(_KD(tuple(Mabs * m)), m, P.eq20_torque)
        assert resD < 1e-10 * scale
        assert np.abs(cD + cR).max() < 1e-8 * scale
        assert np.abs(cD - cR).max() > 0.1 * scale                  # same coefficients: differ


def test_eq19_needs_momentum_inversion(records):
    # verdicts derived by hand in test_eq19_by_hand_with_numpy
    assert records[("19", "U^+ H_D[p] U")].status == DIFFERS
    assert "alpha_so" in records[("19", "U^+ H_D[p] U")].difference
    assert records[("19", "U^+ H_D[-p] U")].status == AGREES
    for c in "xyz":
        assert records[("19 (M')", c)].status == AGREES
    assert records[("19 (alternative)", "U2 = (sx - sy)/sqrt2")].status == AGREES
    for c in "xy":
        assert records[("19 (velocity)", c)].status == AGREES


def test_eq20_overall_sign(records):
    # verdicts derived independently in test_eq20_sign_from_brute_force_bubbles
    for c in "xyz":
        assert records[("20", f"T_{c}")].status == DIFFERS
        assert records[("20 (a,b,c,d -> -a,-b,-c,-d)", f"T_{c}")].status == AGREES
        assert records[("27 vs 20", f"T_{c}")].status == AGREES
    for n in T.COEFFS:
        assert records[("20 (same coefficients)", n)].status == DIFFERS
        assert records[("20 (negated coefficients)", n)].status == AGREES
    assert records[("20 (z-direction)", None)].status == AGREES
    assert records[("20 (substitution)", None)].status == AGREES


@pytest.mark.parametrize("M", [(0.2, 0.25, 0.4), (-0.3, 0.1, -0.35)])
def test_tensor_mapping_against_direct_bubble(M):
    direct = _KD(M)
    mapped = np.array(DR.dresselhaus_K_from_rashba(_KR)(*M), dtype=complex)
    scale = np.abs(direct).max()
    assert np.abs(mapped - direct).max() < 1e-10 * scale
    # negative control: the mapping read off (19)-(20) without the momentum inversion
    wrong = np.array(DR.dresselhaus_K_from_rashba(_KR, sign=+1)(*M), dtype=complex)
    assert np.abs(wrong - direct).max() > 0.1 * scale


def test_dresselhaus_coefficients_numeric():
    # direct Dresselhaus bubble solved against the basis (20) vs the Rashba coefficients
    # of the same |m_z| (special frame): a_D = -a_R etc. at two azimuths
    Mabs, mxy, mzv = 0.5, 0.6, 0.8
    cR = T.solve_coefficients(_KR(mxy * Mabs, mzv * Mabs), (mxy, 0.0, mzv))
    for phi in (0.4, 2.1):
        m = (mxy * np.cos(phi), mxy * np.sin(phi), mzv)
        cD = T.solve_coefficients(_KD(tuple(Mabs * np.array(m))), m, basis=DR.dresselhaus_basis)
        for k in T.COEFFS:
            r = complex(cR[k])
            assert abs(complex(cD[k]) + r) < 1e-8 * max(1, abs(r)), (k, phi)


def test_symbolic_dresselhaus_coefficients_are_negated_rashba():
    d, r = DR.derive_dresselhaus_coefficients(), T.derive_coefficients(False)
    for k in T.COEFFS:
        assert sympy.simplify(d[k] + r[k]) == 0


def test_negative_control_perturbed_eq20():
    # a perturbed printed form must not match the derived torque
    from streda.verify.printed import torques as P

    m = sympy.Matrix(sympy.symbols("m_1 m_2 m_3", real=True))
    a, b, c, d = sympy.symbols("a b c d", real=True)
    O = DR.spin_map()
    TD = -O * P.eq7_torque(O * m, (1, 0), a, b, c, d)
    good = P.eq20_torque(m, (1, 0), -a, -b, -c, -d)
    bad = P.eq20_torque(m, (1, 0), -a, -b, c, -d)       # c sign not flipped
    assert all(T.compare(sympy.expand(TD[i]), sympy.expand(good[i]), equation="20").status == AGREES
               for i in range(3))
    assert any(T.compare(sympy.expand(TD[i]), sympy.expand(bad[i]), equation="20").status == DIFFERS
               for i in range(3))


def test_basis_z_parity():
    # Rashba basis (7) changes under z -> -z (the a-term is odd), the Dresselhaus one not
    m = (sympy.Rational(3, 13), sympy.Rational(4, 13), sympy.Rational(12, 13))
    Bp = DR.dresselhaus_basis(m, (1, 2), T.ZHAT)
    Bm = DR.dresselhaus_basis(m, (1, 2), -T.ZHAT)
    assert all(u == v for u, v in zip(Bp, Bm))


def test_rashba_K_at_rotates():
    """Rotation covariance against the physics, not against the helper it calls: the
    brute-force Rashba bubble with the in-plane field along y equals the special-frame bubble
    (field along x) rotated by 90° about z, K' = R₃ K R₂ᵀ with explicit matrices; the opposite
    rotation is the control."""
    M = (0.0, 0.3, 0.4)
    direct = np.array(DR.bare_bubble_K(ALPHA, 0.0, M, EPS, GAMMA), dtype=complex)
    special = np.array(_KR(0.3, 0.4), dtype=complex)
    R3 = np.array([[0, -1, 0], [1, 0, 0], [0, 0, 1]])
    R2 = np.array([[0, -1], [1, 0]])
    scale = np.abs(direct).max()
    assert np.abs(R3 @ special @ R2.T - direct).max() < 1e-10 * scale
    got = np.array(DR.rashba_K_at(_KR, M), dtype=complex)
    assert np.abs(got - direct).max() < 1e-10 * scale
    assert np.abs(R3.T @ special @ R2 - direct).max() > 0.1 * scale      # control: wrong sense


def test_bubble_refuses_zero_broadening():
    with pytest.raises(T.TorqueError):
        DR.bare_bubble_K(ALPHA, 0.0, (0.1, 0, 0.2), EPS, 0.0)
