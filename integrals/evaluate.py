"""One entry point for evaluating sums of words by a chosen method.

* ``"exact"``: :class:`~streda.integrals.exact.ExactBackend` -- rational functions of
  (s, t, a, M), exact in γ; values are :class:`~streda.integrals.cx.Cx` of KFrac.
* ``"numeric"``: :class:`~streda.integrals.pointwise.BallBackend` at a
  :class:`~streda.integrals.model.RashbaModel` point -- the same residues in FLINT
  complex balls at ``dps`` working digits (callers add guard digits), with rigorous radii.

(:class:`~streda.integrals.pointwise.RationalPointBackend`, exact arithmetic at one
rational point (s, t, a, M), is used directly with :func:`~streda.integrals.bubble.integrate_sum`.)

>>> from streda.integrals.word import parse_word
>>> v = evaluate([(parse_word("GR px GA"), 1)], "exact")["y"]
>>> sympy.simplify(exact_to_sympy(v) - sympy.sqrt(Delta_) / (2 * M.gamma))
0

Results carry the m_e = 1 normalisation; :func:`restore_mass` gives the factor
m_e^{1−k/2} for a word with k velocity-type vertices (substitute p = √m_e p̃:
d²p = m_e d²p̃, p/m_e = p̃/√m_e, α_R √m_e = √Δ).
"""
from __future__ import annotations

import contextlib
from functools import lru_cache

import flint
import mpmath
import sympy

from . import model as M
from .bubble import integrate_sum
from .exact import ExactBackend
from .pointwise import BallBackend

__all__ = ["exact_backend", "ball_backend", "flint_precision", "evaluate", "restore_mass",
           "exact_to_sympy", "ball_to_strings", "ball_upper_abs", "ball_lower_abs", "ball_radius",
           "PrecisionError", "S_SYM", "T_SYM",
           "velocity_count"]

S_SYM = sympy.Symbol("s")
Delta_ = M.Delta
T_SYM = sympy.Symbol("t")


def exact_backend(spin_dependent: bool = False, model="rashba") -> ExactBackend:
    """The shared exact backend (its caches persist across calls): one per kind and model
    (a built-in name or a :class:`~streda.integrals.models.Model` with an exact frame).

    >>> exact_backend() is exact_backend(False) is exact_backend(spin_dependent=False)
    True
    """
    return _exact_backend(bool(spin_dependent), model)


@lru_cache(maxsize=None)
def _exact_backend(spin_dependent: bool, model) -> ExactBackend:
    return ExactBackend(spin_dependent=spin_dependent, model=model)


@contextlib.contextmanager
def flint_precision(dps: int):
    """Temporarily set FLINT's working precision to ``dps`` decimal digits."""
    old = flint.ctx.prec
    flint.ctx.dps = dps
    try:
        yield
    finally:
        flint.ctx.prec = old


def ball_backend(point: M.RashbaModel, model: str = "rashba") -> BallBackend:
    """Ball backend at ``point`` at the current FLINT precision, shared by the calls at the same
    (point, model, precision) so that its cached word products and pole data persist (the x and
    y components of P^(n) share their G^R-side products).  Cached results are the same bits as
    recomputed ones: every cached number was computed at this precision by the same operations.

    >>> pt = M.RashbaModel.from_string(None)
    >>> with flint_precision(30):
    ...     ball_backend(pt) is ball_backend(pt)
    True
    """
    return _ball_backend(point, model, flint.ctx.prec)


@lru_cache(maxsize=8)
def _ball_backend(point: M.RashbaModel, model, prec: int) -> BallBackend:
    return BallBackend(point.eps, point.gamma, point.Delta, point.Mz, point.gamma_z, model=model)


def evaluate(terms, method: str, point: M.RashbaModel | None = None, dps: int = 30,
             components=("0", "x", "y", "z"), spin_dependent: bool | None = None) -> dict:
    """Σ c_w I[w] over ``terms`` = [(word, c_w)] by ``method`` (m_e = 1 normalisation)."""
    if method == "exact":
        sd = bool(spin_dependent)
        return integrate_sum(terms, exact_backend(sd), components)
    if method == "numeric":
        if point is None:
            raise ValueError("numeric evaluation needs a parameter point")
        with flint_precision(dps):
            return integrate_sum(terms, ball_backend(point), components)
    raise ValueError(f"unknown method {method!r}")


def velocity_count(word) -> int:
    """Number of velocity-type vertices (p or v) in a word."""
    return sum(1 for f in word if f.kind in ("p", "v"))


def restore_mass(k: int, m=M.m_e):
    """Factor m_e^{1−k/2} that turns an m_e = 1 result with k velocity vertices into general m_e."""
    return m ** (1 - sympy.Rational(k, 2))


def exact_to_sympy(value, *, keep_roots: bool = False, spin_dependent: bool = False) -> sympy.Expr:
    """An exact value (Cx of KFrac) as a sympy expression in the model's symbols (m_e = 1).

    With ``keep_roots`` the square roots stay as the symbols ``s`` and ``t`` (compact);
    otherwise s = √(λ² + 2iγΔ), t = √(λ² − 2iγΔ), a = √Δ, M = M_z.
    """
    gz = sympy.Symbol("gamma_z", real=True)
    MR, MA = (M.Mz + sympy.I * gz, M.Mz - sympy.I * gz) if spin_dependent else (M.Mz, M.Mz)
    if keep_roots:
        subs = {"s": S_SYM, "t": T_SYM}
    else:
        # s² = Δ² + 2(ε + iγ)Δ + M_R², t² = Δ² + 2(ε − iγ)Δ + M_A² (Eq. C3 with M_R, M_A)
        D, E = M.Delta, M.eps
        subs = {"s": sympy.sqrt(D ** 2 + 2 * (E + sympy.I * M.gamma) * D + MR ** 2),
                "t": sympy.sqrt(D ** 2 + 2 * (E - sympy.I * M.gamma) * D + MA ** 2)}
    subs.update({"a": sympy.sqrt(M.Delta), "M": MR, "N": MA, "eta": sympy.Symbol("eta")})
    re = value.re.to_sympy(subs) if value.re is not None else sympy.Integer(0)
    im = value.im.to_sympy(subs) if value.im is not None else sympy.Integer(0)
    return re + sympy.I * im


def ball_upper_abs(x: flint.acb) -> mpmath.mpf:
    """A rigorous upper bound of |x| for a complex ball, as an mpmath number."""
    up = abs(x).upper()
    return mpmath.mpf(up.mid().str(30, radius=False)) + mpmath.mpf(up.rad().str(5, radius=False))


def ball_radius(x: flint.acb) -> mpmath.mpf:
    """Radius of a complex ball (max of the real and imaginary radii); +inf if not finite."""
    out = mpmath.mpf(0)
    for part in (x.real, x.imag):
        if not part.is_finite():
            return mpmath.inf
        out = max(out, mpmath.mpf(part.rad().str(10, radius=False)))
    return out


def ball_lower_abs(x: flint.acb) -> mpmath.mpf:
    """A rigorous lower bound of |x| (0 when the ball contains 0 or is not finite)."""
    if not (x.real.is_finite() and x.imag.is_finite()) or x.contains(0):
        return mpmath.mpf(0)
    lo = abs(x).lower()
    return max(mpmath.mpf(lo.mid().str(30, radius=False)) - mpmath.mpf(lo.rad().str(5, radius=False)),
               mpmath.mpf(0))


class PrecisionError(ValueError):
    """The requested digits could not be reached (the balls stayed unresolved)."""


def ball_to_strings(x: flint.acb, digits: int, zero_if_contains: bool = False) -> list[str]:
    """[re, im] of a ball's midpoint as decimal strings with ``digits`` significant digits.

    With ``zero_if_contains`` a part whose ball contains 0 is written ``"0"``."""
    out = []
    for part in (x.real, x.imag):
        out.append("0" if zero_if_contains and part.contains(0) else part.mid().str(digits, radius=False))
    return out
