"""Truncated Laurent series in one small parameter, with exact sympy coefficients.

The Hall conductivity at leading order in the disorder strength is the w⁰ coefficient of
an expression whose pieces have poles in w (the R–A products pinch the real axis).  A
:class:`Laurent` holds ``{power: coefficient}`` up to a fixed highest power ``top``;
terms above ``top`` are dropped after every operation, so arithmetic stays exact and
finite.  Coefficients are sympy expressions, normalised by ``simp`` (default: expand and
rationalise radicals), which makes zero-testing exact for algebraic numbers.

>>> import sympy
>>> w = sympy.Symbol("w")
>>> a = Laurent.from_expr(1 + 2*w + w**2, top=2)
>>> (a.inverse() * a).coeffs
{0: 1}
>>> b = Laurent({1: sympy.Integer(1), 2: sympy.Integer(3)}, top=2)   # w + 3w²
>>> b.inverse().coeffs                                               # 1/w - 3 + O(w)
{-1: 1, 0: -3}
>>> b.log1p().coeffs                                                 # log(1 + w + 3w²)
{1: 1, 2: 5/2}
"""
from __future__ import annotations

import sympy

__all__ = ["Laurent", "simplify_coeff", "from_rational"]


def simplify_coeff(e):
    """Exact normal form of a coefficient: expanded, radicals rationalised."""
    e = sympy.expand(e)
    if e.has(sympy.Pow) and any(p.exp.is_Rational and not p.exp.is_Integer for p in e.atoms(sympy.Pow)):
        e = sympy.expand(sympy.radsimp(e))
    return e


class Laurent:
    """Σ_{k ≤ top} c_k w^k with exact coefficients (see module docstring)."""

    __slots__ = ("coeffs", "top")

    def __init__(self, coeffs: dict, top: int):
        self.top = top
        self.coeffs = {}
        for k, c in coeffs.items():
            if k > top:
                continue
            c = simplify_coeff(c)
            if c != 0:
                self.coeffs[k] = c

    # -- construction ---------------------------------------------------------------
    @classmethod
    def const(cls, c, top: int) -> "Laurent":
        return cls({0: sympy.sympify(c)}, top)

    @classmethod
    def from_expr(cls, expr, w=None, top: int = 2) -> "Laurent":
        """A polynomial in ``w`` as a series (``w`` defaults to the only free symbol 'w')."""
        w = w or sympy.Symbol("w")
        p = sympy.Poly(sympy.expand(expr), w)
        return cls({m[0]: c for m, c in zip(p.monoms(), p.coeffs())}, top)

    # -- queries --------------------------------------------------------------------
    def low(self) -> int | None:
        return min(self.coeffs) if self.coeffs else None

    def __getitem__(self, k: int):
        return self.coeffs.get(k, sympy.Integer(0))

    def is_zero(self) -> bool:
        return not self.coeffs

    def __repr__(self) -> str:
        terms = " + ".join(f"({sympy.sstr(c)})*w^{k}" for k, c in sorted(self.coeffs.items()))
        return f"Laurent({terms or '0'}; O(w^{self.top + 1}))"

    # -- arithmetic -----------------------------------------------------------------
    def _wrap(self, other) -> "Laurent":
        return other if isinstance(other, Laurent) else Laurent.const(other, self.top)

    def __add__(self, other):
        other = self._wrap(other)
        top = min(self.top, other.top)
        out = dict(self.coeffs)
        for k, c in other.coeffs.items():
            out[k] = out.get(k, 0) + c
        return Laurent(out, top)

    __radd__ = __add__

    def __neg__(self):
        return Laurent({k: -c for k, c in self.coeffs.items()}, self.top)

    def __sub__(self, other):
        return self + (-self._wrap(other))

    def __rsub__(self, other):
        return self._wrap(other) - self

    def __mul__(self, other):
        other = self._wrap(other)
        if self.is_zero() or other.is_zero():
            return Laurent({}, min(self.top, other.top))
        # precision: a term known up to `top` times a series starting at `low`
        top = min(self.top + other.low(), other.top + self.low())
        out: dict = {}
        for i, a in self.coeffs.items():
            for j, b in other.coeffs.items():
                if i + j <= top:
                    out[i + j] = out.get(i + j, 0) + a * b
        return Laurent(out, top)

    __rmul__ = __mul__

    def inverse(self) -> "Laurent":
        """1/self; the leading coefficient must be non-zero (exactly)."""
        if self.is_zero():
            raise ZeroDivisionError("inverse of a zero series")
        lo = self.low()
        lead = self.coeffs[lo]
        inv_lead = simplify_coeff(sympy.radsimp(1 / lead))
        # u = self / (lead w^lo) = 1 + t is known to O(w^(top-lo)); 1/u = Σ (−t)^n
        utop = self.top - lo
        t = Laurent({k - lo: c * inv_lead for k, c in self.coeffs.items() if k != lo}, utop)
        res = Laurent.const(1, utop)
        term = Laurent.const(1, utop)
        for _ in range(max(utop + 1, 1)):
            term = term * (-t)
            if term.is_zero():
                break
            res = res + term
        return Laurent({k - lo: c * inv_lead for k, c in res.coeffs.items()}, utop - lo)

    def __truediv__(self, other):
        return self * self._wrap(other).inverse()

    def __rtruediv__(self, other):
        return self._wrap(other) * self.inverse()

    def __pow__(self, n: int):
        if not isinstance(n, int):
            raise TypeError("only integer powers of a series")
        if n < 0:
            return self.inverse() ** (-n)
        if n == 0:
            return Laurent.const(1, self.top)
        res = self
        for _ in range(n - 1):
            res = res * self
        return res

    def log1p(self) -> "Laurent":
        """log(1 + self) for a series that vanishes at w = 0."""
        if self.is_zero():
            return self
        if self.low() < 1:
            raise ValueError("log1p needs a series that vanishes at w = 0")
        res, term = Laurent({}, self.top), Laurent.const(1, self.top)
        for n in range(1, self.top + 1):
            term = term * self
            if term.is_zero():
                break
            res = res + term * sympy.Rational((-1) ** (n + 1), n)
        return res

    def map(self, f) -> "Laurent":
        return Laurent({k: f(c) for k, c in self.coeffs.items()}, self.top)


def from_rational(expr, series: dict, top: int) -> Laurent:
    """Evaluate a sympy rational expression, replacing each symbol in ``series`` by its
    :class:`Laurent` value (other symbols and numbers are constants).

    >>> import sympy
    >>> r, w = sympy.symbols("r w")
    >>> s = {r: Laurent({0: sympy.Integer(2), 1: sympy.Integer(1)}, 2)}        # r = 2 + w
    >>> sorted(from_rational(1/(r - 2) + r, s, 2).coeffs.items())
    [(-1, 1), (0, 2)]
    """
    memo: dict = {}

    def ev(e):
        if e in memo:
            return memo[e]
        if e in series:
            out = series[e]
        elif not (e.free_symbols & set(series)):
            out = Laurent.const(e, top)
        elif e.is_Add:
            out = Laurent({}, top)
            for a in e.args:
                out = out + ev(a)
        elif e.is_Mul:
            out = Laurent.const(1, top)
            for a in e.args:
                out = out * ev(a)
        elif e.is_Pow and e.exp.is_Integer:
            out = ev(e.base) ** int(e.exp)
        else:
            raise ValueError(f"cannot expand {e} as a Laurent series")
        memo[e] = out
        return out

    return ev(expr)
