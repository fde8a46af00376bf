"""Ladder-dressed σ with magnetic white noise V(1 + u_z σ_z): the general ladder solver.

Independent sources: (i) scalar disorder, where Γ = p/m solves the vertex equation in closed
form (dressing.dressed_sigma_parts) -- the general solver must reproduce it; (ii) the limit
α_R → 0 (Δ → 0), derived here by hand; (iii) a second route at finite Δ: the ladder algebra
written out below with mpmath matrices over words integrated by the quadrature path.
"""
import mpmath
import pytest
import sympy

from streda.integrals import tensor
from streda.integrals.disorder import SCALAR, Disorder

P = "eps=1,gamma=1/10,Delta=3/10,Mz=2/5"


def test_general_solver_equals_closed_form_for_scalar_disorder():
    """Scalar W: the general ladder solver (1 − L)⁻¹ must give the RA of Γ = p/m, order by order."""
    from streda.integrals import evaluate as ev
    from streda.integrals.dressing import dressed_sigma_numeric, dressed_sigma_parts
    from streda.integrals.model import RashbaModel
    from streda.integrals.pointwise import to_acb

    pt = RashbaModel.from_string(P)
    with ev.flint_precision(40):
        B = ev.ball_backend(pt, "rashba")
        ad0 = to_acb(SCALAR.alpha_d0(pt.gamma, 1))
        for r, c in (("x", "x"), ("x", "y"), ("y", "x")):
            gen = dressed_sigma_numeric(B, r, c, 2, SCALAR, alpha_d_value=ad0)
            for n in range(3):
                closed = dressed_sigma_parts(n, r, c, B)["RA"]
                assert abs(complex(gen[n] - closed)) < 1e-25 * max(1, abs(complex(closed))), (r, c, n)


def _drude_spin_resolved(eps, Mz, gamma, u):
    """Hand derivation at α_R = 0: H = ξ − M_z σ_z, Σ^R = −i(γ + γ_z σ_z), γ_z = 2uγ/(1+u²).
    Spin s = ±1 is a parabolic band at E_s = ε + s M_z with broadening γ_s = γ(1+su)²/(1+u²);
    the rung (1+uσ_z)X(1+uσ_z) keeps the spins apart and ∫G^R p G^A = 0, so no vertex
    correction: per spin 2RA − RR − AA = (4γ_s²/2π)∫dξ ξ/((ξ−E_s)²+γ_s²)² = E_s/γ_s (whole axis),
    σ_xx = (e²/4π) Σ_s E_s/γ_s  (= e² n_s τ_s/m summed, n_s = mE_s/2π, τ_s = 1/2γ_s)."""
    return sum((eps + s * Mz) * (1 + u ** 2) / (gamma * (1 + s * u) ** 2) for s in (1, -1)) / (4 * mpmath.pi)


@pytest.mark.parametrize("u", ["3/10", "-1/2"])
def test_small_rashba_limit_is_spin_resolved_drude(u):
    r = tensor("sigma", params="eps=1,gamma=1/10,Delta=1/10**10,Mz=2/5", dressing="ladder", mx_order=0,
               dps=20, disorder=f"magnetic:uz={u}")
    uu = mpmath.mpf(sympy.Rational(u))
    want = _drude_spin_resolved(1, mpmath.mpf("0.4"), mpmath.mpf("0.1"), uu)
    got = r.value(0, "xx")
    assert abs(got - want) < 1e-8 * want                       # corrections are O(Δ) = 1e-10
    assert abs(r.value(0, "xy")) < 1e-8 * want
    # negative control: the same formula with the spins' rates swapped (u → −u) is far off
    assert abs(got - _drude_spin_resolved(1, mpmath.mpf("0.4"), mpmath.mpf("0.1"), -uu)) > 0.1 * want


def _ladder_by_quadrature(pt, dis, dps=12):
    """σ^(0) with the dressed RA vertex, assembled from quadrature words (no ladder code of streda).

    Γ_β = v_β + D, D = α_d0 Λ[∫G^R Γ_β G^A]Λ with ΛXΛ = (1 + uσ_z)X(1 + uσ_z), α_d0 = 2γ/(1+u²).
    At M_x⁰ rotation about z keeps the (x, y) spin components apart from (0, z), and the current
    source has none of the latter, so D solves a 2x2 system in the (x, y) block."""
    from streda.integrals.quadrature import integrate_word_quad

    u = mpmath.mpf(dis.u_vec[2])
    g = mpmath.mpf(pt["gamma"])
    ad0 = 2 * g / (1 + u * u)
    s = {"0": mpmath.eye(2), "x": mpmath.matrix([[0, 1], [1, 0]]), "y": mpmath.matrix([[0, -1j], [1j, 0]]),
         "z": mpmath.matrix([[1, 0], [0, -1]])}
    lam = s["0"] + u * s["z"]

    def comps(M):
        return {k: (M * s[k])[0, 0] / 2 + (M * s[k])[1, 1] / 2 for k in s}

    def mat(c):
        return sum((c[k] * s[k] for k in c), mpmath.zeros(2))

    def rung(c):
        return comps(lam * mat(c) * lam)

    q = lambda w: integrate_word_quad(w, pt, dps=dps, disorder=dis)    # noqa: E731
    L = {j: rung({k: ad0 * v for k, v in q(f"GR s{j} GA").items()}) for j in "xy"}
    A = mpmath.matrix([[(1 if i == j else 0) - L[j][i] for j in "xy"] for i in "xy"])
    out, bare = {}, {}
    for b in "xy":
        src = rung({k: ad0 * v for k, v in q(f"GR v{b} GA").items()})
        assert abs(src["0"]) + abs(src["z"]) < 1e-9
        D = mpmath.lu_solve(A, mpmath.matrix([src["x"], src["y"]]))
        for a in "xy":
            ra0 = 2 * q(f"v{a} GR v{b} GA")["0"]
            ra = ra0 + sum(D[i] * 2 * q(f"v{a} GR s{j} GA")["0"] for i, j in enumerate("xy"))
            rr = 2 * q(f"v{a} GR v{b} GR")["0"]
            aa = 2 * q(f"v{a} GA v{b} GA")["0"]
            out[a + b] = (2 * ra - rr - aa) / (4 * mpmath.pi)
            bare[a + b] = (2 * ra0 - rr - aa) / (4 * mpmath.pi)
    return out, bare


def test_ladder_sigma_against_quadrature_ladder():
    dis = Disorder.magnetic(uz=sympy.Rational(3, 10))
    from streda.integrals.models import get_model

    pt = get_model("rashba").point(P)
    r = tensor("sigma", params=P, dressing="ladder", mx_order=0, dps=20, disorder=dis)
    want, bare = _ladder_by_quadrature(pt, dis)
    scale = abs(want["xx"])
    for e in ("xx", "xy", "yx", "yy"):
        assert abs(r.value(0, e) - want[e]) < 1e-9 * scale, e
    # the anomalous Hall entry is non-zero with magnetic disorder (it vanishes for scalar disorder)
    assert abs(want["xy"]) > 1e-3 * scale
    # negative control: without the vertex correction the quadrature route is far off
    assert abs(r.value(0, "xx") - bare["xx"]) > 1e-3 * scale
    assert abs(r.value(0, "xy") - bare["xy"]) > 1e-3 * abs(want["xy"])


def test_cli_json_equals_the_api(tmp_path):
    import json
    import subprocess
    import sys

    f = tmp_path / "s.json"
    subprocess.run([sys.executable, "-m", "streda.verify.cli", "tensor", "sigma", "--params", P,
                    "--mx-order", "0", "--dps", "15", "--dressing", "ladder", "--disorder", "magnetic:uz=3/10",
                    "--json", str(f)], check=True, capture_output=True, timeout=300)
    r = tensor("sigma", params=P, dressing="ladder", mx_order=0, dps=15, disorder="magnetic:uz=3/10")
    assert r.to_json() == json.loads(f.read_text())
    assert r.to_json()["orders"]["0"]["xy"][0] != "0"          # the magnetic Hall entry is there
