"""Independent tests of the exact word integrals I[word] = ∫ d²p/(2π)² F_1 … F_k (m_e = 1).

Every expected value is derived here, not read from the engine:

* **Closed forms from Cauchy's theorem** (ξ over the whole real axis, symmetric
  cut-off for a 1/ξ tail): all poles of G^R lie above the axis, so closing below,
  a word with retarded Green's functions only gives I = (i/2)·c, c = lim ξ·⟨integrand⟩
  (the half-circle at infinity), and 0 if it decays faster; advanced-only words
  give −(i/2)·c.  For G^R ≈ −1/ξ, p ≈ √(2ξ)(cos φ, sin φ), c is read off by hand.
  The Born self-energy: α_d I[GR] = 2γ·(−i/2) = −iγ (Eq. C1), exactly.
* **Resolvent (Ward) identities**, exact in γ: G^R − G^A = −2iγ G^R G^A, hence
  I[GR GA] = (I[GA] − I[GR])/(2iγ) = 1/(2γ),  I[GR GR GA] = −i/(4γ²),  I[GR GA GA] = i/(4γ²).
* **Hermiticity** (G^R)† = G^A: I[W†] = I[W]†, with W† the reversed word, R ↔ A,
  p± ↔ p∓.  In the rational variables (s* = t for the principal roots, a, M real)
  that is I[W†](s, t) = conj I[W](t, s).
* **A sympy reference** written from the Hamiltonian (Eq. 8, C2) in the plain spin
  frame: angle average as the w⁰ coefficient with cos φ = (w + 1/w)/2, residues
  by the derivative formula at both retarded poles, arc term −iπc; evaluated at
  rational (s, t, a, M) where everything is exact.  It shares no code with the
  engine (which uses a rotated frame, Taylor shifts and the s → −s flip).
* **The quadrature path** (:mod:`streda.integrals.quadrature`, another author):
  physical m_e, no residues.

Tolerance tiers: exact vs exact at rational points: equality.  Same algorithm,
different backend (exact → sympy → mpmath at 50 digits vs FLINT balls at 30 digits):
the ball must contain the exact value and have a radius ≤ 10⁻²⁵·scale.
Different algorithms (quadrature at 30 digits): |difference| ≤ 10·(its error
estimate) + 10⁻²⁶·scale.
"""
from __future__ import annotations

import gc
from fractions import Fraction as F

import flint
import mpmath
import pytest
import sympy

from streda.integrals import bubble
from streda.integrals import evaluate as ev
from streda.integrals.bubble import DivergentIntegral, integrate_sum, integrate_word
from streda.integrals.cx import Cx
from streda.integrals.model import RashbaModel
from streda.integrals.pointwise import RationalPointBackend
from streda.integrals.quadrature import QuadratureError, integrate_word_quad
from streda.integrals.word import parse_word

LABS = ("0", "x", "y", "z")
I = sympy.I
a_ = sympy.Symbol("a")

#: generic rational points (s, t, a, M): no two of the poles X±, Y± coincide
RPOINTS = [
    dict(s=F(7, 3), t=F(5, 2), a=F(2, 3), M=F(1, 5)),
    dict(s=F(-11, 4), t=F(13, 5), a=F(3, 2), M=F(-2, 7)),
]
PT1 = RashbaModel.from_string("eps=1,gamma=1/10,Delta=3/10,Mz=2/5")
PT2 = RashbaModel.from_string("eps=3/2,gamma=7/10,Delta=1/2,Mz=-1/3")    # γ not small


def W(text: str) -> tuple:
    return parse_word(text)


# ------------------------------------------------------------------ evaluation helpers

_ALIVE: list = []


def rational_backend(**pt) -> RationalPointBackend:
    """A point backend kept alive for the session.

    (Kept alive so that :func:`test_product_cache_survives_backend_lifetimes` is the only
    test exercising recycled addresses.)
    """
    B = RationalPointBackend(**pt)
    _ALIVE.append(B)
    return B


def ball(model: RashbaModel, dps: int = 30, terms=None, word=None) -> dict:
    """Ball values via the public ``evaluate``."""
    terms = terms if terms is not None else [(W(word), 1)]
    return ev.evaluate(terms, "numeric", model, dps)


def exact(word: str, spin_dependent: bool = False) -> dict:
    return ev.evaluate([(W(word), 1)], "exact", spin_dependent=spin_dependent)


def exact_sym(value: Cx) -> sympy.Expr:
    """An exact value as a cancelled rational function of the symbols s, t, a, M_z."""
    e = ev.exact_to_sympy(value, keep_roots=True).subs(sympy.sqrt(sympy.Symbol("Delta", positive=True)), a_)
    return sympy.factor(sympy.cancel(e))


def kfrac_at(part, pt: dict) -> sympy.Expr:
    if part is None:
        return sympy.Integer(0)
    vals = {k: sympy.Rational(v.numerator, v.denominator) for k, v in pt.items()}
    vals.setdefault("N", vals["M"])
    vals["eta"] = sympy.Symbol("eta")
    return part.to_sympy(vals)


def exact_at(value: Cx, pt: dict) -> sympy.Expr:
    """An exact value (Cx of KFrac) at rational (s, t, a, M[, N]): a Gaussian rational."""
    return sympy.expand(kfrac_at(value.re, pt) + I * kfrac_at(value.im, pt))


def rational_at(value: Cx) -> sympy.Expr:
    """A RationalPointBackend value (Cx of fmpq) as a sympy number."""
    f = lambda q: sympy.Integer(0) if q is None else sympy.Rational(int(q.p), int(q.q))  # noqa: E731
    return f(value.re) + I * f(value.im)


def _mp_eval(expr: sympy.Expr, values: dict, dps: int):
    """A sympy expression at exact parameter values, evaluated by mpmath at ``dps`` digits."""
    syms = sorted(expr.free_symbols, key=str)
    f = sympy.lambdify(syms, expr, modules="mpmath")
    with mpmath.workdps(dps):
        return mpmath.mpmathify(f(*(mpmath.mpmathify(sympy.N(values[x], dps + 10)) for x in syms)))


def exact_numeric(value: Cx, model: RashbaModel, dps: int = 50):
    """exact → sympy (principal roots s, t substituted by exact_to_sympy) → mpmath at ``dps`` digits."""
    return _mp_eval(ev.exact_to_sympy(value), model.subs(), dps)


def acb_contains(b: flint.acb, z, slack=mpmath.mpf("1e-38")) -> bool:
    """The ball ``b`` contains the (40-digit) number ``z`` up to ``slack``."""
    with mpmath.workdps(40):
        mid_re = mpmath.mpf(b.real.mid().str(45, radius=False))
        mid_im = mpmath.mpf(b.imag.mid().str(45, radius=False))
        rad_re = mpmath.mpf(b.real.rad().str(5, radius=False))
        rad_im = mpmath.mpf(b.imag.rad().str(5, radius=False))
        return abs(mid_re - z.real) <= rad_re + slack and abs(mid_im - z.imag) <= rad_im + slack


def ball_radius(b: flint.acb):
    return max(mpmath.mpf(b.real.rad().str(5, radius=False)), mpmath.mpf(b.imag.rad().str(5, radius=False)))


# ------------------------------------------------------------------ the sympy reference

_XI, _Q, _WV = sympy.symbols("xi q w")
_S = {"0": sympy.eye(2), "x": sympy.Matrix([[0, 1], [1, 0]]),
      "y": sympy.Matrix([[0, -I], [I, 0]]), "z": sympy.Matrix([[1, 0], [0, -1]])}


def reference(word: str, s, t, a, M, N=None, arc: bool = True) -> dict:
    """I[word] from the Hamiltonian, exact at a rational point (m_e = 1, α_R = a).

    G^{R,A} = [E − ξ + a(σ_x p_y − σ_y p_x) − M_{R,A} σ_z] / det with
    E = (s² − a⁴ − M²)/2a², Ē the same with t (Eq. C2 inverted by hand: the
    square of the traceless part is a²p² + M²); p = q(cos φ, sin φ), q² = 2ξ.
    d²p/(2π)² = dξ/(2π) · dφ/(2π); ∫dξ = 2πi Σ_{retarded poles} Res − iπc.
    """
    N = M if N is None else N
    s, t, a, M, N = (sympy.Rational(x.numerator, x.denominator) if isinstance(x, F) else sympy.S(x)
                     for x in (s, t, a, M, N))
    E = (s ** 2 - a ** 4 - M ** 2) / (2 * a ** 2)
    Eb = (t ** 2 - a ** 4 - N ** 2) / (2 * a ** 2)
    cos, sin = (_WV + 1 / _WV) / 2, (_WV - 1 / _WV) / (2 * I)
    px, py = _Q * cos, _Q * sin
    so = a * (_S["x"] * py - _S["y"] * px)
    num = {"R": (E - _XI) * _S["0"] + so - M * _S["z"], "A": (Eb - _XI) * _S["0"] + so - N * _S["z"]}
    det = {"R": (E - _XI) ** 2 - M ** 2 - 2 * a ** 2 * _XI, "A": (Eb - _XI) ** 2 - N ** 2 - 2 * a ** 2 * _XI}
    prod, nR, nA = _S["0"], 0, 0
    for tok in word.split():
        if tok[0] == "G":
            prod = prod * num[tok[1]]
            nR, nA = nR + (tok[1] == "R"), nA + (tok[1] == "A")
        elif tok[0] == "s":
            prod = prod * _S[tok[1]]
        else:
            spin = tok[0] == "v"
            vx = px * _S["0"] - (a * _S["y"] if spin else sympy.zeros(2))
            vy = py * _S["0"] + (a * _S["x"] if spin else sympy.zeros(2))
            prod = prod * {"x": vx, "y": vy, "+": vx + I * vy, "-": vx - I * vy}[tok[1]]
    comps = {"0": (prod[0, 0] + prod[1, 1]) / 2, "x": (prod[0, 1] + prod[1, 0]) / 2,
             "y": I * (prod[0, 1] - prod[1, 0]) / 2, "z": (prod[0, 0] - prod[1, 1]) / 2}
    # the two retarded poles x± = ((s ∓ a²)² − M²)/2a² of Eq. (C3), checked to be roots
    poles = [((s - a ** 2) ** 2 - M ** 2) / (2 * a ** 2), ((s + a ** 2) ** 2 - M ** 2) / (2 * a ** 2)]
    assert all(sympy.expand(det["R"].subs(_XI, x)) == 0 for x in poles)
    den = sympy.expand(det["R"] ** nR * det["A"] ** nA)
    out = {}
    for k, c in comps.items():
        big = 4 * len(word.split()) + 2
        avg = sympy.Poly(sympy.expand(c * _WV ** big), _WV).coeff_monomial(_WV ** big)
        numer = sympy.Integer(0)
        for (e,), cf in sympy.Poly(sympy.expand(avg), _Q).terms():
            assert e % 2 == 0          # only even powers of q survive the average
            numer += cf * (2 * _XI) ** (e // 2)
        numer = sympy.expand(numer)
        if numer == 0:
            out[k] = sympy.Integer(0)
            continue
        dn, dd = sympy.degree(numer, _XI), sympy.degree(den, _XI)
        if dn >= dd:
            raise ValueError(f"{word}: diverges")
        c_inf = (sympy.Poly(numer, _XI).LC() / sympy.Poly(den, _XI).LC()) if dn == dd - 1 else 0
        f = numer / den
        res = 0
        for x0 in (poles if nR else []):
            g = sympy.cancel(f * (_XI - x0) ** nR)
            res += sympy.diff(g, _XI, nR - 1).subs(_XI, x0) / sympy.factorial(nR - 1)
        total = 2 * sympy.pi * I * res - (I * sympy.pi * c_inf if arc else 0)
        out[k] = sympy.expand(total / (2 * sympy.pi))
    return out


# ------------------------------------------------------------------ Born self-energy (Eq. C1)

def test_born_self_energy_exact():
    """α_d I[GR] = −iγ·1 exactly: c = lim ξ⟨G^R⟩ = −1 (G^R ≈ −1/ξ), so I[GR] = (i/2)(−1) = −i/2
    and α_d = 2γ.  Its σ components vanish (⟨σ_φ⟩ = 0; the σ_z part −M/det decays like ξ⁻²)."""
    v = exact("GR")
    assert sympy.simplify(ev.exact_to_sympy(v["0"]) + I / 2) == 0
    assert all(v[k].is_zero() for k in "xyz")
    va = exact("GA")
    assert sympy.simplify(ev.exact_to_sympy(va["0"]) - I / 2) == 0
    # α_d from the engine's own helper is 2γ (E − Ē = 2iγ)
    from streda.integrals.kubo import alpha_d
    ad = ev.exact_to_sympy(alpha_d(ev.exact_backend()))
    assert sympy.simplify(ad - 2 * sympy.Symbol("gamma", positive=True)) == 0


def test_born_control_residues_without_arc():
    """Negative control: the residues alone (no half-circle term) give −i, not −i/2: the
    whole-real-axis prescription with the symmetric cut-off is what makes Σ = −iγ."""
    for pt in RPOINTS:
        with_arc = reference("GR", **pt)["0"]
        without = reference("GR", **pt, arc=False)["0"]
        assert with_arc == -I / 2 and without == -I and without != with_arc


def test_born_control_spin_dependent_self_energy_is_not_self_consistent():
    """With Σ^R = −i(γ + γ_zσ_z) (M_R = M_z + iγ_z ≠ M_A) the Born equation Σ^R = α_d∫G^R fails in
    its σ_z part: α_d I[GR]_z stays 0 (it depends on M_R only and decays like ξ⁻²) while
    Σ^R_z = −iγ_z.  For γ_z = 0 the residual is exactly zero."""
    gz = sympy.Symbol("gamma_z", real=True)
    g = sympy.Symbol("gamma", positive=True)
    for sd in (False, True):
        v = exact("GR", spin_dependent=sd)
        Iz = ev.exact_to_sympy(v["z"], keep_roots=True, spin_dependent=sd)
        sigma_z = -I * gz if sd else 0
        residual = sympy.simplify(2 * g * Iz - sigma_z)
        assert (residual == 0) is (not sd), (sd, residual)


# ------------------------------------------------------------------ Eq. (C4), lines 3-4

def _times_alpha_d_over_a(value: Cx):
    """α_d·value/a in the variables (s, t, a): α_d = 2γ = (s² − t²)/(2i a²)."""
    e = ev.exact_to_sympy(value, keep_roots=True).subs(sympy.sqrt(sympy.Symbol("Delta", positive=True)), a_)
    S, T = ev.S_SYM, ev.T_SYM
    return sympy.factor(sympy.cancel(e * (S ** 2 - T ** 2) / (2 * I * a_ ** 2) / a_))


def test_C4_kinetic_vertex_exact_in_gamma():
    """α_d ∫ G^A (p_x/α) G^R = σ_y and α_d ∫ G^A (p_y/α) G^R = −σ_x, as identities in (s, t, a, M)
    -- no expansion in γ.  (Equivalently Γ^p = p/m solves the vertex equation C5a.)"""
    vx = {k: _times_alpha_d_over_a(v) for k, v in exact("GA px GR").items()}
    vy = {k: _times_alpha_d_over_a(v) for k, v in exact("GA py GR").items()}
    assert vx == {"0": 0, "x": 0, "y": 1, "z": 0}
    assert vy == {"0": 0, "x": -1, "y": 0, "z": 0}
    # and by hermiticity the R...A orientation gives the same
    assert {k: _times_alpha_d_over_a(v) for k, v in exact("GR px GA").items()} == vx


def test_C4_control_bare_velocity():
    """Negative control, with its value: v_x = p_x − ασ_y, so by (C4) (the σ_y line, exact in γ:
    α_d∫G^Aσ_yG^R = [(εΔ + γ²)σ_y − M_zγσ_x]/(M_z² + 2εΔ + γ², see test_dressed.py) the same
    combination is σ_y − that = [(M_z² + εΔ)σ_y + M_zγσ_x]/(M_z² + 2εΔ + γ²), not σ_y."""
    from streda.integrals import model as Mo

    e_, g_, D_, Mz_ = Mo.eps, Mo.gamma, Mo.Delta, Mo.Mz
    den = Mz_ ** 2 + 2 * e_ * D_ + g_ ** 2
    want = {"0": 0, "x": Mz_ * g_ / den, "y": (Mz_ ** 2 + e_ * D_) / den, "z": 0}
    for k, v in exact("GA vx GR").items():
        got = 0 if v.is_zero() else ev.exact_to_sympy(v) * 2 * g_ / sympy.sqrt(D_)
        assert sympy.simplify(got - want[k]) == 0, k
    assert sympy.simplify(want["y"] - 1) != 0


# ------------------------------------------------------------------ Ward identities

def _gamma_of_st():
    return (ev.S_SYM ** 2 - ev.T_SYM ** 2) / (4 * I * a_ ** 2)


@pytest.mark.parametrize("word,expected", [
    ("GR GA", lambda g: 1 / (2 * g)),
    ("GR GR GA", lambda g: -I / (4 * g ** 2)),
    ("GR GA GA", lambda g: I / (4 * g ** 2)),
    ("GA GR", lambda g: 1 / (2 * g)),
])
def test_resolvent_identities_exact(word, expected):
    """G^R G^A = (G^A − G^R)/(2iγ) integrated, with I[GR] = −i/2, I[GA] = i/2, I[GR GR] = I[GA GA] = 0."""
    v = exact(word)
    g = _gamma_of_st()
    got = ev.exact_to_sympy(v["0"], keep_roots=True).subs(sympy.sqrt(sympy.Symbol("Delta", positive=True)), a_)
    assert sympy.cancel(got - expected(g)) == 0
    assert all(v[k].is_zero() for k in "xyz")


def test_resolvent_identity_control_spin_dependent():
    """Negative control: with a spin-dependent self-energy G^R − G^A = −2i G^R(γ + γ_zσ_z)G^A is not
    scalar, and I[GR GA] acquires a σ_z part."""
    v = exact("GR GA", spin_dependent=True)
    assert not v["z"].is_zero()


# ------------------------------------------------------------------ retarded-only words in closed form

@pytest.mark.parametrize("word,closed", [
    ("GR", {"0": -I / 2}),                              # c = −1
    ("GA", {"0": I / 2}),                               # advanced: −(i/2)c
    ("vx GR vx GR", {"0": I / 2}),                      # c = ⟨p_x²⟩/ξ = 1
    ("px GR sz GR px", {"z": I / 2}),                   # c = σ_z ⟨p_x²⟩/ξ
    ("p+ GR sx GR p-", {"x": I}),                       # c = σ_x ⟨p₊p₋⟩/ξ = 2σ_x
    ("vy GA vy GA", {"0": -I / 2}),                     # advanced, c = 1
    ("vx GR vy GR", {}),                                # ⟨p_x p_y⟩ = 0: decays like ξ⁻²
    ("GR sx GR", {}),                                   # ξ⁻²: zero
    ("GR sz GR vx GR sy GR", {}),
    ("GA sx GA sz GA", {}),
])
def test_one_sided_words_closed_form(word, closed):
    """No pole on one side of the axis: I = ±(i/2) lim ξ⟨integrand⟩ (the half-circle), exactly,
    for every (s, t, a, M) -- checked as an identity of the exact result."""
    v = exact(word)
    for k in LABS:
        got = exact_sym(v[k])
        assert got == closed.get(k, 0), (word, k, got)


# ------------------------------------------------------------------ the sympy reference, exact at rational points

REF_WORDS = [
    "GR", "GR GA", "GA px GR", "GR sx GA", "GR sz GR sx GA", "GR sx GR vx GA", "GR vy GA sx GA",
    "vx GR vy GA", "GR p+ GA p- GA", "GR sx GR vx GA sx GA", "GR GR GA GA", "vx GR vx GR",
    "GR v+ GR sz GA v- GA", "sy GR sx GR vx GA",
]


@pytest.mark.parametrize("word", REF_WORDS)
def test_against_sympy_reference(word):
    """Exact engine (evaluated at the point), the rational-point backend and the sympy reference
    agree exactly, for every component, at two rational points."""
    v = exact(word)
    for pt in RPOINTS:
        ref = reference(word, **pt)
        rat = integrate_word(W(word), rational_backend(**pt))
        for k in LABS:
            assert exact_at(v[k], pt) == ref[k], (word, pt, k)
            assert rational_at(rat[k]) == ref[k], (word, pt, k)


@pytest.mark.parametrize("word", ["GR GA", "GA sz GR", "GR sx GR vx GA sx GA"])
def test_spin_dependent_against_sympy_reference(word):
    """The M ≠ N backend (M_R = M + iγ_z, M_A = M − iγ_z as independent variables) vs the reference."""
    v = exact(word, spin_dependent=True)
    pt = dict(RPOINTS[0], N=F(-3, 8))
    ref = reference(word, **pt)
    rat = integrate_word(W(word), rational_backend(**pt))
    for k in LABS:
        assert exact_at(v[k], pt) == ref[k]
        assert rational_at(rat[k]) == ref[k]


def test_reference_control_detects_a_wrong_sign():
    """Negative control for the comparison: the reference with M → −M differs from the engine."""
    v = exact("GR sz GR sx GA")
    pt = RPOINTS[0]
    flipped = reference("GR sz GR sx GA", **dict(pt, M=-pt["M"]))
    assert any(exact_at(v[k], pt) != flipped[k] for k in LABS)


# ------------------------------------------------------------------ the s → −s symmetry

SYM_WORDS = ["GR sx GR vx GA", "GR GR sz GA px GA", "GR sx GR sx GR vy GA sx GA", "GR v+ GA sz GA"]


@pytest.mark.parametrize("word", SYM_WORDS)
def test_flip_symmetry(word):
    """The exact backend computes Res at X₊ and gets Res at X₋ by s → −s; the rational backend
    computes both residues directly.  They agree, and the result is even in s and in t (both
    retarded and both advanced poles enter symmetrically; the branch of the roots is irrelevant)."""
    v = exact(word)
    for pt in RPOINTS:
        rat = integrate_word(W(word), rational_backend(**pt))
        for k in LABS:
            e = exact_at(v[k], pt)
            assert e == rational_at(rat[k])
            assert e == exact_at(v[k], dict(pt, s=-pt["s"]))
            assert e == exact_at(v[k], dict(pt, t=-pt["t"]))


def test_flip_control_single_residue_is_not_even():
    """Negative control: the X₊ residue alone (what the exact backend flips) is not even in s."""
    B = ev.exact_backend()
    L, _ = bubble.word_product(W("GR sx GR vx GA"), B)
    from streda.integrals.harmonics import pauli_components
    poly, _ = pauli_components(L, B)["z"]
    h = B.half_residue(B.coeffs(poly), 2, 1)
    pt = RPOINTS[0]
    assert kfrac_at(h, pt) != kfrac_at(h, dict(pt, s=-pt["s"]))


def test_integrate_sum_is_linear():
    """Σ c_w I[w] computed in one pass (shared X₋ flip) equals the sum of the single integrals."""
    terms = [(W("GR sx GR vx GA"), F(3)), (W("GR vx GA sx GA"), F(-1, 2)), (W("GR"), F(5, 7))]
    tot = integrate_sum(terms, ev.exact_backend())
    singles = [exact(" ".join(f.token for f in w)) for w, _ in terms]
    for pt in RPOINTS:
        for k in LABS:
            want = sum(sympy.Rational(c.numerator, c.denominator) * exact_at(s[k], pt)
                       for (_, c), s in zip(terms, singles))
            assert exact_at(tot[k], pt) == sympy.expand(want)


def test_kfrac_reduce_keeps_the_value():
    """KFrac.reduce cancels known forms: same number at rational points, no more denominator forms."""
    v = integrate_sum([(W("sy GR sx GR vx GA sx GA"), 1), (W("sy GR vx GA sx GA sx GA"), 1)],
                      ev.exact_backend(), ("0",))["0"]
    for part in (v.re, v.im):
        if part is None or part.is_zero():
            continue
        r = part.reduce()
        assert sum(r.den.values()) <= sum(part.den.values())
        for pt in RPOINTS:
            assert kfrac_at(r, pt) == kfrac_at(part, pt)


def test_identity_insertion_is_neutral():
    """σ_0 is the unit matrix: I[GR s0 GA] = I[GR GA] exactly."""
    v, w = exact("GR s0 GR sy GA"), exact("GR GR sy GA")
    for pt in RPOINTS:
        assert all(exact_at(v[k], pt) == exact_at(w[k], pt) for k in LABS)


# ------------------------------------------------------------------ hermiticity

def dagger(word: str) -> str:
    swap = {"GR": "GA", "GA": "GR", "p+": "p-", "p-": "p+", "v+": "v-", "v-": "v+"}
    return " ".join(swap.get(tok, tok) for tok in reversed(word.split()))


HERM_WORDS = ["GR sx GR vx GA", "GR sz GR px GA sx GA", "GR p+ GA sy GA", "sy GR vx GA sz GA sx GA"]


@pytest.mark.parametrize("word", HERM_WORDS)
def test_hermiticity_exact(word):
    """I[W†](s, t) = conj I[W](t, s) exactly (s* = t; a, M real)."""
    v, vd = exact(word), exact(dagger(word))
    for pt in RPOINTS:
        swapped = dict(pt, s=pt["t"], t=pt["s"])
        for k in LABS:
            assert exact_at(vd[k], pt) == sympy.conjugate(exact_at(v[k], swapped))


SELF_ADJOINT = ["GR sx GA", "GR sz GA", "GR px GA", "GR sx GR px GA sx GA", "vy GR sz GA vy"]


@pytest.mark.parametrize("word", SELF_ADJOINT)
def test_self_adjoint_words_have_real_components(word):
    """W† = W: I[W] is a Hermitian matrix, so its Pauli components are real (balls at 30 digits)."""
    assert dagger(word) == word
    for model in (PT1, PT2):
        vals = ball(model, 30, word=word)
        for k in LABS:
            assert vals[k].imag.contains(0), (word, k, vals[k])


def test_hermiticity_control_non_self_adjoint_word():
    """Negative control: GR sx GR px GA (≠ its adjoint) has a component with a non-zero imaginary part."""
    word = "GR sx GR px GA"
    assert dagger(word) != word
    vals = ball(PT1, 30, word=word)
    assert any(not vals[k].imag.contains(0) for k in LABS)


# ------------------------------------------------------------------ three ways at a physical point

THREE_WAY = ["GR", "GA px GR", "GR sx GR vx GA", "GR sx GR vx GA sx GA", "vx GR vx GR", "GR sz GR sx GA sy GA",
             "GR p+ GA p- GA", "vy GR sx GR vx GA", "GR GR sx GR", "GA sz GA sx GA"]


@pytest.mark.parametrize("model", [PT1, PT2], ids=["gamma=1/10", "gamma=7/10"])
@pytest.mark.parametrize("word", THREE_WAY)
def test_three_ways(word, model):
    """exact → sympy → N (40 digits); FLINT balls at 30 digits (must contain it, radius ≤ 1e-25·scale);
    mpmath quadrature at 30 digits (within 10× its own error estimate + 1e-26·scale)."""
    v = exact(word)
    ex = {k: exact_numeric(v[k], model) for k in LABS}
    scale = max([mpmath.mpf(1)] + [abs(x) for x in ex.values()])
    b = ball(model, 30, word=word)
    q, err = integrate_word_quad(word, model, dps=30, error=True)
    for k in LABS:
        assert acb_contains(b[k], ex[k]), (word, k, b[k], ex[k])
        assert ball_radius(b[k]) <= mpmath.mpf("1e-25") * scale
        assert abs(q[k] - ex[k]) <= 10 * err + mpmath.mpf("1e-26") * scale, (word, k, q[k], ex[k], err)


def test_balls_stay_rigorous_at_small_gamma():
    """γ = 10⁻⁶: the 1/γ³ cancellations cost digits, but the 30-digit balls still contain the exact
    value (evaluated at 80 digits) and keep ≥ 15 correct digits."""
    model = RashbaModel.from_string("eps=1,gamma=1/1000000,Delta=3/10,Mz=2/5")
    word = "GR sx GR vx GA sx GA"
    v = exact(word)
    b = ball(model, 30, word=word)
    for k in LABS:
        z = _mp_eval(ev.exact_to_sympy(v[k]), model.subs(), 80)
        assert acb_contains(b[k], z), k
        assert ball_radius(b[k]) <= mpmath.mpf("1e-15") * max(1, abs(z))


def test_three_ways_control_perturbed_point():
    """Negative control: the exact value at a slightly different γ is outside the ball and the quadrature."""
    word = "GR sx GR vx GA"
    v = exact(word)
    moved = RashbaModel.from_string("eps=1,gamma=100001/1000000,Delta=3/10,Mz=2/5")
    ex = exact_numeric(v["z"], moved)
    b = ball(PT1, 30, word=word)["z"]
    q, err = integrate_word_quad(word, PT1, dps=30, error=True)
    assert not acb_contains(b, ex)
    assert abs(q["z"] - ex) > 1000 * err


PT_SD = RashbaModel.from_string("eps=1,gamma=1/10,Delta=3/10,Mz=2/5,gamma_z=1/20")
_GZ = sympy.Symbol("gamma_z", real=True)


def _spin_dependent_roots(model: RashbaModel) -> dict:
    """s² = Δ² + 2EΔ + M_R², t² = Δ² + 2ĒΔ + M_A² with M_{R,A} = M_z ± iγ_z: the relation that
    defines the spin-dependent backend's variables (its poles are X± = (s ∓ a²)² − M_R²)."""
    D, e, g, mz, gz = model.Delta, model.eps, model.gamma, model.Mz, model.gamma_z
    return {ev.S_SYM: sympy.sqrt(D ** 2 + 2 * (e + I * g) * D + (mz + I * gz) ** 2),
            ev.T_SYM: sympy.sqrt(D ** 2 + 2 * (e - I * g) * D + (mz - I * gz) ** 2)}


@pytest.mark.parametrize("word", ["GR GA", "GR sx GR vx GA", "GA sz GR sy GA"])
def test_spin_dependent_three_ways(word):
    """Σ = ∓i(γ + γ_zσ_z): the exact M ≠ N backend (roots substituted by hand), FLINT balls and the
    quadrature (which builds G from the Hamiltonian with the σ_z self-energy) agree."""
    v = exact(word, spin_dependent=True)
    b = ball(PT_SD, 30, word=word)
    q, err = integrate_word_quad(word, PT_SD, dps=30, error=True)
    values = {**PT_SD.subs(), _GZ: PT_SD.gamma_z, **_spin_dependent_roots(PT_SD)}
    for k in LABS:
        e = ev.exact_to_sympy(v[k], keep_roots=True, spin_dependent=True)
        z = _mp_eval(e, values, 50)
        with mpmath.workdps(40):
            assert acb_contains(b[k], z), (word, k)
            assert abs(q[k] - z) <= 10 * err + mpmath.mpf("1e-26") * max(1, abs(z)), (word, k)


def test_exact_to_sympy_spin_dependent_roots():
    """(Regression: the roots once ignored γ_z; s² = Δ² + 2EΔ + (M_z + iγ_z)², t with M_z − iγ_z.)"""
    v = exact("GR GA", spin_dependent=True)
    b = ball(PT_SD, 30, word="GR GA")
    z = _mp_eval(ev.exact_to_sympy(v["0"], spin_dependent=True), {**PT_SD.subs(), _GZ: PT_SD.gamma_z}, 50)
    assert acb_contains(b["0"], z)


# ------------------------------------------------------------------ divergent words

@pytest.mark.parametrize("word", ["GR px px", "sx", "GR vx vx", "GR GA px px py py", "GR px GR px px px"])
def test_divergent_words_are_refused(word):
    """Integrands that do not decay (⟨p_x²⟩ G ~ ξ⁰, a bare σ_x, ...) are refused by every backend,
    with a one-line message; the quadrature path refuses them too."""
    for call in (lambda: exact(word), lambda: ball(PT1, 20, word=word),
                 lambda: integrate_word(W(word), rational_backend(**RPOINTS[0]))):
        with pytest.raises(DivergentIntegral) as info:
            call()
        assert "\n" not in str(info.value) and "diverges" in str(info.value)
        assert isinstance(info.value, ValueError)
    with pytest.raises(QuadratureError):
        integrate_word_quad(word, PT1, dps=15)


def test_divergence_control_convergent_neighbour():
    """Negative control: one more Green's function makes the same vertices convergent (1/ξ tail)."""
    v = exact("GR px GR px")
    assert not v["0"].is_zero()


# ------------------------------------------------------------------ m_e restoration

M2 = RashbaModel.from_string("eps=1,gamma=1/10,Delta=3/10,Mz=2/5,m=2")


@pytest.mark.parametrize("word", ["GR sz GA", "GA px GR", "vx GR vy GA", "GR sx GR vx GA sx GA", "p+ GR sx GA p- GA"])
def test_mass_restoration(word):
    """Substituting p = √m p̃: d²p = m d²p̃, ξ = p̃²/2, αp = √Δ p̃, p/m = p̃/√m, v = (p̃ + √Δ ẑ×σ)/√m,
    so I_m = m^{1 − k/2} I_{m=1} at fixed (ε, γ, Δ, M_z) for k velocity vertices.  Quadrature with
    m_e = 2 vs the engine (m_e = 1) times restore_mass(k)."""
    k = ev.velocity_count(W(word))
    b = ball(M2, 30, word=word)
    q, err = integrate_word_quad(word, M2, dps=30, error=True)
    with mpmath.workdps(40):
        factor = mpmath.mpf(str(sympy.N(ev.restore_mass(k, sympy.Integer(2)), 45)))
        wrong = mpmath.mpf(2) ** (-mpmath.mpf(k) / 2)        # the measure's m_e forgotten
        for lab in LABS:
            mid = mpmath.mpc(b[lab].real.mid().str(35, radius=False), b[lab].imag.mid().str(35, radius=False))
            assert abs(q[lab] - factor * mid) <= 10 * err + mpmath.mpf("1e-25") * max(1, abs(mid)), (word, lab)
            # negative control: a wrong power of m_e is far off whenever the component is non-zero
            if abs(mid) > mpmath.mpf("1e-10"):
                assert abs(q[lab] - wrong * mid) > 1e-3 * abs(q[lab])


# ------------------------------------------------------------------ engine bug: product cache keyed by id()

def test_product_cache_survives_backend_lifetimes():
    """(Regression: the product cache was once keyed by id(backend).)"""
    """A value at a point must not depend on what was computed before at other points."""
    word = W("GR sx GR vx GA")
    pts = [RPOINTS[0], dict(RPOINTS[0], M=F(2, 7))]
    want = [reference("GR sx GR vx GA", **pt)["z"] for pt in pts]
    gc.collect()
    ids, wrong = set(), []
    try:
        for rep in range(10):
            for pt, w in zip(pts, want):
                B = RationalPointBackend(**pt)
                reused = id(B) in ids
                ids.add(id(B))
                got = rational_at(integrate_word(word, B)["z"])
                if got != w:
                    wrong.append((rep, pt["M"], reused))
                del B
    finally:
        gc.collect()
    if len(ids) == 2 * 10 and not wrong:
        pytest.skip("the allocator never recycled a backend address: nothing exercised")
    assert wrong == []
