"""Benchmark of the finite-broadening crossed diagrams (issue 10, item 2): seconds per w point.

    python benchmarks/bench_crossed_finite.py [eps m]

For w/ε = 0.2 … 0.0125 at one (ε, m): the time of ``dirac_crossed_finite`` (all three
crossed diagrams, 8 Gauss–Legendre nodes per panel) beside the leading-order
``dirac_crossed`` run in the same process (the ratio is the figure), the value, its
difference from the leading order, and the local slope log₂(Δ(2w)/Δ(w)).  The cost grows
like log(ε/w) (the graded meshes).  Figures, not tests.
"""
from __future__ import annotations

import math
import sys
import time

from streda.integrals.crossed import dirac_crossed
from streda.integrals.crossed_finite import dirac_crossed_finite

RATIOS = (0.2, 0.1, 0.05, 0.025, 0.0125)


def main(eps: float = 2.0, m: float = 1.0) -> None:
    t0 = time.perf_counter()
    r0 = dirac_crossed(eps, m)
    t_lead = time.perf_counter() - t0
    lead = float(sum(r0[k] for k in ("X", "Psi_R", "Psi_A")).real)
    print(f"eps = {eps}, m = {m}: leading order X + Psi = {lead:.10f} ({t_lead:.2f} s)")
    print(f"{'w/eps':>7s} {'seconds':>8s} {'ratio':>7s} {'X + Psi (finite w)':>19s} {'difference':>11s} {'slope':>6s}")
    prev = None
    for r in RATIOS:
        t0 = time.perf_counter()
        v = dirac_crossed_finite(eps, m, r * eps)["total"].real
        dt = time.perf_counter() - t0
        d = v - lead
        slope = f"{math.log2(prev / d):6.2f}" if prev else "      "
        print(f"{r:7.4f} {dt:8.1f} {dt / t_lead:7.0f} {v:19.10f} {d:11.3e} {slope}", flush=True)
        prev = d


if __name__ == "__main__":
    main(*(float(a) for a in sys.argv[1:3]))
