"""Pauli algebra on 2x2 matrices with entries in any commutative ring.

A matrix is a nested list ``[[m00, m01], [m10, m11]]``; its Pauli components
``{"0": c0, "x": cx, "y": cy, "z": cz}`` satisfy  M = c0·1 + cx σx + cy σy + cz σz.
The functions work for sympy expressions, mpmath numbers, python-flint
polynomials and plain Python numbers alike.

>>> import sympy
>>> components(PAULI["x"]) == {"0": 0, "x": 1, "y": 0, "z": 0}
True
>>> matmul(PAULI["x"], PAULI["y"]) == [[sympy.I, 0], [0, -sympy.I]]   # σx σy = i σz
True
>>> commutator(PAULI["z"], PAULI["0"]) == [[0, 0], [0, 0]]
True
>>> trace(matmul(PAULI["y"], PAULI["y"]))
2
"""
from __future__ import annotations

import sympy

__all__ = ["PAULI", "LABELS", "matmul", "matadd", "scale", "components", "from_components",
           "trace", "commutator", "is_scalar_matrix", "identity"]

LABELS = ("0", "x", "y", "z")
I = sympy.I

#: the four basis matrices as sympy numbers
PAULI = {
    "0": [[sympy.Integer(1), sympy.Integer(0)], [sympy.Integer(0), sympy.Integer(1)]],
    "x": [[sympy.Integer(0), sympy.Integer(1)], [sympy.Integer(1), sympy.Integer(0)]],
    "y": [[sympy.Integer(0), -I], [I, sympy.Integer(0)]],
    "z": [[sympy.Integer(1), sympy.Integer(0)], [sympy.Integer(0), sympy.Integer(-1)]],
}


def identity(one=1, zero=0):
    """The 2x2 identity with the given ring's one and zero."""
    return [[one, zero], [zero, one]]


def matmul(A, B):
    """Product of two 2x2 matrices."""
    return [[A[0][0] * B[0][0] + A[0][1] * B[1][0], A[0][0] * B[0][1] + A[0][1] * B[1][1]],
            [A[1][0] * B[0][0] + A[1][1] * B[1][0], A[1][0] * B[0][1] + A[1][1] * B[1][1]]]


def matadd(A, B):
    """Sum of two 2x2 matrices."""
    return [[A[0][0] + B[0][0], A[0][1] + B[0][1]], [A[1][0] + B[1][0], A[1][1] + B[1][1]]]


def scale(c, A):
    """``c · A`` for a scalar ``c``."""
    return [[c * A[0][0], c * A[0][1]], [c * A[1][0], c * A[1][1]]]


def trace(A):
    """Spin trace."""
    return A[0][0] + A[1][1]


def components(A, imag_unit=I, half=sympy.Rational(1, 2)):
    """Pauli components of ``A`` (``imag_unit`` and ``half`` in A's ring).

    >>> components([[1, 2], [2, -1]])
    {'0': 0, 'x': 2, 'y': 0, 'z': 1}
    """
    return {
        "0": half * (A[0][0] + A[1][1]),
        "x": half * (A[0][1] + A[1][0]),
        "y": half * imag_unit * (A[0][1] - A[1][0]),
        "z": half * (A[0][0] - A[1][1]),
    }


def from_components(c: dict, imag_unit=I):
    """Inverse of :func:`components` (missing labels count as 0)."""
    c0, cx, cy, cz = (c.get(k, 0) for k in LABELS)
    return [[c0 + cz, cx - imag_unit * cy], [cx + imag_unit * cy, c0 - cz]]


def commutator(A, B):
    """[A, B] = AB − BA."""
    P, Q = matmul(A, B), matmul(B, A)
    return [[P[i][j] - Q[i][j] for j in range(2)] for i in range(2)]


def is_scalar_matrix(A) -> bool:
    """True when ``A`` is a multiple of the identity (commutes with every Pauli matrix)."""
    return sympy.simplify(A[0][1]) == 0 and sympy.simplify(A[1][0]) == 0 and \
        sympy.simplify(A[0][0] - A[1][1]) == 0
