"""Verdict semantics: a dimensionally inconsistent print is a wrong print (DIFFERS), not
"not comparable"; "not comparable" stays for prints that make no comparable statement.

The dimensions are those of the paper (hbar = 1): ε, Δ, M, γ energies, τ an inverse
energy, α_R = √(Δ/m_e).  The checks below use them independently of the engine:
every entry the paper prints for the bare tensors must have one dimension, the same
as the regenerated coefficient; only the C8b typo breaks that.
"""
import json

import sympy

from streda.integrals import model as M
from streda.verify.cli import main
from streda.verify.compare import (AGREES, DIFFERS, NOT_COMPARABLE, compare_expressions, dimension,
                                   dimension_error, not_comparable)

eps, Delta, Mz, gamma, tau = M.eps, M.Delta, M.Mz, M.gamma, M.tau


def test_dimension_of_the_paper_quantities():
    E = (1, 0, 0)
    assert dimension(Mz ** 2 + 2 * eps * Delta) == (2, 0, 0)
    assert dimension(sympy.sqrt(Mz ** 2 + 2 * eps * Delta)) == E           # Δ_S is an energy
    assert dimension(gamma * tau) == (0, 0, 0)                              # γ = 1/2τ
    assert dimension(M.alpha_R ** 2 * M.m_e) == E                           # α_R² m_e = Δ
    assert dimension(sympy.Symbol("kappa") + Mz) is None                    # unknown: no verdict


def test_inconsistent_sums_are_named():
    assert "energy²" in dimension_error(Mz + eps * Delta)
    assert dimension_error(sympy.exp(Mz)) is None                # unknown, not judged wrong
    assert dimension_error(Mz + gamma + eps) is None             # all energies: consistent
    assert dimension_error(Mz + 1 / tau) is None
    assert dimension_error(Mz + tau) is not None                 # negative control: energy + 1/energy


def test_a_dimensionally_wrong_print_differs_even_if_it_agrees_numerically_somewhere():
    computed = Mz * (Mz ** 2 + eps * Delta)
    wrong = Mz * (Mz + eps * Delta)                    # the C8b pattern
    c = compare_expressions(computed, wrong, equation="t")
    assert c.status == DIFFERS and "dimensionally inconsistent" in c.reason
    assert c.computed == sympy.sstr(computed)
    # negative control: the consistent print of the same quantity agrees
    assert compare_expressions(computed, Mz ** 3 + Mz * eps * Delta, equation="t").status == AGREES


def test_not_comparable_is_kept_for_prints_without_a_comparable_statement():
    r = not_comparable(Mz, Mz + gamma, equation="t", reason="truncation order unclear")
    assert r.status == NOT_COMPARABLE and r.reason == "truncation order unclear"
    r = not_comparable(Mz ** 2, Mz + eps * Delta, equation="t", reason="L578")
    assert r.status == DIFFERS and "L578" in r.reason and r.computed == "M_z**2"


def test_every_printed_bare_entry_but_the_c8b_typo_is_dimensionally_consistent():
    from streda.verify.printed import tensors as T

    bad = {(eq, e.row, e.column) for eq in T.EQUATIONS for e in T.entries(eq) if dimension_error(e.expr)}
    assert bad == {("C8b", "x", "y")}


def test_compare_c8b_reports_the_xy_entry_as_differs(tmp_path):
    out = tmp_path / "c8b.json"
    main(["compare", "C8b", "--json", str(out)])
    recs = json.loads(out.read_text())["records"]
    xy = [r for r in recs if (r["row"], r["column"]) == ("x", "y") and r["tau_order"] == 1]
    assert xy and all(r["status"] == DIFFERS for r in xy)
    assert "dimensionally inconsistent" in xy[0]["reason"] and xy[0]["computed"] not in ("", "0")
    assert not any(r["status"] == NOT_COMPARABLE for r in recs)
