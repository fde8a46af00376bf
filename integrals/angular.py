"""Bare Kubo–Středa tensors of ANY two-band model: residues in ξ per angle, trapezoid in φ.

For H(p) = h₀ σ₀ + h·σ (a :class:`~streda.integrals.models.Model`) with scalar white-noise
disorder, Born self-energy Σ^{R,A} = ∓iγ, this module computes the bare K (Eq. 9) and σ
(Eq. 13) order by order in M_x (the Dyson series of Fig. 2b, as :mod:`~streda.integrals.kubo`)

    K_αβ = e/8π (2·RA − RR − AA),   RA = ∫ d²p/(2π)² Tr σ_α G^R v_β G^A, ...
    σ_αβ = e²/4π (2·RA − RR − AA)   with v_α in place of σ_α,
    G = Σ_k M_x^k G₀ (H₁ G₀)^k,     H₁ = ∂H/∂M_x,  v = ∂H/∂p,

without an exact frame.  Method:

* Polar coordinates p = q(cos φ, sin φ), u = q² (= 2m_e ξ):
  ∫ d²p/(2π)² F = 1/(8π²) ∫₀^π dφ ∫ du [F(q, φ) + F(−q, φ)].
  The pair φ, φ + π (q → −q) removes odd powers of q, so at fixed φ the integrand
  g(u) = F(q) + F(−q) is a rational function of u: G^R = N_R(q)/D_R(q) with
  polynomial N_R, D_R (if D_R is not even in q the model's G is written over
  D_R(q)D_R(−q)).
* ξ-integral per φ by partial fractions over the poles (roots of D_R and D_A in u,
  :func:`mpmath.polyroots` at working precision, checked by the residual):
  ``xi_range="whole"`` (the paper's prescription, band continued below its bottom):
  2πi Σ_{Im x>0} Res − iπc for a 1/u tail c (symmetric cut-off, METHOD-HINTS fact 4);
  ``xi_range="physical"`` (ξ ≥ 0): ∫₀^∞ of each partial fraction, the endpoint terms
  −c₁ Log(−x) and c_n (−x)^{1−n}/(n−1) (n ≥ 2); a 1/u tail is refused as divergent.
* φ-integral: the trapezoid rule on N equally spaced angles (offset by π/7, so that no
  node sits on a symmetry angle), exponentially convergent for the analytic periodic
  integrand; N is doubled until N and 2N agree to the requested digits (entry by entry,
  relative to the largest entry of its order), up to :data:`MAX_ANGLES`.
* Arithmetic in FLINT complex balls at ``dps`` + guard digits; if rounding (the ball radii)
  is not below the requested accuracy the working precision is doubled.

Disorder.  Scalar white noise by default; with a :class:`~streda.integrals.disorder.Disorder`
(magnetic V(1 + u·σ), any u) the constant Born self-energy Σ^{R,A} = ∓i(γ + γ_vec·σ) of
:meth:`~streda.integrals.disorder.Disorder.born` enters G exactly: b → h ∓ iγ_vec.  An
in-plane γ_vec makes det G⁻¹ depend on φ and odd in q; neither matters here (the
denominators are doubled to D(q)D(−q) and every angle has its own poles), so this route
takes any u, unlike the exact frame of the ball route.

Born self-energy.  Σ^R = W ∫ d²p/(2π)² G^R for white noise ⟨VV⟩ = W.  It is computed with
the same machinery (whole axis: all poles of G^R lie above the axis, so only the arc term
−iπc survives); W is fixed by Σ₀ = −iγ, and the σ part must vanish.  It does for
rashba, dresselhaus and rashba+dresselhaus (any M_z); for dirac it does not (the arc of
the mass term gives Σ_z ∝ m): the engine then refuses (:class:`SelfEnergyError`) instead of
using Σ = ∓iγ·1 for a model whose Born self-energy is not scalar.

>>> from streda.integrals.models import get_model
>>> pt = get_model("rashba").point("eps=1,gamma=1/10,Delta=3/10,Mz=2/5")
>>> K = tensor_angular("K", pt, 1, 15)
>>> mpmath.nstr(K[0]["xy"].real, 12), mpmath.nstr(K[1]["zy"].real, 12)
('-0.260386143741', '0.0499894347103')
>>> tensor_angular("K", pt, 0, 15, xi_range="half")
Traceback (most recent call last):
...
streda.integrals.angular.AngularError: unknown xi_range 'half'; expected one of: whole, physical
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import flint
import mpmath
import sympy

from .model import ModelError
from .quadrature import _to_mp as _mp

__all__ = ["tensor_angular", "born_self_energy", "AngularError", "NotConverged", "SelfEnergyError",
           "doubling_trapezoid", "XI_RANGES", "MAX_ANGLES", "MAX_MX_ORDER", "MAX_DPS", "GUARD_DIGITS", "ROWS", "COLS"]

XI_RANGES = ("whole", "physical")
#: the largest number of trapezoid angles on [0, π) before the engine refuses
MAX_ANGLES = 2048
#: the highest order in M_x accepted
MAX_MX_ORDER = 8
#: the most digits accepted
MAX_DPS = 200
#: extra working digits on top of the requested ones (doubled while the balls are too wide)
GUARD_DIGITS = 20
#: the first number of trapezoid angles on [0, π)
FIRST_ANGLES = 8
#: offset of the trapezoid nodes, in units of π (no node on a rational-dyadic angle)
NODE_OFFSET = flint.fmpq(1, 7)

ROWS = {"K": ("x", "y", "z"), "sigma": ("x", "y")}
COLS = ("x", "y")
PARTS = ("RA", "RR", "AA")


class AngularError(ValueError):
    """A request the angular engine cannot serve (one line)."""


class NotConverged(AngularError):
    """The trapezoid rule (or the working precision) did not reach the requested digits."""


class SelfEnergyError(AngularError):
    """The Born self-energy of the model is not ∓iγ·1 (a σ part appears)."""


# ---------------------------------------------------------------- the model as polynomials

def _param(point, name: str, default=None):
    try:
        point.model.parameter(name)
    except ModelError:
        return default
    return point[name]


@dataclass(frozen=True)
class _Data:
    """H₀, v_x, v_y, H₁ as {component: {(a, b): exact coefficient of p_x^a p_y^b}}."""

    h: tuple          # 4 dicts (σ0, x, y, z) of H at M_x = 0
    v: dict           # "x"/"y" -> 4 dicts
    h1: tuple         # 4 exact numbers: ∂H/∂M_x
    even: bool        # det(E − H) even in p (then no doubling of the denominator)
    eps: sympy.Expr
    gamma: sympy.Expr
    e: sympy.Expr
    gvec: tuple = (0, 0, 0)   # σ part of the Born broadening: Σ^{R,A} = ∓i(γ + γ_vec·σ)


def _poly_terms(expr, px, py) -> dict:
    poly = sympy.Poly(sympy.expand(expr), px, py)
    return {mon: c for mon, c in poly.terms() if c != 0}


def _data(point, disorder=None) -> _Data:
    from .models import px, py

    model = point.model
    sub = dict(point.subs())      # α_R = √(Δ/m) included: a derived symbol of the model
    mx_sym = None
    try:
        mx_sym = model.parameter("Mx").symbol
    except ModelError:
        pass
    if mx_sym is not None and point["Mx"] != 0:
        raise AngularError(f"Mx={point['Mx']}: the tensors are coefficients of M_x^k at M_x = 0; "
                           "leave Mx out of the parameters")
    if mx_sym is not None:
        sub[mx_sym] = sympy.Symbol("__Mx__")
        mx = sub[mx_sym]
    else:
        mx = None
    comps = [sympy.expand(c.subs(sub)) for c in model.h]
    for c in comps:
        extra = c.free_symbols - {px, py} - ({mx} if mx is not None else set())
        if extra:
            raise AngularError(f"model {model.name!r}: H still depends on {sorted(map(str, extra))} "
                               "after the parameters are set")
    if mx is not None:
        h1 = tuple(sympy.diff(c, mx) for c in comps)
        if any(x.free_symbols for x in h1):
            raise AngularError(f"model {model.name!r}: H is not linear in M_x with a p-independent "
                               "coefficient; the M_x Dyson series needs H = H₀ + M_x H₁")
        comps = [c.subs(mx, 0) for c in comps]
    else:
        h1 = (sympy.Integer(0),) * 4
    h = tuple(_poly_terms(c, px, py) for c in comps)
    if any(not sympy.sympify(x).is_real for t in h for x in t.values()):
        raise AngularError(f"model {model.name!r}: H(p) is not Hermitian (a complex coefficient of σ)")
    v = {"x": tuple(_poly_terms(sympy.diff(c, px), px, py) for c in comps),
         "y": tuple(_poly_terms(sympy.diff(c, py), px, py) for c in comps)}
    E = sympy.Symbol("E")
    det = sympy.expand((E - comps[0]) ** 2 - comps[1] ** 2 - comps[2] ** 2 - comps[3] ** 2)
    even = sympy.expand(det - det.subs({px: -px, py: -py}, simultaneous=True)) == 0
    eps, gamma = point["eps"], point["gamma"]
    if not gamma > 0:
        raise AngularError(f"gamma must be > 0 (got {gamma}): the Born broadening γ = 1/2τ is positive")
    e = _param(point, "e", sympy.Integer(1)) if _param(point, "e") not in (None, 0) else sympy.Integer(1)
    gvec = (0, 0, 0) if disorder is None else tuple(disorder.born(gamma)[1:])
    if gvec[0] != 0 or gvec[1] != 0:
        even = False          # b = h ∓ iγ_vec: the cross term γ_vec·h is odd in p for Rashba-like h
    return _Data(h, v, h1, even, eps, gamma, e, gvec)


# ---------------------------------------------------------------- FLINT helpers

def _arb(x, digits: int) -> flint.arb:
    x = sympy.nsimplify(x) if not isinstance(x, sympy.Basic) else x
    r = sympy.N(x, digits + 10)
    return flint.arb(str(r)) if r != 0 else flint.arb(0)


def _acb(x, digits: int) -> flint.acb:
    x = sympy.sympify(x)
    return flint.acb(_arb(sympy.re(x), digits), _arb(sympy.im(x), digits))


def _from_mp(z) -> flint.acb:
    z = mpmath.mpc(z)
    return flint.acb(flint.arb(mpmath.nstr(z.real, mpmath.mp.dps + 5, strip_zeros=False)),
                     flint.arb(mpmath.nstr(z.imag, mpmath.mp.dps + 5, strip_zeros=False)))


def _rad(z: flint.acb) -> float:
    r = max(float(z.real.rad()), float(z.imag.rad()))
    return r if math.isfinite(r) else math.inf


_I = flint.acb(0, 1)


def _mat_from(comps, scalar=None):
    """2x2 matrix c0 σ0 + c·σ (entries acb or acb_poly); ``scalar`` is added to c0."""
    c0, cx, cy, cz = comps
    if scalar is not None:
        c0 = scalar + c0
    return ((c0 + cz, cx - _I * cy), (cx + _I * cy, c0 - cz))


def _mmul(A, B):
    return ((A[0][0] * B[0][0] + A[0][1] * B[1][0], A[0][0] * B[0][1] + A[0][1] * B[1][1]),
            (A[1][0] * B[0][0] + A[1][1] * B[1][0], A[1][0] * B[0][1] + A[1][1] * B[1][1]))


def _mscale(A, c):
    return tuple(tuple(x * c for x in row) for row in A)


def _trace_with(S, M):
    """Tr[S·M] for 2x2 S, M."""
    return S[0][0] * M[0][0] + S[0][1] * M[1][0] + S[1][0] * M[0][1] + S[1][1] * M[1][1]


_ONE = flint.acb(1)
_SIGMA = {"0": ((_ONE, 0 * _ONE), (0 * _ONE, _ONE)), "x": ((0 * _ONE, _ONE), (_ONE, 0 * _ONE)),
          "y": ((0 * _ONE, -_I), (_I, 0 * _ONE)), "z": ((_ONE, 0 * _ONE), (0 * _ONE, -_ONE))}


def _even_in_u(p: flint.acb_poly) -> flint.acb_poly:
    """P(q) + P(−q) as a polynomial in u = q²."""
    c = p.coeffs()
    return flint.acb_poly([2 * c[j] for j in range(0, len(c), 2)])


def _flip(p: flint.acb_poly) -> flint.acb_poly:
    """P(−q)."""
    return flint.acb_poly([x if j % 2 == 0 else -x for j, x in enumerate(p.coeffs())])


# ---------------------------------------------------------------- one angle

class _Angle:
    """Everything at one angle φ: polynomials in q, poles in u, partial fractions."""

    def __init__(self, num: "_NumData", cphi: flint.arb, sphi: flint.arb):
        self.num = num
        cp = [flint.arb(1)]
        sp = [flint.arb(1)]
        for _ in range(num.degree):
            cp.append(cp[-1] * cphi)
            sp.append(sp[-1] * sphi)

        def qpoly(terms):
            out = [flint.acb(0)] * (num.degree + 1)
            for (a, b), c in terms.items():
                out[a + b] += c * cp[a] * sp[b]
            return flint.acb_poly(out)

        h = [qpoly(t) for t in num.h]
        self.v = {ax: _mat_from([qpoly(t) for t in num.v[ax]]) for ax in COLS}
        self.G = {}
        self.Dq = {}
        for lab, E in (("R", num.ER), ("A", num.EA)):
            a = flint.acb_poly([E]) - h[0]
            # b = h ∓ iγ_vec: the σ part of the Born self-energy Σ^{R,A} = ∓i(γ + γ_vec·σ)
            sg = -_I if lab == "R" else _I
            b = [h[i + 1] + flint.acb_poly([sg * num.gvec[i]]) if num.gvec else h[i + 1] for i in range(3)]
            N = _mat_from((a, b[0], b[1], b[2]))
            D = a * a - b[0] * b[0] - b[1] * b[1] - b[2] * b[2]
            if not num.even:
                Dm = _flip(D)
                N = _mscale(N, Dm)
                D = D * Dm
            Du = flint.acb_poly(D.coeffs()[0::2])
            self.G[lab] = (N, Du)
            self.Dq[lab] = D
        self.poles = {lab: _roots(self.G[lab][1], num.digits) for lab in ("R", "A")}
        self._series: dict = {}

    # -- partial fractions ---------------------------------------------------
    def pole_list(self, nR: int, nA: int):
        """[(x, order, label)] of D_R^nR D_A^nA, and the leading coefficient."""
        out = []
        lead = flint.acb(1)
        for lab, n in (("R", nR), ("A", nA)):
            if n == 0:
                continue
            roots, lc = self.poles[lab]
            lead *= lc ** n
            for x, mult in roots:
                out.append((x, mult * n, lab))
        return out, lead

    def inverse_series(self, nR: int, nA: int, i: int):
        """Taylor coefficients up to h^{A−1} of 1/(lead · Π_{j≠i} (x_i − x_j + h)^{b_j})."""
        key = (nR, nA, i)
        hit = self._series.get(key)
        if hit is not None:
            return hit
        poles, lead = self.pole_list(nR, nA)
        x, A, _ = poles[i]
        ser = [1 / lead] + [flint.acb(0)] * (A - 1)
        for j, (y, b, _) in enumerate(poles):
            if j == i:
                continue
            d = x - y
            inv = 1 / d
            # (d + h)^{-b} = d^{-b} Σ_k (−1)^k C(b+k−1, k) (h/d)^k
            base = inv ** b
            term = [base * ((-1) ** k * math.comb(b + k - 1, k)) * inv ** k for k in range(A)]
            ser = [sum((ser[a] * term[k - a] for a in range(k + 1)), flint.acb(0)) for k in range(A)]
        self._series[key] = ser
        return ser

    def partial_fractions(self, P: flint.acb_poly, nR: int, nA: int) -> list:
        """[(x, label, [c_1, ..., c_A])] for P(u)/(D_R^nR D_A^nA): c_n multiplies (u − x)^{−n}."""
        poles, _ = self.pole_list(nR, nA)
        out = []
        for i, (x, A, lab) in enumerate(poles):
            taylor = []
            d = P
            fact = 1
            for k in range(A):
                taylor.append(d(x) / fact)
                d = d.derivative()
                fact *= k + 1
            U = self.inverse_series(nR, nA, i)
            g = [sum((taylor[a] * U[k - a] for a in range(k + 1)), flint.acb(0)) for k in range(A)]
            out.append((x, lab, [g[A - n] for n in range(1, A + 1)]))
        return out


def _roots(D: flint.acb_poly, digits: int):
    """Distinct roots of D(u) with multiplicities, and the leading coefficient."""
    c = D.coeffs()
    while c and c[-1] == 0:
        c.pop()
    if len(c) < 2:
        raise AngularError("det(E − H) does not depend on p: no Fermi surface")
    with mpmath.workdps(digits + 10):
        coeffs = [_mp(x) for x in reversed(c)]
        try:
            roots, err = mpmath.polyroots(coeffs, maxsteps=200, extraprec=4 * digits, error=True)
        except mpmath.libmp.NoConvergence:
            raise NotConverged("the poles in ξ (roots of det(E − H)) did not converge") from None
        scale = max(abs(x) for x in coeffs)
        tol = mpmath.mpf(10) ** (-(digits // 2))
        groups: list = []
        for r in roots:
            if not isinstance(r, mpmath.mpc):
                r = mpmath.mpc(r)
            for g in groups:
                if abs(g[0] - r) < tol * (1 + abs(r)):
                    g[1] += 1
                    break
            else:
                groups.append([r, 1])
        for r, _ in groups:
            res = abs(mpmath.polyval(coeffs, r))
            size = sum(abs(x) * abs(r) ** k for k, x in enumerate(reversed(coeffs)))
            if res > size * mpmath.mpf(10) ** (-(digits // 2)) + scale * mpmath.mpf(10) ** (-digits):
                raise NotConverged("a pole in ξ (root of det(E − H)) failed its residual check")
        out = [(_from_mp(r), m) for r, m in groups]
    return out, c[-1]


@dataclass
class _NumData:
    h: list
    v: dict
    h1: tuple
    even: bool
    ER: flint.acb
    EA: flint.acb
    degree: int
    digits: int
    gvec: tuple = ()      # (γ_x, γ_y, γ_z) as acb


def _numeric(data: _Data, digits: int) -> _NumData:
    conv = lambda terms: {k: _acb(c, digits) for k, c in terms.items()}  # noqa: E731
    h = [conv(t) for t in data.h]
    v = {ax: [conv(t) for t in data.v[ax]] for ax in COLS}
    deg = max([sum(k) for t in data.h for k in t] + [1])
    eps, gam = _arb(data.eps, digits), _arb(data.gamma, digits)
    return _NumData(h, v, tuple(_acb(x, digits) for x in data.h1), data.even,
                    flint.acb(eps, gam), flint.acb(eps, -gam), deg, digits,
                    tuple(_acb(g, digits) for g in data.gvec))


# ---------------------------------------------------------------- per-angle integrals

def _prescribe(tables, xi_range: str):
    """∫ du of Σ partial fractions: whole axis (residues + arc) or u ≥ 0 (endpoint terms)."""
    total1 = flint.acb(0)
    val = flint.acb(0)
    pi = flint.arb.pi()
    scale = 0.0
    for x, lab, c in tables:
        total1 += c[0]
        scale = max(scale, float(abs(c[0]).mid()))
        if xi_range == "whole":
            if float(x.imag.mid()) > 0:
                val += 2 * pi * _I * c[0]
        else:
            mx = -x
            val -= c[0] * mx.log()
            p = flint.acb(1)
            for n in range(2, len(c) + 1):
                p *= mx
                val += c[n - 1] / ((n - 1) * p)
    if xi_range == "whole":
        val -= pi * _I * total1
    elif abs(total1).mid() > 1e-8 * max(scale, 1e-300) and float(abs(total1).mid()) > 0:
        raise AngularError("the integrand decays like 1/ξ: its integral over ξ ≥ 0 diverges")
    return val


def _pole_side_check(ang: _Angle, xi_range: str) -> None:
    for lab in ("R", "A"):
        for x, _ in ang.poles[lab][0]:
            if xi_range == "whole" and abs(float(x.imag.mid())) < 1e-30:
                raise AngularError("a pole of G lies on the real ξ axis (γ too small for the precision)")
            if xi_range == "physical" and abs(float(x.imag.mid())) < 1e-30 and float(x.real.mid()) >= 0:
                raise AngularError("a pole of G lies on ξ ≥ 0 (γ too small for the precision)")


def _angle_values(kind: str, num: _NumData, mx_order: int, xi_range: str, cphi, sphi) -> dict:
    """{(k, entry): ∫ du g} (2RA − RR − AA combined) and {("born", a): ∫ du of G^R} at one φ."""
    ang = _Angle(num, cphi, sphi)
    _pole_side_check(ang, xi_range)
    H1 = _mat_from(num.h1)
    zero_h1 = all(x == 0 for x in num.h1)
    kmax = 0 if zero_h1 else mx_order
    L = {}
    for lab in ("R", "A"):
        N, _ = ang.G[lab]
        chain = [N]
        HN = _mmul(H1, N)
        for _ in range(kmax):
            chain.append(_mmul(chain[-1], HN))
        L[lab] = chain
    Dpow = {lab: [flint.acb_poly([1])] for lab in ("R", "A")}
    for lab in ("R", "A"):
        for _ in range(kmax + 1):
            Dpow[lab].append(Dpow[lab][-1] * ang.Dq[lab])
    outs = {"K": [_SIGMA[a] for a in ROWS["K"]], "sigma": [ang.v[a] for a in ROWS["sigma"]]}[kind]
    out = {}
    for k in range(mx_order + 1):
        for col in COLS:
            if k > kmax:
                for row in ROWS[kind]:
                    out[(k, row + col)] = flint.acb(0)
                continue
            v = ang.v[col]
            nums = {}
            for part in PARTS:
                left, right = part[0], part[1]
                acc = None
                for k1 in range(k + 1):
                    k2 = k - k1
                    M = _mmul(_mmul(L[left][k1], v), L[right][k2])
                    if part == "RA":
                        # bring D_R^{k1+1} D_A^{k2+1} to D_R^{k+1} D_A^{k+1}
                        fac = Dpow["R"][k2] * Dpow["A"][k1]
                        M = _mscale(M, fac)
                    acc = M if acc is None else tuple(tuple(a + b for a, b in zip(r1, r2))
                                                      for r1, r2 in zip(acc, M))
                nums[part] = acc
            for row, S in zip(ROWS[kind], outs):
                tables = []
                for part, w in (("RA", 2), ("RR", -1), ("AA", -1)):
                    P = _even_in_u(_trace_with(S, nums[part]))
                    if part == "RA":
                        nR = nA = k + 1
                    elif part == "RR":
                        nR, nA = k + 2, 0
                    else:
                        nR, nA = 0, k + 2
                    for x, lab, c in ang.partial_fractions(P, nR, nA):
                        tables.append((x, lab, [w * y for y in c]))
                out[(k, row + col)] = _prescribe(_merge(tables), xi_range)
    # Born self-energy (per unit W), whole axis: (1/2) Tr[σ_a G^R]
    NR, _ = ang.G["R"]
    for a in ("0", "x", "y", "z"):
        P = _even_in_u(_trace_with(_SIGMA[a], NR))
        tab = ang.partial_fractions(P, 1, 0)
        out[("born", a)] = _prescribe(tab, "whole") / 2
    return out


def _merge(tables):
    """Sum partial-fraction tables that share a pole (same label and position)."""
    merged: dict = {}
    order = []
    for x, lab, c in tables:
        key = (lab, str(x.mid()))
        if key not in merged:
            merged[key] = [x, lab, list(c)]
            order.append(key)
        else:
            old = merged[key][2]
            n = max(len(old), len(c))
            merged[key][2] = [(old[i] if i < len(old) else 0) + (c[i] if i < len(c) else 0)
                              for i in range(n)]
    return [tuple(merged[k]) for k in order]


# ---------------------------------------------------------------- trapezoid in φ

def _check_args(kind, mx_order, dps, xi_range, disorder):
    if kind not in ROWS:
        raise AngularError(f"unknown tensor {kind!r}; expected K or sigma")
    if not isinstance(mx_order, int) or isinstance(mx_order, bool) or not 0 <= mx_order <= MAX_MX_ORDER:
        raise AngularError(f"mx_order must be an integer 0..{MAX_MX_ORDER}, not {mx_order!r}")
    if not isinstance(dps, int) or isinstance(dps, bool) or not 5 <= dps <= MAX_DPS:
        raise AngularError(f"dps must be an integer 5..{MAX_DPS}, not {dps!r}")
    if xi_range not in XI_RANGES:
        raise AngularError(f"unknown xi_range {xi_range!r}; expected one of: {', '.join(XI_RANGES)}")
    from .disorder import Disorder

    if disorder is not None and not isinstance(disorder, Disorder):
        raise AngularError(f"disorder must be None or a Disorder, not {disorder!r}")


def doubling_trapezoid(values_at, converged, failure: str, progress=None):
    """The trapezoid rule in φ over the half period (φ and φ + π are paired by the callers),
    on FIRST_ANGLES nodes offset by NODE_OFFSET·π, doubled (old nodes kept, the odd new ones
    added) until ``converged(previous_means, means)`` holds; returns (means, N).

    ``values_at(cos φ, sin φ)`` gives {key: acb} at one node; the means are the node sums / N.
    Past :data:`MAX_ANGLES` it raises :class:`NotConverged` with the message ``failure``
    formatted with ``n`` (the angles used).  The one rule of the angle route: the tensors of
    this module and :mod:`streda.integrals.angular_vertex` (P^(n), ladder integrals) use it.
    """
    sums: dict = {}
    n = FIRST_ANGLES
    nodes = [flint.fmpq(j, n) for j in range(n)]
    prev = None
    while True:
        for t in nodes:
            ang = (flint.arb(NODE_OFFSET + t)) * flint.arb.pi()
            for key, val in values_at(ang.cos(), ang.sin()).items():
                sums[key] = sums.get(key, flint.acb(0)) + val
        means = {key: val / n for key, val in sums.items()}
        if prev is not None and converged(prev, means):
            return means, n
        if 2 * n > MAX_ANGLES:
            raise NotConverged(failure.format(n=n))
        prev = means
        nodes = [flint.fmpq(2 * j + 1, 2 * n) for j in range(n)]
        n *= 2
        if progress is not None:
            progress(n)


def _trapezoid(kind, data, mx_order, dps, xi_range, digits, progress=None):
    """{key: mean over the nodes} with N doubled until N and 2N agree; returns (values, N)."""
    num = _numeric(data, digits)

    def converged(prev, means):
        if _agree(prev, means, dps, mx_order):
            return True
        if not _resolved(means, dps, mx_order):
            raise _NeedPrecision()   # the nodes disagree because of rounding, not truncation
        return False

    return doubling_trapezoid(
        lambda c, s: _angle_values(kind, num, mx_order, xi_range, c, s), converged,
        f"the trapezoid rule in φ did not reach {dps} digits with {{n}} angles (limit {MAX_ANGLES}); "
        "γ may be too small for this point", progress)


def _scales(vals: dict, dps: int) -> dict:
    per = {}
    for key, v in vals.items():
        grp = key[0] if key[0] != "born" else "born"
        per[grp] = max(per.get(grp, 0.0), float(abs(v).mid()))
    overall = max([x for g, x in per.items() if g != "born"] + [0.0])
    # an order whose entries are all below 10^-dps of the whole tensor is measured
    # against the whole tensor (it is numerically zero), as numeric_tensor does
    return {g: (x if g == "born" or x > overall * 10.0 ** (-dps) else overall) for g, x in per.items()}


def _agree(a: dict, b: dict, dps: int, mx_order: int) -> bool:
    sc = _scales(b, dps)
    tol = 10.0 ** (-dps - 2)
    for key in b:
        s = sc[key[0] if key[0] != "born" else "born"]
        if float(abs(a[key] - b[key]).mid()) > tol * s:
            return False
    return True


def _resolved(vals: dict, dps: int, mx_order: int) -> bool:
    sc = _scales(vals, dps)
    for key, v in vals.items():
        s = sc[key[0] if key[0] != "born" else "born"]
        if _rad(v) > 10.0 ** (-dps - 2) * s:
            return False
    return True


class _NeedPrecision(Exception):
    pass


@lru_cache(maxsize=32)
def _cached(kind, point, mx_order, dps, xi_range, disorder=None):
    data = _data(point, disorder)
    digits = dps + GUARD_DIGITS + 2 * mx_order
    for _ in range(4):
        with flint.ctx.workprec(int(digits * 3.33) + 10):
            try:
                means, n = _trapezoid(kind, data, mx_order, dps, xi_range, digits)
            except _NeedPrecision:
                digits *= 2
                continue
            if _resolved(means, dps, mx_order):
                return data, means, n
        digits *= 2
    raise NotConverged(f"rounding errors stayed above {dps} digits up to {digits // 2} working digits")


def born_self_energy(point, dps: int = 30) -> dict:
    """Σ^R of scalar white noise (whole ξ axis), normalised so that Σ₀ = −iγ: {"0","x","y","z"}.

    Σ^R = W ∫ d²p/(2π)² G^R; W is the real number with Σ₀ = −iγ.  A non-zero
    σ part means the model's Born self-energy is not ∓iγ·1.

    >>> from streda.integrals.models import get_model
    >>> S = born_self_energy(get_model("rashba+dresselhaus").point(), 15)
    >>> mpmath.nstr(S["0"], 10), [mpmath.nstr(abs(S[a]), 3) for a in "xyz"]
    ('(0.0 - 0.1j)', ['0.0', '0.0', '0.0'])
    >>> mpmath.nstr(abs(born_self_energy(get_model("dirac").point(), 15)["z"]), 6)   # γ|m/E|, E = 2 + i/100
    '0.00499994'
    """
    _check_args("K", 0, dps, "whole", None)
    _, means, _ = _cached("K", point, 0, dps, "whole")
    return _born(means, dps, _data(point))


def _born(means, dps, data) -> dict:
    s0 = means[("born", "0")]
    with mpmath.workdps(dps):
        gam = mpmath.mpf(sympy.N(data.gamma, dps + 5))
        fac = -1j * gam / _mp(s0)
        out = {a: +(fac * _mp(means[("born", a)])) for a in ("0", "x", "y", "z")}
        return {a: mpmath.chop(v, mpmath.mpf(10) ** (-dps) * gam) for a, v in out.items()}


def tensor_angular(kind: str, point, mx_order: int, dps: int, xi_range: str = "whole",
                   disorder=None) -> dict:
    """Bare K (Eq. 9) or σ (Eq. 13) of any two-band model, order by order in M_x.

    ``disorder``: ``None`` (scalar white noise) or a :class:`~streda.integrals.disorder.Disorder`
    whose Born self-energy ∓i(γ + γ_vec·σ) enters G exactly (any u, in-plane included).

    Returns ``{k: {"xx": mpc, "xy": ..., ...}}``: the coefficient of M_x^k of every entry
    (rows x, y, z for K, x, y for σ; columns x, y), with all prefactors (e/8π, e²/4π),
    resolved to ``dps`` digits relative to the largest entry of its order (a real or
    imaginary part below 10^−(dps+2) times that entry is returned as 0: numerically zero
    at that tolerance, not an exact zero).  Raises
    :class:`AngularError` (a ValueError, one line) for bad input, :class:`NotConverged` if
    the trapezoid rule or the precision does not reach ``dps`` digits, and
    :class:`SelfEnergyError` if the model's Born self-energy has a σ part.
    """
    _check_args(kind, mx_order, dps, xi_range, disorder)
    dis = None if disorder is None or not disorder.spin_dependent else disorder
    data, means, _ = _cached(kind, point, mx_order, dps, xi_range, dis)
    born = _born(means, dps, data)
    worst = max(abs(born[a]) for a in "xyz")
    if worst > 0:
        ratio = mpmath.nstr(worst / abs(born['0']), 3)
        if dis is None:
            raise SelfEnergyError(
                f"model {point.model.name!r}: the Born self-energy of scalar white noise has a σ part "
                f"(|Σ_σ|/γ = {ratio}); the bare engine assumes Σ = ∓iγ·1")
        # Σ^R = α_d0 Σ W_ab σ_a [∫G^R] σ_b is the assumed ∓i(γ + γ_vec·σ) only if ∫G^R is scalar
        raise SelfEnergyError(
            f"model {point.model.name!r}: ∫G^R has a σ part (|Σ_σ|/γ = {ratio}); the bare engine assumes "
            "the Born self-energy of the correlator, Σ = ∓i(γ + γ_vec·σ), which needs a scalar ∫G^R")
    with mpmath.workdps(dps + 5):
        e = mpmath.mpf(sympy.N(data.e, dps + 10))
        pref = (e / (8 * mpmath.pi) if kind == "K" else e ** 2 / (4 * mpmath.pi)) / (8 * mpmath.pi)
        out = {}
        for k in range(mx_order + 1):
            out[k] = {}
            for row in ROWS[kind]:
                for col in COLS:
                    out[k][row + col] = pref * _mp(means[(k, row + col)])
    return chop_orders(out, dps)


def chop_orders(out: dict, dps: int) -> dict:
    """{order: {entry: value}} rounded to ``dps`` digits, with parts below the resolution of
    their order (or of the whole tensor) set to numerically zero (NOT an exact zero)."""
    with mpmath.workdps(dps):
        res = {}
        overall = max(abs(v) for ent in out.values() for v in ent.values())
        for k, ent in out.items():
            scale = max(abs(v) for v in ent.values())
            scale = scale if scale > overall * mpmath.mpf(10) ** (-dps) else overall
            res[k] = {key: mpmath.chop(+v, mpmath.mpf(10) ** (-dps - 2) * scale) for key, v in ent.items()}
        return res

