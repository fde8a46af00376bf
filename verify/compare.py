"""Compare a regenerated expression with the one printed in the paper.

Every printed formula that streda checks lives as data in
:mod:`streda.verify.printed`; the engine regenerates the same quantity on its
own, and :func:`compare_expressions` decides, entry by entry:

* ``agrees``  -- the difference is zero (exactly, by sympy simplification, or,
  when that is inconclusive, numerically at random points to a stated number
  of digits: the reason says which);
* ``differs`` -- the difference is non-zero at a sampled point; the record
  carries the computed and printed expressions and their difference;
* ``not-comparable`` -- the two cannot be compared as stated (for instance an
  ambiguous truncation order); the caller says why, see :func:`not_comparable`.

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

__all__ = ["Comparison", "compare_expressions", "not_comparable", "AGREES", "DIFFERS",
           "NOT_COMPARABLE", "summarize"]

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
                d = sympy.simplify(diff) if simplify else diff
                return Comparison(status=DIFFERS, difference=sympy.sstr(d), reason=(
                    f"computed - printed is non-zero: relative difference {mpmath.nstr(rel, 3)} "
                    f"at {', '.join(f'{k}={v}' for k, v in pt.items())}"), **common)
    if diff == 0 or (simplify and sympy.simplify(diff) == 0):
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
    """A record for an entry that cannot be compared as printed; ``reason`` says why."""
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
