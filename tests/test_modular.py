"""The modular probabilistic identity test (:mod:`streda.integrals.modular`, ``pn --method modular``).

Independent references:

* **the exact engine**: ``ExactBackend`` values (rational functions over ℤ, contour closed on
  the cheaper side, residues combined over known denominators) reduced modulo p at the same
  point must equal the modular values -- a second arithmetic, a second residue bookkeeping;
* **Eq. (C9)** for the verdicts (P^(n) = 0 for n ≥ 1, P^(0) ≠ 0), with the bare-velocity and
  spin-dependent controls as the failing cases;
* **the degree bound** against the true degree: the numerator of the exact value, reduced to
  lowest terms by a FLINT gcd, has total degree at most the bound (any representation N'/D' of
  F = N/D has deg N' ≥ deg N);
* primality of the drawn moduli by sympy (a second implementation).
"""
from __future__ import annotations

import json
import random

import flint
import pytest
import sympy

from streda.integrals import evaluate as ev
from streda.integrals.modular import (ModularBackend, degree_bound, error_bound, modular_test,
                                      random_prime)
from streda.integrals.bubble import integrate_sum
from streda.integrals.word import parse_word
from streda.verify import pn
from streda.verify.cli import main


def _mod_eval(poly, names, point: dict, p: int) -> int:
    """An fmpz_mpoly at a point of GF(p), term by term with Python integers."""
    vals = [point.get(n, 0) for n in names]
    acc = 0
    for mon, c in poly.to_dict().items():
        t = int(c) % p
        for v, e in zip(vals, mon):
            if e:
                t = t * pow(v, int(e), p) % p
        acc += t
    return acc % p


def _kfrac_mod(F, point: dict, p: int) -> int:
    """A KFrac c·num/Π forms^e at a point of GF(p) (None if a form vanishes there)."""
    if F is None or F.is_zero():
        return 0
    names = F.B.names
    den = int(F.c.q) % p
    for k, e in F.den.items():
        den = den * pow(_mod_eval(F.B.form(k), names, point, p), e, p) % p
    if den == 0:
        return None
    return int(F.c.p) * _mod_eval(F.num, names, point, p) * pow(den, -1, p) % p


WORDS = [("GR px GA", False), ("GR sx GR vx GA", False), ("GR vx GA sx GA sz GA", False),
         ("GR GR px GA", False), ("GR sx GR px GA", True), ("GA sy GR", False)]


@pytest.mark.parametrize("text,sd", WORDS)
def test_modular_values_equal_exact_values_mod_p(text, sd):
    terms = [(parse_word(text), 1)]
    exact = ev.evaluate(terms, "exact", spin_dependent=sd)
    rng = random.Random(7)
    p = random_prime(rng)
    pt = {n: rng.randrange(p) for n in ("s", "t", "a", "M", "N")}
    if not sd:
        pt["N"] = pt["M"]
    B = ModularBackend(p, pt["s"], pt["t"], pt["a"], pt["M"], pt["N"] if sd else None)
    got = integrate_sum(terms, B)
    nonzero = 0
    for lab, v in exact.items():
        want = (_kfrac_mod(v.re, pt, p), _kfrac_mod(v.im, pt, p))
        have = (int(got[lab].re) if got[lab].re is not None else 0,
                int(got[lab].im) if got[lab].im is not None else 0)
        assert want == have, (text, lab)
        nonzero += want != (0, 0)
    assert nonzero, "a test word whose value is zero checks nothing"


def test_a_wrong_value_is_detected_by_the_comparison():
    """Control for the test above: the modular value of a different word does not match."""
    rng = random.Random(7)
    p = random_prime(rng)
    pt = {n: rng.randrange(p) for n in ("s", "t", "a", "M")}
    exact = ev.evaluate([(parse_word("GR px GA"), 1)], "exact")["y"]
    B = ModularBackend(p, pt["s"], pt["t"], pt["a"], pt["M"])
    other = integrate_sum([(parse_word("GR py GA"), 1)], B)["y"]
    assert (_kfrac_mod(exact.re, pt, p), _kfrac_mod(exact.im, pt, p)) != \
        (int(other.re) if other.re is not None else 0, int(other.im) if other.im is not None else 0)


@pytest.mark.parametrize("n", [1, 2, 3, 4])
@pytest.mark.parametrize("comp", ["x", "y"])
def test_pn_modular_agrees_with_exact_verdicts(n, comp):
    assert pn.pn_modular(n, comp).is_zero is True
    assert pn.pn_exact(n, comp).is_zero is True


@pytest.mark.parametrize("n", [1, 2, 3, 6, 30])
def test_controls_are_nonzero(n):
    """Negative controls of Eq. (C9): the bare velocity and a spin-dependent self-energy."""
    bare = [pn.pn_modular(n, c, vertex="bare").to_json() for c in "xy"]
    spin = [pn.pn_modular(n, c, gamma_z=1).to_json() for c in "xy"]
    assert pn.orders_as_expected(bare) and not all(r["is_zero"] for r in bare)
    assert pn.orders_as_expected(spin) and not all(r["is_zero"] for r in spin)


def test_p0_is_nonzero_and_high_order_is_zero():
    assert pn.pn_modular(0, "x").is_zero is False
    assert pn.pn_modular(40, "y").is_zero is True


@pytest.mark.parametrize("text,comp,sd", [("GR sx GR vx GA", "z", False), ("GR vx GA sx GA sz GA", "x", False),
                                          ("GR sx GR px GA sx GA", "y", True)])
def test_degree_bound_covers_the_true_numerator_degree(text, comp, sd):
    terms = [(parse_word(text), 1)]
    v = ev.evaluate(terms, "exact", components=(comp,), spin_dependent=sd)[comp]
    b = degree_bound(terms, spin_dependent=sd, components=(comp,))
    for F in (v.re, v.im):
        if F is None or F.is_zero():
            continue
        den = F.B.one
        for k, e in F.den.items():
            den = den * F.B.form(k) ** e
        g = F.num.gcd(den)
        num = F.num / g
        assert 0 < num.total_degree() <= b.numerator
        assert (den / g).total_degree() <= b.denominator


def test_error_bound_and_seed_are_recorded_and_deterministic():
    a = pn.pn_modular(5, "x", seed=3).to_json()
    b = pn.pn_modular(5, "x", seed=3).to_json()
    c = pn.pn_modular(5, "x", seed=4).to_json()
    a.pop("seconds"), b.pop("seconds"), c.pop("seconds")
    assert a == b and a["extra"]["primes"] != c["extra"]["primes"]
    assert a["extra"]["seed"] == 3 and a["extra"]["proof"] is False
    assert "probabilistic identity test" in a["certificate"] and "not a proof" in a["certificate"]
    bound = degree_bound(pn.pn_terms(5, "x"))
    per = error_bound(bound, a["extra"]["primes"][0])
    assert bound.numerator / 2 ** 62 < per < 1e-12
    assert a["extra"]["error_bound"] <= a["extra"]["error_bound_per_point"] ** 2 * 1.01


def test_random_primes_are_prime_and_62_bit():
    rng = random.Random(11)
    for _ in range(5):
        p = random_prime(rng)
        assert sympy.isprime(p) and p.bit_length() == 62


def test_modular_test_reports_all_pairs():
    res = modular_test([(parse_word("GR px GA"), 1)], seed=2, pairs=3)
    assert len(res.pairs) == 3 and not res.is_zero
    assert len({q["prime"] for q in res.pairs}) == 3


def test_cli_modular_labels_output_and_json(capsys, tmp_path):
    out_json = tmp_path / "pn.json"
    status = main(["pn", "--method", "modular", "--max-order", "3", "--seed", "5", "--json", str(out_json)])
    out = capsys.readouterr().out
    assert status == 0
    assert "probabilistic identity test" in out and "not a proof" in out and "seed 5" in out
    d = json.loads(out_json.read_text())
    assert d["method"] == "modular" and d["probabilistic"] is True and d["seed"] == 5
    assert all(r["method"] == "modular" and r["extra"]["seed"] == 5 for r in d["records"])


def test_cli_modular_control_and_bad_input(capsys):
    assert main(["pn", "--method", "modular", "--max-order", "2", "--vertex", "bare"]) == 0
    capsys.readouterr()
    assert main(["pn", "--method", "modular", "--max-order", "2", "--points", "0"]) == 2
    err = capsys.readouterr().err
    assert "--points" in err and "Traceback" not in err
    assert main(["pn", "--method", "modular", "--max-order", "100000"]) == 2


def test_modular_backend_refuses_nothing_silently():
    """A point where a denominator vanishes raises (the test then redraws), never a wrong 0."""
    p = 101
    B = ModularBackend(p, s=0, t=3, a=5, M=7)          # s = 0: X+ = X- (a double pole)
    with pytest.raises(ZeroDivisionError):
        integrate_sum([(parse_word("GR px GA"), 1)], B)
    assert flint.fmpz(p).is_prime()
