"""Exact backend: polynomials over Z in (η, s, t, a, M) with known denominators.

Rational variables (METHOD-HINTS, fact 1): with m_e = 1 and a = α_R (Δ = a²),

    s = √(λ² + 2iγΔ),  t = √(λ² − 2iγΔ),  λ² = Δ² + 2εΔ + M_z²,
    E = ε + iγ = (s² − a⁴ − M²)/(2a²),  Ē = (t² − a⁴ − M²)/(2a²),

so every quantity of Appendix C is a rational function of the *independent*
variables (s, t, a, M), with no algebraic relation left: exact in γ, the square
roots never expanded.  Zero-testing is exact polynomial arithmetic in FLINT's
``fmpz_mpoly``.  Denominators are products of known irreducible forms
(a, s, t, s ± t, s ± t ± 2a², ...), kept apart in :class:`KFrac` so that no
general gcd is ever needed (fact 2).

For the negative control with a spin-dependent self-energy the retarded and
advanced effective fields differ, M_R = M_z + iγ_z and M_A = M_z − iγ_z; the
backend then uses two independent variables M (retarded) and N (advanced).
"""
from __future__ import annotations

from collections import Counter
from fractions import Fraction

import flint
import sympy

from .cx import Cx, SelfZero
from .residues import leading_tail, scaled_product_series, scaled_residue

__all__ = ["ExactBackend", "KFrac", "to_sympy_poly"]


def _fmpq(x) -> flint.fmpq:
    x = Fraction(x)
    return flint.fmpq(x.numerator, x.denominator)


class ExactBackend:
    """Ring, Green's-function data and residue sums for exact evaluation.

    >>> B = ExactBackend()
    >>> B.names
    ('eta', 's', 't', 'a', 'M')
    >>> B.Xp
    a^4 - 2*s*a^2 + s^2 - M^2
    """

    exact = True
    #: close the contour below when the advanced pole order is the smaller one
    close_below = True

    def __init__(self, spin_dependent: bool = False, model: str = "rashba"):
        from .models import frame_of
        frame_of(model)      # the model must have an exact rotated frame (derived from its H)
        self.model = model
        self.spin_dependent = spin_dependent
        self.names = ("eta", "s", "t", "a", "M", "N") if spin_dependent else ("eta", "s", "t", "a", "M")
        self.ctx = flint.fmpz_mpoly_ctx.get(self.names, "degrevlex")
        g = self.ctx.gens()
        self.eta, self.s, self.t, self.a, self.MR = g[:5]
        self.MA = g[5] if spin_dependent else self.MR
        self.one = self.ctx.from_dict({(0,) * len(self.names): 1})
        self.zero = 0 * self.one
        a2 = self.a ** 2
        self.Xp = (self.s - a2) ** 2 - self.MR ** 2
        self.Xm = (self.s + a2) ** 2 - self.MR ** 2
        self.Yp = (self.t - a2) ** 2 - self.MA ** 2
        self.Ym = (self.t + a2) ** 2 - self.MA ** 2
        self._forms: list = []          # irreducible polynomials used as denominators
        self._form_index: dict = {}
        self._flip_cache: dict = {}
        self._ucache: dict = {}
        self.products: dict = {}        # word products of :func:`~streda.integrals.bubble.word_product`
        self.d1 = self.Xp - self.Xm     # = -4 a² s
        self.d2 = self.Xp - self.Yp
        self.d3 = self.Xp - self.Ym

    # ring helpers -----------------------------------------------------
    def P(self, x):
        """Embed an integer or ring element as a polynomial."""
        return x if isinstance(x, flint.fmpz_mpoly) else x * self.one

    def coeffs(self, p) -> dict:
        """Split a polynomial by its η-degree: {k: coefficient polynomial}."""
        out: dict = {}
        for mon, c in zip(p.monoms(), p.coeffs()):
            out.setdefault(mon[0], {})[(0,) + tuple(mon[1:])] = c
        return {k: self.ctx.from_dict(v) for k, v in out.items()}

    # denominators -----------------------------------------------------
    def form_index(self, f) -> tuple[int, int]:
        """Index of the irreducible ``f`` (up to sign) in the registry, and the sign."""
        key = str(f)
        if key in self._form_index:
            return self._form_index[key], 1
        nkey = str(-f)
        if nkey in self._form_index:
            return self._form_index[nkey], -1
        self._forms.append(f)
        self._form_index[key] = len(self._forms) - 1
        return len(self._forms) - 1, 1

    def factor_known(self, p) -> tuple[flint.fmpq, Counter]:
        """Factor ``p`` into a constant times registered irreducible forms."""
        const, facs = p.factor()
        c = flint.fmpq(const)
        den: Counter = Counter()
        for f, e in facs:
            idx, sign = self.form_index(f)
            den[idx] += e
            if sign < 0 and e % 2:
                c = -c
        return c, den

    def flip_form(self, idx: int, var: str = "s") -> tuple[int, int]:
        """Form index and sign of f(−var) for the form ``idx`` (var = s or t)."""
        key = (idx, var)
        if key not in self._flip_cache:
            self._flip_cache[key] = self.form_index(flip_var(self._forms[idx], self, var))
        return self._flip_cache[key]

    def form(self, idx: int):
        return self._forms[idx]

    # residues -----------------------------------------------------------
    def half_residue(self, coeffs: dict, nR: int, nA: int) -> "KFrac":
        """Res_{η=X₊} of N/(D_R^{nR} D_A^{nA}) as a :class:`KFrac` (X₋ follows by s → −s)."""
        return self._residue(coeffs, "X", self.Xp, (self.d1, self.d2, self.d3), nR, nA)

    def half_residue_lower(self, coeffs: dict, nR: int, nA: int) -> "KFrac":
        """Res_{η=Y₊} of N/(D_R^{nR} D_A^{nA}) as a :class:`KFrac` (Y₋ follows by t → −t)."""
        diffs = (self.Yp - self.Ym, self.Yp - self.Xp, self.Yp - self.Xm)
        return self._residue(coeffs, "Y", self.Yp, diffs, nA, nR)

    def _residue(self, coeffs, side: str, P, diffs, A: int, Bo: int) -> "KFrac":
        """Residue at the pole P of order A; ``diffs`` = (P − partner on the same side,
        P − the two poles of the other side), the latter of order Bo."""
        if A == 0 or not coeffs:
            return KFrac.zero(self)
        others = [(diffs[0], A, True), (diffs[1], Bo, True), (diffs[2], Bo, True)]
        key = (side, A, Bo)
        r = scaled_residue(coeffs, P, others, A, zero=self.zero, one=self.one,
                           U=self._useries(key, P, others, A))
        den: Counter = Counter()
        c = flint.fmpq(1)
        for i, (d, e) in enumerate(((diffs[0], 2 * A - 1), (diffs[1], Bo + A - 1), (diffs[2], Bo + A - 1))):
            if e <= 0 or (i > 0 and Bo == 0):
                continue
            cd, fd = self.factor_known(d)
            c /= cd ** e
            for k, v in fd.items():
                den[k] += v * e
        return KFrac(self, r, c, den)

    def _useries(self, key, P, others, A):
        """Cached :func:`scaled_product_series` (it depends on the pole orders only)."""
        hit = self._ucache.get(key)
        if hit is None:
            hit = self._ucache[key] = scaled_product_series(P, others, A, zero=self.zero, one=self.one)
        return hit

    def symmetrize(self, F: "KFrac") -> "KFrac":
        """Res at X₊ plus Res at X₋: F(s) + F(−s) (the R data depend on s only via s²)."""
        return F + F.flip()

    # the interface used by :mod:`streda.integrals.bubble` ----------------
    def tail(self, coeffs, den_deg, word=None, lab=None):
        return leading_tail(coeffs, den_deg, self.zero)

    def residue_part(self, coeffs, nR, nA, decay: int = 2) -> "RPart":
        """Half of the residue sum, on the side with the lower pole order.

        ∫ = 2πi Σ_UHP Res = −2πi Σ_LHP Res when the integrand decays like η^−2 or
        faster; closing below costs a pole of order n_A instead of n_R."""
        if self.close_below and decay >= 2 and 0 < nA < nR:
            return RPart(None, self.half_residue_lower(coeffs, nR, nA))
        return RPart(self.half_residue(coeffs, nR, nA), None)

    def scale(self, h, c: Fraction):
        return h.scale(c)

    def arc_part(self, lc) -> "KFrac":
        return KFrac(self, lc)

    def add_all(self, parts):
        """Σ parts (all :class:`RPart` or all :class:`KFrac`) over one common denominator."""
        if isinstance(parts[0], RPart):
            ups = [x.upper for x in parts if x.upper is not None]
            los = [x.lower for x in parts if x.lower is not None]
            return RPart(KFrac.sum(ups) if ups else None, KFrac.sum(los) if los else None)
        return KFrac.sum(parts)

    def combine(self, h, arc) -> "KFrac":
        """2·(Res at X₊ + Res at X₋) − arc coefficient, or −2·(Res at Y₊ + Res at Y₋)."""
        terms = []
        if h is not None:
            if h.upper is not None:
                terms += [h.upper.scale(2), h.upper.flip().scale(2)]
            if h.lower is not None:
                terms += [h.lower.scale(-2), h.lower.flip("t").scale(-2)]
        if arc is not None:
            terms.append(-arc)
        # one common denominator for the residues at X± (or Y±) and the arc (issue 13)
        return KFrac.sum(terms) if terms else KFrac.zero(self)

    def finish(self, inner: "KFrac", c: Fraction, ipow: int, apow: int) -> Cx:
        v = inner.scale(c)
        if apow > 0:
            v = v.times_poly(self.a ** apow)
        elif apow < 0:
            idx, _ = self.form_index(self.a)
            v = v.over_forms(Counter({idx: -apow}))
        return Cx.ipow(v, ipow)

    def alpha_d(self) -> Cx:
        """α_d = 2γ = (E − Ē)/i exactly: (s² − t² − M_R² + M_A²)/(2 i a²).

        >>> B = ExactBackend()
        >>> B.alpha_d().im.to_sympy(dict(zip(B.names, sympy.symbols("eta s t a M"))))
        (-s**2/2 + t**2/2)/a**2
        """
        num = self.s ** 2 - self.t ** 2 - self.MR ** 2 + self.MA ** 2
        idx, _ = self.form_index(self.a)
        return Cx(None, KFrac(self, -num, sympy.Rational(1, 2), Counter({idx: 2})))

    def zero_value(self) -> Cx:
        return Cx()


def flip_var(p, B, var: str = "s"):
    """p with s → −s (or t → −t)."""
    g = list(B.ctx.gens())
    i = B.names.index(var)
    g[i] = -g[i]
    return p.compose(*g)


def flip_s(p, B):
    """p(η, −s, t, a, M)."""
    return flip_var(p, B, "s")


class RPart:
    """Residue halves: ``upper`` (at X₊, to be symmetrised in s) and ``lower`` (at Y₊, in t)."""

    __slots__ = ("upper", "lower")

    def __init__(self, upper=None, lower=None):
        self.upper, self.lower = upper, lower

    def __add__(self, o: "RPart") -> "RPart":
        def add(x, y):
            return y if x is None else (x if y is None else x + y)
        return RPart(add(self.upper, o.upper), add(self.lower, o.lower))

    def scale(self, c) -> "RPart":
        return RPart(None if self.upper is None else self.upper.scale(c),
                     None if self.lower is None else self.lower.scale(c))


class KFrac(SelfZero):
    """c · num / Π forms^e over an :class:`ExactBackend` (immutable)."""

    __slots__ = ("B", "num", "c", "den")

    def __init__(self, B: ExactBackend, num, c=None, den: Counter | None = None):
        self.B = B
        self.num = num
        self.c = flint.fmpq(1) if c is None else (c if isinstance(c, flint.fmpq) else _fmpq(c))
        self.den = Counter({k: v for k, v in (den or {}).items() if v})

    @classmethod
    def zero(cls, B):
        return cls(B, B.zero)

    def is_zero(self) -> bool:
        return self.num == 0 or self.c == 0

    def __neg__(self):
        return KFrac(self.B, self.num, -self.c, self.den)

    def scale(self, q) -> "KFrac":
        return KFrac(self.B, self.num, self.c * (q if isinstance(q, flint.fmpq) else _fmpq(q)), self.den)

    def times_poly(self, p) -> "KFrac":
        return KFrac(self.B, self.num * p, self.c, self.den)

    def over_forms(self, extra: Counter) -> "KFrac":
        d = Counter(self.den)
        d.update(extra)
        return KFrac(self.B, self.num, self.c, d)

    def to_backend(self, B2: "ExactBackend") -> "KFrac":
        """The same rational function on another exact backend with the same variables."""
        if B2 is self.B:
            return self
        if B2.names != self.B.names:
            raise ValueError("to_backend needs the same variables")
        c, den = self.c, Counter()
        for k, e in self.den.items():
            k2, sign = B2.form_index(self.B.form(k))
            den[k2] += e
            if sign < 0 and e % 2:
                c = -c
        return KFrac(B2, self.num, c, den)

    def _same(self, other: "KFrac") -> None:
        if other.B is not self.B:
            raise ValueError("KFrac operands from different exact backends (different variables)")

    def __mul__(self, other: "KFrac") -> "KFrac":
        self._same(other)
        d = Counter(self.den)
        d.update(other.den)
        return KFrac(self.B, self.num * other.num, self.c * other.c, d)

    def __add__(self, other: "KFrac") -> "KFrac":
        self._same(other)
        if other.is_zero():
            return self
        if self.is_zero():
            return other
        B = self.B
        keys = set(self.den) | set(other.den)
        den = Counter({k: max(self.den.get(k, 0), other.den.get(k, 0)) for k in keys})
        # common rational constant: put c into the numerators with a common denominator
        q1, q2 = self.c, other.c
        cd = flint.fmpz(q1.q) * flint.fmpz(q2.q)
        n1 = self.num * int(q1.p * q2.q)
        n2 = other.num * int(q2.p * q1.q)
        for k in keys:
            e1 = den[k] - self.den.get(k, 0)
            e2 = den[k] - other.den.get(k, 0)
            if e1:
                n1 = n1 * B.form(k) ** e1
            if e2:
                n2 = n2 * B.form(k) ** e2
        return KFrac(B, n1 + n2, flint.fmpq(1, int(cd)), den)

    @classmethod
    def sum(cls, items) -> "KFrac":
        """Σ items over one common denominator (the largest power of each form, the lcm of the
        rational constants): each numerator is multiplied up once, instead of the growing
        partial sum at every step of chained additions (issue 13)."""
        items = list(items)
        if not items:
            raise ValueError("KFrac.sum needs at least one term (or a backend to make a zero)")
        B = items[0].B
        for x in items[1:]:
            items[0]._same(x)
        items = [x for x in items if not x.is_zero()]
        if not items:
            return cls.zero(B)
        if len(items) == 1:
            return items[0]
        den: Counter = Counter()
        for x in items:
            for k, e in x.den.items():
                if e > den[k]:
                    den[k] = e
        L = flint.fmpz(1)
        for x in items:
            L = L.lcm(flint.fmpz(x.c.q))
        powers: dict = {}
        total = B.zero
        for x in items:
            m = None          # the missing forms, multiplied together before touching the numerator
            for k, e in sorted(den.items()):
                miss = e - x.den.get(k, 0)
                if miss:
                    f = powers.get((k, miss))
                    if f is None:
                        f = powers[(k, miss)] = B.form(k) ** miss
                    m = f if m is None else m * f
            n = x.num * int(x.c.p * (L // x.c.q))
            total = total + (n if m is None else n * m)
        return cls(B, total, flint.fmpq(1, int(L)), den)

    def __sub__(self, other: "KFrac") -> "KFrac":
        return self + (-other)

    def flip(self, var: str = "s") -> "KFrac":
        """The same expression with s → −s (or t → −t)."""
        B = self.B
        c = self.c
        den: Counter = Counter()
        for k, e in self.den.items():
            k2, sign = B.flip_form(k, var)
            den[k2] += e
            if sign < 0 and e % 2:
                c = -c
        return KFrac(B, flip_var(self.num, B, var), c, den)

    def reduce(self) -> "KFrac":
        """Cancel registered forms that divide the numerator; pull out the integer content."""
        if self.is_zero():
            return KFrac.zero(self.B)
        num, den = self.num, Counter(self.den)
        for k in list(den):
            f = self.B.form(k)
            while den[k] > 0:
                q, r = divmod(num, f)
                if r != 0:
                    break
                num = q
                den[k] -= 1
        c = self.c
        content = flint.fmpz(0)
        for _, v in num.to_dict().items():
            content = flint.fmpz(v).gcd(content)
        if content != 0 and content != 1:
            num = num / int(content)
            c = c * content
        return KFrac(self.B, num, c, den)

    def to_sympy(self, symbols: dict) -> sympy.Expr:
        """As a sympy expression; ``symbols`` maps variable names to sympy objects."""
        num = to_sympy_poly(self.num, self.B.names, symbols)
        den = sympy.Integer(1)
        for k, e in self.den.items():
            den *= to_sympy_poly(self.B.form(k), self.B.names, symbols) ** e
        return sympy.Rational(int(self.c.p), int(self.c.q)) * num / den

    def __repr__(self) -> str:
        forms = " ".join(f"({self.B.form(k)})^{e}" for k, e in sorted(self.den.items()))
        return f"KFrac({self.c} * ({self.num}) / [{forms}])"


def to_sympy_poly(p, names, symbols: dict) -> sympy.Expr:
    """Convert an fmpz_mpoly to sympy with ``symbols[name]`` for each variable."""
    gens = [symbols[n] for n in names]
    terms = []
    for mon, c in p.to_dict().items():
        t = sympy.Integer(int(c))
        for g, e in zip(gens, mon):
            if e:
                t *= g ** e
        terms.append(t)
    return sympy.Add(*terms)
