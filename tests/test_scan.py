"""Tests of ``streda scan`` (``streda.verify.scan``, ``scan_data``, ``cmd_scan``).

References are independent of the scan machinery: single-point ``streda tensor`` and
``streda skyrmion`` runs, the closed form of the dressed K^(0)_yx = e√(Δm)/(4πγ)
(Eq. C7, independent of ε and M_z), the rotational symmetry of the Rashba model at
M_x = 0 (K_yy = K_xx, K_yx = −K_xy), and the torque ansatz (7) rebuilt from a, b, c, d.
The Dask LocalCluster and the process pool must agree value for value.
"""
from __future__ import annotations

import json

import numpy as np
import pytest
import sympy

from streda.verify.cache import Cache, NullCache
from streda.verify.cli import main
from streda.verify.scan import (MAX_POINTS, DaskExecutor, ProcessExecutor, ScanError, SerialExecutor,
                                parse_grid, run_scan)
from streda.verify.scan_data import load, write_netcdf

GRID = "eps=1:2:2,Mz=2/5:3/5:3"          # 2 x 3 points
TENSOR = {"kind": "K", "dressing": "bare", "mx_order": 1, "dps": 12, "model": "rashba",
          "params": "gamma=1/10,Delta=3/10"}


def run(argv, capsys):
    try:
        status = main(list(argv))
    except SystemExit as exc:
        status = exc.code
    except Exception as exc:  # noqa: BLE001 - a traceback is what the user would see
        pytest.fail(f"streda {' '.join(argv)} raised {type(exc).__name__}: {exc}")
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture(scope="module")
def serial_scan():
    ds, _, stats = run_scan("tensor", TENSOR, GRID, executor=SerialExecutor(), cache=NullCache())
    assert stats["computed"] == 6
    return ds


# --------------------------------------------------------------------------- grid
def test_grid_values_are_exact_and_in_c_order():
    axes = parse_grid("eps=1/2:3/2:3,Mz=0.1;0.2")
    assert [str(v) for v in axes[0].values] == ["1/2", "1", "3/2"]
    assert [str(v) for v in axes[1].values] == ["1/10", "1/5"]


@pytest.mark.parametrize("grid, msg", [
    ("eps=1:2", "expected name=start:stop:count"),
    ("eps=1:2:0", "count must be between"),
    ("eps=1:2:-3", "not a positive integer"),
    ("eps=1:2:3,eps=2;3", "given twice"),
    ("eps=1;1", "repeated values"),
    ("eps=__import__('os');2", "only numbers"),
    ("eps=().__class__.__bases__[0]:2:3", "cannot read"),
    ("eps=1e999999;2", "eps"),
    (f"eps=1:2:{MAX_POINTS},Mz=1:2:2", "the limit is"),
    ("a=1;2,b=1;2,c=1;2,d=1;2,f=1;2", "at most"),
])
def test_bad_grids_are_refused(grid, msg):
    with pytest.raises(ScanError, match=msg):
        parse_grid(grid)


# --------------------------------------------------------------------------- values
def test_scan_matches_single_point_streda_tensor(serial_scan, capsys, tmp_path):
    for n, (eps, mz) in enumerate((("2", "3/5"), ("1", "1/2"))):
        f = tmp_path / f"t{n}.json"
        status, _, err = run(["tensor", "K", "--mx-order", "1", "--dps", "12", "--json", str(f),
                              "--params", f"eps={eps},gamma=1/10,Delta=3/10,Mz={mz}"], capsys)
        assert status == 0, err
        ref = json.loads(f.read_text())["orders"]
        got = serial_scan.sel(eps=float(sympy.Rational(eps)), Mz=float(sympy.Rational(mz)))
        for k in ("0", "1"):
            for key, (re, im) in ref[k].items():
                v = got.sel(mx_order=int(k), row=key[0], column=key[1])
                assert float(v["K_real"]) == float(re) and float(v["K_imag"]) == float(im), (eps, mz, k, key)


def test_rotational_symmetry_at_mx_zero(serial_scan):
    K0 = serial_scan["K_real"].sel(mx_order=0)
    assert np.allclose(K0.sel(row="x", column="x"), K0.sel(row="y", column="y"), rtol=1e-11, atol=0)
    assert np.allclose(K0.sel(row="y", column="x"), -K0.sel(row="x", column="y"), rtol=1e-11, atol=0)
    assert np.all(K0.sel(row="x", column="y") != 0)     # control: the entries are not trivially zero
    assert len(np.unique(K0.sel(row="x", column="y").values)) == 6   # each point computed separately


def test_dressed_K0_yx_is_the_closed_form_of_eq_c7():
    s = dict(TENSOR, dressing="ladder", mx_order=0, dps=10)
    ds, _, _ = run_scan("tensor", s, "eps=1;3/2,Mz=0;2/5", executor=SerialExecutor(), cache=NullCache())
    want = np.sqrt(0.3) / (4 * np.pi * 0.1)            # e sqrt(Delta m)/(4 pi gamma), e = m = 1
    got = ds["K_real"].sel(mx_order=0, row="y", column="x").values
    assert np.allclose(got, want, rtol=1e-9, atol=0)
    # negative control: the bare K^(0)_yx at the same points is not the dressed closed form
    bare, _, _ = run_scan("tensor", dict(s, dressing="bare"), "eps=1;3/2,Mz=2/5", executor=SerialExecutor(),
                          cache=NullCache())
    assert not np.allclose(bare["K_real"].sel(mx_order=0, row="y", column="x").values, want, rtol=1e-3)


def test_dask_local_cluster_equals_process_pool(serial_scan):
    ex = ProcessExecutor(2)
    try:
        pool, _, _ = run_scan("tensor", TENSOR, GRID, executor=ex, cache=NullCache(), chunk_size=2)
    finally:
        ex.close()
    dx = DaskExecutor(local_workers=1, processes=False)
    try:
        dask, _, _ = run_scan("tensor", TENSOR, GRID, executor=dx, cache=NullCache(), chunk_size=1)
    finally:
        dx.close()
    assert dask.identical(pool)
    assert pool.identical(serial_scan)


def test_scan_on_a_scheduler_address_equals_the_serial_scan(serial_scan):
    from distributed import LocalCluster

    with LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None) as cl:
        ex = DaskExecutor(address=cl.scheduler_address)
        try:
            ds, _, _ = run_scan("tensor", TENSOR, GRID, executor=ex, cache=NullCache(), chunk_size=4)
        finally:
            ex.close()
    assert ds.identical(serial_scan)


def test_an_unreachable_scheduler_is_one_line_exit_2(tmp_path, capsys):
    status, _, err = run(["scan", "tensor", "K", "--grid", "eps=1;2", "--no-cache", "--out", str(tmp_path / "x.nc"),
                          "--scheduler", "tcp://127.0.0.1:9"], capsys)
    assert status == 2 and "cannot connect to the Dask scheduler" in err and len(err.strip().splitlines()) == 1


def test_torques_rebuild_the_torque_of_eq_7(capsys, tmp_path):
    from streda.verify.torques import rashba_basis, torque_from_K

    s = dict(TENSOR, mx_order=2, params="eps=1,gamma=1/10,Delta=3/10,Mz=2/5")
    ds, _, _ = run_scan("torques", s, "Mx=1/10", executor=SerialExecutor(), cache=NullCache())
    coeffs = ds["torque_real"].isel(Mx=0).values + 1j * ds["torque_imag"].isel(Mx=0).values
    f = tmp_path / "k.json"
    assert run(["tensor", "K", "--mx-order", "2", "--dps", "12", "--json", str(f),
                "--params", "eps=1,gamma=1/10,Delta=3/10,Mz=2/5"], capsys)[0] == 0
    orders = json.loads(f.read_text())["orders"]
    K = np.array([[sum(complex(float(orders[k][r + c][0]), float(orders[k][r + c][1])) * 0.1 ** int(k)
                       for k in orders) for c in "xy"] for r in "xyz"])
    m = (0.1 / np.hypot(0.1, 0.4), 0.0, 0.4 / np.hypot(0.1, 0.4))
    for E in ((1, 0), (0, 1)):
        T = np.array(torque_from_K(sympy.Matrix(K.real), m, E), dtype=float).ravel()
        B = np.array([[float(x) for x in b] for b in rashba_basis(m, E)])
        assert np.allclose(coeffs.real @ B, T, rtol=1e-9, atol=1e-12)
        assert not np.allclose(coeffs.real[::-1] @ B, T, rtol=1e-3)   # control: order of a..d matters


def test_dresselhaus_torques_are_the_negated_rashba_ones():
    """Eq. (20) with the mapping (19): a_D = -a_R, ..., d_D = -d_R at the same point (Sec. III)."""
    s = dict(TENSOR, mx_order=2, params="eps=1,gamma=1/10,Delta=3/10,Mz=2/5")
    r, _, _ = run_scan("torques", s, "Mx=1/10;1/5", executor=SerialExecutor(), cache=NullCache())
    d, _, _ = run_scan("torques", dict(s, model="dresselhaus"), "Mx=1/10;1/5", executor=SerialExecutor(),
                       cache=NullCache())
    assert np.allclose(d["torque_real"].values, -r["torque_real"].values, rtol=1e-10, atol=0)
    assert np.all(np.abs(r["torque_real"].values) > 1e-3)          # control: not trivially zero


def test_skyrmion_scan_matches_streda_skyrmion(capsys, tmp_path):
    s = {"profile": "2*atan(sinh(rho/w)/sinh(R/w))", "set": "R=3,w=1", "rho_max": None, "model": "rashba",
         "helicity": "0", "current": "1,0", "coeffs": "a=1+mz**2,b=0,c=0,d=0", "alpha_g": "1/10", "dps": 15}
    ds, _, _ = run_scan("skyrmion", s, "helicity=0;1/2", executor=SerialExecutor(), cache=NullCache())
    f = tmp_path / "s.json"
    status, _, err = run(["skyrmion", "--profile", s["profile"], "--set", s["set"], "--coeffs", s["coeffs"],
                          "--alpha-g", "0.1", "--helicity", "1/2", "--dps", "15", "--json", str(f)], capsys)
    assert status == 0, err
    ref = json.loads(f.read_text())
    assert float(ds["hall_ratio"].sel(helicity=0.5)) == ref["hall_ratio"]["reduced"]
    assert float(ds["hall_ratio"].sel(helicity=0.0)) != ref["hall_ratio"]["reduced"]


# --------------------------------------------------------------------------- files, cache, CLI
def test_netcdf_round_trip_keeps_values_and_provenance(serial_scan, tmp_path):
    p = tmp_path / "k.nc"
    write_netcdf(serial_scan, p)
    back = load(p)
    assert np.array_equal(back["K"].values.real, serial_scan["K_real"].values)
    assert np.array_equal(back["K"].values.imag, serial_scan["K_imag"].values)
    assert json.loads(back.attrs["settings"]) == TENSOR
    assert "streda" in json.loads(back.attrs["versions"])
    assert back.attrs["grid"] == GRID
    assert back["eps"].attrs["exact_values"] == "1; 2"
    assert back["K"].attrs["units"].startswith("hbar = 1")


def test_resume_from_cache_computes_nothing_and_writes_the_same_file(tmp_path, capsys):
    args = ["scan", "tensor", "K", "--grid", "eps=1;2,Mz=2/5", "--mx-order", "0", "--dps", "10",
            "--jobs", "1", "--cache-dir", str(tmp_path / "c")]
    s1, out1, err1 = run(args + ["--out", str(tmp_path / "a.nc")], capsys)
    assert s1 == 0, err1
    assert "2 computed, 0 from cache" in out1
    s2, out2, _ = run(args + ["--out", str(tmp_path / "b.nc")], capsys)
    assert s2 == 0 and "0 computed, 2 from cache" in out2
    assert (tmp_path / "a.nc").read_bytes() == (tmp_path / "b.nc").read_bytes()
    # a corrupted entry is a miss: recomputed, and the file is still identical
    entry = sorted((tmp_path / "c").glob("*.json"))[0]
    entry.write_text(entry.read_text()[:-30])
    s3, out3, _ = run(args + ["--out", str(tmp_path / "c.nc")], capsys)
    assert s3 == 0 and "1 computed, 1 from cache" in out3
    assert (tmp_path / "a.nc").read_bytes() == (tmp_path / "c.nc").read_bytes()


def test_a_well_checksummed_entry_of_the_wrong_shape_is_recomputed(tmp_path, capsys):
    from streda.verify.scan import cache_keys, grid_points

    cache = Cache(tmp_path / "c")
    s = dict(TENSOR, mx_order=0, dps=10)
    pts = list(grid_points(parse_grid("eps=1")))
    cache.put(cache_keys("tensor", s, pts)[0], {"K": [["1", "0"]]})        # 1 entry instead of 6
    ds, _, stats = run_scan("tensor", s, "eps=1", executor=SerialExecutor(), cache=cache)
    assert stats["computed"] == 1 and stats["cached"] == 0 and stats["cache_errors"] == 1
    assert cache.stats["invalid"] == 1 and "expected 6 values" in capsys.readouterr().err   # Cache.get(validate=)
    assert ds["K_real"].sel(mx_order=0, row="x", column="y").item() != 1.0
    # control: the recomputed entry is valid and read back
    _, _, again = run_scan("tensor", s, "eps=1", executor=SerialExecutor(), cache=cache)
    assert again["cached"] == 1 and again["cache_errors"] == 0


def test_an_injection_string_on_the_grid_exits_2_and_writes_nothing(tmp_path, capsys):
    out = tmp_path / "x.nc"
    marker = tmp_path / "pwned"
    status, _, err = run(["scan", "hall", "--grid", f"eps=__import__('os').system('touch {marker}');2",
                          "--no-cache", "--jobs", "1", "--out", str(out)], capsys)
    assert status == 2 and len(err.strip().splitlines()) == 1 and "eps" in err
    assert not out.exists() and not marker.exists() and list(tmp_path.iterdir()) == []


def test_ctrl_c_stops_the_process_pool_at_once():
    """A KeyboardInterrupt in the parent terminates the workers (runtime._stop_pool), no waiting."""
    import time

    ex = ProcessExecutor(2)
    procs = []

    def on_result(i, value):
        procs.extend(ex.pool._processes.values())
        raise KeyboardInterrupt

    t0 = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        ex.run(time.sleep, [(0,)] + [(30,)] * 3, on_result)
    ex.close()
    for p in procs:                                      # terminated: gone within seconds on a loaded machine
        p.join(timeout=10)
    assert time.monotonic() - t0 < 25                    # not the 30 s of the running sleeps
    assert procs and all(not p.is_alive() for p in procs)


@pytest.mark.parametrize("extra, msg", [
    (["--grid", "eps=1:2"], "expected name=start:stop:count"),
    (["--grid", "eps=1/10;1"], "not above the upper-band threshold"),
    (["--grid", "beta=1;2"], "not a parameter of tensor"),
    (["--grid", "eps=1;2", "--params", "eps=1"], "both in --params and on the grid"),
    (["--grid", "eps=1;2", "--chunk-size", "0"], "--chunk-size"),
    (["--grid", "eps=1;2", "--chunk-size", "1001"], "above the maximum 1000"),
    (["--grid", "eps=1;2", "--mx-order", "13"], "above the maximum 12"),
    (["--grid", "eps=1;2", "--dps", "100000"], "above the maximum"),
    (["--grid", "eps=2;3", "--model", "dirac"], "Born self-energy of scalar white noise has a σ part"),
    (["--grid", "Mx=1/10;1/5"], "not a parameter of tensor"),
    (["--grid", "eps=1;2", "--dps", "4"], "at least 5"),
    (["--grid", "eps=1;2", "--diagrams", "ladder+crossed"], "--diagrams do(es) not apply"),
    (["--grid", "eps=1;2", "--alpha-g", "0.1"], "--alpha-g do(es) not apply to scan tensor"),
])
def test_bad_input_is_one_line_exit_2(extra, msg, tmp_path, capsys):
    status, out, err = run(["scan", "tensor", "K", "--out", str(tmp_path / "x.nc"), "--no-cache"] + extra, capsys)
    assert status == 2 and msg in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "x.nc").exists()


def test_output_paths_are_checked_before_work(tmp_path, capsys):
    (tmp_path / "exists.nc").write_text("x")
    for out, msg in ((tmp_path, "is a directory"), (tmp_path / "no" / "x.nc", "does not exist"),
                     (tmp_path / "exists.nc", "use --force")):
        status, _, err = run(["scan", "tensor", "K", "--grid", "eps=1;2", "--out", str(out)], capsys)
        assert status == 2 and msg in err and len(err.strip().splitlines()) == 1
    assert (tmp_path / "exists.nc").read_text() == "x"
    # a plot file that exists is refused before work, too
    (tmp_path / "p.sigma_xy.png").write_text("y")
    status, _, err = run(["scan", "hall", "--grid", "eps=2;3", "--no-cache", "--plot", "png",
                          "--out", str(tmp_path / "p.nc")], capsys)
    assert status == 2 and "p.sigma_xy.png exists" in err and not (tmp_path / "p.nc").exists()


def test_force_is_the_one_from_cli_and_overwrites(tmp_path, capsys):
    from streda.verify.cli import build_parser

    scan = build_parser()._subparsers._group_actions[0].choices["scan"]
    assert [a.dest for a in scan._actions].count("force") == 1
    (tmp_path / "h.nc").write_text("old")
    status, out, err = run(["scan", "hall", "--grid", "eps=2", "--no-cache", "--jobs", "1", "--force",
                            "--out", str(tmp_path / "h.nc")], capsys)
    assert status == 0, err
    assert load(tmp_path / "h.nc")["sigma_xy"].values.tolist() == [-40 / 49]


# --------------------------------------------------------------------------- hall
HALL = {"model": "dirac", "params": "", "diagrams": "ladder", "dps": 20}


@pytest.fixture(scope="module")
def dirac_hall():
    ds, _, _ = run_scan("hall", HALL, "eps=1.25:3:4", executor=SerialExecutor(), cache=NullCache())
    return ds


def test_hall_scan_matches_streda_hall_json(dirac_hall, capsys, tmp_path):
    f = tmp_path / "h.json"
    for eps in ("5/4", "11/6", "3"):
        status, _, err = run(["hall", "--model", "dirac", "--params", f"eps={eps},m=1", "--json", str(f),
                              "--force"], capsys)
        assert status == 0, err
        ref = json.loads(f.read_text())
        got = dirac_hall.sel(eps=float(sympy.Rational(eps)))
        assert float(got["sigma_xy"]) == float(ref["sigma_xy"][0]) and ref["sigma_xy"][1] in ("0", "0.0")
        for k, (re, _) in ref["parts"].items():
            assert float(got["sigma_xy_part"].sel(part=k)) == float(re), (eps, k)


def test_hall_scan_is_the_literature_closed_form_for_dirac(dirac_hall):
    """σ_xy^nc = −4εm(ε²+m²)/(ε²+3m²)² for ε > |m| (Sinitsyn et al. 2007), printed form in
    verify/printed/literature.py; the parts likewise (intrinsic −m/2ε)."""
    from streda.verify.printed.literature import dirac_crossed, dirac_nc, dirac_nc_parts

    eps = dirac_hall["eps"].values
    assert np.allclose(eps, [1.25, 1.8333333333333333, 2.4166666666666665, 3.0], rtol=0, atol=1e-15)
    exact = [sympy.Rational(5, 4), sympy.Rational(11, 6), sympy.Rational(29, 12), sympy.Integer(3)]
    assert dirac_hall["eps"].attrs["exact_values"] == "; ".join(map(str, exact))
    want = np.array([float(dirac_nc(e, 1)) for e in exact])
    got = dirac_hall["sigma_xy"].values
    assert np.allclose(got, want, rtol=1e-14, atol=0)
    intr = np.array([float(dirac_nc_parts(e, 1)["intrinsic"]) for e in exact])
    assert np.allclose(dirac_hall["sigma_xy_part"].sel(part="intrinsic").values, intr, rtol=1e-14, atol=0)
    # negative control: the crossed-diagram form of Ado et al. (2015) differs at every point
    other = np.array([float(dirac_crossed(e, 1)) for e in exact])
    assert np.all(np.abs(got - other) > 1e-3)


def test_hall_scan_is_odd_in_the_dirac_mass():
    ds, _, _ = run_scan("hall", HALL, "eps=1/2;2,m=-1;1", executor=SerialExecutor(), cache=NullCache())
    s = ds["sigma_xy"]
    assert np.array_equal(s.sel(m=-1.0).values, -s.sel(m=1.0).values)
    assert np.all(s.values != 0)                                   # control: not trivially zero
    assert s.sel(eps=0.5, m=1.0).item() == -0.5                    # in the gap: -sgn(m)/2
    parts = ds["sigma_xy_part"].sel(eps=0.5)
    assert np.isnan(parts.sel(part="vertex_correction")).all()     # no Fermi surface: not defined
    assert float(parts.sel(part="fermi_surface", m=1.0)) == 0.0


@pytest.mark.parametrize("extra, msg", [
    (["--grid", "gamma=1;2"], "not a parameter of hall"),
    (["--grid", "eps=2;3", "--model", "rashba+dresselhaus"], "isotropic"),
    (["--grid", "v=0;1"], "v must be > 0"),
    (["--grid", "eps=2;3", "--diagrams", "ladder+bogus"], "unknown family"),
    (["--grid", "eps=2;3", "--mx-order", "2"], "--mx-order do(es) not apply to scan hall"),
])
def test_bad_hall_scans_are_one_line_exit_2(extra, msg, tmp_path, capsys):
    status, _, err = run(["scan", "hall", "--out", str(tmp_path / "x.nc"), "--no-cache"] + extra, capsys)
    assert status == 2 and msg in err and len(err.strip().splitlines()) == 1, err
    assert not (tmp_path / "x.nc").exists()


def test_an_unsafe_default_cache_dir_is_refused_as_verify_refuses_it(tmp_path, capsys, monkeypatch):
    bad = tmp_path / "shared"
    bad.mkdir()
    bad.chmod(0o777)
    monkeypatch.setenv("STREDA_CACHE", str(bad))
    args = ["scan", "hall", "--grid", "eps=2", "--jobs", "1"]
    status, _, err = run(args + ["--out", str(tmp_path / "x.nc")], capsys)
    assert status == 2 and "writable by group or others" in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "x.nc").exists()
    status, _, err = run(args + ["--no-cache", "--out", str(tmp_path / "y.nc")], capsys)   # control
    assert status == 0, err
