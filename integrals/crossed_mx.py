"""Leading-order pinches on anisotropic Fermi contours: the M_x¹ groundwork for the crossed
torques (issue 10, item 5, K⁽¹⁾_zx and K⁽¹⁾_zy of Eqs. (11), (15)–(16)).

An in-plane exchange field M_x breaks the rotational isotropy that
:mod:`streda.integrals.crossed_torques` relies on.  This module holds the parts of the M_x
problem that do not involve the crossed block, for any two-band H(p) = h₀(p) + h(p)·σ that
is polynomial in p, with scalar white-noise disorder, at leading order in the disorder:

1. Contours.  Along the ray p = r(cos φ, sin φ), det(ε − H) = (ε − h₀)² − |h|² is a
   polynomial in r; its positive roots are the Fermi contours (one per band and ray: the
   contours must be star-shaped about p = 0, checked).  Band n has the projector
   P_n = (1 + ŝ_n·σ)/2, ŝ_n = sign(ε − h₀) ĥ, and the pinch weight r/|∂_r E_n|:
   ∫d²p/(2π)² δ(ε − E_n) f = ∫dφ/(2π)² (r/|∂_r E_n|) f.  Angles by the trapezoid rule on
   ``nphi`` equidistant rays (exact for trigonometric polynomials of degree < nphi; the
   contours are analytic, so the error falls geometrically).
2. Born self-energy.  Σ^R = −iπW ρ with ρ = Σ_n ∫dφ/(2π)² (r/|∂_r E|) P_n = ρ₀ + ρ⃗·σ; the
   broadening of band n is w_n = πW(ρ₀ + ρ⃗·ŝ_n) and γ = πWρ₀ (the σ₀ part, the ``gamma`` of
   :func:`streda.integrals.api.tensor`).
3. Ladder at leading order.  G^A X G^R at one p → Σ_n (π/w_n) δ(ε − E_n) P_n X P_n, so one
   rung is 𝓛(X) = Σ_n ∫dφ/(2π)² (r/|∂_r E|) P_n X P_n/(ρ₀ + ρ⃗·ŝ_n) (independent of W), the
   spin vertex solves (1 − 𝓛)Γ^σ_a = σ_a and the velocity vertex is Γ_b = v_b + C_b,
   (1 − 𝓛)C_b = 𝓛(v_b) (Appendix C, Eqs. C5 at γ → 0).  With ρ⃗ = 0 the identity
   decouples (Tr 𝓛(X) = Tr X); its coefficient in C is then undetermined at this order and
   is set to zero; it does not enter K (∮δ(ε − E_n)∇E_n = 0).
4. Non-crossing K at leading order: γK_ab = (e/4π)√m_e Σ_n ∫dφ/(2π)² (r/|∂_r E|)
   πρ₀/(ρ₀ + ρ⃗·ŝ_n) Tr[P_nσ_aP_nΓ_b] (one dressed vertex, Eq. C7); its M_x¹ coefficient by a
   symmetric difference in M_x is compared with :func:`streda.integrals.api.tensor` (exact
   residues) in the tests.

**The momentum shift.**  For Rashba, h_x = α p_y − M_x, so p_y → p_y + M_x/α removes M_x from
h and leaves H̃ = H₀ + u p_y + M_x²/(2m α²), u = M_x/(m α), ṽ_y = v_y + u: a scalar, so the
projectors of H̃ are those of H₀ and only the contours and the velocity change.  All
impurity-averaged diagrams are invariant under a common shift of every electron momentum, so
every diagram family has the same K in both frames, exactly; :func:`shifted_h` builds H̃ and
the tests compare the two frames (for massive Dirac, M_xσ_x is a pure shift: K⁽¹⁾ = 0).

>>> c = contours(model_h("rashba", "eps=5/4,Delta=3/10,Mz=2/5,m=1"), 5/4)
>>> [round(float(b.r[0]) ** 2, 12) for b in c.bands]     # p²/2 ± √(Δp² + M_z²) = ε: p² = 11/10, 51/10
[1.1, 5.1]
>>> bool(abs(c.rho[1:]).max() < 1e-15)                          # ρ⃗ = 0: both subbands, scalar disorder
True
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import sympy

from .models import get_model, px, py

__all__ = ["ModelH", "model_h", "shifted_h", "Contours", "contours", "ladder_map", "spin_vertex",
           "velocity_vertex", "velocity_correction", "ladder_K_leading", "ladder_K1", "NPHI", "ENTRIES"]

_SIG = (np.eye(2, dtype=complex), np.array([[0, 1], [1, 0]], complex),
        np.array([[0, -1j], [1j, 0]], complex), np.array([[1, 0], [0, -1]], complex))
_AX = {"x": 1, "y": 2, "z": 3}
#: rays of the trapezoid rule in φ (the contours of the tested points need < 40 for 1e-14)
NPHI = 64
#: the six entries of K (row: spin component, column: field direction)
ENTRIES = ("xx", "xy", "yx", "yy", "zx", "zy")
_r, _c, _s = sympy.symbols("r c s", real=True)


@dataclass(frozen=True)
class ModelH:
    """H(p) = h₀ + h·σ at a numeric point as sympy expressions in p_x, p_y (floats allowed),
    with the K prefactor (e/4π)√m_e."""

    h: tuple
    prefactor: float
    name: str = ""


def model_h(model, point, **overrides) -> ModelH:
    """The :class:`ModelH` of a built-in model at a parameter point (text or ModelPoint)."""
    from .model import ModelError

    mod = get_model(model)
    pt = mod.point(point, **overrides) if isinstance(point, str) or point is None else point
    sub = pt.subs()
    h = tuple(sympy.nsimplify(c.subs(sub)) for c in mod.h)
    try:
        fac = float(pt["e"]) / (4 * np.pi) * np.sqrt(float(pt["m"]))
    except ModelError:
        fac = 1 / (4 * np.pi)
    return ModelH(h, fac, mod.name)


def shifted_h(model, point, Mx=0, My=0) -> ModelH:
    """H̃(p) = H(p − q) of the Rashba model at in-plane exchange field (M_x, M_y), with q
    chosen so that h⃗ of H̃ is that of M_x = M_y = 0: for Rashba q = (M_y/α, −M_x/α) and
    H̃ = H₀ + u p_y − u' p_x + const, u = M_x/(mα), u' = M_y/(mα) (module docstring).  The
    point's own M_x, M_y must be 0."""
    mh = model_h(model, point)
    mod = get_model(model)
    pt = mod.point(point)
    if float(pt["Mx"]) != 0 or float(pt["My"]) != 0:
        raise ValueError("shifted_h wants the point at M_x = M_y = 0")
    shifted = model_h(model, point, Mx=sympy.nsimplify(Mx), My=sympy.nsimplify(My))
    qx, qy = sympy.symbols("q_x q_y")
    eqs = [sympy.expand(c.subs({px: px - qx, py: py - qy}, simultaneous=True) - c0)
           for c, c0 in zip(shifted.h[1:3], mh.h[1:3])]
    sol = sympy.solve(eqs, [qx, qy], dict=True)
    if len(sol) != 1:
        raise ValueError("the in-plane field is not a momentum shift of this model")
    q = sol[0]
    h = tuple(sympy.expand(c.subs({px: px - q[qx], py: py - q[qy]}, simultaneous=True)) for c in shifted.h)
    if any(sympy.expand(c - c0) != 0 for c, c0 in zip(h[1:], mh.h[1:])):
        raise ValueError("the in-plane field is not a momentum shift of this model")
    return ModelH(h, mh.prefactor, mh.name + "~shifted")


@dataclass
class Band:
    """One Fermi contour on the rays φ_j: radius r, pinch weight r/|∂_r E|, spin ŝ (N, 3),
    projectors P (N, 2, 2), band sign."""

    sign: int
    r: np.ndarray
    jac: np.ndarray
    shat: np.ndarray
    P: np.ndarray


@dataclass
class Contours:
    """The Fermi contours of a :class:`ModelH` at energy ε, with ρ = (ρ₀, ρ⃗) of the Born
    self-energy and the velocity operators v_x, v_y at the contour points."""

    mh: ModelH
    eps: float
    phi: np.ndarray
    bands: list
    rho: np.ndarray
    v: dict                 # {"x": [array (N,2,2) per band], "y": ...}

    def weight(self, n):
        """r/|∂_r E|/(2π) · 1/(1 + ρ⃗·ŝ/ρ₀)/ρ₀ per ray: ∫dφ/(2π) → mean over rays (𝓛's weight)."""
        b = self.bands[n]
        return b.jac / (2 * np.pi) / (self.rho[0] + b.shat @ self.rho[1:])


def contours(mh: ModelH, eps, nphi: int = NPHI, radii_of: "Contours | None" = None) -> Contours:
    """Fermi contours of H(p) at ε on ``nphi`` equidistant rays (module docstring, step 1).
    ``radii_of``: take the radii of these contours instead (a negative control: projectors,
    weights and velocities of H on contours that are not its own)."""
    eps = float(eps)
    h = mh.h
    pol = {px: _r * _c, py: _r * _s}
    D = sympy.expand((eps - h[0]) ** 2 - h[1] ** 2 - h[2] ** 2 - h[3] ** 2)
    Dp = sympy.Poly(sympy.expand(D.subs(pol, simultaneous=True)), _r)
    cf = [sympy.lambdify((_c, _s), co, "numpy") for co in Dp.all_coeffs()]
    hp = [sympy.lambdify((_r, _c, _s), sympy.expand(c.subs(pol, simultaneous=True)), "numpy") for c in h]
    dhp = [sympy.lambdify((_r, _c, _s), sympy.diff(sympy.expand(c.subs(pol, simultaneous=True)), _r), "numpy")
           for c in h]
    H = sum((c * S for c, S in zip(h, [sympy.Matrix(s.tolist()) for s in _SIG])), sympy.zeros(2, 2))
    vfun = {b: sympy.lambdify((px, py), H.diff(p), "numpy") for b, p in (("x", px), ("y", py))}
    phi = 2 * np.pi * np.arange(nphi) / nphi
    per = {}
    for j, ph in enumerate(phi):
        c, s = np.cos(ph), np.sin(ph)
        roots = np.roots([complex(f(c, s)) for f in cf])
        scale = max(1.0, np.max(np.abs(roots)))
        rr = sorted(z.real for z in roots if abs(z.imag) < 1e-9 * scale and z.real > 1e-12)
        if radii_of is not None:
            rr = [b.r[j] for b in radii_of.bands]
        for r in rr:
            hv = np.array([float(np.real(f(r, c, s))) for f in hp])
            dh = np.array([float(np.real(f(r, c, s))) for f in dhp])
            habs = np.linalg.norm(hv[1:])
            sign = 1 if eps - hv[0] > 0 else -1           # E = h₀ + sign |h| = ε
            if radii_of is not None:
                sign = radii_of.bands[rr.index(r)].sign
            dE = dh[0] + sign * (hv[1:] @ dh[1:]) / habs
            sh = sign * hv[1:] / habs
            P = (_SIG[0] + sh[0] * _SIG[1] + sh[1] * _SIG[2] + sh[2] * _SIG[3]) / 2
            per.setdefault(sign, []).append((j, r, r / abs(dE), sh, P))
    bands = []
    for sign in sorted(per, reverse=True):
        rows = per[sign]
        if len(rows) != nphi or sorted(q[0] for q in rows) != list(range(nphi)):
            raise ValueError("a Fermi contour is not star-shaped about p = 0 (one root per band and ray)")
        bands.append(Band(sign, np.array([q[1] for q in rows]), np.array([q[2] for q in rows]),
                          np.array([q[3] for q in rows]), np.array([q[4] for q in rows])))
    rho = np.zeros(4)
    for b in bands:
        rho[0] += np.mean(b.jac) / (4 * np.pi)          # P_n = (1 + ŝ·σ)/2
        rho[1:] += np.mean(b.jac[:, None] * b.shat, axis=0) / (4 * np.pi)
    v = {ax: [np.array([np.array(f(r * np.cos(ph), r * np.sin(ph)), complex) for r, ph in zip(b.r, phi)])
              for b in bands] for ax, f in vfun.items()}
    return Contours(mh, eps, phi, bands, rho, v)


def _apply(c: Contours, X):
    """𝓛(X) for X a constant 2x2 matrix or a list (per band) of (N, 2, 2) arrays."""
    out = np.zeros((2, 2), complex)
    for n, b in enumerate(c.bands):
        Xn = X[n] if isinstance(X, list) else np.broadcast_to(X, b.P.shape)
        out += np.mean(c.weight(n)[:, None, None] * (b.P @ Xn @ b.P), axis=0)
    return out


def ladder_map(c: Contours) -> np.ndarray:
    """𝓛 on the basis (1, σx, σy, σz): L[i, j] = ½ Tr σ_i 𝓛(σ_j)."""
    L = np.zeros((4, 4), complex)
    for j in range(4):
        img = _apply(c, _SIG[j])
        for i in range(4):
            L[i, j] = np.trace(_SIG[i] @ img) / 2
    return L


def _solve(c: Contours, rhs):
    """C with (1 − 𝓛)C = rhs (a 2x2 matrix), on the Pauli matrices; the identity must
    decouple (ρ⃗ = 0) and carry no source."""
    L = ladder_map(c)
    r4 = np.array([np.trace(S @ rhs) / 2 for S in _SIG])
    tol = 1e-10 * max(1.0, np.abs(r4).max())
    if np.abs(L[0, 1:]).max() > 1e-10 or np.abs(L[1:, 0]).max() > 1e-10 or abs(r4[0]) > tol:
        raise ValueError("the ladder feeds the identity (the diffuson): no leading-order vertex")
    x = np.linalg.solve(np.eye(3) - L[1:, 1:], r4[1:])
    return sum(xi * _SIG[i + 1] for i, xi in enumerate(x))


def spin_vertex(c: Contours, a: str, dressed: bool = True):
    """Γ^σ_a (a constant matrix), ladder-dressed at leading order or bare."""
    S = _SIG[_AX[a]]
    return _solve(c, S) if dressed else S.copy()


def velocity_correction(c: Contours, b: str):
    """C_b, the constant ladder correction of the velocity vertex: (1 − 𝓛)C_b = 𝓛(v_b)."""
    return _solve(c, _apply(c, list(c.v[b])))


def velocity_vertex(c: Contours, b: str, dressed: bool = True):
    """Γ_b on the contour points: [array (N, 2, 2) per band]."""
    vb = list(c.v[b])
    if not dressed:
        return vb
    C = velocity_correction(c, b)
    return [v + C for v in vb]


def ladder_K_leading(c: Contours, dressed: bool = True) -> dict:
    """γK_ab of the non-crossing ladder at leading order (the coefficient of 1/γ), module
    docstring step 4."""
    out = {}
    for a in "xyz":
        Sa = _SIG[_AX[a]]                   # one dressed vertex only (the ladder sits on one side)
        for b in "xy":
            Gb = velocity_vertex(c, b, dressed)
            s = 0j
            for n, bd in enumerate(c.bands):
                tr = np.einsum("nij,jk,nkl,nli->n", bd.P, Sa, bd.P, Gb[n])
                s += np.mean(c.weight(n) * c.rho[0] * np.pi * tr)
            out[a + b] = complex(c.mh.prefactor * s)
    return out


def ladder_K1(model, point, Mx: float = 1e-3, frame: str = "original", dressed: bool = True,
              nphi: int = NPHI, control: str = "") -> dict:
    """The M_x¹ coefficient of γK (non-crossing, leading order) by the symmetric difference
    [γK(M_x) − γK(−M_x)]/2M_x, in the ``"original"`` frame (M_xσ_x in H) or the ``"shifted"``
    one (H̃ = H₀ + u p_y, ṽ_y = v_y + u).  Returns {"K1": {entry: value}, "K1_half": the same
    at M_x/2 (the h/h/2 error: the difference is O(M_x²))}.  ``control="frozen-contour"``
    (original frame) keeps the M_x = 0 Fermi circles: a negative control that must miss."""
    mod = get_model(model)
    eps = float(mod.point(point)["eps"])

    def one(m):
        if frame == "original":
            mh = model_h(model, point, Mx=sympy.nsimplify(m))
            fixed = contours(model_h(model, point), eps, nphi) if control == "frozen-contour" else None
            return ladder_K_leading(contours(mh, eps, nphi, fixed), dressed)
        mh = shifted_h(model, point, Mx=sympy.nsimplify(m))
        return ladder_K_leading(contours(mh, eps, nphi), dressed)

    def diff(m):
        kp, km = one(m), one(-m)
        return {e: ((kp[e] - km[e]) / (2 * m)).real for e in ENTRIES}

    return {"K1": diff(Mx), "K1_half": diff(Mx / 2)}
