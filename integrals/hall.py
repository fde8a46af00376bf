"""The anomalous Hall conductivity σ_xy of a two-band model at leading order in the disorder.

Kubo–Středa (Crépieux and Bruno 2001), ħ = 1, units of e²/h = e²/2π:

    σ^I  = ½ ⟨Tr[2 Γ_x G^R v_y G^A − v_x G^R v_y G^R − v_x G^A v_y G^A]⟩      (Fermi surface)
    σ^II = ¼ ∫^ε dε' ⟨Tr[v_x G^R v_y ∂G^R − v_x ∂G^R v_y G^R − (R → A)]⟩     (Fermi sea)

with ⟨…⟩ = ∫d²p/(2π)², velocities v = ∂H/∂p from the :class:`~streda.integrals.models.Model`,
scalar white-noise disorder ⟨V V⟩ = W δ(r − r'), and Γ_x the ladder-dressed vertex
Γ_x = v_x + W ⟨G^R Γ_x G^A⟩ (the RR and AA vertex corrections are O(W) and dropped).

The Born self-energy comes from the correlator: Σ^R = W⟨G^R⟩, whose on-shell part
Σ^R = −iπW ⟨δ(ε − H)⟩ = −i w (1 + s_z σ_z) is computed exactly for the model (for the massive
Dirac model s_z = m/ε; for the Rashba ferromagnet with both subbands occupied s_z = 0).  Its
real part renormalises ε and the mass and is absorbed in them.

**Leading order.**  Every momentum integral is done exactly in w: the angle average is the
z⁰ Laurent coefficient (z = e^{iφ}), the radial integral over x = p² ∈ [0, ∞) is a sum of
partial fractions over the poles r_i(w) of G^R and G^A, whose positions are exact power
series in w (Newton iteration); logarithms log(−r_i(w)) are expanded about the clean pole
with the branch fixed by the side to which the pole moves for w > 0.  σ_xy is then a
:class:`~streda.integrals.laurent.Laurent` series in w with exact coefficients, and its
w⁰ coefficient is the result (its w⁻¹ coefficient is checked to vanish).  The Fermi sea
term σ^II is taken in the clean limit (it involves only RR and AA products, smooth in w),
as is the intrinsic part: the Berry curvature of the occupied states (TKNN).

>>> from streda.integrals.models import get_model
>>> r = hall_conductivity(get_model("dirac"), get_model("dirac").point("eps=2,m=1"))
>>> r.sigma_xy                  # − 4εm(ε² + m²)/(ε² + 3m²)² at ε = 2m, found by the engine
-40/49
>>> r.parts["intrinsic"], r.parts["fermi_sea"]
(-1/4, 0)
>>> hall_conductivity(get_model("dirac"), get_model("dirac").point("eps=1/2,m=1")).sigma_xy
-1/2
"""
from __future__ import annotations

from dataclasses import dataclass, field
from math import factorial

import sympy

from .laurent import Laurent, from_rational, simplify_coeff
from .model import ModelError
from .models import Model, ModelPoint, get_model, px, py

__all__ = ["HallResult", "hall_conductivity", "self_energy_onshell", "IsotropicPoint",
           "isotropic_point", "DIAGRAM_SETS", "CROSSED_MODELS", "w", "x"]

w = sympy.Symbol("w", positive=True)      # on-shell broadening scale: Σ^R = −iw(1 + s_z σ_z)
x = sympy.Symbol("x", positive=True)      # x = p²
_z = sympy.Symbol("z")                    # e^{iφ}
_p = sympy.Symbol("p", positive=True)
_L = sympy.Symbol("log_Lambda")           # log of an upper cut-off; must cancel

#: the diagram sets ``hall_conductivity`` knows; ``"ladder+crossed"`` adds the X and Ψ
#: diagrams (issue 10: :mod:`streda.integrals.crossed` for dirac,
#: :mod:`streda.integrals.crossed_rashba` for rashba)
DIAGRAM_SETS = ("ladder", "ladder+crossed")
#: the models whose crossed diagrams are evaluated
CROSSED_MODELS = ("dirac", "rashba")
#: outer quadrature step of the rashba crossed diagrams (θ; φ uses RASHBA_CROSSED_STEP/2);
#: the stated error is the change against twice the step
RASHBA_CROSSED_STEP = 1 / 4

_PAULI = (sympy.eye(2), sympy.Matrix([[0, 1], [1, 0]]),
          sympy.Matrix([[0, -sympy.I], [sympy.I, 0]]), sympy.Matrix([[1, 0], [0, -1]]))


# ------------------------------------------------------------------------------------
# the model at a point, in the isotropic form the exact integrals need
# ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class IsotropicPoint:
    """H(p) = h₀(x) + h_x σ_x + h_y σ_y + h_z(x) σ_z at one parameter point, with
    h_x² + h_y² = hp2(x) and h₀, h_z functions of x = p² only (checked)."""

    model: Model
    point: ModelPoint
    eps: sympy.Expr
    h: tuple            # (h0, hx, hy, hz) in p_x, p_y, numbers substituted
    h0: sympy.Expr      # of x
    hp2: sympy.Expr     # of x
    hz: sympy.Expr      # of x
    vx: sympy.Matrix
    vy: sympy.Matrix


def _to_polar(expr):
    return sympy.expand(sympy.sympify(expr).subs({px: _p * (_z + 1 / _z) / 2,
                                                  py: _p * (_z - 1 / _z) / (2 * sympy.I)},
                                                 simultaneous=True))


def _angle_avg(expr):
    """(1/2π)∫dφ of a polynomial in p_x, p_y: the z⁰ coefficient, then p² → x."""
    e = _to_polar(expr)
    out = sympy.Integer(0)
    for term in sympy.Add.make_args(e):
        c, k = term.as_coeff_exponent(_z)
        if k == 0:
            out += c
    out = sympy.expand(out)
    if out.has(_p):
        out = sympy.expand(out.subs(_p, sympy.sqrt(x)))
        if out.has(sympy.sqrt(x)) or any(a.exp.is_Rational and not a.exp.is_Integer
                                         for a in out.atoms(sympy.Pow) if a.base == x):
            raise ModelError("angle average left odd powers of |p|: not an isotropic two-band model")
    return out


def _isotropic(expr, what: str, point: ModelPoint):
    e = _to_polar(expr)
    if e.has(_z):
        raise ModelError(f"model {point.model.name!r} at this point lacks the capability "
                         f"'isotropic spectrum' needed by hall ({what} depends on the direction of p)")
    return sympy.expand(e.subs(_p, sympy.sqrt(x)))


def isotropic_point(model: "str | Model", point: "ModelPoint | str | None" = None) -> IsotropicPoint:
    """Substitute the parameter point and check that the spectrum is isotropic."""
    model = get_model(model)
    if not isinstance(point, ModelPoint):
        point = model.point(point)
    s = point.subs()      # α_R = √(Δ/m) included: a derived symbol of the model
    h = tuple(c.subs(s) for c in model.h)
    h0 = _isotropic(h[0], "h_0", point)
    hz = _isotropic(h[3], "h_z", point)
    hp2 = _isotropic(h[1] ** 2 + h[2] ** 2, "h_x^2 + h_y^2", point)
    for c, name in ((h[1], "h_x"), (h[2], "h_y")):
        if sympy.expand(c).subs({px: 0, py: 0}) != 0:
            raise ModelError(f"model {model.name!r} at this point lacks the capability 'isotropic spectrum' "
                             f"needed by hall (an in-plane field shifts {name})")
    vx = model.velocity("x").subs(s)
    vy = model.velocity("y").subs(s)
    return IsotropicPoint(model, point, point["eps"], h, h0, hp2, hz, vx, vy)


# ------------------------------------------------------------------------------------
# clean spectrum, Fermi surface and the on-shell self-energy
# ------------------------------------------------------------------------------------
def _clean_D(ip: IsotropicPoint):
    return sympy.expand((ip.eps - ip.h0) ** 2 - ip.hp2 - ip.hz ** 2)


def _fermi_roots(ip: IsotropicPoint) -> list[tuple]:
    """[(x_k, band n = ±1, |dE_n/dx| at x_k, |h| at x_k)] for the Fermi circles x_k > 0."""
    D = sympy.Poly(_clean_D(ip), x)
    out = []
    for r, mult in sympy.roots(D).items():
        r = sympy.nsimplify(r) if r.is_number and r.is_rational is False and False else r
        if not (r.is_real and r.is_number):
            continue
        if r.is_zero:
            raise ModelError("the Fermi energy is at a band edge (p_F = 0): the leading order is singular there")
        if r.is_negative:
            continue
        if mult != 1:
            raise ModelError("the Fermi energy is at a band touching or extremum: refused")
        diff = sympy.simplify((ip.eps - ip.h0).subs(x, r))
        if diff == 0:
            raise ModelError("the Fermi energy is at a degeneracy point |h| = 0: refused")
        n = 1 if diff.is_positive else -1
        habs = n * diff                     # on the Fermi circle ε − h₀ = n|h|: no nested radicals
        dE = (sympy.diff(ip.h0, x) + n * sympy.diff(ip.hp2 + ip.hz ** 2, x) / (2 * habs)).subs(x, r)
        dE = sympy.radsimp(sympy.Abs(sympy.radsimp(sympy.expand(dE))))
        out.append((r, n, dE, habs))
    return out


def self_energy_onshell(ip: IsotropicPoint):
    """(ρ₀, ρ_z) with ⟨δ(ε − H)⟩ = ρ₀ + ρ_z σ_z (angle averaged, per unit area); exact.

    Σ^R = −iπW(ρ₀ + ρ_z σ_z) is the on-shell Born self-energy of white noise W.

    >>> ip = isotropic_point("dirac", "eps=2,m=1,v=1")
    >>> self_energy_onshell(ip)               # ε/4πv² (1 + (m/ε) σ_z)
    (1/(2*pi), 1/(4*pi))
    """
    rho0 = rhoz = sympy.Integer(0)
    for r, n, dE, habs in _fermi_roots(ip):
        weight = 1 / (4 * sympy.pi * dE)           # ∫d²p/(2π)² = (1/4π)∫dx (1/2π)∫dφ
        rho0 += weight / 2
        rhoz += weight * n * ip.hz.subs(x, r) / habs / 2
    return sympy.radsimp(sympy.expand(rho0)), sympy.radsimp(sympy.expand(rhoz))


# ------------------------------------------------------------------------------------
# exact radial integrals as Laurent series in w
# ------------------------------------------------------------------------------------
class _Radial:
    """∫₀^∞ dx N(x, w) / (D_R^a D_A^b) as Laurent series in w (see module docstring)."""

    def __init__(self, ip: IsotropicPoint, sz, top: int):
        self.top = top
        a0 = ip.eps - ip.h0 + sympy.I * w
        DR = sympy.expand(a0 ** 2 - ip.hp2 - (ip.hz - sympy.I * w * sz) ** 2)
        P = sympy.Poly(DR, x)
        self.deg = P.degree()
        if self.deg < 1:
            raise ModelError("the spectrum does not depend on |p|: no radial integral")
        self.lc = P.LC()
        if self.lc.has(w):
            raise ModelError("leading coefficient of the pole polynomial depends on w: unsupported model")
        clean = sympy.Poly(DR.subs(w, 0), x)
        roots = sympy.roots(clean)
        if sum(roots.values()) != self.deg or any(m != 1 for m in roots.values()):
            raise ModelError("the poles of G are degenerate at this point (band edge or touching): refused")
        self.DR = DR
        self.R = [sympy.Symbol(f"rR{i}") for i in range(self.deg)]
        self.A = [sympy.Symbol(f"rA{i}") for i in range(self.deg)]
        self.series = {w: Laurent({1: sympy.Integer(1)}, top + 3)}
        self.logs = {}
        self.log_symbols = {}
        for i, r0 in enumerate(roots):
            r0 = simplify_coeff(r0)
            if r0 == 0:
                raise ModelError("a pole of G sits at p = 0: the Fermi energy is at a band edge")
            sR = self._root_series(DR, r0, top + 3)
            sA = sR.map(lambda c: c)  # placeholder, replaced below
            sA = Laurent({k: c * (-1) ** k for k, c in sR.coeffs.items()}, sR.top)   # r_A(w) = r_R(−w)
            self.series[self.R[i]] = sR
            self.series[self.A[i]] = sA
            self.logs[self.R[i]] = self._log_series(sR, r0, i, "R")
            self.logs[self.A[i]] = self._log_series(sA, r0, i, "A")

    def _root_series(self, DR, r0, top):
        """The root r(w) of D_R(x, w) with r(0) = r0, by Newton iteration on series."""
        P = sympy.Poly(DR, x, w)
        dP = P.diff(x)

        def ev(poly, r):
            out = Laurent({}, top)
            for (i, j), c in zip(poly.monoms(), poly.coeffs()):
                out = out + (r ** i) * Laurent({j: c}, top) if i else out + Laurent({j: c}, top)
            return out

        r = Laurent({0: r0}, top)
        for _ in range(top + 2):
            f = ev(P, r)
            if f.is_zero():
                break
            r = r - f / ev(dP, r)
        return r

    def _log_series(self, s: Laurent, r0, i: int, side: str) -> Laurent:
        """log(−r(w)) for w > 0 as a series (branch fixed by the side r moves to)."""
        rest = Laurent({k: c / r0 for k, c in s.coeffs.items() if k != 0}, s.top)
        if r0.is_real:
            sym = self.log_symbols.setdefault(i, (sympy.Symbol(f"ell{i}"), sympy.log(sympy.Abs(r0))))[0]
            if r0.is_negative:
                base = sym
            else:
                im1 = sympy.im(sympy.expand_complex(s[1]))
                if im1 == 0:
                    raise ModelError("a pole of G does not leave the real axis at first order in w: refused")
                base = sym - sympy.I * sympy.pi if im1.is_positive else sym + sympy.I * sympy.pi
        else:
            base = sympy.log(-r0)
        return Laurent.const(base, s.top) + rest.log1p()

    def integral(self, N, a: int, b: int) -> Laurent:
        N = sympy.expand(N)
        poles = [(r, a) for r in self.R if a] + [(r, b) for r in self.A if b]
        total = (a + b) * self.deg
        degN = sympy.Poly(N, x).degree() if N.has(x) else (0 if N != 0 else -1)
        if degN < 0:
            return Laurent({}, self.top)
        if degN >= total:
            raise ModelError("a momentum integral of the Hall bubble diverges like a power of the cut-off")
        f = N / self.lc ** (a + b)
        for r, k in poles:
            f = f / (x - r) ** k
        result = sympy.Integer(0)
        c1 = {}
        for r, k in poles:
            g = sympy.cancel(f * (x - r) ** k)
            for j in range(k, 0, -1):
                cj = sympy.diff(g, x, k - j).subs(x, r) / factorial(k - j)
                if j == 1:
                    c1[r] = cj
                else:
                    result += cj * (-r) ** (1 - j) / (j - 1)
        out = from_rational(sympy.together(result), self.series, self.top) if result != 0 else Laurent({}, self.top)
        csum = Laurent({}, self.top)
        for r, cj in c1.items():
            cs = from_rational(sympy.together(cj), self.series, self.top)
            out = out - cs * self.logs[r]
            csum = csum + cs
        if not csum.is_zero():      # a log-divergent piece: keep log Λ, it must cancel in σ_xy
            out = out + csum * _L
        return out


# ------------------------------------------------------------------------------------
# the conductivity
# ------------------------------------------------------------------------------------
@dataclass
class HallResult:
    """σ_xy (units e²/h) and its parts, exact sympy numbers."""

    model: str
    params: dict
    diagrams: str
    sigma_xy: sympy.Expr
    parts: dict = field(default_factory=dict)
    self_energy: tuple = ()
    notes: list = field(default_factory=list)

    def to_json(self, dps: int = 30) -> dict:
        def num(e):
            v = sympy.N(e, dps)
            re, im = (sympy.re(v), sympy.im(v))
            return [sympy.sstr(sympy.N(re, dps)), sympy.sstr(sympy.N(im, dps))]

        return {"sigma_xy": num(self.sigma_xy), "units": "e^2/h", "model": self.model,
                "params": self.params, "diagrams": self.diagrams, "order": "gamma^0 (leading)",
                "exact": {"sigma_xy": sympy.sstr(self.sigma_xy),
                          **{k: sympy.sstr(v) for k, v in self.parts.items()}},
                "parts": {k: num(v) for k, v in self.parts.items()},
                "self_energy": {"rho0": sympy.sstr(self.self_energy[0]),
                                "rhoz": sympy.sstr(self.self_energy[1])} if self.self_energy else {},
                "notes": list(self.notes)}


def _pauli_components(M: sympy.Matrix):
    return [sympy.expand((s * M).trace() / 2) for s in _PAULI]


def _from_components(c) -> sympy.Matrix:
    return sum((ci * s for ci, s in zip(c, _PAULI)), sympy.zeros(2, 2))


def _final(s: Laurent, what: str):
    if s.top < 0:
        raise ModelError(f"{what}: not enough orders in w were kept (internal)")
    if any(k < 0 for k in s.coeffs):
        raise ModelError(f"{what}: the w^-1 term does not vanish; the leading order is not gamma^0 here")
    return s[0]


def _clean_log(e, ip_logs: dict):
    e = e.subs({sym: val for sym, val in ip_logs.values()})
    if e.has(_L):
        raise ModelError("a logarithmic UV divergence does not cancel in sigma_xy")
    return sympy.nsimplify(sympy.radsimp(sympy.expand(e))) if False else sympy.radsimp(sympy.expand(e))


def fermi_surface(ip: IsotropicPoint, vertex: str = "ladder", top: int = 2) -> dict:
    """σ^I of the module docstring as Laurent series in w: {"bare": …, "ladder": …} (e²/h).

    ``vertex="ladder-reversed"`` is a negative control only: it dresses the vertex with the
    propagators in the wrong order, Γ = v + W⟨G^R Γ G^A⟩, and must *not* reproduce σ_xy.
    """
    if vertex not in ("bare", "ladder", "ladder-reversed"):
        raise ModelError(f"unknown vertex {vertex!r}")
    rho0, rhoz = self_energy_onshell(ip)
    sz = sympy.radsimp(rhoz / rho0)
    # Σ^R = −iπWρ₀(1 + s_zσ_z) = −iw(…): the white-noise strength W = w/(πρ₀), a series in w
    W = Laurent({1: sympy.radsimp(1 / (sympy.pi * rho0))}, top + 4)
    rad = _Radial(ip, sz, top)
    a0 = ip.eps - ip.h[0] + sympy.I * w
    b = (ip.h[1], ip.h[2], ip.h[3] - sympy.I * w * sz)
    GR = _from_components((a0,) + b)                # numerator of G^R; denominator D_R
    GA = GR.subs(w, -w)
    meas = 1 / (4 * sympy.pi)

    def RA(Aop, Bop):
        return rad.integral(_angle_avg((Aop * GR * Bop * GA).trace()), 1, 1) * meas

    def AR(Aop, Bop):
        return rad.integral(_angle_avg((Aop * GA * Bop * GR).trace()), 1, 1) * meas

    def RR(Aop, Bop, side):
        G = GR if side == "R" else GA
        ab = (2, 0) if side == "R" else (0, 2)
        return rad.integral(_angle_avg((Aop * G * Bop * G).trace()), *ab) * meas

    bare_RA = RA(ip.vx, ip.vy)
    rr = RR(ip.vx, ip.vy, "R")
    aa = RR(ip.vx, ip.vy, "A")
    out = {"bare": (bare_RA * 2 - rr - aa) * sympy.Rational(1, 2)}
    if vertex in ("ladder", "ladder-reversed"):
        rung = RA if vertex == "ladder-reversed" else AR      # the control's wrong order
        # In Tr[Γ_x G^R v_y G^A] the vertex Γ_x stands between G^A (cyclically to its left)
        # and G^R: Γ_x = v_x + W⟨G^A Γ_x G^R⟩.  With δ = Σ_μ d_μ σ_μ: (1 − K) d = u.
        def numer(Aop, Bop):
            return _angle_avg((Aop * GA * Bop * GR).trace()) if vertex == "ladder" else \
                _angle_avg((Aop * GR * Bop * GA).trace())

        # isotropy decouples (σ₀, σ_z) from (σ_x, σ_y) and the velocity has no σ₀, σ_z
        # correction: the angle averages vanish identically (checked, exact)
        for m in (0, 3):
            if numer(_PAULI[m], ip.vx) != 0 or any(numer(_PAULI[m], _PAULI[n]) != 0 or
                                                    numer(_PAULI[n], _PAULI[m]) != 0 for n in (1, 2)):
                raise ModelError("the ladder does not decouple (non-isotropic vertex): unsupported")
        K = {(m, n): rung(_PAULI[m], _PAULI[n]) * (W / 2) for m in (1, 2) for n in (1, 2)}
        K = [[None] * 3] + [[None, K[(m, 1)], K[(m, 2)]] for m in (1, 2)]
        u = [None] + [rung(_PAULI[m], ip.vx) * (W / 2) for m in (1, 2)]
        a11, a12 = 1 - K[1][1], -K[1][2]
        a21, a22 = -K[2][1], 1 - K[2][2]
        det = a11 * a22 - a12 * a21
        dx_ = (u[1] * a22 - a12 * u[2]) / det
        dy_ = (a11 * u[2] - a21 * u[1]) / det
        corr = RA(_PAULI[1], ip.vy) * dx_ + RA(_PAULI[2], ip.vy) * dy_
        out["ladder"] = out["bare"] + corr
        out["vertex_factor"] = (dx_, dy_)
    out["_logs"] = rad.log_symbols
    out["_self_energy"] = (rho0, rhoz)
    return out


def _berry_pieces(ip: IsotropicPoint):
    """ImA(x) = ⟨Im Tr[v_x P₋ v_y P₊]⟩_φ and ΔE(x) = E₊ − E₋ = 2|h| (clean bands)."""
    hx, hy = sympy.Symbol("hhx"), sympy.Symbol("hhy")
    habs = sympy.Symbol("habs", positive=True)
    nh = (hx / habs, hy / habs, ip.h[3] / habs)
    Pm = (sympy.eye(2) - sum((c * s for c, s in zip(nh, _PAULI[1:])), sympy.zeros(2, 2))) / 2
    Pp = (sympy.eye(2) + sum((c * s for c, s in zip(nh, _PAULI[1:])), sympy.zeros(2, 2))) / 2
    tr = sympy.expand((ip.vx * Pm * ip.vy * Pp).trace())
    tr = tr.subs({hx: ip.h[1], hy: ip.h[2]})
    imA = sympy.im(sympy.expand_complex(sympy.expand(tr))) if False else sympy.expand((tr - tr.conjugate()) / (2 * sympy.I))
    num = _angle_avg(sympy.expand(imA * habs ** 4))     # polynomial in x and |h|
    hval = sympy.sqrt(ip.hp2 + ip.hz ** 2)
    # num is a polynomial in |h|: keep it to evaluate on the Fermi circles without radicals
    return sympy.expand(num.subs(habs, hval)) / hval ** 4, 2 * hval, sympy.Lambda(habs, num)


def fermi_sea(ip: IsotropicPoint) -> dict:
    """σ^II (clean limit) and the intrinsic (Berry curvature, TKNN) σ_xy, exact, e²/h.

    From ∫^ε dε' Im[g_n² g_m²] for two clean bands n = −, m = +:
    σ^II = ½·(1/4π)∫dx (−4 ImA)[π(δ_− + δ_+)/(E_− − E_+) − 2π(θ_− − θ_+)/(E_− − E_+)²],
    θ_n = θ(E_n − ε), δ_n = δ(ε − E_n); the θ part alone is the intrinsic σ_xy.
    """
    imA, dE, imA_num = _berry_pieces(ip)
    habs = sympy.sqrt(ip.hp2 + ip.hz ** 2)
    Em, Ep = ip.h0 - habs, ip.h0 + habs
    roots = sorted({f[0] for f in _fermi_roots(ip)}, key=lambda r: float(r))
    edges = [sympy.Integer(0)] + roots + [sympy.oo]
    theta_part = sympy.Integer(0)
    for lo, hi in zip(edges[:-1], edges[1:]):
        mid = (lo + hi) / 2 if hi != sympy.oo else lo + 1 + abs(lo)
        th_m = 1 if float(Em.subs(x, mid)) > float(ip.eps) else 0
        th_p = 1 if float(Ep.subs(x, mid)) > float(ip.eps) else 0
        if th_m == th_p:
            continue
        integrand = sympy.simplify(8 * sympy.pi * imA * (th_m - th_p) / dE ** 2)
        theta_part += sympy.integrate(integrand, (x, lo, hi))
    intrinsic = sympy.radsimp(sympy.simplify(theta_part / (8 * sympy.pi)))
    delta_part = sympy.Integer(0)
    for r, n, dEdx, habs_r in _fermi_roots(ip):
        # −4 ImA π/(E₋ − E₊) on the circle, E₋ − E₊ = −2|h|
        delta_part += (-4 * sympy.pi * imA_num(habs_r).subs(x, r) / habs_r ** 4 / (-2 * habs_r)) / dEdx
    sea = sympy.radsimp(sympy.simplify(intrinsic + delta_part / (8 * sympy.pi)))
    return {"fermi_sea": sea, "intrinsic": intrinsic}


def hall_conductivity(model: "str | Model", point: "ModelPoint | str | None" = None,
                      diagrams: str = "ladder", top: int = 4, terms=None,
                      crossed_step: float = RASHBA_CROSSED_STEP) -> HallResult:
    """σ_xy at leading order in the disorder, units e²/h, with its parts (exact).

    parts: ``fermi_surface`` (σ^I, ladder-dressed), ``fermi_sea`` (σ^II), ``intrinsic``
    (Berry curvature of the occupied clean states), ``extrinsic`` = total − intrinsic,
    ``bare_vertex`` (σ^I + σ^II with bare vertices; not a physical result, kept as the
    control that the ladder matters) and ``vertex_correction`` = ladder − bare.

    ``diagrams="ladder+crossed"`` (dirac and rashba) adds the X and Ψ diagrams of
    :mod:`streda.integrals.crossed` (rashba: :mod:`streda.integrals.crossed_rashba`) (``terms``: their :class:`~streda.integrals.crossed.CrossedTerm`
    data, by default the built-in labels); parts ``X``, ``Psi_R``, ``Psi_A``, ``crossed`` (their
    sum, a float: the relative-angle integral is numeric) and ``crossed_error`` (its stated
    quadrature error); ``sigma_xy`` is then a float too.  ``crossed_step``: the outer (θ) step of
    the Rashba crossed quadrature (its error is the change against twice the step).
    """
    if diagrams not in DIAGRAM_SETS:
        raise ModelError(f"unknown diagram set {diagrams!r}; known: {', '.join(DIAGRAM_SETS)}")
    model = get_model(model)
    if diagrams == "ladder+crossed" and model.name not in CROSSED_MODELS:
        raise ModelError(f"--diagrams ladder+crossed: the X and Psi diagrams are evaluated for the "
                         f"{' and '.join(CROSSED_MODELS)} models only (not {model.name!r})")
    ip = isotropic_point(model, point)
    sea = fermi_sea(ip)
    notes = ["leading order in the disorder strength (gamma -> 0); gamma of the point is not used",
             "real part of the Born self-energy absorbed in eps and the model parameters",
             "x = p^2 over [0, inf) (physical momenta); Fermi sea term in the clean limit"]
    if not _fermi_roots(ip):
        zero = sympy.Integer(0)
        parts = {"fermi_surface": zero, "fermi_sea": sea["fermi_sea"], "intrinsic": sea["intrinsic"],
                 "extrinsic": zero}
        notes.append("no Fermi surface at eps: sigma^I vanishes as gamma -> 0 (no states at eps)")
        if diagrams == "ladder+crossed" and model.name == "rashba":
            notes.append("crossed diagrams: no Fermi surface: X = Psi = 0 here")
            for k in ("X", "Psi_R", "Psi_A", "crossed", "crossed_error"):
                parts[k] = sympy.Integer(0)
        elif diagrams == "ladder+crossed":
            _add_crossed(ip, parts, sea["fermi_sea"], notes, terms)
        return HallResult(model.name, ip.point.as_dict(), diagrams, sea["fermi_sea"], parts, (zero, zero), notes)
    for attempt in (top, top + 2, top + 4):     # keep more orders in w if a cancellation needs them
        fs = fermi_surface(ip, "ladder", attempt)
        if fs["ladder"].top >= 0 and fs["bare"].top >= 0:
            break
    logs = fs["_logs"]
    sig1 = _clean_log(_final(fs["ladder"], "sigma^I (ladder)"), logs)
    bare = _clean_log(_final(fs["bare"], "sigma^I (bare)"), logs)
    total = sympy.radsimp(sympy.simplify(sig1 + sea["fermi_sea"]))
    parts = {"fermi_surface": sympy.radsimp(sympy.simplify(sig1)), "fermi_sea": sea["fermi_sea"],
             "intrinsic": sea["intrinsic"],
             "extrinsic": sympy.radsimp(sympy.simplify(total - sea["intrinsic"])),
             "bare_vertex": sympy.radsimp(sympy.simplify(bare + sea["fermi_sea"])),
             "vertex_correction": sympy.radsimp(sympy.simplify(sig1 - bare))}
    notes.append("side jump and skew are not separated: 'extrinsic' is their sum. The split of Sinitsyn et al. "
                 "(PRB 75, 045315, 2007) is made in the band-eigenstate representation (interband parts of G and "
                 "of the disorder vertices), which is not computed here; the spin-basis pieces that are (bare "
                 "bubble minus intrinsic, vertex_correction) are not the side jump or the skew term "
                 "(tests/test_hall_parts.py)")
    if diagrams == "ladder+crossed":
        if model.name == "rashba":
            vertex = tuple(_clean_log(_final(v, "dressed vertex"), logs) for v in fs["vertex_factor"])
            total = _add_crossed_rashba(ip, parts, total, notes, terms, vertex, crossed_step)
        else:
            total = _add_crossed(ip, parts, total, notes, terms)
    return HallResult(model.name, ip.point.as_dict(), diagrams, total, parts, fs["_self_energy"], notes)


def _crossed_parts(r: dict, parts: dict, imag_floor: float, error: float) -> float:
    """Write the crossed families of ``r`` (X, Ψ_R, Ψ_A; an imaginary part kept above
    ``imag_floor``), their real sum ``crossed`` and ``crossed_error`` (``error`` plus rounding)
    into ``parts``; returns the sum."""
    fams = [k for k in ("X", "Psi_R", "Psi_A") if k in r]
    for k in fams:
        v = r[k]
        parts[k] = sympy.Float(v.real, 17) + (sympy.I * sympy.Float(v.imag, 17) if abs(v.imag) > imag_floor else 0)
    cr = sum(r[k] for k in fams).real
    parts["crossed"] = sympy.Float(cr, 17)
    parts["crossed_error"] = sympy.Float(error + 1e-13 * abs(cr), 3)
    return cr


def _add_crossed(ip: IsotropicPoint, parts: dict, total, notes: list, terms):
    from .crossed import DEFAULT_TERMS, dirac_crossed

    eps, m = ip.point["eps"], ip.point["m"]
    if eps < -abs(m):
        raise ModelError("--diagrams ladder+crossed: the crossed diagrams are evaluated for the Fermi level "
                         "in the upper band (eps > |m|) or in the gap only")
    if not (eps > abs(m) > 0):
        notes.append("crossed diagrams: no Fermi surface (gap) or m = 0 (sigma_xy odd in m): X = Psi = 0 here")
        for k in ("X", "Psi_R", "Psi_A", "crossed", "crossed_error"):
            parts[k] = sympy.Integer(0)
        return total
    r = dirac_crossed(float(eps), float(m), terms or DEFAULT_TERMS)
    cr = _crossed_parts(r, parts, 1e-12, r["error"])
    notes.append("crossed X and Psi diagrams (integrals.crossed): exact pinch and crossed-block "
                 "integrals, numeric relative-angle quadrature (float64, error in parts.crossed_error)")
    return sympy.Float(float(total) + cr, 17)


def _add_crossed_rashba(ip: IsotropicPoint, parts: dict, total, notes: list, terms, vertex, step: float):
    """The X and Ψ diagrams of the Rashba ferromagnet (:mod:`streda.integrals.crossed_rashba`),
    with the w⁰ ladder-dressed vertex ``vertex`` = (d_x, d_y) of :func:`fermi_surface`, outer
    (θ) step ``step``."""
    from .crossed_rashba import bands_from_point, crossed_sigma

    bc = bands_from_point(ip, tuple(float(sympy.re(sympy.N(v))) for v in vertex))
    r = crossed_sigma(None, None, terms, h=step, bc=bc, phi_ratio=0.5)
    cr = _crossed_parts(r, parts, 1e-9, r["error"] + r["imag"])
    notes.append(f"crossed X and Psi diagrams (integrals.crossed_rashba): {r['circles']} Fermi circle(s); exact "
                 "radial partial fractions, numeric angle quadratures (float64; error in parts.crossed_error)")
    return sympy.Float(float(total) + cr, 17)
