"""``streda pn``: the identity P^(n) = 0 of Eq. (C9), order by order or for all orders."""
from __future__ import annotations

import sys

from streda.integrals.model import DEFAULT_POINT, RashbaModel

from .limits import MAX_DPS, MAX_JOBS, MAX_ORDER, bounded
from .runtime import check_jobs, check_positive, parallel_map, refuse_unused_mx, versions, write_json

__all__ = ["register", "run", "pn_task", "MODULAR_MAX_ORDER"]

#: the highest order --method modular accepts (a stated size limit; order 100 takes seconds)
MODULAR_MAX_ORDER = 400


def register(sub) -> None:
    p = sub.add_parser("pn", help="check P^(n) = 0 (Eq. C9) order by order, or for all orders",
                       description="Check the identity P^(n) = 0 of Eq. (C9) of the paper.")
    p.add_argument("--max-order", type=bounded(0, MODULAR_MAX_ORDER), default=12,
                   help=f"highest order n (default 12; max {MAX_ORDER}, or {MODULAR_MAX_ORDER} with --method modular)")
    p.add_argument("--method", choices=("exact", "numeric", "quad", "modular"), default="exact",
                   help="exact algebra (default), ball-arithmetic residues, mpmath quadrature, or "
                        "modular: a probabilistic identity test at random points mod random primes")
    p.add_argument("--dps", type=bounded(1, MAX_DPS), default=50, help=f"decimal digits for numeric methods (default 50, max {MAX_DPS})")
    p.add_argument("--params", default=None,
                   help=f"parameter point, e.g. 'eps=1,gamma=1/10,Delta=3/10,Mz=2/5' (default {DEFAULT_POINT})")
    p.add_argument("--vertex", choices=("p", "bare"), default="p",
                   help="dressed vertex Gamma^p = p/m (default) or the bare velocity (negative control)")
    p.add_argument("--jobs", type=bounded(1, MAX_JOBS), default=1, help=f"worker processes (max {MAX_JOBS}, capped at the CPU count)")
    p.add_argument("--seed", type=bounded(0, 2**62), default=0, help="seed of the random primes and points (--method modular)")
    p.add_argument("--points", type=bounded(1, 16), default=2,
                   help="independent (random prime, random point) pairs per record (--method modular, default 2, max 16)")
    p.add_argument("--json", metavar="FILE", help="write the records as JSON ('-' for stdout)")
    p.add_argument("--all-orders", action="store_true",
                   help="print the all-orders certificate instead of order-by-order checks")
    p.set_defaults(func=run)


def pn_task(order: int, comp: str, method: str, params: str | None, dps: int, vertex: str,
            seed: int = 0, points: int = 2) -> dict:
    from . import pn

    point = RashbaModel.from_string(params)
    if method == "modular":
        rec = pn.pn_modular(order, comp, vertex, point.gamma_z, seed, points)
    elif method == "exact":
        rec = pn.pn_exact(order, comp, vertex, point.gamma_z, point)
    elif method == "numeric":
        rec = pn.pn_numeric(order, comp, point, dps, vertex)
    else:
        rec = pn.pn_quad(order, comp, point, dps, vertex)
    return rec.to_json()


def _result_text(r: dict) -> str:
    if r["method"] == "modular":
        e = r["extra"]
        return (f"0 at {e['pairs']} random pts (miss <= {e['error_bound']:.0e})" if r["is_zero"]
                else "non-zero mod p")
    if r["method"] == "exact":
        return "exactly 0" if r["is_zero"] else f"non-zero (|P| = {r['max_abs']})"
    return f"|P| <= {r['max_abs']}" + (" (0 within error)" if r["is_zero"] else "")


def run(args) -> int:
    from .cli import UsageError

    check_positive("--dps", args.dps)
    jobs = check_jobs(args.jobs)
    point = RashbaModel.from_string(args.params)   # validates: gamma > 0, eps > E*, names
    refuse_unused_mx(point, "pn")
    if args.all_orders:
        return _run_all_orders(args, point)
    if args.max_order < 0:
        raise UsageError(f"--max-order must be >= 0 (got {args.max_order})")
    if args.method == "quad" and args.max_order > 8:
        raise UsageError("--method quad is meant for small orders (<= 8): it integrates each diagram by quadrature")
    if args.method != "modular" and args.max_order > MAX_ORDER:
        raise UsageError(f"--max-order must be <= {MAX_ORDER} with --method {args.method} (got {args.max_order}); "
                         f"--method modular goes to {MODULAR_MAX_ORDER}")
    if args.method == "modular" and args.max_order > MODULAR_MAX_ORDER:
        raise UsageError(f"--method modular takes --max-order <= {MODULAR_MAX_ORDER} (got {args.max_order})")
    if not 1 <= args.points <= 16:
        raise UsageError(f"--points must be between 1 and 16 (got {args.points})")
    tasks = [(n, c, args.method, args.params, args.dps, args.vertex, args.seed, args.points)
             for n in range(args.max_order, -1, -1) for c in ("x", "y")]
    recs = parallel_map(pn_task, tasks, jobs, desc=f"P^(n) {args.method}")
    recs.sort(key=lambda r: (r["order"], r["component"]))
    from .pn import orders_as_expected

    ok = orders_as_expected(recs)
    out = sys.stderr if args.json == "-" else sys.stdout      # keep stdout clean JSON with --json -
    print(f"P^(n) of Eq. (C9), vertex {'Gamma^p = p/m' if args.vertex == 'p' else 'bare velocity v (control)'},"
          f" method {args.method}, point {point.as_dict()}", file=out)
    if args.method == "modular":
        from .pn import MODULAR_NOTE

        print(f"{MODULAR_NOTE}; seed {args.seed}, {args.points} random (prime, point) pairs per record, "
              f"the point's values enter only through gamma_z != 0", file=out)
    print(f"{'order':>5} {'comp':>4} {'method':>8} {'result':<40} {'expected':<9} {'seconds':>8}", file=out)
    for r in recs:
        exp = {True: "0", False: "non-zero", None: "(order)"}[r["expected_zero"]]
        bad = r["expected_zero"] is not None and r["is_zero"] != r["expected_zero"]
        mark = "  <-- UNEXPECTED" if bad else ""
        print(f"{r['order']:>5} {r['component']:>4} {r['method']:>8} {_result_text(r):<40} {exp:<9} "
              f"{r['seconds']:>8.3f}{mark}", file=out)
    for r in recs:
        cf = r.get("extra", {}).get("closed_form")
        if cf:
            terms = " + ".join(f"({v}) sigma_{k}" for k, v in cf.items() if v != "0") or "0"
            print(f"P^(0)_{r['component']} = {terms}  [exact in gamma; (C4) lines 3-4: "
                  f"{r['extra']['c4_lines_3_4']}]", file=out)
    print("all orders as expected" if ok else "SOME ORDERS NOT AS EXPECTED", file=out)
    if args.json:
        if args.method == "modular":
            from .pn import MODULAR_NOTE
            extra_json = {"seed": args.seed, "points": args.points, "probabilistic": True,
                          "note": MODULAR_NOTE}
        else:
            extra_json = {}
        write_json(args.json, {"command": "pn", "method": args.method, "vertex": args.vertex, **extra_json,
                               "parameters": point.as_dict(), "dps": args.dps,
                               "units": "hbar = 1; m_e, e, alpha_R as in parameters (defaults m_e = e = 1)",
                               "versions": versions(), "all_as_expected": ok, "records": recs})
    return 0 if ok else 1


def _run_all_orders(args, point) -> int:
    from .allorders import all_orders_certificate

    cert = all_orders_certificate(vertex=args.vertex, gamma_z=point.gamma_z != 0)
    print(f"All-orders certificate for P^(n) = 0, n >= 1 (vertex {args.vertex}, "
          f"{'spin-dependent' if point.gamma_z != 0 else 'scalar'} self-energy)")
    for i, s in enumerate(cert.steps, 1):
        print(f"step {i}: [{'ok' if s.passed else 'FAILS'}] {s.claim}")
        print(f"        checked by: {s.checked_by}")
        if s.detail:
            print(f"        detail: {s.detail.replace(chr(10), ' ')}")
    print(("CERTIFIED: " if cert.certified else "") + cert.conclusion)
    if args.json:
        write_json(args.json, {"command": "pn --all-orders", "versions": versions(), **cert.to_json()})
    expected = args.vertex == "p" and point.gamma_z == 0
    sys.stdout.flush()
    return 0 if cert.certified == expected else 1
