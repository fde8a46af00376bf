"""Complex numbers over an exact real field: re + i·im with parts in any ring.

Used for exact values (FLINT rationals or :class:`~streda.integrals.exact.KFrac`
rational functions); ``None`` stands for an exact zero part so that no zero
constructor is needed.

>>> from fractions import Fraction as F
>>> z = Cx(F(1), F(2)) * Cx(F(0), F(1))
>>> z.re, z.im
(Fraction(-2, 1), Fraction(1, 1))
>>> Cx.ipow(F(3), 3).im
Fraction(-3, 1)
"""
from __future__ import annotations

__all__ = ["Cx", "SelfZero"]


class SelfZero:
    """Base of part types that know their own zero (``is_zero()``), as
    :class:`~streda.integrals.exact.KFrac`; plain numbers (FLINT, Fraction, sympy) compare with 0."""

    __slots__ = ()

    def is_zero(self) -> bool:
        raise NotImplementedError


def _add(x, y):
    if x is None:
        return y
    if y is None:
        return x
    return x + y


def _neg(x):
    return None if x is None else -x


def _mul(x, y):
    if x is None or y is None:
        return None
    return x * y


class Cx:
    """re + i·im; parts are ring elements or ``None`` (exact zero)."""

    __slots__ = ("re", "im")

    def __init__(self, re=None, im=None):
        self.re, self.im = re, im

    @classmethod
    def ipow(cls, v, k: int) -> "Cx":
        """i^k · v for a real ``v``."""
        k %= 4
        return [cls(v, None), cls(None, v), cls(_neg(v), None), cls(None, _neg(v))][k]

    def __add__(self, o: "Cx") -> "Cx":
        return Cx(_add(self.re, o.re), _add(self.im, o.im))

    def __neg__(self) -> "Cx":
        return Cx(_neg(self.re), _neg(self.im))

    def __sub__(self, o: "Cx") -> "Cx":
        return self + (-o)

    def __mul__(self, o) -> "Cx":
        if not isinstance(o, Cx):
            return Cx(_mul(self.re, o), _mul(self.im, o))
        re = _add(_mul(self.re, o.re), _neg(_mul(self.im, o.im)))
        im = _add(_mul(self.re, o.im), _mul(self.im, o.re))
        return Cx(re, im)

    def map(self, f) -> "Cx":
        """Apply ``f`` to both (non-zero) parts."""
        return Cx(None if self.re is None else f(self.re), None if self.im is None else f(self.im))

    def is_zero(self) -> bool:
        def z(x):
            if x is None:
                return True
            return x.is_zero() if isinstance(x, SelfZero) else x == 0
        return z(self.re) and z(self.im)

    def __repr__(self) -> str:
        return f"Cx({self.re!r}, {self.im!r})"
