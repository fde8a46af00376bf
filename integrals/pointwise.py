"""Backends that evaluate at one parameter point: exact rationals or complex balls.

* :class:`RationalPointBackend` puts (s, t, a, M) at rational values and works in
  ℚ[η] (FLINT ``fmpq_poly``): exact arithmetic, used for Schwartz–Zippel identity
  certificates (METHOD-HINTS, fact 5) and to learn structural degrees.
* :class:`BallBackend` evaluates at a physical point (ε, γ, Δ, M_z) with FLINT
  ``acb`` complex balls at a chosen precision: the same residue algorithm as the
  exact backend, exact in γ (s = √(λ² + 2iγΔ) is computed, never expanded), with
  a rigorous error radius on every number.

Both use the same interface as :class:`~streda.integrals.exact.ExactBackend`.
"""
from __future__ import annotations

from fractions import Fraction

import flint

from .cx import Cx
from .residues import leading_tail, scaled_product_series, scaled_residue


class PoleError(ValueError):
    """A retarded pole is not certainly in the upper half plane (or an advanced one below).

    This happens for the spin-dependent control when γ_z ≳ γ (one spin component loses
    its broadening); the independent quadrature path still evaluates such points."""

__all__ = ["RationalPointBackend", "BallBackend", "PoleError", "to_acb"]


class _Univariate:
    exact = False
    poly = None

    def P(self, x):
        return x if isinstance(x, self.poly) else self.poly([x])

    def coeffs(self, p) -> dict:
        return {k: c for k, c in enumerate(p.coeffs()) if c != 0}

    def _setup(self):
        a2 = self.a ** 2
        self.one = self.poly([1])
        self.zero = self.poly([])
        self.eta = self.poly([0, 1])
        self.Xp = (self.s - a2) ** 2 - self.MR ** 2
        self.Xm = (self.s + a2) ** 2 - self.MR ** 2
        self.Yp = (self.t - a2) ** 2 - self.MA ** 2
        self.Ym = (self.t + a2) ** 2 - self.MA ** 2
        self.products: dict = {}    # word products of :func:`~streda.integrals.bubble.word_product`
        self.pole_cache: dict = {}  # (pole, nR, nA) -> numerator-independent residue data

    # the interface used by :mod:`streda.integrals.bubble` ----------------
    def residue_part(self, coeffs, nR, nA, decay: int = 2):
        """Res at X₊ plus Res at X₋ (both retarded poles, upper half plane)."""
        return self.half_residue(coeffs, nR, nA) + self.other_half(coeffs, nR, nA)

    def arc_part(self, lc):
        return lc

    def add_all(self, parts):
        """Σ parts, added left to right (the order of the former chained additions)."""
        acc = parts[0]
        for x in parts[1:]:
            acc = acc + x
        return acc

    def combine(self, h, arc):
        inner = self.scalar(0) if h is None else 2 * h
        return inner if arc is None else inner - arc

    def alpha_d(self):
        """α_d = 2γ = (E − Ē)/i at the point, as a complex ball: (s² − t² − M_R² + M_A²)/(2 i a²)."""
        a2 = self.a ** 2
        return (self.s ** 2 - self.t ** 2 - self.MR ** 2 + self.MA ** 2) / (2 * a2) / flint.acb(0, 1)

    def half_residue(self, coeffs, nR, nA):
        """Res at X₊ (the retarded pole x₊ of Eq. C3)."""
        return self._pole(coeffs, "X+", nR, nA)

    def other_half(self, coeffs, nR, nA):
        """Res at X₋ (computed directly: no s → −s symmetry is assumed here)."""
        return self._pole(coeffs, "X-", nR, nA)

    def _pole(self, coeffs, side, nR, nA):
        if nR == 0 or not coeffs:
            return self.scalar(0)
        P, partner = (self.Xp, self.Xm) if side == "X+" else (self.Xm, self.Xp)
        U, den = self._pole_data(side, P, [(partner, nR), (self.Yp, nA), (self.Ym, nA)], nR, nA)
        r = scaled_residue(coeffs, P, None, nR, zero=self.scalar(0), one=self.scalar(1), U=U)
        return r / den

    def _pole_data(self, side, P, others, nR, nA):
        """The numerator-independent part of a residue at ``P``: the scaled product series and
        its denominator, cached per backend by pole and orders (issue 13)."""
        cache = self.pole_cache
        key = (side, nR, nA)
        hit = cache.get(key)
        if hit is None:
            U = scaled_product_series(P, [(P - c, b, True) for c, b in others], nR,
                                      zero=self.scalar(0), one=self.scalar(1))
            den = self.scalar(1)
            for c, b in others:
                if b:
                    den *= (P - c) ** (b + nR - 1)
            hit = cache[key] = (U, den)
        return hit


def to_acb(x) -> flint.acb:
    """An exact number (int, Fraction, sympy, fmpq) as a ball at the current FLINT precision."""
    if isinstance(x, flint.acb):
        return x
    if isinstance(x, (int, Fraction, flint.fmpq)):
        q = Fraction(x) if not isinstance(x, flint.fmpq) else Fraction(int(x.p), int(x.q))
        return flint.acb(flint.fmpq(q.numerator, q.denominator))
    import sympy
    x = sympy.sympify(x)
    if x.is_Rational:
        return flint.acb(flint.fmpq(int(x.p), int(x.q)))
    digits = flint.ctx.dps + 20
    re, im = (sympy.N(v, digits) for v in x.as_real_imag())
    # a non-rational input (sqrt(2), pi, ...) is rounded at 20 guard digits
    return flint.acb(flint.arb(str(re)), flint.arb(str(im)))


class RationalPointBackend(_Univariate):
    """Exact evaluation at rational (s, t, a, M[, N]).

    >>> B = RationalPointBackend(s=3, t=2, a=1, M=Fraction(1, 2))
    >>> B.Xp
    15/4
    """

    exact = True
    poly = flint.fmpq_poly

    def __init__(self, s, t, a, M, N=None, model: str = "rashba"):
        self.model = model
        q = lambda x: flint.fmpq(Fraction(x).numerator, Fraction(x).denominator)  # noqa: E731
        self.s, self.t, self.a, self.MR = q(s), q(t), q(a), q(M)
        self.MA = q(N) if N is not None else self.MR
        self.scalar = lambda x: flint.fmpq(x)
        self._setup()

    def tail(self, coeffs, den_deg, word=None, lab=None):
        return leading_tail(coeffs, den_deg, flint.fmpq(0))

    def scale(self, h, c: Fraction):
        return h * flint.fmpq(c.numerator, c.denominator)

    def finish(self, inner, c: Fraction, ipow: int, apow: int) -> Cx:
        return Cx.ipow(inner * flint.fmpq(c.numerator, c.denominator) * self.a ** apow, ipow)

    def zero_value(self) -> Cx:
        return Cx()


class BallBackend(_Univariate):
    """Evaluation at a physical point with FLINT complex balls (``acb``).

    Precision is FLINT's global ``flint.ctx.dps``; use :func:`flint_precision`.
    ``s = √(λ² + 2iγΔ)`` and ``t = √(λ² − 2iγΔ)`` on the principal branch; with a
    spin-dependent self-energy (γ_z ≠ 0), M_R = M_z + iγ_z, M_A = M_z − iγ_z and
    λ² is computed separately for R and A.
    """

    poly = flint.acb_poly

    def __init__(self, eps, gamma, Delta, Mz, gamma_z=0, model: str = "rashba"):
        self.model = model
        acb = flint.acb
        eps, gamma, Delta, Mz, gz = (to_acb(x) for x in (eps, gamma, Delta, Mz, gamma_z))
        self.a = Delta.sqrt()
        self.MR = Mz + acb(0, 1) * gz
        self.MA = Mz - acb(0, 1) * gz
        E, Eb = eps + acb(0, 1) * gamma, eps - acb(0, 1) * gamma
        self.s = (Delta * Delta + 2 * E * Delta + self.MR ** 2).sqrt()
        self.t = (Delta * Delta + 2 * Eb * Delta + self.MA ** 2).sqrt()
        self.scalar = lambda x: acb(x)
        self.spin_dependent = gamma_z != 0
        self._setup()
        # the residue theorem is applied with X± above and Y± below the real axis (Eq. C3)
        if not (self.Xp.imag > 0 and self.Xm.imag > 0 and self.Yp.imag < 0 and self.Ym.imag < 0):
            raise PoleError(
                "retarded poles not certainly in the upper half plane at this point "
                f"(Im X+ = {self.Xp.imag.mid().str(6, radius=False)}, "
                f"Im X- = {self.Xm.imag.mid().str(6, radius=False)}); "
                "the whole-real-axis residue evaluation does not apply")

    def coeffs(self, p) -> dict:
        return dict(enumerate(p.coeffs()))

    def tail(self, coeffs, den_deg, word=None, lab=None):
        """Decay from the exact structure (a rational shadow point), value from the balls."""
        decay = _shadow_decay(word, lab, self.spin_dependent, self.model)
        return decay, coeffs.get(den_deg - 1, flint.acb(0))

    def scale(self, h, c: Fraction):
        return h * flint.acb(c.numerator) / c.denominator

    def finish(self, inner, c: Fraction, ipow: int, apow: int):
        return inner * (flint.acb(c.numerator) / c.denominator) * self.a ** apow * flint.acb(0, 1) ** ipow

    def zero_value(self):
        return flint.acb(0)


_SHADOWS: dict = {}


#: the generic point of the structural "shadow" (s, t, a, M, N), and the prime it is reduced modulo
_SHADOW_POINT = (Fraction(7919, 997), Fraction(6101, 1009), Fraction(1013, 1019), Fraction(409, 1021),
                 Fraction(-311, 1031))
_SHADOW_PRIME = 2 ** 61 - 1


def _shadow_backend(spin_dependent: bool, model: str = "rashba"):
    """The exact "shadow" of ball evaluations: one generic point (s, t, a, M[, N]) per kind, built
    once, so that its cached prefix products are shared by all words (issue 13).

    The point's coordinates are the fixed rationals of :data:`_SHADOW_POINT`, reduced modulo
    the prime 2^61 − 1 (FLINT ``nmod``: word-size numbers instead of rationals whose height
    grows with the word).  A leading coefficient is read as zero only if it vanishes at the
    rational point or if p divides its numerator there.
    """
    from .modular import ModularBackend

    key = (spin_dependent, model)
    S = _SHADOW_BACKENDS.get(key)
    if S is None:
        p = _SHADOW_PRIME
        s, t, a, M, N = (x.numerator * pow(x.denominator, -1, p) % p for x in _SHADOW_POINT)
        S = _SHADOW_BACKENDS[key] = ModularBackend(p, s, t, a, M, N if spin_dependent else None, model=model)
    return S


_SHADOW_BACKENDS: dict = {}


def _shadow_decay(word, lab, spin_dependent: bool, model: str = "rashba") -> int:
    """Large-η decay of one component of ``word``, from exact arithmetic at a generic point.

    A ball whose leading coefficient straddles zero cannot tell a structural zero
    from a small number; the degree is a structural fact, read here exactly.
    """
    from .bubble import word_product, _needed, _split
    from .harmonics import pauli_components
    from .word import count_green

    key = (tuple(word), lab, spin_dependent, model)
    if key not in _SHADOWS:
        S = _shadow_backend(spin_dependent, model)
        k = _split(word)
        L, _ = word_product(word[:k], S)
        R, _ = word_product(word[k:], S)
        comps = pauli_components(_needed(L, R, S), S)
        nR, nA = count_green(word)
        for lab2, (poly, _) in comps.items():     # all four components from one product
            _SHADOWS[(tuple(word), lab2, spin_dependent, model)] = \
                leading_tail(S.coeffs(poly), 2 * (nR + nA), S.scalar(0))[0]
    return _SHADOWS[key]
