"""σ_xy at leading order in the disorder (integrals.hall, streda hall).

Tolerance tiers: *exact* (sympy algebra gives equality), *different algorithms*
(finite-w quadrature extrapolated to w → 0 against the exact series: 1e-8), and the
controls, which must miss by far more than any tolerance.
"""
from __future__ import annotations

import json
import subprocess
import sys

import pytest
import sympy

from streda.integrals import hall as H
from streda.integrals.laurent import Laurent
from streda.verify.printed import literature as lit

e_, m_ = sympy.symbols("e m", positive=True)


def sig(model, params, vertex="ladder"):
    from streda.verify.hall_checks import _sigma

    out = _sigma(model, params, vertex)
    return out.sigma_xy if vertex == "ladder" else out


# -- exact: massive Dirac against the printed closed form ------------------------------
@pytest.mark.parametrize("eps", ["5/4", "2", "3", "sqrt(3)"])
@pytest.mark.parametrize("m", ["1", "-1", "1/2"])
def test_dirac_matches_literature_exactly(eps, m):
    e, mm = sympy.sympify(eps), sympy.sympify(m)
    if e <= abs(mm):
        pytest.skip("in the gap")
    assert sympy.simplify(sig("dirac", f"eps={eps},m={m}") - lit.dirac_nc(e, mm)) == 0


def test_dirac_velocity_scales_out():
    # σ_xy is dimensionless: v enters only through v p, so it drops out
    assert sig("dirac", "eps=2,m=1,v=3") == sig("dirac", "eps=2,m=1,v=1") == sympy.Rational(-40, 49)


def test_dirac_parts():
    r = H.hall_conductivity("dirac", "eps=2,m=1")
    p = r.parts
    # intrinsic = Berry curvature of the occupied clean states = −m/2ε (independent: TKNN by hand)
    assert p["intrinsic"] == sympy.Rational(-1, 4)
    assert p["fermi_sea"] == 0                    # σ^II vanishes in the band (Sinitsyn 2007)
    assert p["intrinsic"] + p["extrinsic"] == r.sigma_xy
    assert p["bare_vertex"] + p["vertex_correction"] == r.sigma_xy
    # the literature's intrinsic part
    assert p["intrinsic"] == lit.dirac_nc_parts(2, 1)["intrinsic"]
    assert p["extrinsic"] == lit.dirac_nc_parts(2, 1)["side_jump"] + lit.dirac_nc_parts(2, 1)["skew"]


@pytest.mark.parametrize("eps,m", [("0", "1"), ("1/2", "-1"), ("-1/3", "3/2")])
def test_dirac_gap(eps, m):
    r = H.hall_conductivity("dirac", f"eps={eps},m={m}")
    assert r.sigma_xy == -sympy.sign(sympy.sympify(m)) / 2
    assert r.parts["fermi_surface"] == 0


def test_dirac_continuous_at_band_edge_and_large_eps():
    assert abs(float(sig("dirac", "eps=10001/10000,m=1")) + 0.5) < 1e-3
    # ε σ_xy/m = −4 + O(m²/ε²): the distance shrinks 100-fold per decade of ε
    d1 = abs(float(100 * sig("dirac", "eps=100,m=1")) + 4)
    d2 = abs(float(1000 * sig("dirac", "eps=1000,m=1")) + 4)
    assert d1 < 1e-2 and 80 < d1 / d2 < 120


def test_odd_in_mass():
    assert sig("dirac", "eps=5/2,m=1") == -sig("dirac", "eps=5/2,m=-1")


# -- controls: must fail ----------------------------------------------------------------
def test_controls_differ_from_literature():
    want = lit.dirac_nc(2, 1)
    for vertex in ("bare", "ladder-reversed"):
        got = sig("dirac", "eps=2,m=1", vertex)
        assert abs(float(got - want)) > 0.1, vertex


def test_scalar_self_energy_control():
    """Dropping the σ_z part of the Born self-energy (s_z = 0) breaks the agreement."""
    ip = H.isotropic_point("dirac", "eps=2,m=1")
    rad = H._Radial(ip, 0, 4)
    assert rad.integral(sympy.Integer(1), 1, 1).low() == -1
    orig = H.self_energy_onshell
    try:
        H.self_energy_onshell = lambda ip: (orig(ip)[0], sympy.Integer(0))
        got = H.fermi_surface(ip, "ladder", 4)["ladder"][0]
    finally:
        H.self_energy_onshell = orig
    assert got != lit.dirac_nc(2, 1)


# -- Rashba: Nunner et al. ---------------------------------------------------------------
def test_rashba_both_subbands_exact_zero():
    r = H.hall_conductivity("rashba", "eps=5/4,Delta=3/10,Mz=2/5")
    assert r.sigma_xy == 0
    assert r.parts["intrinsic"] != 0 and r.parts["bare_vertex"] != 0
    assert r.self_energy[1] == 0           # no σ_z part of Σ with both subbands (paper, Eq. C1)


@pytest.mark.slow
def test_rashba_one_subband_nonzero():
    r = H.hall_conductivity("rashba", "eps=1/5,Delta=3/10,Mz=2/5")
    assert r.sigma_xy != 0 and r.self_energy[1] != 0


def test_refusals():
    with pytest.raises(H.ModelError, match="capability 'isotropic spectrum'"):
        H.hall_conductivity("rashba+dresselhaus", None)
    with pytest.raises(H.ModelError, match="band edge"):
        H.hall_conductivity("dirac", "eps=1,m=1")
    with pytest.raises(H.ModelError, match="dirac and rashba models only"):
        H.hall_conductivity("dresselhaus", "eps=5/4,Delta=3/10,Mz=2/5", diagrams="ladder+crossed")
    with pytest.raises(H.ModelError, match="upper band"):
        H.hall_conductivity("dirac", "eps=-2,m=1", diagrams="ladder+crossed")


# -- a second algorithm ----------------------------------------------------------------
def test_quadrature_route_agrees():
    from streda.integrals.hall_quadrature import sigma_fs_extrapolated

    ip = H.isotropic_point("dirac", "eps=3,m=1")
    v, err = sigma_fs_extrapolated(ip)
    assert abs(v - float(lit.dirac_nc(3, 1))) < 1e-8


def test_laurent_pinch_is_exact():
    # ∫₀^∞ dx / ((x − r_R)(x − r_A)) with r_{R/A} = 3 ± 5iw + …: leading term 2πi/(r_R − r_A) = π/5w
    ip = H.isotropic_point("dirac", "eps=2,m=1")
    s = H._Radial(ip, sympy.Rational(1, 2), 3).integral(sympy.Integer(1), 1, 1)
    assert isinstance(s, Laurent) and s[-1] == sympy.pi / 5


# -- CLI -----------------------------------------------------------------------------------
def _cli(*args):
    return subprocess.run([sys.executable, "-m", "streda.verify.cli", "hall", *args],
                          capture_output=True, text=True, timeout=300)


def test_cli_json(tmp_path):
    out = tmp_path / "h.json"
    p = _cli("--model", "dirac", "--params", "eps=3,m=1", "--json", str(out))
    assert p.returncode == 0, p.stderr
    d = json.loads(out.read_text())
    assert d["units"] == "e^2/h" and d["diagrams"] == "ladder"
    assert abs(float(d["sigma_xy"][0]) + 5 / 6) < 1e-15 and float(d["sigma_xy"][1]) == 0
    assert {"intrinsic", "fermi_sea", "fermi_surface", "extrinsic"} <= set(d["parts"])


@pytest.mark.parametrize("args,needle", [
    (("--model", "dresselhaus", "--diagrams", "ladder+crossed"), "dirac and rashba models only"),
    (("--params", "eps=-2,m=1", "--diagrams", "ladder+crossed"), "upper band"),
    (("--diagrams", "crossed"), "ladder family is required"),
    (("--diagrams", "ladder+"), "empty family"),
    (("--model", "rashba+dresselhaus"), "isotropic spectrum"),
    (("--model", "rashba", "--params", "Mx=1/10"), "isotropic spectrum"),
    (("--params", "eps=1/0"), "cannot read"),
    (("--params", "eps=10**10**10"), "exceeds the limit"),
    (("--params", "eps=__import__('os')"), "only numbers"),
    (("--params", "eps=1,m=1"), "band edge"),
    (("--params", "eps=3", "--dps", "0"), "--dps"),
    (("--params", "eps=3", "--json", "/nonexistent-dir/x.json"), "does not exist"),
])
def test_cli_refusals_one_line(args, needle):
    p = _cli(*args)
    assert p.returncode == 2
    lines = p.stderr.strip().splitlines()
    assert len(lines) == 1 and needle in lines[0] and "Traceback" not in p.stderr
