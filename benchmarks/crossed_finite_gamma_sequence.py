"""The γ sequence behind the finite-broadening tables of docs/crossed-torques.md (issue 10).

Runs :func:`streda.integrals.crossed_realspace.crossed_finite_gamma` (Rashba, the point of
``verify/crossed_torque_check.py``, Taylor coefficients in M_x to ``--order``) at each γ,
prints one markdown row per γ with the totals over the X, Ψ_R, Ψ_A families and the seconds
it took, and the γ → 0 extrapolations of :func:`streda.verify.crossed_finite_gamma_check.extrapolate`.

    python benchmarks/crossed_finite_gamma_sequence.py --order 2 1/10 1/20 1/40 1/80 1/160
    python benchmarks/crossed_finite_gamma_sequence.py --order 1 1/320 1/640

The cost of one γ grows like 1/γ (the radial range is ~38/(decay rate of the product)).
"""
from __future__ import annotations

import argparse
import json
import time
from fractions import Fraction

from streda.integrals.crossed_realspace import crossed_finite_gamma
from streda.verify.crossed_finite_gamma_check import extrapolate, series_totals
from streda.verify.crossed_torque_check import POINT

COLUMNS = (("K0_xx", 0, "xx"), ("K0_xy", 0, "xy"), ("sigma0", 0, "sigma_xy"), ("K1_zx", 1, "zx"),
           ("K1_zy", 1, "zy"), ("K2_xy+yx", 2, ("xy", "yx")), ("K2_xx-yy", 2, ("xx", "-yy")))


def value(t, k, key):
    if k not in t:
        return None
    if isinstance(key, tuple):
        return sum(-t[k][e[1:]] if e.startswith("-") else t[k][e] for e in key)
    return t[k][key]


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("gammas", nargs="+")
    ap.add_argument("--order", type=int, default=2)
    ap.add_argument("--json", help="write the totals here")
    a = ap.parse_args(argv)
    rows = {}
    print("| γ | " + " | ".join(c[0] for c in COLUMNS) + " | s |")
    print("|---" * (len(COLUMNS) + 2) + "|")
    for g in a.gammas:
        t0 = time.process_time()
        run = crossed_finite_gamma("rashba", POINT, float(Fraction(g)), perturbation="Mx", order=a.order)
        t = series_totals(run)
        rows[g] = t
        cells = [value(t, k, key) for _, k, key in COLUMNS]
        print(f"| {g} | " + " | ".join("—" if c is None else f"{c:.8e}" for c in cells)
              + f" | {time.process_time() - t0:.0f} |", flush=True)
    if len(a.gammas) >= 4:
        for name, k, key in COLUMNS:
            if k <= a.order:
                c0, err = extrapolate(a.gammas, [value(rows[g], k, key) for g in a.gammas])
                print(f"{name}: extrapolated {c0:.8e} +- {err:.1e}")
    if a.json:
        with open(a.json, "w", encoding="utf-8") as f:
            json.dump({g: {str(k): v for k, v in t.items()} for g, t in rows.items()}, f, indent=1)


if __name__ == "__main__":
    main()
