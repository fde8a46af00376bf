"""The crossed (X, Ψ) diagrams at finite broadening, in real space (issue 10, items 2 and 5).

A route independent of the leading-order engines (:mod:`~streda.integrals.crossed_rashba`,
:mod:`~streda.integrals.crossed_torques`): no pinch, no Fermi circle, no crossed block.  For
white-noise disorder every crossed diagram involves two impurity positions X₁, X₂; the
uniform vertices at x, x' are integrated out into the *sandwiches*

    S₁(ρ) = ∫d²p/(2π)² e^{ip·ρ} G^A(p) Γ₁(p) G^R(p),   S₂(ρ) = ∫ e^{ip·ρ} G^R Γ₂ G^A,

and with r = X₁ − X₂ and g^{R,A}(ρ) = ∫ e^{ip·ρ} G^{R,A}(p) the three families
(:data:`streda.integrals.crossed.DEFAULT_TERMS`, read along the closed line) are

    X   = W² ∫d²r Tr[S₁(−r) g^R(r) S₂(−r) g^A(r)]
    Ψ_R = W² ∫d²r Tr[S₁(−r) g^R(r) g^R(−r) S₂(r)]
    Ψ_A = W² ∫d²r Tr[S₁(−r) S₂(r) g^A(−r) g^A(r)],

one two-dimensional integral each.  G^R = (ε − H + iπW(ρ₀ + ρ⃗·σ))⁻¹ carries the Born
self-energy at finite γ = πWρ₀; for an isotropic spectrum every factor is the Fourier
transform of a rational function of p, in closed form (:mod:`~streda.integrals.ft_rational`:
Bessel K of complex argument).  The angle of r is integrated by the trapezoid rule (exact:
every factor is a finite sum of harmonics), the radius by Gauss–Legendre panels, graded
towards r = 0 (log singularities of g) and of width ≤ π/k_osc beyond, up to where the
product of the four factors has decayed by e^{−38}.  The vertices are the leading-order
ladder sums of :mod:`~streda.integrals.crossed_mx` (their O(γ) corrections change the
diagrams at O(γ) only).  Normalisation: K_ab = (e/4π)√m_e Q with σ_a in slot 1 and the
velocity Γ_b in slot 2, σ_xy (e²/h) = Q with Γ_x, Γ_y (as :mod:`~streda.integrals.crossed_torques`).

**Taylor coefficients in a perturbation** H → H + λV₁ + λ²V₂ (V₁ = ∂H/∂M_x = −σ_x for the
in-plane field of Rashba, or u·p_y in the shifted frame, or −1 for the energy): G′ = GV₁G and
G″/2 = GV₁GV₁G + GV₂G are double and triple poles (rule 3 of
:mod:`~streda.integrals.ft_rational`); the sandwiches vary in their three factors, the
vertices by their leading-order Taylor coefficients (differences of the ladder solution of
:mod:`~streda.integrals.crossed_mx` at ±δ); the diagrams by the product rule over their four
factors.  Self-energy and W are kept fixed.

What the leading order neglects appears here as the difference to it: O(γ) terms, log(1/γ)
where the leading order diverges (the backscattering of the X block), and powers of 1/γ in
the M_x² coefficient.  A fit in γ (:func:`streda.verify.crossed_finite_gamma_check.extrapolate`)
separates them.  Limits: MIN_GAMMA_RATIO ≤ γ/ε ≤ MAX_GAMMA_RATIO (the radial range, hence
the cost, grows like 1/γ: about 2 × 10⁵ radial nodes at the lower limit).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import sympy

from .crossed_mx import _SIG, ModelH, contours, model_h, shifted_h, spin_vertex, velocity_correction
from .ft_rational import Denominator, RationalFT, poly_add, poly_from_sympy, poly_mul, poly_scale
from .models import px, py

__all__ = ["FAMILIES", "Broadened", "broadened", "crossed_finite_gamma", "radial_rule", "MIN_GAMMA_RATIO",
           "MAX_GAMMA_RATIO"]

#: (factor, sign of its argument r) around the closed line, per family (module docstring)
FAMILIES = {"X": (("S1", -1), ("gR", 1), ("S2", -1), ("gA", 1)),
            "Psi_R": (("S1", -1), ("gR", 1), ("gR", -1), ("S2", 1)),
            "Psi_A": (("S1", -1), ("S2", 1), ("gA", -1), ("gA", 1))}
_GL = np.polynomial.legendre.leggauss(10)
#: accepted γ/ε (below, the radial range and the cost grow like 1/γ; above, the broadening is not small)
MIN_GAMMA_RATIO, MAX_GAMMA_RATIO = 1e-3, 0.5
#: the symmetric difference that extracts δH/δM_x (exact: H is at most quadratic in M_x)
_DH = sympy.Rational(1, 1000)


@dataclass
class Broadened:
    """G^{R,A} = N^{R,A}(p)/(lead Π(p² − a_j)) at finite γ, as matrix polynomials in p_±."""

    mh: ModelH
    eps: float
    gamma: float
    W: float
    rho: np.ndarray
    N: dict          # {"R": poly, "A": poly}
    den: dict        # {"R": (poles, lead), "A": ...}


def _matrix_poly(comps) -> dict:
    """Σ_k c_k σ_k from scalar polynomials c_k ({(n₊, n₋): complex})."""
    out: dict = {}
    for S, c in zip(_SIG, comps):
        for key, v in c.items():
            out[key] = out.get(key, 0) + v * S
    return out


def broadened(mh: ModelH, eps: float, gamma: float, rho) -> Broadened:
    """G^R, G^A of the model ``mh`` at ε with Σ^R = −iπW(ρ₀ + ρ⃗·σ), γ = πWρ₀."""
    rho = np.where(np.abs(rho) < 1e-13 * abs(rho[0]), 0.0, np.asarray(rho, float))   # quadrature noise
    W = gamma / (np.pi * rho[0])
    N, den = {}, {}
    for side, s in (("R", 1), ("A", -1)):
        A = eps - mh.h[0] + sympy.I * s * gamma
        b = [mh.h[k] - sympy.I * s * np.pi * W * rho[k] for k in (1, 2, 3)]
        N[side] = _matrix_poly([poly_from_sympy(c, px, py) for c in [A] + b])
        D = poly_from_sympy(sympy.expand(A ** 2 - sum(c ** 2 for c in b)), px, py)
        if any(i != j for i, j in D):
            raise ValueError("det(ε − H) depends on the direction of p: the real-space route needs isotropy")
        deg = max(i for i, _ in D)
        coef = [D.get((k, k), 0) for k in range(deg, -1, -1)]
        den[side] = (list(np.roots(coef)), coef[0])
    return Broadened(mh, float(eps), float(gamma), W, rho, N, den)


def _dens(b: Broadened, mult: dict):
    """The denominator Π_side (D^side)^{mult[side]}."""
    poles, lead = [], 1.0
    for side, m in mult.items():
        if m:
            ps, c = b.den[side]
            poles += [(a, m) for a in ps]
            lead *= c ** m
    return Denominator(poles, lead)


def radial_rule(b: Broadened, r0: float = 0.4, levels: int = 20):
    """Radial nodes and weights (module docstring): geometric panels r0·2^{-k} towards 0, then
    panels of width ≤ min(r0, π/k_osc) up to 38/(decay rate of the four-factor product)."""
    kap = [np.sqrt(-complex(a)) for side in "RA" for a in b.den[side][0]]
    rate = 4 * min(k.real for k in kap)
    kosc = 4 * max(abs(k.imag) for k in kap)
    x, w = _GL
    edges = [r0 * 2.0 ** -k for k in range(levels, -1, -1)]
    width = min(r0, np.pi / kosc)
    rmax = 38 / rate
    edges += list(np.arange(r0 + width, rmax + width, width))
    a, c = np.array(edges[:-1]), np.array(edges[1:])
    r = ((c - a)[:, None] * (x + 1) / 2 + a[:, None]).ravel()
    wt = ((c - a)[:, None] * w / 2).ravel()
    return r, wt


def _vertex_polys(mh: ModelH, c, control: str = ""):
    """First-slot {σ_a, v_x} and second-slot {v_x, v_y} vertices as matrix polynomials
    (v = ∂H/∂p of ``mh`` plus the ladder correction on the contours ``c``)."""
    dressed = control != "bare-vertex"
    first = {a: {(0, 0): spin_vertex(c, a, dressed)} for a in "xyz"}
    second = {}
    for ax, p in (("x", px), ("y", py)):
        v = _matrix_poly([poly_from_sympy(sympy.diff(h, p), px, py) for h in mh.h])    # ∂H/∂p_b
        C = velocity_correction(c, ax) if dressed else np.zeros((2, 2))
        second["v" + ax] = poly_add(v, {(0, 0): C})
    first["vx"] = second["vx"]
    return first, second


def _evaluate(fields: dict, r, nphi: int):
    """{key: (F(r), F(−r))} arrays (len(r), nphi, 2, 2) from {key: [RationalFT…]}."""
    phi = 2 * np.pi * np.arange(nphi) / nphi
    out = {}
    for key, fts in fields.items():
        harm: dict = {}
        for ft in fts:
            for nu, f in ft.harmonics(r).items():
                harm[nu] = harm.get(nu, 0) + f
        if not harm:
            zero = np.zeros((len(r), nphi, 2, 2), complex)
            out[key] = (zero, zero)
            continue
        nus = np.array(sorted(harm))
        H = np.array([harm[nu] for nu in nus])                      # (ν, r, 2, 2)
        E = np.exp(1j * np.outer(nus, phi))                           # (ν, φ)
        plus = np.einsum("vp,vrij->rpij", E, H)
        minus = np.einsum("vp,vrij->rpij", E * ((-1.0) ** (nus % 2))[:, None], H)
        out[key] = (plus, minus)
    return out


def _taylor(vals: list, delta: float) -> list:
    """Taylor coefficients [f(0), f'(0), f''(0)/2] of a matrix polynomial from f(0), f(±δ)."""
    f0, fp, fm = vals
    d1 = poly_scale(poly_add(fp, poly_scale(fm, -1)), 1 / (2 * delta))
    d2 = poly_scale(poly_add(fp, poly_scale(f0, -2), fm), 1 / (2 * delta ** 2))
    return [f0, d1, d2]


def _propagator_series(b: Broadened, side: str, V: list, order: int) -> list:
    """Taylor coefficients of G(λ) = (z − H − λV₁ − λ²V₂)⁻¹ as [[(numerator, power of D)]…]:
    G, GV₁G, GV₁GV₁G + GV₂G."""
    N = b.N[side]
    out = [[(N, 1)]]
    if order >= 1:
        out.append([(poly_mul(poly_mul(N, V[0]), N), 2)])
    if order >= 2:
        NV = poly_mul(N, V[0])
        out.append([(poly_mul(poly_mul(NV, NV), N), 3), (poly_mul(poly_mul(N, V[1]), N), 2)])
    return out


def _series(model, point, mh, eps, perturbation, delta, control, order):
    """(V₁, V₂) and the vertex Taylor coefficients ({name: [Γ₀, Γ₁, Γ₂]} per slot)."""
    if perturbation == "eps":
        V = [{(0, 0): -_SIG[0]}, {}]
        vary = lambda t: _vertex_polys(mh, contours(mh, eps + t), control)
    else:
        build = model_h if perturbation == "Mx" else shifted_h
        make = lambda t: build(model, point, Mx=sympy.nsimplify(t))
        hs = [make(t).h for t in (0, _DH, -_DH)]
        V = []
        for k in (1, 2):
            comps = []
            for h0, hp, hm in zip(*hs):
                d = sympy.expand((hp - hm) / (2 * _DH) if k == 1 else (hp - 2 * h0 + hm) / (2 * _DH ** 2))
                comps.append(poly_from_sympy(d, px, py))
            V.append(_matrix_poly(comps))

        def vary(t):
            mt = make(t)
            return _vertex_polys(mt, contours(mt, eps), control)
    base = vary(0)
    if control == "frozen-vertex":
        return V, [{a: [v] + [{}] * order for a, v in slot.items()} for slot in base]
    pm = [vary(delta), vary(-delta)]
    out = [{a: _taylor([base[q][a], pm[0][q][a], pm[1][q][a]], delta)[:order + 1] for a in base[q]}
           for q in (0, 1)]
    return V, out


def crossed_finite_gamma(model, point, gamma: float, *, perturbation: str = "", order: int | None = None,
                         delta: float = 1e-3, nphi: int = 32, control: str = "", chunk: int = 3000,
                         progress=None) -> dict:
    """The X, Ψ_R, Ψ_A diagrams of K_ab (a ∈ x,y,z; b ∈ x,y) and of σ_xy at broadening γ, and
    their Taylor coefficients in a perturbation.

    ``perturbation``: "" (the values), "Mx" (in M_x, original frame: H = H₀ − M_xσ_x for
    Rashba), "Mx-shifted" (the same in the frame p_y → p_y + M_x/α of
    :func:`~streda.integrals.crossed_mx.shifted_h`: a scalar V₁ = p_y/(mα), V₂ = 1/(2mα²), and
    ṽ_y = v_y + M_x/(mα); every family is frame invariant, so this is a second route) or "eps"
    (in ε at fixed W and self-energy: V₁ = −1, an internal check against differences).
    ``order`` ≤ 2 (default 1 with a perturbation): the highest Taylor coefficient.  ``delta``:
    the step of the differences of the leading-order vertices (error O(δ²)).  ``control``:
    "bare-vertex" (bare σ_a, v_b), "frozen-vertex" (the vertices not varied): negative
    controls.  Returns {"series": {k: {"K": {entry: {family: value}}, "sigma_xy": {family:
    value}}}, "K", "sigma_xy" (those of the highest order), "gamma", "nodes"}; K normalised as
    :func:`streda.integrals.api.tensor`, σ_xy in e²/h."""
    if perturbation not in ("", "Mx", "Mx-shifted", "eps"):
        raise ValueError(f"unknown perturbation {perturbation!r}")
    if control not in ("", "bare-vertex", "frozen-vertex"):
        raise ValueError(f"unknown control {control!r}")
    order = (1 if perturbation else 0) if order is None else int(order)
    if not 0 <= order <= 2 or (order > 0) != bool(perturbation):
        raise ValueError("order 0 without a perturbation, 1 or 2 with one")
    mh = model_h(model, point)
    eps = float(sympy.nsimplify(_point_value(model, point, "eps")))
    if not MIN_GAMMA_RATIO <= gamma / abs(eps) <= MAX_GAMMA_RATIO:
        raise ValueError(f"gamma/eps must lie in [{MIN_GAMMA_RATIO}, {MAX_GAMMA_RATIO}]")
    c0 = contours(mh, eps)
    b = broadened(mh, eps, gamma, c0.rho)
    if perturbation:
        V, (first, second) = _series(model, point, mh, eps, perturbation, delta, control, order)
    else:
        V = [{}, {}]
        first, second = ({a: [v] for a, v in slot.items()} for slot in _vertex_polys(mh, c0, control))
    dens: dict = {}

    def den(pa, pr):
        if (pa, pr) not in dens:
            dens[(pa, pr)] = _dens(b, {"A": pa, "R": pr})
        return dens[(pa, pr)]

    gs = {side: _propagator_series(b, side, V, order) for side in "RA"}
    fields = {}
    for side in "RA":
        for k in range(order + 1):
            fields[("g" + side, k)] = [RationalFT(poly, den(pw if side == "A" else 0, pw if side == "R" else 0))
                                       for poly, pw in gs[side][k]]
    for slot, vs, (L, R) in (("S1", first, ("A", "R")), ("S2", second, ("R", "A"))):
        for a, gam in vs.items():
            for k in range(order + 1):
                fts = []        # Σ_{i+j+l=k} G^L_i Γ_j G^R_l
                for i in range(k + 1):
                    for j in range(k + 1 - i):
                        if not gam[j]:
                            continue
                        for (pl, wl) in gs[L][i]:
                            for (pr, wr) in gs[R][k - i - j]:
                                w = {L: wl, R: wr}
                                fts.append(RationalFT(poly_mul(poly_mul(pl, gam[j]), pr), den(w["A"], w["R"])))
                fields[(slot + a, k)] = fts
    comps = {k: [c for c in np.ndindex(*(k + 1,) * 4) if sum(c) == k] for k in range(order + 1)}
    r, wr = radial_rule(b)
    pairs = [(a, bb) for a in "xyz" for bb in "xy"] + [("vx", "y")]
    acc = {(k, a, bb, fam): 0j for k in range(order + 1) for a, bb in pairs for fam in FAMILIES}
    for lo in range(0, len(r), chunk):
        rc, wc = r[lo:lo + chunk], wr[lo:lo + chunk]
        F = _evaluate(fields, rc, nphi)
        for a, bb in pairs:
            names = {"S1": "S1" + a, "S2": "S2v" + bb, "gR": "gR", "gA": "gA"}
            for fam, slots in FAMILIES.items():
                for k in range(order + 1):
                    for comp in comps[k]:
                        m4 = [F[(names[n], kq)][0 if sg > 0 else 1] for (n, sg), kq in zip(slots, comp)]
                        left, right = m4[0] @ m4[1], m4[2] @ m4[3]
                        tr = np.einsum("rpij,rpji->r", left, right) / nphi * 2 * np.pi
                        acc[(k, a, bb, fam)] += np.sum(wc * rc * tr)
        if progress:
            progress(min(lo + chunk, len(r)), len(r))
    pref, W2 = mh.prefactor, b.W ** 2
    series = {k: {"K": {a + bb: {f: complex(pref * W2 * acc[(k, a, bb, f)]) for f in FAMILIES}
                        for a, bb in pairs if a != "vx"},
                  "sigma_xy": {f: complex(W2 * acc[(k, "vx", "y", f)]) for f in FAMILIES}}
              for k in range(order + 1)}
    return {"series": series, "K": series[order]["K"], "sigma_xy": series[order]["sigma_xy"],
            "gamma": gamma, "nodes": len(r)}


def _point_value(model, point, name):
    from .models import get_model

    return get_model(model).point(point)[name]
