"""The printed coefficients: :func:`streda.integrals.expansion.simplify_rational` against
``sympy.simplify`` itself, expression for expression (``srepr``: the same tree, so the same
printed text, signs and term order included).

The coefficients are the γ-expansion coefficients of every non-zero bare K and σ entry,
M_x orders 0..3, γ⁻¹..γ², in the paper's variables (ε, Δ, M_z), i.e. what ``streda tensor``
and ``streda compare`` print; a third of them again, simplified and multiplied by a physical
factor (as ``verify.tensors.coefficient`` has them); and a few hand-made rational expressions
with radicals, i and π.
Expressions outside the rational class (a function, a float) go to ``sympy.simplify``.

Negative control: the cheaper ``factor_terms(cancel(x))`` (a former candidate) gives the same
values but different trees on some of these coefficients; the comparison must see that.
"""
from __future__ import annotations

import pytest
import sympy

from streda.integrals import kubo
from streda.integrals import model as M
from streda.integrals.expansion import LAM, gamma_series, simplify_rational

A_S, M_S = sympy.Symbol("a"), sympy.Symbol("M")


def _paper_variables(c):
    sub = {LAM: sympy.sqrt(M.lambda2()), A_S: sympy.sqrt(M.Delta), M_S: M.Mz}
    return c.subs(sub)


@pytest.fixture(scope="module")
def coefficients():
    from streda.verify.tensors import reduced_total

    out = []
    for kind in ("K", "sigma"):
        for k in (0, 1, 2, 3):
            for r in kubo.ROWS[kind]:
                for c in kubo.COLS:
                    v = reduced_total(kind, k, r, c)
                    if not v.is_zero():
                        out += [_paper_variables(x) for x in gamma_series(v, 2).values()]
    # and what ``verify.tensors.coefficient`` simplifies: a printed coefficient times the
    # physical factor (e, π, m_e, powers of 1/2)
    out += [sympy.simplify(x) * kubo.physical_factor(kind) / 2 ** j
            for j, kind, x in zip((0, 1, -1) * len(out), ("K", "sigma") * len(out), out[::3])]
    return list(dict.fromkeys(out))            # distinct, in a fixed order


def _hand_made():
    x, y, z = sympy.symbols("x y z", positive=True)
    u = sympy.Symbol("u")
    r = sympy.sqrt(x ** 2 + y)
    return [
        (x ** 2 - y ** 2) / (x - y) + sympy.sqrt(x) * (1 / x - 1),
        -2 * u / ((x - r) * (x + r)),
        (u - 1) ** 3 / (1 - u) ** 2 + sympy.I * z / (2 * sympy.pi * (z ** 2 - 1)),
        -(x * y - 1) / (1 - x * y) ** 2,
        sympy.sqrt(x) * (x + r) ** 2 / (x ** 2 - r ** 2),
        u, sympy.Integer(3) / 7, sympy.S.Zero,
    ]


def test_same_trees_as_simplify_on_the_printed_coefficients(coefficients):
    assert len(coefficients) >= 40
    differ = [c for c in coefficients if sympy.srepr(simplify_rational(c)) != sympy.srepr(sympy.simplify(c))]
    assert differ == []


@pytest.mark.parametrize("i", range(len(_hand_made())))
def test_same_trees_as_simplify_on_hand_made_rational_expressions(i):
    e = _hand_made()[i]
    assert sympy.srepr(simplify_rational(e)) == sympy.srepr(sympy.simplify(e))


@pytest.mark.parametrize("e", [sympy.sin(sympy.Symbol("x")) ** 2 + sympy.cos(sympy.Symbol("x")) ** 2,
                               sympy.Float("0.5") * sympy.Symbol("x") + sympy.Symbol("x") / 2,
                               sympy.log(sympy.Symbol("x", positive=True) ** 2) / sympy.Symbol("y")])
def test_other_expressions_go_to_simplify(e):
    assert sympy.srepr(simplify_rational(e)) == sympy.srepr(sympy.simplify(e))


def test_control_a_cheaper_form_is_seen_to_differ(coefficients):
    """factor_terms(cancel(x)) equals simplify's result as a value on every coefficient, yet
    its tree differs on some (signs placed elsewhere): the srepr comparison detects that."""
    cheap = [sympy.factor_terms(sympy.cancel(c)) for c in coefficients]
    assert all(sympy.cancel(a - sympy.simplify(c)) == 0 for a, c in zip(cheap, coefficients))
    assert any(sympy.srepr(a) != sympy.srepr(sympy.simplify(c)) for a, c in zip(cheap, coefficients))


def test_another_sympy_release_goes_to_simplify(monkeypatch):
    """The transcription is of one sympy release; under any other, sympy.simplify decides."""
    from streda.integrals import expansion

    x = sympy.Symbol("x")
    calls = []
    monkeypatch.setattr(sympy, "simplify", lambda e: calls.append(e) or e)
    monkeypatch.setattr(expansion, "_SIMPLIFY_FROM", "0.0")
    simplify_rational((x ** 2 - 1) / (x - 1))
    assert len(calls) == 1
    monkeypatch.setattr(expansion, "_SIMPLIFY_FROM", sympy.__version__)      # control
    assert simplify_rational((x ** 2 - 1) / (x - 1)) == x + 1 and len(calls) == 1
