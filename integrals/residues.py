"""Residues of rational functions of η with known poles, in any commutative ring.

The ξ-integral over the whole real axis is closed in the upper half plane
(Eq. C3: the retarded poles x± lie there, the advanced ones below).  For

    f(η) = N(η) / ((η − P)^A  Π_j (η − c_j)^{b_j})

the residue at P is the coefficient of h^{A−1} in N(P + h) Π_j (P − c_j + h)^{−b_j}.
To stay inside a polynomial ring the known denominators are kept apart
(METHOD-HINTS, fact 2): :func:`scaled_residue` returns

    Res_P f · Π_j (P − c_j)^{b_j + A − 1},

a polynomial in the ring's variables.  Nothing here divides.

>>> from fractions import Fraction as F
>>> # Res_{η=1} 1/((η-1)^2 (η-3)) = d/dη 1/(η-3) at 1 = -1/4; scaled by (1-3)^{1+2-1} = 4
>>> scaled_residue({0: F(1)}, F(1), [(F(3), 1)], 2, zero=F(0), one=F(1))
Fraction(-1, 1)
"""
from __future__ import annotations

from math import comb

__all__ = ["taylor_shift", "scaled_inverse_series", "scaled_product_series", "scaled_residue",
           "leading_tail"]


def taylor_shift(coeffs: dict, P, order: int, zero):
    """Coefficients [N(P), N'(P), N''(P)/2!, ...] up to h^{order-1} of N(P + h).

    ``coeffs`` maps η-degree to coefficient.  Repeated synthetic division by
    (η − P): only multiplications by ``P`` occur.

    >>> taylor_shift({2: 1, 0: 1}, 2, 3, 0)    # η² + 1 at η = 2 + h: 5 + 4h + h²
    [5, 4, 1]
    """
    if not coeffs:
        return [zero] * order
    deg = max(coeffs)
    c = [coeffs.get(j, zero) for j in range(deg + 1)]
    out = []
    for _ in range(order):
        if not c:
            out.append(zero)
            continue
        b = [zero] * (len(c) - 1)
        acc = c[-1]
        for j in range(len(c) - 2, -1, -1):
            b[j] = acc
            acc = c[j] + P * acc
        out.append(acc)
        c = b
    return out


def scaled_inverse_series(d, b: int, order: int, one):
    """Coefficients of d^{b+order−1} (d + h)^{−b} up to h^{order−1} (polynomials in d).

    >>> scaled_inverse_series(2, 1, 3, 1)       # 2^3/(2+h) = 4 - 2h + h²
    [4, -2, 1]
    """
    pw = [one]
    for _ in range(order):
        pw.append(pw[-1] * d)
    return [(-1) ** k * comb(b + k - 1, k) * pw[order - 1 - k] for k in range(order)]


def _conv(x, y, n, zero):
    return [sum((x[i] * y[k - i] for i in range(k + 1)), zero) for k in range(n)]


def scaled_product_series(P, others, A: int, *, zero, one) -> list:
    """Coefficients up to h^{A−1} of Π_j (P − c_j)^{b_j+A−1} (P − c_j + h)^{−b_j}.

    ``others`` is a list of (c_j, b_j) or of (d_j, b_j, True) where d_j = P − c_j is
    given directly (so that a backend can pass the factorised difference).
    """
    U = [one] + [zero] * (A - 1)
    for item in others:
        if len(item) == 3:
            d, b, _ = item
        else:
            c, b = item
            d = P - c
        if b == 0:
            continue
        U = _conv(U, scaled_inverse_series(d, b, A, one), A, zero)
    return U


def scaled_residue(coeffs: dict, P, others, A: int, *, zero, one, U=None):
    """Res_{η=P} N/((η−P)^A Π (η−c_j)^{b_j}) times Π (P−c_j)^{b_j+A−1}.

    ``U`` may pass a precomputed :func:`scaled_product_series` (it depends on the
    poles only, not on the numerator).
    """
    if A <= 0:
        return zero
    Nk = taylor_shift(coeffs, P, A, zero)
    if U is None:
        U = scaled_product_series(P, others, A, zero=zero, one=one)
    return sum((Nk[k] * U[A - 1 - k] for k in range(A)), zero)


def leading_tail(coeffs: dict, den_degree: int, zero):
    """Large-η behaviour of N(η)/D(η) for monic D of degree ``den_degree``.

    Returns (decay, c) with N/D ~ c η^{−decay}; decay ≥ 2 means the real-axis
    integral equals 2πi Σ_UHP Res; decay = 1 needs the arc term −iπc of the
    symmetric cut-off (METHOD-HINTS, fact 4); decay ≤ 0 diverges.

    >>> leading_tail({1: 3, 0: 1}, 2, 0)
    (1, 3)
    """
    nz = [k for k, v in coeffs.items() if v != zero]
    if not nz:
        return (10 ** 9, zero)
    deg = max(nz)
    return den_degree - deg, coeffs[deg]
