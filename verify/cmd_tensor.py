"""``streda tensor``: the spin susceptibility K (Eq. 9) or conductivity σ (Eq. 13), bare or dressed."""
from __future__ import annotations

import sympy

from streda.integrals.model import RashbaModel

from .runtime import check_positive, versions, write_json

__all__ = ["register", "run", "numeric_tensor", "symbolic_tensor"]

ROWS = {"K": "xyz", "sigma": "xy"}


def register(sub) -> None:
    from . import limits as L     # stated maxima of --mx-order, --gamma-order, --dps

    p = sub.add_parser("tensor", help="K (Eq. 9) or sigma (Eq. 13) order by order in M_x",
                       description="Kubo-Streda tensors from diagrams: numeric at a parameter point "
                                   "(exact in gamma) with --params, symbolic (expanded in gamma) otherwise.")
    p.add_argument("kind", choices=("K", "sigma"))
    p.add_argument("--dressing", choices=("bare", "ladder"), default="bare",
                   help="bare bubbles (Fig. 2b) or all non-crossing ladders (Fig. 3d)")
    p.add_argument("--mx-order", type=L.bounded(0, L.MAX_MX_ORDER), default=None, help=f"highest order in M_x (default 4 for K, 3 for sigma; max {L.MAX_MX_ORDER})")
    p.add_argument("--gamma-order", type=L.bounded(0, L.MAX_GAMMA_ORDER), default=0,
                   help=f"symbolic mode: keep gamma^-1 ... gamma^g (default 0: the tau and tau^0 terms; max {L.MAX_GAMMA_ORDER},"
                        f" and --mx-order + --gamma-order <= {L.MAX_SYMBOLIC_ORDERS} without --params)")
    p.add_argument("--params", default=None, help="parameter point -> numeric values exact in gamma")
    p.add_argument("--dps", type=L.bounded(1, L.MAX_DPS), default=30, help=f"digits for numeric values (default 30, max {L.MAX_DPS})")
    p.add_argument("--model", choices=("rashba", "dresselhaus"), default="rashba",
                   help="spin-orbit term: Rashba (Eq. 8) or Dresselhaus (Eq. 18; bare, numeric only)")
    p.add_argument("--paper-variables", action="store_true",
                   help="symbolic mode: write the M_x^k terms in Delta_S, mu_z, mu_x as Eq. (15) does")
    p.add_argument("--json", metavar="FILE")
    p.add_argument("--latex", metavar="FILE")
    p.set_defaults(func=run)


def _key(r, c):
    return r + c


def numeric_tensor(kind: str, dressing: str, order: int, point: RashbaModel, dps: int,
                   model: str = "rashba") -> dict:
    """{k: {"xy": acb, ...}} physical entries (all prefactors) at ``point``, resolved to ``dps``
    digits: the working precision is doubled until every ball's radius is below 10^−dps
    times the largest entry of its order (or of the whole tensor for an all-zero order)."""
    import mpmath

    from streda.integrals import evaluate as ev

    digits = dps + 15
    for _ in range(8):
        vals = _numeric_tensor(kind, dressing, order, point, digits, model)
        lows = {k: max(ev.ball_lower_abs(v) for v in ent.values()) for k, ent in vals.items()}
        overall = max(lows.values())
        ok = overall > 0
        for k, ent in vals.items():
            scale = lows[k] if lows[k] > 0 else overall
            ok &= all(ev.ball_radius(v) <= mpmath.mpf(10) ** (-dps) * scale for v in ent.values())
        if ok:
            return vals
        digits *= 2
    raise ev.PrecisionError(f"the tensor entries could not be resolved to {dps} digits with "
                            f"{digits // 2} working digits at this parameter point")


def _numeric_tensor(kind: str, dressing: str, order: int, point: RashbaModel, digits: int,
                    model: str = "rashba") -> dict:
    import flint

    from streda.integrals import evaluate as ev
    from streda.integrals import kubo
    from streda.integrals.pointwise import to_acb

    from . import dressed

    out = {}
    with ev.flint_precision(digits):
        B = ev.ball_backend(point, model)
        pi = flint.arb.pi()
        e, m = to_acb(point.e), to_acb(point.m)
        fac = e / (8 * pi) * m.sqrt() if kind == "K" else e * e / (4 * pi)
        for k in range(order + 1):
            ent = {}
            if dressing == "bare":
                T = kubo.tensor_order(kind, k, B)
                for (r, c), parts in T.items():
                    ent[_key(r, c)] = fac * (2 * parts["RA"] - parts["RR"] - parts["AA"])
            else:
                for r in ROWS[kind]:
                    for c in "xy":
                        if kind == "K":
                            ent[_key(r, c)] = 2 * fac * dressed.dressed_K_value(k, r, c, B)
                        else:
                            p = dressed.dressed_sigma_parts(k, r, c, B)
                            ent[_key(r, c)] = fac * (2 * p["RA"] - p["RR"] - p["AA"])
            out[k] = ent
    return out


def symbolic_tensor(kind: str, dressing: str, order: int, gamma_order: int,
                    paper_variables: bool = False) -> list[dict]:
    """Records {row, column, mx_order, gamma_power, expression} of the gamma expansion."""
    from streda.integrals import model as M
    from streda.integrals.expansion import gamma_series, series_to_sympy
    from streda.integrals.kubo import physical_factor

    from . import dressed, tensors

    recs = []
    for k in range(order + 1):
        for r in ROWS[kind]:
            for c in "xy":
                if dressing == "bare":
                    val, fac = tensors.reduced_total(kind, k, r, c), physical_factor(kind)
                elif kind == "K":
                    val, fac = dressed.dressed_K_order(k, r, c), M.e_charge / (4 * sympy.pi) * sympy.sqrt(M.m_e)
                else:
                    p = dressed.dressed_sigma_order(k, r, c)
                    val, fac = p["RA"] + p["RA"] - p["RR"] - p["AA"], physical_factor(kind)
                ser = {} if val.is_zero() else series_to_sympy(gamma_series(val, gamma_order))
                for j in range(-1, gamma_order + 1):
                    e = sympy.simplify(ser.get(j, 0) * fac)
                    if paper_variables:
                        e = tensors.to_paper_variables(e, k)
                    recs.append({"row": r, "column": c, "mx_order": k, "gamma_power": j,
                                 "expression": sympy.sstr(e)})
    return recs


def run(args) -> int:
    from .cli import UsageError

    order = args.mx_order if args.mx_order is not None else (4 if args.kind == "K" else 3)
    if order < 0:
        raise UsageError(f"--mx-order must be >= 0 (got {order})")
    if args.gamma_order < 0:
        raise UsageError(f"--gamma-order must be >= 0 (got {args.gamma_order})")
    check_positive("--dps", args.dps)
    if args.model == "dresselhaus" and (args.dressing != "bare" or args.params is None):
        raise UsageError("--model dresselhaus is available for the bare tensors at a parameter point "
                         "(--dressing bare --params ...)")
    if args.params is None:
        from .limits import check_symbolic_tensor

        check_symbolic_tensor(order, args.gamma_order)       # stated limit (issue 11)
    head = f"{args.kind} ({args.dressing}, {args.model}), orders M_x^0..M_x^{order}"
    if args.params is not None:
        from streda.integrals import evaluate as ev

        point = RashbaModel.from_string(args.params)
        from .runtime import refuse_unused_mx

        refuse_unused_mx(point, "tensor")                       # a value of M_x would be ignored
        vals = numeric_tensor(args.kind, args.dressing, order, point, args.dps, args.model)
        print(f"{head} at {point.as_dict()}, exact in gamma, {args.dps} digits")
        data = {}
        for k, ent in vals.items():
            data[str(k)] = {key: ev.ball_to_strings(v, args.dps, zero_if_contains=True)
                            for key, v in ent.items()}
            for key, v in ent.items():
                print(f"  M_x^{k} {args.kind}_{key} = {data[str(k)][key][0]}  + i {data[str(k)][key][1]}")
        if args.json:
            write_json(args.json, {"command": "tensor", "kind": args.kind, "dressing": args.dressing,
                                   "parameters": point.as_dict(), "dps": args.dps, "versions": versions(),
                                   "units": "hbar = 1; entries include all prefactors (e/8pi, e^2/4pi, m_e)",
                                   "orders": data})
        if args.latex:
            from .latex import document, value_table, write_latex

            cols = ["$x$", "$y$"]
            parts = [value_table([(f"${args.kind}^{{({k})}}_{{{r}\\cdot}}$", [data[str(k)][r + c] for c in "xy"])
                                  for r in ROWS[args.kind]], cols, caption=f"M_x order {k}") for k in vals]
            write_latex(args.latex, document(parts, title=f"streda tensor {args.kind}"))
        return 0
    recs = symbolic_tensor(args.kind, args.dressing, order, args.gamma_order, args.paper_variables)
    what = ("terms mu_x^k Delta_S^k x coeff" if args.paper_variables else "coefficients of M_x^k") + " gamma^j"
    print(f"{head}: {what} (gamma = 1/2tau), exact expansion of the exact-in-gamma result")
    for r in recs:
        if r["expression"] != "0":
            print(f"  [{r['row']}{r['column']}] M_x^{r['mx_order']} gamma^{r['gamma_power']}: {r['expression']}")
    if args.json:
        write_json(args.json, {"command": "tensor", "kind": args.kind, "dressing": args.dressing,
                               "versions": versions(), "records": recs})
    if args.latex:
        from .latex import document, escape_latex, write_latex

        rows = [rf"$[{r['row']}{r['column']}]$ & ${r['mx_order']}$ & ${r['gamma_power']}$ & "
                rf"${sympy.latex(sympy.sympify(r['expression']))}$ \\" for r in recs if r["expression"] != "0"]
        body = "\n".join([r"\begin{longtable}{llll}", r"\toprule entry & $k$ & $j$ & coefficient of $M_x^k\gamma^j$ \\ \midrule",
                          *rows, r"\bottomrule", r"\end{longtable}"])
        write_latex(args.latex, document([body], title=escape_latex(f"streda tensor {args.kind}")))
    return 0
