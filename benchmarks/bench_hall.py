"""Benchmark of ``streda hall`` (leading-order σ_xy): seconds per parameter point.

    python benchmarks/bench_hall.py

Exact route (Laurent series, sympy) and the numeric quadrature route side by side, so the
ratio between them is measured in the same run.  Then the crossed X and Ψ diagrams
(issue 10, target < 10 s per Dirac point): the full ``ladder+crossed`` point, the crossed
part alone, and the second (radial-first, mpmath) route of one X block for scale.
Figures, not tests.
"""
from __future__ import annotations

import time

from streda.integrals.hall import hall_conductivity, isotropic_point
from streda.integrals.hall_quadrature import sigma_fs_extrapolated

POINTS = [("dirac", "eps=2,m=1"), ("dirac", "eps=sqrt(2),m=1"), ("dirac", "eps=1/2,m=1"),
          ("rashba", "eps=5/4,Delta=3/10,Mz=2/5"), ("dresselhaus", "eps=5/4,Delta=3/10,Mz=2/5")]


def main() -> None:
    print(f"{'model':12s} {'params':28s} {'exact s':>8s} {'quad s':>8s} {'ratio':>6s}  sigma_xy")
    for model, params in POINTS:
        t0 = time.perf_counter()
        r = hall_conductivity(model, params)
        t1 = time.perf_counter()
        ip = isotropic_point(model, params)
        if r.parts["fermi_surface"] != 0 or model != "dirac" or ip.eps > 1:
            sigma_fs_extrapolated(ip) if r.self_energy[0] != 0 else None
        t2 = time.perf_counter()
        print(f"{model:12s} {params:28s} {t1 - t0:8.2f} {t2 - t1:8.2f} {(t1 - t0) / max(t2 - t1, 1e-9):6.1f}"
              f"  {r.sigma_xy}", flush=True)


CROSSED = ("eps=5/4,m=1", "eps=sqrt(2),m=1", "eps=2,m=1", "eps=3,m=-1", "eps=7,m=1")


def crossed() -> None:
    from streda.integrals.crossed import dirac_crossed, x_block_odd
    from streda.integrals.crossed_radial import x_block_odd_radial

    print(f"\n{'dirac point':18s} {'ladder+crossed s':>16s} {'crossed only s':>14s}  sigma_xy")
    for params in CROSSED:
        t0 = time.perf_counter()
        r = hall_conductivity("dirac", params, "ladder+crossed")
        t1 = time.perf_counter()
        ip = isotropic_point("dirac", params)
        dirac_crossed(float(ip.point["eps"]), float(ip.point["m"]))
        t2 = time.perf_counter()
        print(f"{params:18s} {t1 - t0:16.2f} {t2 - t1:14.3f}  {float(r.sigma_xy):.15g}", flush=True)
    t0 = time.perf_counter()
    x_block_odd(2, 1, 2.0)
    t1 = time.perf_counter()
    x_block_odd_radial(2, 1, 2.0, dps=20)
    t2 = time.perf_counter()
    print(f"one X block at theta=2: closed form {t1 - t0:.4f} s, radial-first route (dps 20) {t2 - t1:.1f} s "
          f"(ratio {(t2 - t1) / max(t1 - t0, 1e-9):.0f})")


if __name__ == "__main__":
    main()
    crossed()
