"""Spin-orbit torque algebra on top of a susceptibility tensor K (Sec. II.A, App. B).

A user brings a 3×2 tensor ``K`` (rows: spin components x, y, z; columns: the
in-plane field E_x, E_y; ``s = K E``, Eq. 5) and the unit magnetisation ``m``;
this module finds the torque coefficients a, b, c, d of the ansatz (7)

    T = a m×(ẑ×E) + b m×(m×(ẑ×E)) + c m×(m×ẑ)(m·E) + d m×ẑ (m·E)

by SOLVING ``T = κ s×m`` against the four basis vectors for both directions of
E (a linear system, 6 equations of rank 4: both sides are ⊥ m), never by
quoting Eq. (12).  The same algebra with ``J`` instead of ``E`` gives
a_J … d_J of Eq. (14) from K_J = K σ⁻¹ (App. B).

It also derives the parity pattern (11) of K from the symmetry operations (10)
of the Hamiltonian (8) and checks a numerical ``K_of(mx, mz)`` against it.

>>> import sympy
>>> K = sympy.Matrix([[0, 2], [-2, 0], [0, 0]])   # pure Edelstein tensor, Eq. (16) shape
>>> solve_coefficients(K, (sympy.Rational(3, 5), 0, sympy.Rational(4, 5)))
{'a': 2, 'b': 0, 'c': 0, 'd': 0}
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Sequence

import sympy

__all__ = [
    "ENTRIES", "COEFFS", "TorqueError", "m_x", "m_y", "m_z", "kappa", "KAPPA", "KAPPA_J", "K_SYM",
    "KJ_SYM", "M_abs", "PAULI", "ZHAT", "rashba_basis", "torque_from_K", "solve_coefficients",
    "rotate_K", "current_tensor", "pattern_tensor", "derive_coefficients",
    "derive_coefficients_general_azimuth", "derive_current_coefficients_explicit",
    "rashba_hamiltonian", "velocity", "SymmetryOp", "SYMMETRY_OPS", "check_eq10",
    "spin_signs", "velocity_signs", "parity_table", "parity_pattern", "ParityCheck",
    "check_parity", "check_parity_series", "compare", "compare_with_printed", "coefficients_from_json", "K_from_json",
]

#: row/column labels of a 3×2 tensor, row-major
ENTRIES = ("xx", "xy", "yx", "yy", "zx", "zy")
#: torque coefficient names, in the order of :func:`rashba_basis`
COEFFS = ("a", "b", "c", "d")

m_x, m_y, m_z = sympy.symbols("m_x m_y m_z", real=True)
kappa = sympy.Symbol("kappa", positive=True)
#: κ_αβ of Eq. (11) and κ̃_αβ of Eq. (B1): analytic, even functions of m_x and m_z
KAPPA = {ab: sympy.Symbol(f"kappa_{ab}", real=True) for ab in ENTRIES}
KAPPA_J = {ab: sympy.Symbol(f"tildekappa_{ab}", real=True) for ab in ENTRIES}
#: plain tensor entries K_αβ and K_J,αβ (used by Eq. B3)
K_SYM = {ab: sympy.Symbol(f"K_{ab}", real=True) for ab in ENTRIES}
KJ_SYM = {ab: sympy.Symbol(f"K_J{ab}", real=True) for ab in ENTRIES}
#: |M| for Eq. (B3), in the special frame M = (M_x, 0, M_z)
_MX, _MZ = sympy.Symbol("M_x", real=True), sympy.Symbol("M_z", real=True)
M_abs = sympy.sqrt(_MX ** 2 + _MZ ** 2)

PAULI = {
    "0": sympy.eye(2),
    "x": sympy.Matrix([[0, 1], [1, 0]]),
    "y": sympy.Matrix([[0, -sympy.I], [sympy.I, 0]]),
    "z": sympy.Matrix([[1, 0], [0, -1]]),
}
ZHAT = sympy.Matrix([0, 0, 1])


class TorqueError(ValueError):
    """Input for which the torque coefficients are not defined (one-line message)."""


# --------------------------------------------------------------------------- vectors
def _vec3(v) -> sympy.Matrix:
    v = list(v)
    if len(v) == 2:
        v = v + [0]
    if len(v) != 3:
        raise TorqueError(f"expected a 2- or 3-component vector, got {len(v)} components")
    return sympy.Matrix([sympy.sympify(x) for x in v])


def rashba_basis(m, E) -> list:
    """The four torque vectors of Eq. (7) (and of Eq. 14 with E → J), order a, b, c, d.

    >>> [list(t) for t in rashba_basis((0, 0, 1), (1, 0))]
    [[-1, 0, 0], [0, -1, 0], [0, 0, 0], [0, 0, 0]]
    """
    m, E = _vec3(m), _vec3(E)
    zE = ZHAT.cross(E)
    return [m.cross(zE), m.cross(m.cross(zE)), m.cross(m.cross(ZHAT)) * m.dot(E),
            m.cross(ZHAT) * m.dot(E)]


def _entry(x):
    if isinstance(x, sympy.Basic):
        return x
    if isinstance(x, complex) or type(x).__name__.startswith("complex"):
        x = complex(x)
        return sympy.Float(x.real, 17) + sympy.I * sympy.Float(x.imag, 17)
    return sympy.sympify(x)


def _as_matrix(K) -> sympy.Matrix:
    """A 3×2 sympy matrix from a sympy/numpy/nested-list tensor."""
    if isinstance(K, sympy.MatrixBase):
        M = sympy.Matrix(K)
    else:
        try:
            rows = [[_entry(x) for x in row] for row in (K.tolist() if hasattr(K, "tolist") else K)]
            M = sympy.Matrix(rows)
        except (TypeError, ValueError, sympy.SympifyError) as exc:
            raise TorqueError(f"cannot read the tensor K: {exc}") from exc
    if M.shape != (3, 2):
        raise TorqueError(f"K must be 3x2 (rows s_x,s_y,s_z; columns E_x,E_y), got {M.shape}")
    return M


def torque_from_K(K, m, E, kappa_=1) -> sympy.Matrix:
    """T = κ s × m with s = K E (Eq. 6 and the definition after it)."""
    K = _as_matrix(K)
    E3 = _vec3(E)
    s = K * sympy.Matrix([E3[0], E3[1]])
    return sympy.sympify(kappa_) * s.cross(_vec3(m))


# --------------------------------------------------------------------------- solving
def _reduce(expr, relations, gens):
    """Reduce a rational expression modulo polynomial ``relations`` (a Gröbner basis)."""
    expr = sympy.together(sympy.expand(expr))
    if not relations:
        return sympy.cancel(expr)
    num, den = sympy.fraction(expr)
    num = sympy.reduced(sympy.expand(num), relations, *gens, order="lex")[1]
    den = sympy.reduced(sympy.expand(den), relations, *gens, order="lex")[1]
    return sympy.cancel(num / den)


def solve_coefficients(K, m, *, kappa_=1, basis: Callable = None, relations=(), gens=(),
                       names: Sequence[str] = COEFFS) -> dict:
    """Solve κ (K E) × m = Σ_k coeff_k basis_k(m, E) for all in-plane E (Eq. 7 / 14).

    ``m`` is the unit magnetisation (3 components; numeric ``m`` must be a unit
    vector).  For symbolic ``m`` pass ``relations`` (polynomials that vanish,
    e.g. ``m_x**2 + m_z**2 - 1``, forming a Gröbner basis in lex order of
    ``gens``) so that the solution is reduced exactly.  ``basis`` defaults to
    :func:`rashba_basis`; :func:`streda.verify.dresselhaus.dresselhaus_basis`
    gives Eq. (20).  Raises :class:`TorqueError` where the four basis vectors are
    degenerate (m ∥ ẑ or m in the plane) or if the system is inconsistent.

    >>> K = [[0, 1], [0, 0], [0, 0]]
    >>> solve_coefficients(K, (sympy.Rational(3, 5), 0, sympy.Rational(4, 5)))
    {'a': 1, 'b': 0, 'c': 25/9, 'd': 0}
    """
    basis = basis or rashba_basis
    K = _as_matrix(K)
    m3 = _vec3(m)
    symbolic = any(sympy.sympify(c).free_symbols for c in m3)
    if not symbolic:
        norm2 = sum(c ** 2 for c in m3)
        if abs(sympy.N(norm2 - 1, 30)) > 1e-12:
            raise TorqueError(f"m must be a unit vector (|m|^2 = {sympy.N(norm2, 12)})")
    red = (lambda e: _reduce(e, list(relations), list(gens))) if symbolic else sympy.expand
    rows, rhs = [], []
    for j in range(2):
        E = (1, 0) if j == 0 else (0, 1)
        T = torque_from_K(K, m3, E, kappa_)
        B = basis(m3, E)
        for i in range(3):
            rows.append([B[k][i] for k in range(len(names))])
            rhs.append(T[i])
    A = sympy.Matrix(rows)
    b = sympy.Matrix(rhs)
    G = (A.T * A).applyfunc(red)
    if not symbolic and abs(sympy.N(G.det(), 30)) < 1e-24:
        raise TorqueError("the torque basis is degenerate for this m (m along z or m in the plane,"
                          " m_x*m_z = 0): the coefficients are not unique")
    try:
        x = G.LUsolve((A.T * b).applyfunc(red))
    except (ValueError, ZeroDivisionError) as exc:
        raise TorqueError(f"the torque basis is degenerate for this m: {exc}") from exc
    x = x.applyfunc(red)
    resid = (A * x - b).applyfunc(red)
    if symbolic:
        bad = any(sympy.simplify(r) != 0 for r in resid)
    else:
        scale = max([abs(sympy.N(v, 30)) for v in b] + [1e-300])
        bad = any(abs(sympy.N(r, 30)) > 1e-10 * scale for r in resid)
    if bad:
        raise TorqueError("T = κ s×m is not in the span of the torque basis (inconsistent system)")
    return {n: sympy.simplify(v) if symbolic else v for n, v in zip(names, x)}


def rotate_K(K, c, s) -> sympy.Matrix:
    """Covariant rotation about ẑ by the angle with cos = c, sin = s: K' = R₃ K R₂ᵀ.

    The Rashba model (8) is invariant under a joint rotation of spin and momentum
    about ẑ, so K at an in-plane azimuth φ of m is ``rotate_K(K_special, cos φ, sin φ)``.

    >>> rotate_K([[0, 1], [-1, 0], [0, 0]], 0, 1)
    Matrix([
    [ 0, 1],
    [-1, 0],
    [ 0, 0]])
    """
    K = _as_matrix(K)
    c, s = sympy.sympify(c), sympy.sympify(s)
    R3 = sympy.Matrix([[c, -s, 0], [s, c, 0], [0, 0, 1]])
    R2 = sympy.Matrix([[c, -s], [s, c]])
    return R3 * K * R2.T


def current_tensor(K, sigma) -> sympy.Matrix:
    """K_J = K σ⁻¹ (text before Eq. 14): s = K_J J for the current J = σ E."""
    K = _as_matrix(K)
    S = sympy.Matrix(sigma)
    if S.shape != (2, 2):
        raise TorqueError(f"sigma must be 2x2, got {S.shape}")
    if S.det() == 0:
        raise TorqueError("the conductivity tensor is singular")
    return K * S.inv()


# --------------------------------------------------------------------------- Eq. (11)/(12)
def pattern_tensor(kappas: dict = None, pattern=None) -> sympy.Matrix:
    """K of the form (11) (or B1 with κ̃): (1/κ)·pattern ∘ κ_αβ.

    ``pattern`` defaults to the one derived from Eq. (10), :func:`parity_pattern`.
    """
    kappas = kappas or KAPPA
    pattern = parity_pattern() if pattern is None else pattern
    return sympy.Matrix(3, 2, lambda i, j: pattern[i, j] * kappas[ENTRIES[2 * i + j]] / kappa)


_SPECIAL_GENS = (m_z, m_x)
_SPECIAL_REL = (m_x ** 2 + m_z ** 2 - 1,)


@lru_cache(maxsize=None)
def derive_coefficients(current: bool = False) -> dict:
    """a, b, c, d (or a_J … d_J) in terms of κ_αβ (κ̃_αβ) by solving against (7) in the frame (8).

    m = (m_x, 0, m_z), K of the derived parity form (11) / (B1).  Exact, with
    m_x² + m_z² = 1.  (Compare Eq. 12, B2 through :func:`compare_with_printed`.)
    """
    K = pattern_tensor(KAPPA_J if current else KAPPA)
    return solve_coefficients(K, (m_x, 0, m_z), kappa_=kappa, relations=_SPECIAL_REL,
                              gens=_SPECIAL_GENS)


@lru_cache(maxsize=None)
def derive_coefficients_general_azimuth() -> dict:
    """The same solve with m at a general in-plane azimuth, K rotated covariantly.

    m = (m_p c, m_p s, m_z), c² + s² = 1, K = R(φ) K_special R(φ)ᵀ.  Returned
    in terms of m_p (= m_x of the special frame); the result contains neither c
    nor s, i.e. the coefficients do not depend on the azimuth.
    """
    mp, c, s = sympy.symbols("m_p c s", real=True)
    Ks = pattern_tensor().subs(m_x, mp)
    K = rotate_K(Ks, c, s)
    rel = (m_z ** 2 + mp ** 2 - 1, s ** 2 + c ** 2 - 1)
    out = solve_coefficients(K, (mp * c, mp * s, m_z), kappa_=kappa, relations=rel,
                             gens=(m_z, s, mp, c))
    return {k: v.subs(mp, m_x) for k, v in out.items()}


@lru_cache(maxsize=None)
def derive_current_coefficients_explicit() -> dict:
    """a_J … d_J directly in the entries K_J,αβ and M_x, M_z (to compare with Eq. B3).

    m = M/|M| = (M_x, 0, M_z)/M with M = √(M_x² + M_z²); K_J is a general
    3×2 tensor (no parity pattern imposed).
    """
    K = sympy.Matrix(3, 2, lambda i, j: KJ_SYM[ENTRIES[2 * i + j]])
    u, v = sympy.symbols("u v", real=True)  # u = m_x, v = m_z
    out = solve_coefficients(K, (u, 0, v), kappa_=kappa, relations=(u ** 2 + v ** 2 - 1,),
                             gens=(v, u))
    return {k: sympy.simplify(e.subs({u: _MX / M_abs, v: _MZ / M_abs})) for k, e in out.items()}


# --------------------------------------------------------------------------- Eq. (10)
_px, _py = sympy.symbols("p_x p_y", real=True)
_alpha = sympy.Symbol("alpha_so", real=True)
_Mx_s, _Mz_s = sympy.Symbol("M_x", real=True), sympy.Symbol("M_z", real=True)
_xi = sympy.Function("xi")


def rashba_hamiltonian(px=_px, py=_py, Mx=_Mx_s, Mz=_Mz_s, alpha=_alpha) -> sympy.Matrix:
    """H of Eq. (8) as a 2×2 matrix with an isotropic dispersion ξ(p²) (disorder omitted):
    ξ(p²)·1 plus the spin part h·σ of the ``rashba`` model object at M_y = 0."""
    from streda.integrals import model as IM
    from streda.integrals import models

    sub = {models.px: px, models.py: py, IM.Mx: Mx, models.My: 0, IM.Mz: Mz, IM.alpha_R: alpha}
    return _xi(px ** 2 + py ** 2) * PAULI["0"] + models.get_model("rashba").spin_hamiltonian(sub)


def velocity(H: sympy.Matrix, px=_px, py=_py) -> tuple:
    """v = ∂H/∂p (Eq. 9: v = ∇ξ + α ẑ×σ for the Rashba H)."""
    return H.diff(px), H.diff(py)


@dataclass(frozen=True)
class SymmetryOp:
    """A symmetry transformation of Eq. (10): U H[P p] U† = H[flipped parameter]."""

    name: str
    spin: str                 # Pauli label of the unitary U (U = U† = σ_spin)
    momentum: tuple           # signs of (p_x, p_y) under P
    flips: str                # "m_z" or "m_x": the parameter that changes sign


SYMMETRY_OPS = (
    SymmetryOp("sigma_x H[-p_x] sigma_x = H[-m_z]", "x", (-1, 1), "m_z"),
    SymmetryOp("sigma_z H[-p] sigma_z = H[-m_x]", "z", (-1, -1), "m_x"),
)


def _conj(op: SymmetryOp, X: sympy.Matrix) -> sympy.Matrix:
    U = PAULI[op.spin]
    return (U * X * U).applyfunc(sympy.expand)


def _pmap(op: SymmetryOp, X):
    return X.subs({_px: op.momentum[0] * _px, _py: op.momentum[1] * _py}, simultaneous=True)


def check_eq10(op: SymmetryOp) -> bool:
    """True iff U H[P p] U† equals H with the parameter ``op.flips`` reversed (Eq. 10)."""
    lhs = _conj(op, _pmap(op, rashba_hamiltonian()))
    flip = {_Mz_s: -_Mz_s} if op.flips == "m_z" else {_Mx_s: -_Mx_s}
    rhs = rashba_hamiltonian().subs(flip)
    return (lhs - rhs).applyfunc(sympy.expand) == sympy.zeros(2, 2)


def spin_signs(op: SymmetryOp) -> dict:
    """s_α with U σ_α U† = s_α σ_α."""
    out = {}
    for a in "xyz":
        X = _conj(op, PAULI[a])
        out[a] = 1 if X == PAULI[a] else (-1 if X == -PAULI[a] else None)
    return out


def velocity_signs(op: SymmetryOp) -> dict:
    """t_β with U v_β[P p] U† = t_β v_β (the relations printed after Eq. 10)."""
    v = velocity(rashba_hamiltonian())
    out = {}
    for name, vb in zip("xy", v):
        X = _conj(op, _pmap(op, vb))
        diff_p = (X - vb).applyfunc(sympy.expand)
        diff_m = (X + vb).applyfunc(sympy.expand)
        out[name] = 1 if diff_p == sympy.zeros(2, 2) else (
            -1 if diff_m == sympy.zeros(2, 2) else None)
    return out


def parity_table(rows: str = "spin") -> dict:
    """Parity (+1 even, −1 odd) of each tensor entry in m_x and in m_z, derived from Eq. (10).

    For K (``rows="spin"``, Eq. 9) substitute p → P p in the integral (|det P| = 1),
    insert U†U between all factors and use U G[P p] U† = G[flipped] (Eq. 10; a
    scalar self-energy is unchanged), U σ_α U† = s_α σ_α, U v_β[P p] U† = t_β v_β:
    K_αβ(flipped) = s_α t_β K_αβ.  For the conductivity (``rows="velocity"``, Eq. 13)
    the factor is t_α t_β.  Returns ``{(α, β): {"m_x": ±1, "m_z": ±1}}``.

    >>> parity_table()[("z", "y")]
    {'m_z': -1, 'm_x': -1}
    >>> parity_table("velocity")[("x", "y")]
    {'m_z': -1, 'm_x': 1}
    """
    out: dict = {}
    for op in SYMMETRY_OPS:
        if not check_eq10(op):
            raise TorqueError(f"Eq. (10) fails for {op.name}")
        s, t = spin_signs(op), velocity_signs(op)
        row_sign = s if rows == "spin" else t
        row_labels = "xyz" if rows == "spin" else "xy"
        for a in row_labels:
            for b in "xy":
                out.setdefault((a, b), {})[op.flips] = row_sign[a] * t[b]
    return out


def parity_pattern(rows: str = "spin") -> sympy.Matrix:
    """The monomial prefactors m_x^i m_z^j of each entry implied by :func:`parity_table`.

    >>> parity_pattern()
    Matrix([
    [m_z,       1],
    [  1,     m_z],
    [m_x, m_x*m_z]])
    """
    tab = parity_table(rows)
    labels = "xyz" if rows == "spin" else "xy"
    return sympy.Matrix(len(labels), 2, lambda i, j: (
        (m_x if tab[(labels[i], "xy"[j])]["m_x"] < 0 else 1)
        * (m_z if tab[(labels[i], "xy"[j])]["m_z"] < 0 else 1)))


@dataclass
class ParityCheck:
    """Numerical parity of one entry of K under one flip."""

    entry: str
    flip: str
    expected: int
    value: complex
    flipped: complex
    deviation: float
    ok: bool


def check_parity(K_of: Callable, mx, mz, *, rtol: float = 1e-6, atol: float = 1e-12) -> list:
    """Confirm the parity table numerically: K(−m_x, m_z) and K(m_x, −m_z) against K(m_x, m_z).

    ``K_of(mx, mz)`` returns a 3×2 tensor (numbers).  An entry passes when
    |K(flipped) − p·K| ≤ rtol·max|K| + atol, with p = ±1 from :func:`parity_table`.
    """
    import numpy as np

    tab = parity_table()
    K0 = np.array(K_of(mx, mz), dtype=complex)
    flips = {"m_x": np.array(K_of(-mx, mz), dtype=complex),
             "m_z": np.array(K_of(mx, -mz), dtype=complex)}
    scale = float(np.abs(K0).max())
    out = []
    for i, a in enumerate("xyz"):
        for j, b in enumerate("xy"):
            for f, Kf in flips.items():
                p = tab[(a, b)][f]
                dev = float(abs(Kf[i, j] - p * K0[i, j]))
                out.append(ParityCheck(a + b, f, p, complex(K0[i, j]), complex(Kf[i, j]), dev,
                                       dev <= rtol * scale + atol))
    return out


def check_parity_series(orders: dict, mz_symbol, *, rows: str = "spin") -> list:
    """The parity table on an M_x expansion ``{n: {(α, β): K^(n)_αβ(M_z, …)}}`` (exact).

    K = Σ_n M_x^n K^(n): an entry even in m_x has no odd orders and vice versa; each
    K^(n)_αβ must have the M_z parity of the table.  For an engine that produces the
    tensor order by order (e.g. Fig. 2b / Eq. C8 of the paper).  ``deviation`` is 0 or 1.

    >>> Mz = sympy.Symbol("M_z")
    >>> K1 = {("z", "x"): Mz ** 2, ("z", "y"): Mz ** 2}    # the order M_x^1
    >>> [r.entry for r in check_parity_series({1: K1}, Mz) if not r.ok]
    ['zy']
    """
    tab = parity_table(rows)
    out = []
    for n, entries in sorted(orders.items()):
        for (a, b), expr in sorted(entries.items()):
            expr = sympy.sympify(expr)
            px, pz = tab[(a, b)]["m_x"], tab[(a, b)]["m_z"]
            if (-1) ** n != px:
                ok = sympy.simplify(expr) == 0
                out.append(ParityCheck(a + b, f"m_x (order {n})", px, complex(0), complex(0),
                                       0.0 if ok else 1.0, ok))
            ok = sympy.simplify(expr.subs(mz_symbol, -mz_symbol) - pz * expr) == 0
            out.append(ParityCheck(a + b, f"m_z (order {n})", pz, complex(0), complex(0),
                                   0.0 if ok else 1.0, ok))
    return out


# --------------------------------------------------------------------------- comparisons
def compare(computed, printed, **kw):
    """:func:`streda.verify.compare.compare_expressions` (kept as the name the torque,
    Dresselhaus and skyrmion modules use; the comparator samples every symbol of either side)."""
    from streda.verify.compare import compare_expressions

    return compare_expressions(computed, printed, **kw)


def _unit_domain():
    """Comparator sampling with m_z = √(1 − m_x²) (so the unit constraint holds)."""
    return {m_x: (sympy.Rational(1, 10), sympy.Rational(9, 10)),
            m_z: lambda rng, pt: (sympy.sqrt(1 - pt[m_x] ** 2) if m_x in pt
                                  else sympy.Rational(rng.randint(1, 997), 1000))}


def _M_domain():
    return {_MX: (sympy.Rational(1, 5), sympy.Integer(2)),
            _MZ: (sympy.Rational(1, 5), sympy.Integer(2))}


def compare_with_printed() -> list:
    """All torque-algebra comparisons with the printed equations (7), (10)–(14), (B1)–(B3), (25).

    Returns a list of :class:`streda.verify.compare.Comparison`.
    """
    from streda.verify.compare import AGREES, DIFFERS, Comparison
    from streda.verify.printed import torques as P

    recs = []
    # Eq. (10) itself and the velocity relations
    for op in SYMMETRY_OPS:
        ok = check_eq10(op)
        recs.append(Comparison(equation="10", status=AGREES if ok else DIFFERS, row=op.name,
                               reason="symbolic 2x2: U H[P p] U - H[flipped] expands to 0" if ok
                               else "U H[P p] U differs from H[flipped]",
                               computed=op.name, printed=op.name))
        t = velocity_signs(op)
        printed = P.EQ10_VELOCITY[op.spin]
        same = all(t[b] == printed[b] for b in "xy")
        recs.append(Comparison(equation="10 (velocity)", row=op.name,
                               status=AGREES if same else DIFFERS,
                               reason=f"derived t = {t}, printed {printed}",
                               computed=str(t), printed=str(printed)))
    # Eq. (11) and (B1) patterns, Eq. (13) statement
    pat = parity_pattern()
    for i in range(3):
        for j in range(2):
            recs.append(compare(pat[i, j], P.EQ11_PATTERN[i, j], equation="11",
                                            row="xyz"[i], column="xy"[j]))
    KJ = _current_pattern_check()
    for (ab, ok, reason) in KJ:
        recs.append(Comparison(equation="B1", row=ab[0], column=ab[1],
                               status=AGREES if ok else DIFFERS, reason=reason,
                               computed=reason, printed=str(P.EQB1_PATTERN[
                                   "xyz".index(ab[0]), "xy".index(ab[1])])))
    tabv = parity_table("velocity")
    for ab, claim in P.EQ13_PARITY.items():
        got = tabv[(ab[0], ab[1])]
        ok = got == claim
        recs.append(Comparison(equation="13 (parity)", row=ab[0], column=ab[1],
                               status=AGREES if ok else DIFFERS,
                               reason=f"derived parities {got}, stated {claim}",
                               computed=str(got), printed=str(claim)))
    # Eq. (12) and (B2)
    dom = _unit_domain()
    for eq, derived, printed in (("12", derive_coefficients(False), P.EQ12),
                                 ("B2", derive_coefficients(True), P.EQB2)):
        for name in COEFFS:
            recs.append(compare(derived[name], printed[name].expr, equation=eq,
                                            row=name, domain=dom))
    # the general azimuth: same coefficients
    gen = derive_coefficients_general_azimuth()
    spec = derive_coefficients(False)
    for name in COEFFS:
        c = compare(gen[name], spec[name], equation="7 (azimuth)", row=name,
                                domain=dom)
        c.reason = "general in-plane azimuth (K rotated covariantly) vs special frame: " + c.reason
        recs.append(c)
    # evenness of the coefficients (Eq. 7: functions of m_z^2)
    for name in COEFFS:
        e = spec[name]
        even = all(sympy.simplify(e.subs(v, -v) - e) == 0 for v in (m_x, m_z))
        recs.append(Comparison(equation="7 (parity)", row=name, status=AGREES if even else DIFFERS,
                               reason=("derived coefficient is even in m_x and m_z (depends on "
                                       "m_x^2 = 1 - m_z^2 only)") if even else "not even",
                               computed=sympy.sstr(e), printed="function of m_z^2"))
    # Eq. (7) with (12) inserted, component by component, against kappa s x m
    recs.extend(_eq7_with_eq12(P))
    # Eq. (B3): explicit in K_J and M
    expl = derive_current_coefficients_explicit()
    mdom = _M_domain()
    for name in COEFFS:
        c = compare(expl[name], P.EQB3[name].expr, equation="B3", row=name,
                                domain=mdom)
        c.reason += f"; note: {P.EQB3[name].note}" if P.EQB3[name].note else ""
        recs.append(c)
        c1 = compare(expl[name].subs(kappa, 1), P.EQB3[name].expr,
                                 equation="B3 (kappa=1)", row=name, domain=mdom)
        recs.append(c1)
    # internal consistency of the printed equations: (B3) vs (B2), (B2) vs (25)
    recs.extend(_b3_vs_b2(P))
    recs.extend(_b2_vs_25(P))
    # Eq. (25) vs (14): kappa s x m reproduces T_J
    recs.extend(_eq25_vs_eq14(P))
    # regularity at m_x -> 0 (the 1/m_x^2 of c and d)
    recs.append(_regularity_record())
    return recs


def _current_pattern_check():
    """Parity of K_J = K σ⁻¹ with K of form (11) and σ of the derived (13) form."""
    from streda.verify.printed import torques as P

    patv = parity_pattern("velocity")
    sig = sympy.Matrix(2, 2, lambda i, j: patv[i, j] * sympy.Symbol(f"sig_{'xy'[i]}{'xy'[j]}",
                                                                     real=True))
    KJ = (pattern_tensor() * sig.inv()).applyfunc(sympy.simplify)
    out = []
    for i in range(3):
        for j in range(2):
            e = KJ[i, j]
            par = {v: (1 if sympy.simplify(e.subs(v, -v) - e) == 0 else
                       (-1 if sympy.simplify(e.subs(v, -v) + e) == 0 else 0)) for v in (m_x, m_z)}
            pp = P.EQB1_PATTERN[i, j]
            want = {v: (-1 if pp.has(v) else 1) for v in (m_x, m_z)}
            out.append(("xyz"[i] + "xy"[j], par == want,
                        f"K_J = K sigma^-1 entry has parity m_x:{par[m_x]:+d}, m_z:{par[m_z]:+d}; "
                        f"(B1) prefactor {pp}"))
    return out


def _eq7_with_eq12(P) -> list:
    """κ s × m (K of form 11) against the printed ansatz (7) with printed (12) coefficients."""
    K = pattern_tensor()
    m = (m_x, 0, m_z)
    coeffs = {n: P.EQ12[n].expr for n in COEFFS}
    recs = []
    for E, lab in (((1, 0), "E_x"), ((0, 1), "E_y")):
        T = torque_from_K(K, m, E, kappa)
        Tp = P.eq7_torque(m, E, **coeffs)
        for i in range(3):
            recs.append(compare(T[i], Tp[i], equation="7 with 12",
                                            row=f"T_{'xyz'[i]}", column=lab, domain=_unit_domain()))
    return recs


def _b3_vs_b2(P) -> list:
    """Printed (B2) rewritten in K_J,αβ and M (κ = 1) against printed (B3): isolates the typo."""
    pat = P.EQB1_PATTERN
    M = M_abs
    to_K = {KAPPA_J[ab]: KJ_SYM[ab] / pat["xyz".index(ab[0]), "xy".index(ab[1])] for ab in ENTRIES}
    to_M = {m_x: _MX / M, m_z: _MZ / M}
    recs = []
    for name in COEFFS:
        b2 = sympy.simplify(P.EQB2[name].expr.subs(to_K).subs(to_M))
        c = compare(b2, P.EQB3[name].expr, equation="B3 vs B2", row=name,
                                domain=_M_domain())
        c.reason = "printed (B2) in K_J and M (kappa = 1) vs printed (B3): " + c.reason
        recs.append(c)
    dK = KJ_SYM["yy"] - KJ_SYM["xx"]
    fixed = P.EQB3["d"].expr - M / _MX * dK + M ** 3 / (_MZ * _MX ** 2) * dK  # sympy stores M/M_x
    b2 = sympy.simplify(P.EQB2["d"].expr.subs(to_K).subs(to_M))
    c = compare(b2, fixed, equation="B3 vs B2 (M^3/(M_z M_x^2))", row="d",
                            domain=_M_domain())
    c.reason = ("(B3) d_J with the factor M^3/(M_x M^2) read as M^3/(M_z M_x^2), vs printed (B2): "
                + c.reason)
    recs.append(c)
    return recs


def _b2_vs_25(P) -> list:
    """K_J read off the printed (25) at m = (m_x, 0, m_z), inserted into the printed (B2)."""
    aJ, bJ, cJ, dJ = sympy.symbols("a_J b_J c_J d_J", real=True)
    m = (m_x, 0, m_z)
    cols = [P.eq25_kappa_s(m, J, aJ, bJ, cJ, dJ) / kappa for J in ((1, 0), (0, 1))]
    KJ = sympy.Matrix(3, 2, lambda i, j: cols[j][i])
    pat = P.EQB1_PATTERN
    kt = {KAPPA_J[ab]: sympy.cancel(kappa * KJ["xyz".index(ab[0]), "xy".index(ab[1])]
                                    / pat["xyz".index(ab[0]), "xy".index(ab[1])]) for ab in ENTRIES}
    recs = []
    for name, sym in zip(COEFFS, (aJ, bJ, cJ, dJ)):
        val = _reduce(P.EQB2[name].expr.subs(kt), list(_SPECIAL_REL), list(_SPECIAL_GENS))
        c = compare(val, sym, equation="B2 vs 25", row=name, domain=_unit_domain())
        c.reason = (f"K_J from the printed (25), inserted into the printed (B2), should return "
                    f"{name}_J: " + c.reason)
        recs.append(c)
    return recs


def _eq25_vs_eq14(P) -> list:
    """κ s (25) × m against T_J (14): a polynomial identity in m (it holds for any m)."""
    m = sympy.symbols("m_1 m_2 m_3", real=True)
    Jx, Jy = sympy.symbols("J_x J_y", real=True)
    a, b, c, d = sympy.symbols("a_J b_J c_J d_J", real=True)
    T = P.eq25_kappa_s(m, (Jx, Jy), a, b, c, d).cross(_vec3(m))
    Tp = P.eq14_torque(m, (Jx, Jy), a, b, c, d)
    return [compare(sympy.expand(T[i]), sympy.expand(Tp[i]), equation="25 vs 14",
                                row=f"T_{'xyz'[i]}") for i in range(3)]


def _regularity_record():
    """At m_x = 0 the model is rotation invariant about ẑ: K_xx = K_yy, K_xy = −K_yx, K_z· = 0.

    Then κ_xy + κ_yx and κ_yy − κ_xx vanish at m_x = 0, so the 1/m_x² in c and d is
    a removable singularity when κ_αβ are analytic in m_x².
    """
    from streda.verify.compare import AGREES, DIFFERS, Comparison

    K = sympy.Matrix(3, 2, lambda i, j: K_SYM[ENTRIES[2 * i + j]])
    eqs = []
    for c, s in ((sympy.Rational(3, 5), sympy.Rational(4, 5)),
                 (sympy.Rational(5, 13), sympy.Rational(12, 13))):   # two generic rotations
        eqs += list(rotate_K(K, c, s) - K)
    sol = sympy.solve(eqs, list(K_SYM.values()), dict=True)
    Ks = K.subs(sol[0]) if sol else K
    ok = bool(sol) and Ks[0, 0] == Ks[1, 1] and Ks[0, 1] == -Ks[1, 0] and Ks[2, 0] == 0 \
        and Ks[2, 1] == 0
    return Comparison(equation="12 (m_x -> 0)", status=AGREES if ok else DIFFERS,
                      reason=("rotation invariance at M_x = 0 forces K_xx = K_yy, K_xy = -K_yx, "
                              "K_zx = K_zy = 0: the 1/m_x^2 in c and d is removable")
                      if ok else "rotation invariance does not fix the tensor form",
                      computed=sympy.sstr(Ks), printed="a,b,c,d analytic in m_z^2")


# --------------------------------------------------------------------------- JSON input
def _num(text, what: str):
    """A real number from JSON (a number, or text read by the safe reader
    :func:`streda.integrals.expr.parse_number`; never evaluated as code)."""
    from streda.integrals.expr import ExprError, parse_number

    if not isinstance(text, (str, int, float)):
        raise TorqueError(f"{what}: expected a number or a decimal string, got {type(text).__name__}")
    try:
        return parse_number(text, what)
    except ExprError as exc:
        raise TorqueError(f"{what} is not a number ({exc})") from None


def K_from_json(data: dict, key: str = "K") -> sympy.Matrix:
    """Read a 3×2 tensor: entries keyed "xx" … "zy", each ``[re, im]`` decimal strings."""
    src = data.get(key, data) if isinstance(data, dict) else None
    if not isinstance(src, dict):
        raise TorqueError(f"{key}: expected an object with entries 'xx','xy',...,'zy'")
    rows = []
    for ab in ENTRIES:
        if ab not in src:
            raise TorqueError(f"{key}: entry {ab!r} missing (need xx, xy, yx, yy, zx, zy)")
        rows.append(_complex(src[ab], f"{key}.{ab}"))
    return sympy.Matrix(3, 2, rows)


def _complex(v, what: str):
    """``[re, im]`` or a single real number, each read by :func:`_num`."""
    if isinstance(v, (list, tuple)) and len(v) == 2:
        return _num(v[0], f"{what}[re]") + sympy.I * _num(v[1], f"{what}[im]")
    if isinstance(v, (str, int, float)) and not isinstance(v, bool):
        return _num(v, what)
    shown = repr(v)
    raise TorqueError(f"{what}: expected [re, im] decimal strings, got "
                      f"{shown if len(shown) <= 40 else shown[:37] + '...'}")


def coefficients_from_json(data: dict) -> dict:
    """a, b, c, d (and a_J … d_J when a 2×2 ``sigma`` is given) for a K read from JSON.

    Keys: ``K`` (or the entries at top level), ``mx``, ``mz`` (and optional ``my``;
    or the exchange field ``Mx``, ``Mz``, ``My`` which is normalised), optional
    ``kappa`` (default 1) and ``sigma`` = {"xx","xy","yx","yy"}.
    """
    if not isinstance(data, dict):
        raise TorqueError("the JSON input must be an object")
    if "mx" in data or "mz" in data:
        keys = ("mx", "my", "mz")
    elif "Mx" in data or "Mz" in data:
        keys = ("Mx", "My", "Mz")
    else:
        raise TorqueError("give the magnetisation direction as mx, mz (unit) or Mx, Mz")
    comp = [_num(data.get(k, 0), k) for k in keys]
    norm = sympy.sqrt(sum(c ** 2 for c in comp))
    if norm == 0:
        raise TorqueError("the magnetisation vector is zero")
    if keys[0] == "mx" and abs(sympy.N(norm - 1, 30)) > 1e-12:
        raise TorqueError(f"mx, my, mz must form a unit vector (|m| = {sympy.N(norm, 12)});"
                          " give Mx, Mz to have it normalised")
    m = [c / norm for c in comp]
    kap = _num(data.get("kappa", 1), "kappa")
    K = K_from_json(data)
    out = {"m": [str(sympy.nsimplify(c)) for c in m],
           "field": solve_coefficients(K, m, kappa_=kap)}
    if "sigma" in data:
        s = data["sigma"]
        if not isinstance(s, dict) or any(k not in s for k in ("xx", "xy", "yx", "yy")):
            raise TorqueError("sigma: expected entries 'xx','xy','yx','yy'")
        S = sympy.Matrix(2, 2, [_complex(s[k], f"sigma.{k}") for k in ("xx", "xy", "yx", "yy")])
        out["current"] = solve_coefficients(current_tensor(K, S), m, kappa_=kap)
    return out
