"""Skyrmion dynamics from spin-orbit torques: the generalised Thiele equation (Sec. IV, App. D).

Texture (Sec. IV.A): m = (cosΦ sinθ, sinΦ sinθ, cosθ), Φ = φ + δ, with a radial
profile θ(ρ) given as a sympy expression in ``rho``.  Torque coefficients
a_J … d_J are sympy expressions in ``mz`` (= cos θ) that already contain κ.

Two independent routes to Q, D̂, F (Eq. 22) and the velocity ν of Eq. (21):

* **2D** — the definitions (22a–c) integrated over the plane: Cartesian
  derivatives of m(x, y) by sympy, κs taken as the component of the torque
  ansatz ⊥ m, κ s⊥ = m × T_J (T_J from Eq. 14 for Rashba, from the form of
  Eq. 20 for Dresselhaus; the part of s along m drops out of Eq. 22c since
  ∇m ⊥ m); polar quadrature: trapezoidal in φ (exact, the integrands are
  trigonometric polynomials of degree ≤ 5 in φ) and composite Gauss–Legendre
  in ρ (float64), with an error estimate from panel halving.
* **reduced** — one-dimensional radial integrals DERIVED here by machine: the
  same integrands written as polynomials in sin θ, cos θ, θ', the coefficient
  values, cos φ, sin φ (polar chain rule), averaged exactly over φ (circle
  means of cos^i φ sin^j φ), the a-term integrated by parts as in the paper;
  evaluated with mpmath tanh–sinh quadrature.  They are compared with the
  printed (23), (26), (28) in :func:`compare_reduced_forms`.

Integration by parts drops the boundary term [a_J ρ sinθ]₀^∞ (times a vector
in J): it vanishes for localised profiles but NOT when ρ sinθ → const at
infinity (θ = 2 arctan(R/ρ): ρ sinθ → 2R).  It is reported as
``boundary_term`` and explains the difference between the routes.

>>> prof = parse_profile("2*atan(sinh(R/w)/sinh(rho/w))", "R=3,w=1")
>>> prof.theta
2*atan(sinh(3)/sinh(rho))
>>> [round(v, 12) for v in thiele_velocity(1, [[2, 0], [0, 2]], [0, 1])]
[-0.2, -0.4]
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache

import mpmath
import numpy as np
import sympy

__all__ = ["SkyrmionError", "rho", "mz", "Profile", "parse_profile", "parse_assignments",
           "parse_number", "parse_coefficients", "parse_current", "MODELS", "kappa_s_perp",
           "reduced_integrands", "compare_reduced_forms", "route_2d", "route_reduced",
           "RouteResult", "thiele_velocity", "hall_ratio", "analyse", "judge_claims",
           "force_vs_helicity", "plot_hall_ratio"]

rho = sympy.Symbol("rho", positive=True)
mz = sympy.Symbol("mz", real=True)
MODELS = ("rashba", "dresselhaus")
_x, _y = sympy.symbols("x y", real=True)
_delta = sympy.Symbol("delta", real=True)
_Jx, _Jy = sympy.symbols("J_x J_y", real=True)
_EPS = np.array([[0.0, 1.0], [-1.0, 0.0]])   # ε_xy = −ε_yx = 1 (Eq. 21)


class SkyrmionError(ValueError):
    """Bad skyrmion input (profile, coefficients, current): one-line message."""


# --------------------------------------------------------------------------- parsing
from streda.integrals.expr import PROFILE_FUNCTIONS as _FUNCS  # noqa: E402  (the safe reader's whitelist)


def _split_top(text: str) -> list:
    """Split on commas outside parentheses."""
    out, depth, cur = [], 0, ""
    for ch in text:
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        if ch == "," and depth == 0:
            out.append(cur)
            cur = ""
        else:
            cur += ch
    out.append(cur)
    return [s.strip() for s in out if s.strip()]


def _read(text: str, what: str, allowed: dict) -> sympy.Expr:
    """Read user text with the safe whitelist reader :func:`streda.integrals.expr.parse_expression`
    (never ``sympify``: no text is evaluated as code)."""
    from streda.integrals.expr import ExprError, parse_expression

    if not isinstance(text, str) or not text.strip():
        raise SkyrmionError(f"{what} is empty")
    try:
        expr = parse_expression(text, allowed, _FUNCS, what)
    except ExprError as exc:
        msg = str(exc)
        if "unknown symbol" in msg:
            msg += "; give values with --set"
        raise SkyrmionError(msg if msg.startswith(what) else f"{what}: {msg}") from None
    return expr


def parse_number(text, what: str = "number") -> sympy.Expr:
    """A real number given as an expression (``pi/2``, ``1/10``, ``0.3``).

    >>> parse_number("pi/2")
    pi/2
    """
    if isinstance(text, (int, float)):
        text = repr(text)
    v = _read(str(text), what, {})
    if not v.is_real or not v.is_finite:
        raise SkyrmionError(f"{what} {text!r} is not a finite real number")
    return v


def parse_assignments(text: str | None) -> dict:
    """``"R=3,w=1"`` → ``{'R': 3, 'w': 1}`` (values are number expressions).

    >>> parse_assignments("R=3, w=1/2")
    {'R': 3, 'w': 1/2}
    """
    out: dict = {}
    if not text:
        return out
    for item in _split_top(text):
        if "=" not in item:
            raise SkyrmionError(f"--set item {item!r} is not of the form name=value")
        k, v = (s.strip() for s in item.split("=", 1))
        if not k.isidentifier() or k in ("rho", "mz") or k in _FUNCS:
            raise SkyrmionError(f"--set: {k!r} cannot be used as a parameter name")
        if k in out:
            raise SkyrmionError(f"--set: parameter {k} given twice")
        out[k] = parse_number(v, f"parameter {k}")
    return out


def _params(params) -> dict:
    return parse_assignments(params) if isinstance(params, str) or params is None else dict(params)


@dataclass(frozen=True)
class Profile:
    """A radial profile θ(ρ); the texture is uniform (m = ±ẑ) beyond ``rho_max`` if given."""

    theta: sympy.Expr
    rho_max: sympy.Expr | None = None
    text: str = ""


def parse_profile(text: str, params=None, rho_max=None) -> Profile:
    """Parse θ(ρ) (variable ``rho``; parameters from ``params`` such as ``"R=3,w=1"``).

    Validates that the texture is regular at the core (sin θ(0) = 0) and uniform
    far away (sin θ → 0 at ``rho_max`` or at ρ → ∞).
    """
    p = _params(params)
    syms = {k: sympy.Symbol(k) for k in p}
    syms["rho"] = rho
    expr = _read(text, "profile", syms).subs({syms[k]: v for k, v in p.items()})
    if expr.free_symbols - {rho}:
        raise SkyrmionError(f"profile {text!r} still depends on {expr.free_symbols - {rho}}")
    rmax = None
    if rho_max is not None:
        psyms = {k: v for k, v in syms.items() if k != "rho"}
        rmax = rho_max if isinstance(rho_max, sympy.Basic) else _read(str(rho_max), "rho_max",
                                                                           psyms)
        rmax = rmax.subs({syms[k]: v for k, v in p.items()})
        if not (rmax.is_number and rmax.is_real and rmax > 0):
            raise SkyrmionError(f"rho_max must be a positive number (got {rho_max})")
    prof = Profile(expr, rmax, text)
    _validate(prof)
    return prof


@lru_cache(maxsize=64)
def _scan(theta: sympy.Expr, rho_max) -> dict:
    """Evaluate θ, θ' on a wide grid (mpmath, no overflow): core/end values and length scales.

    Returns ``{"sin0", "sin_end", "centre", "width", "cutoff", "finite"}``; ``cutoff`` is
    the radius beyond which |sin θ| and |ρ θ'| stay below 1e-22 (exponentially localised
    profiles), else None (algebraic tail, integrated to infinity).
    """
    f = sympy.lambdify(rho, theta, "mpmath")
    fr = sympy.lambdify(rho, sympy.diff(theta, rho), "mpmath")
    if rho_max is not None:
        end = float(rho_max)
        grid = np.linspace(end * 1e-9, end, 3001)
    else:
        grid = np.geomspace(1e-9, 1e7, 3001)
    sn, thr = [], []
    with mpmath.workdps(30):
        for r in grid:
            try:
                t, tr = f(mpmath.mpf(r)), fr(mpmath.mpf(r))
                t = mpmath.re(t) if abs(mpmath.im(t)) < 1e-25 else mpmath.nan
                tr = float(mpmath.re(tr)) if abs(mpmath.im(tr)) < 1e-25 else float("nan")
                st = float(mpmath.sin(t))
            except (TypeError, ValueError, ZeroDivisionError, OverflowError):
                st = tr = float("nan")
            sn.append(st)
            thr.append(tr)
    sn, thr = np.array(sn), np.array(thr)
    finite = bool(np.all(np.isfinite(sn)) and np.all(np.isfinite(thr)))
    out = {"finite": finite, "sin0": float(sn[0]), "sin_end": float(sn[-1])}
    if not finite:
        return out
    g = np.abs(grid * thr)
    k = int(np.argmax(g))
    out["centre"] = float(grid[k])
    out["width"] = max(math.pi / max(float(np.max(np.abs(thr))), 1e-300), 1e-6 * out["centre"]) / 4
    small = (np.abs(sn) + g) < 1e-22 * max(1.0, float(np.max(g)))
    out["cutoff"] = None
    if rho_max is None and small[-1]:
        bad = np.nonzero(~small)[0]
        out["cutoff"] = float(grid[min(bad[-1] + 1, len(grid) - 1)]) if len(bad) else float(grid[1])
    return out


def _validate(prof: Profile) -> None:
    sc = _scan(prof.theta, prof.rho_max)
    if not sc["finite"]:
        raise SkyrmionError(f"profile {prof.text!r} is not finite and real for all rho > 0")
    if abs(sc["sin0"]) > 1e-7:
        raise SkyrmionError(f"profile {prof.text!r}: sin(theta(0)) = {sc['sin0']:.3g}, the"
                            " texture is singular at the core (D diverges like log rho there); use"
                            " theta(0) = 0 or pi, e.g. 2*atan(sinh(R/w)/sinh(rho/w))")
    if abs(sc["sin_end"]) > 1e-4:
        where = f"rho_max = {prof.rho_max}" if prof.rho_max is not None else "rho -> infinity"
        raise SkyrmionError(f"profile {prof.text!r}: sin(theta) = {sc['sin_end']:.3g} at {where};"
                            " the texture must approach theta = 0 or pi (uniform m)")


def parse_coefficients(text, params=None) -> dict:
    """``"a=1+mz**2,b=0,c=1/10,d=0"`` → sympy expressions in ``mz`` for a, b, c, d.

    >>> parse_coefficients("a=1,b=0,c=mz**2/2,d=0")["c"]
    mz**2/2
    """
    p = _params(params)
    syms = {k: sympy.Symbol(k) for k in p}
    syms["mz"] = mz
    out = {}
    items = text if isinstance(text, dict) else None
    if items is None:
        if not isinstance(text, str) or not text.strip():
            raise SkyrmionError("--coeffs is empty: give a=...,b=...,c=...,d=...")
        items = {}
        for item in _split_top(text):
            if "=" not in item:
                raise SkyrmionError(f"coefficient {item!r} is not of the form name=expression")
            k, v = (s.strip() for s in item.split("=", 1))
            k = k[:-2] if k.endswith("_J") else k
            if k not in "abcd" or len(k) != 1:
                raise SkyrmionError(f"unknown coefficient {k!r}; expected a, b, c, d")
            if k in items:
                raise SkyrmionError(f"coefficient {k} given twice")
            items[k] = v
    for k in "abcd":
        if k not in items:
            raise SkyrmionError(f"coefficient {k} missing (give all of a, b, c, d; use {k}=0)")
        v = items[k]
        e = v if isinstance(v, sympy.Basic) else _read(str(v), f"coefficient {k}", syms)
        out[k] = e.subs({syms[n]: val for n, val in p.items()})
        if out[k].free_symbols - {mz}:
            raise SkyrmionError(f"coefficient {k} depends on {out[k].free_symbols - {mz}}")
    return out


def parse_current(text) -> tuple:
    """``"1,0"`` → (J_x, J_y); a zero current is refused."""
    parts = _split_top(text) if isinstance(text, str) else list(text)
    if len(parts) != 2:
        raise SkyrmionError(f"--current expects Jx,Jy (got {text!r})")
    J = tuple(parse_number(p_, "current component") for p_ in parts)
    if all(j == 0 for j in J):
        raise SkyrmionError("the current is zero: nothing drives the skyrmion")
    return J


def _check_model(model: str) -> str:
    if model not in MODELS:
        raise SkyrmionError(f"unknown model {model!r}; expected one of {', '.join(MODELS)}")
    return model


# --------------------------------------------------------------------------- κ s⊥
def _basis(model: str):
    if model == "rashba":
        from streda.verify.torques import rashba_basis

        return rashba_basis
    from streda.verify.dresselhaus import dresselhaus_basis

    return dresselhaus_basis


def kappa_s_perp(m, J, coeffs, model: str) -> sympy.Matrix:
    """κ s⊥ = m × T_J with T_J = Σ coeff_k basis_k(m, J) (Eq. 14 or the form of Eq. 20).

    From T = κ s × m: m × T = κ (s − m (m·s)) for |m| = 1.
    """
    m = sympy.Matrix(list(m))
    B = _basis(_check_model(model))(m, tuple(J))
    T = sum((coeffs[k] * B[i] for i, k in enumerate("abcd")), sympy.zeros(3, 1))
    return m.cross(T)


@lru_cache(maxsize=None)
def _ks_numpy(model: str):
    """κ s⊥ as a numpy function of (m1, m2, m3, Jx, Jy, a, b, c, d)."""
    m = sympy.symbols("m1 m2 m3", real=True)
    cs = sympy.symbols("a b c d", real=True)
    ks = kappa_s_perp(m, (_Jx, _Jy), dict(zip("abcd", cs)), model)
    return sympy.lambdify((*m, _Jx, _Jy, *cs), list(ks), "numpy")


# --------------------------------------------------------------------------- reduced forms
# Polynomial representation: st = sin θ, ct = cos θ, tp = ∂θ/∂ρ, cd = cos δ, sd = sin δ,
# cp = cos φ, sp = sin φ; coefficient values A, B, C, Dd (a_J … d_J at m_z = cos θ(ρ)) and
# Ar = ∂a_J/∂ρ.  Everything below is polynomial in these (and 1/ρ), so the φ-average is exact.
_st, _ct, _tp, _cd, _sd, _cp, _sp = sympy.symbols("st ct tp cd sd cp sp", real=True)
_CF = dict(zip("abcd", sympy.symbols("A B C Dd", real=True)))
_AR = sympy.Symbol("Ar", real=True)
_AG = sympy.Symbol("alpha_G", positive=True)
_RELS = (_st ** 2 + _ct ** 2 - 1, _sd ** 2 + _cd ** 2 - 1)
_GENS = (_st, _sd, _ct, _cd)


def _d_theta(f):
    return sympy.diff(f, _st) * _ct - sympy.diff(f, _ct) * _st


def _d_phi(f):
    return -sympy.diff(f, _cp) * _sp + sympy.diff(f, _sp) * _cp


def _polar_texture():
    """m, ∇_x m, ∇_y m in the polynomial representation (chain rule in polar coordinates)."""
    cP = _cp * _cd - _sp * _sd                      # cos(φ + δ)
    sP = _sp * _cd + _cp * _sd                      # sin(φ + δ)
    m = sympy.Matrix([_st * cP, _st * sP, _ct])
    mr = m.applyfunc(_d_theta) * _tp                # ∂ρ m
    mp = m.applyfunc(_d_phi)                        # ∂φ m
    gx = _cp * mr - _sp / rho * mp
    gy = _sp * mr + _cp / rho * mp
    return m, gx, gy


def _circle_mean(i: int, j: int) -> sympy.Rational:
    """⟨cos^i φ sin^j φ⟩ over a full period."""
    if i % 2 or j % 2:
        return sympy.Integer(0)
    return sympy.factorial2(i - 1) * sympy.factorial2(j - 1) / sympy.factorial2(i + j)


def _reduce(e):
    e = sympy.together(sympy.expand(e))
    num, den = sympy.fraction(e)
    num = sympy.reduced(sympy.expand(num), list(_RELS), *_GENS, order="lex")[1]
    return sympy.expand(num / den)


def _phi_integral(expr):
    """∫₀^{2π} dφ of a polynomial in cos φ, sin φ (exact), reduced modulo sin² + cos² = 1."""
    poly = sympy.Poly(sympy.expand(expr), _cp, _sp)
    tot = sum(coef * _circle_mean(i, j) for (i, j), coef in poly.terms())
    return _reduce(2 * sympy.pi * tot)


@lru_cache(maxsize=None)
def reduced_integrands(model: str) -> dict:
    """Radial integrands derived from Eq. (22) by exact φ-integration (machine derivation).

    Returns ``{"Q": q(ρ), "D": 2×2, "F_raw": 2-vector, "F": 2-vector, "G": 2-vector}``
    in the symbols st = sin θ, ct = cos θ, tp = ∂θ/∂ρ, cd = cos δ, sd = sin δ,
    A … Dd = a_J … d_J, Ar = ∂a_J/∂ρ, J_x, J_y, alpha_G; every integrand is to be
    integrated over ρ ∈ (0, ∞).  ``F_raw`` is the direct φ-integral; ``F`` the
    integrated-by-parts form (a-term → −Ar·G) and ``G`` the vector with
    F_raw − F = d/dρ(a_J G).
    """
    _check_model(model)
    m, gx, gy = _polar_texture()
    out = {"Q": _phi_integral(rho * m.dot(gx.cross(gy)) / (4 * sympy.pi))}
    g = (gx, gy)
    out["D"] = sympy.Matrix(2, 2, lambda i, j: _phi_integral(_AG * rho * g[i].dot(g[j])
                                                               / (4 * sympy.pi)))
    ks = kappa_s_perp(m, (_Jx, _Jy), _CF, model)
    Fraw = sympy.Matrix([_phi_integral(rho * g[i].dot(ks) / (4 * sympy.pi)) for i in range(2)])
    out["F_raw"] = Fraw
    # integration by parts of the a-term: its coefficient must be C · d/dρ(ρ sin θ)
    A = _CF["a"]
    coef = Fraw.applyfunc(lambda e: sympy.expand(e).coeff(A))
    total = _st + rho * _ct * _tp                   # d/dρ (ρ sin θ)
    C = coef.applyfunc(lambda e: sympy.cancel(e.subs(_tp, 0) / _st))
    if any(C[i].free_symbols & {rho, _st, _ct, _tp} or _reduce(coef[i] - C[i] * total) != 0
           for i in range(2)):
        raise SkyrmionError("internal: the a-term is not a total derivative")  # pragma: no cover
    G = C * rho * _st
    out["G"] = G
    out["F"] = (Fraw - coef * A - _AR * G).applyfunc(_reduce)
    return out


def _to_symbols(expr):
    """Replace the polynomial symbols by the plain symbols of the printed module."""
    from streda.verify.printed import skyrmion as P

    return sympy.sympify(expr).subs({
        _st: sympy.sin(P.th), _ct: sympy.cos(P.th), _tp: P.th_r, _AR: P.a_r, _CF["a"]: P.a,
        _CF["b"]: P.b, _CF["c"]: P.c, _CF["d"]: P.d, _cd: sympy.cos(_delta), _sd: sympy.sin(_delta),
        _AG: P.alpha_G}, simultaneous=True)


def _from_printed(expr):
    """A printed integrand in the polynomial representation (inverse of :func:`_to_symbols`)."""
    from streda.verify.printed import skyrmion as P

    e = sympy.expand_trig(sympy.sympify(expr))
    e = e.subs({sympy.sin(P.th): _st, sympy.cos(P.th): _ct, sympy.sin(_delta): _sd,
                sympy.cos(_delta): _cd}).subs({P.th_r: _tp, P.a_r: _AR, P.a: _CF["a"], P.b: _CF["b"],
                                                 P.c: _CF["c"], P.d: _CF["d"], P.alpha_G: _AG})
    return _reduce(e)


def compare_reduced_forms() -> list:
    """Machine-derived radial integrands vs the printed (22a: Q = 1), (23), (26), (28), (24).

    Integrands are compared in the polynomial representation (st = sin θ, ct = cos θ,
    tp = θ', cd = cos δ, sd = sin δ, A … Dd = a_J … d_J, Ar = ∂ρ a_J), both sides
    reduced modulo sin² + cos² = 1: an exact polynomial identity check.
    """
    from streda.verify.printed import skyrmion as P
    from streda.verify.torques import compare

    note = "in st=sin(theta), ct=cos(theta), tp=theta', cd/sd=cos/sin(delta), A..Dd=a_J..d_J: "
    recs = []

    def rec(mine, printed, **kw):
        c = compare(_reduce(mine), _from_printed(printed), **kw)
        c.reason = note + c.reason
        return c

    R = reduced_integrands("rashba")
    recs.append(rec(R["Q"], sympy.sin(P.th) * P.th_r / 2, equation="22a (reduced)",
                    row="Q integrand"))
    for i in range(2):
        for j in range(2):
            want = P.EQ23_INTEGRAND if i == j else 0
            recs.append(rec(R["D"][i, j], want, equation="23", row="xy"[i], column="xy"[j]))
    for model, eq, force in (("rashba", "26", P.eq26_force), ("dresselhaus", "28", P.eq28_force)):
        Rm = reduced_integrands(model)
        printed = force((_Jx, _Jy), _delta, P.EQ26_A_INTEGRAND, P.EQ26_B_INTEGRAND)
        for i in range(2):
            c = rec(Rm["F"][i], printed[i], equation=eq, row=f"F_{'xy'[i]}")
            c.reason = ("integrand after phi-integration and integration by parts (boundary term "
                        "[a_J G] dropped), " + c.reason)
            recs.append(c)
    # Eq. (24) against the solution of Eq. (21), for Q = 1 and Q = -1
    Qs, Ds, Fx, Fy = sympy.symbols("Q D F_x F_y", real=True)
    nu = (Qs * sympy.Matrix(P.EPSILON) - Ds * sympy.eye(2)).LUsolve(sympy.Matrix([Fx, Fy]))
    ratio = sympy.factor(sympy.cancel(nu[1] / nu[0]))
    for qv in (1, -1):
        c = compare(ratio.subs(Qs, qv), P.eq24_ratio(Ds, Fx, Fy), equation="24", row=f"Q={qv}")
        c.reason = f"nu_y/nu_x from solving (21) = {sympy.sstr(ratio)} at Q={qv}: " + c.reason
        recs.append(c)
    return recs


# --------------------------------------------------------------------------- quadrature
def _breakpoints(prof: Profile) -> tuple:
    """(finite breakpoints, tail start or None) for the radial quadrature."""
    sc = _scan(prof.theta, prof.rho_max)
    c, w = sc["centre"], sc["width"]
    if prof.rho_max is not None or sc["cutoff"] is not None:
        R = float(prof.rho_max) if prof.rho_max is not None else sc["cutoff"]
        pts = sorted({0.0, R} | {c + k * w for k in range(-12, 13) if 0 < c + k * w < R})
        extra = [p for p in (R / 2 ** k for k in range(1, 8)) if p > pts[-2]]
        return sorted(set(pts) | set(extra)), None
    pts = sorted({0.0} | {c + k * w for k in range(-12, 13) if c + k * w > 0})
    top = pts[-1]
    pts += [top * 2 ** k for k in range(1, 7)]
    return pts, pts[-1]


def _radial_nodes(prof: Profile, order: int = 40, split: int = 1):
    x, w = np.polynomial.legendre.leggauss(order)
    pts, tail = _breakpoints(prof)
    nodes, weights = [], []
    for a_, b_ in zip(pts[:-1], pts[1:]):
        for s in range(split):
            lo = a_ + (b_ - a_) * s / split
            hi = a_ + (b_ - a_) * (s + 1) / split
            nodes.append((hi - lo) / 2 * x + (hi + lo) / 2)
            weights.append((hi - lo) / 2 * w)
    if tail is not None:           # ρ = tail/u, u ∈ (0, 1]
        for s in range(split):
            lo, hi = s / split, (s + 1) / split
            u = (hi - lo) / 2 * x + (hi + lo) / 2
            nodes.append(tail / u)
            weights.append((hi - lo) / 2 * w * tail / u ** 2)
    return np.concatenate(nodes), np.concatenate(weights)


@dataclass
class RouteResult:
    """Q, D̂, F, ν and ν_y/ν_x from one route (numbers as floats)."""

    route: str
    Q: float
    D: list
    F: list
    nu: list | None
    hall_ratio: float | None
    error: float = 0.0
    extra: dict = field(default_factory=dict)


def thiele_velocity(Q, D, F) -> list:
    """Solve (Q ε̂ − D̂) ν = F (Eq. 21), ε_xy = −ε_yx = 1."""
    A = float(Q) * _EPS - np.array(D, dtype=float)
    if abs(np.linalg.det(A)) < 1e-300:
        raise SkyrmionError("the Thiele matrix Q*eps - D is singular (Q = 0 and D = 0)")
    return [float(v) for v in np.linalg.solve(A, np.array(F, dtype=float))]


def hall_ratio(nu) -> float | None:
    """ν_y/ν_x, or None when ν_x = 0 exactly."""
    return None if nu is None or nu[0] == 0 else nu[1] / nu[0]


@lru_cache(maxsize=64)
def _texture_numpy(theta: sympy.Expr, delta: sympy.Expr):
    r = sympy.sqrt(_x ** 2 + _y ** 2)
    th = theta.subs(rho, r)
    cd, sd = sympy.cos(delta), sympy.sin(delta)
    m = sympy.Matrix([sympy.sin(th) * (_x * cd - _y * sd) / r, sympy.sin(th) * (_x * sd + _y * cd) / r,
                      sympy.cos(th)])
    return (sympy.lambdify((_x, _y), list(m), "numpy"),
            sympy.lambdify((_x, _y), list(m.diff(_x)), "numpy"),
            sympy.lambdify((_x, _y), list(m.diff(_y)), "numpy"))


def _coeff_numpy(coeffs: dict):
    return {k: sympy.lambdify(mz, coeffs[k], "numpy") for k in "abcd"}


def _arr(v, shape):
    return np.broadcast_to(np.asarray(v, dtype=float), shape)


def _route_2d_once(prof, model, delta, J, coeffs, alpha_g, order, split, n_phi):
    r, wr = _radial_nodes(prof, order, split)
    ph = 2 * np.pi * np.arange(n_phi) / n_phi
    Rg, Pg = np.meshgrid(r, ph, indexing="ij")
    W = (wr * r)[:, None] * (2 * np.pi / n_phi) * np.ones_like(Pg)
    X, Y = Rg * np.cos(Pg), Rg * np.sin(Pg)
    fm, fdx, fdy = _texture_numpy(prof.theta, sympy.sympify(delta))
    with np.errstate(all="ignore"):
        m = np.array([_arr(c, X.shape) for c in fm(X, Y)])
        gx = np.array([_arr(c, X.shape) for c in fdx(X, Y)])
        gy = np.array([_arr(c, X.shape) for c in fdy(X, Y)])
        cf = {k: _arr(f(m[2]), X.shape) for k, f in _coeff_numpy(coeffs).items()}
        ks = np.array([_arr(c, X.shape) for c in _ks_numpy(model)(
            m[0], m[1], m[2], float(J[0]), float(J[1]), cf["a"], cf["b"], cf["c"], cf["d"])])
    if not all(np.all(np.isfinite(v)) for v in (m, gx, gy, ks)):
        raise SkyrmionError("the texture or the coefficients are not finite on the quadrature grid")
    g = (gx, gy)
    Q = np.sum(W * np.einsum("i...,i...->...", m, np.cross(gx, gy, axis=0))) / (4 * np.pi)
    D = [[alpha_g * np.sum(W * np.einsum("i...,i...->...", g[i], g[j])) / (4 * np.pi)
          for j in range(2)] for i in range(2)]
    F = [np.sum(W * np.einsum("i...,i...->...", g[i], ks)) / (4 * np.pi) for i in range(2)]
    return float(Q), [[float(v) for v in row] for row in D], [float(v) for v in F]


def route_2d(prof: Profile, model: str, delta, J, coeffs: dict, alpha_g, *, order: int = 40,
             n_phi: int = 16) -> RouteResult:
    """Q, D̂, F from the plane integrals (22), ν from (21); error estimate by panel halving."""
    _check_model(model)
    ag = float(alpha_g)
    r1 = _route_2d_once(prof, model, delta, J, coeffs, ag, order, 1, n_phi)
    r2 = _route_2d_once(prof, model, delta, J, coeffs, ag, order, 2, n_phi)
    flat = lambda r: np.array([r[0], *np.ravel(r[1]), *r[2]])  # noqa: E731
    err = float(np.max(np.abs(flat(r1) - flat(r2))))
    Q, D, F = r2
    nu = thiele_velocity(Q, D, F)
    return RouteResult("2d", Q, D, F, nu, hall_ratio(nu), err)


def _substitute(expr, prof: Profile, coeffs: dict, delta, J, alpha_g):
    """Insert the profile, the coefficients, δ, J and α_G into a reduced integrand."""
    th = prof.theta
    cth = sympy.cos(th)
    rep = {_st: sympy.sin(th), _ct: cth, _tp: sympy.diff(th, rho), _AG: alpha_g,
           _cd: sympy.cos(delta), _sd: sympy.sin(delta), _Jx: J[0], _Jy: J[1],
           _AR: sympy.diff(coeffs["a"].subs(mz, cth), rho)}
    rep.update({_CF[k]: coeffs[k].subs(mz, cth) for k in "abcd"})
    return sympy.sympify(expr).subs(rep, simultaneous=True)


_QUAD_CACHE: dict = {}


def _mp_quad(expr, prof: Profile, dps: int):
    """∫ expr dρ by mpmath tanh–sinh on every 3rd breakpoint (plus [tail, ∞) if algebraic).

    Results are memoised per (integrand, profile, dps); an integrand equal to minus a
    cached one reuses it.
    """
    expr = sympy.sympify(expr)
    if expr == 0:
        return mpmath.mpf(0)
    key = (expr, prof.theta, prof.rho_max, dps)
    if key in _QUAD_CACHE:
        return _QUAD_CACHE[key]
    nkey = (-expr, prof.theta, prof.rho_max, dps)
    if nkey in _QUAD_CACHE:
        return -_QUAD_CACHE[nkey]
    f = sympy.lambdify(rho, expr, "mpmath")
    pts, tail = _breakpoints(prof)
    pts = pts[::3] + ([pts[-1]] if (len(pts) - 1) % 3 else [])
    with mpmath.workdps(dps):
        nodes = [mpmath.mpf(p) for p in pts] + ([mpmath.inf] if tail is not None else [])
        val = mpmath.quad(f, nodes)
    if len(_QUAD_CACHE) > 4096:
        _QUAD_CACHE.clear()
    _QUAD_CACHE[key] = val
    return val


def _integrate_reduced(expr, prof: Profile, coeffs: dict, delta, J, alpha_g, dps: int):
    """∫ dρ of a reduced integrand: split into monomials in (J_x, J_y, cos δ, sin δ)."""
    poly = sympy.Poly(sympy.expand(expr), _Jx, _Jy, _cd, _sd)
    total = mpmath.mpf(0)
    with mpmath.workdps(dps):
        vals = [mpmath.mpf(sympy.N(v, dps + 5)) for v in (J[0], J[1], sympy.cos(delta),
                                                           sympy.sin(delta))]
        for monom, coef in poly.terms():
            w = mpmath.mpf(1)
            for v, k in zip(vals, monom):
                w *= v ** k
            if w == 0:
                continue
            total += w * _mp_quad(_substitute(coef, prof, coeffs, 0, (0, 0), alpha_g), prof, dps)
    return total


def route_reduced(prof: Profile, model: str, delta, J, coeffs: dict, alpha_g, *,
                  dps: int = 20, include_boundary: bool = False) -> RouteResult:
    """Q, D̂, F from the machine-derived radial integrals (mpmath), ν from (21).

    ``extra["boundary_term"]`` is lim_{ρ→∞} a_J G(ρ) − lim_{ρ→0}: the amount by
    which the plane integral (22c) exceeds the integrated-by-parts form (26)/(28).
    With ``include_boundary=True`` it is added to F (then F is the definition 22c).
    """
    _check_model(model)
    R = reduced_integrands(model)
    integ = lambda e: _integrate_reduced(e, prof, coeffs, delta, J, alpha_g, dps)  # noqa: E731
    Q = integ(R["Q"])
    D = [[integ(R["D"][i, j]) for j in range(2)] for i in range(2)]
    F = [integ(R["F"][i]) for i in range(2)]
    bt = _boundary_term(R["G"], prof, coeffs, delta, J, alpha_g)
    if include_boundary:
        F = [F[i] + bt[i] for i in range(2)]
    Qf, Df, Ff = float(Q), [[float(v) for v in row] for row in D], [float(v) for v in F]
    nu = thiele_velocity(Qf, Df, Ff)
    return RouteResult("reduced", Qf, Df, Ff, nu, hall_ratio(nu), 0.0,
                       {"boundary_term": bt, "Q_mp": mpmath.nstr(Q, 15)})


def _boundary_term(G, prof, coeffs, delta, J, alpha_g) -> list:
    """[a_J G]₀^end (Eq. 22c minus the integrated-by-parts form), G ∝ ρ sin θ.

    The lower end vanishes (ρ sin θ → 0).  The upper end is the value at ρ_max, at
    the cutoff of an exponentially localised profile, or for an algebraic tail the
    value at ρ = 10¹⁶·(texture scale) (checked against 10¹⁴·scale).
    """
    sc = _scan(prof.theta, prof.rho_max)
    out = []
    with mpmath.workdps(40):
        for i in range(2):
            f = sympy.lambdify(rho, _substitute(_CF["a"] * G[i], prof, coeffs, delta, J, alpha_g),
                               "mpmath")
            if prof.rho_max is not None:
                val = f(mpmath.mpf(str(prof.rho_max)))
            elif sc["cutoff"] is not None:
                val = f(mpmath.mpf(sc["cutoff"]))
            else:
                far = mpmath.mpf(sc["centre"]) * mpmath.mpf(10) ** 16
                val = f(far)
                val2 = f(far / 100)
                if abs(val - val2) > mpmath.mpf(10) ** -8 * max(1, abs(val)):
                    raise SkyrmionError("the boundary term a_J*rho*sin(theta) does not converge at"
                                        " infinity: the force integral (22c) is ill-defined")
            out.append(float(val))
    return out


# --------------------------------------------------------------------------- analysis
def analyse(prof: Profile, model: str, delta, J, coeffs: dict, alpha_g, *, dps: int = 20) -> dict:
    """Both routes and their differences, JSON-ready (Eq. 21–28)."""
    from streda.verify.printed import skyrmion as P

    r2 = route_2d(prof, model, delta, J, coeffs, alpha_g)
    rr = route_reduced(prof, model, delta, J, coeffs, alpha_g, dps=dps)

    def both(a2, ar):
        diff = (np.array(a2, dtype=float) - np.array(ar, dtype=float)).tolist() if a2 is not None \
            and ar is not None else None
        return {"2d": a2, "reduced": ar, "difference": diff}

    out = {
        "input": {"profile": str(prof.theta), "rho_max": None if prof.rho_max is None else str(prof.rho_max),
                  "model": model, "helicity": str(delta), "current": [str(j) for j in J],
                  "coefficients": {k: str(v) for k, v in coeffs.items()}, "alpha_G": str(alpha_g)},
        "Q": both(r2.Q, rr.Q), "D": both(r2.D, rr.D), "F": both(r2.F, rr.F),
        "nu": both(r2.nu, rr.nu), "hall_ratio": both(r2.hall_ratio, rr.hall_ratio),
        "boundary_term": rr.extra["boundary_term"],
        "quadrature_error_2d": r2.error,
    }
    D = rr.D[0][0]
    try:
        eq24 = float(P.eq24_ratio(D, rr.F[0], rr.F[1]))
    except ZeroDivisionError:
        eq24 = None
    out["hall_ratio"]["eq24_printed"] = eq24
    notes = []
    if abs(rr.Q - 1) > 1e-6:
        notes.append(f"Q = {rr.Q:.10g}: Eq. (24) assumes Q = 1; the solved ratio is "
                     "(D F_y - Q F_x)/(D F_x + Q F_y)")
    if max(abs(v) for v in out["boundary_term"]) > 1e-12:
        notes.append("boundary term [a_J rho sin(theta)] does not vanish (slowly decaying profile):"
                     " the plane integral (22c) and the reduced form (26)/(28) differ by it")
    out["notes"] = notes
    out["routes"] = routes_agree(out)
    return out


def routes_agree(out: dict) -> dict:
    """Do the two routes agree within their error estimate?  Q, D, F are compared (ν and the
    Hall ratio follow from them by the same algebra).  Tolerance for each: 10 × the 2D
    quadrature error estimate + 10^-8 × max(1, |value|), plus |boundary term| for F (the plane
    integral and the reduced form differ by it when it does not vanish).

    >>> routes_agree({"Q": {"difference": 0.5, "reduced": 1}, "D": {"difference": [[0]], "reduced": [[1]]},
    ...               "F": {"difference": [0, 0], "reduced": [0, 1]}, "boundary_term": [0, 0],
    ...               "quadrature_error_2d": 1e-12})["agree"]
    False
    """
    def flat(x):
        if x is None:
            return []
        if isinstance(x, (list, tuple)):
            return [v for item in x for v in flat(item)]
        return [abs(float(x))]

    err = float(out.get("quadrature_error_2d") or 0)
    worst, bad = None, []
    for key in ("Q", "D", "F"):
        diff = max(flat(out[key]["difference"]), default=0.0)
        scale = max(flat(out[key]["reduced"]) + [1.0])
        tol = 10 * err + 1e-8 * scale + (sum(flat(out.get("boundary_term"))) if key == "F" else 0)
        if not diff <= tol:           # also catches nan
            bad.append(key)
            worst = worst or f"|difference of {key}| = {diff:.3g} > tolerance {tol:.3g}"
    return {"agree": not bad, "disagree": bad, "detail": worst or "",
            "error_estimate_2d": err}


def _velocities_vs_helicity(prof, model, J, coeffs, alpha_g, deltas, dps: int = 20):
    """ν(δ) (reduced route) using F(δ) = cos δ F(0) + sin δ F(π/2)."""
    r0 = route_reduced(prof, model, 0, J, coeffs, alpha_g, dps=dps, include_boundary=True)
    r1 = route_reduced(prof, model, sympy.pi / 2, J, coeffs, alpha_g, dps=dps, include_boundary=True)
    out = []
    for d_ in deltas:
        F = [math.cos(d_) * r0.F[i] + math.sin(d_) * r1.F[i] for i in range(2)]
        out.append(thiele_velocity(r0.Q, r0.D, F))
    return out


def force_vs_helicity(prof, model, J, coeffs, alpha_g, deltas, *, dps: int = 20):
    """ν_y/ν_x for several helicities (reduced route, F of the definition 22c).

    Uses F(δ) = cos δ F(0) + sin δ F(π/2): the reduced integrands are linear in
    (cos δ, sin δ) (see :func:`reduced_integrands`); checked against a direct
    evaluation in the tests.
    """
    return [hall_ratio(nu) for nu in _velocities_vs_helicity(prof, model, J, coeffs, alpha_g,
                                                             deltas, dps)]


def plot_hall_ratio(prof: Profile, coeffs: dict, alpha_g, J=(1, 0), path=None, *,
                    models=MODELS, n: int = 181):
    """Plot ν_y/ν_x (top) and the direction of ν (bottom) against the helicity δ ∈ [−π, π].

    Both models, the same coefficients.  The ratio is π-periodic in δ; the direction
    of motion is not (ν(δ + π) = −ν(δ)).  Returns the matplotlib Figure and writes
    ``path`` when given (matplotlib Agg backend).
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    deltas = np.linspace(-np.pi, np.pi, n)
    fig, (ax, ax2) = plt.subplots(2, 1, figsize=(6, 6), sharex=True)
    for model in models:
        nus = _velocities_vs_helicity(prof, model, J, coeffs, alpha_g, deltas)
        ys = np.array([np.nan if hall_ratio(v) is None else hall_ratio(v) for v in nus], dtype=float)
        ys[np.abs(ys) > 50] = np.nan        # poles where ν_x = 0
        ax.plot(deltas, ys, label=model)
        ang = np.array([math.atan2(v[1], v[0]) for v in nus])
        ang[np.r_[False, np.abs(np.diff(ang)) > np.pi]] = np.nan     # break the 2π jumps
        ax2.plot(deltas, ang, label=model)
    ax.set_ylabel(r"$\nu_y/\nu_x$")
    ax.axhline(0, color="0.7", lw=0.5)
    ax.set_title(rf"$\theta(\rho) = {sympy.latex(prof.theta)}$, $J = ({J[0]}, {J[1]})$", fontsize=9)
    ax.legend()
    ax2.set_ylabel(r"direction of $\nu$ (rad)")
    ax2.set_xlabel(r"helicity $\delta$")
    ax2.set_xticks([-np.pi, -np.pi / 2, 0, np.pi / 2, np.pi])
    ax2.set_xticklabels([r"$-\pi$", r"$-\pi/2$", "0", r"$\pi/2$", r"$\pi$"])
    fig.tight_layout()
    if path is not None:
        from streda.verify.outputs import atomic_path

        with atomic_path(path) as tmp:
            fig.savefig(tmp)
    return fig


# --------------------------------------------------------------------------- claims
def judge_claims(prof: Profile, coeffs: dict, alpha_g, *, dps: int = 20, rtol: float = 1e-9) -> list:
    """Judge the statements of Sec. IV.C for this profile and these coefficients.

    Each claim gets a :class:`streda.verify.compare.Comparison` with status and
    reason.  Claims stated for b_J = d_J = 0 use the given a_J, c_J with b = d = 0.
    """
    from streda.verify.compare import AGREES, DIFFERS, NOT_COMPARABLE, Comparison
    from streda.verify.printed import skyrmion as P

    def rec(key, ok, reason, computed="", printed="", status=None):
        cl = next(c for c in P.CLAIMS if c.key == key)
        st = status or (AGREES if ok else DIFFERS)
        return Comparison(equation="IV.C", row=key, status=st, reason=reason, computed=str(computed),
                          printed=cl.text)

    def close(u, v):
        u, v = np.asarray(u, dtype=float), np.asarray(v, dtype=float)
        return bool(np.all(np.abs(u - v) <= rtol * max(1.0, float(np.max(np.abs(v))))))

    def red(model, d_, J, cf):     # F of the definition (22c): boundary term included
        return route_reduced(prof, model, d_, J, cf, alpha_g, dps=dps, include_boundary=True)

    recs = []
    base = red("rashba", 0, (1, 0), coeffs)
    Q, D = base.Q, base.D[0][0]
    recs.append(rec("Q", abs(Q - 1) < 1e-8, f"Q = {Q:.12g} for this profile: Q = (cos theta(0) - "
                    "cos theta(inf))/2 with Phi = phi + delta; Q = +1 needs theta(0) = 0, "
                    "theta(inf) = pi", Q))
    bd0 = dict(coeffs, b=sympy.Integer(0), d=sympy.Integer(0))
    for key in ("neel_rashba", "neel_dresselhaus", "bloch_rashba", "bloch_dresselhaus"):
        cl = next(c for c in P.CLAIMS if c.key == key)
        r = red(cl.model, cl.helicity, cl.current, bd0)
        F = r.F
        along = {"x": abs(F[1]) <= rtol * max(abs(F[0]), 1e-300),
                 "y": abs(F[0]) <= rtol * max(abs(F[1]), 1e-300)}[cl.force_direction]
        want = D if cl.ratio == "D" else -1 / D
        hr = r.hall_ratio
        scale = max([abs(float(v.subs(mz, z))) for v in bd0.values() for z in (-1, 0, 1)] + [1e-300])
        if max(abs(F[0]), abs(F[1])) <= 1e-12 * scale * math.hypot(*map(float, cl.current)):
            recs.append(rec(key, False, "F = 0 (A = 0 for these coefficients): no motion, ratio "
                            "undefined", F, status=NOT_COMPARABLE))
            continue
        ok = along and hr is not None and abs(hr - want) <= 1e-8 * max(1, abs(want))
        reason = (f"F = ({F[0]:.6g}, {F[1]:.6g}) {'along' if along else 'NOT along'} "
                  f"{cl.force_direction}; nu_y/nu_x = {hr if hr is None else f'{hr:.10g}'} vs "
                  f"{cl.ratio} = {want:.10g} (D = {D:.10g}, Q = {Q:.6g}); with F along one axis "
                  f"the solved ratio is D/Q or -Q/D, so the claim needs Q = +1")
        recs.append(rec(key, ok, reason, hr))
    # δ = π/2 vs −π/2 and δ = 0 vs π (general coefficients)
    for key, (d1, d2) in (("bloch_pm", (sympy.pi / 2, -sympy.pi / 2)), ("neel_0_pi", (0, sympy.pi))):
        for model in MODELS:
            r1, r2 = red(model, d1, (1, 0), coeffs), red(model, d2, (1, 0), coeffs)
            opposite = close(r2.nu, [-v for v in r1.nu])
            same_ratio = (r1.hall_ratio is not None and r2.hall_ratio is not None
                          and abs(r1.hall_ratio - r2.hall_ratio) <= 1e-8 * max(1, abs(r1.hall_ratio)))
            if key == "bloch_pm":
                ok = not same_ratio
                reason = (f"{model}: nu(delta+pi) = -nu(delta) ({opposite}); nu_y/nu_x = "
                          f"{r1.hall_ratio} vs {r2.hall_ratio}: the ratio (the paper's Hall angle, "
                          "Eq. 24) is the SAME; only the direction of motion is reversed")
            else:
                ok = opposite and max(abs(v) for v in r1.nu) > 0
                reason = (f"{model}: nu(pi) = -nu(0) ({opposite}): they move in opposite directions"
                          f" with the same ratio nu_y/nu_x = {r1.hall_ratio}")
            c = rec(key, ok, reason, (r1.nu, r2.nu))
            c.column = model
            recs.append(c)
    # Rashba-Neel ≡ Dresselhaus-Bloch, with the same coefficients and with the mapped ones
    from streda.verify.dresselhaus import mapping_sign

    for key in ("equiv_x", "equiv_y"):
        cl = next(c for c in P.CLAIMS if c.key == key)
        rR = red("rashba", 0, cl.current, coeffs)
        rD = red("dresselhaus", cl.helicity, cl.current, coeffs)
        ok = close(rD.nu, rR.nu)
        recs.append(rec(key, ok, f"same a_J..d_J in both models: nu_R = {rR.nu}, nu_D = {rD.nu}",
                        (rR.nu, rD.nu)))
        mapped = {k: mapping_sign * v for k, v in coeffs.items()}
        rDm = red("dresselhaus", cl.helicity, cl.current, mapped)
        okm = close(rDm.nu, rR.nu)
        c = rec(key, okm, (f"with the Dresselhaus coefficients derived from the mapping (a_D = "
                           f"{mapping_sign:+d} a_R, ...): nu_D = {rDm.nu} = -nu_R; the ratio "
                           f"nu_y/nu_x is unchanged ({rDm.hall_ratio} vs {rR.hall_ratio})"),
                (rR.nu, rDm.nu))
        c.column = "mapped coefficients"
        recs.append(c)
    # constant a, b = c = d = 0: F vanishes only if the boundary term does
    const = {"a": sympy.Integer(1), "b": sympy.Integer(0), "c": sympy.Integer(0), "d": sympy.Integer(0)}
    r2 = route_2d(prof, "rashba", 0, (1, 0), const, alpha_g)
    rr = route_reduced(prof, "rashba", 0, (1, 0), const, alpha_g, dps=dps)
    zero = max(abs(v) for v in r2.F) <= 1e-10
    recs.append(rec("needs_angular_a", zero,
                    f"a_J = 1, b = c = d = 0: plane integral (22c) F = {r2.F}, reduced (26) F = {rr.F},"
                    f" boundary term {rr.extra['boundary_term']}; the statement holds iff "
                    "rho sin(theta) -> 0 at infinity (localised profile)", r2.F))
    return recs
