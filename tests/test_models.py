"""The model object owns the Hamiltonian: frames derived from H, the engine's Laurent tables
checked against H itself, the quadrature path built from H.

Independent expectations: the Laurent tables of :mod:`streda.integrals.harmonics` are
compared with T⁻¹ X(p) T computed here by sympy from ``Model.hamiltonian()`` and
``Model.velocity()`` at an exact rational point (z, η), and a hand-typed Hamiltonian with
the opposite Rashba sign (a failing control) is refused or found different.
"""
from __future__ import annotations

from fractions import Fraction

import pytest
import sympy

from streda.integrals.harmonics import factor_laurent
from streda.integrals.model import ModelError
from streda.integrals.models import Model, frame_of, get_model, px, py
from streda.integrals.pointwise import RationalPointBackend
from streda.integrals.word import Factor

# an exact point of the frame variables: a = α, M = M_z, s (so E = (s² − a⁴ − M²)/2a²), q, w
A, MZ, S = sympy.Rational(1, 2), sympy.Rational(1, 3), sympy.Rational(7, 5)
Q = sympy.Rational(3, 4)
W = (3 + 4 * sympy.I) / 5          # on the unit circle: w = e^{iφ}


def _numeric(model_name: str, X: sympy.Matrix) -> sympy.Matrix:
    """X(p) at the point, T⁻¹ X T in the frame read off H (T = diag(1, phase·z))."""
    fr = frame_of(model_name)
    z = Q * W ** (-fr.winding)
    T = sympy.diag(1, fr.phase * z)
    p = {px: Q * (W + 1 / W) / 2, py: Q * (W - 1 / W) / (2 * sympy.I)}
    return sympy.simplify(T.inv() * X.subs(p) * T)


def _table(model_name: str, factor: Factor) -> sympy.Matrix:
    """The harmonics table of ``factor`` evaluated at the same point."""
    fr = frame_of(model_name)
    B = RationalPointBackend(s=Fraction(7, 5), t=Fraction(7, 5), a=Fraction(1, 2), M=Fraction(1, 3),
                             model=model_name)
    L, pre = factor_laurent(factor, B)
    z = Q * W ** (-fr.winding)
    eta = A ** 2 * Q ** 2                      # η = 2a²ξ with ξ = q²/2 (m_e = 1)
    out = sympy.zeros(2, 2)
    for k, mat in L.items():
        for i in range(2):
            for j in range(2):
                poly = mat[i][j]
                val = sum(sympy.Rational(int(c.p), int(c.q)) * eta ** n for n, c in enumerate(poly.coeffs()))
                out[i, j] += val * z ** k
    scal = sympy.Rational(pre.c.numerator, pre.c.denominator) * sympy.I ** pre.ipow * A ** pre.apow
    if factor.kind == "G":                     # the table holds the numerator of G' (harmonics doc)
        scal /= (eta - ((S - A ** 2) ** 2 - MZ ** 2)) * (eta - ((S + A ** 2) ** 2 - MZ ** 2))
    return sympy.simplify(out * scal)


def _model_matrix(model: Model, factor: Factor) -> sympy.Matrix:
    sub = {model.parameter("Delta").symbol: A ** 2, model.parameter("m").symbol: 1,
           model.parameter("Mz").symbol: MZ, model.parameter("Mx").symbol: 0,
           model.parameter("My").symbol: 0}
    for sym, expr in model.derived:
        sub[sym] = expr.subs(sub)
    pauli = {"0": sympy.eye(2), "x": sympy.Matrix([[0, 1], [1, 0]]),
             "y": sympy.Matrix([[0, -sympy.I], [sympy.I, 0]]), "z": sympy.diag(1, -1)}
    if factor.kind == "sigma":
        return pauli[factor.label]
    if factor.kind == "G":
        E = (S ** 2 - A ** 4 - MZ ** 2) / (2 * A ** 2)
        return (E * sympy.eye(2) - model.hamiltonian().subs(sub)).inv()
    if factor.kind == "p":
        vec = (px, py)
    else:
        vec = (model.velocity("x").subs(sub), model.velocity("y").subs(sub))
    one = sympy.eye(2) if factor.kind == "p" else 1
    x, y = (c * one for c in vec)
    return {"x": x, "y": y, "+": x + sympy.I * y, "-": x - sympy.I * y}[factor.label]


FACTORS = [Factor("G", "R")] + [Factor("sigma", c) for c in "0xyz"] + \
    [Factor(k, c) for k in ("p", "v") for c in ("x", "y", "+", "-")]


@pytest.mark.parametrize("name", ["rashba", "dresselhaus"])
@pytest.mark.parametrize("factor", FACTORS, ids=lambda f: f.token)
def test_laurent_tables_equal_the_frame_of_H(name, factor):
    """Every table entry equals T⁻¹ X(p) T with X from the model's own H and v = ∂H/∂p."""
    model = get_model(name)
    assert sympy.simplify(_table(name, factor) - _numeric(name, _model_matrix(model, factor))) == sympy.zeros(2, 2)


def test_control_wrong_frame_differs():
    """Failing control: the Dresselhaus tables against the Rashba H differ (velocity and G)."""
    r = get_model("rashba")
    for factor in (Factor("v", "x"), Factor("G", "R")):
        diff = _table("dresselhaus", factor) - _numeric("dresselhaus", _model_matrix(r, factor))
        assert sympy.simplify(diff) != sympy.zeros(2, 2)


def test_frames_are_read_off_H():
    assert (frame_of("rashba").winding, frame_of("rashba").phase) == (-1, sympy.I)
    assert (frame_of("dresselhaus").winding, frame_of("dresselhaus").phase) == (1, 1)
    assert frame_of("dirac").winding == -1              # v(p_x − i p_y): a frame exists
    with pytest.raises(ModelError, match="no exact rotated frame"):
        frame_of("rashba+dresselhaus")


def test_user_model_with_opposite_rashba_sign_is_refused_by_the_engine():
    """A user model H = ξ − α(σ×p)_z has phase −i: no table, one-line ModelError (not wrong numbers)."""
    r = get_model("rashba")
    flipped = Model("anti-rashba", (r.h[0], -r.h[1] - 2 * r.parameter("Mx").symbol,
                                    -r.h[2] - 2 * r.parameter("My").symbol, r.h[3]),
                    r.parameters, r.capabilities, derived=r.derived)
    assert frame_of(flipped).phase == -sympy.I
    B = RationalPointBackend(s=3, t=2, a=1, M=0, model=flipped)
    with pytest.raises(ModelError, match="no Laurent table"):
        factor_laurent(Factor("G", "R"), B)
