"""Regenerate the bare tensors of Eq. (15a), (15b), (C8a), (C8b) and the bare K^(0)
printed after (C7), and judge the printed entries.

For each entry and each order k of the M_x expansion the engine computes the
exact (in γ) reduced value 2·RA − RR − AA of the bare bubbles
(:func:`streda.integrals.kubo.tensor_order`), expands it in γ
(:func:`streda.integrals.expansion.gamma_series`) and converts γ^j to τ^−j.
The coefficient c_kj of M_x^k τ^j is compared with the printed piece
(:mod:`streda.verify.printed.tensors`) by :func:`streda.verify.compare.compare_expressions`.
Printed entries with a ``note`` (ambiguous truncation, dimensional problem)
are reported NOT COMPARABLE with that reason, the computed value alongside.

Normalisation: Eq. (9) is e/8π (2RA − RR − AA); Appendix C writes e/4π RA.  The two
agree for K because RR = AA = 0 over the whole ξ axis (checked, not assumed:
the RR and AA parts are computed and their vanishing is reported).

>>> coefficient("K", 1, "z", "y", 1)           # the tau^1 part of K^bare,(1)_zy (cf. Eq. C8a)
sqrt(Delta)*M_z**3*e*sqrt(m_e)/(2*pi*(4*Delta**2*varepsilon**2 + 4*Delta*M_z**2*varepsilon + M_z**4))
"""
from __future__ import annotations

from functools import lru_cache

import sympy

from streda.integrals import evaluate as ev
from streda.integrals import kubo
from streda.integrals import model as M
from streda.integrals import expansion
from streda.integrals.expansion import gamma_series, series_to_sympy

from .compare import Comparison, compare_expressions, not_comparable
from .printed import tensors as printed

__all__ = ["reduced_total", "coefficient", "regenerate", "compare_bare", "BARE_EQUATIONS",
           "to_paper_variables",
           "rr_aa_report", "DOMAIN"]

BARE_EQUATIONS = ("15a", "15b", "K0bare", "C8a", "C8b")

#: sampling domain for comparisons: ε above the band threshold, all energies O(1)
DOMAIN = {
    M.eps: (sympy.Rational(3, 2), sympy.Integer(3)),
    M.Mz: (sympy.Rational(-1), sympy.Integer(1)),
    M.Delta: (sympy.Rational(1, 5), sympy.Integer(1)),
    M.gamma: (sympy.Rational(1, 100), sympy.Rational(1, 10)),
}


@lru_cache(maxsize=None)
def _tensor(kind: str, order: int):
    return kubo.tensor_order(kind, order, ev.exact_backend())


def reduced_total(kind: str, order: int, row: str, col: str, part: str = "total"):
    """Exact reduced value of one entry: 2RA − RR − AA (``part='total'``) or one part."""
    e = _tensor(kind, order)[(row, col)]
    if part != "total":
        return e[part]
    return e["RA"] + e["RA"] - e["RR"] - e["AA"]


@lru_cache(maxsize=None)
def coefficient(kind: str, order: int, row: str, col: str, tau_order: int) -> sympy.Expr:
    """Coefficient of M_x^order τ^tau_order of the physical entry (symbols of the model)."""
    val = reduced_total(kind, order, row, col)
    if val.is_zero():
        return sympy.Integer(0)
    j = -tau_order                                    # τ^k  <->  γ^-k, γ = 1/2τ
    ser = series_to_sympy(gamma_series(val, max(j, 0)))
    c = ser.get(j, sympy.Integer(0)) * sympy.Rational(1, 2) ** j
    return expansion.simplify_rational(c * kubo.physical_factor(kind))     # = sympy.simplify


def regenerate(kind: str, max_order: int, tau_orders=(1, 0)) -> dict:
    """{(row, col, k, j): coefficient} for k = 0..max_order."""
    return {(r, c, k, j): coefficient(kind, k, r, c, j)
            for k in range(max_order + 1) for r in kubo.ROWS[kind] for c in kubo.COLS for j in tau_orders}


def to_paper_variables(expr, mx_order: int) -> sympy.Expr:
    """Re-express the coefficient of M_x^k in the paper's variables (Eq. 15): the term
    c·M_x^k with Δ_S = √(M_z² + 2εΔ), μ_z = M_z/Δ_S, μ_x = M_x/Δ_S, i.e.
    ε → (Δ_S²(1 − μ_z²))/(2Δ), M_z → μ_z Δ_S, M_x^k → μ_x^k Δ_S^k.

    >>> to_paper_variables(M.Mz / (2 * M.Delta * M.eps + M.Mz ** 2), 0)
    mu_z/Delta_S
    """
    DS, mz, mx = sympy.symbols("Delta_S mu_z mu_x", positive=True)
    e = sympy.sympify(expr).subs({M.eps: DS ** 2 * (1 - mz ** 2) / (2 * M.Delta), M.Mz: mz * DS})
    return sympy.factor(expansion.simplify_rational(e * mx ** mx_order * DS ** mx_order))


def _kind_of(eq: str) -> str:
    return "sigma" if eq == "15b" else "K"


def rr_aa_report(kind: str, max_order: int) -> list[dict]:
    """Which RR/AA parts vanish exactly (they are kept, not dropped)."""
    out = []
    for k in range(max_order + 1):
        for (r, c), e in _tensor(kind, k).items():
            for part in ("RR", "AA"):
                out.append({"kind": kind, "mx_order": k, "row": r, "column": c, "part": part,
                            "exactly_zero": e[part].is_zero()})
    return out


def compare_bare(equation: str) -> list[Comparison]:
    """Compare every printed piece of ``equation`` with the regenerated coefficient."""
    kind = _kind_of(equation)
    out = []
    for ent in printed.entries(equation):
        if ent.tau_order is None and ent.mx_order is None:
            continue                      # whole records of multi-order equations: pieces compared
        if ent.tau_order is None:
            continue
        k = ent.mx_order
        row = ent.row.replace("sigma_", "") if ent.row else ent.row
        computed = coefficient(kind, k, row, ent.column, ent.tau_order)
        where = dict(equation=equation, row=ent.row, column=ent.column, mx_order=k,
                     tau_order=ent.tau_order)
        if not ent.comparable:
            if "tau0-not-printed" in ent.issues and computed == 0:
                out.append(compare_expressions(computed, 0, **where))
                out[-1].reason = ("exact: the computed tau^0 part is exactly 0, consistent with its "
                                  "absence from the printed entry")
                continue
            out.append(not_comparable(computed, ent.expr, reason=ent.note, **where))
            continue
        out.append(compare_expressions(computed, printed.canonical(ent.expr), domain=DOMAIN, **where))
    return out
