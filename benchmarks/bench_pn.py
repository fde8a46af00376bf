"""Benchmark of the P^(n) = 0 certificates (Eq. C9): seconds per order.

    python benchmarks/bench_pn.py                 # exact n = 1..12, numeric n = 0..30 at 50 digits
    python benchmarks/bench_pn.py --budget 300    # how far the exact method reaches in 5 minutes

Prints one line per order; no assertion: figures, not tests.
"""
from __future__ import annotations

import argparse
import time

from streda.integrals.model import RashbaModel
from streda.verify.pn import pn_exact, pn_numeric


def exact_table(max_order: int, budget: float | None) -> None:
    total = 0.0
    n = 1
    print("exact certificates (both components):")
    print(f"{'n':>3} {'seconds':>9} {'cumulative':>11}  zero")
    while True:
        if budget is None and n > max_order:
            break
        t0 = time.perf_counter()
        zs = [pn_exact(n, c).is_zero for c in "xy"]
        dt = time.perf_counter() - t0
        total += dt
        print(f"{n:>3} {dt:9.2f} {total:11.2f}  {all(zs)}", flush=True)
        if budget is not None and total + 2.2 * dt > budget:   # next order costs ~2x
            print(f"reached n = {n} within {total:.0f} s (budget {budget:.0f} s)")
            break
        n += 1
    if budget is None:
        print(f"n = 1..{max_order}: {total:.2f} s in total")


def numeric_table(max_order: int, dps: int) -> None:
    pt = RashbaModel.from_string(None)
    t_all = time.perf_counter()
    worst = 0
    for n in range(max_order + 1):
        t0 = time.perf_counter()
        recs = [pn_numeric(n, c, pt, dps) for c in "xy"]
        if n:
            worst = max(worst, max(float(r.max_abs) / float(r.extra["scale"]) for r in recs))
        print(f"numeric n={n:>2}: {time.perf_counter() - t0:6.2f} s", flush=True)
    print(f"numeric n = 0..{max_order} at {dps} digits: {time.perf_counter() - t_all:.1f} s, "
          f"max |P^(n)|/|P^(0)| = {worst:.3g}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--max-order", type=int, default=12)
    ap.add_argument("--budget", type=float, default=None, help="seconds: push the exact method as far as it goes")
    ap.add_argument("--numeric-order", type=int, default=30)
    ap.add_argument("--dps", type=int, default=50)
    ap.add_argument("--skip-numeric", action="store_true")
    a = ap.parse_args()
    exact_table(a.max_order, a.budget)
    if not a.skip_numeric and a.budget is None:
        numeric_table(a.numeric_order, a.dps)


if __name__ == "__main__":
    main()
