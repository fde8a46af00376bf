"""Compare a regenerated expression with the one printed in the paper.

Every printed formula that streda checks lives as data in
:mod:`streda.verify.printed`; the engine regenerates the same quantity on its
own, and :func:`compare_expressions` decides, entry by entry:

* ``agrees``  -- the difference is zero (exactly, by sympy simplification, or,
  when that is inconclusive, numerically at random points to a stated number
  of digits: the reason says which);
* ``differs`` -- the difference is non-zero at a sampled point; the record
  carries the computed and printed expressions and their difference;
* ``not-comparable`` -- the print makes no comparable statement (for instance an
  ambiguous truncation order); the caller says why, see :func:`not_comparable`.

A printed formula that is *dimensionally inconsistent* (it adds an energy to an
energy squared, as Eq. (C8b) [x, y] does with ``M_z + εΔ``) is a wrong print: it
is reported ``differs``, with the dimensional reason and the regenerated
expression, by both :func:`compare_expressions` and :func:`not_comparable`.
:func:`dimension_error` does the check over the paper's units (:data:`UNITS`).

A disagreement is a finding, not an error.

>>> import sympy
>>> x, y = sympy.symbols("x y", positive=True)
>>> c = compare_expressions((x + y)**2, x**2 + 2*x*y + y**2, equation="demo")
>>> c.status, c.reason
('agrees', 'exact: sympy simplifies computed - printed to 0')
>>> compare_expressions(x*(1 + y), x, equation="demo").status
'differs'
"""
from __future__ import annotations

import random
from dataclasses import asdict, dataclass, field

import mpmath
import sympy

from streda.integrals import expansion

__all__ = ["Comparison", "compare_expressions", "not_comparable", "AGREES", "DIFFERS",
           "NOT_COMPARABLE", "summarize", "UNITS", "dimension", "dimension_error"]

AGREES, DIFFERS, NOT_COMPARABLE = "agrees", "differs", "not-comparable"


@dataclass
class Comparison:
    """One compared entry (JSON-ready through :meth:`to_json`)."""

    equation: str
    status: str
    reason: str
    computed: str
    printed: str
    row: str | None = None
    column: str | None = None
    mx_order: int | None = None
    tau_order: int | None = None
    difference: str | None = None
    extra: dict = field(default_factory=dict)

    def to_json(self) -> dict:
        d = asdict(self)
        if not d["extra"]:
            d.pop("extra")
        return d

    @property
    def label(self) -> str:
        parts = [f"Eq. ({self.equation})"]
        if self.row is not None or self.column is not None:
            parts.append(f"[{self.row or ''}{self.column or ''}]")
        if self.mx_order is not None:
            parts.append(f"M_x^{self.mx_order}")
        if self.tau_order is not None:
            parts.append(f"tau^{self.tau_order}")
        return " ".join(parts)


# ----------------------------------------------------------------------------- dimensions
#: dimension of each symbol of the paper as exponents of (energy, mass, charge), hbar = 1:
#: ε, Δ, M, γ are energies; τ = 1/2γ an inverse energy; α_R = √(Δ/m_e); p = √(energy·mass)
#: (p²/m_e is an energy); μ_x, μ_z = M/Δ_S are numbers.  Symbols not named here have an
#: unknown dimension, and no sum that contains one is judged.
UNITS: dict[str, tuple] = {
    **{n: (1, 0, 0) for n in ("varepsilon", "epsilon", "eps", "Delta", "gamma", "M_z", "M_x", "M_y",
                              "M", "Delta_S", "Gamma", "omega", "mu")},
    "tau": (-1, 0, 0), "m_e": (0, 1, 0), "m": (0, 1, 0), "e": (0, 0, 1),
    "alpha_R": (sympy.Rational(1, 2), sympy.Rational(-1, 2), 0),
    "alpha_so": (sympy.Rational(1, 2), sympy.Rational(-1, 2), 0),
    "p_x": (sympy.Rational(1, 2), sympy.Rational(1, 2), 0),
    "p_y": (sympy.Rational(1, 2), sympy.Rational(1, 2), 0),
    "mu_x": (0, 0, 0), "mu_z": (0, 0, 0),
}
_BASE = ("energy", "mass", "charge")


class DimensionError(ValueError):
    """A sum of terms of different dimensions; the message names them."""


def _dim_text(d) -> str:
    """``energy²``, ``energy^(1/2)·mass^(-1/2)``, ``a number``."""
    sup = {2: "²", 3: "³", -1: "⁻¹", -2: "⁻²", -3: "⁻³"}
    parts = []
    for name, k in zip(_BASE, d):
        if k == 0:
            continue
        parts.append(name if k == 1 else name + sup.get(k, f"^({k})"))
    return "·".join(parts) or "a number"


def dimension(expr, units: dict | None = None):
    """Dimension of ``expr`` as exponents of (energy, mass, charge), or None if unknown.

    Raises :class:`DimensionError` when a sum adds terms of different known dimensions.

    >>> eps, Delta, Mz = sympy.symbols("varepsilon Delta M_z")
    >>> dimension(Mz**2 + 2*eps*Delta)
    (2, 0, 0)
    >>> dimension(Mz + eps*Delta)  # doctest: +IGNORE_EXCEPTION_DETAIL
    Traceback (most recent call last):
    DimensionError: adds M_z (energy) to Delta*varepsilon (energy²)
    >>> dimension(sympy.Symbol("kappa") + Mz) is None     # unknown symbol: no verdict
    True
    """
    units = UNITS if units is None else units
    expr = sympy.sympify(expr)
    if expr.is_Number or expr.is_NumberSymbol or expr is sympy.I:
        return (0, 0, 0)
    if expr.is_Symbol:
        d = units.get(expr.name)
        return tuple(sympy.Rational(x) for x in d) if d is not None else None
    if isinstance(expr, sympy.Add):
        known = []
        unknown = False
        for t in expr.args:
            d = dimension(t, units)
            if d is None:
                unknown = True
            else:
                known.append((t, d))
        for t, d in known[1:]:
            if d != known[0][1]:
                a, b = known[0], (t, d)
                raise DimensionError(f"adds {sympy.sstr(a[0])} ({_dim_text(a[1])}) to "
                                     f"{sympy.sstr(b[0])} ({_dim_text(b[1])})")
        return None if unknown or not known else known[0][1]
    if isinstance(expr, sympy.Mul):
        total, unknown = [sympy.Integer(0)] * 3, False
        for f in expr.args:
            d = dimension(f, units)
            if d is None:
                unknown = True
            else:
                total = [a + b for a, b in zip(total, d)]
        return None if unknown else tuple(total)
    if isinstance(expr, sympy.Pow):
        d = dimension(expr.base, units)
        if d is None:
            return None
        if expr.exp.is_Rational:
            return tuple(x * expr.exp for x in d)
        return (0, 0, 0) if all(x == 0 for x in d) else None
    if isinstance(expr, sympy.Function) or isinstance(expr, sympy.Abs):
        ds = [dimension(a, units) for a in expr.args]
        if isinstance(expr, (sympy.Abs, sympy.re, sympy.im, sympy.conjugate)):
            return ds[0]
        return (0, 0, 0) if all(d == (0, 0, 0) for d in ds) else None
    return None


def dimension_error(expr, units: dict | None = None) -> str | None:
    """Why ``expr`` is dimensionally inconsistent, or None (consistent or undecidable).

    >>> dimension_error(sympy.sympify("M_z*alpha_R*e*m_e*(Delta*varepsilon + M_z)"))
    'adds M_z (energy) to Delta*varepsilon (energy²)'
    """
    try:
        dimension(expr, units)
    except DimensionError as exc:
        return str(exc)
    except (TypeError, AttributeError):       # matrices, relations: no verdict
        return None
    return None


def _wrong_print(computed, printed, common: dict, note: str = "") -> "Comparison | None":
    """A DIFFERS record when ``printed`` is dimensionally inconsistent and ``computed`` is not."""
    if computed is None:
        return None
    why = dimension_error(printed)
    if why is None or dimension_error(computed) is not None:
        return None
    reason = f"wrong print: dimensionally inconsistent as printed: it {why}"
    if note:
        reason += f"; note on the print: {note}"
    try:
        diff = sympy.sstr(sympy.sympify(computed) - sympy.sympify(printed))
    except (TypeError, ValueError):
        diff = None
    return Comparison(status=DIFFERS, reason=reason, difference=diff,
                      extra={"dimension": why}, **common)


def _sample_point(symbols, rng: random.Random, domain: dict | None):
    """Random rational values; ``domain`` maps a symbol to a sampler or (lo, hi)."""
    pt = {}
    for s in symbols:
        spec = (domain or {}).get(s)
        if callable(spec):
            pt[s] = spec(rng, pt)
            continue
        lo, hi = spec if spec else ((sympy.Rational(1, 10), sympy.Integer(3)) if s.is_positive
                                   else (sympy.Rational(-2), sympy.Integer(2)))
        num = rng.randint(1, 997)
        pt[s] = sympy.Rational(lo) + (sympy.Rational(hi) - sympy.Rational(lo)) * sympy.Rational(num, 998)
    return pt


def compare_expressions(computed, printed, *, equation: str, row=None, column=None,
                        mx_order=None, tau_order=None, domain: dict | None = None,
                        points: int = 4, dps: int = 40, seed: int = 20161,
                        simplify: bool = True) -> Comparison:
    """Decide whether ``computed`` equals ``printed`` (see module docstring).

    ``domain`` restricts the random sampling of symbols (a map from symbol to
    ``(lo, hi)`` or to a callable ``(rng, point_so_far) -> value``), e.g. to keep
    ε above the band threshold.  Sampling is deterministic (``seed``).
    """
    computed = sympy.sympify(computed)
    printed = sympy.sympify(printed)
    diff = computed - printed
    common = dict(equation=equation, row=row, column=column, mx_order=mx_order,
                  tau_order=tau_order, computed=sympy.sstr(computed), printed=sympy.sstr(printed))
    wrong = _wrong_print(computed, printed, common)
    if wrong is not None:
        return wrong
    # sample every symbol of either side: one that cancels in the difference still has to be
    # given a value for the scale of the comparison
    syms = sorted(computed.free_symbols | printed.free_symbols, key=lambda s: s.name)
    rng = random.Random(seed)
    worst = mpmath.mpf(0)
    evaluated = 0
    with mpmath.workdps(dps + 10):
        for _ in range(points):
            pt = _sample_point(syms, rng, domain)
            try:
                dv = complex(sympy.N(diff.subs(pt), dps))
                scale = max(abs(complex(sympy.N(computed.subs(pt), dps))),
                            abs(complex(sympy.N(printed.subs(pt), dps))), 1e-300)
            except (TypeError, ValueError, ZeroDivisionError):
                continue
            if not all(map(mpmath.isfinite, (dv.real, dv.imag))):
                continue
            evaluated += 1
            rel = abs(dv) / scale
            worst = max(worst, mpmath.mpf(rel))
            if rel > mpmath.mpf(10) ** (-(dps // 2)):
                d = expansion.simplify_rational(diff) if simplify else diff    # = sympy.simplify
                return Comparison(status=DIFFERS, difference=sympy.sstr(d), reason=(
                    f"computed - printed is non-zero: relative difference {mpmath.nstr(rel, 3)} "
                    f"at {', '.join(f'{k}={v}' for k, v in pt.items())}"), **common)
    if diff == 0 or (simplify and expansion.simplify_rational(diff) == 0):
        return Comparison(status=AGREES, reason="exact: sympy simplifies computed - printed to 0",
                          difference="0", **common)
    if evaluated == 0:
        return Comparison(status=NOT_COMPARABLE, reason=(
            f"neither exact simplification nor any of {points} sampled points could decide "
            "(the expressions did not evaluate to finite numbers there)"), **common)
    return Comparison(status=AGREES, difference="0 (numerically)", reason=(
        f"numeric: |computed - printed| / scale <= {mpmath.nstr(worst, 3)} at {evaluated} random "
        f"points with {dps} digits (exact simplification inconclusive)"), **common)


def not_comparable(computed, printed, *, equation: str, reason: str, **where) -> Comparison:
    """A record for an entry that cannot be compared as printed; ``reason`` says why.

    A print that is dimensionally inconsistent is not "not comparable" but wrong: the record
    is then DIFFERS, with the dimensional reason (``reason`` kept in brackets).

    >>> x = sympy.Symbol("x")
    >>> not_comparable(x, x, equation="demo", reason="truncation order unclear").status
    'not-comparable'
    >>> r = not_comparable(sympy.sympify("M_z**2"), sympy.sympify("M_z + Delta*varepsilon"),
    ...                    equation="demo", reason="see L578")
    >>> r.status, r.reason
    ('differs', 'wrong print: dimensionally inconsistent as printed: it adds M_z (energy) to Delta*varepsilon (energy²); note on the print: see L578')
    """
    if computed is not None and printed is not None:
        common = dict(equation=equation, computed=sympy.sstr(sympy.sympify(computed)),
                      printed=sympy.sstr(sympy.sympify(printed)), **where)
        wrong = _wrong_print(sympy.sympify(computed), sympy.sympify(printed), common, reason)
        if wrong is not None:
            return wrong
    return Comparison(equation=equation, status=NOT_COMPARABLE, reason=reason,
                      computed=sympy.sstr(sympy.sympify(computed)) if computed is not None else "",
                      printed=sympy.sstr(sympy.sympify(printed)) if printed is not None else "",
                      **where)


def summarize(records) -> dict[str, int]:
    """Count statuses: ``{'agrees': n, 'differs': n, 'not-comparable': n}``."""
    out = {AGREES: 0, DIFFERS: 0, NOT_COMPARABLE: 0}
    for r in records:
        out[r.status] += 1
    return out
