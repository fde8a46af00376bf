"""Integrals of words: ∫ d²p/(2π)² F₁(p)…F_k(p) by exact angle average and residues.

The algorithm (m_e = 1; :mod:`streda.integrals.units` restores m_e):

1. every factor becomes a Laurent matrix in the rotated frame
   (:mod:`~streda.integrals.harmonics`); their product's z⁰ part is the exact
   angle average, a rational function N(η)/(D_R^{n_R} D_A^{n_A}) of η = 2a²ξ;
2. d²p/(2π)² = dη/(4πa²) · ⟨…⟩_φ, and the η-integral over the whole real axis is
   2πi Σ Res at the retarded poles X± (upper half plane, Eq. C3), minus the arc
   term iπc when the integrand decays only like c/η (symmetric cut-off,
   METHOD-HINTS fact 4); slower decay is refused as divergent.

So I[word] = i/(4a²) · (2 Σ_{X±} Res − c) times the factors' prefactors.

The result is exact in γ for the :class:`~streda.integrals.exact.ExactBackend`
(rational functions of s, t, a, M) and a rigorous complex ball for the
:class:`~streda.integrals.pointwise.BallBackend`.

>>> from streda.integrals.word import parse_word
>>> from streda.integrals.pointwise import RationalPointBackend
>>> B = RationalPointBackend(s=5, t=4, a=1, M=1)
>>> r = integrate_word(parse_word("GR sx GR"), B)      # all poles above: zero
>>> all(v.is_zero() for v in r.values())
True
"""
from __future__ import annotations

from fractions import Fraction

from .backend import Backend
from .harmonics import Prefactor, factor_laurent, lmul, pauli_components
from .pauli import LABELS
from .word import count_green

__all__ = ["integrate_word", "integrate_sum", "DivergentIntegral", "word_product"]


class DivergentIntegral(ValueError):
    """The angle-averaged integrand does not decay at large ξ."""


def word_product(word, B: Backend):
    """Cached primed-frame product of ``word`` on backend ``B``: (Laurent, Prefactor).

    The cache is ``B.products``, owned by the backend object (a cache keyed by id(B) would
    hand a new backend at a reused address the products of a dead one)."""
    cache = B.products
    key = tuple(word)
    hit = cache.get(key)
    if hit is not None:
        return hit
    if not word:
        res = ({0: [[B.one, B.zero], [B.zero, B.one]]}, Prefactor())
    elif len(word) == 1:
        res = factor_laurent(word[0], B)
    else:
        L, pl = word_product(word[:-1], B)
        Lf, pf = factor_laurent(word[-1], B)
        res = (lmul(L, Lf, unit=(B.zero, B.one)), pl * pf)
    if len(cache) > 20000:
        cache.clear()
    cache[key] = res
    return res


def _needed(L, R, B: Backend):
    """The four entries of L·R that the angle average needs (see pauli_components)."""
    zero = B.zero

    def entry(j, k, T):
        acc = zero
        for u, Lv in L.items():
            Rv = R.get(T - u)
            if Rv is not None:
                acc = acc + Lv[j][0] * Rv[0][k] + Lv[j][1] * Rv[1][k]
        return acc

    return {0: [[entry(0, 0, 0), zero], [zero, entry(1, 1, 0)]],
            1: [[zero, entry(0, 1, 1)], [zero, zero]],
            -1: [[zero, zero], [entry(1, 0, -1), zero]]}


def _split(word) -> int:
    for i, f in enumerate(word):
        if f.kind in ("p", "v"):
            return i
    return len(word) // 2


def _finish(B: Backend, inner, pre: Prefactor):
    """Multiply the η-integral's bracket (2ΣRes − c) by i/(4a²) and the prefactor."""
    c, ipow, apow = pre.c / 4, pre.ipow + 1, pre.apow - 2
    return B.finish(inner, c, ipow, apow)


def _decay(B: Backend, coeffs, nR, nA, word, lab):
    den_deg = 2 * (nR + nA)
    decay, lc = B.tail(coeffs, den_deg, word, lab)
    if decay <= 0:
        raise DivergentIntegral(
            f"the angle-averaged integrand of {' '.join(f.token for f in word)} grows like "
            f"xi^{-decay} at large xi: the integral over the whole real axis diverges")
    return decay, (lc if decay == 1 else None)


def integrate_sum(terms, B: Backend, components=LABELS) -> dict:
    """Σ_w c_w I[w] for ``terms`` = [(word, c_w), ...], Pauli components by label.

    Words share cached prefix products; residue parts are accumulated per
    component (and per overall power of i and a) and finished once, so the
    exact backend symmetrises X₊ → X₋ once for the whole sum.
    """
    acc: dict = {}   # (lab, ipow, apow) -> [residue part, arc part]
    for word, cw in terms:
        word = tuple(word)
        k = _split(word)
        L, pl = word_product(word[:k], B)
        R, pr = word_product(word[k:], B)
        pre = pl * pr * Prefactor(Fraction(cw))
        nR, nA = count_green(word)
        comps = pauli_components(_needed(L, R, B), B)
        for lab in components:
            poly, cpre = comps[lab]
            p = pre * cpre
            coeffs = B.coeffs(poly)
            if not coeffs or p.c == 0:
                continue
            decay, lc = _decay(B, coeffs, nR, nA, word, lab)
            slot = acc.setdefault((lab, p.ipow, p.apow), ([], []))
            slot[0].append(B.scale(B.residue_part(coeffs, nR, nA, decay), p.c))
            if lc is not None:
                slot[1].append(B.scale(B.arc_part(lc), p.c))
    out = {lab: B.zero_value() for lab in components}
    for (lab, ipow, apow), (hs, arcs) in sorted(acc.items(), key=lambda kv: kv[0]):
        # all words of one slot at once: the exact backend puts them over one common denominator
        inner = B.combine(B.add_all(hs) if hs else None, B.add_all(arcs) if arcs else None)
        out[lab] = out[lab] + _finish(B, inner, Prefactor(Fraction(1), ipow, apow))
    return out


def integrate_word(word, B: Backend, components=LABELS) -> dict:
    """I[word] = ∫ d²p/(2π)² word, Pauli components (see module docstring)."""
    return integrate_sum([(word, 1)], B, components)
