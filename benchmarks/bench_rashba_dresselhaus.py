"""Benchmark of the angular engine: the bare K of ``rashba+dresselhaus`` against the exact Rashba run.

    python benchmarks/bench_rashba_dresselhaus.py               # --dps 20, M_x^0..M_x^4 (the CLI default)
    python benchmarks/bench_rashba_dresselhaus.py --dps 30 --mx-order 2

Runs, side by side in one process, (a) the angular engine (residues per angle +
trapezoid in φ) for rashba+dresselhaus at its default point and (b) the exact Rashba
ball engine (``streda tensor K --model rashba``) at the same digits and orders, and
prints seconds and the ratio a/b, plus the number of trapezoid angles used.  The issue's
bar is (a) under 30 s on two cores.  No assertion: figures, not tests.
"""
from __future__ import annotations

import argparse
import time

from streda.integrals import angular
from streda.integrals.models import get_model
from streda.verify.rashba_dresselhaus import exact_reference


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dps", type=int, default=20)
    ap.add_argument("--mx-order", type=int, default=4)
    ap.add_argument("--repeat", type=int, default=1)
    args = ap.parse_args()
    pt = get_model("rashba+dresselhaus").point()
    best_a = best_b = float("inf")
    for _ in range(args.repeat):
        angular._cached.cache_clear()
        t0 = time.perf_counter()
        angular.tensor_angular("K", pt, args.mx_order, args.dps)
        best_a = min(best_a, time.perf_counter() - t0)
        t0 = time.perf_counter()
        exact_reference("K", "rashba", "eps=1,gamma=1/10,Delta=3/10,Mz=2/5", args.mx_order, args.dps)
        best_b = min(best_b, time.perf_counter() - t0)
    _, _, n = angular._cached("K", pt, args.mx_order, args.dps, "whole")
    print(f"K, M_x^0..M_x^{args.mx_order}, {args.dps} digits")
    print(f"  rashba+dresselhaus (angular, {n} angles on [0, pi)): {best_a:8.2f} s")
    print(f"  rashba (exact ball engine)                      : {best_b:8.2f} s")
    print(f"  ratio angular / exact                           : {best_a / best_b:8.1f}")


if __name__ == "__main__":
    main()
