"""Magnetic disorder V(1 + u·σ) with an in-plane u: bare tensors on the angle-trapezoid route.

Independent checks: the 2D Gauss–Legendre route (quad2d, no residues or poles) with the same
constant self-energy matrix; rotation covariance (rotating u about z together with the spatial
frame must give R K Rᵀ, the Rashba H being invariant under joint rotations of p and σ about z);
and u along z on this route against the exact-frame ball route.  Each with a failing control.
"""
import subprocess
import sys

import mpmath
import pytest
import sympy

from streda.integrals import tensor
from streda.integrals.angular import tensor_angular
from streda.integrals.disorder import Disorder
from streda.integrals.model import ModelError
from streda.integrals.models import get_model

P = "eps=1,gamma=1/10,Delta=3/10,Mz=2/5"
R5 = sympy.Rational


def _K0(u, dps=20):
    return tensor_angular("K", get_model("rashba").point(P), 0, dps, disorder=Disorder.magnetic(*u))[0]


def _rotated(K, c, s):
    """R K Rᵀ: rows are spin (x, y, z), columns current (x, y); R rotates by θ about z."""
    R = [[c, -s, 0], [s, c, 0], [0, 0, 1]]
    ix = {"x": 0, "y": 1, "z": 2}
    return {a + b: sum(R[ix[a]][ix[i]] * R[ix[b]][ix[j]] * K[i + j] for i in "xyz" for j in "xy")
            for a in "xyz" for b in "xy"}


def test_rotation_of_u_with_the_frame():
    c, s = mpmath.mpf(3) / 5, mpmath.mpf(4) / 5
    K = _K0((R5(1, 5), 0, R5(3, 10)))
    Kr = _K0((R5(3, 25), R5(4, 25), R5(3, 10)))       # u rotated by θ = atan(4/3)
    want = _rotated(K, c, s)
    scale = max(abs(v) for v in K.values())
    for e in Kr:
        assert abs(Kr[e] - want[e]) < 1e-15 * scale, e
    wrong = _rotated(K, c, -s)                       # control: rotated the other way
    assert max(abs(Kr[e] - wrong[e]) for e in Kr) > 1e-3 * scale


def test_in_plane_u_against_2d_quadrature():
    from streda.integrals.quad2d import tensor_quad2d

    d = Disorder.magnetic(ux=R5(1, 5), uz=R5(3, 10))
    pt = get_model("rashba").point(P)
    a = tensor_angular("K", pt, 0, 15, disorder=d)[0]
    b = tensor_quad2d("K", pt, 0, 7, disorder=d)[0]
    scale = max(abs(v) for v in a.values())
    for e in a:
        assert abs(a[e] - b[e]) < 1e-6 * scale, e
    # control: dropping the in-plane part of u is visible at this tolerance
    z = tensor_angular("K", pt, 0, 15, disorder=Disorder.magnetic(uz=R5(3, 10)))[0]
    assert max(abs(z[e] - b[e]) for e in a) > 1e-3 * scale


def test_u_along_z_on_this_route_equals_the_exact_frame():
    dis = "magnetic:uz=3/10"
    ball = tensor("K", params=P, mx_order=2, dps=20, disorder=dis)
    assert ball.route == "ball"
    ang = tensor_angular("K", get_model("rashba").point(P), 2, 20, disorder=Disorder.magnetic(uz=R5(3, 10)))
    scalar = tensor_angular("K", get_model("rashba").point(P), 2, 20)
    for k in range(3):
        sc = max(abs(v) for v in ang[k].values())
        for e in ang[k]:
            assert abs(ang[k][e] - ball.value(k, e)) < 1e-17 * sc, (k, e)
    # control: the scalar tensor differs (γ_z matters)
    assert max(abs(scalar[0][e] - ball.value(0, e)) for e in scalar[0]) > 1e-3


def test_api_routes_and_refusals():
    r = tensor("sigma", params=P, mx_order=0, dps=15, disorder="magnetic:uy=1/4")
    assert r.route == "angle-trapezoid" and r.disorder.describe() == "magnetic:ux=0,uy=1/4,uz=0"
    r = tensor("K", params=P, mx_order=0, dps=15, dressing="ladder", disorder="magnetic:ux=1/4")
    assert r.route == "angle-trapezoid" and r.dressing == "ladder"
    with pytest.raises(ModelError, match="physical xi axis is not implemented") as exc:
        tensor("K", params=P, mx_order=0, dps=15, dressing="ladder", disorder="magnetic:ux=1/4",
               xi_range="physical")
    assert "\n" not in str(exc.value)


def test_cli_physical_ladder_is_one_line_exit_2():
    out = subprocess.run([sys.executable, "-m", "streda.verify.cli", "tensor", "K", "--params", P,
                          "--dressing", "ladder", "--disorder", "magnetic:ux=1/4", "--mx-order", "0",
                          "--xi-range", "physical"],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 2
    assert len(out.stderr.strip().splitlines()) == 1 and "physical" in out.stderr


# ------------------------------------------------------------------ the ladder on this route

@pytest.mark.parametrize("kind, order, dis", [("K", 2, None), ("K", 2, "magnetic:uz=3/10"),
                                               ("sigma", 1, "magnetic:uz=-1/2")])
def test_dressed_angular_equals_the_exact_frame_ladder(kind, order, dis):
    """u along z (or scalar): the angle-trapezoid ladder against the ball route's ladder (exact
    frame, residues with exact angle averages, FLINT balls) -- two different integrators."""
    from streda.integrals.angular_vertex import dressed_angular
    from streda.integrals.disorder import parse_disorder

    a = dressed_angular(kind, get_model("rashba").point(P), order, 20,
                        disorder=None if dis is None else parse_disorder(dis))
    b = tensor(kind, params=P, dressing="ladder", mx_order=order, dps=20, disorder=dis)
    bare = tensor(kind, params=P, dressing="bare", mx_order=order, dps=20, disorder=dis)
    scale = max(abs(v) for ent in a.values() for v in ent.values())
    for k in a:
        for e in a[k]:
            assert abs(a[k][e] - b.value(k, e)) < 1e-17 * scale, (k, e)
    # control: the bare tensor differs from the dressed one at this tolerance
    assert max(abs(a[k][e] - bare.value(k, e)) for k in a for e in a[k]) > 1e-3 * scale


@pytest.mark.parametrize("kind", ["K", "sigma"])
def test_dressed_in_plane_rotation_covariance(kind):
    from streda.integrals.angular_vertex import dressed_angular

    pt = get_model("rashba").point(P)
    d1 = Disorder.magnetic(R5(1, 5), 0, R5(3, 10))
    d2 = Disorder.magnetic(R5(3, 25), R5(4, 25), R5(3, 10))        # rotated by θ = atan(4/3)
    K, Kr = dressed_angular(kind, pt, 0, 20, disorder=d1)[0], dressed_angular(kind, pt, 0, 20, disorder=d2)[0]
    c, s = mpmath.mpf(3) / 5, mpmath.mpf(4) / 5
    rows = "xyz" if kind == "K" else "xy"
    want = _rotated({k: v for k, v in K.items()} | ({} if kind == "K" else {"zx": 0, "zy": 0}), c, s)
    scale = max(abs(v) for v in K.values())
    for e in Kr:
        assert e[0] in rows and abs(Kr[e] - want[e]) < 1e-15 * scale, e
    wrong = _rotated({k: v for k, v in K.items()} | ({} if kind == "K" else {"zx": 0, "zy": 0}), c, -s)
    assert max(abs(Kr[e] - wrong[e]) for e in Kr) > 1e-3 * scale
