"""Exact angle averaging: the rotated spin frame and Laurent polynomials in z.

With p = q(cos φ, sin φ), ξ = q²/2m and w = e^{iφ}, conjugate every 2x2 matrix
by T = diag(1, i z) with z = w q (METHOD-HINTS, fact 3):  X' = T⁻¹ X T.  Then
(with m = 1, a = α_R, η = 2a²ξ, E = ε + iγ, Eq. C2)

    G^R' = 2a² [[E2 − η − 2a²M, −2aη], [−2a³, E2 − η + 2a²M]] / ((η − X₊)(η − X₋)),

E2 = 2a²E = s² − a⁴ − M², X± = (s ∓ a²)² − M² -- no angle and no square root of ξ
is left in the Green's function; every vertex becomes a Laurent polynomial in
z with coefficients polynomial in η:

    σx' = i [[0, z], [−1/z, 0]],   σy' = [[0, z], [1/z, 0]],   σz' = σz,
    p₊ = z,  p₋ = η/(a² z),   v₊ = z [[1, −2a], [0, 1]],  v₋ = [[η, 0], [−2a³, η]]/(a² z).

A term z^k ξ^j equals w^k q^k ξ^j, so the average over φ is the z⁰ coefficient
(after undoing T on the off-diagonal entries, see :func:`pauli_components`).
Every factor is real up to one overall power of i and of a, tracked as a
:class:`Prefactor`.

A :class:`Laurent` is a dict {z-power: 2x2 matrix of η-polynomials} over a
backend ring (exact FLINT polynomials or complex balls).

>>> from streda.integrals.pointwise import RationalPointBackend
>>> from streda.integrals.word import Factor
>>> B = RationalPointBackend(s=3, t=2, a=1, M=0)
>>> L, pre = factor_laurent(Factor("sigma", "x"), B)      # σx' = i[[0, z], [−1/z, 0]]
>>> sorted(L), pre.ipow
([-1, 1], 1)
>>> L, pre = factor_laurent(Factor("G", "R"), B)
>>> list(L), pre                                           # no angle left in G
([0], Prefactor(c=Fraction(2, 1), ipow=0, apow=2))
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import sympy

from .backend import Backend
from .model import ModelError
from .models import Frame, frame_of

__all__ = ["Prefactor", "Laurent", "factor_laurent", "lmul", "pauli_components", "word_laurent"]


@dataclass(frozen=True)
class Prefactor:
    """The scalar ``c · i^ipow · a^apow`` in front of a Laurent matrix."""

    c: Fraction = Fraction(1)
    ipow: int = 0
    apow: int = 0

    def __mul__(self, other: "Prefactor") -> "Prefactor":
        return Prefactor(self.c * other.c, (self.ipow + other.ipow) % 4, self.apow + other.apow)


Laurent = dict  # {int: [[p00, p01], [p10, p11]]}


def _mat(B: Backend, rows):
    return [[B.P(x) for x in r] for r in rows]


def _frame(B: Backend) -> Frame:
    """The rotated frame of the backend's model (a name or a Model), derived from its H."""
    return frame_of(B.model)


def _conjugate_frame(B: Backend) -> bool:
    """True for the winding +1 frame T = diag(1, z), z = q/w (Dresselhaus-like), False for
    the winding −1 frame T = diag(1, i z), z = q w (Rashba-like).  Other phases have no
    table here and are refused."""
    fr = _frame(B)
    if (fr.winding, fr.phase) == (-1, sympy.I):
        return False
    if (fr.winding, fr.phase) == (1, 1):
        return True
    raise ModelError(f"the exact frame {fr} has no Laurent table (only those of the Rashba and "
                     "Dresselhaus terms with a positive coupling)")


def factor_laurent(f, B: Backend) -> tuple[Laurent, Prefactor]:
    """The primed-frame Laurent matrix of one :class:`~streda.integrals.word.Factor`.

    The frame comes from ``B.model`` (a model name or :class:`~streda.integrals.models.Model`)
    through :func:`~streda.integrals.models.frame_of`: the winding and phase of
    h_x − i h_y select T (Rashba term, Eq. 8: T = diag(1, i z); Dresselhaus term, Eq. 18:
    T = diag(1, z), see :func:`_dresselhaus_factor`), and the sign phase² of the
    off-diagonal entries of G'.
    """
    a, eta, one, zero = B.P(B.a), B.eta, B.one, B.zero
    k, lab = f.kind, f.label
    dressel = _conjugate_frame(B)
    if k == "G":
        S, M = (B.s, B.MR) if lab == "R" else (B.t, B.MA)
        E2 = B.P(S * S - B.a ** 4 - M * M)
        M2 = B.P(2 * B.a ** 2 * M)
        sgn = _frame(B).sign
        return {0: [[E2 - eta - M2, sgn * 2 * a * eta], [B.P(sgn * 2 * B.a ** 3), E2 - eta + M2]]}, \
            Prefactor(Fraction(2), 0, 2)
    if k == "sigma" and lab in "0z":          # frame independent: T is diagonal
        return {0: [[one, zero], [zero, one if lab == "0" else -one]]}, Prefactor()
    if dressel:
        return _dresselhaus_factor(f, B)
    if k == "sigma":
        if lab == "x":
            return {1: [[zero, one], [zero, zero]], -1: [[zero, zero], [-one, zero]]}, Prefactor(ipow=1)
        return {1: [[zero, one], [zero, zero]], -1: [[zero, zero], [one, zero]]}, Prefactor()
    a2 = B.P(B.a ** 2)
    if k == "p":
        if lab == "+":
            return {1: [[one, zero], [zero, one]]}, Prefactor()
        if lab == "-":
            return {-1: [[eta, zero], [zero, eta]]}, Prefactor(apow=-2)
        if lab == "x":
            return {1: [[a2, zero], [zero, a2]], -1: [[eta, zero], [zero, eta]]}, \
                Prefactor(Fraction(1, 2), 0, -2)
        return {1: [[a2, zero], [zero, a2]], -1: [[-eta, zero], [zero, -eta]]}, \
            Prefactor(Fraction(1, 2), 3, -2)
    # bare velocity v = p/m + a ẑ×σ
    a3 = B.P(2 * B.a ** 3)
    up = [[a2, -a3], [zero, a2]]          # a² v₊ / z
    dn = [[eta, zero], [-a3, eta]]        # a² z v₋
    if lab == "+":
        return {1: up}, Prefactor(apow=-2)
    if lab == "-":
        return {-1: dn}, Prefactor(apow=-2)
    if lab == "x":
        return {1: up, -1: dn}, Prefactor(Fraction(1, 2), 0, -2)
    return {1: up, -1: [[-x for x in r] for r in dn]}, Prefactor(Fraction(1, 2), 3, -2)


def _dresselhaus_factor(f, B: Backend) -> tuple[Laurent, Prefactor]:
    """Vertices for H = ξ + α(σx p_x − σy p_y) − M_zσz (Eq. 18).

    Here σ_D(φ) = σx cos φ − σy sin φ = [[0, w], [1/w, 0]], and the frame is
    T = diag(1, z) with z = q/w (the conjugate harmonic): G' has the Rashba form with
    +2aη, +2a³ off the diagonal, σx' = [[0, z], [1/z, 0]], σy' = −i[[0, z], [−1/z, 0]],
    p₋ = z, p₊ = η/(a² z), v = p/m + α(σx, −σy).
    """
    a2, eta, one, zero = B.P(B.a ** 2), B.eta, B.one, B.zero
    a3 = B.P(2 * B.a ** 3)
    k, lab = f.kind, f.label
    if k == "sigma":
        if lab == "x":
            return {1: [[zero, one], [zero, zero]], -1: [[zero, zero], [one, zero]]}, Prefactor()
        return {1: [[zero, one], [zero, zero]], -1: [[zero, zero], [-one, zero]]}, Prefactor(ipow=3)
    if k == "p":
        if lab == "+":
            return {-1: [[eta, zero], [zero, eta]]}, Prefactor(apow=-2)
        if lab == "-":
            return {1: [[one, zero], [zero, one]]}, Prefactor()
        if lab == "x":
            return {1: [[a2, zero], [zero, a2]], -1: [[eta, zero], [zero, eta]]}, Prefactor(Fraction(1, 2), 0, -2)
        return {1: [[a2, zero], [zero, a2]], -1: [[-eta, zero], [zero, -eta]]}, Prefactor(Fraction(1, 2), 1, -2)
    up = [[a2, a3], [zero, a2]]
    if lab == "x":
        return {1: up, -1: [[eta, zero], [a3, eta]]}, Prefactor(Fraction(1, 2), 0, -2)
    if lab == "y":
        return {1: up, -1: [[-eta, zero], [-a3, -eta]]}, Prefactor(Fraction(1, 2), 1, -2)
    # v± = v_x ± i v_y
    if lab == "+":
        return {-1: [[eta, zero], [a3, eta]]}, Prefactor(apow=-2)
    return {1: up}, Prefactor(apow=-2)


def _mm(A, C):
    return [[A[0][0] * C[0][0] + A[0][1] * C[1][0], A[0][0] * C[0][1] + A[0][1] * C[1][1]],
            [A[1][0] * C[0][0] + A[1][1] * C[1][0], A[1][0] * C[0][1] + A[1][1] * C[1][1]]]


def _unit_plan(C, zero, one):
    """Per column k of a σ-like matrix C: the (row j, factor) pairs with C[j][k] not the
    backend's ``zero`` object (factor None when it is the ``one`` object)."""
    return tuple(tuple((j, None if C[j][k] is one else C[j][k]) for j in (0, 1) if C[j][k] is not zero)
                 for k in (0, 1))


def _mm_plan(A, plan, zero):
    """``_mm`` by a σ-like matrix given by its :func:`_unit_plan`: products with the zero
    object are skipped, products with the one object are the entry itself; the remaining
    products and sums are those ``_mm`` forms, so the result is the same ring element (exactly
    in exact rings; for complex balls the same midpoints, with radii that lack the rounding
    slack of the skipped products)."""
    out = []
    for Ai in A:
        row = []
        for col in plan:
            acc = None
            for j, c in col:
                t = Ai[j] if c is None else Ai[j] * c
                acc = t if acc is None else acc + t
            row.append(zero if acc is None else acc)
        out.append(row)
    return out


def lmul(L1: Laurent, L2: Laurent, keep=None, unit: tuple | None = None) -> Laurent:
    """Product of two Laurent matrices; ``keep(k)`` may drop z-powers not needed later.
    ``unit`` = (zero, one) of the backend lets σ-like factors skip their trivial products."""
    out: Laurent = {}
    plans = {}
    if unit is not None:
        zero, one = unit
        plans = {k2: _unit_plan(C, zero, one) for k2, C in L2.items()
                 if any(x is zero or x is one for row in C for x in row)}
    for k1, A in L1.items():
        for k2, C in L2.items():
            k = k1 + k2
            if keep is not None and not keep(k):
                continue
            plan = plans.get(k2)
            P = _mm(A, C) if plan is None else _mm_plan(A, plan, zero)
            if k in out:
                Q = out[k]
                out[k] = [[Q[0][0] + P[0][0], Q[0][1] + P[0][1]], [Q[1][0] + P[1][0], Q[1][1] + P[1][1]]]
            else:
                out[k] = P
    return out


def word_laurent(word, B: Backend) -> tuple[Laurent, Prefactor]:
    """Left-to-right product of the primed-frame matrices of ``word``."""
    L: Laurent = {0: [[B.one, B.zero], [B.zero, B.one]]}
    pre = Prefactor()
    for f in word:
        Lf, pf = factor_laurent(f, B)
        L = lmul(L, Lf, unit=(B.zero, B.one))
        pre = pre * pf
    return L, pre


def pauli_components(L: Laurent, B: Backend) -> dict:
    """Angle-averaged Pauli components of T L T⁻¹, each as (η-polynomial, Prefactor).

    c0 = (L₀₀ + L₁₁)/2 and cz = (L₀₀ − L₁₁)/2 at z⁰; cx = (i/2)(L₁₀[z⁻¹] − L₀₁[z¹]);
    cy = (L₀₁[z¹] + L₁₀[z⁻¹])/2.
    """
    z0 = L.get(0)
    zp, zm = L.get(1), L.get(-1)
    zero = B.zero
    d00 = z0[0][0] if z0 else zero
    d11 = z0[1][1] if z0 else zero
    u01 = zp[0][1] if zp else zero
    l10 = zm[1][0] if zm else zero
    half = Fraction(1, 2)
    if _conjugate_frame(B):   # T = diag(1, z): X01 = X'01/z, X10 = z X'10
        return {
            "0": (d00 + d11, Prefactor(half)),
            "x": (u01 + l10, Prefactor(half)),
            "y": (u01 - l10, Prefactor(half, 1)),
            "z": (d00 - d11, Prefactor(half)),
        }
    return {
        "0": (d00 + d11, Prefactor(half)),
        "x": (l10 - u01, Prefactor(half, 1)),
        "y": (u01 + l10, Prefactor(half)),
        "z": (d00 - d11, Prefactor(half)),
    }
