"""Expansion of exact results in the broadening γ (only when asked).

Exact values are rational functions of s = √(λ² + 2iγΔ), t = √(λ² − 2iγΔ), a, M.
With h = 2iγΔ/λ², s = λ√(1+h) and t = λ√(1−h); substituting the binomial series
and expanding every known denominator form (which may vanish at h = 0, e.g.
s − t = λh + …) gives a Laurent series in γ whose coefficients are rational
functions of λ, a, M.  The leading term ∝ 1/γ ∝ τ and the sub-leading ∝ γ⁰ are
what Eq. (15) prints.

Arithmetic uses sympy's sparse rational-function field QQ(λ, a, M); no general
``series`` call is made.

>>> from streda.integrals import evaluate as ev
>>> from streda.integrals.word import parse_word
>>> v = ev.evaluate([(parse_word("GR px GA"), 1)], "exact")["y"]   # a/(2γ), exactly
>>> ser = gamma_series(v, 2)
>>> ser[-1], ser.get(0, 0), ser.get(1, 0)
(a/2, 0, 0)
"""
from __future__ import annotations

from fractions import Fraction

import sympy
from sympy import QQ
from sympy.polys.fields import field

__all__ = ["gamma_series", "series_to_sympy", "sympy_gamma_series", "LAM"]

LAM = sympy.Symbol("lambda", positive=True)
_F, _L, _A, _M, _N = field("lambda,a,M,N", QQ)


def _binom_half(k: int) -> Fraction:
    c = Fraction(1)
    for j in range(k):
        c *= (Fraction(1, 2) - j) / (j + 1)
    return c


def _mul(x, y, K):
    out = [_F.zero] * K
    for i, xi in enumerate(x[:K]):
        if xi == 0:
            continue
        for j in range(K - i):
            if y[j] != 0:
                out[i + j] += xi * y[j]
    return out


def _inv(x, K):
    """1/x for a series with x[0] ≠ 0."""
    inv0 = 1 / x[0]
    out = [inv0] + [_F.zero] * (K - 1)
    for n in range(1, K):
        acc = _F.zero
        for j in range(1, n + 1):
            if j < len(x) and x[j] != 0:
                acc += x[j] * out[n - j]
        out[n] = -acc * inv0
    return out


class _Subst:
    """s → λS(h), t → λT(h) for polynomials in (s, t, a, M[, N]), truncated at h^K."""

    def __init__(self, K: int, names):
        self.K = K
        self.names = names
        S = [QQ(_binom_half(k).numerator, _binom_half(k).denominator) for k in range(K)]
        T = [c * (-1) ** k for k, c in enumerate(S)]
        self.S = [_F(c) * _L for c in S]
        self.T = [_F(c) * _L for c in T]
        self._pows = {"s": [[_F.one] + [_F.zero] * (K - 1)], "t": [[_F.one] + [_F.zero] * (K - 1)]}

    def pow(self, var, e):
        P = self._pows[var]
        base = self.S if var == "s" else self.T
        while len(P) <= e:
            P.append(_mul(P[-1], base, self.K))
        return P[e]

    def series(self, poly):
        """The h-series of an fmpz_mpoly in (eta?, s, t, a, M[, N])."""
        K = self.K
        out = [_F.zero] * K
        idx = {n: i for i, n in enumerate(self.names)}
        gens = {"a": _A, "M": _M, "N": _N}
        for mon, c in poly.to_dict().items():
            coef = _F(int(c))
            for name in ("a", "M", "N"):
                if name in idx and mon[idx[name]]:
                    coef *= gens[name] ** int(mon[idx[name]])
            ss = self.pow("s", int(mon[idx["s"]]))
            tt = self.pow("t", int(mon[idx["t"]]))
            prod = _mul(ss, tt, K)
            for k in range(K):
                if prod[k] != 0:
                    out[k] += coef * prod[k]
        return out


def _valuation(x):
    for k, v in enumerate(x):
        if v != 0:
            return k
    return None


def gamma_series(value, order: int) -> dict[int, sympy.Expr]:
    """Laurent coefficients {j: c_j} with value = Σ_j c_j γ^j, j ≤ ``order``.

    ``value`` is an exact :class:`~streda.integrals.cx.Cx` of KFrac; coefficients are
    sympy expressions in λ (:data:`LAM`), a (= α_R, m_e = 1) and M (= M_z).
    """
    for part in (value.re, value.im):
        if part is not None and getattr(part.B, "spin_dependent", False):
            raise ValueError("gamma_series assumes M_R = M_A (scalar self-energy); a spin-dependent "
                             "value has no small-gamma expansion in this form")
    out: dict[int, sympy.Expr] = {}
    for part, unit in ((value.re, sympy.Integer(1)), (value.im, sympy.I)):
        if part is None or part.is_zero():
            continue
        for j, c in _kfrac_series(part, order).items():
            out[j] = out.get(j, 0) + unit * c
    return {j: sympy.factor(sympy.expand(c)) for j, c in sorted(out.items()) if sympy.expand(c) != 0}


def _kfrac_series(F, order: int) -> dict[int, sympy.Expr]:
    B = F.B
    probe = _Subst(6, B.names)
    vals = {k: _valuation(probe.series(B.form(k))) for k in F.den}
    if any(v is None for v in vals.values()):
        raise ZeroDivisionError("a denominator form vanishes to high order in h")
    val = sum(vals[k] * e for k, e in F.den.items())
    nv = _valuation(probe.series(F.num))
    if nv is None:          # numerator starts beyond h^5: expand further
        big = _Subst(order + val + 8, B.names)
        nv = _valuation(big.series(F.num))
        if nv is None:
            return {}
    K = max(order + val - nv + 1, 1)              # terms of tot(h) needed
    sub = _Subst(K + max(vals.values(), default=0) + nv, B.names)
    num = sub.series(F.num)[nv:nv + K]
    tot = num + [_F.zero] * (K - len(num))
    for k, e in F.den.items():
        ser = sub.series(B.form(k))[vals[k]:vals[k] + K]
        inv = _inv(ser + [_F.zero] * (K - len(ser)), K)
        for _ in range(e):
            tot = _mul(tot, inv, K)
    c = sympy.Rational(int(F.c.p), int(F.c.q))
    # value = c * h^(nv - val) * tot(h),  h = 2 i gamma a^2 / lambda^2
    hfac = 2 * sympy.I * sympy.Symbol("a") ** 2 / LAM ** 2
    res: dict[int, sympy.Expr] = {}
    for k, coef in enumerate(tot):
        p = nv - val + k
        if p > order or coef == 0:
            continue
        res[p] = res.get(p, 0) + c * _to_sympy(coef) * hfac ** p
    return res


def _to_sympy(fe) -> sympy.Expr:
    syms = {"lambda": LAM, "a": sympy.Symbol("a"), "M": sympy.Symbol("M"), "N": sympy.Symbol("N")}
    e = fe.as_expr()
    return e.subs({s: syms[s.name] for s in e.free_symbols})


def series_to_sympy(ser: dict, *, paper_symbols: bool = True) -> dict[int, sympy.Expr]:
    """Map λ, a, M to the model's ε, Δ, M_z (m_e = 1): λ² = Δ² + 2εΔ + M_z², a = √Δ."""
    from . import model as M

    if not paper_symbols:
        return ser
    a, Ms = sympy.Symbol("a"), sympy.Symbol("M")
    sub = {LAM: sympy.sqrt(M.lambda2()), a: sympy.sqrt(M.Delta), Ms: M.Mz, sympy.Symbol("gamma"): M.gamma}
    return {j: sympy.simplify(c.subs(sub)) for j, c in ser.items()}


def sympy_gamma_series(expr: sympy.Expr, order: int) -> dict[int, sympy.Expr]:
    """The same expansion for a (small) sympy expression in the symbols s, t, a, M.

    Used for closed forms obtained by solving linear systems (vertex corrections),
    which are no longer of the KFrac form.  ``sympy.series`` in h on a small
    expression; coefficients in λ, a, M as for :func:`gamma_series`.
    """
    h = sympy.Symbol("h")
    s, t = sympy.Symbol("s"), sympy.Symbol("t")
    e2 = sympy.together(expr.subs({s: LAM * sympy.sqrt(1 + h), t: LAM * sympy.sqrt(1 - h)}))
    ser = sympy.series(e2, h, 0, order + 6).removeO()
    ser = sympy.expand(ser)
    hfac = 2 * sympy.I * sympy.Symbol("a") ** 2 / LAM ** 2
    out: dict[int, sympy.Expr] = {}
    for term in sympy.Add.make_args(ser):
        c, p = term.as_coeff_exponent(h)
        p = int(p)
        if p <= order:
            out[p] = out.get(p, 0) + c * hfac ** p
    return {p: sympy.factor(sympy.simplify(c)) for p, c in sorted(out.items()) if sympy.simplify(c) != 0}
