"""The crossed (X, Ψ) diagrams of σ_xy at leading order in the disorder (issue 10, item 2).

Ado, Dmitriev, Ostrovsky, Titov, EPL 111, 37004 (2015).  Input is plain data, not a graph:
a :class:`CrossedTerm` lists the Green's functions around the closed line in matrix order,
each as (side ``"R"``/``"A"``, momentum label such as ``"p-q1-q2"``), with the two vertex
positions; :mod:`streda.diagrams.crossed` produces exactly these labels.

**Derivation (massive Dirac, H = σ·p + mσ_z, v = 1, ε > |m|).**  Every crossed diagram has the
form W²∫∫∫ Tr[Γ_x G^R(p)…Γ_y…G^A(p)] with three momentum integrals.  Two pairs are pinched:
the first and last G (momentum p) and the two G next to Γ_y (momentum p₂); the remaining two
G are the *crossed block*, with momenta k and ±k + L(p, p₂).

1. Pinch.  With Σ^R = −iw(1 + (m/ε)σ_z) (the Born self-energy, w = πWρ₀, ρ₀ = ε/4π, so
   W = 4w/ε), G^R ≈ P/(ε − E + iw_eff) near the Fermi circle, P = (1 + n·σ)/2,
   n = (p, m)/ε, w_eff = w(1 + m²/ε²), and ∫p dp/2π G^A M G^R → (ε/2w_eff) P M P.
   The two pinches and W² give 4ε⁴/(ε² + m²)², a pure number: the crossed diagrams are W⁰,
   the same order as the ladder σ_xy (side jump and skew scattering), while σ_xx ∝ 1/w.
   Corrections are O(w) and vanish in the limit ("leading order": ε_F τ ≫ 1).
2. Vertex.  At this order Γ = v + λ⟨PΓP⟩_φ with λ = W ε/2w_eff = 2ε²/(ε² + m²); for
   Dirac PΓ_aP = γ n_a P with γ = 2(ε² + m²)/(ε² + 3m²) (the ordering of G^R, G^A around
   the vertex matters only at the next order).
3. Crossed block at w = 0 (p, p₂ on the Fermi circle, |p| = |p₂| = p_F):
   ∫d²k/(2π)² Tr[…N(k₁)…N(k₂)…]/(d(k₁) d(k₂)), N(k) = ε + σ·k + mσ_z,
   d^{R/A}(k) = p_F² − k² ± i0.  RR (Ψ_R) and AA (Ψ_A): Feynman parameter x, shift
   ℓ = k − xK, M(x) = x(1 − x)K² − p_F² < 0 for |K| < 2p_F, so
   ∫d²ℓ/(2π)² 1/(ℓ² + M ∓ i0)² = 1/4πM (real) and the ℓ² part of the numerator gives
   (1/4π)[log Λ² − log|M| ± iπ − 1]; the x-integrals are closed forms (arctan, log).
   RA (X): 1/d^A = 1/d^R + 2πiδ(p_F² − k₂²): the RR result plus a one-dimensional integral
   over the circle |k₂| = p_F of f/(d^R(k₁)); its principal value is exact by the Glauert
   formula PV∫₀^{2π} cos nψ/(cos ψ − cos ψ₀) dψ = 2π sin nψ₀/sin ψ₀, its δ part is the sum
   over the two intersections of the circles (the impurity pairs a Fermi wavelength apart).
   The log Λ² coefficient must vanish in σ_xy (it does: reported as ``log_cutoff``).
4. Angles.  Isotropy (rotation of p and σ together) leaves the relative angle θ of p₂ to p:
   σ_xy = 16ε²(ε² − m²)/(ε² + 3m²)² · (1/2π)∫₀^π dθ sin θ [T(θ) − T(2π − θ)]/2,
   T the sum of the crossed-block traces with P(p), P(p₂).  The θ integrand has integrable
   endpoint singularities (K → 0, K → 2p_F): tanh–sinh quadrature, two step sizes, the
   difference is the stated error.  This outer integral is the only numeric step.

>>> r = dirac_crossed(2, 1)
>>> round(r["X"].real, 9), abs(r["Psi_R"] + r["Psi_A"]) < 1e-12, r["error"] < 1e-10
(0.489795918, True, True)
>>> round(r["Psi_R"].imag, 6) == -round(r["Psi_A"].imag, 6) != 0       # each Ψ alone is imaginary
True
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

__all__ = ["CrossedTerm", "dirac_crossed", "x_block_odd", "parse_momentum", "block_structure", "DEFAULT_TERMS"]

_I2 = np.eye(2, dtype=complex)
_SX = np.array([[0, 1], [1, 0]], complex)
_SY = np.array([[0, -1j], [1j, 0]], complex)
_SZ = np.array([[1, 0], [0, -1]], complex)
#: the largest |ε/m| accepted (the θ integrand sharpens as m/ε → 0; tested to 10³)
MAX_RATIO = 1e3


@dataclass(frozen=True)
class CrossedTerm:
    """One crossed diagram as plain data: ``props`` = ((side, momentum label), …) in matrix
    order starting after Γ_x; ``beta`` = the index of the first G after Γ_y."""

    family: str
    props: tuple
    beta: int
    weight: int = 1


#: the three unique leading crossed diagrams (the labels diagrams.crossed derives), used when
#: no graph data are passed in; ``tests/test_crossed.py`` checks they equal the enumeration
DEFAULT_TERMS = (
    CrossedTerm("Psi_A", (("R", "p"), ("R", "p-q1"), ("A", "p-q1"), ("A", "p-q1-q2"),
                          ("A", "p-q2"), ("A", "p")), 2),
    CrossedTerm("X", (("R", "p"), ("R", "p-q1"), ("R", "p-q1-q2"), ("A", "p-q1-q2"),
                      ("A", "p-q2"), ("A", "p")), 3),
    CrossedTerm("Psi_R", (("R", "p"), ("R", "p-q1"), ("R", "p-q1-q2"), ("R", "p-q2"),
                          ("A", "p-q2"), ("A", "p")), 4),
)

_TOKEN = re.compile(r"([+-]?)(\d*)([a-z]\w*)")


def parse_momentum(label: str) -> dict:
    """'p-q1-2q2' -> {'p': 1, 'q1': -1, 'q2': -2}.

    >>> parse_momentum("p-q1-q2")
    {'p': 1, 'q1': -1, 'q2': -1}
    """
    out, pos = {}, 0
    for mt in _TOKEN.finditer(label):
        if mt.start() != pos:
            raise ValueError(f"cannot read momentum label {label!r}")
        pos = mt.end()
        c = int(mt.group(2) or 1) * (-1 if mt.group(1) == "-" else 1)
        out[mt.group(3)] = out.get(mt.group(3), 0) + c
    if pos != len(label):
        raise ValueError(f"cannot read momentum label {label!r}")
    return out


def block_structure(term: CrossedTerm):
    """Pinched pairs and the crossed block of a term, momenta in the basis (p, p₂, k).

    Returns (sides, mom1, mom2, where2): the sides of the two crossed-block G in matrix order,
    their momenta as (c_p, c_p2, c_k) and the slot (0: between P(p) and P(p₂), 1: after P(p₂))
    of each.

    >>> block_structure(DEFAULT_TERMS[1])
    (('R', 'A'), (0, 0, 1), (1, 1, -1), (0, 1))
    """
    props, b = term.props, term.beta
    if len(props) != 6 or not 2 <= b <= 4:
        raise ValueError("a leading crossed diagram has six G and Γ_y between them")
    (s0, m0), (s5, m5) = props[0], props[-1]
    (sb1, mb1), (sb2, mb2) = props[b - 1], props[b]
    if not (s0 == "R" and s5 == "A" and m0 == m5 and sb1 == "R" and sb2 == "A" and mb1 == mb2):
        raise ValueError(f"{term.family}: the G next to the vertices are not R–A pinched pairs")
    p, p2 = parse_momentum(m0), parse_momentum(mb1)
    middle = [i for i in range(1, 5) if i not in (b - 1, b)]
    mk = parse_momentum(props[middle[0]][1])
    names = sorted(set(p) | set(p2) | set(mk) | set(parse_momentum(props[middle[1]][1])))
    # solve for each name in the basis: the label vectors of p, p2, k are the basis
    basis = np.array([[v.get(n, 0) for n in names] for v in (p, p2, mk)], float)
    target = np.array([parse_momentum(props[middle[1]][1]).get(n, 0) for n in names], float)
    coef, *_ = np.linalg.lstsq(basis.T, target, rcond=None)
    if not np.allclose(basis.T @ coef, target) or abs(abs(coef[2]) - 1) > 1e-12:
        raise ValueError(f"{term.family}: the crossed block is not of the form k, ±k + L(p, p2)")
    mom2 = tuple(int(round(c)) for c in coef)
    where = tuple(0 if i < b - 1 else 1 for i in middle)
    return (props[middle[0]][0], props[middle[1]][0]), (0, 0, 1), mom2, where


def _N(eps, m, kx, ky):
    return (eps * _I2 + kx[..., None, None] * _SX + ky[..., None, None] * _SY + m * _SZ)


def _tr(M):
    return M[..., 0, 0] + M[..., 1, 1]


class _Dirac:
    def __init__(self, eps, m):
        self.eps, self.m = float(eps), float(m)
        self.a = self.eps ** 2 - self.m ** 2
        self.pF = np.sqrt(self.a)

    def P(self, phi):
        e, pF = self.eps, self.pF
        return (_I2 + (pF * np.cos(phi)[..., None, None] * _SX + pF * np.sin(phi)[..., None, None] * _SY
                       + self.m * _SZ) / e) / 2

    def feynman(self, f, K, sign, gap2):
        """∫d²k/(2π)² f(k)/((p_F² − k² + i·sign·0)(p_F² − |k − K|² + i·sign·0)), finite part
        and the coefficient of log Λ²; ``gap2`` = 4p_F² − K², passed in computed without
        cancellation."""
        a = self.a
        Kx, Ky = K
        K2 = Kx ** 2 + Ky ** 2
        s = np.sqrt(gap2 / K2)
        L0 = -4 * np.arctan(1 / s) / (K2 * s)
        L1 = L0 / 2
        L2 = -1 / K2 + L0 / 2 - a / K2 * L0
        b = s / 2
        Llog = np.log(K2) + np.log(0.25 + b ** 2) - 2 + 4 * b * np.arctan(1 / (2 * b))
        z = np.zeros_like(Kx)
        f0 = f(z, z)
        fh = f(Kx / 2, Ky / 2)
        f1 = f(Kx, Ky)
        c0, c2 = f0, 2 * (f1 + f0 - 2 * fh)
        c1 = f1 - f0 - c2
        trF = (f(z + 1, z) + f(z - 1, z) - 2 * f0) / 2 + (f(z, z + 1) + f(z, z - 1) - 2 * f0) / 2
        lg = trF / 2 / (4 * np.pi)
        fin = (c0 * L0 + c1 * L1 + c2 * L2) / (4 * np.pi) + lg * (-Llog + sign * 1j * np.pi - 1)
        return fin, lg

    def circle(self, f, K):
        """2πi∫d²k/(2π)² f(k) δ(p_F² − |k − K|²)/(p_F² − k² + i0): principal value by the
        Glauert formula on the Fourier modes of f on the circle, plus the two intersections."""
        pF = self.pF
        Kx, Ky = K
        Km = np.hypot(Kx, Ky)
        th = np.arctan2(Ky, Kx)

        def g(psi):
            return f(Kx + pF * np.cos(psi + th), Ky + pF * np.sin(psi + th))

        n = 8                                # f is a trigonometric polynomial of degree ≤ 2
        vals = [g(np.full_like(Kx, 2 * np.pi * j / n)) for j in range(n)]
        beta = -2 * pF * Km
        ps0 = np.arccos(-Km / (2 * pF))
        sps0 = np.sin(ps0)
        pv = 0
        for k in range(-2, 3):
            ck = sum(v * np.exp(-2j * np.pi * j * k / n) for j, v in enumerate(vals)) / n
            pv = pv + ck * 2 * np.pi * np.sin(abs(k) * ps0) / sps0 / beta
        dl = -1j * np.pi * (g(ps0) + g(-ps0)) / (np.abs(beta) * sps0)
        return 1j / (4 * np.pi) * (pv + dl)


def _term_T(d: _Dirac, term: CrossedTerm, theta, control: str = ""):
    """The crossed-block trace T(θ) of one term (and its log Λ² coefficient)."""
    sides, _, mom2, where = block_structure(term)
    pF, eps, m = d.pF, d.eps, d.m
    p = (np.full_like(theta, pF), np.zeros_like(theta))
    p2 = (pF * np.cos(theta), pF * np.sin(theta))
    P1, P2 = d.P(np.zeros_like(theta)), d.P(theta)
    cp, c2, ck = mom2
    Lx, Ly = cp * p[0] + c2 * p2[0], cp * p[1] + c2 * p2[1]

    def f(kx, ky):
        N1 = _N(eps, m, kx, ky)
        N2 = _N(eps, m, ck * kx + Lx, ck * ky + Ly)
        slots = {0: [], 1: []}
        slots[where[0]].append(N1)
        slots[where[1]].append(N2)
        M = P1
        for X in slots[0]:
            M = M @ X
        M = M @ P2
        for X in slots[1]:
            M = M @ X
        return _tr(M)

    K = (-ck * Lx, -ck * Ly)                 # |k₂| = |k − K|
    if abs(cp) != 1 or abs(c2) != 1:
        raise ValueError(f"{term.family}: crossed block momentum {mom2} is not ±k ± p ± p2")
    # 4p_F² − |cp p + c2 p2|² = |cp p − c2 p2|² on the Fermi circle: no cancellation
    gap2 = (cp * p[0] - c2 * p2[0]) ** 2 + (cp * p[1] - c2 * p2[1]) ** 2
    if sides == ("R", "R"):
        return d.feynman(f, K, +1, gap2)
    if sides == ("A", "A"):
        return d.feynman(f, K, -1, gap2)
    if sides == ("R", "A"):
        fin, lg = d.feynman(f, K, +1, gap2)
        if control == "no-circle":          # negative control only: drop the on-shell δ part
            return fin, lg
        return fin + d.circle(f, K), lg
    raise ValueError(f"{term.family}: crossed block ordering {sides} not supported")


def x_block_odd(eps, m, theta) -> complex:
    """[T_X(θ) − T_X(2π − θ)]/2: the crossed block of X, odd part in the angle θ of p₂ (the
    quantity :mod:`streda.integrals.crossed_radial` computes by another route)."""
    d = _Dirac(eps, m)
    X = [t for t in DEFAULT_TERMS if t.family == "X"][0]
    th = np.array([float(theta), 2 * np.pi - float(theta)])
    T, _ = _term_T(d, X, th)
    return complex((T[0] - T[1]) / 2)


def _nodes(h: float):
    """tanh–sinh nodes on (0, π) with the distance to the nearer end computed directly;
    nodes closer than 1e-13 to an end are dropped (the integrand is bounded there, so the
    loss is below 1e-13 of its maximum)."""
    t = np.arange(-3.2, 3.2 + h / 2, h)
    x = np.pi / 2 * np.sinh(np.abs(t))
    dist = np.pi / 2 * 2 / (np.exp(2 * x) + 1)          # (π/2)(1 − tanh x)
    wgt = (np.pi / 2) * h * np.pi / 2 * np.cosh(t) / np.cosh(x) ** 2
    theta = np.where(t < 0, dist, np.pi - dist)
    keep = dist > 1e-13
    return theta[keep], wgt[keep]


def dirac_crossed(eps, m, terms=DEFAULT_TERMS, h: float = 1 / 64, control: str = "") -> dict:
    """σ_xy (e²/h) of the crossed diagrams for the massive Dirac model, ε > |m| > 0, v = 1.

    Returns {family: value (complex: Ψ_R and Ψ_A are each imaginary, their sum real), …,
    "log_cutoff": coefficient of log Λ² (must be 0), "imag": |Im total|, "error": the change
    of the total between step h and 2h of the outer θ quadrature}.  ``control="no-circle"``
    drops the on-shell part of the RA block: a negative control that must miss the result.
    """
    if control not in ("", "no-circle"):
        raise ValueError(f"unknown control {control!r}")
    eps, m = float(eps), float(m)
    if not (eps > abs(m) > 0):
        raise ValueError("dirac_crossed needs eps > |m| > 0 (Fermi level in the upper band, massive)")
    if eps / abs(m) > MAX_RATIO:
        raise ValueError(f"eps/|m| > {MAX_RATIO:g}: outside the tested range")
    d = _Dirac(eps, m)
    pref = 16 * eps ** 2 * (eps ** 2 - m ** 2) / (eps ** 2 + 3 * m ** 2) ** 2

    def integrate(step):
        theta, wgt = _nodes(step)
        out, lg_tot = {}, 0.0
        for term in terms:
            T1, l1 = _term_T(d, term, theta, control)
            T2, l2 = _term_T(d, term, 2 * np.pi - theta, control)
            odd = np.sin(theta) * (T1 - T2) / 2
            out[term.family] = out.get(term.family, 0) + term.weight * pref * np.sum(wgt * odd) / (2 * np.pi)
            lg_tot += pref * np.sum(wgt * np.sin(theta) * (l1 - l2) / 2) / (2 * np.pi)
        return out, lg_tot

    fine, lg = integrate(h)
    coarse, _ = integrate(2 * h)
    err = abs(sum(fine.values()) - sum(coarse.values()))
    res = {k: complex(v) for k, v in fine.items()}
    res["imag"] = float(abs(np.imag(sum(fine.values()))))
    res["log_cutoff"] = float(abs(lg))
    res["error"] = float(err)
    return res
