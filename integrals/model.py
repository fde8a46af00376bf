"""The Bychkov–Rashba model of the paper, Eq. (8) and (C1), and its parameters.

    H = p²/2m_e + α_R (σ×p)_z − M_x σ_x − M_z σ_z + V(r),

Gaussian white-noise disorder ⟨V V⟩ = δ(r−r')/(m_e τ), Born self-energy ∓iγ with
γ = 1/2τ (upper band, Eq. C1–C3).  Units: ħ = 1; unless given, m_e = 1, e = 1
and α_R = +√(Δ/m_e) with Δ = m_e α_R².

Symbols used everywhere in streda live here (:data:`eps`, :data:`gamma`, ...).
A numeric parameter point is a :class:`RashbaModel`; it is validated once, at
the edge, and refuses points outside the model's validity with a
:class:`ModelError` whose message is one line.

>>> pt = RashbaModel.from_string("eps=1,gamma=1/10,Delta=3/10,Mz=2/5")
>>> pt.gamma, pt.alpha
(1/10, sqrt(30)/10)
>>> RashbaModel.from_string("eps=1,gamma=0,Delta=1,Mz=0")
Traceback (most recent call last):
...
streda.integrals.model.ModelError: gamma must be > 0 (got 0): the Born broadening γ = 1/2τ is positive
>>> upper_band_threshold(Delta=1, Mz=sympy.Rational(1, 2))
1/2
"""
from __future__ import annotations

from dataclasses import dataclass, field, fields

import mpmath
import sympy

__all__ = [
    "eps", "gamma", "Delta", "Mz", "Mx", "m_e", "e_charge", "alpha_R", "tau",
    "ModelError", "RashbaModel", "parse_params", "split_params", "upper_band_threshold",
    "DEFAULT_POINT", "PARAMETER_NAMES", "lambda2", "s_root", "t_root",
]

eps = sympy.Symbol("varepsilon", real=True)
gamma = sympy.Symbol("gamma", positive=True)
Delta = sympy.Symbol("Delta", positive=True)
Mz = sympy.Symbol("M_z", real=True)
Mx = sympy.Symbol("M_x", real=True)
m_e = sympy.Symbol("m_e", positive=True)
e_charge = sympy.Symbol("e", positive=True)
alpha_R = sympy.Symbol("alpha_R", positive=True)
tau = sympy.Symbol("tau", positive=True)

#: parameter names accepted on the command line, with their meaning
PARAMETER_NAMES = {
    "eps": "Fermi energy ε",
    "gamma": "broadening γ = 1/2τ (> 0)",
    "Delta": "Δ = m_e α_R² (> 0)",
    "Mz": "out-of-plane exchange field M_z",
    "Mx": "in-plane exchange field M_x",
    "m": "electron mass m_e (default 1)",
    "e": "electron charge e (default 1)",
    "alpha": "Rashba coupling α_R (default +√(Δ/m_e))",
    "gamma_z": "σ_z part of the self-energy, Σ = ∓i(γ + γ_z σ_z) (negative control; default 0)",
}

#: the default parameter point used by the CLI when ``--params`` is not given
DEFAULT_POINT = "eps=1,gamma=1/10,Delta=3/10,Mz=2/5"


class ModelError(ValueError):
    """Parameters outside the model's validity, or malformed parameter input."""


def _number(name: str, text) -> sympy.Expr:
    """Parse one parameter value into an exact real sympy number (via :mod:`streda.integrals.expr`,
    the safe whitelist reader: no text is evaluated as code).

    >>> _number("eps", "__import__('os')")
    Traceback (most recent call last):
    ...
    streda.integrals.model.ModelError: parameter eps: cannot read "__import__('os')": only numbers, + - * / ** and the functions abs, acos, asin, atan, atan2, cos, cosh, exp, log, sin, sinh, sqrt, tan, tanh are allowed (found a call of __import__)
    """
    from .expr import ExprError, parse_number

    if isinstance(text, str) and not text.strip():
        raise ModelError(f"parameter {name} has no value")
    try:
        return parse_number(text, f"parameter {name}")
    except ExprError as exc:
        msg = str(exc)
        raise ModelError(msg if msg.startswith(f"parameter {name}") else f"parameter {name}: {msg}") from None


def split_params(text: "str | None"):
    """The (name, value text) pairs of ``"name=value,..."``; empty items are skipped.

    >>> list(split_params("eps=1, gamma=1/10,"))
    [('eps', '1'), ('gamma', '1/10')]
    """
    for item in (text or "").split(","):
        item = item.strip()
        if not item:
            continue
        if "=" not in item:
            raise ModelError(f"parameter {item!r} is not of the form name=value")
        name, value = (x.strip() for x in item.split("=", 1))
        yield name, value


def parse_params(text: str | None) -> dict[str, sympy.Expr]:
    """Parse ``"eps=..,gamma=..,Delta=..,Mz=.."`` into exact sympy numbers.

    >>> parse_params("eps=1.5, gamma=1/10")
    {'eps': 3/2, 'gamma': 1/10}
    >>> parse_params("eps=1,beta=2")
    Traceback (most recent call last):
    ...
    streda.integrals.model.ModelError: unknown parameter 'beta'; known: eps, gamma, Delta, Mz, Mx, m, e, alpha, gamma_z
    """
    out: dict[str, sympy.Expr] = {}
    for name, value in split_params(text):
        if name not in PARAMETER_NAMES:
            raise ModelError(f"unknown parameter {name!r}; known: {', '.join(PARAMETER_NAMES)}")
        if name in out:
            raise ModelError(f"parameter {name} given twice")
        out[name] = _number(name, value)
    return out


def upper_band_threshold(Delta, Mz, Mx=0, m=1, dps: int = 30):
    """The upper-band threshold E*: the bottom of the upper spin sub-band.

    E* = min_p [ p²/2m + |α p_y − M_x ... | ] (see footnote 47 of the paper, which
    bounds it from above by m α²/2 + √(M_z² + (|M_x| − m α²)²)).  For M_x = 0 the
    minimum is at p = 0 and E* = |M_z| exactly.  For M_x ≠ 0 the convex function
    f(p_y) = p_y²/2m + √((α p_y − |M_x|)² + M_z²) is minimised numerically at
    ``dps`` digits and returned as an mpmath number.
    """
    Delta, Mz, Mx, m = (_number(n, x) for n, x in zip(("Delta", "Mz", "Mx", "m"), (Delta, Mz, Mx, m)))
    if Mx == 0:
        return abs(Mz)
    with mpmath.workdps(dps + 10):
        alpha = mpmath.sqrt(mpmath.mpf(sympy.N(Delta / m, dps + 10)))
        mx = abs(mpmath.mpf(sympy.N(Mx, dps + 10)))
        mz = mpmath.mpf(sympy.N(Mz, dps + 10))
        mm = mpmath.mpf(sympy.N(m, dps + 10))

        def f(p):
            return p * p / (2 * mm) + mpmath.sqrt((alpha * p - mx) ** 2 + mz ** 2)

        lo, hi = mpmath.mpf(0), mx / alpha  # the minimiser lies between 0 and |M_x|/α
        gr = (mpmath.sqrt(5) - 1) / 2
        for _ in range(int(3.4 * (dps + 10)) + 20):  # golden section, convex f
            a = hi - gr * (hi - lo)
            b = lo + gr * (hi - lo)
            if f(a) < f(b):
                hi = b
            else:
                lo = a
        val = f((lo + hi) / 2)
    return +val


@dataclass(frozen=True)
class RashbaModel:
    """A validated numeric parameter point of the model (8)/(C1).

    All values are exact sympy numbers; :meth:`mp` gives mpmath values at a
    working precision.  ``alpha`` defaults to +√(Δ/m).
    """

    eps: sympy.Expr
    gamma: sympy.Expr
    Delta: sympy.Expr
    Mz: sympy.Expr = sympy.Integer(0)
    Mx: sympy.Expr = sympy.Integer(0)
    m: sympy.Expr = sympy.Integer(1)
    e: sympy.Expr = sympy.Integer(1)
    alpha: sympy.Expr | None = field(default=None)
    #: σ_z part of the self-energy, Σ^{R,A} = ∓i(γ + γ_z σ_z); 0 in the paper's model.
    #: A non-zero value is a *negative control* (spin-dependent disorder).
    gamma_z: sympy.Expr = sympy.Integer(0)

    def __post_init__(self) -> None:
        for f in fields(self):
            v = getattr(self, f.name)
            if v is not None and not isinstance(v, sympy.Basic):
                object.__setattr__(self, f.name, _number(f.name, v))
        if not self.gamma > 0:
            raise ModelError(
                f"gamma must be > 0 (got {self.gamma}): the Born broadening γ = 1/2τ is positive")
        if not self.Delta > 0:
            raise ModelError(f"Delta must be > 0 (got {self.Delta}): Δ = m_e α_R² is positive")
        if not self.m > 0:
            raise ModelError(f"m must be > 0 (got {self.m})")
        if self.e == 0:
            raise ModelError("e must be non-zero")
        a = sympy.sqrt(self.Delta / self.m)
        if self.alpha is None:
            object.__setattr__(self, "alpha", sympy.nsimplify(a))
        elif sympy.simplify(self.alpha ** 2 * self.m - self.Delta) != 0 or not self.alpha > 0:
            raise ModelError(
                f"alpha={self.alpha} is inconsistent with Delta=m*alpha^2 (Delta={self.Delta}, m={self.m});"
                " give two of them")
        Es = upper_band_threshold(self.Delta, self.Mz, self.Mx, self.m)
        if not self.eps > Es:
            raise ModelError(
                f"eps={self.eps} is not above the upper-band threshold E*={sympy.N(Es, 12)}:"
                " the Born self-energy −iγ (Eq. C1) holds only for ε > E* (footnote 47)")

    @classmethod
    def from_string(cls, text: str | None = None, **overrides) -> "RashbaModel":
        """Build from ``"name=value,..."`` (defaults: :data:`DEFAULT_POINT`)."""
        vals = parse_params(DEFAULT_POINT)
        vals.update(parse_params(text))
        vals.update(overrides)
        return cls(**vals)

    def subs(self) -> dict:
        """Substitution dictionary for the sympy symbols of this module."""
        return {eps: self.eps, gamma: self.gamma, Delta: self.Delta, Mz: self.Mz, Mx: self.Mx,
                m_e: self.m, e_charge: self.e, alpha_R: self.alpha, tau: 1 / (2 * self.gamma)}

    def mp(self, name: str):
        """The parameter ``name`` as an mpmath number at the current precision."""
        return mpmath.mpmathify(sympy.N(getattr(self, name), mpmath.mp.dps + 5))

    def as_dict(self) -> dict[str, str]:
        """Parameters as exact strings (for JSON records)."""
        return {f.name: str(getattr(self, f.name)) for f in fields(self)}


def lambda2(eps_=eps, Delta_=Delta, Mz_=Mz):
    """λ² = Δ² + 2εΔ + M_z² (after Eq. C3)."""
    return Delta_ ** 2 + 2 * eps_ * Delta_ + Mz_ ** 2


def s_root(eps_=eps, gamma_=gamma, Delta_=Delta, Mz_=Mz):
    """s = √(λ² + 2iγΔ), the square root in the retarded poles x± = ε + iγ + Δ ∓ s (Eq. C3)."""
    return sympy.sqrt(lambda2(eps_, Delta_, Mz_) + 2 * sympy.I * gamma_ * Delta_)


def t_root(eps_=eps, gamma_=gamma, Delta_=Delta, Mz_=Mz):
    """t = √(λ² − 2iγΔ), its advanced counterpart (γ → −γ)."""
    return sympy.sqrt(lambda2(eps_, Delta_, Mz_) - 2 * sympy.I * gamma_ * Delta_)
