"""Probabilistic identity tests: the exact residue algorithm over GF(p) (Schwartz–Zippel).

Every P^(n) component is a rational function F = N/D of the independent variables
(s, t, a, M[, N]) (METHOD-HINTS, fact 1).  :class:`ModularBackend` runs the *same*
words and residue algorithm as the exact engine (the ``_Univariate`` residue path
of :mod:`~streda.integrals.pointwise`), with (s, t, a, M) put at random elements of
GF(p) for a random 62-bit prime p (FLINT ``nmod`` / ``nmod_poly``).  If F ≢ 0, a
uniformly random point gives F(x) = 0 with probability at most deg N / (p − deg D)
(Schwartz–Zippel; METHOD-HINTS, fact 5).  This is a *probabilistic identity test*,
not a proof: the exact engine and the all-orders certificate are the proofs.

The degrees are bounded, not guessed: :class:`DegreeBoundBackend` runs the same
algorithm once more on *degree bounds* (each ring element replaced by upper bounds
of the total degree and of log2 of the coefficient 1-norm of a numerator and a
denominator, η weighted by 4 = the degree of the poles X±, Y± it is replaced by).
What the bound covers:

* the numerator N of every component (the formal sum of all residue fractions);
* the large-η decay, read at the point: it is wrong only if the true leading
  η-coefficient vanishes there (each such coefficient is a polynomial whose degree
  is bounded the same way; all words and components are added to the bound);
* p dividing every coefficient of N: the coefficients are integers below 2^B, so at
  most B/61 primes of 62 bits divide them; p is the next prime after a uniform
  random 62-bit integer, and prime gaps below 2^64 are at most 1550, so each prime is
  drawn with probability ≤ 1550/2^61.

A non-zero F is therefore missed at one (prime, point) pair with probability at most
``bound.per_point`` (see :func:`error_bound`), and at k independent pairs with at most
its k-th power.  The draws come from a seeded generator (deterministic, seed recorded);
the bound is over the seed.

>>> from streda.integrals.word import parse_word
>>> terms = [(parse_word("GR px GA"), 1)]          # P^(0): not zero
>>> res = modular_test(terms, seed=1, pairs=2)
>>> res.is_zero, len(res.pairs), res.error_bound < 1e-12
(False, 2, True)
>>> modular_test([(parse_word("GR sx GR px GA"), 1), (parse_word("GR px GA sx GA"), 1)],
...              seed=1).is_zero                    # P^(1) = 0 (Eq. C9)
True
"""
from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from fractions import Fraction
from functools import lru_cache

import flint

from .bubble import integrate_sum
from .cx import Cx
from .pauli import LABELS
from .pointwise import _Univariate
from .residues import leading_tail, scaled_inverse_series

__all__ = ["ModularBackend", "DegreeBoundBackend", "ModularResult", "random_prime", "modular_test",
           "degree_bound", "error_bound", "MAX_PRIME_GAP", "PRIME_BITS"]

#: bits of the random primes (nmod works with word-size moduli)
PRIME_BITS = 62
#: the largest gap between consecutive primes below 2^64 (Oliveira e Silva, Herzog, Pardi 2014)
MAX_PRIME_GAP = 1550
#: weight of η in a degree bound: η is replaced by a pole X± or Y±, of total degree 4 in (s, t, a, M)
ETA_WEIGHT = 4


def random_prime(rng: random.Random, bits: int = PRIME_BITS) -> int:
    """The first prime after a uniform random integer in [2^(bits−1), 2^bits − 2^11).

    >>> random_prime(random.Random(0)).bit_length()
    62
    """
    n = rng.randrange(2 ** (bits - 1), 2 ** bits - 2 ** 11)
    n |= 1
    while not flint.fmpz(n).is_prime():
        n += 2
    return n


class ModularBackend(_Univariate):
    """The residue algorithm at a point (s, t, a, M[, N]) of GF(p)^4 (or ^5): FLINT ``nmod``.

    >>> B = ModularBackend(101, s=3, t=2, a=1, M=5)
    >>> B.Xp                                   # (s − a²)² − M² = 4 − 25 mod 101
    80
    """

    exact = True

    def __init__(self, p: int, s, t, a, M, N=None, model: str = "rashba"):
        self.model = model
        self.p = p
        q = lambda x: flint.nmod(int(x), p)  # noqa: E731
        self.s, self.t, self.a, self.MR = q(s), q(t), q(a), q(M)
        self.MA = q(N) if N is not None else self.MR
        self.scalar = q
        self.poly = lambda c: flint.nmod_poly(c, p)  # noqa: E731
        self._setup()

    def P(self, x):
        return x if isinstance(x, flint.nmod_poly) else flint.nmod_poly([x], self.p)

    def _frac(self, c: Fraction):
        return flint.nmod(c.numerator, self.p) / c.denominator

    def _pole_data(self, side, P, others, nR, nA):
        """As the field backends, with the product series multiplied by FLINT (``mul_low``)."""
        cache = self.pole_cache
        key = (side, nR, nA)
        hit = cache.get(key)
        if hit is None:
            U = flint.nmod_poly([1], self.p)
            den = self.scalar(1)
            for c, b in others:
                if b:
                    d = P - c
                    U = U.mul_low(flint.nmod_poly(scaled_inverse_series(d, b, nR, self.scalar(1)), self.p), nR)
                    den *= d ** (b + nR - 1)
            cs = U.coeffs()
            hit = cache[key] = (cs + [self.scalar(0)] * (nR - len(cs)), den)
        return hit

    def _pole(self, coeffs, side, nR, nA):
        """As :meth:`_Univariate._pole`, with the Taylor shift N(P + h) done by FLINT
        (``nmod_poly.compose``; exact arithmetic mod p, so the same numbers)."""
        if nR == 0 or not coeffs:
            return self.scalar(0)
        P, partner = (self.Xp, self.Xm) if side == "X+" else (self.Xm, self.Xp)
        U, den = self._pole_data(side, P, [(partner, nR), (self.Yp, nA), (self.Ym, nA)], nR, nA)
        deg = max(coeffs)
        N = flint.nmod_poly([coeffs.get(j, 0) for j in range(deg + 1)], self.p)
        Nk = N.compose(flint.nmod_poly([P, 1], self.p)).coeffs()[:nR]
        r = self.scalar(0)
        for k, c in enumerate(Nk):
            r += c * U[nR - 1 - k]
        return r / den

    def tail(self, coeffs, den_deg, word=None, lab=None):
        """Decay read at the point (wrong only if the leading coefficient vanishes there;
        covered by :func:`degree_bound`)."""
        return leading_tail(coeffs, den_deg, self.scalar(0))

    def scale(self, h, c: Fraction):
        return h * self._frac(c)

    def finish(self, inner, c: Fraction, ipow: int, apow: int) -> Cx:
        return Cx.ipow(inner * self._frac(c) * _npow(self.a, apow), ipow)

    def zero_value(self) -> Cx:
        return Cx()


def _npow(x, e: int):
    return x ** e if e >= 0 else 1 / x ** (-e)


# --- degree bounds ---------------------------------------------------------------

class _Bound:
    """Upper bounds for a fraction N/D of integer polynomials: total degrees ``n``, ``d`` and
    log2 of the coefficient 1-norms ``nb``, ``db``.  ``zero`` marks an exact zero."""

    __slots__ = ("n", "d", "nb", "db", "zero")

    def __init__(self, n=0, d=0, nb=0.0, db=0.0, zero=False):
        self.n, self.d, self.nb, self.db, self.zero = n, d, nb, db, zero

    @classmethod
    def const(cls, x) -> "_Bound":
        x = Fraction(x)
        if x == 0:
            return cls(zero=True)
        return cls(0, 0, math.log2(abs(x.numerator)), math.log2(x.denominator))

    def _lift(self, o) -> "_Bound":
        return o if isinstance(o, _Bound) else _Bound.const(o)

    def __add__(self, o):
        o = self._lift(o)
        if o.zero:
            return self
        if self.zero:
            return o
        if self.d == 0 and o.d == 0 and self.db == 0 and o.db == 0:
            return _Bound(max(self.n, o.n), 0, max(self.nb, o.nb) + 1, 0.0)
        return _Bound(max(self.n + o.d, o.n + self.d), self.d + o.d,
                      max(self.nb + o.db, o.nb + self.db) + 1, self.db + o.db)

    __radd__ = __add__

    def __neg__(self):
        return self

    def __sub__(self, o):
        return self + o

    __rsub__ = __add__

    def __mul__(self, o):
        o = self._lift(o)
        if o.zero or self.zero:
            return _Bound(zero=True)
        return _Bound(self.n + o.n, self.d + o.d, self.nb + o.nb, self.db + o.db)

    __rmul__ = __mul__

    def __truediv__(self, o):
        o = self._lift(o)
        if o.zero:
            raise ZeroDivisionError("division by an exact zero in a degree bound")
        if self.zero:
            return self
        return _Bound(self.n + o.d, self.d + o.n, self.nb + o.db, self.db + o.nb)

    def __rtruediv__(self, o):
        return self._lift(o) / self

    def __pow__(self, e: int):
        if e < 0:
            return _Bound.const(1) / self ** (-e)
        if self.zero:
            return _Bound.const(1) if e == 0 else self
        return _Bound(e * self.n, e * self.d, e * self.nb, e * self.db)

    def __eq__(self, o):
        return self.zero and (o == 0 if not isinstance(o, _Bound) else o.zero)

    def __ne__(self, o):
        return not self.__eq__(o)

    __hash__ = None

    def __repr__(self):
        return "_Bound(0)" if self.zero else f"_Bound(n={self.n}, d={self.d}, nb={self.nb:.0f}, db={self.db:.0f})"


class _BPoly:
    """A bound for a polynomial in η over the bounds ring: weighted degree ``w`` (η counted
    ETA_WEIGHT), η-degree ``k``, log2 1-norm ``nb``; a polynomial, so no denominator."""

    __slots__ = ("w", "k", "nb", "zero")

    def __init__(self, coeffs=(), *, w=0, k=0, nb=0.0, zero=None):
        if zero is not None:
            self.w, self.k, self.nb, self.zero = w, k, nb, zero
            return
        cs = [c if isinstance(c, _Bound) else _Bound.const(c) for c in coeffs]
        nz = [(j, c) for j, c in enumerate(cs) if not c.zero]
        if any(c.d or c.db for _, c in nz):
            raise ValueError("an η-polynomial bound needs polynomial coefficients")
        self.zero = not nz
        self.w = max((c.n + ETA_WEIGHT * j for j, c in nz), default=0)
        self.k = max((j for j, _ in nz), default=0)
        self.nb = math.log2(sum(2.0 ** c.nb for _, c in nz)) if nz else 0.0

    def _lift(self, o):
        return o if isinstance(o, _BPoly) else _BPoly([o])

    def __add__(self, o):
        o = self._lift(o)
        if o.zero:
            return self
        if self.zero:
            return o
        return _BPoly(w=max(self.w, o.w), k=max(self.k, o.k), nb=max(self.nb, o.nb) + 1, zero=False)

    __radd__ = __add__

    def __sub__(self, o):
        return self + o

    __rsub__ = __add__

    def __neg__(self):
        return self

    def __mul__(self, o):
        o = self._lift(o)
        if o.zero or self.zero:
            return _BPoly(zero=True)
        return _BPoly(w=self.w + o.w, k=self.k + o.k, nb=self.nb + o.nb, zero=False)

    __rmul__ = __mul__

    def coeffs(self):
        """Bounds of the η^j coefficients, j = 0..k (a coefficient of η^j has degree ≤ w − 4j)."""
        if self.zero:
            return []
        return [_Bound(max(self.w - ETA_WEIGHT * j, 0), 0, self.nb, 0.0) for j in range(self.k + 1)]


class DegreeBoundBackend(_Univariate):
    """The residue algorithm on degree bounds (see the module docstring).

    After :func:`~streda.integrals.bubble.integrate_sum` every component is a
    :class:`~streda.integrals.cx.Cx` of ``_Bound``; ``tail_degree`` (``tail_bits``) sums the degree
    (coefficient-size) bounds of all leading η-coefficients whose vanishing at a point would change
    the decay read there.
    """

    poly = _BPoly

    def __init__(self, spin_dependent: bool = False, model: str = "rashba"):
        self.model = model
        g = _Bound(1, 0, 0.0, 0.0)
        self.s, self.t, self.a, self.MR = g, g, g, g
        self.MA = g
        self.scalar = _Bound.const
        self.tail_degree = 0
        self.tail_bits = 0.0
        self._setup()

    def P(self, x):
        return x if isinstance(x, _BPoly) else _BPoly([x])

    def coeffs(self, p) -> dict:
        return dict(enumerate(p.coeffs()))

    def _pole(self, coeffs, side, nR, nA):
        """As the field backends, with the Taylor shift N(P + h) bounded in closed form:
        the h^k coefficient Σ_j C(j,k) c_j P^(j−k) has degree ≤ w − 4k (w the η-weighted degree
        of N, deg P = 4) and 1-norm ≤ C(K,k)·|P|₁^(K−k)·|N|₁ (K the η-degree of N)."""
        if nR == 0 or not coeffs:
            return self.scalar(0)
        P, partner = (self.Xp, self.Xm) if side == "X+" else (self.Xm, self.Xp)
        if P.n > ETA_WEIGHT or P.d or P.db:
            raise ValueError("the closed-form Taylor-shift bound needs a polynomial pole of degree <= 4")
        U, den = self._pole_data(side, P, [(partner, nR), (self.Yp, nA), (self.Ym, nA)], nR, nA)
        K = max(coeffs)
        w = max(c.n + ETA_WEIGHT * j for j, c in coeffs.items())
        nb = max(c.nb for c in coeffs.values())
        lc = _log2_binomials(K)
        if any(U[nR - 1 - k].d or U[nR - 1 - k].db for k in range(min(nR, K + 1))):
            r = self.scalar(0)
            for k in range(min(nR, K + 1)):
                Nk = _Bound(max(w - ETA_WEIGHT * k, 0), 0, nb + lc[k] + (K - k) * P.nb, 0.0)
                r = r + Nk * U[nR - 1 - k]
            return r / den
        # the same sum on plain numbers (polynomial terms: _Bound.__add__'s first branch)
        rn, rnb, rzero = 0, 0.0, True
        for k in range(min(nR, K + 1)):
            u = U[nR - 1 - k]
            if u.zero:
                continue
            tn, tnb = max(w - ETA_WEIGHT * k, 0) + u.n, (nb + lc[k] + (K - k) * P.nb) + u.nb
            if rzero:
                rn, rnb, rzero = tn, tnb, False
            else:
                rn, rnb = max(rn, tn), max(rnb, tnb) + 1
        r = _Bound(zero=True) if rzero else _Bound(rn, 0, rnb, 0.0)
        return r / den

    def _pole_data(self, side, P, others, nR, nA):
        """Closed-form bounds of the scaled product series U_k = [h^k] Π_j d_j^(b_j+A−1) (d_j + h)^(−b_j):
        every term has degree ≤ Σ_j deg d_j (b_j+A−1) − k·min_j deg d_j, and the 1-norm is at most
        C(B+k−1, k) Π_j |d_j|₁^(b_j+A−1) (B = Σ b_j), the h^k coefficient of Π (1 − h)^(−b_j)."""
        ds = [(P - c, b) for c, b in others if b]
        den = self.scalar(1)
        for d, b in ds:
            den *= d ** (b + nR - 1)
        if not ds:
            return [self.scalar(1)] + [self.scalar(0)] * (nR - 1), den
        base = sum(d.n * (b + nR - 1) for d, b in ds)
        bits = sum(d.nb * (b + nR - 1) for d, b in ds)
        dmin = min(d.n for d, _ in ds)
        B = sum(b for _, b in ds)
        U = [_Bound(max(base - dmin * k, 0), 0, bits + math.log2(math.comb(B + k - 1, k)), 0.0)
             for k in range(nR)]
        return U, den

    def tail(self, coeffs, den_deg, word=None, lab=None):
        """Always keep the arc term (decay 1): a bound must cover both readings of the decay."""
        top = max(coeffs)
        self.tail_degree += max(c.n for c in coeffs.values())
        self.tail_bits += coeffs[top].nb
        return 1, coeffs.get(den_deg - 1, _Bound(zero=True))

    def scale(self, h, c: Fraction):
        return h * _Bound.const(c)

    def finish(self, inner, c: Fraction, ipow: int, apow: int) -> Cx:
        return Cx(inner * _Bound.const(c) * self.a ** apow, None)

    def zero_value(self) -> Cx:
        return Cx()


@lru_cache(maxsize=None)
def _log2_binomials(K: int) -> tuple:
    """log2 C(K, k) for k = 0..K (float, as ``math.log2(math.comb(K, k))``)."""
    return tuple(math.log2(math.comb(K, k)) for k in range(K + 1))


@dataclass
class DegreeBound:
    """Bounds for one sum of words: numerator and denominator degree, numerator coefficient bits,
    and the summed degrees and bits of the leading η-coefficients read for the decay."""

    numerator: int
    denominator: int
    bits: float
    tail_degree: int
    tail_bits: float

    def to_json(self) -> dict:
        return {"numerator_degree": self.numerator, "denominator_degree": self.denominator,
                "numerator_bits": math.ceil(self.bits), "decay_coefficients_degree": self.tail_degree,
                "decay_coefficients_bits": math.ceil(self.tail_bits)}


def degree_bound(terms, spin_dependent: bool = False, model: str = "rashba",
                 components=LABELS) -> DegreeBound:
    """Degree bounds for Σ c_w I[w] (every component, real and imaginary part).

    >>> from streda.integrals.word import parse_word
    >>> b = degree_bound([(parse_word("GR px GA"), 1)])
    >>> b.numerator > 0 and b.denominator > 0
    True
    """
    B = _bound_backend(spin_dependent, model)
    B.tail_degree, B.tail_bits = 0, 0.0
    vals = integrate_sum(terms, B, components)
    n = d = 0
    bits = 0.0
    for v in vals.values():
        for part in (v.re, v.im):
            if part is not None and not part.zero:
                n, d, bits = max(n, part.n), max(d, part.d), max(bits, part.nb)
    return DegreeBound(n, d, bits, B.tail_degree, B.tail_bits)


_BOUND_BACKENDS: dict = {}


def _bound_backend(spin_dependent: bool, model) -> DegreeBoundBackend:
    """One degree-bound backend per kind, kept across calls: a bound depends on the word only
    (no point, no prime), so the cached word products serve every order and component (the
    G^R-side products [G^R σx]^m G^R of P^(n) are shared by all n).

    >>> _bound_backend(False, "rashba") is _bound_backend(False, "rashba")
    True
    """
    key = (bool(spin_dependent), model)
    B = _BOUND_BACKENDS.get(key)
    if B is None:
        B = _BOUND_BACKENDS[key] = DegreeBoundBackend(spin_dependent, model)
    return B


def error_bound(bound: DegreeBound, p: int) -> float:
    """Probability that one random point mod ``p`` (and the random choice of p) misses a
    non-zero result: (deg N + Σ deg of decay coefficients)/(p − deg D) for the point, plus
    (B/61 + 1)·1550/2^61 for p dividing all coefficients of the numerator or of a leading
    η-coefficient (B the sum of their bit bounds)."""
    point = (bound.numerator + bound.tail_degree) / (p - bound.denominator)
    # primes >= 2^61 dividing the numerator's content, or a leading coefficient's, number at most bits/61
    content = ((bound.bits + bound.tail_bits) / (PRIME_BITS - 1) + 1) * MAX_PRIME_GAP / 2 ** (PRIME_BITS - 1)
    return point + content


@dataclass
class ModularResult:
    """Outcome of :func:`modular_test`: ``is_zero`` iff every component vanished at every pair."""

    is_zero: bool
    seed: int
    pairs: list = field(default_factory=list)     # [{"prime", "point", "zero", "values"}]
    bound: DegreeBound | None = None
    per_point: float = 1.0
    error_bound: float = 1.0
    redraws: int = 0

    def to_json(self) -> dict:
        return {"is_zero": self.is_zero, "seed": self.seed, "pairs": self.pairs,
                "degree_bound": self.bound.to_json() if self.bound else None,
                "error_bound_per_pair": self.per_point, "error_bound": self.error_bound,
                "redraws": self.redraws}


def modular_test(terms, *, seed: int = 0, pairs: int = 2, spin_dependent: bool = False,
                 model: str = "rashba", components=LABELS, bound: DegreeBound | None = None,
                 max_redraws: int = 20) -> ModularResult:
    """Evaluate Σ c_w I[w] at ``pairs`` independent (random prime, random point) pairs.

    ``is_zero`` is True when every component is 0 at every pair; a non-zero result is then
    missed with probability at most ``error_bound`` (the product over pairs).  A point where a
    denominator vanishes is redrawn (counted in ``redraws``).
    """
    terms = [(tuple(w), c) for w, c in terms]
    rng = random.Random(seed)
    if bound is None:
        bound = degree_bound(terms, spin_dependent, model, components)
    out = ModularResult(True, seed, bound=bound)
    total = 1.0
    worst = 0.0
    for _ in range(pairs):
        p = random_prime(rng)
        for _attempt in range(max_redraws + 1):
            pt = {k: rng.randrange(p) for k in (("s", "t", "a", "M", "N") if spin_dependent
                                                else ("s", "t", "a", "M"))}
            try:
                B = ModularBackend(p, pt["s"], pt["t"], pt["a"], pt["M"], pt.get("N"), model=model)
                vals = integrate_sum(terms, B, components)
                break
            except ZeroDivisionError:
                out.redraws += 1
        else:
            raise ZeroDivisionError(f"{max_redraws} random points mod {p} all hit a vanishing denominator")
        zero = all(v.is_zero() for v in vals.values())
        out.is_zero = out.is_zero and zero
        out.pairs.append({"prime": p, "point": pt, "zero": zero,
                          "values": {k: [int(v.re) if v.re is not None else 0,
                                         int(v.im) if v.im is not None else 0] for k, v in vals.items()}})
        eb = error_bound(bound, p)
        worst = max(worst, eb)
        total *= eb
    out.per_point, out.error_bound = worst, min(total, 1.0)
    return out
