"""The faster paths of issue 13 against the computations they replaced (held as independent
references here, written out in the test):

* the shadow decays, now read modulo 2^61 − 1, against exact rational arithmetic at the same point;
* the P^(n) words read back from the enumerator against ``to_word`` of every diagram;
* residues summed over one common denominator (``KFrac.sum``) against chained pairwise additions,
  with a dropped term as the control that must differ.
"""
from __future__ import annotations

from fractions import Fraction

import flint
import pytest

from streda.diagrams import pn_diagrams, to_word
from streda.integrals import evaluate as ev
from streda.integrals.bubble import _needed, _split, word_product
from streda.integrals.exact import KFrac
from streda.integrals.harmonics import pauli_components
from streda.integrals.pointwise import RationalPointBackend, _SHADOW_POINT, _shadow_decay
from streda.integrals.residues import leading_tail
from streda.integrals.model import RashbaModel
from streda.integrals.word import count_green, parse_word
from streda.verify import pn


def _rational_decay(word, lab, sd: bool, model: str = "rashba") -> int:
    s, t, a, M, N = _SHADOW_POINT
    B = RationalPointBackend(s=s, t=t, a=a, M=M, N=N if sd else None, model=model)
    k = _split(word)
    L, _ = word_product(word[:k], B)
    R, _ = word_product(word[k:], B)
    poly, _ = pauli_components(_needed(L, R, B), B)[lab]
    nR, nA = count_green(word)
    return leading_tail(B.coeffs(poly), 2 * (nR + nA), flint.fmpq(0))[0]


@pytest.mark.parametrize("vertex", ["p", "bare"])
@pytest.mark.parametrize("sd", [False, True])
def test_shadow_decays_equal_exact_rational_decays(vertex, sd):
    seen = set()
    for n in range(0, 6):
        for comp in "xy":
            for w, _ in pn.pn_terms(n, comp, vertex):
                for lab in "0xyz":
                    d = _shadow_decay(w, lab, sd)
                    assert d == _rational_decay(w, lab, sd), (w, lab)
                    seen.add(d)
    assert len(seen) > 2, "the decays read must vary (including structural zeros, 10^9)"


@pytest.mark.parametrize("model", ["rashba", "dresselhaus"])
@pytest.mark.parametrize("text", ["vx GR vx GA", "px GR px GA", "GR sx GR vy GA sx GA", "GA sz GR px GR"])
def test_shadow_decays_conductivity_words(text, model):
    """Words with the 1/ξ decay of the conductivity bubble (the arc term, METHOD-HINTS fact 4)."""
    w = parse_word(text)
    got = [_shadow_decay(w, lab, False, model) for lab in "0xyz"]
    assert got == [_rational_decay(w, lab, False, model) for lab in "0xyz"]
    if text.startswith(("vx", "px")):
        assert 1 in got


@pytest.mark.parametrize("vertex", ["p", "bare"])
def test_pn_terms_are_the_enumerators_words(vertex):
    for n in range(0, 9):
        for comp in "xy":
            op = {"p": "p_", "bare": "v_"}[vertex] + comp
            want = [to_word(D) for D in pn_diagrams(n, vertex=op)]
            assert [w for w, c in pn.pn_terms(n, comp, vertex)] == want
            # Eq. (C9) written out independently of the graphs: [G^R sx]^m G^R Γ G^A [sx G^A]^(n-m)
            tok = {"p": "p", "bare": "v"}[vertex] + comp
            c9 = [parse_word(" ".join(["GR sx"] * m + ["GR", tok, "GA"] + ["sx GA"] * (n - m)))
                  for m in range(n + 1)]
            assert want == c9


def test_enumerated_word_is_graph_data():
    """The enumerator stores the word it read from the validated graph; a diagram whose graph
    is broken is refused before any word is stored (validation is not skipped)."""
    from streda.diagrams import DiagramError
    from streda.diagrams.enumerators import _store_word

    D = list(pn_diagrams(3))[1]
    assert D.graph["word"] == to_word(D)
    u, v, k = next((u, v, k) for u, v, k, d in D.edges(keys=True, data=True) if d["side"] == "R")
    D.edges[u, v, k]["side"] = "A"          # the side now flips at an insertion
    del D.graph["word"]
    with pytest.raises(DiagramError):
        _store_word(D)
    assert "word" not in D.graph


def _residues(words):
    """Per-word residue halves (upper, at X+) of every component, as KFracs on the shared backend."""
    B = ev.exact_backend()
    out = []
    for text in words:
        w = parse_word(text)
        k = _split(w)
        L, _ = word_product(w[:k], B)
        R, _ = word_product(w[k:], B)
        nR, nA = count_green(w)
        for poly, _ in pauli_components(_needed(L, R, B), B).values():
            coeffs = B.coeffs(poly)
            if coeffs:
                out.append(B.half_residue(coeffs, nR, nA).scale(Fraction(3, 7)))
    return out


def test_common_denominator_sum_equals_chained_additions():
    parts = _residues(["GR px GA", "GR sx GR px GA", "GR px GA sx GA", "GR sx GR sx GR px GA sx GA",
                       "GR GR px GA GA"])
    assert len(parts) >= 4
    chained = parts[0]
    for x in parts[1:]:
        chained = chained + x
    once = KFrac.sum(parts)
    assert (once - chained).is_zero()
    assert not (KFrac.sum(parts[:-1]) - chained).is_zero()        # control: a dropped term shows
    assert KFrac.sum([KFrac.zero(parts[0].B), parts[1]]) is parts[1]
    assert KFrac.sum([KFrac.zero(parts[0].B)]).is_zero()


def _same_ball(x, y) -> bool:
    return all(p.mid() == q.mid() and p.rad() == q.rad() for p, q in ((x.real, y.real), (x.imag, y.imag)))


def _dense_product(word, B):
    """The word's Laurent product with every 2x2 product formed in full (no shortcut for the
    σ matrices' zero/one entries): the reference for the shortcut in ``lmul``."""
    from streda.integrals.harmonics import factor_laurent, lmul

    L = {0: [[B.one, B.zero], [B.zero, B.one]]}
    for f in word:
        L = lmul(L, factor_laurent(f, B)[0])
    return L


@pytest.mark.parametrize("text", ["GR sx GR sx GR px GA sx GA", "sy GR vx GA sx GA sz GA", "GA sx GA sy GR"])
def test_sigma_shortcut_products_equal_dense_products(text):
    """Skipping the products with σ's zero/one entries gives the same ring elements, exactly in
    the exact and modular rings; in ball arithmetic the same midpoints, the radii differing only
    by the upward rounding of the skipped error terms."""
    from streda.integrals.modular import ModularBackend

    w = parse_word(text)
    pt = RashbaModel.from_string(None)
    backends = [ev.exact_backend(), ModularBackend(2 ** 61 - 1, 11, 7, 5, 3)]
    with ev.flint_precision(60):
        backends.append(ev.ball_backend(pt))
        for B in backends:
            fast, _ = word_product(w, B)
            slow = _dense_product(w, B)
            assert sorted(fast) == sorted(slow)
            for k in fast:
                for i in (0, 1):
                    for j in (0, 1):
                        a, b = fast[k][i][j], slow[k][i][j]
                        if B is backends[-1]:
                            ca, cb = a.coeffs(), b.coeffs()
                            ca, cb = ca + [flint.acb(0)] * (len(cb) - len(ca)), cb + [flint.acb(0)] * (len(ca) - len(cb))
                            for x, y in zip(ca, cb):
                                for p, q in ((x.real, y.real), (x.imag, y.imag)):
                                    assert p.mid() == q.mid()
                                    assert abs(p.rad() - q.rad()) <= 1e-6 * max(p.rad(), q.rad()) + 1e-300
                        else:
                            assert a == b


def test_shared_ball_backend_gives_the_same_bits_as_a_fresh_one():
    """The ball backend is shared per (point, precision); its cached products must not change a
    single bit of a P^(n) value, whatever was evaluated on it before."""
    from streda.integrals.bubble import integrate_sum
    from streda.integrals.pointwise import BallBackend

    pt = RashbaModel.from_string(None)
    with ev.flint_precision(70):
        ev.evaluate(pn.pn_terms(4, "y"), "numeric", pt, 70)       # warm the shared caches
        shared = ev.evaluate(pn.pn_terms(3, "x"), "numeric", pt, 70)
        fresh = integrate_sum(pn.pn_terms(3, "x"), BallBackend(pt.eps, pt.gamma, pt.Delta, pt.Mz, pt.gamma_z))
        assert ev.ball_backend(pt) is ev.ball_backend(pt)
    assert all(_same_ball(shared[k], fresh[k]) for k in fresh)


def test_shared_degree_bound_backend_equals_a_fresh_one():
    """Degree bounds from the kept backend (after other orders) equal those of a new backend."""
    from streda.integrals import modular

    modular.degree_bound(pn.pn_terms(6, "y"))
    kept = modular.degree_bound(pn.pn_terms(5, "x"))
    modular._BOUND_BACKENDS.clear()
    fresh = modular.degree_bound(pn.pn_terms(5, "x"))
    assert kept == fresh and kept.numerator > 0


def test_modular_taylor_shift_equals_the_generic_one():
    """The FLINT composition N(P + h) in the modular backend against the generic synthetic
    division of :func:`~streda.integrals.residues.taylor_shift` (both exact mod p)."""
    from streda.integrals.modular import ModularBackend
    from streda.integrals.pointwise import _Univariate

    B = ModularBackend(1000003, 17, 5, 3, 2)
    coeffs = {j: B.scalar(7 * j * j + 3) for j in range(12)}
    for side in ("X+", "X-"):
        for nR, nA in ((1, 0), (3, 2), (5, 4)):
            assert B._pole(coeffs, side, nR, nA) == _Univariate._pole(B, coeffs, side, nR, nA)
