"""The code paths that issue 13 replaced, kept callable for the side-by-side benchmarks.

Not part of the package: imported only by ``benchmarks/bench_speed.py``.  Each function is
the pre-issue-13 implementation verbatim (module-level names adapted); :func:`reference_paths`
patches them into the engine for the duration of a ``with`` block.

* numeric P^(n): a fresh exact shadow backend per (word, label) (``_shadow_decay``), the pole
  series recomputed per residue, the P^(n) diagrams re-enumerated on every call, a new ball
  backend per evaluation, P^(0) re-evaluated for every order's scale;
* word products: every 2x2 product formed in full (``lmul`` without the σ shortcut);
* exact P^(n): per-word residues combined by chained additions (``KFrac.__add__``);
* γ expansion: sympy's sparse fraction field QQ(λ, a, M, N), coefficients factored by sympy
  from the expanded expression;
* the printed coefficients and the exact comparisons: ``sympy.simplify`` itself, where the
  engine now runs the same steps without the idle branches (``expansion.simplify_rational``).
"""
from __future__ import annotations

import contextlib
from fractions import Fraction

import flint
import sympy
from sympy import QQ
from sympy.polys.fields import field

from streda.integrals import bubble, evaluate, exact, expansion, harmonics, pointwise
from streda.integrals.expansion import LAM
from streda.integrals.residues import leading_tail, scaled_residue

_F, _L, _A, _M, _N = field("lambda,a,M,N", QQ)
_LMUL = harmonics.lmul


# --- numeric path -------------------------------------------------------------------

def shadow_decay_reference(word, lab, spin_dependent: bool, model: str = "rashba") -> int:
    from streda.integrals.harmonics import pauli_components
    from streda.integrals.word import count_green

    key = (tuple(word), lab, spin_dependent, model)
    if key not in pointwise._SHADOWS:
        S = pointwise.RationalPointBackend(
            s=Fraction(7919, 997), t=Fraction(6101, 1009), a=Fraction(1013, 1019), M=Fraction(409, 1021),
            N=Fraction(-311, 1031) if spin_dependent else None, model=model)
        k = bubble._split(word)
        L, _ = bubble.word_product(word[:k], S)
        R, _ = bubble.word_product(word[k:], S)
        poly, _ = pauli_components(bubble._needed(L, R, S), S)[lab]
        nR, nA = count_green(word)
        pointwise._SHADOWS[key] = leading_tail(S.coeffs(poly), 2 * (nR + nA), flint.fmpq(0))[0]
    return pointwise._SHADOWS[key]


def pole_reference(self, coeffs, side, nR, nA):
    if nR == 0 or not coeffs:
        return self.scalar(0)
    P, partner = (self.Xp, self.Xm) if side == "X+" else (self.Xm, self.Xp)
    others = [(partner, nR), (self.Yp, nA), (self.Ym, nA)]
    r = scaled_residue(coeffs, P, [(P - c, b, True) for c, b in others], nR,
                       zero=self.scalar(0), one=self.scalar(1))
    den = self.scalar(1)
    for c, b in others:
        if b:
            den *= (P - c) ** (b + nR - 1)
    return r / den


def lmul_reference(L1, L2, keep=None, unit=None):
    """Every 2x2 product formed in full (before the σ shortcut of ``harmonics.lmul``)."""
    return _LMUL(L1, L2, keep)


def ball_backend_reference(point, model="rashba"):
    """A new ball backend per call (before the backend was shared per point and precision)."""
    return pointwise.BallBackend(point.eps, point.gamma, point.Delta, point.Mz, point.gamma_z, model=model)


# --- exact path ---------------------------------------------------------------------

def add_all_reference(self, parts):
    acc = parts[0]
    for x in parts[1:]:
        acc = acc + x
    return acc


def combine_reference(self, h, arc):
    inner = exact.KFrac.zero(self)
    if h is not None:
        if h.upper is not None:
            inner = inner + self.symmetrize(h.upper).scale(2)
        if h.lower is not None:
            inner = inner - (h.lower + h.lower.flip("t")).scale(2)
    return inner if arc is None else inner - arc


# --- gamma expansion ------------------------------------------------------------------

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


def _kfrac_series_reference(F, order: int) -> dict[int, sympy.Expr]:
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


def coefficients_reference(value, order: int) -> dict:
    """The former body of ``gamma_series``: sympy coefficients per part, summed, then
    ``sympy.factor(sympy.expand(c))``."""
    out: dict = {}
    for part, unit in ((value.re, sympy.Integer(1)), (value.im, sympy.I)):
        if part is None or part.is_zero():
            continue
        for j, c in _kfrac_series_reference(part, order).items():
            out[j] = out.get(j, 0) + unit * c
    return {j: sympy.factor(sympy.expand(c)) for j, c in sorted(out.items()) if sympy.expand(c) != 0}


def simplify_reference(expr):
    """The former route of every printed coefficient and every exact comparison: ``sympy.simplify``
    itself (``expansion._paper_form``, ``verify.tensors``, ``verify.compare``)."""
    return sympy.simplify(expr)


def _to_sympy(fe) -> sympy.Expr:
    syms = {"lambda": LAM, "a": sympy.Symbol("a"), "M": sympy.Symbol("M"), "N": sympy.Symbol("N")}
    e = fe.as_expr()
    return e.subs({s: syms[s.name] for s in e.free_symbols})




@contextlib.contextmanager
def reference_paths():
    """Run the engine on the pre-issue-13 code paths inside the block (caches cleared)."""
    from streda.verify import pn

    saved = [(pointwise, "_shadow_decay", pointwise._shadow_decay),
             (pointwise._Univariate, "_pole", pointwise._Univariate._pole),
             (exact.ExactBackend, "add_all", exact.ExactBackend.add_all),
             (exact.ExactBackend, "combine", exact.ExactBackend.combine),
             (expansion, "_coefficients", expansion._coefficients),
             (expansion, "simplify_rational", expansion.simplify_rational),
             (pn, "_pn_terms", pn._pn_terms), (pn, "pn_scale", pn.pn_scale),
             (bubble, "lmul", bubble.lmul), (evaluate, "ball_backend", evaluate.ball_backend)]
    pointwise._shadow_decay = shadow_decay_reference
    pointwise._Univariate._pole = pole_reference
    # (the field backends' add_all is the former chained addition, in the same order)
    exact.ExactBackend.add_all = add_all_reference
    exact.ExactBackend.combine = combine_reference
    expansion._coefficients = coefficients_reference
    expansion.simplify_rational = simplify_reference
    pn._pn_terms = pn._pn_terms.__wrapped__
    pn.pn_scale = pn.pn_scale.__wrapped__
    bubble.lmul = lmul_reference
    evaluate.ball_backend = ball_backend_reference
    clear_caches()
    try:
        yield
    finally:
        for obj, name, val in saved:
            setattr(obj, name, val)
        clear_caches()


def clear_caches() -> None:
    """Forget every cached product, shadow and backend, so that timings start cold."""
    from streda.integrals import evaluate
    from streda.verify import pn, tensors

    pointwise._SHADOWS.clear()
    expansion._paper_form.cache_clear()
    pointwise._SHADOW_BACKENDS.clear()
    evaluate._exact_backend.cache_clear()
    evaluate._ball_backend.cache_clear()
    from streda.integrals import modular
    modular._BOUND_BACKENDS.clear()
    for f in (getattr(pn._pn_terms, "cache_clear", None), getattr(pn.pn_scale, "cache_clear", None),
              tensors._tensor.cache_clear,
              tensors.coefficient.cache_clear):
        if f:
            f()
