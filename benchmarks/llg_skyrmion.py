"""LLG benchmark: a relaxed skyrmion driven by the torque (25), velocity vs the Thiele equation (21).

Run:  /tmp/venv/bin/python benchmarks/llg_skyrmion.py [--n 80] [--model rashba|dresselhaus]

1. Relax a Néel skyrmion on an N×N periodic grid (exchange A, interfacial DMI D,
   uniaxial anisotropy K; ħ = γ = 1) by overdamped dynamics ṁ = −m×(m×H_eff).
2. Drive it with the LLG equation (6), ṁ = −m×H_eff + α_G m×ṁ + T, T = κ s×m with
   κ s from Eq. (25) (Rashba) or (27) (Dresselhaus) and the coefficients below;
   solved explicitly as (1+α²)ṁ = A + α m×A, A = −m×H + T (RK4).
3. Track the centre (topological-density centroid) and fit the velocity.
4. Predict ν from Eq. (21) with Q, D̂, F of Eq. (22) summed over the RELAXED grid
   texture (finite differences), and with :mod:`streda.verify.skyrmion` on a fitted
   axisymmetric profile θ = 2 arctan(sinh(R/w)/sinh(ρ/w)).

The difference measures the rigid-texture assumption of the Thiele equation
(deformation under drive, O(drive)) plus discretisation; it is a benchmark,
not a test: nothing asserts it.
"""
from __future__ import annotations

import argparse
import math
import time

import numpy as np

A_EX, D_DMI, K_U = 1.0, 1.1, 1.0


def _grad(f, h):
    gx = (np.roll(f, -1, axis=-2) - np.roll(f, 1, axis=-2)) / (2 * h)
    gy = (np.roll(f, -1, axis=-1) - np.roll(f, 1, axis=-1)) / (2 * h)
    return gx, gy


def _lap(f, h):
    return (np.roll(f, 1, -2) + np.roll(f, -1, -2) + np.roll(f, 1, -1) + np.roll(f, -1, -1) - 4 * f) / h ** 2


def h_eff(m, h):
    """−δE/δm for E = ∫ A|∇m|² + D[m_z ∇·m − (m·∇)m_z] + K(1 − m_z²)."""
    H = 2 * A_EX * _lap(m, h)
    gx, gy = _grad(m[2], h)
    div = _grad(m[0], h)[0] + _grad(m[1], h)[1]
    H[0] += 2 * D_DMI * gx
    H[1] += 2 * D_DMI * gy
    H[2] += -2 * D_DMI * div + 2 * K_U * m[2]
    return H


def kappa_s(m, J, coeffs, model):
    """κ s of Eq. (25) (Rashba) or Eq. (27) (Dresselhaus) on the grid."""
    a, b, c, d = (f(m[2]) for f in coeffs)
    z = np.zeros_like(m)
    z[2] = 1.0
    Jv = np.zeros_like(m)
    if model == "rashba":
        Jv[0], Jv[1] = J[0], J[1]
        zJ = np.cross(z, Jv, axis=0)
        mJ = np.einsum("i...,i...->...", m, Jv)
        return (-a * zJ - c * np.cross(m, z, axis=0) * mJ - b * np.cross(m, zJ, axis=0) - d * z * mJ)
    Jv[0], Jv[1] = J[0], -J[1]
    w = np.einsum("i...,i...->...", np.cross(z, m, axis=0), Jv)
    return -a * Jv - c * np.cross(m, z, axis=0) * w - b * np.cross(m, Jv, axis=0) - d * z * w


def rhs(m, h, alpha, drive):
    H = h_eff(m, h)
    Av = -np.cross(m, H, axis=0)
    if drive is not None:
        Av = Av + np.cross(drive(m), m, axis=0)
    return (Av + alpha * np.cross(m, Av, axis=0)) / (1 + alpha ** 2)


def rk4(m, dt, f):
    k1 = f(m)
    k2 = f(m + dt / 2 * k1)
    k3 = f(m + dt / 2 * k2)
    k4 = f(m + dt * k3)
    m = m + dt / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
    return m / np.linalg.norm(m, axis=0)


def relax(n, h, steps, dt):
    x = (np.arange(n) - n / 2 + 0.5) * h
    X, Y = np.meshgrid(x, x, indexing="ij")
    r = np.hypot(X, Y)
    th = 2 * np.arctan(np.exp((3.0 - r) / 1.0))
    phi = np.arctan2(Y, X)
    m = np.array([np.sin(th) * np.cos(phi), np.sin(th) * np.sin(phi), np.cos(th)])

    def damp(mm):
        H = h_eff(mm, h)
        return -np.cross(mm, np.cross(mm, H, axis=0), axis=0)

    for _ in range(steps):
        m = rk4(m, dt, damp)
    return m, X, Y


def thiele_from_grid(m, h, alpha_g, J, coeffs, model):
    gx = np.array([_grad(c, h)[0] for c in m])
    gy = np.array([_grad(c, h)[1] for c in m])
    dA = h * h
    Q = np.sum(np.einsum("i...,i...->...", m, np.cross(gx, gy, axis=0))) * dA / (4 * np.pi)
    g = (gx, gy)
    D = np.array([[alpha_g * np.sum(np.einsum("i...,i...->...", g[i], g[j])) * dA / (4 * np.pi)
                   for j in range(2)] for i in range(2)])
    ks = kappa_s(m, J, coeffs, model)
    F = np.array([np.sum(np.einsum("i...,i...->...", g[i], ks)) * dA / (4 * np.pi) for i in range(2)])
    nu = np.linalg.solve(Q * np.array([[0, 1], [-1, 0]]) - D, F)
    return Q, D, F, nu


def centre(m, X, Y, h):
    """Centroid of 1 − m_z (background m_z = +1); unwrapped as long as the core stays inside."""
    q = 1.0 - m[2]
    return np.array([np.sum(q * X), np.sum(q * Y)]) / np.sum(q)


def fit_profile(m, X, Y):
    """Least-squares fit of θ = 2 arctan(sinh(R/w)/sinh(ρ/w)) to the relaxed texture."""
    r = np.hypot(X, Y).ravel()
    th = np.arccos(np.clip(m[2].ravel(), -1, 1))
    best = None
    for R in np.linspace(0.5, 8, 76):
        for w in np.linspace(0.3, 3, 55):
            with np.errstate(over="ignore"):
                model = 2 * np.arctan(np.sinh(R / w) / np.sinh(np.maximum(r, 1e-9) / w))
            err = float(np.sum((model - th) ** 2))
            if best is None or err < best[0]:
                best = (err, R, w)
    return best[1], best[2]


COEFFS_TXT = "a=0.05*mz**2,b=0.01,c=0.03,d=0.005"
COEFFS = (lambda z: 0.05 * z ** 2, lambda z: 0.01 + 0 * z, lambda z: 0.03 + 0 * z,
          lambda z: 0.005 + 0 * z)


def run(n: int = 80, h: float = 0.4, model: str = "rashba", alpha: float = 0.3,
        t_drive: float = 40.0, t_relax: float = 60.0, J=(1.0, 0.0), log=print) -> dict:
    """Relax, drive, and compare; returns the velocities and the Thiele inputs."""
    dt = 0.15 * h * h / A_EX
    t0 = time.time()
    m, X, Y = relax(n, h, int(t_relax / dt), dt)
    log(f"relaxed {n}x{n} grid (h = {h}) in {time.time() - t0:.1f} s; "
        f"m_z(centre) = {m[2][n // 2, n // 2]:.4f}")
    m_relaxed = m.copy()
    Q, D, F, nu_pred = thiele_from_grid(m, h, alpha, J, COEFFS, model)
    log(f"grid texture: Q = {Q:.5f}, D = {D[0, 0]:.5f} (off-diag {D[0, 1]:.1e}), "
        f"F = ({F[0]:.5f}, {F[1]:.5f})")
    log(f"Thiele (21) on the grid texture: nu = ({nu_pred[0]:.5f}, {nu_pred[1]:.5f})")

    def drive(mm):
        return kappa_s(mm, J, COEFFS, model)

    times, cents = [], []
    steps = int(t_drive / dt)
    t0 = time.time()
    for k in range(steps + 1):
        if k % max(1, steps // 80) == 0:
            times.append(k * dt)
            cents.append(centre(m, X, Y, h))
        if k < steps:
            m = rk4(m, dt, lambda mm: rhs(mm, h, alpha, drive))
    times, cents = np.array(times), np.array(cents)
    sel = times > t_drive / 4
    vx = np.polyfit(times[sel], cents[sel, 0], 1)[0]
    vy = np.polyfit(times[sel], cents[sel, 1], 1)[0]
    log(f"LLG (6), driven for t = {t_drive} in {time.time() - t0:.1f} s: nu = ({vx:.5f}, {vy:.5f})")
    rel = math.hypot(vx - nu_pred[0], vy - nu_pred[1]) / math.hypot(*nu_pred)
    log(f"|nu_LLG - nu_Thiele| / |nu_Thiele| = {rel:.3%};  nu_y/nu_x: LLG {vy / vx:.4f}, "
        f"Thiele {nu_pred[1] / nu_pred[0]:.4f}")
    out = {"Q": Q, "D": D, "F": F, "nu_thiele_grid": nu_pred, "nu_llg": np.array([vx, vy]),
           "rel_diff": rel}

    from streda.verify import skyrmion as S

    m = m_relaxed                      # the profile fit uses the relaxed, undriven texture
    R, w = fit_profile(m, X, Y)
    num = lambda v: S.parse_number(repr(float(v)))  # noqa: E731
    prof = S.parse_profile("2*atan(sinh(R/w)/sinh(rho/w))", {"R": num(R), "w": num(w)})
    ring = (np.abs(np.hypot(X, Y) - R) < h) & (np.hypot(X, Y) > 0)
    rel_phase = np.angle((m[0] + 1j * m[1]) * np.exp(-1j * np.arctan2(Y, X)))   # Φ − φ
    delta = float(np.angle(np.mean(np.exp(1j * rel_phase[ring]))))
    rr = S.route_reduced(prof, model, num(delta), J, S.parse_coefficients(COEFFS_TXT), num(alpha))
    log(f"streda.verify.skyrmion on the fitted profile (R = {R:.3f}, w = {w:.3f}, helicity "
        f"{delta:.3f}): Q = {rr.Q:.4f}, D = {rr.D[0][0]:.5f}, nu = ({rr.nu[0]:.5f}, {rr.nu[1]:.5f})")
    out["nu_fitted_profile"] = np.array(rr.nu)
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=80)
    ap.add_argument("--h", type=float, default=0.4)
    ap.add_argument("--model", default="rashba", choices=("rashba", "dresselhaus"))
    ap.add_argument("--alpha-g", type=float, default=0.3)
    ap.add_argument("--t-drive", type=float, default=40.0)
    ap.add_argument("--t-relax", type=float, default=60.0)
    args = ap.parse_args(argv)
    run(args.n, args.h, args.model, args.alpha_g, args.t_drive, args.t_relax)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
