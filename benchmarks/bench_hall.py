"""Benchmark of ``streda hall`` (leading-order σ_xy): seconds per parameter point.

    python benchmarks/bench_hall.py

Exact route (Laurent series, sympy) and the numeric quadrature route side by side, so the
ratio between them is measured in the same run.  Crossed diagrams (issue 10) are not
evaluated yet; their target is < 10 s per Dirac point.  Figures, not tests.
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


if __name__ == "__main__":
    main()
