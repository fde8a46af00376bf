"""Crossed (X, Ψ) corrections to the spin susceptibility K of Eqs. (9), (11), (15)–(16) at
M_x⁰ for an isotropic two-band model (issue 10, item 5).  Scalar white-noise disorder, both
vertices ladder-dressed, leading order in the disorder (εF τ ≫ 1): the crossed diagrams are
O(γ⁰), the order of the dissipationless entries K_xx, K_yy of Eq. (15) (torque b) and a
1/(ετ) correction to the Edelstein entries K_xy, K_yx (torque a).

Same diagrams, pinches and crossed blocks as :mod:`streda.integrals.crossed_rashba` (its
docstring has the derivation); only the vertices differ:

1. Vertices at leading order.  With λ_n = ν_n/(ρ₀ + ρ_z ŝ_{n,z}) the ladder reads
   Γ = V + 𝓛(Γ − V + V), 𝓛(X) = Σ_n λ_n ⟨P_n X P_n⟩_φ (Appendix C, Eqs. C5 at γ → 0).
   The correction is a constant matrix, so for the spin vertex V = σ_a the equation
   (1 − 𝓛)Γ^σ_a = σ_a is 3 × 3 on the Pauli matrices (the identity row must not be fed:
   its coefficient is ρ_z/ρ₀, zero for scalar Rashba disorder, checked).  For the velocity,
   Γ_b = v_b + C_b with (1 − 𝓛)C_b = 𝓛(v_b); for Rashba Γ = p/m (checked against
   :func:`streda.integrals.hall.fermi_surface`).
2. Angles.  On circle n, P_nΓP_n = w(φ)P_n with w a trigonometric polynomial (Fourier
   coefficients c_k from eight equidistant φ: exact to degree 3).  Isotropy of the block
   (p and σ rotated together) leaves the relative angle θ of p₂ to p, and the global angle
   averages to Σ_k c^{(1)}_{−k} c^{(2)}_k e^{ikθ}.  So every entry is
   Q_ab = Σ_{fam,n,m} λ_nλ_m Σ_k c^{a,n}_{−k} c^{b,m}_k M^{fam}_{nm,k},
   M_k = (1/2π)∫_{−π}^{π} e^{ikθ} T_{nm}(θ) dθ, T the crossed-block trace of
   :func:`~streda.integrals.crossed_rashba.block_trace`.  One pass of the θ quadrature gives
   all moments, hence σ_xy and all six K entries from the same block evaluations.
3. Normalisation as :func:`streda.integrals.api.tensor`: K_ab = (e/4π)√m_e Q_ab with the
   spin vertex first (Γ_x slot) and the velocity vertex second; σ_xy (e²/h) = Q for two
   velocity vertices (the number :func:`~streda.integrals.crossed_rashba.crossed_sigma`
   returns).  The non-crossing check is :func:`ladder_K_leading`: the coefficient of 1/γ of
   the ladder K from the same pinches.

Isotropy is *not* put in by hand: every vertex is projected at its actual angle, so the
relations K_xx = K_yy, K_xy = −K_yx, K_zb = 0 of Eq. (11) at m_x = 0 are a test.

>>> bc = bands("rashba", "eps=5/4,Delta=3/10,Mz=2/5,m=1")
>>> g = spin_vertices(bc)
>>> round(float(g["x"][0, 1].real), 12), round(float(g["z"][0, 0].real), 12)   # (M²+2εΔ)/(M²+εΔ), 1+M²/2εΔ
(1.700934579439, 1.213333333333)
"""
from __future__ import annotations

import numpy as np

from .crossed import DEFAULT_TERMS, block_structure
from .crossed_rashba import RashbaCrossed, _SIG, bands_from_point, block_trace, theta_rule

__all__ = ["bands", "spin_vertices", "velocity_vertices", "fourier_weights", "theta_moments",
           "combine", "crossed_K", "ladder_K_leading", "backscattering_log", "ENTRIES", "KMAX"]

#: the six entries of K (row: spin component, column: field direction)
ENTRIES = ("xx", "xy", "yx", "yy", "zx", "zy")
#: highest angular harmonic of a projected vertex kept (Rashba/Dirac vertices have |k| ≤ 1)
KMAX = 2
_NPHI = 8
_AX = {"x": 1, "y": 2, "z": 3}


def bands(model, point, ip=None) -> RashbaCrossed:
    """The numeric model data of :mod:`~streda.integrals.crossed_rashba` (with ``ip`` stored
    on it as ``bc.ip``, for the velocity operators)."""
    from . import hall as H

    ip = ip or H.isotropic_point(model, point)
    bc = bands_from_point(ip)
    bc.ip = ip
    return bc


def _prefactor(bc) -> float:
    """e√m_e/4π of :func:`streda.integrals.api.tensor` for models with a charge ``e`` and an
    electron mass ``m`` (Rashba family); 1/4π for models without them (Dirac: there ``m`` is
    the gap)."""
    from .model import ModelError

    pt = bc.ip.point
    try:
        return float(pt["e"]) / (4 * np.pi) * np.sqrt(float(pt["m"]))
    except ModelError:
        return 1 / (4 * np.pi)


def _avg_PXP(bc, n, X):
    """⟨P_n X(φ) P_n⟩_φ (X a 2x2 matrix or a function of (px, py)) by an exact trapezoid rule."""
    p = bc.circles[n][0]
    acc = np.zeros((2, 2), complex)
    for j in range(_NPHI):
        phi = 2 * np.pi * j / _NPHI
        P = bc.P(n, phi)
        M = X(p * np.cos(phi), p * np.sin(phi)) if callable(X) else X
        acc += P @ M @ P
    return acc / _NPHI


def _ladder_map(bc):
    """𝓛 on the basis (1, σx, σy, σz): Lmat[i, j] = ½ Tr σ_i 𝓛(σ_j)."""
    Lm = np.zeros((4, 4), complex)
    for j in range(4):
        img = sum(c[4] * _avg_PXP(bc, n, _SIG[j]) for n, c in enumerate(bc.circles))
        for i in range(4):
            Lm[i, j] = np.trace(_SIG[i] @ img) / 2
    return Lm


def _solve(bc, rhs4):
    """C with (1 − 𝓛)C = rhs on the Pauli matrices; refuses an identity component."""
    Lm = _ladder_map(bc)
    c = np.linalg.solve(np.eye(3) - Lm[1:, 1:], rhs4[1:])
    if abs(rhs4[0] + Lm[0, 1:] @ c) > 1e-12 * max(1.0, np.max(np.abs(c))):
        raise ValueError("the ladder feeds the identity (the diffuson): no leading-order vertex")
    return sum(ci * _SIG[i + 1] for i, ci in enumerate(c))


def spin_vertices(bc, control: str = "", rows: str = "xyz") -> dict:
    """{a: Γ^σ_a} ladder-dressed at leading order (Eq. C5b with γ → 0); ``control="bare-vertex"``
    returns the bare σ_a, ``"half-dressed"`` leaves σ_y bare (not rotation covariant: a control
    that must break K_xx = K_yy)."""
    out = {}
    for a in rows:
        i = _AX[a]
        if control == "bare-vertex" or (control == "half-dressed" and a == "y"):
            out[a] = _SIG[i].copy()
            continue
        rhs = np.zeros(4, complex)
        rhs[i] = 1
        out[a] = _solve(bc, rhs)
    return out


def velocity_vertices(bc, control: str = "") -> dict:
    """{b: (px, py) -> Γ_b(p)}: v_b + the constant ladder correction (Eq. C5a with γ → 0)."""
    import sympy

    from .models import px, py

    out = {}
    for b, V in (("x", bc.ip.vx), ("y", bc.ip.vy)):
        f = sympy.lambdify((px, py), V, "numpy")
        vf = (lambda f: lambda a, c: np.array(f(a, c), complex))(f)
        C = np.zeros((2, 2), complex)
        if control != "bare-vertex":
            img = sum(c[4] * _avg_PXP(bc, n, vf) for n, c in enumerate(bc.circles))
            C = _solve(bc, np.array([np.trace(_SIG[i] @ img) / 2 for i in range(4)]))
        out[b] = (lambda vf, C: lambda a, c: vf(a, c) + C)(vf, C)
    return out


def fourier_weights(bc, n, vertex, kmax: int = KMAX):
    """c_k (k = −kmax…kmax) of w(φ) = Tr P_n(φ) Γ P_n(φ) on circle n (Γ a matrix or a function
    of (px, py)); exact for trigonometric polynomials of degree < 8 − kmax."""
    p = bc.circles[n][0]
    phis = 2 * np.pi * np.arange(_NPHI) / _NPHI
    w = []
    for phi in phis:
        P = bc.P(n, phi)
        G = vertex(p * np.cos(phi), p * np.sin(phi)) if callable(vertex) else vertex
        w.append(np.trace(P @ G @ P))
    w = np.array(w)
    ks = np.arange(-kmax, kmax + 1)
    return np.array([np.mean(w * np.exp(-1j * k * phis)) for k in ks])


# ------------------------------------------------------------------------------------
# θ moments of the crossed blocks (the θ rule of crossed_rashba.crossed_sigma, vector valued)
# ------------------------------------------------------------------------------------
def theta_moments(bc, terms=None, h: float = 1 / 4, phi_ratio: float = 0.5, control: str = "",
                  kmax: int = KMAX, progress=None) -> dict:
    """{(family, n, m): M_k (k = −kmax…kmax)} at steps h and 2h: ``{"fine": …, "coarse": …,
    "dropped_nodes": int}``.  The θ rule (breaks, polar-origin artefacts, end extrapolation)
    is that of :func:`~streda.integrals.crossed_rashba.crossed_sigma`, applied to the vector
    (e^{ikθ}T(θ) + e^{−ikθ}T(−θ))_k instead of one scalar."""
    terms = terms or DEFAULT_TERMS
    structs = [(t, block_structure(t)) for t in terms]
    side = {"R": 1, "A": -1}
    ks = np.arange(-kmax, kmax + 1)
    nk = len(ks)
    dropped = [0]

    def integrate(step):
        out = {}
        for n, cn in enumerate(bc.circles):
            for m, cm in enumerate(bc.circles):
                pn, pm = cn[0], cm[0]
                P1 = bc.P(n, 0.0)
                for term, (sides, _, mom2, where) in structs:
                    cp, c2, ck = mom2

                    def node(t):
                        val = np.zeros(nk, complex)
                        for tt in (t, -t):
                            P2 = bc.P(m, tt)
                            L = (cp * pn + c2 * pm * np.cos(tt), c2 * pm * np.sin(tt))
                            T, lg = block_trace(bc, P1, P2, L, ck, (side[sides[0]], side[sides[1]]),
                                                where, step * phi_ratio, control)
                            if not (np.all(np.isfinite(T)) and np.all(np.isfinite(lg))):
                                return np.zeros(nk, complex), False, None
                            val += np.outer(np.atleast_1d(T), np.exp(1j * ks * tt)).ravel()
                        return val, True, None

                    acc = theta_rule(bc, pn, pm, cp, c2, step, node, nk, dropped=dropped,
                                     progress=progress)
                    key = (term.family, n, m)
                    out[key] = out.get(key, 0) + term.weight * acc / (2 * np.pi)
        return out

    with np.errstate(all="ignore"):
        fine = integrate(h)
        coarse = integrate(2 * h)
    return {"fine": fine, "coarse": coarse, "dropped_nodes": dropped[0], "kmax": kmax}


def combine(bc, moments: dict, first: dict, second: dict, kmax: int = KMAX) -> dict:
    """{(a, b): {family: Q}} from θ moments and two vertex sets ({a: vertex}, {b: vertex})."""
    lam = [c[4] for c in bc.circles]
    cw1 = {a: [fourier_weights(bc, n, V, kmax) for n in range(len(lam))] for a, V in first.items()}
    cw2 = {b: [fourier_weights(bc, n, V, kmax) for n in range(len(lam))] for b, V in second.items()}
    out = {}
    for a in first:
        for b in second:
            ent = {}
            for (fam, n, m), M in moments.items():
                q = lam[n] * lam[m] * np.sum(cw1[a][n][::-1] * cw2[b][m] * M)
                ent[fam] = ent.get(fam, 0) + q
            out[(a, b)] = ent
    return out


def crossed_K(model, point=None, h: float = 1 / 4, phi_ratio: float = 0.5, control: str = "",
              bc: RashbaCrossed | None = None, progress=None, rows: str = "xyz",
              moments: dict | None = None) -> dict:
    """K_ab^{X+Ψ} (a ∈ x,y,z; b ∈ x,y) at M_x⁰, leading order, normalised as
    :func:`streda.integrals.api.tensor` (e = m_e = values of the point), with σ_xy^{X+Ψ} (e²/h)
    from the same blocks.

    Returns {"K": {entry: total}, "K_parts": {entry: {family: value}}, "K_error": {entry: |fine −
    coarse|}, "sigma_xy", "sigma_xy_error", "sigma_parts", "imag" (largest |Im| of a convergent
    total), "dropped_nodes", "moments"}.  ``control``: "no-delta" (drop the on-shell part of every crossed block),
    "bare-vertex" (bare σ_a and v_b), "same-circle" (only n = n' pairs), "half-dressed" (σ_y
    bare, σ_x dressed).  ``moments``: the ``"moments"`` of an earlier call at the same point and
    h (the vertex controls reuse them; "no-delta" needs its own).  ``rows``: the spin
    components (a model whose σ_z vertex feeds the diffuson, e.g. Dirac, needs ``rows="xy"``).
    K_xy, K_yx diverge at backscattering (:func:`backscattering_log`): their values here are
    cut-off dependent and only the sin-moment entries (K_xx, K_yy, σ_xy) are results.
    """
    if control not in ("", "no-delta", "bare-vertex", "same-circle", "half-dressed"):
        raise ValueError(f"unknown control {control!r}")
    bc = bc or bands(model, point)
    if moments is None or control == "no-delta":
        moments = theta_moments(bc, h=h, phi_ratio=phi_ratio,
                                control=control if control == "no-delta" else "", progress=progress)
    mom = dict(moments)
    if control == "same-circle":
        for key in ("fine", "coarse"):
            mom[key] = {k: v for k, v in mom[key].items() if k[1] == k[2]}
    sv = spin_vertices(bc, control, rows)
    vv = velocity_vertices(bc, control)
    fac = _prefactor(bc)
    res = {}
    for key in ("fine", "coarse"):
        kq = combine(bc, mom[key], sv, vv)
        sq = combine(bc, mom[key], {"x": vv["x"]}, {"y": vv["y"]})[("x", "y")]
        res[key] = ({a + b: {f: fac * v for f, v in parts.items()} for (a, b), parts in kq.items()}, sq)
    (kf, sf), (kc, sc) = res["fine"], res["coarse"]
    ents = [e for e in ENTRIES if e[0] in rows]
    tot = {e: complex(sum(kf[e].values())) for e in ents}
    return {"K": {e: v.real for e, v in tot.items()},
            "K_parts": {e: {f: complex(v) for f, v in kf[e].items()} for e in ents},
            "K_error": {e: float(abs(tot[e] - sum(kc[e].values()))) for e in ents},
            "imag": float(max(abs(v.imag) for e, v in tot.items() if e not in ("xy", "yx"))),
            "sigma_xy": float(sum(sf.values()).real),
            "sigma_parts": {f: complex(v) for f, v in sf.items()},
            "sigma_xy_error": float(abs(sum(sf.values()) - sum(sc.values()))),
            "dropped_nodes": mom["dropped_nodes"], "moments": moments}


def ladder_K_leading(bc, control: str = "") -> dict:
    """Coefficient of 1/γ of the ladder (non-crossing) K_ab from the same pinches:
    K ≈ (e/4π)√m Σ_n (πν_n/γ_n)⟨Tr P_n σ_a P_n Γ_b⟩, γ_n = ρ₀ + ρ_z ŝ_{n,z} in units of γ/ρ₀
    (one dressed vertex, as in Eq. C7); compared with :func:`streda.integrals.api.tensor`."""
    from . import hall as H

    vv = velocity_vertices(bc, control)
    rho0 = float(H.self_energy_onshell(bc.ip)[0])
    fac = _prefactor(bc)
    out = {}
    for a, i in _AX.items():
        for b in "xy":
            s = 0j
            for n, c in enumerate(bc.circles):
                # πν_n/w_n with w_n = γ(1 + s_z ŝ_{n,z}) = γ ν_n/(ρ₀ λ_n): π ρ₀ λ_n / γ
                w = fourier_weights(bc, n, _SIG[i])
                v = fourier_weights(bc, n, vv[b])
                s += np.pi * rho0 * c[4] * np.sum(w[::-1] * v)
            out[a + b] = float((fac * s).real)
    return out


def backscattering_log(bc, deltas=(1e-3, 1e-4), h: float = 1 / 8) -> dict:
    """The X block near backscattering, θ → π with n = m (L = p + p₂ → 0: the two-line term of
    the Cooperon): T_X^{nn}(π ∓ δ) → c_±ⁿ/δ.  Then (1/2π)∫A(θ)T(θ)dθ diverges as
    A(π)(c₊ + c₋) log(1/δ_min)/2π, and with δ_min ∝ γ every entry with A(π) ≠ 0 carries
    B log(1/γ).  Returns {"c": [(c₊, c₋) per circle at the smallest δ], "c_change": largest change
    of c_± between the two δ, "B": {entry: coefficient of log(1/γ) in K}, "B_error": {entry: the
    bound on B from c_change}, "B_sigma_xy": that of σ_xy (zero by A(π) = 0)}."""
    from .crossed import DEFAULT_TERMS, block_structure

    term = [t for t in DEFAULT_TERMS if t.family == "X"][0]
    sides, _, (cp, c2, ck), where = block_structure(term)
    sd = tuple({"R": 1, "A": -1}[x] for x in sides)
    cs, change = [], 0.0
    for n, cn in enumerate(bc.circles):
        got = []
        for d in deltas:
            pair = []
            for th in (np.pi - d, np.pi + d):
                L = (cp * cn[0] + c2 * cn[0] * np.cos(th), c2 * cn[0] * np.sin(th))
                with np.errstate(all="ignore"):
                    T = block_trace(bc, bc.P(n, 0.0), bc.P(n, th), L, ck, sd, where, h)[0]
                pair.append(d * T)
            got.append(pair)
        change = max(change, max(abs(a - b) for a, b in zip(got[-1], got[-2])))
        cs.append(tuple(got[-1]))
    sv, vv = spin_vertices(bc), velocity_vertices(bc)
    fac = _prefactor(bc)
    ks = np.arange(-KMAX, KMAX + 1)

    def B(V1, V2, bound=False):
        s = 0j
        for n, c in enumerate(bc.circles):
            A = np.sum(fourier_weights(bc, n, V1)[::-1] * fourier_weights(bc, n, V2) * np.exp(1j * ks * np.pi))
            s += c[4] ** 2 * (abs(A) * 2 * change if bound else A * (cs[n][0] + cs[n][1])) / (2 * np.pi)
        return s

    return {"c": cs, "c_change": float(change),
            "B": {a + b: float((fac * B(sv[a], vv[b])).real) for a in "xyz" for b in "xy"},
            "B_error": {a + b: float(fac * B(sv[a], vv[b], True).real) for a in "xyz" for b in "xy"},
            "B_sigma_xy": float(B(vv["x"], vv["y"]).real)}
