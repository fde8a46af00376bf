"""The second, independent method: words integrated by mpmath quadrature.

This module computes the open 2x2 integral of a word (see :mod:`streda.integrals.word`)

    I[word] = ∫ d²p/(2π)² F_1(p) ... F_k(p)        (Eq. 9, C4, C9)

without residues, to cross-check the exact engine.  It shares nothing with
that engine except the model parameters and the word vocabulary.

Method
------
* Polar coordinates p = p(cos φ, sin φ), ξ = p²/2m_e, so that
  d²p/(2π)² = (m_e/2π) dξ · (1/2π)∫dφ.
* Angle average, exact.  Every matrix is built from the model's own H(p) = h₀ + h·σ
  (:class:`~streda.integrals.models.Model`, read as polynomials in p with exact
  coefficients at the point; no text is evaluated) and v = ∂H/∂p.  With the Born
  self-energy of the disorder correlator, Σ^{R,A} = ∓i(γ + γ_vec·σ)
  (:mod:`streda.integrals.disorder`),

      G^{R,A} = [a − h₀ + b·σ] / ((a − h₀)² − b·b),   a = ε ± iγ,  b = h ∓ iγ_vec.

  For an isotropic model (for Rashba: det = (a − ξ)² − (M_z ± iγ_z)² − 2m_eα_R²ξ) the
  denominator is φ-independent and the numerator, like ``px, py, p±, vx, vy, v±``, has
  harmonics e^{ikφ}, |k| ≤ 1; Pauli matrices have k = 0.  The
  integrand is therefore a trigonometric polynomial of degree
  D ≤ #(G, p, v factors) (:func:`angle_degree`), and the trapezoidal rule on
  N equally spaced angles is exact once N > D (it integrates e^{ikφ} exactly
  unless k is a non-zero multiple of N).  We use N = D + 2.  Anisotropic models and
  models with h₀ ≠ p²/2m (power counting below) are refused.
* ξ over the whole real axis (the paper's prescription after Eq. C8).  For
  ξ < 0 the momentum p = √(2 m_e ξ) is imaginary; the angle average is even in
  p (φ → φ + π flips p), hence a rational function of ξ, and either branch of
  the root gives the same value (``branch=±1`` in :func:`average_angle`).
* The ξ-integral is :func:`mpmath.quad` (tanh-sinh) at ``dps`` + guard digits,
  split at the real parts of the poles of every G^R and G^A, the roots of
  det = 0 (:func:`xi_poles`), and at those real parts ± their imaginary parts
  (the width of each Lorentzian peak).  Without γ_z the retarded poles are
  x± = ε + iγ + Δ ∓ √(λ² + 2iγΔ) (Eq. C3).
* Large-ξ behaviour by power counting (:func:`decay_order`): G ~ 1/ξ,
  p, v ~ ξ^{1/2}.  Integrands decaying like 1/ξ² or faster are integrated over
  (−∞, ∞).  For a 1/ξ decay (e.g. the Born self-energy ∫G^R) the value is
  *defined* as the symmetric limit lim_{L→∞} ∫_{−L}^{L}, computed as
  ∫_0^∞ [f(ξ) + f(−ξ)] dξ.  Slower decay raises :class:`QuadratureError`
  (a :class:`ValueError`): the word diverges.  Power counting guarantees at
  least this decay; a word whose leading term happens to cancel decays faster
  than counted and, if counted as divergent, is refused rather than risked.
* Arithmetic: the 2x2 products at each (ξ, φ) run in python-flint ``acb``
  (midpoints only, ~15x faster than mpmath numbers) at the working precision;
  everything else, and the quadrature itself, is mpmath.

>>> from streda.integrals.model import RashbaModel
>>> pt = RashbaModel.from_string("eps=1,gamma=1/10,Delta=3/10,Mz=2/5")
>>> sigma = integrate_word_quad("GR", pt, dps=15)          # Born self-energy / α_d
>>> alpha_d = 2 * pt.mp("gamma") / pt.mp("m")
>>> mpmath.nstr(mpmath.chop(alpha_d * sigma["0"], 1e-14), 12), abs(sigma["z"]) < 1e-14
('(0.0 - 0.1j)', True)
>>> decay_order("GR sx GR px GA"), angle_degree("GR sx GR px GA")
(3, 4)
"""
from __future__ import annotations

import math
from functools import lru_cache

import flint
import mpmath
import sympy

from streda.integrals import model as M
from streda.integrals.model import RashbaModel
from streda.integrals.word import Factor, WordError, parse_word

__all__ = [
    "QuadratureError", "integrate_word_quad", "average_angle", "angle_degree", "decay_order",
    "xi_poles", "pauli_components", "GUARD_DIGITS",
]

#: extra working digits used inside the quadrature, on top of the requested ``dps``
GUARD_DIGITS = 15

_I = mpmath.mpc(0, 1)


class QuadratureError(ValueError):
    """A word that cannot be integrated: divergent, malformed or not converged."""


# ---------------------------------------------------------------- words

def _as_word(word) -> tuple:
    """Accept a token string or a tuple of :class:`Factor`; return the tuple."""
    if isinstance(word, str):
        try:
            w = parse_word(word)
        except WordError as exc:
            raise QuadratureError(str(exc)) from None
    else:
        try:
            w = tuple(word)
        except TypeError:
            w = (word,)
        if not all(isinstance(f, Factor) for f in w):
            raise QuadratureError(f"a word is a string or a tuple of Factor objects, not {word!r}")
    if not w:
        raise QuadratureError("empty word: ∫ d²p/(2π)² 1 diverges")
    return w


def angle_degree(word) -> int:
    """Upper bound on the φ-harmonic degree of the integrand: the number of G, p, v factors.

    >>> angle_degree("GA sx GR"), angle_degree("sx sy")
    (2, 0)
    """
    return sum(1 for f in _as_word(word) if f.kind != "sigma")


def decay_order(word) -> int:
    """Power-counting exponent d with |angle-averaged integrand| = O(ξ^{-d}) as |ξ| → ∞.

    G ~ ξ^{-1} and p, v ~ ξ^{1/2}; the average is a rational function of ξ,
    so d = ceil(n_G − n_{p,v}/2).  d ≥ 2: convergent; d = 1: symmetric limit;
    d ≤ 0: divergent.

    >>> decay_order("GR"), decay_order("GA px GR"), decay_order("GR px px")
    (1, 2, 0)
    """
    w = _as_word(word)
    n_g = sum(1 for f in w if f.kind == "G")
    n_p = sum(1 for f in w if f.kind in ("p", "v"))
    return math.ceil(n_g - n_p / 2)


# ---------------------------------------------------------------- parameters

class _Point:
    """The model's numbers at the current mpmath precision, derived from its H(p).

    ``model`` is a :class:`~streda.integrals.models.ModelPoint` (with an optional
    :class:`~streda.integrals.disorder.Disorder`) or a
    :class:`~streda.integrals.model.RashbaModel` (the Rashba model, γ_z as given).
    H(p) = h₀ + h·σ is read from the model as polynomials in p_x, p_y with exact
    coefficients at the point (M_x = M_y = 0: in-plane fields enter as σ insertions);
    v = ∂H/∂p likewise.  No user text is evaluated: only the model's sympy expressions.
    """

    def __init__(self, model, disorder=None) -> None:
        pt, dis = _model_point(model, disorder)
        self.point = pt
        sub = pt.subs()
        mod = pt.model
        for name in ("Mx", "My"):
            if _has_parameter(mod, name):
                sub[mod.parameter(name).symbol] = sympy.Integer(0)
        for sym, expr in mod.derived:
            sub[sym] = sympy.nsimplify(sympy.sympify(expr).subs(sub))
        H = [sympy.expand(sympy.sympify(c).subs(sub)) for c in mod.h]
        if any(c.free_symbols - {_PX, _PY} for c in H):
            raise QuadratureError(f"H of model {mod.name!r} has unset symbols at this point")
        self.h = [_poly(c) for c in H]
        self.v = {ax: [_poly(sympy.diff(c, p)) for c in H] for ax, p in (("x", _PX), ("y", _PY))}
        self.H = H
        self.eps = _mp(pt["eps"])
        born = dis.born(pt["gamma"])
        self.gamma = _mp(born[0])
        self.gvec = [_mp(g) for g in born[1:]]
        self.m = _mp(pt["m"]) if _has_parameter(mod, "m") and mod.parameter("m").symbol == M.m_e else mpmath.mpf(1)
        self.isotropic = mod.isotropic
        if not mod.isotropic:
            raise QuadratureError(f"model {mod.name!r} is anisotropic: the angle average of this path "
                                  "needs an angle-independent denominator")
        if sympy.Poly(H[0], _PX, _PY).total_degree() != 2:
            raise QuadratureError(f"model {mod.name!r}: the power counting of this path needs h0 = p^2/2m")
        self.gamma_z = self.gvec[2]
        self.born = born
        if (born[1] != 0 or born[2] != 0) and any(_poly_has_p(H[i]) for i in (1, 2)):
            raise QuadratureError("an in-plane part of the Born self-energy (in-plane magnetic disorder u) "
                                  "makes det G^-1 angle dependent: this path needs u along z")

    def ac(self, label: str):
        """(a, b) of G^label: G^{-1} = a − b·σ − h₀ with a = ε ± iγ, b = h ∓ iγ_vec."""
        s = 1 if label == "R" else -1
        return mpmath.mpc(self.eps, s * self.gamma), [mpmath.mpc(0, -s * g) for g in self.gvec]


_PX, _PY = sympy.Symbol("p_x", real=True), sympy.Symbol("p_y", real=True)


def _poly_has_p(expr) -> bool:
    return sympy.sympify(expr).has(_PX, _PY)


def _has_parameter(mod, name: str) -> bool:
    return any(p.name == name for p in mod.parameters)


def _mp(x):
    return mpmath.mpmathify(sympy.N(x, mpmath.mp.dps + 5))


def _poly(expr) -> list:
    """[(i, j, exact coefficient)] of a polynomial in p_x, p_y."""
    try:
        P = sympy.Poly(expr, _PX, _PY)
    except sympy.PolynomialError:
        raise QuadratureError(f"H(p) must be polynomial in p for this path, not {expr}") from None
    return [(i, j, c) for (i, j), c in P.terms()]


def _model_point(model, disorder):
    """(ModelPoint, Disorder) from a ModelPoint or a RashbaModel."""
    from streda.integrals.disorder import SCALAR, Disorder
    from streda.integrals.models import ModelPoint, get_model

    if isinstance(model, RashbaModel):
        if disorder is not None:
            raise QuadratureError("give the disorder with a ModelPoint, not with a RashbaModel")
        pt = get_model("rashba").point(eps=model.eps, gamma=model.gamma, Delta=model.Delta, Mz=model.Mz,
                                       m=model.m)
        dis = SCALAR if model.gamma_z == 0 else Disorder(W=(
            (1, 0, 0, model.gamma_z / (2 * model.gamma)), (0, 0, 0, 0), (0, 0, 0, 0),
            (model.gamma_z / (2 * model.gamma), 0, 0, 0)))
        return pt, dis
    if isinstance(model, ModelPoint):
        return model, disorder if disorder is not None else SCALAR
    raise QuadratureError(f"model must be a ModelPoint or a RashbaModel, not {type(model).__name__}")


def xi_poles(model, dps: int = 30, disorder=None) -> dict[str, list]:
    """Poles in ξ = p²/2m of G^R and G^A: the roots of det(G^{-1}) = 0, from the model's H.

    det(a − h₀ − (h ∓ iγ_vec)·σ) at p = (√(2mξ), 0) is a polynomial in ξ for an isotropic
    model; its roots are found by :func:`mpmath.polyroots`.  For the Rashba model without
    γ_z these are x± of Eq. (C3) (retarded) and their conjugates (advanced).

    >>> from streda.integrals.model import RashbaModel
    >>> pt = RashbaModel.from_string("eps=1,gamma=1/10,Delta=3/10,Mz=2/5")
    >>> [mpmath.nstr(x, 6) for x in xi_poles(pt, 15)["R"]]
    ['(0.377472 + 0.0674807j)', '(2.22253 + 0.132519j)']
    """
    xi = sympy.Symbol("xi")
    with mpmath.workdps(dps + GUARD_DIGITS):
        pt = _Point(model, disorder)
        pr = _model_point(model, disorder)[0]
        msym = sympy.sqrt(2 * sympy.nsimplify(pr["m"]) * xi) if _has_parameter(pr.model, "m") else sympy.sqrt(2 * xi)
        h = [c.subs({_PX: msym, _PY: 0}) for c in pt.H]
        out = {}
        for label in ("R", "A"):
            s = 1 if label == "R" else -1
            a = pr["eps"] + s * sympy.I * pt.born[0] - h[0]
            b = [h[i + 1] - s * sympy.I * pt.born[i + 1] for i in range(3)]
            det = sympy.expand(a ** 2 - b[0] ** 2 - b[1] ** 2 - b[2] ** 2)
            try:
                coeffs = sympy.Poly(det, xi).all_coeffs()
            except sympy.PolynomialError:
                raise QuadratureError("det G^-1 is not a polynomial in xi (anisotropic model?)") from None
            roots = mpmath.polyroots([mpmath.mpmathify(sympy.N(c, mpmath.mp.dps + 5)) for c in coeffs],
                                     maxsteps=200, extraprec=2 * mpmath.mp.prec)
            out[label] = sorted((mpmath.mpc(r) for r in roots), key=lambda r: (mpmath.re(r), mpmath.im(r)))
    return out


# ---------------------------------------------------------------- 2x2 algebra
# Products are taken in python-flint ``acb`` arithmetic (C level, ~15x faster than
# mpmath numbers; only the midpoints of the balls are used), at the binary
# precision of the current mpmath context.  A 2x2 matrix is a
# tuple (a, b, c, d) = [[a, b], [c, d]].

def _mul(x, y):
    a1, b1, c1, d1 = x
    a2, b2, c2, d2 = y
    return (a1 * a2 + b1 * c2, a1 * b2 + b1 * d2, c1 * a2 + d1 * c2, c1 * b2 + d1 * d2)


_I_ACB = flint.acb(0, 1)
_SIGMA = {"x": (0, 1, 1, 0), "y": (0, -_I_ACB, _I_ACB, 0), "z": (1, 0, 0, -1)}


def pauli_components(mat) -> dict:
    """Pauli components {"0","x","y","z"} of a 2x2 matrix (tuple a,b,c,d or mpmath matrix).

    >>> pauli_components((1, 2, 2, -1))
    {'0': mpf('0.0'), 'x': mpf('2.0'), 'y': mpc(real='0.0', imag='0.0'), 'z': mpf('1.0')}
    """
    if isinstance(mat, mpmath.matrix):
        a, b, c, d = mat[0, 0], mat[0, 1], mat[1, 0], mat[1, 1]
    else:
        a, b, c, d = (mpmath.mpmathify(v) for v in mat)
    return {"0": (a + d) / 2, "x": (b + c) / 2, "y": (c - b) / (2 * _I), "z": (a - d) / 2}


def _to_mp(z: "flint.acb"):
    """The midpoint of an acb ball as an mpmath mpc (exact conversion)."""
    re = z.real.mid().man_exp()
    im = z.imag.mid().man_exp()
    return mpmath.mpc(mpmath.mpf((int(re[0]), int(re[1]))), mpmath.mpf((int(im[0]), int(im[1]))))


@lru_cache(maxsize=64)
def _angles(n: int, prec: int):
    """cos and sin of 2πj/n, j = 0..n-1, as arb balls at binary precision ``prec``."""
    with flint.ctx.workprec(prec):
        return tuple(((flint.arb(2 * j) / n).cos_pi(), (flint.arb(2 * j) / n).sin_pi())
                     for j in range(n))


def _eval_poly(terms, x, y, conv):
    out = flint.acb(0)
    for i, j, c in terms:
        out += conv(c) * x ** i * y ** j
    return out


def _average(word: tuple, pt: _Point, xi, n: int, branch: int = 1):
    """Trapezoid angle average of the product at real ξ, as a 2x2 tuple of mpmath mpc.

    Exact (up to rounding) for n > :func:`angle_degree`; computed at the
    current mpmath precision.  Every matrix is built from the model's H(p):
    G = (a − h₀ + b·σ)/((a − h₀)² − b·b) with b = h ∓ iγ_vec, v = ∂H/∂p.
    """
    prec = mpmath.mp.prec
    with flint.ctx.workprec(prec):
        conv = _converter(prec)
        xi = flint.arb(mpmath.mpf(xi))
        m = flint.arb(pt.m)
        p = flint.acb(2 * m * xi).sqrt()  # principal branch: imaginary for ξ < 0
        if branch == -1:
            p = -p
        ab = {lab: pt.ac(lab) for lab in ("R", "A")}
        ab = {lab: (_acb(a), [_acb(x) for x in b]) for lab, (a, b) in ab.items()}
        total = [flint.acb(0)] * 4
        for cs, sn in _angles(n, prec):
            px, py = p * cs, p * sn
            h = [_eval_poly(t, px, py, conv) for t in pt.h]
            prod = None
            for f in word:
                if f.kind == "G":
                    a, g = ab[f.label]
                    a0 = a - h[0]
                    bx, by, bz = (h[i + 1] + g[i] for i in range(3))
                    r = 1 / (a0 * a0 - bx * bx - by * by - bz * bz)
                    mat = ((a0 + bz) * r, (bx - _I_ACB * by) * r, (bx + _I_ACB * by) * r, (a0 - bz) * r)
                elif f.kind == "sigma":
                    if f.label == "0":
                        continue
                    mat = _SIGMA[f.label]
                else:
                    if f.label == "x":
                        sx, sy = 1, 0
                    elif f.label == "y":
                        sx, sy = 0, 1
                    elif f.label == "+":
                        sx, sy = 1, _I_ACB
                    else:
                        sx, sy = 1, -_I_ACB
                    if f.kind == "p":
                        k = (sx * px + sy * py) / m
                        mat = (k, 0, 0, k)
                    else:          # v = ∂H/∂p, contracted with (sx, sy)
                        vv = [sx * _eval_poly(tx, px, py, conv) + sy * _eval_poly(ty, px, py, conv)
                              for tx, ty in zip(pt.v["x"], pt.v["y"])]
                        mat = (vv[0] + vv[3], vv[1] - _I_ACB * vv[2], vv[1] + _I_ACB * vv[2], vv[0] - vv[3])
                prod = mat if prod is None else _mul(prod, mat)
            if prod is None:
                prod = (1, 0, 0, 1)
            total = [t + q for t, q in zip(total, prod)]
        return tuple(_to_mp(t / n) for t in total)


def _acb(z):
    z = mpmath.mpmathify(z)
    return flint.acb(flint.arb(mpmath.re(z)), flint.arb(mpmath.im(z)))


@lru_cache(maxsize=8)
def _converter(prec: int):
    """Exact sympy coefficient -> acb at binary precision ``prec`` (cached per coefficient)."""
    cache: dict = {}

    def conv(c):
        hit = cache.get(c)
        if hit is None:
            if c.is_Rational:
                hit = flint.acb(flint.fmpq(int(c.p), int(c.q)))
            else:
                with mpmath.workprec(prec + 20):
                    hit = _acb(mpmath.mpmathify(sympy.N(c, int(prec * 0.302) + 10)))
            cache[c] = hit
        return hit
    return conv


def _n_angles(word: tuple, n_angles: int | None) -> int:
    if n_angles is None:
        return angle_degree(word) + 2
    if not isinstance(n_angles, int) or n_angles < 1:
        raise QuadratureError(f"n_angles must be a positive integer, not {n_angles!r}")
    return n_angles


def _real_xi(xi):
    """ξ as a real mpf at the current precision (ints, strings, sympy and mpmath numbers)."""
    try:
        val = mpmath.mpmathify(sympy.N(xi, mpmath.mp.dps + 5) if isinstance(xi, sympy.Basic) else xi)
    except (TypeError, ValueError):
        raise QuadratureError(f"xi must be a real number, not {xi!r}") from None
    if isinstance(val, mpmath.mpc):
        if val.imag != 0:
            raise QuadratureError(f"xi must be real, not {xi!r}")
        val = val.real
    if not mpmath.isfinite(val):
        raise QuadratureError(f"xi must be finite, not {xi!r}")
    return val


def average_angle(word, model, xi, *, dps: int = 30, n_angles: int | None = None,
                  branch: int = 1, disorder=None) -> mpmath.matrix:
    """The exact angle average (1/2π)∫dφ F_1…F_k at one ξ, as a 2x2 mpmath matrix.

    Trapezoid on ``n_angles`` (default degree + 2) equally spaced angles.  For
    ξ < 0, p = ±√(2m_eξ) is imaginary; ``branch=-1`` takes the other root (the
    result must not change).  Computed at ``dps`` + guard digits, returned at
    ``dps`` digits.

    >>> from streda.integrals.model import RashbaModel
    >>> pt = RashbaModel.from_string("eps=1,gamma=1/10,Delta=3/10,Mz=0")
    >>> m = average_angle("GR", pt, 1, dps=15)
    >>> abs(m[0, 1]) < 1e-14, abs(m[0, 0] - m[1, 1]) < 1e-14   # σ_φ averages out; Mz = 0
    (True, True)
    """
    w = _as_word(word)
    if branch not in (1, -1):
        raise QuadratureError(f"branch must be +1 or -1, not {branch!r}")
    n = _n_angles(w, n_angles)
    with mpmath.workdps(dps + GUARD_DIGITS):
        pt = _Point(model, disorder)
        a, b, c, d = _average(w, pt, _real_xi(xi), n, branch)
    with mpmath.workdps(dps):
        return mpmath.matrix([[+a, +b], [+c, +d]])


# ---------------------------------------------------------------- ξ-integral

def _split_points(model, dps: int, fold: bool, disorder=None) -> list:
    """Real parts of all poles and ± one half-width around them (folded onto ξ ≥ 0 if asked)."""
    pts = set()
    for poles in xi_poles(model, dps, disorder).values():
        for x in poles:
            re, im = mpmath.re(x), abs(mpmath.im(x))
            for q in (re - im, re, re + im):
                pts.add(abs(q) if fold else q)
    pts = sorted(pts)
    if fold:
        pts = [mpmath.mpf(0)] + [q for q in pts if q > 0]
    return pts


#: the range where the quadrature's error control holds: the Lorentzian peaks of width γ at the
#: poles must be resolved by the split points, which fails for γ ≤ GAMMA_MIN or |ε|/γ ≥ RATIO_MAX
GAMMA_MIN = mpmath.mpf("1e-12")
RATIO_MAX = mpmath.mpf("1e12")


def _check_range(pt) -> None:
    """Refuse points where the error estimate of :func:`mpmath.quad` cannot be trusted.

    >>> from streda.integrals.model import RashbaModel
    >>> integrate_word_quad("GA px GR", RashbaModel.from_string("eps=1,gamma=1/10**13,Delta=3/10,Mz=2/5"))
    Traceback (most recent call last):
    ...
    streda.integrals.quadrature.QuadratureError: the quadrature path holds for gamma > 1e-12 and |eps|/gamma < 1e12 (got gamma = 1.0e-13, |eps|/gamma = 1.0e+13); use the exact or ball engine
    """
    ratio = abs(pt.eps) / pt.gamma
    if pt.gamma <= GAMMA_MIN or ratio >= RATIO_MAX:
        raise QuadratureError(
            f"the quadrature path holds for gamma > 1e-12 and |eps|/gamma < 1e12 (got gamma = "
            f"{mpmath.nstr(pt.gamma, 2)}, |eps|/gamma = {mpmath.nstr(ratio, 2)}); use the exact or ball engine")


def integrate_word_quad(word, model, dps: int = 30, *, error: bool = False,
                        n_angles: int | None = None, symmetric: bool | None = None, disorder=None):
    """I[word] = ∫ d²p/(2π)² F_1(p)…F_k(p) by quadrature, as Pauli components.

    Returns ``{"0": c0, "x": cx, "y": cy, "z": cz}`` (mpmath mpc at ``dps``
    digits, I = c0·1 + c·σ), and with ``error=True`` the pair
    ``(components, err)`` where ``err`` is the largest over the four
    components of the summed :func:`mpmath.quad` error estimates (absolute).
    ``GR``/``GA`` carry the Born self-energy ∓i(γ + γ_z σ_z) (Eq. C1–C3) and
    no M_x (the in-plane field enters only as explicit ``sx``).

    ``symmetric=None`` integrates over (−∞, ∞) when the integrand decays like
    1/ξ² or faster and takes the symmetric limit ∫_0^∞ [f(ξ) + f(−ξ)] dξ for a
    1/ξ decay; ``symmetric=True`` forces the folded form (identical for a
    convergent word: a check of the implementation).  ``n_angles`` overrides
    the number of trapezoid angles (tests only).

    Raises :class:`QuadratureError` (a ValueError) for a divergent or
    malformed word, and, unless ``error=True``, when the error estimate
    exceeds 10^(5−dps) times the size of the integral (the sum of the
    magnitudes of its pieces between split points).

    >>> from streda.integrals.model import RashbaModel
    >>> pt = RashbaModel.from_string("eps=1,gamma=1/2,Delta=3/10,Mz=2/5")
    >>> c = integrate_word_quad("GA px GR", pt, dps=15)      # Eq. (C4), line 3: exact in γ
    >>> alpha_d = 2 * pt.mp("gamma") / pt.mp("m")
    >>> mpmath.nstr(mpmath.chop(alpha_d * c["y"] / pt.mp("alpha"), 1e-14), 12)
    '1.0'
    """
    w = _as_word(word)
    if not isinstance(dps, int) or isinstance(dps, bool) or not 5 <= dps <= 1000:
        raise QuadratureError(f"dps must be an integer between 5 and 1000, not {dps!r}")
    if symmetric not in (None, True, False):
        raise QuadratureError(f"symmetric must be None, True or False, not {symmetric!r}")
    text = " ".join(f.token for f in w)
    d = decay_order(w)
    if d <= 0:
        raise QuadratureError(
            f"word {text!r} diverges: its integrand decays no faster than ξ^{-d}"
            " (power counting: G ~ 1/ξ, p, v ~ √ξ)")
    if d == 1 and symmetric is False:
        raise QuadratureError(
            f"word {text!r} decays like 1/ξ: only its symmetric limit exists (symmetric=None)")
    fold = d == 1 or symmetric is True
    n = _n_angles(w, n_angles)
    split = _split_points(model, dps, fold, disorder)
    with mpmath.workdps(dps + GUARD_DIGITS):
        pt = _Point(model, disorder)
        _check_range(pt)
        cache: dict = {}

        def comps(xi):
            hit = cache.get(xi)
            if hit is None:
                mat = _average(w, pt, xi, n)
                if fold:
                    mat = tuple(u + v for u, v in zip(mat, _average(w, pt, -xi, n)))
                hit = pauli_components(mat)
                cache[xi] = hit
            return hit

        nodes = [mpmath.mpf(q) for q in split]
        nodes = ([] if fold else [mpmath.mpf("-inf")]) + nodes + [mpmath.mpf("inf")]
        measure = pt.m / (2 * mpmath.pi)
        out, errs, size = {}, [], mpmath.mpf(0)
        for key in ("0", "x", "y", "z"):
            total, err_total = mpmath.mpc(0), mpmath.mpf(0)
            for lo, hi in zip(nodes[:-1], nodes[1:]):
                val, err = mpmath.quad(lambda x, k=key: comps(x)[k], [lo, hi], error=True)
                total += val
                err_total += abs(err)
                size += abs(val) * measure
            out[key] = total * measure
            errs.append(err_total * measure)
        err = max(errs)
        if not error and err > max(size, mpmath.mpf(10) ** (-dps)) * mpmath.mpf(10) ** (5 - dps):
            raise QuadratureError(
                f"quadrature of {text!r} did not converge to {dps} digits "
                f"(error estimate {mpmath.nstr(err, 3)}, size {mpmath.nstr(size, 3)})")
    with mpmath.workdps(dps):  # rounded to the requested digits (not to the caller's context)
        out = {k: +v for k, v in out.items()}
        err = +err
    return (out, err) if error else out
