"""One table of Pauli-algebra identities run against every ring :mod:`streda.integrals.pauli` serves.

The module claims to work for "sympy expressions, mpmath numbers, python-flint
polynomials and plain Python numbers alike".  Following sympy's
``test_gamma_matrices``, a single table of identities is checked in each ring:

* products   σ_i σ_j = δ_ij 1 + i ε_ijk σ_k            (i, j, k ∈ {x, y, z}), σ_0 σ_j = σ_j σ_0 = σ_j
* traces     Tr σ_0 = 2, Tr σ_k = 0, Tr σ_a σ_b = 2 δ_ab, Tr σ_x σ_y σ_z = 2i
* brackets   [σ_i, σ_j] = 2i ε_ijk σ_k
* components components(σ_a) = e_a, components(σ_i σ_j) = δ_ij e_0 + i ε_ijk e_k,
             from_components(components(A)) = A for generic A, identity() = σ_0

Where the expected values come from: the Pauli matrices are written below
entry by entry (``_SPEC``), independently of ``pauli.PAULI``; δ and ε are the
Kronecker and Levi-Civita symbols.  The rings: sympy, Python complex, Gaussian
rationals (``Cx`` of ``Fraction``), sympy's ``QQ_I``, mpmath ``mpc``, FLINT
``acb`` balls (exact for these small integers) and FLINT ``nmod`` modulo 13, a
field where i = 5 (5² = 25 ≡ −1) and 1/2 = 7.  A matrix with a wrong σ_y
(its transpose) and a wrong imaginary unit are negative controls: the same
table must report failures for them.
"""
from __future__ import annotations

import itertools
from fractions import Fraction

import flint
import mpmath
import pytest
import sympy
from sympy.polys.domains import QQ_I

from streda.integrals import pauli as P
from streda.integrals.cx import Cx

LABS = ("0", "x", "y", "z")
XYZ = ("x", "y", "z")

#: Pauli matrices entry by entry; "i" is the ring's imaginary unit
_SPEC = {
    "0": ((1, 0), (0, 1)),
    "x": ((0, 1), (1, 0)),
    "y": ((0, "-i"), ("i", 0)),
    "z": ((1, 0), (0, -1)),
}


def levi(i: str, j: str, k: str) -> int:
    """ε_ijk for labels in x, y, z."""
    return sympy.LeviCivita(XYZ.index(i), XYZ.index(j), XYZ.index(k))


class Ring:
    """The numbers a ring needs: build an element from (re, im) integers, test equality."""

    def __init__(self, name, make, eq=None, half=None):
        self.name = name
        self._make = make          # (re:int, im:int) -> element
        self._eq = eq or (lambda a, b: a == b)
        self.half = half if half is not None else make(Fraction(1, 2), 0)

    def el(self, re, im=0):
        return self._make(re, im)

    @property
    def zero(self):
        return self.el(0)

    @property
    def one(self):
        return self.el(1)

    @property
    def i(self):
        return self.el(0, 1)

    def eq(self, a, b) -> bool:
        return bool(self._eq(a, b))

    def from_spec(self, rows):
        conv = {0: (0, 0), 1: (1, 0), -1: (-1, 0), "i": (0, 1), "-i": (0, -1)}
        return [[self.el(*conv[e]) for e in r] for r in rows]

    def pauli(self):
        return {lab: self.from_spec(_SPEC[lab]) for lab in LABS}


def _cx_eq(a, b):
    return (a - b).is_zero()


def _nmod(re, im):
    # ℤ/13: i = 5, 1/2 = 7 (Fractions are mapped through the inverse of their denominator)
    q = Fraction(re) + 5 * Fraction(im)
    return flint.nmod(q.numerator, 13) / flint.nmod(q.denominator, 13)


RINGS = [
    Ring("sympy", lambda r, i: sympy.Rational(r) + sympy.I * sympy.Rational(i),
         eq=lambda a, b: sympy.simplify(a - b) == 0),
    Ring("python-complex", lambda r, i: complex(float(r), float(i))),
    Ring("gaussian-Fraction-Cx", lambda r, i: Cx(Fraction(r), Fraction(i)), eq=_cx_eq),
    Ring("sympy-QQ_I", lambda r, i: QQ_I(sympy.Rational(r), sympy.Rational(i))),
    Ring("mpmath-mpc", lambda r, i: mpmath.mpc(mpmath.mpf(Fraction(r).numerator) / Fraction(r).denominator,
                                                  mpmath.mpf(Fraction(i).numerator) / Fraction(i).denominator)),
    Ring("flint-acb", lambda r, i: flint.acb(flint.fmpq(Fraction(r).numerator, Fraction(r).denominator),
                                             flint.fmpq(Fraction(i).numerator, Fraction(i).denominator))),
    Ring("flint-nmod13", _nmod),
]


def mat_eq(R: Ring, A, B) -> bool:
    return all(R.eq(A[r][c], B[r][c]) for r in range(2) for c in range(2))


def comb(R: Ring, coeffs: dict, S: dict):
    """Σ_a coeffs[a] σ_a with ring coefficients, built with the module's matadd/scale."""
    out = [[R.zero, R.zero], [R.zero, R.zero]]
    for lab, c in coeffs.items():
        out = P.matadd(out, P.scale(c, S[lab]))
    return out


def identity_failures(R: Ring, S: dict, imag_unit=None) -> list[str]:
    """Every identity of the table that fails in ring ``R`` for the matrices ``S``."""
    i = R.i if imag_unit is None else imag_unit
    fails = []
    # products
    for a, b in itertools.product(LABS, LABS):
        if a == "0" or b == "0":
            want = S[b if a == "0" else a]
        else:
            coeffs = {"0": R.one if a == b else R.zero}
            for k in XYZ:
                coeffs[k] = R.el(0, levi(a, b, k))
            want = comb(R, coeffs, S)
        if not mat_eq(R, P.matmul(S[a], S[b]), want):
            fails.append(f"s{a} s{b}")
    # traces
    for a in LABS:
        if not R.eq(P.trace(S[a]), R.el(2 if a == "0" else 0)):
            fails.append(f"Tr s{a}")
        for b in LABS:
            if not R.eq(P.trace(P.matmul(S[a], S[b])), R.el(2 if a == b else 0)):
                fails.append(f"Tr s{a} s{b}")
    if not R.eq(P.trace(P.matmul(P.matmul(S["x"], S["y"]), S["z"])), R.el(0, 2)):
        fails.append("Tr sx sy sz")
    # commutators
    for a, b in itertools.product(XYZ, XYZ):
        want = comb(R, {k: R.el(0, 2 * levi(a, b, k)) for k in XYZ}, S)
        if not mat_eq(R, P.commutator(S[a], S[b]), want):
            fails.append(f"[s{a}, s{b}]")
    # components of the basis and of products
    for a in LABS:
        c = P.components(S[a], imag_unit=i, half=R.half)
        if not all(R.eq(c[b], R.el(1 if a == b else 0)) for b in LABS):
            fails.append(f"components(s{a})")
    for a, b in itertools.product(XYZ, XYZ):
        c = P.components(P.matmul(S[a], S[b]), imag_unit=i, half=R.half)
        want = {"0": R.el(1 if a == b else 0), **{k: R.el(0, levi(a, b, k)) for k in XYZ}}
        if not all(R.eq(c[k], want[k]) for k in LABS):
            fails.append(f"components(s{a} s{b})")
    return fails


@pytest.mark.parametrize("R", RINGS, ids=[R.name for R in RINGS])
def test_identity_table(R):
    assert identity_failures(R, R.pauli()) == []


@pytest.mark.parametrize("R", RINGS, ids=[R.name for R in RINGS])
def test_round_trip_and_identity(R):
    # a generic matrix with complex entries: from_components(components(A)) == A, and back
    A = [[R.el(2, -1), R.el(-3, 5)], [R.el(7, 1), R.el(0, -4)]]
    c = P.components(A, imag_unit=R.i, half=R.half)
    assert mat_eq(R, P.from_components(c, imag_unit=R.i), A)
    c2 = {"0": R.el(1, 2), "x": R.el(-1), "y": R.el(3, -1), "z": R.el(0, 5)}
    back = P.components(P.from_components(c2, imag_unit=R.i), imag_unit=R.i, half=R.half)
    assert all(R.eq(back[k], c2[k]) for k in LABS)
    # identity() in the ring's one and zero is σ_0
    assert mat_eq(R, P.identity(R.one, R.zero), R.pauli()["0"])
    # decomposition: A = Σ c_a σ_a with the module's own linear algebra
    assert mat_eq(R, comb(R, c, R.pauli()), A)


def test_module_constants_match_the_entrywise_table():
    """pauli.PAULI (sympy) is the matrix written out entry by entry."""
    R = RINGS[0]
    assert all(mat_eq(R, P.PAULI[a], R.pauli()[a]) for a in LABS)
    assert P.LABELS == LABS


def test_components_default_ring_is_sympy():
    """Without ring arguments the components use sympy's i and 1/2 (also on plain ints)."""
    assert P.components([[0, -sympy.I], [sympy.I, 0]]) == {"0": 0, "x": 0, "y": 1, "z": 0}
    assert P.from_components({"y": 1}) == [[0, -sympy.I], [sympy.I, 0]]


def test_is_scalar_matrix():
    a, b = sympy.symbols("a b")
    assert P.is_scalar_matrix([[a + b, 0], [0, b + a]])
    assert P.is_scalar_matrix(P.matmul(P.PAULI["y"], P.PAULI["y"]))      # σ_y² = 1
    assert not P.is_scalar_matrix(P.PAULI["z"])
    assert not P.is_scalar_matrix([[a, b], [0, a]])
    # a commutator of two Pauli matrices is never scalar, an anticommutator always is
    for x, y in itertools.permutations(XYZ, 2):
        anti = P.matadd(P.matmul(P.PAULI[x], P.PAULI[y]), P.matmul(P.PAULI[y], P.PAULI[x]))
        assert P.is_scalar_matrix(anti)
        assert not P.is_scalar_matrix(P.commutator(P.PAULI[x], P.PAULI[y]))


def test_works_on_flint_polynomials():
    """Entries that are FLINT multivariate polynomials (the exact engine's ring)."""
    ctx = flint.fmpz_mpoly_ctx.get(("u", "v"), "degrevlex")
    u, v = ctx.gens()
    A = [[u + v, u * v], [u - 1, v * v]]
    B = [[v, 1 + 0 * u], [u, u * u]]
    C = P.matmul(A, B)
    assert C[0][1] == (u + v) + u * v * u * u
    assert P.trace(P.commutator(A, B)) == 0        # Tr [A, B] = 0 in any commutative ring


# ------------------------------------------------------------------ negative controls

@pytest.mark.parametrize("R", RINGS, ids=[R.name for R in RINGS])
def test_control_wrong_sigma_y_fails(R):
    """σ_y replaced by its transpose (= −σ_y): the ε_ijk rows of the table must fail."""
    S = R.pauli()
    S["y"] = [[S["y"][0][0], S["y"][1][0]], [S["y"][0][1], S["y"][1][1]]]
    fails = identity_failures(R, S)
    assert "sx sy" in fails and "Tr sx sy sz" in fails and "[sx, sy]" in fails
    # the σ_y-free identities still hold: the table checks each entry, not a global flag
    assert not {"sx sx", "sz sz", "s0 sx", "Tr sx sz", "components(sx)"} & set(fails)


@pytest.mark.parametrize("R", RINGS, ids=[R.name for R in RINGS])
def test_control_wrong_imaginary_unit_fails(R):
    """components() with −i in place of i must mis-read σ_y."""
    fails = identity_failures(R, R.pauli(), imag_unit=R.el(0, -1))
    assert "components(sy)" in fails
    assert "components(sx)" not in fails
