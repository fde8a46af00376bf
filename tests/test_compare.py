"""The comparator: agrees / differs / not-comparable, with the traps found in review."""
import sympy

from streda.verify.compare import AGREES, DIFFERS, NOT_COMPARABLE, compare_expressions, summarize

x, y, k1, k2 = sympy.symbols("x y kappa_1 kappa_2", positive=True)


def test_exact_agreement_and_difference():
    assert compare_expressions((x + y) ** 2, x ** 2 + 2 * x * y + y ** 2, equation="t").status == AGREES
    c = compare_expressions(x * (1 + y), x, equation="t")
    assert c.status == DIFFERS and "x=" in c.reason


def test_symbol_cancelling_in_the_difference_is_still_sampled():
    # review finding: kappa_1 cancels in computed - printed; the scale needs a value for it
    c = compare_expressions(k1 - k2 * x ** 2, k1 - 9 * k2 * x ** 2 / 10, equation="t", simplify=False)
    assert c.status == DIFFERS


def test_numeric_agreement_when_simplify_is_off():
    c = compare_expressions(sympy.sin(x) ** 2 + sympy.cos(x) ** 2, 1, equation="t", simplify=False)
    assert c.status == AGREES and "numeric" in c.reason


def test_nothing_evaluable_is_not_an_agreement():
    # every sampled point gives a non-finite value: undecided, never 'agrees'
    c = compare_expressions(sympy.zoo * x, sympy.zoo * y, equation="t", simplify=False)
    assert c.status in (NOT_COMPARABLE, DIFFERS)
    assert c.status != AGREES


def test_summarize_counts():
    recs = [compare_expressions(x, x, equation="t"), compare_expressions(x, 2 * x, equation="t")]
    assert summarize(recs) == {AGREES: 1, DIFFERS: 1, NOT_COMPARABLE: 0}


# ----------------------------------------------------------------- tolerance boundary
# The comparator samples at dps = 40 digits and calls a relative difference above
# 10^-(dps/2) = 1e-20 a disagreement.  A printed coefficient off by one part in a million
# is a real finding; a difference at the 25th digit is rounding.

def test_relative_change_of_1e_6_differs():
    c = compare_expressions(x * y, x * y * (1 + sympy.Rational(1, 10 ** 6)), equation="t", simplify=False)
    assert c.status == DIFFERS
    assert "relative difference 9.99999" in c.reason           # the size of the difference is reported


def test_relative_change_of_1e_12_differs():
    c = compare_expressions(x + y, (x + y) * (1 + sympy.Rational(1, 10 ** 12)), equation="t", simplify=False)
    assert c.status == DIFFERS


def test_relative_change_of_1e_25_agrees_numerically():
    c = compare_expressions(x * y, x * y * (1 + sympy.Rational(1, 10 ** 25)), equation="t", simplify=False)
    assert c.status == AGREES and "numeric" in c.reason
