"""Reach of ``streda pn --method modular`` (a probabilistic identity test, not a proof).

    python benchmarks/bench_modular.py                   # n <= 100 on 2 processes, then the 5-minute reach
    python benchmarks/bench_modular.py --skip-reach      # only n <= 100
    python benchmarks/bench_modular.py --budget 60       # a shorter reach run

Three figures, wall-clock and CPU seconds (the machine may be shared, so CPU time is given too):

1. every order n = 0..100, both components, on ``--jobs`` processes (issue 13 asks: under two
   minutes on two cores), with the largest error bound of any record;
2. the negative controls (bare velocity; spin-dependent self-energy) at a few orders up to 100:
   every order must be non-zero in at least one component;
3. the reach: orders n = 0, 1, 2, ... in one process until ``--budget`` seconds are used.

The verdicts are checked against Eq. (C9) (zero for n >= 1); a wrong verdict is printed as
UNEXPECTED and makes the exit status 1.  Seconds are figures, not assertions.
"""
from __future__ import annotations

import argparse
import os
import resource
import sys
import time

from streda.verify.pn import orders_as_expected, pn_modular
from streda.verify.runtime import parallel_map


def _cpu() -> float:
    me, ch = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + ch.ru_utime + ch.ru_stime


def _task(n: int, c: str, vertex: str, gamma_z: int, seed: int) -> dict:
    return pn_modular(n, c, vertex, gamma_z, seed).to_json()


def all_orders(max_order: int, jobs: int, seed: int) -> bool:
    tasks = [(n, c, "p", 0, seed) for n in range(max_order, -1, -1) for c in "xy"]
    t0, c0 = time.perf_counter(), _cpu()
    recs = parallel_map(_task, tasks, jobs, desc="P^(n) modular")
    wall, cpu = time.perf_counter() - t0, _cpu() - c0
    ok = orders_as_expected(recs)
    worst = max(r["extra"]["error_bound"] for r in recs if r["is_zero"])
    print(f"n = 0..{max_order}, both components, {jobs} processes: {wall:.1f} s wall, {cpu:.1f} s CPU; "
          f"{'all as expected (n >= 1 zero, n = 0 non-zero)' if ok else 'UNEXPECTED verdicts'}; "
          f"largest error bound of a zero verdict {worst:.1e} (seed {seed}, 2 primes x 1 point)", flush=True)
    return ok


def controls(orders, seed: int) -> bool:
    ok = True
    for vertex, gz, name in (("bare", 0, "bare velocity"), ("p", 1, "spin-dependent self-energy")):
        for n in orders:
            t0 = time.perf_counter()
            recs = [pn_modular(n, c, vertex, gz, seed).to_json() for c in "xy"]
            good = orders_as_expected(recs)
            ok = ok and good
            zs = "".join("0" if r["is_zero"] else "N" for r in recs)
            print(f"control {name:<27} n = {n:>3}: x,y = {zs}  {'non-zero as required' if good else 'UNEXPECTED'}"
                  f"  {time.perf_counter() - t0:6.2f} s", flush=True)
    return ok


def reach(budget: float, seed: int) -> bool:
    t0, c0 = time.perf_counter(), _cpu()
    n, ok, last = 0, True, -1
    while True:
        recs = [pn_modular(n, c, "p", 0, seed).to_json() for c in "xy"]
        if time.perf_counter() - t0 > budget:
            break
        ok = ok and orders_as_expected(recs)
        last = n
        n += 1
    print(f"reach within {budget:.0f} s (one process): every order 0..{last} "
          f"({'all as expected' if ok else 'UNEXPECTED verdicts'}), {_cpu() - c0:.1f} s CPU", flush=True)
    return ok


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--max-order", type=int, default=100)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--budget", type=float, default=300.0)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--skip-reach", action="store_true")
    ap.add_argument("--reach-only", action="store_true", help="only the reach (figure 3)")
    a = ap.parse_args()
    if a.reach_only:
        print(f"machine: {os.cpu_count()} cores, load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}",
              flush=True)
        ok = reach(a.budget, a.seed)
        print(f"load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)
        return 0 if ok else 1
    print(f"machine: {os.cpu_count()} cores, load average {' '.join(f'{x:.2f}' for x in os.getloadavg())} "
          "(1, 5, 15 min)", flush=True)
    ok = all_orders(a.max_order, a.jobs, a.seed)
    ok = controls(sorted({1, 2, 10, a.max_order // 2, a.max_order}), a.seed) and ok
    if not a.skip_reach:
        ok = reach(a.budget, a.seed) and ok
    print(f"load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())} (1, 5, 15 min)", flush=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
