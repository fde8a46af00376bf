"""The crossed (X, Ψ) diagrams of σ_xy for massive Dirac fermions at *finite* broadening w
(issue 10, item 2): a numeric check of the leading order of :mod:`streda.integrals.crossed`.

**What the leading order approximates.**  :mod:`~streda.integrals.crossed` keeps the
lowest order in w/ε (ε_F τ ≫ 1, w = 1/2τ): the pairs G^R(p)…G^A(p) and G^R(p₂)…G^A(p₂)
are replaced by their pinch on the Fermi circle, the vertex by its leading ladder sum, and
the crossed block ∫G(k)⊗G(±k + Q) is taken at w = 0, where its on-shell part comes from
the two intersections of the circles |k| = p_F and |±k + Q| = p_F: impurity pairs about a
Fermi wavelength apart.  Here nothing of that is used.

**Finite w (H = σ·p + mσ_z, v = 1, ε > |m|).**  Every Green's function carries the Born
self-energy Σ^R = −iw(1 + (m/ε)σ_z) with W = 4w/ε (the convention of
:mod:`streda.integrals.hall`): G^R(u) = (E + σ·u + Mσ_z)/(a − u²), E = ε + iw,
M = m(1 − iw/ε), a = E² − M², G^A = (G^R)†.  The vertices are the ladder sums at the
same w, Γ_x = σ_x + W⟨G^A Γ_x G^R⟩ and Γ_y = σ_y + W⟨G^R Γ_y G^A⟩, in closed form
(:func:`vertex_factors`).  A diagram (plain :class:`~streda.integrals.crossed.CrossedTerm`
data) is W²∫∫∫ Tr[A(p)…B(p₂)…] with A = G^A Γ_x G^R at p, B = G^R Γ_y G^A at p₂ and the
block G₁(k), G₂(c k + Q), Q = c_p p + c₂ p₂.  Changing (p, p₂) → (p, Q):

    σ = W² ∫d²Q/(2π)² contract[C(Q), D(Q)],   C(Q) = ∫d²p/(2π)² A(p) ⊗ B(c₂Q − c₂c_p p),
                                               D(Q) = ∫d²k/(2π)² G₁(k) ⊗ G₂(ck + Q),

two 2D convolutions at each |Q|.  For Q along x each is done as an exact residue sum in
p_x (every factor is rational in p_x, decaying at least like 1/p_x²) and composite
Gauss–Legendre in p_y on a mesh graded geometrically (down to w/8) towards the points
where the circles touch or cross, the tails mapped by y = Y/u.  Isotropy: the Q
direction average keeps ½[F_xy − F_yx] (F_ab: Γ_a in A, Γ_b in B), and the |Q| integral
is graded Gauss–Legendre towards Q = 0 and Q = 2p_F.

**Ultraviolet.**  The block D(Q) diverges like log Λ (its integrand → σ·k ⊗ c σ·k/k⁴).  The
subtraction S = σ·k ⊗ cσ·k/(k² + μ²)² (its k_x-integral in closed form) renders it finite;
S is Q-independent and rotation covariant, so it changes σ by W² contract[C̄, S̄],
C̄ = ∫C = Ā ⊗ B̄.  For X that is exactly 0 (Σ_{a=x,y} σ_a V σ_a = 0 for in-plane V); for
Ψ it is W²·const·Tr[ĀB̄], which is O(w) (Ā, B̄ ~ 1/w; Tr[ĀB̄] needs the Hall rotation of
one vertex, O(w) relative): a renormalisation of W at the next order.  At finite w the X
integrand also falls only like 1/Q² at large |Q| (a pinched pair on shell, the other far
off shell), with a coefficient that vanishes with w: the Q integral is cut at |Q| = Λ_Q =
:data:`Q_CUT`·p_F.  So the finite-w value is defined in a scheme (μ = p_F, Λ_Q = 256 p_F)
whose choice moves it at O(w) (measured at ε = 2m: μ → 2p_F moves it by −0.026 at
w/ε = 0.05; Λ_Q → 4Λ_Q by −1.9e-3 at w/ε = 0.05 and −5.0e-4 at 0.025); the limit w → 0
does not depend on it.

Only the Fermi-surface RA diagrams are here (the RR, AA crossed terms are O(w)); the O(w)
coefficient of the difference to the leading order is therefore convention-laden, the
limit is not.  float64 throughout; the residue sums lose about log₁₀(ε/w) digits to
cancellation between poles a distance ~w apart.

>>> r = dirac_crossed_finite(2, 1, 0.2)        # w/ε = 0.1, several seconds; leading order 24/49
>>> round(float(r["total"].real), 4), bool(abs(r["Psi_A"] - r["Psi_R"].conjugate()) < 1e-8)
(0.2534, True)
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from .crossed import DEFAULT_TERMS, CrossedTerm, block_structure

__all__ = ["FiniteDirac", "vertex_factors", "dirac_crossed_finite", "graded_nodes", "CONTROLS",
           "MIN_W_RATIO", "MAX_W_RATIO", "Q_CUT"]

#: the smallest and largest w/ε accepted (below 1e-3 the mesh and the residue cancellation grow
#: as log(1/w) and 1/w; above 1/2 the broadening is not small)
MIN_W_RATIO, MAX_W_RATIO = 1e-3, 0.5
#: the tails kept, as multiples of the panel range: |p_y| ≤ 30·(2p_F + Q) in C (its p_y
#: integrand falls like |p_y|⁻⁵), 4096·(2p_F + Q) in the subtracted block (|k_y|⁻² odd, ⁻³
#: even); moving either by 3–16× changes σ by < 1e-7 at w/ε = 0.05
TAIL_C, TAIL_BLOCK = 30.0, 4096.0
#: the ultraviolet cut-off of the |Q| integral in units of p_F (part of the definition of
#: the finite-w value, see the module docstring); the mesh covers [0, 4p_F] and a mapped tail
Q_CUT = 256.0
#: negative controls: flip the sign of m in the second crossed-block G; bare vertices
CONTROLS = ("", "flip-m", "bare-vertex")


@dataclass(frozen=True)
class FiniteDirac:
    """Massive Dirac with the Born broadening w: the numbers every Green's function needs."""

    eps: float
    m: float
    w: float

    @property
    def W(self) -> float:                       # white-noise strength, w = πWρ₀, ρ₀ = ε/4π
        return 4 * self.w / self.eps

    def E(self, side: str) -> complex:
        return complex(self.eps, self.w if side == "R" else -self.w)

    def M(self, side: str, flip: bool = False) -> complex:
        M = self.m * complex(1, -self.w / self.eps)
        M = M if side == "R" else M.conjugate()
        return -M if flip else M

    def a(self, side: str, flip: bool = False) -> complex:
        return self.E(side) ** 2 - self.M(side, flip) ** 2

    @property
    def pF(self) -> float:
        return float(np.sqrt(self.a("R")).real)


def vertex_factors(d: FiniteDirac) -> tuple[complex, complex]:
    """The ladder-dressed vertices as complex factors (g₁ + i g₂ ↔ g₁σ_x + g₂σ_y for Γ_x;
    Γ_y is the same factor acting on σ_y, i.e. g₁σ_y − g₂σ_x): (g_AR, g_RA) for
    Γ = σ + W⟨G^A Γ G^R⟩ and Γ = σ + W⟨G^R Γ G^A⟩.

    Angle average: ⟨N^A σ_x N^R⟩_φ = (|E|² − |M|²)σ_x − 2 Im(M̄E) σ_y (the σ·p σ_x σ·p part
    averages to 0); radial: ∫d²p/(2π)² 1/(d^A d^R) = [log(−a_R) − log(−a_A)]/(4π(a_A − a_R)).

    >>> gAR, gRA = vertex_factors(FiniteDirac(2.0, 1.0, 1e-7))
    >>> round(float(gAR.real), 6), round(float(gRA.real), 6)   # leading order 2(ε²+m²)/(ε²+3m²) = 10/7
    (1.428571, 1.428571)
    >>> bool(abs(gAR.imag) < 1e-6 and abs(gAR.imag + gRA.imag) < 1e-12)
    True
    """
    aR, aA = d.a("R"), d.a("A")
    I0 = (np.log(-aR) - np.log(-aA)) / (aA - aR) / (4 * np.pi)
    E, M = d.E("R"), d.M("R")
    re = abs(E) ** 2 - abs(M) ** 2
    im = 2 * (M.conjugate() * E).imag
    kAR, kRA = I0 * complex(re, -im), I0 * complex(re, im)
    return 1 / (1 - d.W * kAR), 1 / (1 - d.W * kRA)


# ------------------------------------------------------------------------------------
# meshes
# ------------------------------------------------------------------------------------
@lru_cache(maxsize=None)
def _leggauss(order: int):
    return np.polynomial.legendre.leggauss(order)


def graded_nodes(centres, lo: float, hi: float, finest: float, order: int, tail: float = 0.0):
    """Gauss–Legendre nodes and weights on [lo, hi], panels graded geometrically (ratio 2,
    smallest ``finest``) towards each point of ``centres``; with ``tail`` = t > 1 also
    [t·lo, lo] and [hi, t·hi] by y = edge/u, u ∈ [1/t, 1] in panels halving towards 1/t
    (the rest, |y| > t·max(|lo|, hi), is left out: the caller bounds it).

    >>> x, wt = graded_nodes([0.0], -1.0, 1.0, 1e-3, 8, tail=2 ** 20)
    >>> bool(abs(np.sum(wt / (1 + x ** 2)) - np.pi) < 3e-6)          # tails beyond 2^20 missing
    True
    """
    cuts = {lo, hi}
    for c in centres:
        if not lo <= c <= hi:
            continue
        cuts.add(c)
        h = finest
        while h < hi - lo:
            for s in (-1, 1):
                if lo < c + s * h < hi:
                    cuts.add(c + s * h)
            h *= 2
    cuts = np.array(sorted(cuts))
    cuts = cuts[np.concatenate(([True], np.diff(cuts) > finest * 1e-3))]
    g, gw = _leggauss(order)
    a, b = cuts[:-1, None], cuts[1:, None]
    xs = [((b - a) / 2 * g + (a + b) / 2).ravel()]
    ws = [((b - a) / 2 * gw).ravel()]
    if tail > 1:
        ue = [1.0]
        while ue[-1] > 1 / tail * (1 + 1e-12):
            ue.append(max(ue[-1] / 2, 1 / tail))
        for edge in (e for e in (lo, hi) if e != 0):      # y = edge/u: dy = |edge|/u² du
            for u1, u0 in zip(ue[:-1], ue[1:]):
                u = (u1 - u0) / 2 * g + (u0 + u1) / 2
                xs.append(edge / u)
                ws.append((u1 - u0) / 2 * gw * abs(edge) / u ** 2)
    return np.concatenate(xs), np.concatenate(ws)


# ------------------------------------------------------------------------------------
# convolutions by residues in p_x
# ------------------------------------------------------------------------------------
def _N(E, M, ux, uy):
    """E + σ·u + Mσ_z as (…, 2, 2), u_x complex allowed."""
    out = np.empty(np.broadcast(ux, uy).shape + (2, 2), complex)
    out[..., 0, 0] = E + M
    out[..., 1, 1] = E - M
    out[..., 0, 1] = ux - 1j * uy
    out[..., 1, 0] = ux + 1j * uy
    return out


@dataclass(frozen=True)
class _Leg:
    """G^side(β Q + α p) with Q = (q, 0); ``flip`` = the sign of m reversed (control only)."""

    side: str
    alpha: int
    beta: int
    flip: bool = False


def _mm(a, b):
    """Stacked 2x2 products, written out (faster than matmul for 2x2)."""
    out = np.empty(np.broadcast_shapes(a.shape, b.shape), complex)
    out[..., 0, 0] = a[..., 0, 0] * b[..., 0, 0] + a[..., 0, 1] * b[..., 1, 0]
    out[..., 0, 1] = a[..., 0, 0] * b[..., 0, 1] + a[..., 0, 1] * b[..., 1, 1]
    out[..., 1, 0] = a[..., 1, 0] * b[..., 0, 0] + a[..., 1, 1] * b[..., 1, 0]
    out[..., 1, 1] = a[..., 1, 0] * b[..., 0, 1] + a[..., 1, 1] * b[..., 1, 1]
    return out


def _factor_num(d: FiniteDirac, legs, V, px, py, q):
    """The numerator matrix of one factor: N(u) (one leg) or N^{s₁}(u) V N^{s₂}(u)."""
    mats = []
    for leg in legs:
        ux = leg.beta * q + leg.alpha * px
        uy = leg.alpha * py
        mats.append(_N(d.E(leg.side), d.M(leg.side, leg.flip), ux, uy))
    if len(mats) == 1:
        return mats[0]
    return _mm(_mm(mats[0], V), mats[1])


def _convolve(d: FiniteDirac, left, Vl, right, Vr, q, py, wy, subtract: float | None = None):
    """∫d²p/(2π)² L(p) ⊗ R(p) as an array (2, 2, 2, 2), p_x by residues, p_y on (py, wy).

    ``left``/``right``: tuples of :class:`_Leg` (one G, or a pinched pair around V).  With
    ``subtract`` = μ (two single-G factors only) the integrand σ·k ⊗ cσ·k/(k² + μ²)² is
    removed (the log-divergent part; see the module docstring)."""
    legs = list(left) + list(right)
    py = py[:, None]
    a = np.array([d.a(l.side, l.flip) for l in legs])[None, :]
    al = np.array([l.alpha for l in legs])[None, :]
    be = np.array([l.beta for l in legs])[None, :]
    sg = al * np.sign(a.imag)
    r = np.sqrt(a - py ** 2)
    z = al * (sg * r - be * q)                                  # (ny, nlegs): upper poles
    # d_l(z) = a_l − (β_l q + α_l z)² − p_y²,  for every pole z_j and every factor l
    zz = z[:, :, None]
    dz = a[:, None, :] - (be[:, None, :] * q + al[:, None, :] * zz) ** 2 - py[:, :, None] ** 2
    n = len(legs)
    idx = np.arange(n)
    dz[:, idx, idx] = 1.0
    coef = (-1 / (2 * al * sg * r)) / np.prod(dz, axis=2)       # Res 1/d_j · Π_{l≠j} 1/d_l
    coef = coef * (2j * np.pi) * wy[:, None] / (4 * np.pi ** 2)
    L = _factor_num(d, left, Vl, z, py, q)                      # (ny, nlegs, 2, 2) at every pole
    R = _factor_num(d, right, Vr, z, py, q)
    out = ((coef[..., None, None] * L).reshape(-1, 4).T @ R.reshape(-1, 4)).reshape(2, 2, 2, 2)
    if subtract is not None:
        if len(left) != 1 or len(right) != 1:
            raise ValueError("the ultraviolet subtraction is defined for the two-G block only")
        c = right[0].alpha
        b = np.sqrt(py[:, 0] ** 2 + subtract ** 2)
        sx = np.sum(wy * np.pi / (2 * b)) / (4 * np.pi ** 2)
        sy = np.sum(wy * py[:, 0] ** 2 * np.pi / (2 * b ** 3)) / (4 * np.pi ** 2)
        out -= c * (sx * np.einsum("ij,kl->ijkl", _SX, _SX) + sy * np.einsum("ij,kl->ijkl", _SY, _SY))
    return out


_SX = np.array([[0, 1], [1, 0]], complex)
_SY = np.array([[0, -1j], [1j, 0]], complex)

#: contraction of C (A ⊗ B) with the block (G₁ ⊗ G₂) for the three slot patterns
_CONTRACT = {(0, 1): "aijk,ijka->",     # Tr[A G₁ B G₂]   (X)
             (0, 0): "aika,ijjk->",     # Tr[A G₁ G₂ B]   (Ψ_R)
             (1, 1): "aiij,jkka->"}     # Tr[A B G₁ G₂]   (Ψ_A)


def _vertex(g: complex, axis: str):
    """g acting on σ_axis: x → g₁σ_x + g₂σ_y, y → g₁σ_y − g₂σ_x."""
    if axis == "x":
        return g.real * _SX + g.imag * _SY
    return g.real * _SY - g.imag * _SX


@lru_cache(maxsize=64)
def _structure(term: CrossedTerm):
    return block_structure(term)


def _family_integrand(d: FiniteDirac, term: CrossedTerm, q: float, gAR, gRA, order: int,
                      mu: float, control: str, tails=None) -> complex:
    """½[F_xy − F_yx] at |Q| = q (Q along x) for one term, without the factor W²."""
    sides, _, (cp, c2, ck), where = _structure(term)
    pF, w = d.pF, d.w
    cen = [0.0, pF, -pF]
    if q < 2 * pF:
        h = np.sqrt(pF ** 2 - q ** 2 / 4)
        cen += [h, -h]
    Y = 2 * pF + q
    tc, tb = tails or (TAIL_C, TAIL_BLOCK)
    py, wy = graded_nodes(cen, -Y, Y, w / 8, order, tc)
    ky, wk = graded_nodes(cen, -Y, Y, w / 8, order, tb)
    A_legs = (_Leg("A", 1, 0), _Leg("R", 1, 0))
    B_legs = (_Leg("R", -c2 * cp, c2), _Leg("A", -c2 * cp, c2))
    blk = _convolve(d, (_Leg(sides[0], 1, 0),), None,
                    (_Leg(sides[1], ck, 1, control == "flip-m"),), None, q, ky, wk, subtract=mu)
    val = 0.0
    for a_ax, b_ax, s in (("x", "y", 1), ("y", "x", -1)):
        Va = _vertex(gAR, a_ax) if control != "bare-vertex" else (_SX if a_ax == "x" else _SY)
        Vb = _vertex(gRA, b_ax) if control != "bare-vertex" else (_SX if b_ax == "x" else _SY)
        C = _convolve(d, A_legs, Va, B_legs, Vb, q, py, wy)
        val = val + s * np.einsum(_CONTRACT[where], C, blk) / 2
    return val


def dirac_crossed_finite(eps, m, w, terms=DEFAULT_TERMS, order: int = 8, mu: float | None = None,
                         control: str = "", tails=None, q_cut: float = Q_CUT) -> dict:
    """σ_xy (e²/h) of the crossed RA diagrams of massive Dirac at broadening w (v = 1).

    Returns {family: value (complex), "total": Σ (complex), "w": w}.  ``order``: Gauss–
    Legendre nodes per panel (p_y and |Q|); ``mu``: the ultraviolet subtraction scale
    (default p_F); ``q_cut``: Λ_Q/p_F; ``tails``: (TAIL_C, TAIL_BLOCK) to test the mesh;
    ``control``: one of :data:`CONTROLS` (negative controls only).
    """
    if control not in CONTROLS:
        raise ValueError(f"unknown control {control!r}")
    eps, m, w = float(eps), float(m), float(w)
    if not (eps > abs(m) > 0):
        raise ValueError("dirac_crossed_finite needs eps > |m| > 0")
    if not (MIN_W_RATIO <= w / eps <= MAX_W_RATIO):
        raise ValueError(f"w/eps must lie in [{MIN_W_RATIO:g}, {MAX_W_RATIO:g}]")
    d = FiniteDirac(eps, m, w)
    pF = d.pF
    mu = pF if mu is None else float(mu)
    gAR, gRA = vertex_factors(d)
    if not q_cut >= 4:
        raise ValueError("q_cut must be at least 4 (in units of p_F)")
    qs, wq = graded_nodes([0.0, 2 * pF], 0.0, 4 * pF, w / 8, order, q_cut / 4)
    out = {}
    for term in terms:
        f = np.array([_family_integrand(d, term, q, gAR, gRA, order, mu, control, tails) for q in qs])
        out[term.family] = out.get(term.family, 0) + term.weight * d.W ** 2 * np.sum(wq * qs * f) / (2 * np.pi)
    res = {k: complex(v) for k, v in out.items()}
    res["total"] = complex(sum(out.values()))
    res["w"] = w
    return res
