"""Throughput of ``streda scan`` against ``streda tensor`` once per point (issue 13 bar: <= 0.5x).

    python benchmarks/bench_scan.py                  # 20 x 20 bare K at 20 digits; 12 sampled points
    python benchmarks/bench_scan.py --sample 400     # run `streda tensor` at every point (slow)

Everything runs as subprocesses of the installed ``streda`` command, in the same run:

* the scan (``--no-cache``), with ``--jobs 1`` and with ``--jobs J``, and on a Dask
  LocalCluster (``--dask-local J``) whose values must be identical to the process pool's;
* the baseline: ``streda tensor K --params ... --dps 20`` run one after the other for a sample
  of grid points spread evenly over the grid (every point with ``--sample 400``); its time per
  point times the number of points is the extrapolated per-point total.  The sampled values
  must equal the scan's.

Prints the figures; no assertion on seconds (figures, not tests).
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from fractions import Fraction
from pathlib import Path

GRID_AXES = (("eps", Fraction(1), Fraction(3)), ("Mz", Fraction(1, 10), Fraction(9, 10)))
FIXED = "gamma=1/10,Delta=3/10"


def _streda(*args) -> float:
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-m", "streda.verify.cli", *args], check=True,
                   stdout=subprocess.DEVNULL, env={**os.environ, "STREDA_PROGRESS": ""})
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=20, help="points per axis (default 20: a 20 x 20 grid)")
    ap.add_argument("--dps", type=int, default=20)
    ap.add_argument("--sample", type=int, default=12, help="grid points run through `streda tensor`")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--skip-dask", action="store_true")
    a = ap.parse_args()

    from streda.verify.scan_data import load

    n = a.n
    grid = ",".join(f"{name}={lo}:{hi}:{n}" for name, lo, hi in GRID_AXES)
    vals = [[lo + (hi - lo) * Fraction(i, n - 1) for i in range(n)] for _, lo, hi in GRID_AXES]
    tmp = Path(tempfile.mkdtemp(prefix="bench_scan"))
    common = ["scan", "tensor", "K", "--grid", grid, "--params", FIXED, "--dps", str(a.dps), "--no-cache"]
    print(f"grid {grid} ({n * n} points), bare K, M_x^0..M_x^4, {a.dps} digits; {os.cpu_count()} CPUs")

    t_scan1 = _streda(*common, "--jobs", "1", "--out", str(tmp / "s1.nc"))
    print(f"scan --jobs 1            : {t_scan1:8.1f} s", flush=True)
    t_scanj = _streda(*common, "--jobs", str(a.jobs), "--out", str(tmp / "sj.nc"))
    print(f"scan --jobs {a.jobs:<2}           : {t_scanj:8.1f} s", flush=True)
    s1, sj = load(tmp / "s1.nc"), load(tmp / "sj.nc")
    assert s1.identical(sj), "scan results depend on --jobs"
    if not a.skip_dask:
        t_dask = _streda(*common, "--dask-local", str(a.jobs), "--out", str(tmp / "sd.nc"))
        same = load(tmp / "sd.nc").identical(sj)
        print(f"scan --dask-local {a.jobs:<2}     : {t_dask:8.1f} s   values identical to the process pool: {same}",
              flush=True)
        assert same, "Dask LocalCluster and process pool disagree"

    total = n * n
    k = max(1, min(a.sample, total))
    idx = sorted({round(i * (total - 1) / max(k - 1, 1)) for i in range(k)})
    t_points, checked = 0.0, 0
    for flat in idx:
        i, j = divmod(flat, n)
        eps, mz = vals[0][i], vals[1][j]
        out = tmp / f"p{flat}.json"
        t_points += _streda("tensor", "K", "--params", f"{FIXED},eps={eps},Mz={mz}", "--dps", str(a.dps),
                            "--json", str(out))
        ref = json.loads(out.read_text())["orders"]
        got = sj["K"].isel(eps=i, Mz=j)
        for order, ent in ref.items():
            for key, (re, im) in ent.items():
                v = complex(got.sel(mx_order=int(order), row=key[0], column=key[1]).values)
                assert v == complex(float(re), float(im)), (eps, mz, order, key)
                checked += 1
    per = t_points / len(idx)
    baseline = per * total
    how = "measured at every point" if len(idx) == total else f"{len(idx)} sampled points extrapolated to {total}"
    print(f"streda tensor per point  : {per:8.2f} s/point ({how}); total {baseline:.1f} s;"
          f" {checked} sampled values equal to the scan's")
    print(f"ratio scan/per-point     : --jobs 1 {t_scan1 / baseline:.3f}, --jobs {a.jobs} {t_scanj / baseline:.3f}"
          f"  (bar: <= 0.5)")


if __name__ == "__main__":
    main()
