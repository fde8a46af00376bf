"""The second, independent route for any two-band model: 2D Gauss–Legendre quadrature in (u, φ).

The same bare tensors as :func:`streda.integrals.angular.tensor_angular` (Eq. 9, 13,
order by order in M_x), computed without polynomials, poles or residues:

    ∫ d²p/(2π)² F = 1/(8π²) ∫₀^π dφ ∫ du [F(√u, φ) + F(−√u, φ)],   u = q² = 2m_e ξ,

with F built from 2x2 matrices evaluated at each node (H(p) from the model's sympy
components, G = (E − H)⁻¹ by the explicit 2x2 inverse, E = ε ± iγ, Dyson products
G₀(H₁G₀)^k), in FLINT complex arithmetic at ``dps`` + guard digits.  For u < 0 the
momentum q = ±i√|u| is imaginary; the pair (q, −q) makes the integrand a single-valued
function of u, so ``xi_range="whole"`` integrates u over (−∞, ∞) and ``"physical"``
over [0, ∞).  2·RA − RR − AA is combined before integrating, so the integrand decays
like 1/u² for K and σ alike (no arc term).

Quadrature: Gauss–Legendre (nodes from mpmath) on a mesh graded geometrically towards
the Fermi surfaces (real parts of the zeros of det(E − H) in u, located in double
precision: hints only), the two tails mapped to finite intervals by u = a ± s/(1 − s);
in φ Gauss–Legendre on [0, π] (not the trapezoid rule of the first route).  Error
control: the result with n nodes per u-segment and 4n angles and the one with 2n and 8n
(Gauss–Legendre degrees d, d + 2 and d + 1, d + 3) must agree to the requested digits, relative to the largest entry of each order, else
:class:`~streda.integrals.quadrature.QuadratureError`.

Disorder: scalar (Σ^{R,A} = ∓iγ) or a :class:`~streda.integrals.disorder.Disorder` whose
constant Born self-energy ∓i(γ + γ_vec·σ) is put into E − H − Σ at every node (any u).

>>> from streda.integrals.models import get_model
>>> K = tensor_quad2d("K", get_model("rashba").point(), 0, 8)
>>> mpmath.nstr(K[0]["xy"].real, 8)
'-0.26038614'
"""
from __future__ import annotations

from functools import lru_cache

import flint
import mpmath
import numpy
import sympy
from mpmath.calculus.quadrature import GaussLegendre

from .model import ModelError
from .quadrature import QuadratureError

__all__ = ["tensor_quad2d", "GUARD_DIGITS", "MAX_DEGREE"]

#: extra working digits inside the quadrature
GUARD_DIGITS = 10
#: the finest Gauss–Legendre degree (3·2^(degree−1) nodes per segment)
MAX_DEGREE = 8
ROWS = {"K": ("x", "y", "z"), "sigma": ("x", "y")}
COLS = ("x", "y")

_I = flint.acb(0, 1)
_Z = flint.acb(0)
_O = flint.acb(1)
_PAULI = {"x": (_Z, _O, _O, _Z), "y": (_Z, -_I, _I, _Z), "z": (_O, _Z, _Z, -_O)}


def _mul(x, y):
    a1, b1, c1, d1 = x
    a2, b2, c2, d2 = y
    return (a1 * a2 + b1 * c2, a1 * b2 + b1 * d2, c1 * a2 + d1 * c2, c1 * b2 + d1 * d2)


def _add(x, y):
    return tuple(a + b for a, b in zip(x, y))


def _inv(E, h):
    """(E − h₀ − h·σ)⁻¹ for h = (h₀, hx, hy, hz)."""
    a = E - h[0]
    det = a * a - h[1] * h[1] - h[2] * h[2] - h[3] * h[3]
    r = 1 / det
    return ((a + h[3]) * r, (h[1] - _I * h[2]) * r, (h[1] + _I * h[2]) * r, (a - h[3]) * r)


def _mat(h):
    return (h[0] + h[3], h[1] - _I * h[2], h[1] + _I * h[2], h[0] - h[3])


def _tr(S, M):
    return S[0] * M[0] + S[1] * M[2] + S[2] * M[1] + S[3] * M[3]


class _Model:
    """The model's components as {(a, b): coefficient} dicts at the working precision."""

    def __init__(self, point, digits: int):
        from .models import px, py
        from .model import Delta, alpha_R, m_e

        model = point.model
        sub = dict(point.subs())
        if alpha_R not in sub and Delta in sub:
            sub[alpha_R] = sympy.sqrt(sub[Delta] / sub.get(m_e, sympy.Integer(1)))
        try:
            mx = model.parameter("Mx").symbol
        except ModelError:
            mx = None
        comps = [sympy.sympify(c) for c in model.h]
        if mx is not None:
            sub.pop(mx, None)
            h1 = [sympy.diff(c, mx).subs(sub) for c in comps]
            comps = [c.subs(mx, 0) for c in comps]
        else:
            h1 = [0, 0, 0, 0]
        comps = [sympy.expand(c.subs(sub)) for c in comps]

        def num(x):
            return flint.acb(str(sympy.N(sympy.re(x), digits + 5)), str(sympy.N(sympy.im(x), digits + 5)))

        def terms(e):
            return {m: num(c) for m, c in sympy.Poly(e, px, py).terms()}

        self.h = [terms(c) for c in comps]
        self.vx = [terms(sympy.diff(c, px)) for c in comps]
        self.vy = [terms(sympy.diff(c, py)) for c in comps]
        self.h1 = _mat([num(x) for x in h1])
        self.zero_h1 = all(sympy.sympify(x) == 0 for x in h1)
        det = sympy.expand((point["eps"] - comps[0]) ** 2 - sum(c ** 2 for c in comps[1:]))
        self.det = {m: complex(sympy.N(c)) for m, c in sympy.Poly(det, px, py).terms()}

    @staticmethod
    def at(terms_list, p1, p2, maxdeg=4):
        out = []
        for terms in terms_list:
            acc = _Z
            for (a, b), c in terms.items():
                acc += c * p1 ** a * p2 ** b
            out.append(acc)
        return out


def _fermi_points(det: dict, phi: float) -> list:
    """Zeros of det(ε − H) in u at angle φ (double precision hints), as complex numbers."""
    c, s = numpy.cos(phi), numpy.sin(phi)
    deg = max(a + b for a, b in det)
    coeffs = numpy.zeros(deg + 1, dtype=complex)
    for (a, b), v in det.items():
        coeffs[deg - a - b] += v * c ** a * s ** b
    while len(coeffs) > 1 and coeffs[0] == 0:
        coeffs = coeffs[1:]
    return sorted({round(float((r * r).real), 12) for r in numpy.roots(coeffs)}) if len(coeffs) > 1 else []


def _mesh(centres: list, width: float, xi_range: str) -> list:
    """Break points graded geometrically (width·2^j) around each centre."""
    pts = set()
    for x in centres:
        for j in range(0, 8):
            d = width * 2 ** j
            pts.update((x - d, x + d))
        pts.add(x)
    pts = sorted(pts)
    if xi_range == "physical":
        pts = [0.0] + [u for u in pts if u > 0]
    return pts


@lru_cache(maxsize=16)
def _gl(degree: int, prec: int):
    with mpmath.workprec(prec):
        nodes = GaussLegendre(mpmath.mp).calc_nodes(degree, prec)
        return tuple((flint.arb(mpmath.nstr(x, prec // 3 + 5)), flint.arb(mpmath.nstr(w, prec // 3 + 5)))
                     for x, w in nodes)


def tensor_quad2d(kind: str, point, mx_order: int, dps: int, xi_range: str = "whole",
                  degree: int | None = None, disorder=None) -> dict:
    """{k: {"xx": mpc, ...}} of the bare K or σ by 2D Gauss–Legendre quadrature (see module doc)."""
    if kind not in ROWS:
        raise QuadratureError(f"unknown tensor {kind!r}; expected K or sigma")
    if xi_range not in ("whole", "physical"):
        raise QuadratureError(f"unknown xi_range {xi_range!r}; expected whole or physical")
    if not isinstance(dps, int) or not 5 <= dps <= 40:
        raise QuadratureError(f"dps must be an integer 5..40 for the 2D quadrature, not {dps!r}")
    if not isinstance(mx_order, int) or not 0 <= mx_order <= 4:
        raise QuadratureError(f"mx_order must be 0..4 for the 2D quadrature, not {mx_order!r}")
    digits = dps + GUARD_DIGITS
    deg = degree if degree is not None else max(2, (dps - 4) // 4)
    prev = None
    while True:
        with flint.ctx.workprec(int(3.33 * digits) + 10):
            cur = _run(kind, point, mx_order, digits, xi_range, deg, deg + 2, disorder)
        if prev is not None:
            ok = True
            for k in cur:
                scale = max(abs(v) for v in cur[k].values())
                scale = scale if scale > 0 else 1
                for ent in cur[k]:
                    if abs(cur[k][ent] - prev[k][ent]) > mpmath.mpf(10) ** (-dps) * scale:
                        ok = False
            if ok:
                break
        if deg + 2 >= MAX_DEGREE:
            raise QuadratureError(f"2D quadrature did not reach {dps} digits with Gauss–Legendre "
                                  f"degree {MAX_DEGREE} ({3 * 2 ** (MAX_DEGREE - 1)} nodes per segment)")
        prev, deg = cur, deg + 1
    with mpmath.workdps(dps):
        return {k: {ent: +v for ent, v in d.items()} for k, d in cur.items()}


def _run(kind, point, mx_order, digits, xi_range, deg, deg_phi=None, disorder=None):
    mod = _Model(point, digits)
    prec = flint.ctx.prec
    rule = _gl(deg, prec)
    rule_phi = _gl(deg if deg_phi is None else deg_phi, prec)
    eps = flint.arb(str(sympy.N(point["eps"], digits + 5)))
    gam = flint.arb(str(sympy.N(point["gamma"], digits + 5)))
    ER, EA = flint.acb(eps, gam), flint.acb(eps, -gam)
    gv = [0, 0, 0] if disorder is None else disorder.born(point["gamma"])[1:]
    gv = [flint.arb(str(sympy.N(g, digits + 5))) for g in gv]
    shift = {"R": [_Z] + [-_I * g for g in gv], "A": [_Z] + [_I * g for g in gv]}   # b = h ∓ iγ_vec
    kmax = 0 if mod.zero_h1 else mx_order
    keys = [(k, r + c) for k in range(mx_order + 1) for r in ROWS[kind] for c in COLS]
    width = float(sympy.N(point["gamma"])) / 2

    def integrand(u, c, s, acc, w):
        for sgn in (1, -1):
            q = flint.acb(u).sqrt() * sgn
            p1, p2 = q * c, q * s
            h = mod.at(mod.h, p1, p2)
            G = {lab: [_inv(E, [x + d for x, d in zip(h, shift[lab])])] for lab, E in (("R", ER), ("A", EA))}
            for lab in "RA":
                HG = _mul(mod.h1, G[lab][0])
                for _ in range(kmax):
                    G[lab].append(_mul(G[lab][-1], HG))
            v = {"x": _mat(mod.at(mod.vx, p1, p2)), "y": _mat(mod.at(mod.vy, p1, p2))}
            outer = _PAULI if kind == "K" else v
            for k in range(kmax + 1):
                for col in COLS:
                    comb = (_Z,) * 4
                    for k1 in range(k + 1):
                        k2 = k - k1
                        ra = _mul(_mul(G["R"][k1], v[col]), G["A"][k2])
                        rr = _mul(_mul(G["R"][k1], v[col]), G["R"][k2])
                        aa = _mul(_mul(G["A"][k1], v[col]), G["A"][k2])
                        comb = tuple(x + 2 * a - b - d for x, a, b, d in zip(comb, ra, rr, aa))
                    for row in ROWS[kind]:
                        acc[(k, row + col)] += w * _tr(outer[row], comb)

    total = {key: _Z for key in keys}
    pi = flint.arb.pi()
    half = pi / 2
    for xphi, wphi in rule_phi:
        phi = half * (xphi + 1)
        c, s = phi.cos(), phi.sin()
        pts = _mesh(_fermi_points(mod.det, float(phi.mid())), width, xi_range)
        inner = {key: _Z for key in keys}
        nodes = [flint.arb(str(x)) for x in pts]
        for a, b in zip(nodes[:-1], nodes[1:]):
            mid, rad = (a + b) / 2, (b - a) / 2
            for x, w in rule:
                integrand(mid + rad * x, c, s, inner, w * rad)
        # tails: u = a ± t/(1 − t), t ∈ (0, 1), du = dt/(1 − t)²
        tails = [(nodes[-1], 1)] + ([] if xi_range == "physical" else [(nodes[0], -1)])
        for a, sg in tails:
            for x, w in rule:
                t = (x + 1) / 2
                integrand(a + sg * t / (1 - t), c, s, inner, w / 2 / (1 - t) ** 2)
        for key in keys:
            total[key] += wphi * half * inner[key]
    with mpmath.workdps(digits):
        e = _e_of(point)
        pref = (e / (8 * mpmath.pi) if kind == "K" else e ** 2 / (4 * mpmath.pi)) / (8 * mpmath.pi ** 2)
        out = {k: {} for k in range(mx_order + 1)}
        for (k, ent), val in total.items():
            out[k][ent] = pref * mpmath.mpc(val.real.mid().str(digits + 3, radius=False),
                                            val.imag.mid().str(digits + 3, radius=False))
    return out


def _e_of(point):
    try:
        point.model.parameter("e")
    except ModelError:
        return mpmath.mpf(1)
    e = point["e"]
    return mpmath.mpf(1) if e == 0 else mpmath.mpf(sympy.N(e, mpmath.mp.dps + 5))
