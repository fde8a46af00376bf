"""The paper's printed torque formulas, typed in as data (Sec. II.A, III, App. B).

Nothing here is computed: each entry is the formula as it appears in the text
extraction of Ado, Tretiakov, Titov (paper lines quoted in the docstrings), so
that :mod:`streda.verify.torques` and :mod:`streda.verify.dresselhaus` can
compare their own derivations with it.  Where the print looks suspicious the
entry carries a ``note``; the comparator decides, the note only explains.

Symbols are those of :mod:`streda.verify.torques` (κ_αβ, κ̃_αβ, K_J,αβ, m_x, m_z, κ)
and M_x, M_z of the exchange field.

>>> EQ12["b"].expr
-kappa_yy
>>> EQB3["d"].note[:30]
'printed factor M^3/(M_x M^2) ='
"""
from __future__ import annotations

from dataclasses import dataclass

import sympy

from streda.verify.torques import KAPPA, KAPPA_J, KJ_SYM, M_abs, m_x, m_z

__all__ = ["PrintedFormula", "EQ10_VELOCITY", "EQ11_PATTERN", "EQB1_PATTERN", "EQ13_PARITY",
           "EQ12", "EQB2", "EQB3", "eq7_torque", "eq14_torque", "eq25_kappa_s",
           "EQ19_U", "eq19_M_prime", "eq18_hamiltonian", "eq19_hamiltonian", "eq20_torque",
           "eq27_kappa_s", "EQ20_CLAIMS"]


@dataclass(frozen=True)
class PrintedFormula:
    """One printed scalar formula: ``equation`` label, quantity ``name``, ``expr``, ``note``."""

    equation: str
    name: str
    expr: sympy.Expr
    note: str = ""


_ZHAT = sympy.Matrix([0, 0, 1])
_Mx, _Mz = sympy.Symbol("M_x", real=True), sympy.Symbol("M_z", real=True)


def _v3(v) -> sympy.Matrix:
    v = [sympy.sympify(x) for x in v]
    return sympy.Matrix(v + [0] * (3 - len(v)))


# ---------------------------------------------------------------- Eq. (10) and after
#: "σ_x v_x[−p_x]σ_x = −v_x, σ_x v_y[−p_x]σ_x = v_y, and σ_z v[−p]σ_z = −v" (after Eq. 10);
#: keyed by the Pauli matrix of the transformation, then by the velocity component
EQ10_VELOCITY = {"x": {"x": -1, "y": 1}, "z": {"x": -1, "y": -1}}

#: Eq. (11): K = (1/κ) [[m_z κ_xx, κ_xy], [κ_yx, m_z κ_yy], [m_x κ_zx, m_x m_z κ_zy]] — the prefactors
EQ11_PATTERN = sympy.Matrix([[m_z, 1], [1, m_z], [m_x, m_x * m_z]])
#: Eq. (B1): the same pattern for K_J with κ̃_αβ
EQB1_PATTERN = sympy.Matrix([[m_z, 1], [1, m_z], [m_x, m_x * m_z]])
#: after Eq. (13): "σ_xy is an odd function of m_z but even function of m_x, whereas σ_xx is an
#: even function of both"
EQ13_PARITY = {"xy": {"m_z": -1, "m_x": 1}, "xx": {"m_z": 1, "m_x": 1}}

# ---------------------------------------------------------------- Eq. (12), (B2), (B3)
_k, _kt = KAPPA, KAPPA_J
#: Eq. (12a), (12b): "a = κ_xy − m_x² κ_zy, c = (κ_xy + κ_yx)/m_x² − κ_zy,
#: b = −κ_yy, d = κ_xx + κ_zx + (κ_yy − κ_xx)/m_x²"
EQ12 = {
    "a": PrintedFormula("12a", "a", _k["xy"] - m_x ** 2 * _k["zy"]),
    "c": PrintedFormula("12a", "c", (_k["xy"] + _k["yx"]) / m_x ** 2 - _k["zy"]),
    "b": PrintedFormula("12b", "b", -_k["yy"]),
    "d": PrintedFormula("12b", "d", _k["xx"] + _k["zx"] + (_k["yy"] - _k["xx"]) / m_x ** 2),
}
#: Eq. (B2): the same relations with κ̃_αβ for a_J … d_J
EQB2 = {
    "a": PrintedFormula("B2", "a_J", _kt["xy"] - m_x ** 2 * _kt["zy"]),
    "b": PrintedFormula("B2", "b_J", -_kt["yy"]),
    "c": PrintedFormula("B2", "c_J", (_kt["xy"] + _kt["yx"]) / m_x ** 2 - _kt["zy"]),
    "d": PrintedFormula("B2", "d_J", _kt["xx"] + _kt["zx"] + (_kt["yy"] - _kt["xx"]) / m_x ** 2),
}
_K = KJ_SYM
_M = M_abs
_NO_KAPPA = "(B3) carries no factor κ although (B1) has K_J = (1/κ)(...) and (B2) has none"
#: Eq. (B3): "a_J = K_J,xy − (M_x/M_z) K_J,zy, b_J = −(M/M_z) K_J,yy,
#: c_J = (M²/M_x²)(K_J,xy + K_J,yx) − (M²/(M_x M_z)) K_J,zy,
#: d_J = (M/M_z) K_J,xx + (M/M_x) K_J,zx + (M³/(M_x M²))(K_J,yy − K_J,xx)"
EQB3 = {
    "a": PrintedFormula("B3", "a_J", _K["xy"] - _Mx / _Mz * _K["zy"], _NO_KAPPA),
    "b": PrintedFormula("B3", "b_J", -_M / _Mz * _K["yy"], _NO_KAPPA),
    "c": PrintedFormula("B3", "c_J", _M ** 2 / _Mx ** 2 * (_K["xy"] + _K["yx"])
                        - _M ** 2 / (_Mx * _Mz) * _K["zy"], _NO_KAPPA),
    "d": PrintedFormula("B3", "d_J", _M / _Mz * _K["xx"] + _M / _Mx * _K["zx"]
                        + _M ** 3 / (_Mx * _M ** 2) * (_K["yy"] - _K["xx"]),
                        "printed factor M^3/(M_x M^2) = M/M_x looks like a garbled M^3/(M_z M_x^2); "
                        + _NO_KAPPA),
}


# ---------------------------------------------------------------- vector forms
def eq7_torque(m, E, a, b, c, d) -> sympy.Matrix:
    """Eq. (7): T = a m×(ẑ×E) + c m×(m×ẑ)(m·E) + b m×(m×(ẑ×E)) + d m×ẑ (m·E)."""
    m, E = _v3(m), _v3(E)
    zE = _ZHAT.cross(E)
    return (a * m.cross(zE) + c * m.cross(m.cross(_ZHAT)) * m.dot(E)
            + b * m.cross(m.cross(zE)) + d * m.cross(_ZHAT) * m.dot(E))


def eq14_torque(m, J, a_J, b_J, c_J, d_J) -> sympy.Matrix:
    """Eq. (14): the same form with the current J and a_J … d_J."""
    return eq7_torque(m, J, a_J, b_J, c_J, d_J)


def eq25_kappa_s(m, J, a_J, b_J, c_J, d_J) -> sympy.Matrix:
    """Eq. (25): κ s = −a_J ẑ×J − c_J m×ẑ (m·J) − b_J m×[ẑ×J] − d_J ẑ (m·J)."""
    m, J = _v3(m), _v3(J)
    return (-a_J * _ZHAT.cross(J) - c_J * m.cross(_ZHAT) * m.dot(J)
            - b_J * m.cross(_ZHAT.cross(J)) - d_J * _ZHAT * m.dot(J))


# ---------------------------------------------------------------- Sec. III (Dresselhaus)
_s0 = sympy.eye(2)
_sx = sympy.Matrix([[0, 1], [1, 0]])
_sy = sympy.Matrix([[0, -sympy.I], [sympy.I, 0]])
_sz = sympy.Matrix([[1, 0], [0, -1]])

#: Eq. (19): "U = (σ_x + σ_y)/√2"
EQ19_U = (_sx + _sy) / sympy.sqrt(2)


def eq19_M_prime(M) -> tuple:
    """Eq. (19): "M' = (M_y, M_x, −M_z)"."""
    return (M[1], M[0], -M[2])


def eq18_hamiltonian(px, py, M, alpha, xi) -> sympy.Matrix:
    """Eq. (18): H = ξ_p + α_so(σ_x p_x − σ_y p_y) − M·σ (disorder omitted)."""
    return (xi * _s0 + alpha * (_sx * px - _sy * py)
            - (M[0] * _sx + M[1] * _sy + M[2] * _sz))


def eq19_hamiltonian(px, py, M, alpha, xi) -> sympy.Matrix:
    """Eq. (19), right-hand side: ξ_p + α_so(σ×p)_z − M'·σ, M' = (M_y, M_x, −M_z)."""
    Mp = eq19_M_prime(M)
    return (xi * _s0 + alpha * (_sx * py - _sy * px)
            - (Mp[0] * _sx + Mp[1] * _sy + Mp[2] * _sz))


def eq20_torque(m, E, a, b, c, d) -> sympy.Matrix:
    """Eq. (20): T = a m×E_D + c m×(m×ẑ)[(ẑ×m)·E_D] + b m×(m×E_D) + d m×ẑ[(ẑ×m)·E_D].

    E_D = (E_x, −E_y).
    """
    m, E = _v3(m), _v3(E)
    ED = sympy.Matrix([E[0], -E[1], 0])
    w = _ZHAT.cross(m).dot(ED)
    return (a * m.cross(ED) + c * m.cross(m.cross(_ZHAT)) * w + b * m.cross(m.cross(ED))
            + d * m.cross(_ZHAT) * w)


def eq27_kappa_s(m, J, a_J, b_J, c_J, d_J) -> sympy.Matrix:
    """Eq. (27): κ s = −a_J J_D − c_J m×ẑ([ẑ×m]·J_D) − b_J m×J_D − d_J ẑ([ẑ×m]·J_D)."""
    m, J = _v3(m), _v3(J)
    JD = sympy.Matrix([J[0], -J[1], 0])
    w = _ZHAT.cross(m).dot(JD)
    return -a_J * JD - c_J * m.cross(_ZHAT) * w - b_J * m.cross(JD) - d_J * _ZHAT * w


#: statements of Sec. III after Eq. (20), quoted
EQ20_CLAIMS = {
    "same_coefficients": "The coefficients a, b, c, and d are, however, exactly the same as those "
                         "defined for the Rashba model.",
    "no_z_dependence": "Unlike the torque in the Rashba model (7)-(8), the torque of Eq. (20) does "
                       "not depend on the direction of the vector z.",
    "substitution": "the substitution m_x -> m_y, m_y -> m_x and m_z -> -m_z cannot change the "
                    "coefficients, because they depend only on m_z^2",
}
