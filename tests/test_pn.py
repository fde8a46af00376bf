"""Tests of the identity P^(n) = 0 of Eq. (C9) (``streda.verify.pn``).

Independent references used here (none of them is the engine's own output):

* P^(0) in closed form, exact in γ.  With Γ^p = p/m_e a scalar in spin space and the
  resolvent identity G^R G^A = (i/2γ)(G^R − G^A) (the self-energies differ by 2iγ·1),
      P^(0)_x = (1/m)(i/2γ) ∫ p_x (G^R − G^A).
  The angle average of p_x G^R is −α m ξ σ_y /[(ξ − x₊)(ξ − x₋)] (Eq. C2: σ_φ = σ_x sinφ −
  σ_y cosφ, ⟨cos²φ⟩ = 1/2); d²p/(2π)² = (m/2π) dξ⟨·⟩_φ; over the whole real ξ axis with the
  symmetric cut-off the ξ-integral of ξ/[(ξ−x₊)(ξ−x₋)] is 2πi − iπ = iπ for G^R (both poles
  above, minus the half-circle) and −iπ for G^A.  Hence ∫p_x G^{R,A} = ∓ iαm²/2 σ_y and
      P^(0)_x = α m/(2γ) σ_y = √(Δm)/(2γ) σ_y,     P^(0)_y = −√(Δm)/(2γ) σ_x
  (the same steps with ⟨sin²φ⟩ and the σ_x part of σ_φ).  This is lines 3–4 of Eq. (C4),
  α_d ∫ G^A (p/α m) G^R = (σ_y, −σ_x) with α_d = 2γ/m, read exactly in γ.
* The mpmath quadrature path (:mod:`streda.integrals.quadrature`), sharing nothing with the
  residue engine but the words.

Negative controls: the bare velocity vertex and a spin-dependent self-energy (γ_z ≠ 0) give
non-zero orders; :func:`orders_as_expected` flags doctored records.
"""
from __future__ import annotations

import flint
import mpmath
import pytest
import sympy

from streda.integrals import evaluate as ev
from streda.integrals import model as M
from streda.integrals.bubble import integrate_word
from streda.integrals.model import RashbaModel
from streda.integrals.word import format_word, parse_word
from streda.verify import pn

POINT = RashbaModel.from_string("eps=1,gamma=1/10,Delta=3/10,Mz=2/5")
#: a second point with m_e ≠ 1 (α = √(Δ/m) by default) and negative M_z
HEAVY = RashbaModel.from_string("eps=3/2,gamma=1/4,Delta=1/2,Mz=-1/3,m=2")
GZ = RashbaModel.from_string("eps=1,gamma=1/10,Delta=3/10,Mz=2/5,gamma_z=1/20")
KEYS = ("0", "x", "y", "z")


def p0_closed_form(pt: RashbaModel, comp: str) -> dict:
    """Pauli components of P^(0)_comp = ±√(Δ m)/(2γ) σ_{y,x} (module docstring), 60 digits."""
    with mpmath.workdps(60):
        a = mpmath.sqrt(pt.mp("Delta") * pt.mp("m")) / (2 * pt.mp("gamma"))
        out = {k: mpmath.mpf(0) for k in KEYS}
        out["y" if comp == "x" else "x"] = a if comp == "x" else -a
    return out


def record_values(rec: pn.PnRecord, dps: int) -> dict:
    """The [re, im] strings of a record as mpmath numbers at ``dps`` digits."""
    with mpmath.workdps(dps):
        return {k: mpmath.mpc(mpmath.mpf(v[0]), mpmath.mpf(v[1])) for k, v in rec.value.items()}


def max_diff(a: dict, b: dict, dps: int = 60):
    with mpmath.workdps(dps):
        return max(abs(a[k] - b[k]) for k in KEYS)


# --------------------------------------------------------------------------- the words

@pytest.mark.parametrize("n", [0, 1, 3])
def test_pn_terms_are_the_n_plus_1_words_of_C9(n):
    for comp in "xy":
        got = sorted(format_word(w) for w, c in pn.pn_terms(n, comp) if c == 1)
        want = sorted(" ".join(["GR sx"] * m + ["GR", f"p{comp}", "GA"] + ["sx GA"] * (n - m))
                      for m in range(n + 1))
        assert got == want and len(pn.pn_terms(n, comp)) == n + 1
    bare = [format_word(w) for w, _ in pn.pn_terms(n, "y", vertex="bare")]
    assert all(" vy " in f" {w} " and " py " not in f" {w} " for w in bare)


def test_expected_zero_table():
    assert pn.expected_zero(0) is False
    assert all(pn.expected_zero(n) is True for n in range(1, 8))
    assert pn.expected_zero(0, "bare") is False and pn.expected_zero(3, "bare") is None
    assert pn.expected_zero(2, "p", gamma_z=sympy.Rational(1, 20)) is None


# --------------------------------------------------------------------------- exact

@pytest.mark.parametrize("n", range(1, 7))
@pytest.mark.parametrize("comp", "xy")
def test_pn_exactly_zero_orders_1_to_6(n, comp):
    rec = pn.pn_exact(n, comp)
    assert rec.is_zero and rec.max_abs == "0" and rec.expected_zero is True and rec.as_expected
    assert rec.method == "exact" and "fmpz_mpoly" in rec.certificate


@pytest.mark.parametrize("comp", "xy")
def test_p0_exact_equals_closed_form_exact_in_gamma(comp):
    """P^(0) from the exact engine, as a sympy expression, equals ±√Δ/(2γ) σ (m_e = 1)."""
    vals = ev.evaluate(pn.pn_terms(0, comp), "exact")
    closed = {k: sympy.Integer(0) for k in KEYS}
    closed["y" if comp == "x" else "x"] = (1 if comp == "x" else -1) * sympy.sqrt(M.Delta) / (2 * M.gamma)
    for k in KEYS:
        got = sympy.Integer(0) if vals[k].is_zero() else ev.exact_to_sympy(vals[k])
        assert sympy.simplify(got - closed[k]) == 0, (comp, k, got)
    rec = pn.pn_exact(0, comp)
    assert not rec.is_zero and rec.expected_zero is False and rec.as_expected


def test_p0_closed_form_control_bare_vertex_differs():
    """Negative control: with the bare velocity the same closed form must fail (the spin part
    of v adds −α σ_y G^R G^A, which does not commute)."""
    vals = ev.evaluate(pn.pn_terms(0, "x", vertex="bare"), "exact")
    got = {k: sympy.Integer(0) if vals[k].is_zero() else ev.exact_to_sympy(vals[k]) for k in KEYS}
    assert sympy.simplify(got["y"] - sympy.sqrt(M.Delta) / (2 * M.gamma)) != 0
    assert sympy.simplify(got["x"]) != 0


# --------------------------------------------------------------------------- numeric (balls)

@pytest.mark.parametrize("pt", [POINT, HEAVY], ids=["m=1", "m=2"])
@pytest.mark.parametrize("comp", "xy")
def test_p0_numeric_matches_closed_form_with_mass(pt, comp):
    rec = pn.pn_numeric(0, comp, pt, dps=50)
    assert not rec.is_zero and rec.as_expected
    diff = max_diff(record_values(rec, 60), p0_closed_form(pt, comp))
    assert diff < mpmath.mpf(10) ** -48 * abs(p0_closed_form(pt, comp)["y" if comp == "x" else "x"])


@pytest.mark.parametrize("n", [1, 2, 4, 6])
@pytest.mark.parametrize("comp", "xy")
def test_pn_numeric_below_1e40_of_p0(n, comp):
    """Balls at dps 50: |P^(n)| ≤ 1e-40 |P^(0)| and every ball contains 0."""
    for pt in (POINT, HEAVY):
        scale = max(abs(v) for v in p0_closed_form(pt, comp).values())
        rec = pn.pn_numeric(n, comp, pt, dps=50)
        assert rec.is_zero and rec.as_expected
        assert mpmath.mpf(rec.max_abs) < mpmath.mpf(10) ** -40 * scale
        assert mpmath.mpf(rec.extra["scale"]) == pytest.approx(float(scale), rel=1e-9)


def test_pn_numeric_control_p0_is_not_small():
    """Negative control of the smallness test above: P^(0) fails it by 40 orders."""
    rec = pn.pn_numeric(0, "x", POINT, dps=50)
    assert not rec.is_zero
    assert mpmath.mpf(rec.max_abs) > mpmath.mpf(10) ** -40 * mpmath.mpf(rec.extra["scale"])


TINY = RashbaModel.from_string("eps=1,gamma=1e-100,Delta=3/10,Mz=2/5")


def test_p0_numeric_tiny_gamma_is_resolved():
    """γ = 10⁻¹⁰⁰ (a valid point: a very clean metal).  BUG (verify/pn.py::pn_numeric): the
    scale |P^(0)| is the upper bound of a ball evaluated at dps + 10 digits, where P^(0) is not
    resolved (the R and A poles differ by ~γ); the target radius 10^-dps·scale is then
    meaningless, the loop stops at a ball that contains 0, and P^(0) ≈ 2.7e99 is reported
    ``is_zero=True`` with |P| ≤ 2.8e120.  It should raise the precision until resolved."""
    rec = pn.pn_numeric(0, "x", TINY, dps=30)
    assert not rec.is_zero
    want = p0_closed_form(TINY, "x")["y"]
    with mpmath.workdps(60):
        assert abs(mpmath.mpf(rec.value["y"][0]) - want) < mpmath.mpf(10) ** -28 * want


def test_pn_numeric_tiny_gamma_no_obscure_error():
    """BUG (verify/pn.py::pn_numeric): at γ = 10⁻¹⁰⁰ and the first working precision the balls
    are NaN; ``mpmath.mpf(v.rad().upper().mid().str(...))`` then parses '[+/- inf]' and raises
    ``ValueError: invalid literal for int() with base 10: '[+'`` (what ``streda pn --method
    numeric --params gamma=1e-100`` prints).  Expected: raise the precision (the docstring's
    promise) or refuse with a message about precision."""
    try:
        rec = pn.pn_numeric(1, "x", TINY, dps=30)
    except (ValueError, RuntimeError) as exc:
        assert "invalid literal" not in str(exc) and ("digit" in str(exc) or "precision" in str(exc)), exc
        return
    assert rec.is_zero
    assert mpmath.mpf(rec.max_abs) < mpmath.mpf(10) ** -30 * p0_closed_form(TINY, "x")["y"]


# --------------------------------------------------------------------------- quadrature

@pytest.mark.parametrize("n", range(4))
@pytest.mark.parametrize("comp", "xy")
def test_quadrature_agrees_with_balls(n, comp):
    """Independent mpmath quadrature (30 digits) vs ball residues (50 digits): every Pauli
    component agrees to 1e-27 |P^(0)| (the quadrature's own error estimates are ≲ 1e-45;
    the tolerance is set by the 30-digit rounding of the record values)."""
    q = pn.pn_quad(n, comp, POINT, dps=30)
    b = pn.pn_numeric(n, comp, POINT, dps=50)
    scale = mpmath.mpf(b.extra["scale"])
    assert max_diff(record_values(q, 40), record_values(b, 60)) < mpmath.mpf(10) ** -27 * scale
    assert q.is_zero == (n >= 1) and q.as_expected


# --------------------------------------------------------------------------- controls

@pytest.mark.parametrize("n", range(1, 5))
def test_control_bare_vertex_nonzero_every_order(n):
    recs = [pn.pn_exact(n, c, vertex="bare", point=POINT) for c in "xy"]
    assert all(not r.is_zero for r in recs)
    assert all(r.expected_zero is None for r in recs)
    assert all(mpmath.mpf(r.max_abs) > mpmath.mpf("1e-3") for r in recs)
    assert pn.orders_as_expected([r.to_json() for r in recs])


@pytest.mark.parametrize("n", range(1, 5))
def test_control_spin_dependent_self_energy_nonzero_every_order(n):
    """γ_z ≠ 0: exactly non-zero in at least one component per order (P^(n)_x stays 0 at odd n,
    a residual symmetry); the non-zero ones are balls excluding 0 at γ_z = 1/20."""
    recs = {c: pn.pn_exact(n, c, gamma_z=1) for c in "xy"}
    assert not all(r.is_zero for r in recs.values())
    assert recs["y"].is_zero is False
    assert recs["x"].is_zero == (n % 2 == 1)
    num = pn.pn_numeric(n, "y", GZ, dps=30)
    assert not num.is_zero and mpmath.mpf(num.max_abs) > mpmath.mpf("1e-2")


@pytest.mark.parametrize("n", [1, 2])
def test_control_spin_dependent_numeric_agrees_with_quadrature(n):
    """Second method for the control: the non-zero γ_z values are real, not artefacts."""
    b = pn.pn_numeric(n, "y", GZ, dps=30)
    q = pn.pn_quad(n, "y", GZ, dps=20)
    assert max_diff(record_values(q, 30), record_values(b, 40)) < mpmath.mpf(10) ** -17
    assert not q.is_zero


def test_orders_as_expected_accepts_real_and_flags_doctored_records():
    good = [pn.pn_exact(n, c).to_json() for n in range(4) for c in "xy"]
    assert pn.orders_as_expected(good)

    doctored = [dict(r) for r in good]
    next(r for r in doctored if r["order"] == 2 and r["component"] == "x")["is_zero"] = False
    assert not pn.orders_as_expected(doctored)          # a predicted zero that is not zero

    doctored = [dict(r) for r in good]
    next(r for r in doctored if r["order"] == 0 and r["component"] == "y")["is_zero"] = True
    assert not pn.orders_as_expected(doctored)          # P^(0) must not vanish

    control = [pn.pn_exact(n, c, vertex="bare").to_json() for n in range(3) for c in "xy"]
    assert pn.orders_as_expected(control)
    for r in control:
        if r["order"] == 2:
            r["is_zero"] = True                           # a control order that came out zero
    assert not pn.orders_as_expected(control)


# --------------------------------------------------------------------------- regression

def test_ball_backends_do_not_share_cached_products():
    """Regression test (found while writing these tests; fixed in 44a5fad): a product cache
    keyed by ``id(B)`` handed a new backend, born at a dead backend's address, the dead one's
    products: wrong values with tight radii (and random failures of the tests above).

    Reference: line 1 of (C4) exact in γ (checked against the engine symbolically and by
    quadrature in ``test_dressed.py``), α_d ∫ G^A σ_x G^R |_x = (εΔ+γ²)/(M_z²+2εΔ+γ²)."""
    word = parse_word("GA sx GR")
    points = [RashbaModel.from_string(f"gamma={g}") for g in ("1/10", "1/5", "1/3")]
    wrong = []
    with ev.flint_precision(30):
        for trial in range(9):
            pt = points[trial % 3]
            B = ev.ball_backend(pt)
            val = integrate_word(word, B)["x"] * 2 * flint.acb(flint.fmpq(int(pt.gamma.p), int(pt.gamma.q)))
            e, g, D, mz = pt.eps, pt.gamma, pt.Delta, pt.Mz
            ref = (e * D + g * g) / (mz * mz + 2 * e * D + g * g)
            if not val.contains(flint.acb(flint.fmpq(int(ref.p), int(ref.q)))):
                wrong.append((trial, str(pt.gamma), val.real.mid().str(8, radius=False), str(ref)))
            del B, val                       # the next backend may now get the same id
    assert not wrong, f"stale cached products returned: {wrong}"
