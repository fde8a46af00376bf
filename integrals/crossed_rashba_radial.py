"""A second route to the crossed blocks of :mod:`streda.integrals.crossed_rashba` (issue 10).

The main route takes the limit η → 0 analytically: every root r_i of D₁D₂ on the positive
axis is assigned the side its i0 moves it to, poles of the φ integrand at circle
intersections are split into a principal value and 2π²g₀/|κ|, and root differences are
computed without cancellation.  Here none of that bookkeeping is used: the propagators keep a
finite broadening, ε → ε ± iη with η = 10^-(dps−10) (mpmath, ``dps`` digits), the roots
u_j(ε ± iη) of D(u) are found numerically (``mpmath.polyroots``) and the eight radial roots
follow from r² = u_j and r² + 2r û·L + L² = u_j (all off the real axis), the radial integral is the partial-fraction sum with principal logarithms, and φ is integrated by
``mpmath.quad`` between the directions of the circle intersections, tangents and ±L.  The
block is the same quantity, ∫d²k/(2π)² Tr[P_n … G(k) … P_m … G(c k + L) …], for the
Rashba Green's function G = (ε − H)⁻¹ built from the model's h(p) (not from the main route).
"""
from __future__ import annotations

import mpmath as mp

__all__ = ["block_radial"]


def _pmul(a, b):
    out = [mp.mpc(0)] * (len(a) + len(b) - 1)
    for i, x in enumerate(a):
        for j, y in enumerate(b):
            out[i + j] += x * y
    return out


def _padd(a, b):
    n = max(len(a), len(b))
    a = [mp.mpc(0)] * (n - len(a)) + list(a)
    b = [mp.mpc(0)] * (n - len(b)) + list(b)
    return [x + y for x, y in zip(a, b)]


def _compose_D(Dc, q):
    """D(q(r)) for D given by coefficients in u (highest first) and q a polynomial in r."""
    out = [mp.mpc(Dc[0])]
    for c in Dc[1:]:
        out = _padd(_pmul(out, q), [c])
    return out


def block_radial(hfun, Dcoef, P1, P2, L, c, sides, slots, dps: int = 20, breaks=(), maxdegree: int = 6):
    """The crossed block by the finite-η radial-first route.

    ``hfun(kx, ky, eps_shift)`` -> (n0, n1, n2, n3), the numerator of G = (ε − H)⁻¹ with ε → ε +
    eps_shift; ``Dcoef(eps_shift)`` -> coefficients of D(u) in u = k² (highest first); ``P1``,
    ``P2`` mpmath 2x2 matrices; ``L`` (Lx, Ly); ``c`` = ±1; ``sides`` = (±1, ±1) for R/A;
    ``slots`` as in :func:`streda.integrals.crossed.block_structure`; ``breaks``: extra φ
    break points.
    """
    with mp.workdps(dps):
        eta = mp.mpf(10) ** (-(dps - 10))
        Lx, Ly = mp.mpf(L[0]), mp.mpf(L[1])
        S = [mp.matrix([[1, 0], [0, 1]]), mp.matrix([[0, 1], [1, 0]]),
             mp.matrix([[0, -1j], [1j, 0]]), mp.matrix([[1, 0], [0, -1]])]
        sh = [1j * eta * sides[0], 1j * eta * sides[1]]
        D1c, D2c = Dcoef(sh[0]), Dcoef(sh[1])
        lead = D1c[0] * D2c[0]
        u1 = mp.polyroots(D1c, maxsteps=200, extraprec=2 * dps)
        u2 = mp.polyroots(D2c, maxsteps=200, extraprec=2 * dps)

        def N(kx, ky, s):
            n = hfun(kx, ky, s)
            return n[0] * S[0] + n[1] * S[1] + n[2] * S[2] + n[3] * S[3]

        def radial(phi):
            ux, uy = mp.cos(phi), mp.sin(phi)
            uL = c * (ux * Lx + uy * Ly)
            # roots: u_j(ε ± iη) of D (numerically), then r² = u_j and r² + 2r uL + L² = u_j
            roots = []
            for uj in u1:
                sq = mp.sqrt(uj)
                roots += [sq, -sq]
            for uj in u2:
                sq = mp.sqrt(uL ** 2 - Lx ** 2 - Ly ** 2 + uj)
                roots += [-uL + sq, -uL - sq]
            tot = 0
            for i, ri in enumerate(roots):
                den = lead
                for j, rj in enumerate(roots):
                    if j != i:
                        den *= ri - rj
                kx, ky = ri * ux, ri * uy
                A, B = N(kx, ky, sh[0]), N(c * kx + Lx, c * ky + Ly, sh[1])
                slot = {0: [], 1: []}
                slot[slots[0]].append(A)
                slot[slots[1]].append(B)
                M = P1
                for X in slot[0]:
                    M = M * X
                M = M * P2
                for X in slot[1]:
                    M = M * X
                F = M[0, 0] + M[1, 1]
                tot += -ri * F / den * mp.log(-ri)
            return tot

        pts = sorted(set([mp.mpf(0)] + [mp.mpf(b) % (2 * mp.pi) for b in breaks])) + [2 * mp.pi]
        return complex(mp.quad(radial, pts, maxdegree=maxdegree) / (4 * mp.pi ** 2))


def mp_model(ip):
    """(hfun, Dcoef) of :func:`block_radial` from an :class:`~streda.integrals.hall.IsotropicPoint`:
    built from the model's h(p) with ε kept as ε + s (sympy, then mpmath)."""
    import sympy

    from .hall import x
    from .models import px, py

    s = sympy.Symbol("s")
    E = ip.eps + s
    hs = [sympy.lambdify((px, py, s), E - ip.h[0], "mpmath")] + \
         [sympy.lambdify((px, py, s), c, "mpmath") for c in ip.h[1:]]
    D = sympy.Poly(sympy.expand((E - ip.h0) ** 2 - ip.hp2 - ip.hz ** 2), x)
    cf = [sympy.lambdify(s, c, "mpmath") for c in D.all_coeffs()]

    def hfun(kx, ky, sh):
        return [f(kx, ky, sh) for f in hs]

    def Dcoef(sh):
        return [mp.mpc(f(sh)) for f in cf]

    return hfun, Dcoef
