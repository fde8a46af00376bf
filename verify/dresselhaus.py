"""The Dresselhaus model and its mapping onto the Rashba model (Sec. III, Eqs. 18–20, 27).

Derivation (checked symbolically by :func:`check_mapping`): with
U = (σ_x + σ_y)/√2 (Hermitian, U² = 1) one has U σ_x U = σ_y, U σ_y U = σ_x,
U σ_z U = −σ_z, so

    U H_D[p] U = ξ_p − α_so (σ×p)_z − M'·σ,      M' = (M_y, M_x, −M_z),

i.e. U ALONE maps the Dresselhaus term onto the Rashba term with the opposite
sign of α_so.  Eq. (19) as printed (+α_so) needs in addition the momentum
inversion p → −p (ξ_p is even):  U H_D[−p] U = H_R[p; M'].  Because the current
vertex is v = ∂H/∂p, the inversion flips it: U v_D[−p] U = −v_R[p].  Hence the
spin susceptibility maps as

    K_D(M) = −O K_R(O M),     O = [[0,1,0],[1,0,0],[0,0,−1]]  (U σ_a U = O_ab σ_b),

and the torque T_D = κ s_D × m = −O T_R(m' = O m, E): all four terms of (20)
come with the OPPOSITE sign, a_D = −a_R, b_D = −b_R, c_D = −c_R, d_D = −d_R
(equivalently: Eq. 20 holds with the Rashba coefficients of coupling −α_so).
The alternative U₂ = (σ_x − σ_y)/√2 maps H_D[p] onto H_R[p] without momentum
inversion, with M'' = (−M_y, −M_x, −M_z); it gives the same K_D.

A brute-force reference evaluation of the bare bubble (9) for a model with
both couplings, :func:`bare_bubble_K`, lets one check the tensor mapping
numerically (it is the second method in the tests; modest precision).

>>> spin_map()
Matrix([
[0, 1,  0],
[1, 0,  0],
[0, 0, -1]])
"""
from __future__ import annotations

from functools import lru_cache
from typing import Callable

import sympy

from streda.verify.torques import (COEFFS, PAULI, ZHAT, TorqueError, _as_matrix, _vec3, compare,
                                   derive_coefficients, kappa, m_z, pattern_tensor, rotate_K,
                                   solve_coefficients)

__all__ = ["U_SPIN", "U_SPIN_ALT", "spin_map", "dresselhaus_hamiltonian", "dresselhaus_basis",
           "dresselhaus_K_from_rashba", "rashba_K_at", "derive_dresselhaus_coefficients",
           "check_mapping", "bare_bubble_K", "mapping_sign"]

#: the unitary of Eq. (19)
U_SPIN = (PAULI["x"] + PAULI["y"]) / sympy.sqrt(2)
#: an alternative that needs no momentum inversion (M'' = (−M_y, −M_x, −M_z))
U_SPIN_ALT = (PAULI["x"] - PAULI["y"]) / sympy.sqrt(2)

#: overall sign of the tensor mapping K_D(M) = sign · O K_R(O M) (derived, see module doc)
mapping_sign = -1

_px, _py = sympy.symbols("p_x p_y", real=True)
_al = sympy.Symbol("alpha_so", real=True)
_Mx, _My, _Mz = sympy.symbols("M_x M_y M_z", real=True)
_xi = sympy.Symbol("xi", real=True)


def spin_map(U: sympy.Matrix = U_SPIN) -> sympy.Matrix:
    """O with U σ_a U† = Σ_b O_ab σ_b (a, b ∈ x, y, z), from traces."""
    sig = [PAULI[a] for a in "xyz"]
    return sympy.Matrix(3, 3, lambda a, b: sympy.simplify(
        (U * sig[a] * U.H * sig[b]).trace() / 2))


def _model_hamiltonian(name: str, px, py, M, alpha, xi) -> sympy.Matrix:
    """ξ·1 + h(p)·σ of the built-in model ``name`` (its H, from streda.integrals.models)."""
    from streda.integrals import model as IM
    from streda.integrals import models

    mod = models.get_model(name)
    sub = {models.px: px, models.py: py, IM.Mx: M[0], models.My: M[1], IM.Mz: M[2]}
    h = [sympy.sympify(c).subs(sub, simultaneous=True) for c in mod.h[1:]]
    so = [sympy.diff(c, IM.alpha_R) for c in h]                 # h is linear in the coupling
    exch = [sympy.expand(c - IM.alpha_R * d) for c, d in zip(h, so)]
    sig = [PAULI[c] for c in "xyz"]
    # written as ξ + α(c·σ) + (exchange)·σ so that printed matrices keep the form α(...)
    return (xi * PAULI["0"] + alpha * sum((c * s for c, s in zip(so, sig)), sympy.zeros(2))
            + sum((e * s for e, s in zip(exch, sig)), sympy.zeros(2)))


def dresselhaus_hamiltonian(px=_px, py=_py, M=(_Mx, _My, _Mz), alpha=_al, xi=_xi) -> sympy.Matrix:
    """H_D = ξ + α(σ_x p_x − σ_y p_y) − M·σ (Eq. 18, disorder omitted), from the model object."""
    return _model_hamiltonian("dresselhaus", px, py, M, alpha, xi)


def _rashba(px, py, M, alpha, xi) -> sympy.Matrix:
    return _model_hamiltonian("rashba", px, py, M, alpha, xi)


def dresselhaus_basis(m, E, z=ZHAT) -> list:
    """The four torque vectors of Eq. (20), order a, b, c, d; E_D = (E_x, −E_y).

    >>> [list(t) for t in dresselhaus_basis((0, 0, 1), (1, 0))]
    [[0, 1, 0], [-1, 0, 0], [0, 0, 0], [0, 0, 0]]
    """
    m, E = _vec3(m), _vec3(E)
    z = sympy.Matrix(z)
    ED = sympy.Matrix([E[0], -E[1], 0])
    w = z.cross(m).dot(ED)
    return [m.cross(ED), m.cross(m.cross(ED)), m.cross(m.cross(z)) * w, m.cross(z) * w]


# ------------------------------------------------------------------ tensors
def rashba_K_at(K_rashba_of: Callable, M) -> sympy.Matrix:
    """The Rashba tensor at an arbitrary exchange field M = (M_x, M_y, M_z).

    ``K_rashba_of(mx, mz)`` gives K in the special frame of Eq. (8) (M in the xz
    plane, M_x ≥ 0); it is rotated covariantly to the azimuth of M (the model is
    invariant under joint spin+momentum rotations about ẑ).
    """
    Mx, My, Mz = (sympy.sympify(c) for c in M)
    mp = sympy.sqrt(Mx ** 2 + My ** 2)
    floats = any(isinstance(c, sympy.Float) for c in (Mx, My, Mz))
    arg = (lambda v: float(v)) if floats else (lambda v: v)     # numeric callables get floats
    if mp == 0:
        return _as_matrix(K_rashba_of(arg(0), arg(Mz)))
    return rotate_K(_as_matrix(K_rashba_of(arg(mp), arg(Mz))), Mx / mp, My / mp)


def dresselhaus_K_from_rashba(K_rashba_of: Callable, sign: int = mapping_sign) -> Callable:
    """Map a Rashba ``K_of(mx, mz)`` (special frame) to the Dresselhaus ``K_D_of(Mx, My, Mz)``.

    K_D(M) = −O K_R(O M) with O = :func:`spin_map` (module docstring).  ``sign=+1``
    gives the mapping one would read off Eq. (19)–(20) without the momentum
    inversion (a negative control: it must disagree with a direct evaluation).
    A ``K_rashba_of`` returning numpy arrays gives numpy arrays (complex), otherwise
    sympy matrices.

    >>> KD = dresselhaus_K_from_rashba(lambda mx, mz: sympy.Matrix([[0, 1], [-1, 0], [0, 0]]))
    >>> KD(0, 0, 1)
    Matrix([
    [1,  0],
    [0, -1],
    [0,  0]])
    """
    O = spin_map()

    def K_D_of(Mx, My, Mz):
        Mp = O * sympy.Matrix([Mx, My, Mz])
        probe = []

        def K_R(mx, mz):
            K = K_rashba_of(mx, mz)
            probe.append(type(K).__module__.startswith("numpy"))
            return K

        out = sign * O * rashba_K_at(K_R, tuple(Mp))
        if probe and probe[0]:                  # numeric in, numeric out
            import numpy as np

            return np.array(out.evalf(), dtype=complex)
        return out

    return K_D_of


@lru_cache(maxsize=None)
def derive_dresselhaus_coefficients() -> dict:
    """a_D … d_D by solving κ s_D × m against the basis (20), with K_D = −O K_R(O m).

    K_R is of the derived form (11) rotated to the azimuth of m' = O m; m = (m_p c,
    m_p s, m_z).  Expected (module docstring): the negatives of the Rashba
    coefficients at the same m_p² — returned in terms of m_x (= m_p).
    """
    mp, c, s = sympy.symbols("m_p c s", real=True)
    O = spin_map()
    m = sympy.Matrix([mp * c, mp * s, m_z])
    mprime = O * m                       # (m_p s, m_p c, −m_z): azimuth cos = s, sin = c
    Ks = pattern_tensor().subs({sympy.Symbol("m_x", real=True): mp, m_z: mprime[2]},
                               simultaneous=True)
    K_R = rotate_K(Ks, s, c)
    K_D = mapping_sign * O * K_R
    rel = (m_z ** 2 + mp ** 2 - 1, s ** 2 + c ** 2 - 1)
    out = solve_coefficients(K_D, tuple(m), kappa_=kappa, basis=dresselhaus_basis, relations=rel,
                             gens=(m_z, s, mp, c))
    return {k: v.subs(mp, sympy.Symbol("m_x", real=True)) for k, v in out.items()}


# ------------------------------------------------------------------ comparisons
def check_mapping() -> list:
    """Comparisons for Eqs. (19), (20), (27) and the statements after (20)."""
    from streda.verify.compare import AGREES, DIFFERS, Comparison
    from streda.verify.printed import torques as P

    recs = []
    M = (_Mx, _My, _Mz)
    rhs = P.eq19_hamiltonian(_px, _py, M, _al, _xi)

    def mat_cmp(lhs, label, reason_ok, reason_bad):
        d = (lhs - rhs).applyfunc(sympy.expand)
        ok = d == sympy.zeros(2, 2)
        return Comparison(equation="19", row=label, status=AGREES if ok else DIFFERS,
                          reason=reason_ok if ok else reason_bad + f"; difference {sympy.sstr(d)}",
                          computed=sympy.sstr(lhs), printed=sympy.sstr(rhs),
                          difference=sympy.sstr(d))

    U = P.EQ19_U
    lhs1 = (U.H * dresselhaus_hamiltonian(_px, _py, M, _al, _xi) * U).applyfunc(sympy.expand)
    recs.append(mat_cmp(lhs1, "U^+ H_D[p] U", "U alone maps H_D onto the printed (19)",
                        "U alone gives the Rashba term with -alpha_so: (19) needs p -> -p too"))
    lhs2 = (U.H * dresselhaus_hamiltonian(-_px, -_py, M, _al, _xi) * U).applyfunc(sympy.expand)
    recs.append(mat_cmp(lhs2, "U^+ H_D[-p] U", "with the momentum inversion p -> -p, U^+ H_D U "
                        "equals the printed (19) including M' = (M_y, M_x, -M_z)",
                        "even with p -> -p the mapping fails"))
    lhs3 = (U_SPIN_ALT.H * dresselhaus_hamiltonian(_px, _py, M, _al, _xi) * U_SPIN_ALT).applyfunc(
        sympy.expand)
    want3 = _rashba(_px, _py, (-_My, -_Mx, -_Mz), _al, _xi)
    ok3 = (lhs3 - want3).applyfunc(sympy.expand) == sympy.zeros(2, 2)
    recs.append(Comparison(equation="19 (alternative)", row="U2 = (sx - sy)/sqrt2",
                           status=AGREES if ok3 else DIFFERS,
                           reason="U2^+ H_D[p] U2 = H_R[p; M''], M'' = (-M_y, -M_x, -M_z): no momentum "
                                  "inversion needed (not the printed M')" if ok3 else "fails",
                           computed=sympy.sstr(lhs3), printed=sympy.sstr(want3)))
    # M' from the spin map
    O = spin_map(U)
    Mp = O * sympy.Matrix(M)
    for i, (got, want) in enumerate(zip(Mp, P.eq19_M_prime(M))):
        recs.append(compare(got, want, equation="19 (M')", row="xyz"[i]))
    # velocity under the mapping: U v_D[-p] U = -v_R[p] (the sign behind Eq. 20)
    for j, p in enumerate((_px, _py)):
        vD = dresselhaus_hamiltonian(_px, _py, M, _al, _xi).diff(p)
        lhs = (U.H * vD.subs({_px: -_px, _py: -_py}, simultaneous=True) * U).applyfunc(sympy.expand)
        vR = _rashba(_px, _py, M, _al, _xi).diff(p)
        ok = (lhs + vR).applyfunc(sympy.expand) == sympy.zeros(2, 2)
        recs.append(Comparison(equation="19 (velocity)", row="xy"[j], status=AGREES if ok else DIFFERS,
                               reason="U v_D[-p] U = -v_R[p]: the current vertex changes sign under"
                                      " the mapping" if ok else "velocity does not map to -v_R",
                               computed=sympy.sstr(lhs), printed=sympy.sstr(-vR)))
    # Eq. (20): derived torque vs printed with the same and with negated coefficients
    recs.extend(_eq20_records(P))
    # Eq. (27) vs (20)
    m = sympy.symbols("m_1 m_2 m_3", real=True)       # a polynomial identity: any m
    Jx, Jy = sympy.symbols("J_x J_y", real=True)
    a, b, c, d = sympy.symbols("a_J b_J c_J d_J", real=True)
    T27 = P.eq27_kappa_s(m, (Jx, Jy), a, b, c, d).cross(_vec3(m))
    T20 = P.eq20_torque(m, (Jx, Jy), a, b, c, d)
    for i in range(3):
        recs.append(compare(sympy.expand(T27[i]), sympy.expand(T20[i]),
                                        equation="27 vs 20", row=f"T_{'xyz'[i]}"))
    # statements after (20)
    mx, mz_ = sympy.Symbol("m_x", real=True), m_z
    dres = derive_dresselhaus_coefficients()
    rash = derive_coefficients(False)
    dom = {mx: (sympy.Rational(1, 10), sympy.Rational(9, 10)),
           mz_: lambda rng, pt: (sympy.sqrt(1 - pt[mx] ** 2) if mx in pt
                                 else sympy.Rational(rng.randint(1, 997), 1000))}
    for n in COEFFS:
        c1 = compare(dres[n], rash[n], equation="20 (same coefficients)", row=n,
                                 domain=dom)
        c1.reason = ("Dresselhaus coefficient from K_D = -O K_R(O m) solved against (20), vs the "
                     "Rashba one: " + c1.reason)
        recs.append(c1)
        c2 = compare(dres[n], -rash[n], equation="20 (negated coefficients)", row=n,
                                 domain=dom)
        recs.append(c2)
    zinv = all((sympy.Matrix(u) - sympy.Matrix(v)).applyfunc(sympy.expand) == sympy.zeros(3, 1)
               for u, v in zip(dresselhaus_basis(m, (Jx, Jy), ZHAT),
                               dresselhaus_basis(m, (Jx, Jy), -ZHAT)))
    recs.append(Comparison(equation="20 (z-direction)", status=AGREES if zinv else DIFFERS,
                           reason="every term of (20) is invariant under z -> -z" if zinv else
                           "(20) changes under z -> -z", computed=str(zinv),
                           printed=P.EQ20_CLAIMS["no_z_dependence"]))
    even = all(sympy.simplify(rash[n].subs(mz_, -mz_) - rash[n]) == 0 for n in COEFFS)
    recs.append(Comparison(equation="20 (substitution)", status=AGREES if even else DIFFERS,
                           reason="the Rashba coefficients are even in m_z, so m -> m' leaves them "
                                  "unchanged (the overall sign comes from v -> -v, not from m')",
                           computed=str(even), printed=P.EQ20_CLAIMS["substitution"]))
    return recs


def _eq20_records(P) -> list:
    """T_D = −O T_R(O m, E) (T_R of Eq. 7) against the printed (20)."""
    Ex, Ey = sympy.symbols("E_x E_y", real=True)
    a, b, c, d = sympy.symbols("a b c d", real=True)
    m = sympy.Matrix(sympy.symbols("m_1 m_2 m_3", real=True))   # identity for any vector m
    O = spin_map()
    TR = P.eq7_torque(O * m, (Ex, Ey), a, b, c, d)
    TD = mapping_sign * O * TR
    T20 = P.eq20_torque(m, (Ex, Ey), a, b, c, d)
    T20n = P.eq20_torque(m, (Ex, Ey), -a, -b, -c, -d)
    out = []
    for i in range(3):
        e = sympy.expand(TD[i])
        c1 = compare(e, sympy.expand(T20[i]), equation="20", row=f"T_{'xyz'[i]}")
        c1.reason = "T_D = -O T_R(O m, E) with the Rashba a,b,c,d vs printed (20): " + c1.reason
        out.append(c1)
        c2 = compare(e, sympy.expand(T20n[i]), equation="20 (a,b,c,d -> -a,-b,-c,-d)",
                                 row=f"T_{'xyz'[i]}")
        out.append(c2)
    return out


# ------------------------------------------------------------------ numeric reference bubble
def bare_bubble_K(alpha: float, beta: float, M, eps: float, gamma: float, *, m: float = 1.0,
                  e: float = 1.0, n_phi: int = 63, panels: int = 60, order: int = 24,
                  phi_shift: float = 0.2718):
    """Brute-force Eq. (9) for H = p²/2m + α(σ×p)_z + β(σ_x p_x − σ_y p_y) − M·σ.

    Green's functions G^{R,A} = [ε ± iγ − H]⁻¹ (scalar Born self-energy, no vertex
    corrections: the *bare* bubble), velocity v = ∂H/∂p, K_αβ = (e/8π)∫d²p/(2π)²
    Tr[σ_α(G^R − G^A)v_β G^A − σ_α G^R v_β(G^R − G^A)].  Momentum grid: polar,
    p ≥ 0 (Gauss–Legendre panels plus a mapped tail p = P₁/u), φ trapezoidal on
    an odd, shifted grid (no built-in symmetry).  Returns a 3×2 complex numpy
    array.  Typical relative accuracy ~1e-12 at γ ~ 0.1; a reference for
    symmetry checks, not the engine.
    """
    import numpy as np

    Mx, My, Mz = (float(c) for c in M)
    if gamma <= 0:
        raise TorqueError("gamma must be > 0")
    so = max(abs(alpha), abs(beta), 1e-3)
    pf = np.sqrt(2 * m * (abs(eps) + m * (alpha ** 2 + beta ** 2)))
    P1 = 3 * pf + 4 * np.sqrt(Mx ** 2 + My ** 2 + Mz ** 2) / so + 10 * gamma
    x, w = np.polynomial.legendre.leggauss(order)
    edges = np.linspace(0.0, P1, panels + 1)
    ps = [(b - a) / 2 * x + (a + b) / 2 for a, b in zip(edges[:-1], edges[1:])]
    ws = [(b - a) / 2 * w for a, b in zip(edges[:-1], edges[1:])]
    u, wu = (x + 1) / 2, w / 2
    ps.append(P1 / u)
    ws.append(wu * P1 / u ** 2)
    p, wp = np.concatenate(ps), np.concatenate(ws)
    phi = 2 * np.pi * (np.arange(n_phi) + phi_shift) / n_phi
    Pg, PH = np.meshgrid(p, phi, indexing="ij")
    W = wp[:, None] * Pg / n_phi / (2 * np.pi)       # d²p/(2π)² = p dp dφ/(2π)²
    px, py = Pg * np.cos(PH), Pg * np.sin(PH)
    s0 = np.eye(2, dtype=complex)
    sx = np.array([[0, 1], [1, 0]], dtype=complex)
    sy = np.array([[0, -1j], [1j, 0]])
    sz = np.diag([1.0, -1.0]).astype(complex)
    hx, hy, hz, (vxs, vys) = _rd_numpy(alpha, beta, (Mx, My, Mz), m)
    hx, hy, hz = (np.broadcast_to(f(px, py), Pg.shape).astype(complex) for f in (hx, hy, hz))
    xi = (px ** 2 + py ** 2) / (2 * m)

    def green(z):
        a = z - xi
        den = a ** 2 - (hx ** 2 + hy ** 2 + hz ** 2)
        return (a[..., None, None] * s0 + hx[..., None, None] * sx + hy[..., None, None] * sy
                + hz[..., None, None] * sz) / den[..., None, None]

    GR, GA = green(eps + 1j * gamma), green(eps - 1j * gamma)
    vx = (px / m)[..., None, None] * s0 + sum(c * s for c, s in zip(vxs, (sx, sy, sz)))
    vy = (py / m)[..., None, None] * s0 + sum(c * s for c, s in zip(vys, (sx, sy, sz)))
    K = np.zeros((3, 2), dtype=complex)
    for j, v in enumerate((vx, vy)):
        X = (GR - GA) @ v @ GA - GR @ v @ (GR - GA)
        for i, s in enumerate((sx, sy, sz)):
            K[i, j] = e / (8 * np.pi) * np.sum(W * np.einsum("ab,...ba->...", s, X))
    return K


def _rd_numpy(alpha: float, beta: float, M, m: float):
    """h_x, h_y, h_z of the ``rashba+dresselhaus`` model object as numpy functions of (p_x, p_y)
    at the given couplings, and the (constant) spin parts of v_x, v_y = ∂h/∂p.  sympy.lambdify
    runs on the model's own expressions only (no user text)."""
    from streda.integrals import model as IM
    from streda.integrals import models

    mod = models.get_model("rashba+dresselhaus")
    sub = {IM.alpha_R: alpha, models.beta_D: beta, IM.Mx: M[0], models.My: M[1], IM.Mz: M[2], IM.m_e: m}
    h = [sympy.sympify(c).subs(sub) for c in mod.h[1:]]
    funcs = [sympy.lambdify((models.px, models.py), c, "numpy") for c in h]
    vel = [tuple(complex(sympy.diff(c, p)) for c in h) for p in (models.px, models.py)]
    return funcs[0], funcs[1], funcs[2], vel


# ------------------------------------------------------------------ the engine, directly
def engine_mapping_check(max_order: int = 2, sign: int = -1) -> list:
    """K of the Dresselhaus model computed by the engine DIRECTLY (its own Green's
    functions, Eq. 18) against the mapping K_D(M) = −O·K_R(O·M) applied to the engine's
    Rashba K, order by order in the in-plane field, exactly (identity in Z[s,t,a,M]).

    M = (M_x, 0, M_z) for Dresselhaus: O·M = (0, M_x, −M_z), a Rashba model with the
    in-plane field along y (σ_y insertions) and M_z → −M_z (the variable M flipped).
    ``sign=+1`` tests the mapping without the velocity flip (a control that must fail).
    Returns records {mx_order, row, column, exactly_equal}.
    """
    from streda.integrals import evaluate as ev
    from streda.integrals.kubo import ladder_value, bubble_ladders
    from streda.integrals.word import Factor, Ladder

    BD = ev.exact_backend(model="dresselhaus")
    BR = ev.exact_backend(model="rashba")
    O = {"x": ("y", 1), "y": ("x", 1), "z": ("z", -1)}       # spin index map of Eq. (19)

    def k_entry(B, row, col, k, insertion):
        acc = B.zero_value()
        for lad, sign in bubble_ladders("K", row, col, k):
            core = tuple(Factor("sigma", insertion) if f == Factor("sigma", "x") else f for f in lad.core)
            v = ladder_value(Ladder(core=core, rungs=lad.rungs, outer=lad.outer), B)
            acc = acc + (v if sign == 1 else -v)
        return acc

    def flipM(v):          # M → −M, moved onto the Dresselhaus backend for the comparison
        return v.map(lambda x: x.flip("M").to_backend(BD))

    out = []
    for k in range(max_order + 1):
        for row in "xyz":
            for col in "xy":
                kd = k_entry(BD, row, col, k, "x")
                r2, sgn = O[row]
                kr = flipM(k_entry(BR, r2, col, k, "y"))
                diff = kd - (kr if sgn * sign == 1 else -kr)     # K_D − sign·O·K_R(O M) = 0
                out.append({"mx_order": k, "row": row, "column": col, "exactly_equal": diff.is_zero(),
                            "dresselhaus_zero": kd.is_zero()})
    return out
