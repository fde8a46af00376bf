"""Expansion of exact results in the broadening γ (only when asked).

Exact values are rational functions of s = √(λ² + 2iγΔ), t = √(λ² − 2iγΔ), a, M.
With h = 2iγΔ/λ², s = λ√(1+h) and t = λ√(1−h); substituting the binomial series
and expanding every known denominator form (which may vanish at h = 0, e.g.
s − t = λh + …) gives a Laurent series in γ whose coefficients are rational
functions of λ, a, M.  The leading term ∝ 1/γ ∝ τ and the sub-leading ∝ γ⁰ are
what Eq. (15) prints.

Arithmetic is polynomial, in FLINT's ``fmpq_mpoly`` over ℚ[λ, a, M, N]: each series is
kept over one known denominator (the product of the leading coefficients of the
denominator forms), and a single gcd per output coefficient reduces it; no general
``series`` call is made.  Each output coefficient is factored by FLINT (``fmpq_mpoly.factor``)
and only renormalised by ``sympy.factor`` (signs and contents as sympy writes them).

>>> from streda.integrals import evaluate as ev
>>> from streda.integrals.word import parse_word
>>> v = ev.evaluate([(parse_word("GR px GA"), 1)], "exact")["y"]   # a/(2γ), exactly
>>> ser = gamma_series(v, 2)
>>> ser[-1], ser.get(0, 0), ser.get(1, 0)
(a/2, 0, 0)
"""
from __future__ import annotations

from fractions import Fraction
from functools import lru_cache

import flint
import sympy
from sympy.core.traversal import bottom_up

__all__ = ["gamma_series", "series_to_sympy", "sympy_gamma_series", "simplify_rational", "LAM"]

LAM = sympy.Symbol("lambda", positive=True)
_NAMES = ("lambda", "a", "M", "N")
_CTX = flint.fmpq_mpoly_ctx.get(_NAMES, "lex")
_L, _A, _M, _N = _CTX.gens()
_ZERO = _CTX.from_dict({})
_ONE = _CTX.from_dict({(0, 0, 0, 0): 1})


def _binom_half(k: int) -> Fraction:
    c = Fraction(1)
    for j in range(k):
        c *= (Fraction(1, 2) - j) / (j + 1)
    return c


def _mul(x, y, K):
    """Truncated product of two h-series (lists of polynomials)."""
    out = [_ZERO] * K
    for i, xi in enumerate(x[:K]):
        if xi == 0:
            continue
        for j in range(min(K - i, len(y))):
            if y[j] != 0:
                out[i + j] += xi * y[j]
    return out


def _inv_numerators(x, K):
    """P_0..P_{K−1} with 1/x = Σ_n P_n h^n / x₀^(n+1): all polynomials, no division
    (P_n = −Σ_{j=1..n} x_j P_{n−j} x₀^(j−1))."""
    P = [_ONE]
    x0p = [_ONE]
    for _ in range(1, K):
        x0p.append(x0p[-1] * x[0])
    for n in range(1, K):
        acc = _ZERO
        for j in range(1, n + 1):
            if j < len(x) and x[j] != 0:
                acc += x[j] * P[n - j] * x0p[j - 1]
        P.append(-acc)
    return P


class _Subst:
    """s → λS(h), t → λT(h) for polynomials in (s, t, a, M[, N]), truncated at h^K;
    coefficients are polynomials in (λ, a, M, N) over ℚ (FLINT ``fmpq_mpoly``)."""

    def __init__(self, K: int, names):
        self.K = K
        self.names = names
        S = [_binom_half(k) for k in range(K)]
        self.S = [_L * flint.fmpq(c.numerator, c.denominator) for c in S]
        self.T = [_L * flint.fmpq((-1) ** k * c.numerator, c.denominator) for k, c in enumerate(S)]
        self._pows = {"s": [[_ONE] + [_ZERO] * (K - 1)], "t": [[_ONE] + [_ZERO] * (K - 1)]}
        self._st: dict = {}

    def pow(self, var, e):
        P = self._pows[var]
        base = self.S if var == "s" else self.T
        while len(P) <= e:
            P.append(_mul(P[-1], base, self.K))
        return P[e]

    def series(self, poly):
        """The h-series of an fmpz_mpoly in (eta?, s, t, a, M[, N]) (η must not occur)."""
        K = self.K
        idx = {n: i for i, n in enumerate(self.names)}
        rest = [(k, idx[n]) for k, n in enumerate(("a", "M", "N"), start=1) if n in idx]
        groups: dict = {}
        for mon, c in poly.to_dict().items():
            key = (int(mon[idx["s"]]), int(mon[idx["t"]]))
            e = [0, 0, 0, 0]
            for k, i in rest:
                e[k] = int(mon[i])
            groups.setdefault(key, {})[tuple(e)] = int(c)
        out = [_ZERO] * K
        for (i, j), terms in groups.items():
            coef = _CTX.from_dict(terms)
            st = self._st.get((i, j))
            if st is None:
                st = self._st[(i, j)] = _mul(self.pow("s", i), self.pow("t", j), K)
            for k in range(K):
                if st[k] != 0:
                    out[k] += coef * st[k]
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
        if part is not None and part.B.spin_dependent:
            raise ValueError("gamma_series assumes M_R = M_A (scalar self-energy); a spin-dependent "
                             "value has no small-gamma expansion in this form")
    return _coefficients(value, order)


def _coefficients(value, order: int) -> dict[int, sympy.Expr]:
    raw: dict[int, list] = {}
    for part, unit in ((value.re, 0), (value.im, 1)):
        if part is None or part.is_zero():
            continue
        for j, term in _kfrac_terms(part, order).items():
            raw.setdefault(j, []).append((unit, term))
    out: dict[int, sympy.Expr] = {}
    for j, terms in sorted(raw.items()):
        if len(terms) == 1:                       # one part: factored by FLINT, then by sympy
            c = _factored(*terms[0])
            if c is not None:
                out[j] = sympy.factor(c)
            continue
        c = sum(sympy.I ** unit * _term_to_sympy(t) for unit, t in terms)
        if sympy.expand(c) != 0:
            out[j] = sympy.factor(sympy.expand(c))
    return out


def _factored(unit: int, term) -> sympy.Expr | None:
    """i^unit · c · (num/den) · (2i a²/λ²)^p as a product of FLINT's irreducible factors (None
    when zero).  ``sympy.factor`` of it renormalises each factor as it would when factoring
    the expanded expression (signs, contents), without a multivariate factorisation in sympy."""
    c, num, den, p = term
    if num == 0:
        return None
    a, lam = _A, _L
    if p >= 0:
        num, den = num * a ** (2 * p), den * lam ** (2 * p)
    else:
        num, den = num * lam ** (-2 * p), den * a ** (-2 * p)
    g = num.gcd(den)
    if g != 1 and g != 0:
        num, den = num / g, den / g
    cn, fn = num.factor()
    cd, fd = den.factor()
    coef = sympy.Rational(int(c.p), int(c.q)) * sympy.Integer(2) ** p \
        * sympy.Rational(int(cn.p), int(cn.q)) / sympy.Rational(int(cd.p), int(cd.q))
    expr = coef * sympy.I ** (unit + p)
    for f, e in fn:
        expr *= _poly_to_sympy(f) ** int(e)
    for f, e in fd:
        expr /= _poly_to_sympy(f) ** int(e)
    return expr


def _term_to_sympy(term) -> sympy.Expr:
    c, num, den, p = term
    hfac = 2 * sympy.I * sympy.Symbol("a") ** 2 / LAM ** 2
    return sympy.Rational(int(c.p), int(c.q)) * _fraction_to_sympy(num, den) * hfac ** p


def _kfrac_series(F, order: int) -> dict[int, sympy.Expr]:
    """The h-series of one KFrac as sympy coefficients (see :func:`_kfrac_terms`)."""
    return {j: _term_to_sympy(t) for j, t in _kfrac_terms(F, order).items()}


def _kfrac_terms(F, order: int) -> dict[int, tuple]:
    """The h-series of one KFrac, kept as polynomials over one known denominator:
    {γ-power j: (c, num, den, p)} with the coefficient c · num/den · h-factor^p.

    With x₀_f the leading coefficient of the (valuation-shifted) series of form f and
    G = Π_f x₀_f, every series is stored as h^k-coefficients Q_k / (C G^k); products
    then only convolve the Q's and multiply the C's, so no gcd is taken until the
    end (one per output coefficient, in FLINT).
    """
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
    sers = {}
    for k in F.den:
        ser = sub.series(B.form(k))[vals[k]:vals[k] + K]
        sers[k] = ser + [_ZERO] * (K - len(ser))
    lead = {k: ser[0] for k, ser in sers.items()}
    G = _ONE
    for k in lead:
        G = G * lead[k]
    Gp = [_ONE]
    for _ in range(1, K):
        Gp.append(Gp[-1] * G)
    tot = [c * Gp[i] for i, c in enumerate(num + [_ZERO] * (K - len(num)))]
    C = _ONE
    for k, e in F.den.items():
        rest = _ONE                                   # G / x₀_k
        for k2 in lead:
            if k2 != k:
                rest = rest * lead[k2]
        restp = [_ONE]
        for _ in range(1, K):
            restp.append(restp[-1] * rest)
        inv = [p * restp[i] for i, p in enumerate(_inv_numerators(sers[k], K))]
        for _ in range(e):
            tot = _mul(tot, inv, K)
            C = C * lead[k]
    # value = c * h^(nv - val) * tot(h),  h = 2 i gamma a^2 / lambda^2
    res: dict[int, tuple] = {}
    den = C
    for k, coef in enumerate(tot):
        p = nv - val + k
        if k:
            den = den * G
        if p > order or coef == 0:
            continue
        res[p] = (F.c, coef, den, p)
    return res


def _poly_to_sympy(p) -> sympy.Expr:
    gens = (LAM, sympy.Symbol("a"), sympy.Symbol("M"), sympy.Symbol("N"))
    terms = []
    for mon, c in p.to_dict().items():
        t = sympy.Rational(int(c.p), int(c.q))
        for g, e in zip(gens, mon):
            if e:
                t *= g ** int(e)
        terms.append(t)
    return sympy.Add(*terms)


def _fraction_to_sympy(num, den) -> sympy.Expr:
    """num/den in lowest terms (gcd in FLINT), as sympy."""
    g = num.gcd(den)
    if g != 1 and g != 0:
        num, den = num / g, den / g
    return _poly_to_sympy(num) / _poly_to_sympy(den)


def series_to_sympy(ser: dict, *, paper_symbols: bool = True) -> dict[int, sympy.Expr]:
    """Map λ, a, M to the model's ε, Δ, M_z (m_e = 1): λ² = Δ² + 2εΔ + M_z², a = √Δ."""
    if not paper_symbols:
        return ser
    return {j: _paper_form(c) for j, c in ser.items()}


@lru_cache(maxsize=1024)
def _paper_form(c: sympy.Expr) -> sympy.Expr:
    """One coefficient in ε, Δ, M_z, as ``sympy.simplify`` writes it (:func:`simplify_rational`;
    cached: symmetric tensor entries repeat it)."""
    from . import model as M

    a, Ms = sympy.Symbol("a"), sympy.Symbol("M")
    sub = {LAM: sympy.sqrt(M.lambda2()), a: sympy.sqrt(M.Delta), Ms: M.Mz, sympy.Symbol("gamma"): M.gamma}
    return simplify_rational(c.subs(sub))


#: the sympy release whose ``simplify`` :func:`simplify_rational` transcribes
_SIMPLIFY_FROM = "1.14.0"


def _plain(expr) -> bool:
    """Only Add, Mul, Pow, symbols, rationals, π and i in the tree: no function, no float,
    nothing non-commutative, so every branch of ``simplify`` guarded by ``expr.has(...)`` of a
    function class (Piecewise, sign, trig, log, gamma, Sum, Integral, Quantity, ...) is idle."""
    for n in sympy.preorder_traversal(expr):
        if not (isinstance(n, (sympy.Add, sympy.Mul, sympy.Pow, sympy.Rational)) or n is sympy.pi
                or n is sympy.I or type(n) is sympy.Symbol):
            return False
    return True


def simplify_rational(expr: sympy.Expr) -> sympy.Expr:
    """``sympy.simplify(expr)``, the identical expression, for a rational function of symbols
    with radicals (Add, Mul, Pow, rationals, π, i): the steps of sympy's ``simplify`` in the same
    order, without the branches that are idle for such an expression (deep simplification of
    function arguments, Piecewise, hyperexpand, trig/log/gamma/Sum/Integral/unit simplification,
    which also means no import of ``sympy.physics.units``), and with ``cancel`` and ``count_ops``
    done once per distinct argument.  Any other expression, or another sympy release than the one transcribed,
    goes to ``sympy.simplify`` itself.

    >>> x, y = sympy.symbols("x y")
    >>> e = (x**2 - y**2) / (x - y) + sympy.sqrt(x) * (1/x - 1)
    >>> simplify_rational(e) == sympy.simplify(e)
    True
    """
    from sympy import Mul, S, cancel, factor_terms, powsimp, together
    from sympy.core.function import _mexpand, count_ops, expand_mul, expand_power_exp
    from sympy.core.rules import Transform
    from sympy.simplify.radsimp import collect_abs, fraction, radsimp
    from sympy.simplify.simplify import signsimp
    from sympy.utilities.iterables import has_variety

    x0 = expr = sympy.sympify(expr)
    if (sympy.__version__ != _SIMPLIFY_FROM or not isinstance(expr, (sympy.Add, sympy.Mul, sympy.Pow))
            or not _plain(expr)):
        return sympy.simplify(expr)
    ratio, counted = 1.7, {}

    def measure(e):                       # count_ops, once per distinct expression
        if e not in counted:
            counted[e] = count_ops(e)
        return counted[e]

    def shorter(*choices):
        return choices[0] if not has_variety(choices) else min(choices, key=measure)

    def done(e):
        rv = e.doit()
        return shorter(rv, collect_abs(rv))

    cancelled: dict = {}

    def cancel1(e):
        if e not in cancelled:
            cancelled[e] = cancel(e)
        return cancelled[e]

    if expr.is_zero:
        return S.Zero
    original_expr = expr = collect_abs(signsimp(expr))
    if not expr.args:
        return expr
    if not _plain(expr):
        return sympy.simplify(x0)
    if not isinstance(expr, (sympy.Add, sympy.Mul, sympy.Pow)):
        return done(expr)
    # (deep simplification: no argument of a function to simplify; commutative; no floats)
    expr = bottom_up(expr, lambda w: w.normal() if isinstance(w, sympy.Expr) else w)   # every node is an Expr here
    expr = Mul(*powsimp(expr).as_content_primitive())
    _e = cancel1(expr)
    expr1 = shorter(_e, cancel1(_mexpand(_e)))
    expr2 = shorter(together(expr, deep=True), together(expr1, deep=True))
    expr = shorter(expr2, expr1, expr)
    expr = factor_terms(expr, sign=False)
    if not _plain(expr):                          # (never seen; then the general route)
        return sympy.simplify(x0)
    # (Piecewise, hyperexpand, KroneckerDelta, Bessel, trig, log, gamma, Sum, Integral, Product,
    # Quantity: idle on a plain expression)
    short = shorter(powsimp(expr, combine="exp", deep=True), powsimp(expr), expr)
    short = shorter(short, cancel1(short))
    short = shorter(short, factor_terms(short), expand_power_exp(expand_mul(short)))
    if not _plain(short):                         # (exptrigsimp would apply)
        return sympy.simplify(x0)
    hollow_mul = Transform(
        lambda x: Mul(*x.args),
        lambda x: x.is_Mul and len(x.args) == 2 and x.args[0].is_Number and x.args[1].is_Add
        and x.is_commutative)
    expr = short.xreplace(hollow_mul)
    numer, denom = expr.as_numer_denom()
    if denom.is_Add:
        n, d = fraction(radsimp(1 / denom, symbolic=False, max_terms=1))
        if n is not S.One:
            expr = (numer * n).expand() / d
    if expr.could_extract_minus_sign():
        n, d = fraction(expr)
        if d != 0:
            expr = signsimp(-n / (-d))
    if measure(expr) > ratio * measure(original_expr):
        expr = original_expr
    return done(expr)


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
