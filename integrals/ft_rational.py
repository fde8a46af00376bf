"""Two-dimensional Fourier transforms of rational functions of the momentum, in closed form.

For an isotropic denominator and a polynomial numerator with 2×2 matrix coefficients,

    f(r) = ∫d²p/(2π)² e^{ip·r} F(p),   F(p) = Σ M_{n₊n₋} p₊^{n₊} p₋^{n₋} / (c Π_j (p² − a_j)^{m_j}),

p_± = p_x ± i p_y, m_j ∈ {1, 2, 3}, is a finite sum of Bessel functions of complex argument.
The rules (r > 0, polar angle φ of r):

1. ∫d²p/(2π)² e^{ip·r}/(p² − a) = K₀(κr)/2π with κ = √(−a), Re κ > 0 (a off the positive axis).
2. p_± acts as −i(∂_x ± i∂_y), and (∂_x ± i∂_y)[K_ν(κr)e^{iνφ}] = −κ K_{ν±1}(κr)e^{i(ν±1)φ}
   (K_{−ν} = K_ν), so p₊^{n₊}p₋^{n₋}/(p² − a) ↦ (iκ)^n K_ν(κr) e^{iνφ}/2π, n = n₊ + n₋,
   ν = n₊ − n₋ (the case p₊p₋ = p² gives a·K₀: consistent with rule 1).
3. A multiple pole is a derivative in its position: 1/(p² − a)² = ∂_a 1/(p² − a),
   1/(p² − a)³ = ½∂_a² 1/(p² − a), with ∂κ/∂a = −1/2κ, K_ν' = −(K_{ν−1} + K_{ν+1})/2 and
   K_ν'' = (K_{ν−2} + 2K_ν + K_{ν+2})/4.
4. Partial fractions of 1/(c Π(p² − a_j)^{m_j}) put everything together.  Terms that do not
   decay alone (high powers of p) carry δ(r) and its derivatives, which cancel in the sum
   when F decays; for r > 0 the sum is exact.

**Precision.**  At small |κr| the pole sum cancels (single terms grow like (κr)^{−|ν|} while
f stays bounded), so below :data:`R_SWITCH`/max|κ| every Bessel value and the sum are taken
in ball arithmetic (python-flint ``acb``, from :data:`BALL_PREC` bits, doubled at a node
until every ball is narrower than 1e-14 of its value: no digit is guessed); elsewhere scipy's K_ν of complex
argument (float64), where the terms are of the size of the sum.
SciPy is a declared dependency for exactly this (vectorised K_ν(z), z complex).

>>> import numpy as np
>>> ft = RationalFT({(0, 0): np.eye(2)}, [(-1.0 + 0j, 1)])       # 1/(p² + 1) -> K₀(r)/2π
>>> h = ft.harmonics(np.array([0.5, 2.0]))
>>> from mpmath import besselk, pi
>>> bool(abs(h[0][0, 0, 0] - besselk(0, 0.5) / (2 * pi)) < 1e-15)
True
"""
from __future__ import annotations

import flint
import numpy as np

__all__ = ["RationalFT", "Denominator", "poly_mul", "poly_add", "poly_scale", "poly_from_sympy", "R_SWITCH", "BALL_PREC", "MAX_BALL_PREC"]

#: below |κ|_max·r = R_SWITCH the pole sum is evaluated in ball arithmetic (cancellation
#: ~ (κr)^{-2|ν|})
R_SWITCH = 6.0
#: starting precision (bits) of the small-r evaluation, doubled at a node until every ball is
#: narrower than 1e-14 of its value, up to MAX_BALL_PREC
BALL_PREC, MAX_BALL_PREC = 140, 4480


def poly_mul(a: dict, b: dict) -> dict:
    """Product of two matrix polynomials {(n₊, n₋): 2x2 array}."""
    out: dict = {}
    for (i, j), A in a.items():
        for (k, l), B in b.items():
            key = (i + k, j + l)
            out[key] = out.get(key, 0) + A @ B
    return out


def poly_add(*ps: dict) -> dict:
    out: dict = {}
    for p in ps:
        for k, v in p.items():
            out[k] = out.get(k, 0) + v
    return out


def poly_scale(p: dict, c) -> dict:
    return {k: c * v for k, v in p.items()}


def poly_from_sympy(expr, px, py) -> dict:
    """A polynomial in p_x, p_y (sympy, numeric coefficients) as {(n₊, n₋): scalar}:
    p_x = (p₊ + p₋)/2, p_y = (p₊ − p₋)/2i."""
    import sympy

    P, Q = sympy.symbols("P Q")
    e = sympy.expand(sympy.sympify(expr).subs({px: (P + Q) / 2, py: (P - Q) / (2 * sympy.I)},
                                               simultaneous=True))
    out = {}
    for (i, j), c in sympy.Poly(e, P, Q).terms():
        c = complex(c)
        if c != 0:
            out[(i, j)] = c
    return out


def _pf_terms(poles, lead):
    """Partial fractions of 1/(lead Π_j (s − a_j)^{m_j}) in ball arithmetic (python-flint acb,
    at the working precision): [(j, k, c)] for c/(s − a_j)^k, from the Taylor coefficients of
    f_j = Π_{i≠j}(s − a_i)^{−m_i}/lead at a_j (m_j ≤ 3)."""
    a = [flint.acb(complex(p[0])) for p in poles]
    m = [p[1] for p in poles]
    out = []
    for j in range(len(a)):
        if not 1 <= m[j] <= 3:
            raise ValueError("poles of order 1 to 3 only")
        f = 1 / flint.acb(complex(lead))
        L1 = L2 = flint.acb(0)
        for i in range(len(a)):
            if i != j:
                f /= (a[j] - a[i]) ** m[i]
                L1 += -m[i] / (a[j] - a[i])
                L2 += m[i] / (a[j] - a[i]) ** 2
        taylor = [f, f * L1, f * (L1 ** 2 + L2) / 2]
        for q in range(m[j]):
            out.append((j, m[j] - q, taylor[q]))
    return out


def _basis(n, nu, k, kap, r, K):
    """The transform of p₊^{n₊}p₋^{n₋}/(p² − a)^k times 2π, n = n₊ + n₋, ν = |n₊ − n₋|, κ = √(−a):
    f₁ = (iκ)^n K_ν(κr) (rule 2), f₂ = ∂_a f₁, f₃ = ½∂_a² f₁ with ∂_a = −(1/2κ)∂_κ (rule 3).
    ``K[v]`` = K_v(κr); works on numpy arrays and on python-flint acb numbers alike."""
    base = (1j * kap) ** n
    if k == 1:
        return base * K[nu]
    dK = -(K[abs(nu - 1)] + K[nu + 1]) / 2
    d1 = n * 1j * (1j * kap) ** (n - 1) * K[nu] + base * r * dK
    if k == 2:
        return -d1 / (2 * kap)
    ddK = (K[abs(nu - 2)] + 2 * K[nu] + K[nu + 2]) / 4
    d2 = -n * (n - 1) * (1j * kap) ** (n - 2) * K[nu] + 2 * n * 1j * (1j * kap) ** (n - 1) * r * dK \
        + base * r ** 2 * ddK
    return (d2 / (4 * kap ** 2) - d1 / (4 * kap ** 3)) / 2


class Denominator:
    """1/(lead Π(p² − a_j)^{m_j}) and the radial functions of its monomial numerators,
    B_{n₊n₋}(r) = Σ_terms c (iκ)^n K_ν(κr) (rules 2–4), cached for the last r array: every
    :class:`RationalFT` over the same denominator shares them."""

    def __init__(self, poles, lead=1.0):
        self.poles = [(complex(a), int(mu)) for a, mu in poles]
        for a, _ in self.poles:
            if a.imag == 0 and a.real >= 0:
                raise ValueError("a pole on the positive p² axis: the transform needs a broadening")
        self.lead = complex(lead)
        with flint.ctx.workprec(BALL_PREC):
            self.terms = [(j, k, complex(c)) for j, k, c in _pf_terms(self.poles, self.lead)]
        self.kappa = [complex(np.sqrt(-a)) for a, _ in self.poles]
        self._r = None
        self._cache: dict = {}

    def radial(self, r, keys) -> dict:
        """{(n₊, n₋): B(r)} for the requested monomials (r > 0, float array)."""
        if self._r is None or self._r.shape != r.shape or np.any(self._r != r):
            self._r, self._cache = r.copy(), {}
        need = [k for k in keys if k not in self._cache]
        if need:
            kmax = max(abs(k) for k in self.kappa)
            small = r * kmax < R_SWITCH
            for k in need:
                self._cache[k] = np.zeros(r.shape, complex)
            if np.any(~small):
                big = self._radial_np(r[~small], need)
                for k in need:
                    self._cache[k][~small] = big[k]
            if np.any(small):
                sm = self._radial_ball(r[small], need)
                for k in need:
                    self._cache[k][small] = sm[k]
        return {k: self._cache[k] for k in keys}

    def _radial_np(self, r, keys):
        from scipy.special import kv

        numax = max(abs(i - j) for i, j in keys) + 2
        K = [[kv(v, kap * r) for v in range(numax + 1)] for kap in self.kappa]
        out = {}
        for (i, j) in keys:
            acc = np.zeros(r.shape, complex)
            for pj, k, c in self.terms:
                acc += complex(c) * _basis(i + j, abs(i - j), k, self.kappa[pj], r, K[pj])
            out[(i, j)] = acc
        return out

    def _radial_ball(self, r, keys):
        out = {key: np.zeros(r.shape, complex) for key in keys}
        for q, rq in enumerate(r):
            prec = BALL_PREC
            while True:          # the nearer r is to 0, the more the pole sum cancels
                vals = self._node_ball(float(rq), keys, prec)
                if vals is not None:
                    break
                prec *= 2
                if prec > MAX_BALL_PREC:
                    raise ArithmeticError(f"the pole sum at r = {rq:.3g} needs more than {MAX_BALL_PREC} bits")
            for key in keys:
                out[key][q] = vals[key]
        return out

    def _node_ball(self, rq: float, keys, prec: int):
        """{key: B(r)} at one r in balls of ``prec`` bits, or None when a ball is wider than
        1e-14 of its value (then the caller doubles the precision)."""
        numax = max(abs(i - j) for i, j in keys) + 2
        out = {}
        with flint.ctx.workprec(prec):
            kaps = [(-flint.acb(a)).sqrt() for a, _ in self.poles]
            terms = _pf_terms(self.poles, self.lead)
            rb = flint.arb(rq)
            Ks = []
            for kap in kaps:
                z = kap * rb
                K = [z.bessel_k(0), z.bessel_k(1)]
                for v in range(1, numax):
                    K.append(K[v - 1] + 2 * v / z * K[v])
                Ks.append(K)
            for (i, j) in keys:
                acc = flint.acb(0)
                for pj, k, c in terms:
                    acc += c * _basis(i + j, abs(i - j), k, kaps[pj], rb, Ks[pj])
                val = complex(acc)
                rad = float(acc.real.rad()) + float(acc.imag.rad())
                if rad > 1e-14 * abs(val) and rad > 1e-60:
                    return None
                out[(i, j)] = val
        return out


class RationalFT:
    """f(r) of F(p) = Σ M p₊^{n₊}p₋^{n₋} / (lead Π(p² − a_j)^{m_j}) (module docstring).

    ``poly``: {(n₊, n₋): 2x2 array or scalar}; ``poles``: [(a_j, m_j)] or a shared
    :class:`Denominator`; ``lead``: c.  :meth:`harmonics` returns {ν: array (len(r), 2, 2)}
    with f(r, φ) = Σ_ν f_ν(r) e^{iνφ}."""

    def __init__(self, poly: dict, poles, lead=1.0):
        self.poly = {k: np.broadcast_to(np.asarray(v, complex), (2, 2)).copy() for k, v in poly.items()
                     if np.any(np.asarray(v) != 0)}
        self.den = poles if isinstance(poles, Denominator) else Denominator(poles, lead)

    def harmonics(self, r) -> dict:
        """{ν: f_ν(r)} as arrays (len(r), 2, 2), r > 0."""
        r = np.asarray(r, float)
        if np.any(r <= 0):
            raise ValueError("the transform is evaluated at r > 0 only")
        rad = self.den.radial(r, list(self.poly))
        out: dict = {}
        for (i, j), M in self.poly.items():
            out[i - j] = out.get(i - j, 0) + rad[(i, j)][:, None, None] * M / (2 * np.pi)
        return out
