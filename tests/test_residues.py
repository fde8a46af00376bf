"""Residues with known denominators (:mod:`streda.integrals.residues`) against sympy.

Second method: :func:`sympy.residue` (Laurent series) on random rational
functions with rational poles of orders 1..4 (fixed seed), and the derivative
formula Res_P f = 1/(A−1)! d^{A−1}/dη^{A−1} [(η−P)^A f] at P for symbolic poles.
The engine's :func:`scaled_residue` returns Res_P f · Π_j (P − c_j)^{b_j + A − 1};
the tests undo the scaling (and once, by hand, on paper).  Negative controls:
a perturbed numerator coefficient, a wrong pole order and a forgotten scaling
must all be detected by the same comparison.
"""
from __future__ import annotations

import random
from fractions import Fraction as F

import flint
import pytest
import sympy

from streda.integrals.residues import leading_tail, scaled_inverse_series, scaled_residue, taylor_shift

ETA, H = sympy.symbols("eta h")
SEED = 20240611


def rand_q(rng: random.Random, lo=-9, hi=9) -> F:
    den = rng.randint(1, 5)
    return F(rng.randint(lo, hi), den)


def random_case(rng: random.Random, A: int):
    """(numerator coeffs, P, others [(c_j, b_j)], A) with distinct rational poles."""
    n_others = rng.randint(0, 3)
    poles = set()
    while len(poles) < n_others + 1:
        poles.add(rand_q(rng))
    P, *cs = sorted(poles, key=lambda q: (rng.random(), q))
    others = [(c, rng.randint(1, 3)) for c in cs]
    deg = rng.randint(0, 5)
    coeffs = {k: rand_q(rng) for k in range(deg + 1)}
    coeffs[deg] = coeffs[deg] or F(1)
    return coeffs, P, others, A


def as_sympy(coeffs, P, others, A):
    num = sum(sympy.Rational(v.numerator, v.denominator) * ETA ** k for k, v in coeffs.items())
    den = (ETA - sympy.Rational(P.numerator, P.denominator)) ** A
    for c, b in others:
        den *= (ETA - sympy.Rational(c.numerator, c.denominator)) ** b
    return num / den


def scale_of(P, others, A) -> F:
    out = F(1)
    for c, b in others:
        out *= (P - c) ** (b + A - 1)
    return out


def engine_residue(coeffs, P, others, A) -> F:
    """The residue from the engine, with its scaling undone."""
    return scaled_residue(coeffs, P, others, A, zero=F(0), one=F(1)) / scale_of(P, others, A)


CASES = [random_case(random.Random(SEED + 10 * A + j), A) for A in range(1, 5) for j in range(6)]


@pytest.mark.parametrize("case", CASES, ids=[f"A{c[3]}-{j % 6}" for j, c in enumerate(CASES)])
def test_residue_against_sympy(case):
    coeffs, P, others, A = case
    want = sympy.residue(as_sympy(*case), ETA, sympy.Rational(P.numerator, P.denominator))
    got = engine_residue(*case)
    assert sympy.Rational(got.numerator, got.denominator) == want


@pytest.mark.parametrize("case", CASES[::5], ids=lambda c: f"A{c[3]}")
def test_difference_form_and_flint_ring(case):
    """Passing d_j = P − c_j directly, and running in FLINT's fmpq, gives the same number."""
    coeffs, P, others, A = case
    ref = scaled_residue(coeffs, P, others, A, zero=F(0), one=F(1))
    diff = scaled_residue(coeffs, P, [(P - c, b, True) for c, b in others], A, zero=F(0), one=F(1))
    q = lambda x: flint.fmpq(x.numerator, x.denominator)  # noqa: E731
    fl = scaled_residue({k: q(v) for k, v in coeffs.items()}, q(P), [(q(c), b) for c, b in others], A,
                        zero=flint.fmpq(0), one=flint.fmpq(1))
    assert ref == diff
    assert fl == q(ref)


def test_by_hand():
    """Res_{η=2} η²/((η−2)³(η+1)²) worked on paper.

    g(η) = η²/(η+1)² = 1 − 2/(η+1) + 1/(η+1)², g'' = −4/(η+1)³ + 6/(η+1)⁴,
    Res = g''(2)/2! = (−4/27 + 6/81)/2 = −1/27.  The engine's scaling is
    (2 − (−1))^{2+3−1} = 3⁴ = 81, so scaled_residue must return −81/27 = −3.
    """
    coeffs = {2: F(1)}
    assert scaled_residue(coeffs, F(2), [(F(-1), 2)], 3, zero=F(0), one=F(1)) == F(-3)
    assert engine_residue(coeffs, F(2), [(F(-1), 2)], 3) == F(-1, 27)


def test_symbolic_poles_stay_polynomial():
    """Generic symbolic P, c_1, c_2: the scaled residue is a polynomial (nothing divides) and
    equals the derivative formula times the scaling."""
    Ps, c1, c2 = sympy.symbols("P c1 c2")
    coeffs = {0: sympy.Integer(3), 1: sympy.Integer(-2), 3: sympy.Integer(5)}
    num = sum(v * ETA ** k for k, v in coeffs.items())
    for A, b1, b2 in [(1, 1, 2), (2, 1, 1), (3, 2, 1), (4, 1, 3)]:
        got = scaled_residue(coeffs, Ps, [(c1, b1), (c2, b2)], A, zero=sympy.Integer(0), one=sympy.Integer(1))
        got = sympy.expand(got)
        assert sympy.Poly(got, Ps, c1, c2).as_expr() == got         # a polynomial
        g = num / ((ETA - c1) ** b1 * (ETA - c2) ** b2)
        res = sympy.diff(g, ETA, A - 1).subs(ETA, Ps) / sympy.factorial(A - 1)
        scale = (Ps - c1) ** (b1 + A - 1) * (Ps - c2) ** (b2 + A - 1)
        assert sympy.cancel(got - res * scale) == 0


@pytest.mark.parametrize("seed", range(6))
def test_taylor_shift(seed):
    rng = random.Random(SEED + seed)
    deg = rng.randint(0, 6)
    coeffs = {k: rand_q(rng) for k in range(deg + 1) if rng.random() < 0.8}
    P = rand_q(rng)
    order = rng.randint(1, deg + 3)                 # sometimes beyond the degree: trailing zeros
    num = sympy.Integer(0) + sum(sympy.Rational(v.numerator, v.denominator) * ETA ** k for k, v in coeffs.items())
    shifted = sympy.Poly(sympy.expand(num.subs(ETA, sympy.Rational(P.numerator, P.denominator) + H)), H)
    want = [shifted.coeff_monomial(H ** k) for k in range(order)]
    got = taylor_shift(coeffs, P, order, F(0))
    assert [sympy.Rational(g.numerator, g.denominator) for g in got] == want


def test_taylor_shift_empty():
    assert taylor_shift({}, F(3), 3, F(0)) == [F(0)] * 3


@pytest.mark.parametrize("b,order", [(1, 1), (1, 4), (2, 3), (3, 5), (4, 2)])
def test_scaled_inverse_series(b, order):
    d = sympy.Symbol("d", positive=True)
    ser = sympy.series(d ** (b + order - 1) * (d + H) ** (-b), H, 0, order).removeO()
    want = [sympy.expand(ser.coeff(H, k)) for k in range(order)]
    got = scaled_inverse_series(d, b, order, sympy.Integer(1))
    assert [sympy.expand(g) for g in got] == want


@pytest.mark.parametrize("seed", range(5))
def test_leading_tail(seed):
    """decay = deg D − deg N and c = lim η^decay N/D for a monic D (sympy limit)."""
    rng = random.Random(SEED + 100 + seed)
    den_deg = rng.randint(1, 6)
    deg = rng.randint(0, den_deg + 1)
    coeffs = {k: rand_q(rng) for k in range(deg)}
    coeffs[deg] = F(rng.choice([-3, -1, 2, 5]), rng.randint(1, 4))
    D = ETA ** den_deg + sum(rng.randint(-3, 3) * ETA ** k for k in range(den_deg))
    num = sum(sympy.Rational(v.numerator, v.denominator) * ETA ** k for k, v in coeffs.items())
    decay, c = leading_tail(coeffs, den_deg, F(0))
    assert decay == den_deg - deg
    assert sympy.limit(ETA ** decay * num / D, ETA, sympy.oo) == sympy.Rational(c.numerator, c.denominator)


def test_leading_tail_of_zero():
    assert leading_tail({}, 4, 0)[0] > 10 ** 6
    assert leading_tail({0: 0, 1: 0}, 4, 0)[0] > 10 ** 6


# ------------------------------------------------------------------ negative controls

def test_control_perturbed_numerator_is_detected():
    coeffs, P, others, A = CASES[-1]                  # an order-4 pole
    want = sympy.residue(as_sympy(coeffs, P, others, A), ETA, sympy.Rational(P.numerator, P.denominator))
    bad = dict(coeffs)
    bad[0] = bad.get(0, F(0)) + F(1, 1000)
    got = engine_residue(bad, P, others, A)
    assert sympy.Rational(got.numerator, got.denominator) != want


def test_control_wrong_order_is_detected():
    coeffs, P, others, A = CASES[-1]
    want = sympy.residue(as_sympy(coeffs, P, others, A), ETA, sympy.Rational(P.numerator, P.denominator))
    got = engine_residue(coeffs, P, others, A - 1)
    assert sympy.Rational(got.numerator, got.denominator) != want


def test_control_forgotten_scaling_is_detected():
    coeffs, P, others, A = next(c for c in CASES if c[2] and c[3] > 1)
    want = sympy.residue(as_sympy(coeffs, P, others, A), ETA, sympy.Rational(P.numerator, P.denominator))
    raw = scaled_residue(coeffs, P, others, A, zero=F(0), one=F(1))
    assert scale_of(P, others, A) != 1
    assert sympy.Rational(raw.numerator, raw.denominator) != want
