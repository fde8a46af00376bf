"""Magnetic disorder V(1 + u σ_z): the ladder-dressed K at leading order in γ, in closed form.

With the correlator W = (1, u ẑ)(1, u ẑ)ᵀ (:mod:`streda.integrals.disorder`) the Born
self-energy is Σ^R = −i(γ + γ_z σ_z), γ_z = 2uγ/(1 + u²), so the exact backend runs with
independent retarded and advanced fields M_R = M_z + iγ_z, M_A = M_z − iγ_z, and the
general ladder (:mod:`streda.integrals.ladder`) replaces Γ = p/m.  This module expands the
*exact* values of the words in γ and solves the ladder on Laurent series in γ, symbolically
in (λ, a, M_z, u) with λ² = Δ² + 2εΔ + M_z², a = √Δ (m_e = 1).

Series variable.  With κ = iγ and q = κ/(1 + u²), every input is polynomial in q:

    s² = λ² + 2q((1 + u²)a² + 2uM) + 4u²q²,   t² = the same with q → −q and +4u²q²,
    M_R = M + 2uq,   M_A = M − 2uq,   α_d0 = 2γ/(1 + u²) = −2iq,

so s = λ√(1 + h_s) with h_s polynomial in k = q/λ²; the binomial series gives polynomial
coefficients in (λ, a, M, u) (FLINT ``fmpq_mpoly``).  The known denominators of the exact
backend (products of forms in s, t, a, M, N, some vanishing at γ = 0) are expanded form by
form and divided once.  Then k = iγ/((1 + u²)λ²) turns each word into a Laurent series in γ
with complex rational coefficients (:class:`Fr`), kept with an honest precision (:class:`Ser`:
terms known below γ^prec).

Ladder.  The rung X → (1 + uσ_z) X (1 + uσ_z) is :meth:`Disorder.rung` with a symbolic u.
The charge row of 1 − L is identically zero (Tr L(X) = Tr X, a Ward identity) and the right
null vector is 1 + gσ_z, g = 2u/(1 + u²); the geometric ladder series keeps D_0 = 0, so the
(x, y, z) block is solved (as :func:`streda.integrals.ladder._solve` does) and the charge
component of every source is checked to be zero as a series.

>>> from streda.integrals.magnetic_leading import Fr
>>> (Fr.const(1) / Fr.var("u")) * Fr.var("u") == Fr.const(1)
True
"""
from __future__ import annotations

from fractions import Fraction
from functools import lru_cache

import flint
import sympy

from .expansion import _binom_half, _valuation

__all__ = ["Fr", "Ser", "SYMBOLS", "U", "COEFFS", "word_series", "cx_series", "dressed_K_series",
           "ladder_map_series", "torque_closed_forms", "scalar_rung_control", "compact_forms", "abbreviations", "evaluate_forms", "MAX_ORDER"]

NAMES = ("lam", "a", "M", "u")
CTX = flint.fmpq_mpoly_ctx.get(NAMES, "lex")
_LAM, _A, _M, _U = CTX.gens()
_ZERO = CTX.from_dict({})
_ONE = CTX.from_dict({(0, 0, 0, 0): 1})
#: the sympy symbols of the closed forms: λ = √(Δ² + 2εΔ + M_z²), a = √Δ, M = M_z, u = u_z
SYMBOLS = dict(zip(NAMES, sympy.symbols("lambda a M_z u", positive=True)))
#: highest M_x order of K handled (the torques at m_x → 0 need K^(0), K^(1), K^(2))
MAX_ORDER = 2


# ---------------------------------------------------------------- complex rational functions
class Fr:
    """(nr + i·ni)/d with nr, ni, d in ℚ[λ, a, M, u] (FLINT), reduced by one gcd per operation."""

    __slots__ = ("nr", "ni", "d")

    def __init__(self, nr, ni=None, d=None, reduce=True):
        nr = nr if nr is not None else _ZERO
        ni = ni if ni is not None else _ZERO
        d = d if d is not None else _ONE
        if reduce:
            if nr == 0 and ni == 0:
                d = _ONE
            else:
                g = d.gcd(nr.gcd(ni) if ni != 0 else nr) if nr != 0 else d.gcd(ni)
                if g != 1:
                    nr, ni, d = nr / g, ni / g, d / g
                lc = d.leading_coefficient()
                if lc != 1:
                    nr, ni, d = nr / lc, ni / lc, d / lc
        self.nr, self.ni, self.d = nr, ni, d

    @classmethod
    def const(cls, x, im=0) -> "Fr":
        x, im = Fraction(x), Fraction(im)
        return cls(_ONE * flint.fmpq(x.numerator, x.denominator), _ONE * flint.fmpq(im.numerator, im.denominator))

    @classmethod
    def var(cls, name: str) -> "Fr":
        return cls(CTX.gens()[NAMES.index(name)])

    @classmethod
    def of(cls, x) -> "Fr":
        """An int, Fraction, sympy rational polynomial in the SYMBOLS (or "u"), or an Fr."""
        if isinstance(x, Fr):
            return x
        if isinstance(x, (int, Fraction)):
            return cls.const(x)
        if isinstance(x, sympy.Basic):
            return from_sympy(x)
        raise TypeError(f"not a rational function: {x!r}")

    def is_zero(self) -> bool:
        return self.nr == 0 and self.ni == 0

    def __eq__(self, o) -> bool:
        o = Fr.of(o)
        return self.nr * o.d == o.nr * self.d and self.ni * o.d == o.ni * self.d

    __hash__ = None

    def __add__(self, o) -> "Fr":
        o = Fr.of(o)
        if o.is_zero():
            return self
        if self.is_zero():
            return o
        if self.d == o.d:
            return Fr(self.nr + o.nr, self.ni + o.ni, self.d)
        return Fr(self.nr * o.d + o.nr * self.d, self.ni * o.d + o.ni * self.d, self.d * o.d)

    __radd__ = __add__

    def __neg__(self) -> "Fr":
        return Fr(-self.nr, -self.ni, self.d, reduce=False)

    def __sub__(self, o) -> "Fr":
        return self + (-Fr.of(o))

    def __rsub__(self, o) -> "Fr":
        return Fr.of(o) - self

    def __mul__(self, o) -> "Fr":
        if isinstance(o, Ser):
            return o * self
        o = Fr.of(o)
        if self.is_zero() or o.is_zero():
            return Fr(_ZERO)
        return Fr(self.nr * o.nr - self.ni * o.ni, self.nr * o.ni + self.ni * o.nr, self.d * o.d)

    __rmul__ = __mul__

    def inverse(self) -> "Fr":
        if self.is_zero():
            raise ZeroDivisionError("inverse of an exact zero")
        n2 = self.nr * self.nr + self.ni * self.ni
        return Fr(self.nr * self.d, -self.ni * self.d, n2)

    def __truediv__(self, o) -> "Fr":
        return self * Fr.of(o).inverse()

    def conj(self) -> "Fr":
        return Fr(self.nr, -self.ni, self.d, reduce=False)

    def to_sympy(self) -> sympy.Expr:
        return (_poly_sympy(self.nr) + sympy.I * _poly_sympy(self.ni)) / _poly_sympy(self.d)

    def __repr__(self) -> str:
        return f"Fr(({self.nr}) + i({self.ni}) / ({self.d}))"


def _poly_sympy(p) -> sympy.Expr:
    gens = [SYMBOLS[n] for n in NAMES]
    out = []
    for mon, c in p.to_dict().items():
        t = sympy.Rational(int(c.p), int(c.q))
        for g, e in zip(gens, mon):
            if e:
                t *= g ** int(e)
        out.append(t)
    return sympy.Add(*out)


def from_sympy(expr) -> Fr:
    """A rational function of the SYMBOLS (plain ``u``, ``a`` ... accepted) with Gaussian
    rational coefficients, as an :class:`Fr`."""
    alias = {sympy.Symbol(n): SYMBOLS[n] for n in NAMES}
    expr = expr.xreplace(alias)
    num, den = sympy.fraction(sympy.together(expr))
    gens = [SYMBOLS[n] for n in NAMES]

    def poly(e):
        P = sympy.Poly(sympy.expand(e), *gens, domain="QQ_I")
        re, im = {}, {}
        for mon, c in P.terms():
            r, i = c.as_real_imag()
            if r:
                re[mon] = flint.fmpq(int(sympy.Rational(r).p), int(sympy.Rational(r).q))
            if i:
                im[mon] = flint.fmpq(int(sympy.Rational(i).p), int(sympy.Rational(i).q))
        return CTX.from_dict(re), CTX.from_dict(im)

    nr, ni = poly(num)
    dr, di = poly(den)
    return Fr(nr, ni) / Fr(dr, di)


# ---------------------------------------------------------------- Laurent series in γ
class Ser:
    """Σ_j c[j − val] γ^j for val ≤ j < prec (terms at and above γ^prec unknown)."""

    __slots__ = ("val", "c", "prec")

    def __init__(self, val: int, coeffs, prec: int):
        coeffs = [Fr.of(x) for x in coeffs][: max(prec - val, 0)]
        while coeffs and coeffs[0].is_zero():          # normalise: c[0] ≠ 0 (true valuation)
            coeffs.pop(0)
            val += 1
        if not coeffs:
            val = prec
        self.val, self.c, self.prec = val, coeffs, prec

    @classmethod
    def monomial(cls, x, power: int = 0, prec: int = 10 ** 6) -> "Ser":
        return cls(power, [x], prec)

    def coeff(self, j: int) -> Fr:
        if j >= self.prec:
            raise ValueError(f"the coefficient of gamma^{j} is beyond the series precision (gamma^{self.prec})")
        k = j - self.val
        return self.c[k] if 0 <= k < len(self.c) else Fr(_ZERO)

    def is_zero(self) -> bool:
        return not self.c

    def __add__(self, o) -> "Ser":
        if not isinstance(o, Ser):
            o = Ser.monomial(o)
        prec = min(self.prec, o.prec)
        lo = min(self.val, o.val)
        return Ser(lo, [self.coeff(j) + o.coeff(j) for j in range(lo, prec)], prec)

    __radd__ = __add__

    def __neg__(self) -> "Ser":
        return Ser(self.val, [-x for x in self.c], self.prec)

    def __sub__(self, o) -> "Ser":
        return self + (-o)

    def __mul__(self, o) -> "Ser":
        if not isinstance(o, Ser):
            o = Fr.of(o)
            return Ser(self.val, [x * o for x in self.c], self.prec)
        val = self.val + o.val
        prec = min(self.prec + o.val, o.prec + self.val)
        out = []
        for j in range(val, prec):
            acc = Fr(_ZERO)
            for i in range(self.val, j - o.val + 1):
                x = self.coeff(i)
                if not x.is_zero():
                    y = o.coeff(j - i)
                    if not y.is_zero():
                        acc = acc + x * y
            out.append(acc)
        return Ser(val, out, prec)

    __rmul__ = __mul__

    def inverse(self) -> "Ser":
        if self.is_zero():
            raise ZeroDivisionError("the series is zero to its precision")
        v, n = self.val, self.prec - self.val
        c0i = self.c[0].inverse()
        inv = [c0i]
        for k in range(1, n):
            acc = Fr(_ZERO)
            for j in range(1, k + 1):
                if j < len(self.c):
                    acc = acc + self.c[j] * inv[k - j]
            inv.append(-(acc * c0i))
        return Ser(-v, inv, -v + n)

    def __repr__(self) -> str:
        return f"Ser(val={self.val}, prec={self.prec}, {len(self.c)} terms)"


# ---------------------------------------------------------------- exact values -> series
def _pmul(x, y, K):
    out = [_ZERO] * K
    for i, xi in enumerate(x[:K]):
        if xi == 0:
            continue
        for j in range(min(K - i, len(y))):
            if y[j] != 0:
                out[i + j] += xi * y[j]
    return out


class _KSubst:
    """s, t, M_R, M_A as power series in k = iγ/((1 + u²)λ²), truncated at k^K."""

    def __init__(self, K: int):
        self.K = K
        lin = 2 * ((1 + _U * _U) * _A * _A + 2 * _U * _M)
        quad = 4 * _U * _U * _LAM * _LAM
        self.base = {}
        for name, sign in (("s", 1), ("t", -1)):
            h = [_ZERO, sign * lin, quad] + [_ZERO] * K
            hp, ser = [_ONE] + [_ZERO] * (K - 1), [_ZERO] * K
            for n in range(K):
                b = _binom_half(n)
                ser = [x + hp[i] * flint.fmpq(b.numerator, b.denominator) for i, x in enumerate(ser)]
                hp = _pmul(hp, h, K)
            self.base[name] = [_LAM * x for x in ser]
        self.base["M"] = ([_M, 2 * _U * _LAM * _LAM] + [_ZERO] * K)[:K]
        self.base["N"] = ([_M, -2 * _U * _LAM * _LAM] + [_ZERO] * K)[:K]
        self._pows = {v: [[_ONE] + [_ZERO] * (K - 1)] for v in self.base}
        self._mon: dict = {}

    def pow(self, var, e):
        P = self._pows[var]
        while len(P) <= e:
            P.append(_pmul(P[-1], self.base[var], self.K))
        return P[e]

    def series(self, poly, names):
        """k-series (list of K polynomials) of an fmpz_mpoly in (η, s, t, a, M, N); η must not occur."""
        idx = {n: i for i, n in enumerate(names)}
        groups: dict = {}
        for mon, c in poly.to_dict().items():
            if mon[idx["eta"]]:
                raise ValueError("an integrated value still depends on eta")
            key = tuple(int(mon[idx[v]]) for v in ("s", "t", "M", "N"))
            groups.setdefault(key, {})[(0, int(mon[idx["a"]]), 0, 0)] = int(c)
        out = [_ZERO] * self.K
        for key, terms in groups.items():
            coef = CTX.from_dict(terms)
            st = self._mon.get(key)
            if st is None:
                st = [_ONE] + [_ZERO] * (self.K - 1)
                for var, e in zip(("s", "t", "M", "N"), key):
                    if e:
                        st = _pmul(st, self.pow(var, e), self.K)
                self._mon[key] = st
            for k in range(self.K):
                if st[k] != 0:
                    out[k] += coef * st[k]
        return out


@lru_cache(maxsize=4)
def _subst(K: int) -> _KSubst:
    return _KSubst(K)


def _kfrac_kseries(F, prec: int) -> tuple[int, list]:
    """(v, [Fr]) with F = Σ_j c_j k^j, j = v .. prec − 1 (real coefficients)."""
    B = F.B
    K = 6
    while True:
        sub = _subst(K)
        num = sub.series(F.num, B.names)
        dens = {f: sub.series(B.form(f), B.names) for f in F.den}
        nv = _valuation(num)
        dv = {f: _valuation(s) for f, s in dens.items()}
        if nv is not None and all(v is not None for v in dv.values()):
            v = nv - sum(dv[f] * e for f, e in F.den.items())
            need = prec - v                   # relative terms needed
            if need <= 0:
                return v, []
            if K >= need + nv and all(K >= need + dv[f] for f in dv):
                break
        if K > 40:
            raise ZeroDivisionError("an exact value vanishes to high order in gamma")
        K *= 2
    n = need
    tot = (num[nv:nv + n] + [_ZERO] * n)[:n]
    den = [_ONE] + [_ZERO] * (n - 1)
    for f, e in F.den.items():
        s = (dens[f][dv[f]:dv[f] + n] + [_ZERO] * n)[:n]
        for _ in range(e):
            den = _pmul(den, s, n)
    # 1/den = Σ P_j k^j / d0^(j+1)
    d0 = den[0]
    P, d0p = [_ONE], [_ONE]
    for _ in range(1, n):
        d0p.append(d0p[-1] * d0)
    for j in range(1, n):
        acc = _ZERO
        for i in range(1, j + 1):
            if den[i] != 0:
                acc += den[i] * P[j - i] * d0p[i - 1]
        P.append(-acc)
    c = F.c
    out = []
    for j in range(n):
        acc = _ZERO
        for i in range(j + 1):
            if tot[i] != 0 and P[j - i] != 0:
                acc += tot[i] * P[j - i] * d0p[i]
        out.append(Fr(acc * flint.fmpq(c.p, c.q), None, d0p[j] * d0 if j else d0))
    return v, out


def _kfrac_gseries(F, prec: int, imag: bool) -> Ser:
    """The γ-series of F (or of i·F) with k = iγ/((1 + u²)λ²), known below γ^prec."""
    if F is None or F.is_zero():
        return Ser(prec, [], prec)
    v, cs = _kfrac_kseries(F, prec)
    kfac = Fr(_ONE) / Fr((1 + _U * _U) * _LAM * _LAM)       # k = i γ · kfac
    out = []
    for j, cj in enumerate(cs, start=v):
        x = cj * _ipow(j + (1 if imag else 0)) * _frpow(kfac, j)
        out.append(x)
    return Ser(v, out, prec)


def _ipow(k: int) -> Fr:
    return [Fr.const(1), Fr.const(0, 1), Fr.const(-1), Fr.const(0, -1)][k % 4]


def _frpow(x: Fr, j: int) -> Fr:
    if j < 0:
        x, j = x.inverse(), -j
    out = Fr.const(1)
    for _ in range(j):
        out = out * x
    return out


def cx_series(value, prec: int) -> Ser:
    """The γ-series of an exact spin-dependent value (Cx of KFrac), known below γ^prec."""
    return _kfrac_gseries(value.re, prec, False) + _kfrac_gseries(value.im, prec, True)


def word_series(a: int, factor: tuple, c: int, prec: int) -> dict:
    """{label: Ser} of ∫ (G^Rσx)^a G^R F G^A (σx G^A)^c (magnetic self-energy, m_e = 1)."""
    return _word_series(a, factor, c, prec)


@lru_cache(maxsize=None)
def _word_series(a, factor, c, prec):
    from . import evaluate as ev
    from .bubble import integrate_word
    from .ladder import chain_terms
    from .word import Factor

    B = ev.exact_backend(True)
    vals = integrate_word(chain_terms(a, (Factor(*factor),), c), B)
    return {lab: cx_series(v, prec) for lab, v in vals.items()}


# ---------------------------------------------------------------- the ladder on series
LABELS = ("0", "x", "y", "z")
_SPIN = ("x", "y", "z")


def _rung(rung: str):
    """X → Σ W_ab σ_a X σ_b with a symbolic u (the disorder module's rung), or the identity
    times n₀ = 1 + u² for the *wrong* scalar rung of the negative control."""
    from .disorder import Disorder

    u = sympy.Symbol("u", positive=True)
    dis = Disorder.magnetic(uz=u)
    if rung == "magnetic":
        return lambda X: dis.rung(X, I=Fr.const(0, 1), conv=Fr.of)
    if rung == "scalar":
        n0 = Fr.of(dis.n()[0])
        return lambda X: {k: v * n0 for k, v in X.items()}
    raise ValueError(f"rung must be 'magnetic' or 'scalar', not {rung!r}")


def ladder_map_series(prec: int = 2, rung: str = "magnetic") -> dict:
    """L[j][i]: component i of L(σ_j) = α_d0 Σ W_ab σ_a [∫ G^R σ_j G^A] σ_b as series in γ."""
    from .disorder import Disorder

    lam = _rung(rung)
    n0 = Fr.of(Disorder.magnetic(uz=sympy.Symbol("u", positive=True)).n()[0])
    ad0 = Ser.monomial(Fr.const(2) / n0, 1)
    return {j: lam({k: v * ad0 for k, v in word_series(0, ("sigma", j), 0, prec).items()}) for j in LABELS}


def _solve3(A, b):
    """Solve the 3×3 series system A x = b by Cramer's rule (series determinant inverted)."""
    def det3(m):
        return (m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1])
                - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
                + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]))
    dinv = det3(A).inverse()
    out = []
    for k in range(3):
        m = [[(b[i] if j == k else A[i][j]) for j in range(3)] for i in range(3)]
        out.append(det3(m) * dinv)
    return out


def dressed_K_series(order: int = MAX_ORDER, prec: int = 2, rung: str = "magnetic") -> dict:
    """{(n, αβ): Ser} of the reduced dressed K^(n)_αβ (Tr σ_α of the RA bubble, m_e = 1) for
    V(1 + u σ_z), n ≤ ``order``; the words are expanded below γ^prec (the results carry their
    own, usually lower, precision).  Physical K = reduced/(4π) (e = m_e = 1)."""
    if not 0 <= order <= MAX_ORDER:
        raise ValueError(f"order must be 0..{MAX_ORDER}")
    lam = _rung(rung)
    from .disorder import Disorder

    n0 = Fr.of(Disorder.magnetic(uz=sympy.Symbol("u", positive=True)).n()[0])
    ad0 = Ser.monomial(Fr.const(2) / n0, 1)                    # α_d0 = 2γ/(m n₀)

    def W(a, f, c):
        return word_series(a, f, c, prec)

    Lcols = ladder_map_series(prec, rung)
    A = [[(Ser.monomial(Fr.const(1)) if i == j else Ser.monomial(Fr.const(0))) - Lcols[j][i]
          for j in _SPIN] for i in _SPIN]

    def sandwich(a, c, X):
        out = {lab: Ser.monomial(Fr.const(0)) for lab in LABELS}
        for j, xj in X.items():
            Y = W(a, ("sigma", j), c)
            for lab in LABELS:
                out[lab] = out[lab] + xj * Y[lab]
        return out

    def source(beta, n):
        out = {lab: Ser.monomial(Fr.const(0)) for lab in LABELS}
        for a in range(n + 1):
            Y = W(a, ("v", beta), n - a)
            for lab in LABELS:
                out[lab] = out[lab] + Y[lab] * (-1) ** n
        return out

    res = {}
    for beta in "xy":
        Ds, sources = [], [source(beta, n) for n in range(order + 1)]
        for n in range(order + 1):
            rhs = dict(sources[n])
            for b in range(n):
                for a in range(n - b + 1):
                    S = sandwich(a, n - b - a, Ds[b])
                    for k in LABELS:
                        rhs[k] = rhs[k] + S[k] * (-1) ** (n - b)
            rhs = lam({k: v * ad0 for k, v in rhs.items()})
            charge = rhs["0"]
            if any(not charge.coeff(j).is_zero() for j in range(charge.val, charge.prec)):
                raise ArithmeticError("the source excites the charge channel of the diffuson")
            x = _solve3(A, [rhs[i] for i in _SPIN])
            Ds.append({"0": Ser.monomial(Fr.const(0)), **dict(zip(_SPIN, x))})
        for n in range(order + 1):
            tot = {alpha: sources[n][alpha] * 2 for alpha in "xyz"}
            for b in range(n + 1):
                for a in range(n - b + 1):
                    S = sandwich(a, n - b - a, Ds[b])
                    for alpha in "xyz":
                        tot[alpha] = tot[alpha] + S[alpha] * (2 * (-1) ** (n - b))
            for alpha in "xyz":
                res[(n, alpha + beta)] = tot[alpha]
    return res


# ---------------------------------------------------------------- torque coefficients
#: u_z and the model's symbols ε, Δ, M_z in the closed forms
U = sympy.Symbol("u_z", real=True)
COEFFS = ("a", "b", "c", "d")


def _to_model(x: Fr) -> sympy.Expr:
    from . import model as M

    sub = {SYMBOLS["lam"]: sympy.sqrt(M.Delta ** 2 + 2 * M.eps * M.Delta + M.Mz ** 2),
           SYMBOLS["a"]: sympy.sqrt(M.Delta), SYMBOLS["M"]: M.Mz, SYMBOLS["u"]: U}
    return sympy.factor(sympy.cancel(x.to_sympy().subs(sub)))


@lru_cache(maxsize=None)
def torque_closed_forms(rung: str = "magnetic") -> dict:
    """{name: (coefficient of 1/γ, of γ⁰)} of a/κ … d/κ at m_x → 0 for V(1 + u_z σ_z), as sympy
    expressions in ε, Δ, M_z (:mod:`streda.integrals.model`) and :data:`U` (e = m_e = ħ = 1),
    derived by :func:`dressed_K_series`; the limits at m_x → 0 are those of
    :mod:`streda.verify.magnetic`:

        a = K⁰_xy,  b = K⁰_yy,  c = M_z²(K²_xy + K²_yx) − M_z K¹_zy,
        d = M_z²(K²_xx − K²_yy) − K⁰_xx − M_z K¹_zx,   K = (reduced)/(4π).

    ``rung="scalar"`` is the negative control (magnetic self-energy, scalar rung)."""
    r = dressed_K_series(order=2, prec=3, rung=rung)
    Mz = Fr.var("M")
    out = {}
    for j in (-1, 0):
        def K(n, e):
            return r[(n, e)].coeff(j)
        vals = (K(0, "xy"), K(0, "yy"),
                Mz * Mz * (K(2, "xy") + K(2, "yx")) - Mz * K(1, "zy"),
                Mz * Mz * (K(2, "xx") - K(2, "yy")) - K(0, "xx") - Mz * K(1, "zx"))
        for name, v in zip(COEFFS, vals):
            out.setdefault(name, [None, None])[j + 1] = _to_model(v) / (4 * sympy.pi)
    return {k: tuple(v) for k, v in out.items()}


@lru_cache(maxsize=None)
def scalar_rung_control() -> dict:
    """{"a": (1/γ, γ⁰), "b": (1/γ, γ⁰)} from K⁰ with the *wrong* scalar rung X → (1 + u²)X (the
    magnetic self-energy kept): a negative control that must disagree with the numbers."""
    r = dressed_K_series(order=0, prec=2, rung="scalar")
    return {n: tuple(_to_model(r[(0, e)].coeff(j)) / (4 * sympy.pi) for j in (-1, 0))
            for n, e in (("a", "xy"), ("b", "yy"))}


#: the abbreviations of :func:`compact_forms`
W_SYM, D_SYM, B_SYM = sympy.symbols("w D B")


def abbreviations() -> dict:
    """{w, D, B: their expressions in ε, Δ, M_z, u} (see :func:`compact_forms`)."""
    from . import model as M

    e, Dl, Mz, u = M.eps, M.Delta, M.Mz, U
    w = (1 + u ** 2) * e - 2 * u * Mz
    return {W_SYM: w,
            D_SYM: (1 + 3 * u ** 2) * Dl * W_SYM + (1 - u ** 2) ** 2 * Mz ** 2,
            B_SYM: ((1 + u ** 2) * (1 + 3 * u ** 2) * Dl * W_SYM ** 2
                    - 2 * u * (1 - u ** 2) ** 2 * Mz * W_SYM * ((1 + u ** 2) * Dl - u * Mz)
                    - u * (1 - u ** 2) ** 4 * Mz ** 3)}


def compact_forms(abbreviated: bool = False) -> dict:
    """The closed forms of :func:`torque_closed_forms`, rewritten by hand with

        w = (1 + u²) ε − 2u M_z,   D = (1 + 3u²) Δ w + (1 − u²)² M_z²,
        B = (1 + u²)(1 + 3u²) Δ w² − 2u (1 − u²)² M_z w ((1 + u²)Δ − u M_z) − u (1 − u²)⁴ M_z³

    (a test shows that they are identical to the derived ones):

        a = −(√Δ/4πγ) [1 − 2u w (uΔ + M_z)/D]                           + O(γ)
        b = √Δ u B / (2π (1 + u²) D²)                                    + O(γ)
        c = (√Δ/4πγ) u (1 + 3u²) M_z³ [(1 + 3u²) w − u (1 − u²)² M_z] / D² + O(γ)
        d = −b − u² (1 − u²)² M_z³ [(1 + 3u²) w ((1 + u²)Δ − 2u M_z) + 2u² (1 − u²)² M_z²]
                 / (4π √Δ (1 + u²) w D²)                                  + O(γ)

    With ``abbreviated`` the symbols w, D, B stay (:func:`abbreviations`).
    """
    from . import model as M

    Dl, Mz, u = M.Delta, M.Mz, U
    w, D, B = W_SYM, D_SYM, B_SYM
    rD, pi = sympy.sqrt(Dl), sympy.pi
    a = -rD / (4 * pi) * (1 - 2 * u * w * (u * Dl + Mz) / D)
    b = rD * u * B / (2 * pi * (1 + u ** 2) * D ** 2)
    c = rD / (4 * pi) * u * (1 + 3 * u ** 2) * Mz ** 3 * ((1 + 3 * u ** 2) * w - u * (1 - u ** 2) ** 2 * Mz) / D ** 2
    d = -b - (u ** 2 * (1 - u ** 2) ** 2 * Mz ** 3 * ((1 + 3 * u ** 2) * w * ((1 + u ** 2) * Dl - 2 * u * Mz)
                                                     + 2 * u ** 2 * (1 - u ** 2) ** 2 * Mz ** 2)
              / (4 * pi * rD * (1 + u ** 2) * w * D ** 2))
    z = sympy.Integer(0)
    out = {"a": (a, z), "b": (z, b), "c": (c, z), "d": (z, d)}
    if abbreviated:
        return out
    ab = abbreviations()
    full = {W_SYM: ab[W_SYM]}
    full[D_SYM] = ab[D_SYM].subs(full)
    full[B_SYM] = ab[B_SYM].subs({W_SYM: full[W_SYM]})
    return {n: tuple(x.subs(full) for x in pair) for n, pair in out.items()}


def evaluate_forms(forms: dict, eps, Delta, Mz, u, dps: int = 50) -> dict:
    """{name: (mpf, mpf)} of closed forms at a point (exact rationals or mpmath numbers)."""
    import mpmath

    from . import model as M

    with mpmath.workdps(dps + 10):
        vals = {M.eps: eps, M.Delta: Delta, M.Mz: Mz, U: u}
        args = [mpmath.mpf(sympy.Rational(v).p) / sympy.Rational(v).q if not isinstance(v, mpmath.mpf) else v
                for v in vals.values()]
        out = {}
        for name, pair in forms.items():
            out[name] = tuple(sympy.lambdify(list(vals), x, "mpmath")(*args) if x != 0 else mpmath.mpf(0)
                              for x in pair)
    return out
