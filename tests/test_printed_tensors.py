"""Internal consistency of the transcription in ``streda.verify.printed.tensors``.

Each check compares printed equations with one another (or with an exact
identity) so that a typing error in the transcription breaks it; each checker
also has a negative control showing it can fail.  Where the paper's own
equations disagree, the test asserts the precise disagreement (a *finding*):

* (15a) at M_x = 0 vs the K^bare,(0) lines after (C7): τ¹ entries K_xy, K_yx
  have opposite signs; τ⁰: K_xx agrees, K_yy has the opposite sign.
* (15a) at order M_x vs (C8a): K_zx (τ⁰) opposite sign, K_zy (τ¹) agrees.
* (15a) at order M_x² vs (C8b): K_xx, K_yy opposite sign; K_yx differs by a
  factor −1/2; K_xy cannot be compared ('(M_z + εΔ)' is dimensionally wrong),
  but agrees with (15a) if read as '(M_z² − εΔ)'.
* (15a) at M_x = 0 breaks the rotation symmetry of the isotropic model
  (K_xx = −K_yy instead of K_xx = K_yy); (K0bare) and (15b) respect it.
* (C7) is the negative of (16) at M_x = 0, although L560 calls it a particular
  case of (16); (C7) itself follows from (C4) and Γ^p = p/m.
* (K0bare) follows from (C4) at τ¹, while its τ⁰ part has the opposite sign.
* (16) and (17) are consistent (K_J = K σ⁻¹).
"""
from __future__ import annotations

import random

import mpmath
import pytest
import sympy
from sympy import Matrix, Rational, eye

from streda.integrals.model import Delta, Mx, Mz, alpha_R, e_charge, eps, gamma, m_e, tau
from streda.verify.printed import tensors as T
from streda.verify.printed.tensors import (EQUATIONS, NotPrinted, PrintedEntry, UnknownEquation,
                                           canonical, entries, get, kappa, p_x, p_y, to_tau,
                                           whole_entries)

SIG = {"0": eye(2), "x": Matrix([[0, 1], [1, 0]]), "y": Matrix([[0, -sympy.I], [sympy.I, 0]]),
       "z": Matrix([[1, 0], [0, -1]])}


def same(a, b) -> bool:
    """Exact equality after rewriting both in the model's independent variables."""
    return sympy.simplify(canonical(a) - canonical(b)) == 0


def ratio(a, b):
    return sympy.simplify(canonical(a) / canonical(b))


# ------------------------------------------------------------------ access API
def test_equation_names_and_errors():
    assert EQUATIONS == ("15a", "15b", "C4", "C6", "C7", "K0bare", "C8a", "C8b", "16", "17")
    for eq in EQUATIONS:
        assert whole_entries(eq) and all(isinstance(e, PrintedEntry) for e in entries(eq))
    with pytest.raises(KeyError) as exc:
        entries("C9")
    assert isinstance(exc.value, UnknownEquation)
    msg = str(exc.value)
    assert "\n" not in msg and msg.startswith("unknown equation 'C9'") and "K0bare" in msg
    with pytest.raises(NotPrinted, match=r"no such entry"):
        get("15a", "w", "x")
    with pytest.raises(NotPrinted, match=r"no printed M_x\^4 term"):
        get("15a", "x", "x", mx_order=4)
    with pytest.raises(NotPrinted, match=r"no printed M_x\^0 term"):
        get("C8a", "z", "x", mx_order=0)
    with pytest.raises(NotPrinted, match=r"no printed tau\^2 term"):
        get("16", "x", "y", tau_order=2)


def test_entry_is_frozen_and_term_restores_orders():
    e = get("15a", "z", "y", mx_order=1, tau_order=1)
    with pytest.raises(Exception):
        e.expr = 0  # frozen dataclass
    assert e.term() == e.expr * Mx * tau
    assert get("C8a", "z", "y").mx_order == 1 and get("C8a", "z", "y", mx_order=1).tau_order is None


def test_shapes():
    for eq in ("15a", "C7", "K0bare", "C8a", "C8b"):
        assert {(e.row, e.column) for e in whole_entries(eq)} == {(r, c) for r in "xyz" for c in "xy"}
    assert {(e.row, e.column) for e in whole_entries("15b")} == {(r, c) for r in "xy" for c in "xy"}
    cols = {"sigma_x", "sigma_y", "p_x/(alpha_R m_e)", "p_y/(alpha_R m_e)", "sigma_z"}
    assert {e.column for e in whole_entries("C4")} == cols
    assert {e.row for e in whole_entries("C4")} == {"0", "x", "y", "z"}
    assert len(whole_entries("16")) == 6 + 4 and len(whole_entries("17")) == 6 + 1


# ------------------------------------------------------------------ pieces vs whole
def piece_mismatches(records) -> list:
    """Whole entries that differ from Σ c_kj M_x^(k-k0) τ^j of their pieces (γ = 1/2τ)."""
    bad = []
    wholes = [e for e in records if e.tau_order is None]
    for w in wholes:
        ps = [e for e in records if e.is_piece and (e.row, e.column) == (w.row, w.column)]
        k0 = w.mx_order or 0
        total = sum((p.expr * Mx ** (p.mx_order - k0) * tau ** p.tau_order for p in ps), sympy.S(0))
        if not ps or sympy.simplify(canonical(to_tau(w.expr) - total)) != 0:
            bad.append((w.equation, w.row, w.column))
    return bad


@pytest.mark.parametrize("eq", EQUATIONS)
def test_pieces_sum_to_printed_entry(eq):
    assert piece_mismatches(entries(eq)) == []


def test_pieces_check_catches_a_typo():  # negative control
    recs = entries("15a")
    i = next(i for i, e in enumerate(recs) if (e.row, e.column, e.mx_order, e.tau_order) == ("x", "y", 2, 1))
    bad = PrintedEntry(**{**recs[i].__dict__, "expr": -recs[i].expr})
    assert piece_mismatches(recs[:i] + [bad] + recs[i + 1:]) == [("15a", "x", "y")]


def test_notes_and_issues_are_consistent():
    for eq in EQUATIONS:
        for e in entries(eq):
            assert (e.note is None) == (not e.issues) == e.comparable
            assert e.issues <= set(T.ISSUES)
            if "tau0-not-printed" in e.issues:
                assert e.tau_order == 0 and e.expr == 0
    # the ones the brief asks for
    assert get("C8b", "x", "y").issues == {"dimension"}
    assert get("C4", "z", "sigma_z").issues == {"denominator-M"}
    assert get("15a", "x", "y", 0, 0).issues == {"tau0-not-printed"}
    assert get("15a", "x", "x", 0, 1).comparable and get("15a", "x", "x", 0, 1).expr == 0


def test_sum_over_one_order():
    # coefficient of M_x^2 summed over τ: only τ¹ is printed for K_yx
    e = get("15a", "y", "x", mx_order=2)
    assert same(e.expr, get("15a", "y", "x", 2, 1).expr * tau)
    assert "tau0-not-printed" in e.issues  # inherited from the τ⁰ piece
    # coefficient of τ¹ summed over M_x: reproduces the whole entry of a τ-linear entry
    assert same(get("15a", "z", "y", tau_order=1).expr * tau, get("15a", "z", "y").expr)


# ------------------------------------------------------------------ dimensions
# exponents of (energy, mass, charge); ħ = 1, p² / m is an energy, Δ = m α² is an energy
DIM = {eps: (1, 0, 0), gamma: (1, 0, 0), Delta: (1, 0, 0), Mz: (1, 0, 0), Mx: (1, 0, 0),
       tau: (-1, 0, 0), m_e: (0, 1, 0), alpha_R: (Rational(1, 2), Rational(-1, 2), 0),
       e_charge: (0, 0, 1), p_x: (Rational(1, 2), Rational(1, 2), 0),
       p_y: (Rational(1, 2), Rational(1, 2), 0), kappa: (0, 0, 0)}
K_DIM = (Rational(-1, 2), Rational(1, 2), 1)   # e √(m/E): e α m τ of Eq. (16)
SIGMA_DIM = (0, 0, 2)                            # e²
KJ_DIM = (Rational(-1, 2), Rational(1, 2), -1)   # K / σ


def tensor_dim(e: PrintedEntry):
    """The dimension the *tensor* of ``e`` must have (before stripping orders)."""
    if e.equation in ("15a", "C7", "K0bare", "C8a", "C8b"):
        return K_DIM
    if e.equation == "15b" or (e.equation == "16" and e.row.startswith("sigma")):
        return SIGMA_DIM
    if e.equation == "16":
        return K_DIM
    if e.equation == "17":
        return KJ_DIM
    if e.equation == "C6" and e.column in ("p_x", "p_y"):
        return (Rational(1, 2), Rational(-1, 2), 0)  # velocity
    return (0, 0, 0)  # C4 and Γ^σ


def homogeneous(expr, dim, seed=7) -> bool:
    """expr(λ-scaled variables) == λ^dim expr at two random points (50 digits)."""
    expr = sympy.sympify(expr)
    if expr == 0:
        return True
    lam = (sympy.Integer(2), sympy.Integer(3), sympy.Integer(5))
    rng = random.Random(seed)
    for _ in range(2):
        pt = {s: Rational(rng.randint(3, 97), rng.randint(3, 97)) for s in expr.free_symbols}
        scaled = {s: v * sympy.Mul(*(l ** d for l, d in zip(lam, DIM[s]))) for s, v in pt.items()}
        lhs = sympy.N(expr.subs(scaled), 50)
        rhs = sympy.N(sympy.Mul(*(l ** d for l, d in zip(lam, dim))) * expr.subs(pt), 50)
        if abs(lhs - rhs) > mpmath.mpf(10) ** -35 * max(abs(rhs), 1):
            return False
    return True


def test_dimension_of_every_entry():
    failing, noted = set(), set()
    for eq in EQUATIONS:
        for e in entries(eq):
            d = tensor_dim(e)
            want = (d[0] - (e.mx_order or 0) + (e.tau_order or 0), d[1], d[2])
            key = (e.equation, e.row, e.column, e.mx_order, e.tau_order)
            if not homogeneous(e.expr, want):
                failing.add(key)
            if "dimension" in e.issues:
                noted.add(key)
    assert failing == noted
    assert failing == {("C8b", "x", "y", 2, None), ("C8b", "x", "y", 2, 1)}


def test_dimension_check_can_fail():  # negative control
    assert not homogeneous(Mz + eps * Delta, (1, 0, 0))
    assert not homogeneous(e_charge * alpha_R * m_e * tau, (0, 0, 1))  # a K entry is not e²
    assert homogeneous(e_charge * alpha_R * m_e * tau, K_DIM)


# ------------------------------------------------------------------ symmetry (Eq. 11)
# parity of K_αβ (and σ_αβ) under M_z → −M_z and M_x → −M_x, Eq. (11) and the text after (13)
PARITY = {("x", "x"): (-1, 1), ("x", "y"): (1, 1), ("y", "x"): (1, 1), ("y", "y"): (-1, 1),
          ("z", "x"): (1, -1), ("z", "y"): (-1, -1)}
SIGMA_PARITY = {("x", "x"): (1, 1), ("y", "y"): (1, 1), ("x", "y"): (-1, 1), ("y", "x"): (-1, 1)}


def parity_violations(records, table) -> set:
    bad = set()
    for e in records:
        if e.tau_order is not None or (e.row, e.column) not in table:
            continue
        pz, px = table[(e.row, e.column)]
        full = e.term()
        if sympy.simplify(full.subs(Mz, -Mz) - pz * full) != 0 or \
                sympy.simplify(full.subs(Mx, -Mx) - px * full) != 0:
            bad.add((e.equation, e.row, e.column))
    return bad


def test_symmetry_of_eq_11():
    bad = set()
    for eq in ("15a", "K0bare", "C7", "C8a", "C8b", "16"):
        bad |= parity_violations(whole_entries(eq), PARITY)
    bad |= parity_violations(whole_entries("15b"), SIGMA_PARITY)
    # the only violation is the entry whose printed form is dimensionally wrong
    assert bad == {("C8b", "x", "y")}


def test_symmetry_check_can_fail():  # negative control: μ_z² typed as μ_z
    e = get("15a", "x", "y")
    typo = PrintedEntry(**{**e.__dict__, "expr": e.expr.subs(T.mu_z ** 2, T.mu_z)})
    assert typo.expr != e.expr
    assert parity_violations([typo], PARITY) == {("15a", "x", "y")}


def test_rotation_symmetry_at_mx_0():
    """At M_x = 0 the model is isotropic: the in-plane block is a·1 + b·ε."""
    for eq in ("K0bare", "C7"):
        assert same(get(eq, "x", "x").expr, get(eq, "y", "y").expr)
        assert same(get(eq, "x", "y").expr, -get(eq, "y", "x").expr)
    assert same(get("15b", "x", "x", mx_order=0).expr, get("15b", "y", "y", mx_order=0).expr)
    assert same(get("15b", "x", "y", mx_order=0).expr, -get("15b", "y", "x", mx_order=0).expr)
    assert same(get("15a", "x", "y", mx_order=0).expr, -get("15a", "y", "x", mx_order=0).expr)
    # FINDING: (15a) breaks it: K_xx = -K_yy at M_x = 0 (one of the two signs is a misprint)
    assert same(get("15a", "x", "x", mx_order=0).expr, -get("15a", "y", "y", mx_order=0).expr)
    assert not same(get("15a", "x", "x", mx_order=0).expr, get("15a", "y", "y", mx_order=0).expr)


# ------------------------------------------------------------------ (15a) vs Appendix C
def test_15a_at_mx0_vs_K0bare_leading_order():
    """The paper says (15a) summarises Appendix C; at M_x = 0 compare with the lines after (C7).

    FINDING: at the leading τ order of each entry the two agree only for K_xx;
    K_xy, K_yx (τ¹) and K_yy (τ⁰) have opposite signs.
    """
    leading = {("x", "x"): 0, ("x", "y"): 1, ("y", "x"): 1, ("y", "y"): 0}
    found = {rc: ratio(get("15a", *rc, 0, j).expr, get("K0bare", *rc, 0, j).expr)
             for rc, j in leading.items()}
    assert found == {("x", "x"): 1, ("x", "y"): -1, ("y", "x"): -1, ("y", "y"): -1}
    # the zero τ orders agree (K_xx, K_yy have no τ¹ part in both)
    for rc in (("x", "x"), ("y", "y")):
        assert get("15a", *rc, 0, 1).expr == 0 and get("K0bare", *rc, 0, 1).expr == 0


def test_15a_linear_in_mx_vs_C8a():
    """FINDING: K_zy (τ¹) agrees; K_zx (τ⁰) has the opposite sign; rows x, y vanish in both."""
    assert ratio(get("15a", "z", "y", 1, 1).expr, get("C8a", "z", "y", 1, 1).expr) == 1
    assert ratio(get("15a", "z", "x", 1, 0).expr, get("C8a", "z", "x", 1, 0).expr) == -1
    for r in "xy":
        for c in "xy":
            for j in (1, 0):
                assert get("15a", r, c, 1, j).expr == 0 and get("C8a", r, c, 1, j).expr == 0


def test_15a_quadratic_in_mx_vs_C8b():
    """FINDING: K_xx, K_yy opposite sign, K_yx off by −1/2, K_xy not comparable (dimension)."""
    assert ratio(get("15a", "x", "x", 2, 0).expr, get("C8b", "x", "x", 2, 0).expr) == -1
    assert ratio(get("15a", "y", "y", 2, 0).expr, get("C8b", "y", "y", 2, 0).expr) == -1
    assert ratio(get("C8b", "y", "x", 2, 1).expr, get("15a", "y", "x", 2, 1).expr) == Rational(-1, 2)
    assert not get("C8b", "x", "y", 2, 1).comparable
    # reading '(M_z + εΔ)' as '(M_z² − εΔ)' would make K_xy agree with (15a)
    fixed = get("C8b", "x", "y", 2, 1).expr.subs(Mz + eps * Delta, Mz ** 2 - eps * Delta)
    assert same(fixed, get("15a", "x", "y", 2, 1).expr)
    for c in "xy":
        for j in (1, 0):
            assert get("15a", "z", c, 2, j).expr == 0 and get("C8b", "z", c, 2, j).expr == 0


def test_comparison_can_fail():  # negative control: a printed entry against itself with a sign flip
    a = get("15a", "x", "y", 0, 1).expr
    assert ratio(a, a) == 1 and ratio(-a, a) == -1 and not same(-a, a)


# ------------------------------------------------------------------ Appendix C internally
def c4_matrix(column: str, subs_mx0: bool = True) -> Matrix:
    """α_d ∫ G^A X G^R of (C4) as a 2×2 matrix."""
    m = sum((get("C4", c, column).expr * SIG[c] for c in "0xyz"), sympy.zeros(2))
    return m.subs(Mx, 0) if subs_mx0 else m


def ra_from_c4(column: str) -> Matrix:
    """α_d ∫ G^R X G^A from (C4) by the exact identity G_p^T = G_{p'}, p' = (−p_x, p_y).

    Transposing, α_d∫G^R X G^A = [α_d∫G^A X'^T G^R]^T with X'^T(p) = X(p')^T:
    σ_x → σ_x, σ_y → −σ_y (σ_y^T = −σ_y), p_x → −p_x, p_y → p_y.
    """
    sign = {"sigma_x": 1, "sigma_y": -1, "p_x/(alpha_R m_e)": -1, "p_y/(alpha_R m_e)": 1}[column]
    return (sign * c4_matrix(column)).T


def test_transpose_identity_behind_ra_from_c4():
    """H(p)^T = H(p') for the Rashba model (C1), so G^T_p = G_{p'} (used by :func:`ra_from_c4`)."""
    px_, py_ = sympy.symbols("px py", real=True)
    H = (px_ ** 2 + py_ ** 2) / (2 * m_e) * eye(2) + alpha_R * (SIG["x"] * py_ - SIG["y"] * px_) - Mz * SIG["z"]
    assert (H.T - H.subs(px_, -px_)).expand() == sympy.zeros(2)
    assert (H.T - H).expand() != sympy.zeros(2)  # negative control: H itself is not symmetric


def kubo_from_c4(beta: str, vertex: str) -> dict:
    """(e/4π) Tr σ_α ∫G^R V_β G^A from (C4) with α_d = 1/(m_e τ), γ = 1/2τ; V = v (bare) or p/m."""
    px_part = ra_from_c4(f"p_{beta}/(alpha_R m_e)") * alpha_R   # α_d ∫ G^R (p_β/m_e) G^A
    spin = {"x": -ra_from_c4("sigma_y"), "y": ra_from_c4("sigma_x")}[beta] * alpha_R
    inner = px_part + (spin if vertex == "v" else sympy.zeros(2))
    inner = inner * m_e * tau  # divide by α_d
    return {a: sympy.simplify(to_tau(e_charge / (4 * sympy.pi) * (SIG[a] * inner).trace())) for a in "xyz"}


def tau_split(expr):
    """(τ¹ coefficient, τ⁰ part) of an expression affine in τ (asserted)."""
    c1 = sympy.simplify(sympy.diff(expr, tau))
    c0 = sympy.simplify(expr - c1 * tau)
    assert tau not in c1.free_symbols and tau not in c0.free_symbols
    return c1, c0


def test_K0bare_from_C4():
    """FINDING: (K0bare) follows from (C4) at order τ¹, but its τ⁰ part has the opposite sign."""
    for beta in "xy":
        k = kubo_from_c4(beta, "v")
        for a in "xyz":
            printed = get("K0bare", a, beta)
            d1, d0 = tau_split(k[a])
            assert same(d1, get("K0bare", a, beta, 0, 1).expr)
            assert same(d0, -get("K0bare", a, beta, 0, 0).expr)
            assert (d0 == 0) == (a != beta)
            assert printed.mx_order == 0


def test_C7_from_C4_and_C6a_and_C7_middle_form():
    """(C7) = (e/4π) Tr σ_α ∫G^R (p_β/m) G^A (Γ^p = p/m, C6a) from (C4); also its middle form."""
    alpha_D = 1 / (m_e * tau)
    for beta, (sgn, s) in {"x": (1, "y"), "y": (-1, "x")}.items():
        k = kubo_from_c4(beta, "p")
        for a in "xyz":
            assert same(k[a], get("C7", a, beta).expr)
            middle = sgn * e_charge * alpha_R / (4 * sympy.pi * alpha_D) * (SIG[a] * SIG[s]).trace()
            assert same(middle, get("C7", a, beta).expr)


def test_C7_vs_16():
    """FINDING: L560 says (C7) is the M_x = 0 case of (16), but every entry has the opposite sign."""
    for a in "xyz":
        for b in "xy":
            assert same(get("C7", a, b).expr, -get("16", a, b).expr)
    assert not same(get("C7", "y", "x").expr, get("16", "y", "x").expr)


def _vertex(column: str) -> Matrix:
    return sum((get("C6", c, column).expr * SIG[c] for c in "0xyz"), sympy.zeros(2))


def _ladder(gam: Matrix) -> Matrix:
    """L(Γ) = α_d ∫ G^A Γ G^R, linear in Γ, from the Pauli-component table of (C4) at M_x = 0."""
    cx, cy, cz = ((gam * SIG[c]).trace() / 2 for c in "xyz")
    return cx * c4_matrix("sigma_x") + cy * c4_matrix("sigma_y") + cz * c4_matrix("sigma_z")


def vertex_residual(column: str, gam: Matrix) -> Matrix:
    """Γ − σ − L(Γ) of (C5b), kept to first order in γ (C4 and C6 are printed to that order)."""
    bare = SIG[column[-1]]
    res = (gam - bare - _ladder(gam)).applyfunc(lambda x: sympy.series(x, gamma, 0, 2).removeO())
    return res.applyfunc(sympy.simplify)


@pytest.mark.parametrize("column", ["sigma_x", "sigma_y", "sigma_z"])
def test_C6_solves_C5b_with_C4(column):
    assert vertex_residual(column, _vertex(column)) == sympy.zeros(2)


def test_C6_check_can_fail():  # negative control: sign of the γ term of Γ^σ_x flipped
    g = _vertex("sigma_x")
    flipped = g - 2 * get("C6", "y", "sigma_x").expr * SIG["y"]
    assert vertex_residual("sigma_x", flipped) != sympy.zeros(2)


def test_C4_sigma_z_line_needs_M_equal_Mz():
    """With M² = M_x² + M_z² taken literally, (C6a) no longer solves (C5b) at M_x ≠ 0."""
    g = _vertex("sigma_z")
    res = g - SIG["z"] - (g * SIG["z"]).trace() / 2 * c4_matrix("sigma_z", subs_mx0=False)
    assert sympy.simplify(res.subs(Mx, 0)) == sympy.zeros(2)
    assert sympy.simplify(res) != sympy.zeros(2)


def test_C6a_Gamma_p_solves_C5a_with_C4():
    """Γ^p = p/m solves Γ = v + L(Γ) exactly, using the p lines of (C4)."""
    for beta, (pvar, sgn, s) in {"x": (p_x, -1, "y"), "y": (p_y, 1, "x")}.items():
        gam = _vertex(f"p_{beta}")
        assert gam == pvar / m_e * eye(2)
        v = pvar / m_e * eye(2) + sgn * alpha_R * SIG[s]
        ladder = alpha_R * c4_matrix(f"p_{beta}/(alpha_R m_e)")  # α_d∫G^A (p_β/m) G^R
        assert (gam - v - ladder).expand() == sympy.zeros(2)
        assert (gam - v).expand() != sympy.zeros(2)  # the ladder is needed


# ------------------------------------------------------------------ (16) vs (17)
def kj_from_16(sigma_scale=1) -> Matrix:
    K = Matrix(3, 2, lambda i, j: get("16", "xyz"[i], "xy"[j]).expr)
    S = Matrix(2, 2, lambda i, j: get("16", "sigma_" + "xy"[i], "xy"[j]).expr) * sigma_scale
    return K * S.inv()


def test_16_and_17_consistent():
    kj = kj_from_16()
    for i, a in enumerate("xyz"):
        for j, b in enumerate("xy"):
            assert same(kj[i, j], get("17", a, b).expr)
    assert same(get("17", "a_J", None).expr / kappa, get("17", "x", "y").expr)
    # both τ-independent, as the text says
    assert all(get("17", a, b, tau_order=1).expr == 0 for a in "xyz" for b in "xy")


def test_16_17_check_can_fail():  # negative control: σ off by a factor
    kj = kj_from_16(sigma_scale=2)
    assert not same(kj[0, 1], get("17", "x", "y").expr)


def test_16_claims_no_M_dependence():
    for e in entries("16") + entries("17"):
        if e.mx_order and e.tau_order is not None:
            assert e.expr == 0
        assert Mx not in e.expr.free_symbols and Mz not in e.expr.free_symbols
