"""Vertex integrals on the angle-trapezoid route: P^(n) of Eq. (C9) and the general ladder.

The per-angle residues of :mod:`streda.integrals.angular` (polynomials in q at one φ, partial
fractions over the poles in u = q², the ``whole`` or ``physical`` ξ prescription, trapezoid
rule in φ) applied to the open 2x2 integrals that the ladder needs:

* :func:`pn_angular` -- P^(n)_β = Σ_m ∫ [G^R σx]^m G^R Γ G^A [σx G^A]^{n−m} (Eq. C9) on either
  axis; on ξ ≥ 0 it is measured by :mod:`streda.verify.prescription`;
* :func:`dressed_angular` -- ladder-dressed K and σ for any model and correlator (in-plane
  magnetic disorder included), the general ladder solver of :mod:`streda.integrals.ladder`
  over these integrals.

>>> from streda.integrals.models import get_model
>>> pt = get_model("rashba").point("eps=1,gamma=1/10,Delta=3/10,Mz=2/5")
>>> K = dressed_angular("K", pt, 0, 15)
>>> mpmath.nstr(K[0]["xy"].real, 12)             # the exact-frame ladder gives the same
'-0.435863762349'
"""
from __future__ import annotations

from functools import lru_cache

import flint
import mpmath
import sympy

from .angular import (COLS, chop_orders, doubling_trapezoid, GUARD_DIGITS, MAX_MX_ORDER, ROWS, _SIGMA,
                      AngularError, _acb, _Angle, _check_args, _data, _even_in_u, _mat_from,
                      _mmul, _mp, _mscale, _numeric, _param, _pole_side_check, _prescribe, _trace_with,
                      tensor_angular)

__all__ = ["pn_angular", "dressed_angular"]


# ---------------------------------------------------------------- P^(n) (Eq. C9) on either axis

def pn_angular(n: int, beta: str, point, dps: int = 20, xi_range: str = "whole", vertex: str = "p") -> dict:
    """P^(n)_β = Σ_{m=0}^{n} ∫ d²p/(2π)² [G^R σx]^m G^R Γ G^A [σx G^A]^{n−m}, Pauli components.

    Γ = p_β/m_e (``vertex="p"``, Eq. C9) or the bare velocity v_β = ∂H/∂p_β (``vertex="v"``,
    the negative control); G^{R,A} = (ε ± iγ − H)⁻¹ at M_x = 0 with scalar broadening.  Same
    residues per angle and trapezoid rule in φ as :func:`tensor_angular`, so ``xi_range``
    selects the whole axis (where P^(n) = 0 exactly for n ≥ 1, proved by the exact engine)
    or ξ ≥ 0.  Returns ``{"0","x","y","z": mpc}`` at ``dps`` digits; the trapezoid rule is
    doubled until two rules agree to 10^−dps times the largest component of P^(0) (so a
    vanishing P^(n) comes out as rounding noise of that size, not as an exact zero).

    >>> from streda.integrals.models import get_model
    >>> pt = get_model("rashba").point("eps=1,gamma=1/10,Delta=3/10,Mz=2/5")
    >>> w = pn_angular(1, "x", pt, 15)
    >>> max(abs(v) for v in w.values()) < 1e-13          # Eq. (C9) on the whole axis
    True
    >>> mpmath.nstr(pn_angular(1, "y", pt, 15, "physical")["0"].real, 6)   # not on ξ ≥ 0
    '0.0697883'
    """
    if not isinstance(n, int) or isinstance(n, bool) or not 0 <= n <= MAX_MX_ORDER:
        raise AngularError(f"n must be an integer 0..{MAX_MX_ORDER}, not {n!r}")
    if beta not in COLS:
        raise AngularError(f"beta must be 'x' or 'y', not {beta!r}")
    if vertex not in ("p", "v"):
        raise AngularError(f"vertex must be 'p' or 'v', not {vertex!r}")
    _check_args("K", 0, dps, xi_range, None)
    scale = None
    if n > 0:
        p0 = _pn_cached(0, beta, point, dps, xi_range, vertex, None)
        scale = max(abs(v) for v in p0.values())
    return _pn_cached(n, beta, point, dps, xi_range, vertex, scale)


def _phi_average(values_at, tol_digits: int, failure: str, scale=None) -> dict:
    """{key: mean over φ / 8π} as mpmath numbers, by :func:`streda.integrals.angular.doubling_trapezoid`,
    converged when two levels differ by at most 10^−tol_digits of ``scale`` (default: the
    largest mean)."""
    def as_mp(means):
        return {k: _mp(v) / (8 * mpmath.pi) for k, v in means.items()}

    def converged(prev, means):
        a, b = as_mp(prev), as_mp(means)
        ref = scale if scale is not None else max(abs(v) for v in b.values())
        return max(abs(b[k] - a[k]) for k in b) <= mpmath.mpf(10) ** (-tol_digits) * ref

    return as_mp(doubling_trapezoid(values_at, converged, failure)[0])


@lru_cache(maxsize=64)
def _pn_cached(n, beta, point, dps, xi_range, vertex, scale):
    data = _data(point)
    digits = dps + GUARD_DIGITS + 2 * n
    with flint.ctx.workprec(int(digits * 3.33) + 10), mpmath.workdps(digits):
        num = _numeric(data, digits)
        m = _param(point, "m", sympy.Integer(1))
        inv_m = _acb(1 / sympy.sympify(m), digits)
        means = _phi_average(lambda c, s_: _pn_angle(n, beta, num, xi_range, vertex, inv_m, c, s_), dps,
                             f"the trapezoid rule for P^({n}) did not reach {dps} digits with {{n}} angles",
                             scale)
    with mpmath.workdps(dps):
        return {a: +v for a, v in means.items()}


def _pn_angle(n, beta, num, xi_range, vertex, inv_m, cphi, sphi) -> dict:
    """∫ du of the P^(n) integrand at one angle (φ and φ + π paired), Pauli components."""
    ang = _Angle(num, cphi, sphi)
    _pole_side_check(ang, xi_range)
    if vertex == "p":
        pb = flint.acb_poly([0, (cphi if beta == "x" else sphi) * inv_m])
        V = ((pb, flint.acb_poly([0])), (flint.acb_poly([0]), pb))
    else:
        V = ang.v[beta]
    sx = _SIGMA["x"]
    NR, NA = ang.G["R"][0], ang.G["A"][0]
    left = [NR]                       # (N_R σx)^m N_R
    right = [NA]                      # N_A (σx N_A)^c
    for _ in range(n):
        left.append(_mmul(_mmul(left[-1], sx), NR))
        right.append(_mmul(_mmul(right[-1], sx), NA))
    DR, DA = ang.Dq["R"], ang.Dq["A"]
    acc = None
    for mm in range(n + 1):
        M = _mmul(_mmul(left[mm], V), right[n - mm])
        fac = flint.acb_poly([1])
        for _ in range(n - mm):
            fac = fac * DR            # bring D_R^{m+1} D_A^{n−m+1} to D_R^{n+1} D_A^{n+1}
        for _ in range(mm):
            fac = fac * DA
        M = _mscale(M, fac)
        acc = M if acc is None else tuple(tuple(a + b for a, b in zip(r1, r2)) for r1, r2 in zip(acc, M))
    out = {}
    for a in ("0", "x", "y", "z"):
        P = _even_in_u(_trace_with(_SIGMA[a], acc))
        out[a] = _prescribe(ang.partial_fractions(P, n + 1, n + 1), xi_range) / 2
    return out


# ---------------------------------------------------------------- ladder dressing (any correlator)

def dressed_angular(kind: str, point, mx_order: int, dps: int, xi_range: str = "whole", disorder=None) -> dict:
    """Ladder-dressed K or σ on this route: RA with the dressed vertex Γ_β, RR and AA bare.

    Γ = v + D with D momentum-free, D = α_d0 Λ[∫ Ḡ^R Γ Ḡ^A] (the rung X → Σ W_ab σ_a X σ_b of
    ``disorder``, α_d0 = 2γ/(m_e n₀); Ḡ the M_x Dyson series, H₁ = ∂H/∂M_x).  Order by order

        (1 − L) D^(n) = α_d0 Λ[Σ_{a+c=n} S_ac(v_β) + Σ_{b<n} Σ_{a+c=n−b} S_ac(D^(b))],
        S_ac(X) = ∫ (G^R H₁)^a G^R X G^A (H₁ G^A)^c,   L(X) = α_d0 Λ[S_00(X)],

    and the entry is the bare one (:func:`tensor_angular`) plus fac·2·Σ_{b≤n} Σ_{a+c=n−b}
    Tr[O_α S_ac(D^(b))] (O = σ for K, v for σ).  The same integrals as the bare route (residues
    per angle, trapezoid in φ), so any u and either ξ axis; the charge mode of 1 − L (the
    diffusion pole) is handled as in :func:`streda.integrals.ladder._solve`.  Checked against
    the exact-frame ladder for u along z (``tests/test_inplane_disorder.py``).
    """
    _check_args(kind, mx_order, dps, xi_range, disorder)
    from .disorder import SCALAR

    dis = disorder if disorder is not None else SCALAR
    bare = tensor_angular(kind, point, mx_order, dps, xi_range, disorder)
    S, T, ref = _ladder_cached(kind, point, mx_order, dps, xi_range, dis if dis.spin_dependent else None)
    m = _param(point, "m", sympy.Integer(1))
    with mpmath.workdps(dps + 10):
        conv = lambda x: mpmath.mpf(sympy.N(x, dps + 15)) if sympy.sympify(x).is_real else \
            mpmath.mpc(sympy.N(x, dps + 15))  # noqa: E731
        ad0 = conv(dis.alpha_d0(point["gamma"], m))
        rung = lambda X: dis.rung(X, I=mpmath.mpc(0, 1), conv=conv)  # noqa: E731

        def s_of(a, c, X):
            out = {k: mpmath.mpc(0) for k in _LAB}
            for j, xj in X.items():
                if xj != 0:
                    for k in _LAB:
                        out[k] += xj * S[(a, c, j)][k]
            return out

        Lcols = [rung({k: ad0 * v for k, v in s_of(0, 0, {j: 1}).items()}) for j in _LAB]
        A = [[(1 if i == j else 0) - Lcols[j][_LAB[i]] for j in range(4)] for i in range(4)]
        e = _param(point, "e", sympy.Integer(1))
        e = mpmath.mpf(sympy.N(e if e != 0 else 1, dps + 15))
        fac = e / (8 * mpmath.pi) if kind == "K" else e ** 2 / (4 * mpmath.pi)
        out = {}
        Ds = {c: [] for c in COLS}
        for col in COLS:
            for n in range(mx_order + 1):
                rhs = {k: mpmath.mpc(0) for k in _LAB}
                for a in range(n + 1):
                    for k, v in S[(a, n - a, "v" + col)].items():
                        rhs[k] += v
                for b in range(n):
                    for a in range(n - b + 1):
                        for k, v in s_of(a, n - b - a, Ds[col][b]).items():
                            rhs[k] += v
                rhs = rung({k: ad0 * v for k, v in rhs.items()})
                Ds[col].append(_solve_mp(A, rhs, ref))
        for n in range(mx_order + 1):
            out[n] = {}
            for row in ROWS[kind]:
                for col in COLS:
                    corr = mpmath.mpc(0)
                    for b in range(n + 1):
                        for a in range(n - b + 1):
                            c = n - b - a
                            for j, dj in Ds[col][b].items():
                                if dj == 0:
                                    continue
                                tr = 2 * S[(a, c, j)][row] if kind == "K" else T[(a, c, j, row)]
                                corr += dj * tr
                    out[n][row + col] = bare[n][row + col] + fac * 2 * corr
    return chop_orders(out, dps)


_LAB = ("0", "x", "y", "z")


def _solve_mp(A, b: dict, ref) -> dict:
    """(1 − L) D = b.  When 1 − L is singular to working precision (the diffusion pole: L
    conserves particle number), D is solved in the (x, y, z) block with D_0 = 0 and the charge
    equation is checked, as in :func:`streda.integrals.ladder._solve`."""
    tol = mpmath.mpf(10) ** (-(mpmath.mp.dps // 2))
    vec = [b[k] for k in _LAB]
    M = mpmath.matrix(A)
    scale = max(abs(x) for x in M) ** 4
    if abs(mpmath.det(M)) > tol * scale:
        sol = mpmath.lu_solve(M, mpmath.matrix(vec))
        return {k: sol[i] for i, k in enumerate(_LAB)}
    sol = mpmath.lu_solve(mpmath.matrix([[A[i][j] for j in range(1, 4)] for i in range(1, 4)]),
                          mpmath.matrix(vec[1:]))
    D = {"0": mpmath.mpc(0), "x": sol[0], "y": sol[1], "z": sol[2]}
    resid = vec[0] - sum(A[0][j] * D[k] for j, k in enumerate(_LAB))
    if abs(resid) > tol * max(abs(x) for x in vec + [mpmath.mpf(ref)]):
        raise AngularError("the source excites the charge channel of the diffuson (1 - L singular)")
    return D


@lru_cache(maxsize=16)
def _ladder_cached(kind, point, mx_order, dps, xi_range, disorder):
    """φ-averaged S_ac(X) (Pauli components; X = σ_j, v_x, v_y) and, for σ, Tr[v_α S_ac(σ_j)]."""
    data = _data(point, disorder)
    digits = dps + GUARD_DIGITS + 2 * mx_order
    with flint.ctx.workprec(int(digits * 3.33) + 10), mpmath.workdps(digits):
        num = _numeric(data, digits)
        means = _phi_average(lambda c, s_: _ladder_angle(kind, num, mx_order, xi_range, c, s_), dps + 4,
                             "the trapezoid rule of the ladder integrals did not reach "
                             f"{dps} digits with {{n}} angles")
        ref = max(abs(v) for v in means.values())
    S, T = {}, {}
    for key, v in means.items():
        if key[0] == "S":
            S.setdefault(key[1:4], {})[key[4]] = v
        else:
            T[key[1:]] = v
    return S, T, ref


def _ladder_angle(kind, num, mx_order, xi_range, cphi, sphi) -> dict:
    ang = _Angle(num, cphi, sphi)
    _pole_side_check(ang, xi_range)
    H1 = _mat_from(num.h1)
    zero_h1 = all(x == 0 for x in num.h1)
    NR, NA = ang.G["R"][0], ang.G["A"][0]
    left, right = [NR], [NA]
    for _ in range(mx_order):
        left.append(_mmul(_mmul(left[-1], H1), NR))
        right.append(_mmul(_mmul(right[-1], H1), NA))
    Xs = {j: _SIGMA[j] for j in _LAB}
    Xs.update({"v" + c: ang.v[c] for c in COLS})
    out = {}
    for a in range(mx_order + 1):
        for c in range(mx_order + 1 - a):
            if zero_h1 and a + c > 0:
                for key in Xs:
                    for k in _LAB:
                        out[("S", a, c, key, k)] = flint.acb(0)
                    if kind == "sigma" and key in _LAB:
                        for row in ROWS["sigma"]:
                            out[("T", a, c, key, row)] = flint.acb(0)
                continue
            for key, X in Xs.items():
                M = _mmul(_mmul(left[a], X), right[c])
                for k in _LAB:
                    P = _even_in_u(_trace_with(_SIGMA[k], M))
                    out[("S", a, c, key, k)] = _prescribe(ang.partial_fractions(P, a + 1, c + 1), xi_range) / 2
                if kind == "sigma" and key in _LAB:
                    for row in ROWS["sigma"]:
                        P = _even_in_u(_trace_with(ang.v[row], M))
                        out[("T", a, c, key, row)] = _prescribe(ang.partial_fractions(P, a + 1, c + 1), xi_range)
    return out
