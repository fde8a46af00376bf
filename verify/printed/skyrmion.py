"""The paper's printed skyrmion formulas and claims, as data (Sec. IV, Eqs. 21–28, App. D).

Typed in from the text; nothing computed.  Integrands are written in the
symbols below: ``th`` = θ(ρ), ``th_r`` = ∂θ/∂ρ, ``a_r`` = ∂a_J/∂ρ, and the
coefficients ``a``, ``b``, ``c``, ``d`` (a_J … d_J, which "already contain κ").

>>> eq24_ratio(sympy.Integer(2), 0, 1)
2
>>> EQ23_INTEGRAND
alpha_G*(rho**2*th_r**2 + sin(th)**2)/(4*rho)
"""
from __future__ import annotations

from dataclasses import dataclass

import sympy

__all__ = ["rho", "th", "th_r", "a", "a_r", "b", "c", "d", "alpha_G", "EPSILON", "EQ22A_Q",
           "EQ23_INTEGRAND", "eq24_ratio", "EQ26_A_INTEGRAND", "EQ26_B_INTEGRAND", "eq26_force",
           "eq28_force", "J_delta", "J_delta_D", "Claim", "CLAIMS"]

rho = sympy.Symbol("rho", positive=True)
th, th_r = sympy.symbols("th th_r", real=True)
a, a_r, b, c, d = sympy.symbols("a a_r b c d", real=True)
alpha_G = sympy.Symbol("alpha_G", positive=True)

#: Eq. (21): "ε̂ is the antisymmetric tensor with ε_xy = −ε_yx = 1"
EPSILON = sympy.Matrix([[0, 1], [-1, 0]])
#: after Eq. (22): "the topological charge is, indeed, Q = 1"
EQ22A_Q = 1
#: Eq. (23): D = (α_G/4) ∫ dρ/ρ [sin²θ + (ρ ∂θ/∂ρ)²]
EQ23_INTEGRAND = alpha_G / 4 * (sympy.sin(th) ** 2 + (rho * th_r) ** 2) / rho


def eq24_ratio(D, Fx, Fy):
    """Eq. (24): ν_y/ν_x = (D F_y − F_x)/(D F_x + F_y)."""
    return (D * Fy - Fx) / (D * Fx + Fy)


#: Eq. (26)/(28): the two radial integrands, [ρ ∂a/∂ρ + c sin²θ] sinθ and
#: [b/2 sin 2θ + (b + d sin²θ) ρ ∂θ/∂ρ]
EQ26_A_INTEGRAND = (rho * a_r + c * sympy.sin(th) ** 2) * sympy.sin(th)
EQ26_B_INTEGRAND = b / 2 * sympy.sin(2 * th) + (b + d * sympy.sin(th) ** 2) * rho * th_r


def J_delta(J, delta) -> sympy.Matrix:
    """After Eq. (26): J_δ = J cos δ + (J × ẑ) sin δ (in-plane)."""
    Jx, Jy = (sympy.sympify(x) for x in J)
    return sympy.Matrix([Jx * sympy.cos(delta) + Jy * sympy.sin(delta),
                         Jy * sympy.cos(delta) - Jx * sympy.sin(delta)])


def J_delta_D(J, delta) -> sympy.Matrix:
    """After Eq. (28): J^D_δ = J_D cos δ + (J_D × ẑ) sin δ, J_D = (J_x, −J_y)."""
    Jx, Jy = (sympy.sympify(x) for x in J)
    return J_delta((Jx, -Jy), delta)


def _zcross(v):
    return sympy.Matrix([-v[1], v[0]])


def eq26_force(J, delta, IA, IB) -> sympy.Matrix:
    """Eq. (26): F = (ẑ×J_δ)/4 · IA + J_δ/4 · IB (IA, IB the two radial integrals)."""
    Jd = J_delta(J, delta)
    return _zcross(Jd) * IA / 4 + Jd * IB / 4


def eq28_force(J, delta, IA, IB) -> sympy.Matrix:
    """Eq. (28): F = J^D_δ/4 · IA − (ẑ×J^D_δ)/4 · IB."""
    Jd = J_delta_D(J, delta)
    return Jd * IA / 4 - _zcross(Jd) * IB / 4


@dataclass(frozen=True)
class Claim:
    """One statement of Sec. IV.C, with the setting it refers to."""

    key: str
    text: str
    model: str = ""
    helicity: object = 0
    current: tuple = (1, 0)
    ratio: str = ""           # "D" or "-1/D" where the claim gives ν_y/ν_x
    force_direction: str = ""  # "x" or "y" where the claim gives F ∝ x̂ or ŷ


_PI = sympy.pi
CLAIMS = (
    Claim("Q", "the topological charge is, indeed, Q = 1"),
    Claim("neel_rashba", "F = A J y for the Rashba model ... nu_y/nu_x = D (Neel, delta=0, J || x, "
          "b_J = d_J = 0)", "rashba", 0, (1, 0), "D", "y"),
    Claim("neel_dresselhaus", "F = A J x for the Dresselhaus model ... nu_y/nu_x = -1/D", "dresselhaus",
          0, (1, 0), "-1/D", "x"),
    Claim("bloch_rashba", "for a Bloch Skyrmion (delta = pi/2) ... nu_y/nu_x = -1/D for the Rashba "
          "model", "rashba", _PI / 2, (1, 0), "-1/D", "x"),
    Claim("bloch_dresselhaus", "... and by nu_y/nu_x = D for the Dresselhaus model", "dresselhaus",
          _PI / 2, (1, 0), "D", "y"),
    Claim("bloch_pm", "the Hall angle for a Bloch Skyrmion with helicity delta = pi/2 is different "
          "from the one for a Skyrmion with helicity delta = -pi/2"),
    Claim("neel_0_pi", "the Neel Skyrmions with delta = 0 and delta = pi move differently"),
    Claim("equiv_x", "the motion of a Neel Skyrmion with delta = 0 in the Rashba model is identical to "
          "the motion of a Bloch Skyrmion with delta = -pi/2 in the Dresselhaus model if the current "
          "is applied along x", "", -_PI / 2, (1, 0)),
    Claim("equiv_y", "... and to the motion of a Bloch Skyrmion with delta = pi/2 in the Dresselhaus "
          "model if the current is applied along y", "", _PI / 2, (0, 1)),
    Claim("needs_angular_a", "for an azimuthally-symmetric Skyrmion to be driven by SOT it is "
          "essential to have an angular dependence in the coefficient a or finite values for the "
          "coefficients b, c or d"),
)
