"""The paper's printed tensor equations, typed in as data (nothing is computed here).

Source: Ado, Tretiakov, Titov, "Microscopic theory of spin-orbit torques and
skyrmion dynamics"; line numbers ``L…`` refer to the text extraction
``/work/shared/paper/000_4c364b739b07c27f.txt``.  Equations:

==========  =====================================================  =========
name        what                                                   lines
==========  =====================================================  =========
``15a``     bare spin susceptibility K^bare (3×2)                  L150–152
``15b``     bare conductivity σ^bare (2×2)                         L156–159
``C4``      α_d ∫ G^A X G^R for five X, as Pauli components        L527–533
``C6``      vertex corrections Γ^p, Γ^σ_z, Γ^σ_x, Γ^σ_y            L546–552
``C7``      dressed K^(0) at M_x = 0 (3×2)                         L556–558
``K0bare``  bare K^bare,(0) at M_x = 0, printed after (C7)         L562
``C8a``     K^bare,(1), the coefficient of M_x (3×2)               L576
``C8b``     K^bare,(2), the coefficient of M_x² (3×2)              L578
``16``      dressed K (3×2) and σ (2×2), all orders in M           L172
``17``      K_J = K σ⁻¹ (3×2) and a_J                              L178
==========  =====================================================  =========

Symbols are those of :mod:`streda.integrals.model`.  The paper writes both α_so
and α_R for the Rashba coupling: both are :data:`alpha_R`.  τ and γ are kept
as printed (γ = 1/2τ, see :func:`to_tau` and :func:`canonical`); Δ = m_e α_R² is
kept as printed too: (15) and (16) write m_e α_R², Appendix C writes Δ.

Records
-------
Every tensor entry is a :class:`PrintedEntry`.  For each entry there is one
*whole* record (``tau_order is None``), the printed expression, and *pieces*:
``expr`` of a piece with ``(mx_order, tau_order) = (k, j)`` is the coefficient
c_{k j} such that the whole entry is Σ c_{k j} M_x^k τ^j (γ read as 1/2τ), typed
in by hand from the printed form, as the paper's ``K = K^(0) + M_x K^(1) + …``.
Equations that are themselves one order in M_x (C4, C6, C7, K0bare: 0; C8a: 1;
C8b: 2) store that order in ``mx_order`` of the whole record as well, whose
``expr`` is then the coefficient of M_x^k.  Pieces in τ run over τ¹ and τ⁰ for
the response tensors (15, C7, K0bare, C8, 16, 17), and over τ⁰ (γ⁰) and τ⁻¹
(γ¹) for the γ-expansions C4 and C6.

Every (k, j) of an equation's printed range has a piece; an order that the
printed form does not show is a zero piece, read as a claim of the paper
(e.g. K_xx of (15a) has no τ¹ part, row z of (15a) no even power of M_x).
One kind of zero is not a claim: the τ⁰ part of an entry printed only at τ¹
("leading and sub-leading order" leaves open whether it vanishes or was
dropped).  Those zero pieces carry a ``note`` and the issue
``"tau0-not-printed"``.  Whenever ``note`` is set, a comparator should report
NOT COMPARABLE with ``note`` as the reason.  See :data:`ISSUES` for all codes.

>>> e = get("C8a", "z", "y")
>>> e.expr
M_z**3*alpha_R*e*m_e/(4*pi*gamma*(2*Delta*varepsilon + M_z**2)**2)
>>> get("C8a", "z", "y", tau_order=1).expr
M_z**3*alpha_R*e*m_e/(2*pi*(2*Delta*varepsilon + M_z**2)**2)
>>> get("C8b", "x", "y").issues
frozenset({'dimension'})
>>> get("15a", "x", "x", mx_order=4)
Traceback (most recent call last):
...
streda.verify.printed.tensors.NotPrinted: Eq. (15a) [x, x]: no printed M_x^4 term; printed orders: 0, 1, 2, 3
>>> entries("15c")
Traceback (most recent call last):
...
streda.verify.printed.tensors.UnknownEquation: unknown equation '15c'; known: 15a, 15b, C4, C6, C7, K0bare, C8a, C8b, 16, 17
"""
from __future__ import annotations

from dataclasses import dataclass, field

import sympy
from sympy import pi, sqrt

from streda.integrals.model import Delta, Mx, Mz, alpha_R, e_charge, eps, gamma, m_e, tau

__all__ = [
    "PrintedEntry", "EQUATIONS", "NORMALISATION", "ISSUES", "entries", "get", "whole_entries",
    "to_tau", "canonical", "UnknownEquation", "NotPrinted",
    "p_x", "p_y", "kappa", "Delta_S", "mu_x", "mu_z", "alpha_d",
]

#: momentum components, for the kinetic vertex Γ^p = p/m (Eq. C6a)
p_x = sympy.Symbol("p_x", real=True)
p_y = sympy.Symbol("p_y", real=True)
#: κ of Eq. (17) (a_J ∝ κ; it cancels in K_J)
kappa = sympy.Symbol("kappa", positive=True)
#: Δ_S = √(M_z² + 2ε m_e α_R²), the sub-band splitting, as printed before Eq. (15) (L150)
Delta_S = sqrt(Mz ** 2 + 2 * eps * m_e * alpha_R ** 2)
#: μ_x = M_x/Δ_S, μ_z = M_z/Δ_S (L159)
mu_x = Mx / Delta_S
mu_z = Mz / Delta_S
#: α_d = 1/(m_e τ), the disorder strength (L512; written α_D in C7)
alpha_d = 1 / (m_e * tau)

#: the equations, in the paper's order
EQUATIONS = ("15a", "15b", "C4", "C6", "C7", "K0bare", "C8a", "C8b", "16", "17")

#: issue codes carried by :attr:`PrintedEntry.issues` (all block a plain comparison)
ISSUES = {
    "tau0-not-printed": "τ⁰ part of an entry printed only at τ¹ (zero, or dropped?)",
    "dimension": "dimensionally inconsistent as printed",
    "denominator-M": "denominator printed as M² + 2εΔ where the other lines of (C4) have M_z²",
}

#: units and normalisation of each equation (ħ = 1)
NORMALISATION = {
    "15a": "K^bare with the printed prefactor m_e α_R e/(4π Δ_S); s = K E, K has units of "
           "e·√(m_e/energy). Eq. (9) puts e/8π in front of the full Kubo–Středa trace "
           "(2 RA − RR − AA); Appendix C (C7, the lines after it, and before C8) writes e/4π in front "
           "of the RA product alone. Printed to +O(μ_x⁴) "
           "although L150 says 'up to the terms of the fourth order in μ_x'; L580 says 'up to "
           "the terms of the order of M_x^3'. The M_x³ pieces are therefore recorded as printed.",
    "15b": "σ^bare with prefactor e²/2π (dimensionless in units e²/ħ). Only the leading τ order "
           "of σ_xx, σ_yy (τ¹) and σ_xy, σ_yx (τ⁰) is printed; +O(μ_x⁴).",
    "C4": "α_d ∫ d²p/(2π)² G^A X G^R as a 2×2 matrix, α_d = 1/(m_e τ); dimensionless. "
          "'taken up here to the second order in γ' (L533): printed terms are γ⁰ and γ¹ "
          "(τ⁰ and τ⁻¹); evaluated for the Green functions of the isotropic model (C1), i.e. M_x = 0.",
    "C6": "vertices solving (C5a,b), as Pauli components; Γ^p = p/m is exact, Γ^σ printed to first "
          "order in γ. Γ^p has units of velocity, Γ^σ is dimensionless.",
    "C7": "dressed K^(0) (M_x = 0): (e α_R/(4π α_D)) Tr σ_α σ_y = e τ α_so m_e/(2π) δ_αy; "
          "prefactor e/4π with the RA product only (cf. e/8π of Eq. 9).",
    "K0bare": "bare K^bare,(0) (M_x = 0): (e/4π) Tr σ_α ∫ G^R v_β G^A, printed as "
              "(e α_R m_e/4π)[...]; the two displayed lines are columns β = x, y.",
    "C8a": "K^bare,(1): coefficient of M_x in K^bare (units K/energy); prefactor "
           "e α_so m_e M_z²/(4π (M_z² + 2εΔ)²); defined at L570 as −(e/4π) ∫ Tr[σ_α G^R σ_x G^R v_β G^A "
           "+ σ_α G^R v_β G^A σ_x G^A] (RA products only, e/4π).",
    "C8b": "K^bare,(2): coefficient of M_x² (units K/energy²); prefactor "
           "−e α_so m_e M_z/(4π (M_z² + 2εΔ)³). Entry [x, y] '(M_z + εΔ)M_z/γ' is "
           "dimensionally inconsistent as printed.",
    "16": "dressed K = (e α_so m_e/4π)(0 2τ; −2τ 0; 0 0) and σ = (e²/2π) 2τ(ε + m_e α_R²) 1, "
          "claimed independent of M in all orders (so every M_x^k piece, k ≥ 1, is zero).",
    "17": "K_J = (a_J/κ)(0 1; −1 0; 0 0) (units K/σ = √(m_e/energy)/e), "
          "a_J = α_so m_e κ/(2e(ε + m_e α_so²)); independent of τ.",
}


class UnknownEquation(KeyError):
    """An equation name that is not in :data:`EQUATIONS`."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0])


class NotPrinted(KeyError):
    """A row, column or order that the paper does not print for an equation."""

    def __str__(self) -> str:
        return str(self.args[0])


@dataclass(frozen=True)
class PrintedEntry:
    """One printed tensor entry, or one (M_x, τ)-order piece of it.

    ``expr`` is the coefficient of M_x^mx_order τ^tau_order (an order ``None``
    is not stripped); ``note`` says why the entry cannot be compared as printed
    (``None`` when it can), ``issues`` are the matching codes of :data:`ISSUES`.
    """

    equation: str
    row: str | None
    column: str | None
    mx_order: int | None
    tau_order: int | None
    expr: sympy.Expr
    note: str | None = None
    issues: frozenset = field(default_factory=frozenset)

    @property
    def comparable(self) -> bool:
        """True when nothing blocks a comparison of this entry as printed."""
        return self.note is None

    @property
    def is_piece(self) -> bool:
        """True for an order-by-order piece (``tau_order`` given)."""
        return self.tau_order is not None

    def term(self) -> sympy.Expr:
        """``expr`` times M_x^mx_order τ^tau_order (orders that are ``None`` add nothing).

        >>> get("C8a", "z", "x").term()
        M_x*M_z**2*alpha_R*e*m_e/(4*pi*(2*Delta*varepsilon + M_z**2)**2)
        """
        out = self.expr
        if self.mx_order:
            out = out * Mx ** self.mx_order
        if self.tau_order:
            out = out * tau ** self.tau_order
        return out


# ---------------------------------------------------------------- construction
_TAU0_NOTE = ("τ⁰ part not printed: the entry is printed only at order τ¹ and the paper keeps "
              "'leading and sub-leading' orders, so its τ⁰ part may vanish or may have been dropped")
_DIM_NOTE = ("dimensionally inconsistent as printed: '(M_z + εΔ)M_z/γ' adds an energy M_z to an "
             "energy² εΔ (Eq. C8b, L578); recorded literally")
_M_NOTE = ("denominator printed as M² + 2εΔ (M² = M_x² + M_z², recorded so) while the other lines of "
           "(C4) have M_z² + 2εΔ; (C4) is derived at M_x = 0 where both read M_z² + 2εΔ")


def _whole(eq, row, col, expr, mx=None, note=None, issues=()):
    return PrintedEntry(eq, row, col, mx, None, sympy.sympify(expr), note, frozenset(issues))


def _piece(eq, row, col, mx, tj, expr, note=None, issues=()):
    return PrintedEntry(eq, row, col, mx, tj, sympy.sympify(expr), note, frozenset(issues))


def _pieces(eq, row, col, table: dict, *, tau_orders=(1, 0), mx_orders=(0,), tau0_ambiguous=False,
            note=None, issues=()):
    """Pieces of one entry from ``table[(k, j)]``; missing keys are zero claims."""
    out = []
    for k in mx_orders:
        for j in tau_orders:
            n, iss = note, tuple(issues)
            if tau0_ambiguous and j == 0 and (k, j) not in table:
                n, iss = _TAU0_NOTE, ("tau0-not-printed",)
            out.append(_piece(eq, row, col, k, j, table.get((k, j), 0), n, iss))
    return out


def _eq15a() -> list[PrintedEntry]:
    """Eq. (15a), L152: K^bare = (m_e α_R e/4πΔ_S)(…) + O(μ_x⁴)."""
    P = m_e * alpha_R * e_charge / (4 * pi * Delta_S)
    DS, mz, mx = Delta_S, mu_z, mu_x
    whole = {
        ("x", "x"): P * (-mz * (1 - mx ** 2 * (1 - 2 * mz ** 2))),
        ("x", "y"): P * (tau * DS * (1 + mz ** 2 + mx ** 2 * mz ** 2 * (1 - 3 * mz ** 2))),
        ("y", "x"): P * (-tau * DS * (1 + mz ** 2 + 2 * mx ** 2 * mz ** 2 * (1 - mz ** 2))),
        ("y", "y"): P * (mz * (1 + mx ** 2 * (1 - 2 * mz ** 2))),
        ("z", "x"): P * (-mx * mz ** 2 * (1 + mx ** 2 * (2 - 3 * mz ** 2))),
        ("z", "y"): P * (2 * tau * DS * mx * mz ** 3 * (1 + mx ** 2 * (2 - 3 * mz ** 2))),
    }
    # coefficients of M_x^k τ^j, typed from the printed brackets (μ_x^k = M_x^k / Δ_S^k)
    pieces = {
        ("x", "x"): {(0, 0): -P * mz, (2, 0): P * mz * (1 - 2 * mz ** 2) / DS ** 2},
        ("x", "y"): {(0, 1): P * DS * (1 + mz ** 2), (2, 1): P * DS * mz ** 2 * (1 - 3 * mz ** 2) / DS ** 2},
        ("y", "x"): {(0, 1): -P * DS * (1 + mz ** 2), (2, 1): -P * DS * 2 * mz ** 2 * (1 - mz ** 2) / DS ** 2},
        ("y", "y"): {(0, 0): P * mz, (2, 0): P * mz * (1 - 2 * mz ** 2) / DS ** 2},
        ("z", "x"): {(1, 0): -P * mz ** 2 / DS, (3, 0): -P * mz ** 2 * (2 - 3 * mz ** 2) / DS ** 3},
        ("z", "y"): {(1, 1): 2 * P * DS * mz ** 3 / DS, (3, 1): 2 * P * DS * mz ** 3 * (2 - 3 * mz ** 2) / DS ** 3},
    }
    tau_leading = {("x", "y"), ("y", "x"), ("z", "y")}
    out = []
    for (r, c), w in whole.items():
        out.append(_whole("15a", r, c, w))
        out += _pieces("15a", r, c, pieces[(r, c)], mx_orders=range(4),
                       tau0_ambiguous=(r, c) in tau_leading)
    return out


def _eq15b() -> list[PrintedEntry]:
    """Eq. (15b), L156: σ^bare = (e²/2π)(…) + O(μ_x⁴)."""
    S = e_charge ** 2 / (2 * pi)
    DS, mz, mx = Delta_S, mu_z, mu_x
    r = DS ** 2 / (4 * eps ** 2)
    hall = DS / (2 * eps) * mz * (1 - mz ** 2)
    whole = {
        ("x", "x"): S * 2 * eps * tau * (1 + r * (1 - mz ** 2) ** 2 * (1 - mz ** 2 * mx ** 2)),
        ("x", "y"): S * hall * (1 + mx ** 2 * (1 - 2 * mz ** 2)),
        ("y", "x"): -S * hall * (1 + mx ** 2 * (1 - 2 * mz ** 2)),
        ("y", "y"): S * 2 * eps * tau * (1 + r * (1 - mz ** 2) * (1 - mz ** 2 - mz ** 2 * mx ** 2 * (1 - 3 * mz ** 2))),
    }
    pieces = {
        ("x", "x"): {(0, 1): S * 2 * eps * (1 + r * (1 - mz ** 2) ** 2),
                     (2, 1): -S * 2 * eps * r * (1 - mz ** 2) ** 2 * mz ** 2 / DS ** 2},
        ("x", "y"): {(0, 0): S * hall, (2, 0): S * hall * (1 - 2 * mz ** 2) / DS ** 2},
        ("y", "x"): {(0, 0): -S * hall, (2, 0): -S * hall * (1 - 2 * mz ** 2) / DS ** 2},
        ("y", "y"): {(0, 1): S * 2 * eps * (1 + r * (1 - mz ** 2) ** 2),
                     (2, 1): -S * 2 * eps * r * (1 - mz ** 2) * mz ** 2 * (1 - 3 * mz ** 2) / DS ** 2},
    }
    out = []
    for (rw, c), w in whole.items():
        out.append(_whole("15b", rw, c, w))
        out += _pieces("15b", rw, c, pieces[(rw, c)], mx_orders=range(4), tau0_ambiguous=rw == c)
    return out


def _eqC4() -> list[PrintedEntry]:
    """Eq. (C4), L531: α_d ∫ G^A X G^R at M_x = 0; row = Pauli component (0, x, y, z), column = X."""
    D = Mz ** 2 + 2 * eps * Delta
    D_M = Mx ** 2 + Mz ** 2 + 2 * eps * Delta  # printed "M^2 + 2 ε Δ"
    printed = {  # X -> {component: (γ⁰ coefficient, γ¹ coefficient)}
        "sigma_x": {"x": (eps * Delta / D, 0), "y": (0, -Mz / D)},
        "sigma_y": {"y": (eps * Delta / D, 0), "x": (0, Mz / D)},
        "p_x/(alpha_R m_e)": {"y": (1, 0)},
        "p_y/(alpha_R m_e)": {"x": (-1, 0)},
        "sigma_z": {"z": (Mz ** 2 / D_M, 0)},
    }
    out = []
    for col, comps in printed.items():
        note, iss = (_M_NOTE, ("denominator-M",)) if col == "sigma_z" else (None, ())
        for comp in ("0", "x", "y", "z"):
            g0, g1 = comps.get(comp, (0, 0))
            out.append(_whole("C4", comp, col, g0 + g1 * gamma, 0, note, iss))
            # γ¹ = (2τ)⁻¹: the coefficient of τ⁻¹ is g1/2
            out.append(_piece("C4", comp, col, 0, 0, g0, note, iss))
            out.append(_piece("C4", comp, col, 0, -1, sympy.sympify(g1) / 2, note, iss))
    return out


def _eqC6() -> list[PrintedEntry]:
    """Eq. (C6a–c), L546–552: Γ^p = p/m, Γ^σ_z, Γ^σ_x, Γ^σ_y as Pauli components."""
    A = 1 + eps * Delta / (Mz ** 2 + eps * Delta)
    B = Mz / (Mz ** 2 + eps * Delta)  # times γ
    printed = {  # vertex -> {component: (γ⁰ coefficient, γ¹ coefficient)}
        "p_x": {"0": (p_x / m_e, 0)},
        "p_y": {"0": (p_y / m_e, 0)},
        "sigma_z": {"z": (1 + Mz ** 2 / (2 * eps * Delta), 0)},
        "sigma_x": {"x": (A, 0), "y": (0, -A * B)},
        "sigma_y": {"y": (A, 0), "x": (0, A * B)},
    }
    out = []
    for col, comps in printed.items():
        for comp in ("0", "x", "y", "z"):
            g0, g1 = comps.get(comp, (0, 0))
            out.append(_whole("C6", comp, col, g0 + g1 * gamma, 0))
            out.append(_piece("C6", comp, col, 0, 0, g0))
            out.append(_piece("C6", comp, col, 0, -1, sympy.sympify(g1) / 2))
    return out


def _eqC7() -> list[PrintedEntry]:
    """Eq. (C7a,b), L556–558: K^(0)_αx = e τ α_so m_e/(2π) δ_αy, K^(0)_αy = −e τ α_so m_e/(2π) δ_αx."""
    k = e_charge * tau * alpha_R * m_e / (2 * pi)
    vals = {("y", "x"): k, ("x", "y"): -k}
    out = []
    for r in "xyz":
        for c in "xy":
            v = vals.get((r, c), 0)
            out.append(_whole("C7", r, c, v, 0))
            out += _pieces("C7", r, c, {(0, 1): v / tau} if v != 0 else {}, tau0_ambiguous=v != 0)
    return out


def _eqK0bare() -> list[PrintedEntry]:
    """Bare K^bare,(0) at M_x = 0, the two lines printed after (C7), L562."""
    P = e_charge * alpha_R * m_e / (4 * pi)
    D = Mz ** 2 + 2 * eps * Delta
    T = 2 * (Mz ** 2 + eps * Delta) / D  # times τ
    printed = {  # (row, column) -> (τ¹ coefficient, τ⁰ coefficient)
        ("y", "x"): (P * T, 0), ("x", "x"): (0, -P * Mz / D),
        ("x", "y"): (-P * T, 0), ("y", "y"): (0, -P * Mz / D),
    }
    out = []
    for r in "xyz":
        for c in "xy":
            t1, t0 = printed.get((r, c), (0, 0))
            out.append(_whole("K0bare", r, c, t1 * tau + t0, 0))
            table = {k: v for k, v in {(0, 1): t1, (0, 0): t0}.items() if v != 0}
            out += _pieces("K0bare", r, c, table, tau0_ambiguous=t1 != 0)
    return out


def _eqC8a() -> list[PrintedEntry]:
    """Eq. (C8a), L576: K^bare,(1) = e α_so m_e M_z²/(4π(M_z² + 2εΔ)²) (0 0; 0 0; 1 M_z/γ)."""
    P = e_charge * alpha_R * m_e * Mz ** 2 / (4 * pi * (Mz ** 2 + 2 * eps * Delta) ** 2)
    out = []
    for r in "xyz":
        for c in "xy":
            if (r, c) == ("z", "x"):
                out.append(_whole("C8a", r, c, P, 1))
                out += _pieces("C8a", r, c, {(1, 0): P}, mx_orders=(1,))
            elif (r, c) == ("z", "y"):
                out.append(_whole("C8a", r, c, P * Mz / gamma, 1))
                out += _pieces("C8a", r, c, {(1, 1): P * 2 * Mz}, mx_orders=(1,), tau0_ambiguous=True)
            else:
                out.append(_whole("C8a", r, c, 0, 1))
                out += _pieces("C8a", r, c, {}, mx_orders=(1,))
    return out


def _eqC8b() -> list[PrintedEntry]:
    """Eq. (C8b), L578: K^bare,(2) = −e α_so m_e M_z/(4π(M_z² + 2εΔ)³) (…)."""
    P = -e_charge * alpha_R * m_e * Mz / (4 * pi * (Mz ** 2 + 2 * eps * Delta) ** 3)
    diag = 2 * eps * Delta - Mz ** 2
    out = []
    for r in "xyz":
        for c in "xy":
            if r == c:
                out.append(_whole("C8b", r, c, P * diag, 2))
                out += _pieces("C8b", r, c, {(2, 0): P * diag}, mx_orders=(2,))
            elif (r, c) == ("x", "y"):
                out.append(_whole("C8b", r, c, P * (Mz + eps * Delta) * Mz / gamma, 2, _DIM_NOTE,
                                  ("dimension",)))
                out.append(_piece("C8b", r, c, 2, 1, P * (Mz + eps * Delta) * Mz * 2, _DIM_NOTE,
                                  ("dimension",)))
                out.append(_piece("C8b", r, c, 2, 0, 0, _TAU0_NOTE, ("tau0-not-printed",)))
            elif (r, c) == ("y", "x"):
                out.append(_whole("C8b", r, c, P * (-eps * Delta * Mz / gamma), 2))
                out += _pieces("C8b", r, c, {(2, 1): P * (-eps * Delta * Mz) * 2}, mx_orders=(2,),
                               tau0_ambiguous=True)
            else:
                out.append(_whole("C8b", r, c, 0, 2))
                out += _pieces("C8b", r, c, {}, mx_orders=(2,))
    return out


def _eq16() -> list[PrintedEntry]:
    """Eq. (16), L172: K = (e α_so m_e/4π)(0 2τ; −2τ 0; 0 0), σ = (e²/2π) 2τ(ε + m_e α_R²) 1.

    K rows are x, y, z; the conductivity rows are ``sigma_x``, ``sigma_y`` with
    columns x, y (so ``get("16", "sigma_x", "x")`` is σ_xx).
    """
    P = e_charge * alpha_R * m_e / (4 * pi)
    Kv = {("x", "y"): P * 2 * tau, ("y", "x"): -P * 2 * tau}
    sig = e_charge ** 2 / (2 * pi) * 2 * tau * (eps + m_e * alpha_R ** 2)
    out = []
    for r in "xyz":
        for c in "xy":
            v = Kv.get((r, c), 0)
            out.append(_whole("16", r, c, v))
            out += _pieces("16", r, c, {(0, 1): v / tau} if v != 0 else {}, mx_orders=range(4),
                           tau0_ambiguous=v != 0)
    for r in "xy":
        for c in "xy":
            v = sig if r == c else 0
            out.append(_whole("16", "sigma_" + r, c, v))
            out += _pieces("16", "sigma_" + r, c, {(0, 1): v / tau} if v != 0 else {},
                           mx_orders=range(4), tau0_ambiguous=v != 0)
    return out


def _eq17() -> list[PrintedEntry]:
    """Eq. (17), L178: K_J = (a_J/κ)(0 1; −1 0; 0 0), a_J = α_so m_e κ/(2e(ε + m_e α_so²)).

    Row ``a_J`` (column ``None``) holds a_J itself.
    """
    aJ = alpha_R * m_e * kappa / (2 * e_charge * (eps + m_e * alpha_R ** 2))
    Kv = {("x", "y"): aJ / kappa, ("y", "x"): -aJ / kappa}
    out = []
    for r in "xyz":
        for c in "xy":
            v = Kv.get((r, c), 0)
            out.append(_whole("17", r, c, v))
            out += _pieces("17", r, c, {(0, 0): v}, mx_orders=range(4))
    out.append(_whole("17", "a_J", None, aJ))
    out += _pieces("17", "a_J", None, {(0, 0): aJ}, mx_orders=range(4))
    return out


_BUILDERS = {"15a": _eq15a, "15b": _eq15b, "C4": _eqC4, "C6": _eqC6, "C7": _eqC7,
             "K0bare": _eqK0bare, "C8a": _eqC8a, "C8b": _eqC8b, "16": _eq16, "17": _eq17}
_CACHE: dict[str, tuple[PrintedEntry, ...]] = {}


def _check_name(equation: str) -> str:
    if equation not in _BUILDERS:
        raise UnknownEquation(f"unknown equation {equation!r}; known: {', '.join(EQUATIONS)}")
    return equation


# ---------------------------------------------------------------- public access
def entries(equation: str) -> list[PrintedEntry]:
    """All records (whole entries and pieces) of one equation of :data:`EQUATIONS`.

    >>> len(whole_entries("15a")), len(entries("15a"))
    (6, 54)
    """
    eq = _check_name(equation)
    if eq not in _CACHE:
        _CACHE[eq] = tuple(_BUILDERS[eq]())
    return list(_CACHE[eq])


def whole_entries(equation: str) -> list[PrintedEntry]:
    """Only the whole printed entries (``tau_order is None``) of one equation."""
    return [e for e in entries(equation) if e.tau_order is None]


def _merge_notes(parts) -> tuple[str | None, frozenset]:
    notes = [p.note for p in parts if p.note]
    issues = frozenset().union(*(p.issues for p in parts)) if parts else frozenset()
    return ("; ".join(dict.fromkeys(notes)) or None), issues


def get(equation: str, row: str | None, column: str | None, mx_order: int | None = None,
        tau_order: int | None = None) -> PrintedEntry:
    """One record of ``equation`` at (``row``, ``column``).

    Without orders: the whole printed entry.  With ``mx_order`` and/or
    ``tau_order``: the printed coefficient of M_x^mx_order τ^tau_order; giving
    only one of them sums the printed pieces over the other (``expr`` then
    keeps the other variable, as :meth:`PrintedEntry.term` would).  Raises
    :class:`UnknownEquation` or :class:`NotPrinted` (both ``KeyError``).

    >>> get("15a", "x", "x", mx_order=2, tau_order=0).expr
    M_z*alpha_R*e*m_e*(-2*M_z**2/(M_z**2 + 2*alpha_R**2*m_e*varepsilon) + 1)/(4*pi*(M_z**2 + 2*alpha_R**2*m_e*varepsilon)**2)
    >>> get("16", "sigma_x", "x", mx_order=1).expr
    0
    """
    recs = [e for e in entries(equation) if e.row == row and e.column == column]
    where = f"Eq. ({equation}) [{row}, {column}]"
    if not recs:
        known = sorted({(e.row, e.column) for e in entries(equation)}, key=str)
        raise NotPrinted(f"{where}: no such entry; printed entries: "
                         + ", ".join(f"[{r}, {c}]" for r, c in known))
    whole = next(e for e in recs if e.tau_order is None)
    pieces = [e for e in recs if e.tau_order is not None]
    if mx_order is None and tau_order is None:
        return whole
    mx_known = sorted({e.mx_order for e in pieces})
    tau_known = sorted({e.tau_order for e in pieces}, reverse=True)
    if mx_order is not None and mx_order not in mx_known:
        raise NotPrinted(f"{where}: no printed M_x^{mx_order} term; printed orders: "
                         + ", ".join(map(str, mx_known)))
    if tau_order is not None and tau_order not in tau_known:
        raise NotPrinted(f"{where}: no printed tau^{tau_order} term; printed orders: "
                         + ", ".join(map(str, tau_known)))
    if mx_order is not None and tau_order is not None:
        return next(e for e in pieces if e.mx_order == mx_order and e.tau_order == tau_order)
    if tau_order is None:  # coefficient of M_x^k, summed over the printed τ orders
        if whole.mx_order == mx_order:
            return whole
        sel = [e for e in pieces if e.mx_order == mx_order]
        expr = sympy.Add(*(e.expr * tau ** e.tau_order for e in sel))
        note, issues = _merge_notes(sel)
        return PrintedEntry(equation, row, column, mx_order, None, expr, note, issues)
    sel = [e for e in pieces if e.tau_order == tau_order]  # coefficient of τ^j, summed over M_x
    k0 = whole.mx_order
    expr = sympy.Add(*(e.expr * Mx ** (e.mx_order - (k0 or 0)) for e in sel))
    note, issues = _merge_notes(sel)
    return PrintedEntry(equation, row, column, k0, tau_order, expr, note, issues)


def to_tau(expr) -> sympy.Expr:
    """Rewrite γ as 1/2τ (the paper's γ = 1/2τ, L512).

    >>> to_tau(Mz / gamma)
    2*M_z*tau
    """
    return sympy.sympify(expr).subs(gamma, 1 / (2 * tau))


def canonical(expr) -> sympy.Expr:
    """Rewrite in the independent variables of :class:`~streda.integrals.model.RashbaModel`:
    τ → 1/2γ and α_R → √(Δ/m_e) (Δ = m_e α_R²), so that printed forms that
    write m_e α_R² (Eq. 15, 16) and Δ (Appendix C) can be compared.

    >>> canonical(Delta_S)
    sqrt(2*Delta*varepsilon + M_z**2)
    """
    return sympy.sympify(expr).subs({tau: 1 / (2 * gamma), alpha_R: sqrt(Delta / m_e)})
