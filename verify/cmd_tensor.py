"""``streda tensor``: the spin susceptibility K (Eq. 9) or conductivity σ (Eq. 13), bare or dressed.

A thin layer over :func:`streda.integrals.api.tensor` (numeric, ``--params``) and
:func:`streda.integrals.api.symbolic_tensor` (γ expansion); ``--json`` writes exactly
``tensor(...).to_json()``."""
from __future__ import annotations

import sympy

from streda.integrals.model import RashbaModel

from .runtime import check_positive, write_json

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
    p.add_argument("--model", default="rashba", metavar="NAME",
                   help="built-in model: rashba (Eq. 8), dresselhaus (Eq. 18), dirac, rashba+dresselhaus "
                        "(numeric models need --params; parameters per model: docs/api.md)")
    p.add_argument("--disorder", default="scalar", metavar="SPEC",
                   help="scalar (default) or magnetic:ux=..,uy=..,uz=.. (white noise V(1 + u.sigma)); "
                        "with --dressing ladder a non-scalar correlator uses the general ladder solver")
    p.add_argument("--xi-range", choices=("whole", "physical"), default="whole",
                   help="xi over the whole real axis (the paper's prescription, default) or the physical "
                        "band p^2 >= 0")
    p.add_argument("--paper-variables", action="store_true",
                   help="symbolic mode: write the M_x^k terms in Delta_S, mu_z, mu_x as Eq. (15) does")
    p.add_argument("--json", metavar="FILE")
    p.add_argument("--latex", metavar="FILE")
    p.set_defaults(func=run)


def numeric_tensor(kind: str, dressing: str, order: int, point: RashbaModel, dps: int,
                   model: str = "rashba") -> dict:
    """Compatibility wrapper of :func:`streda.integrals.api.numeric_tensor`."""
    from streda.integrals.api import numeric_tensor as nt

    return nt(kind, dressing, order, point, dps, model)


def symbolic_tensor(kind: str, dressing: str, order: int, gamma_order: int,
                    paper_variables: bool = False) -> list[dict]:
    """Records {row, column, mx_order, gamma_power, expression (text)} of the gamma expansion."""
    from streda.integrals.api import symbolic_tensor as st

    from .tensors import to_paper_variables

    recs = st(kind, dressing, order, gamma_order, to_paper_variables if paper_variables else None)
    return [dict(r, expression=sympy.sstr(r["expression"])) for r in recs]


def run(args) -> int:
    from streda.integrals import api
    from streda.integrals.disorder import parse_disorder
    from streda.integrals.models import get_model

    from .cli import UsageError

    order = args.mx_order if args.mx_order is not None else (4 if args.kind == "K" else 3)
    if not 0 <= order <= api.MAX_MX_ORDER:
        raise UsageError(f"--mx-order must be between 0 and {api.MAX_MX_ORDER} (got {order})")
    if args.gamma_order < 0:
        raise UsageError(f"--gamma-order must be >= 0 (got {args.gamma_order})")
    check_positive("--dps", args.dps)
    model = get_model(args.model)
    disorder = parse_disorder(args.disorder)
    if args.params is None and (args.model != "rashba" or disorder.spin_dependent or args.xi_range != "whole"):
        raise UsageError("symbolic mode (no --params) is available for --model rashba with scalar disorder "
                         "over the whole xi axis; give --params for a numeric tensor")
    if args.params is None:
        from .limits import check_symbolic_tensor

        check_symbolic_tensor(order, args.gamma_order)       # stated limit (issue 11)
    head = f"{args.kind} ({args.dressing}, {args.model}), orders M_x^0..M_x^{order}"
    if args.params is not None:
        res = api.tensor(args.kind, model, args.params, dressing=args.dressing, mx_order=order, dps=args.dps,
                         disorder=disorder, xi_range=args.xi_range)
        extra = "" if not disorder.spin_dependent else f", {disorder.describe()} disorder"
        print(f"{head} at {res.parameters}, exact in gamma{extra}, xi over the {args.xi_range} axis, "
              f"{args.dps} digits")
        doc = res.to_json()
        data = doc["orders"]
        for k, ent in data.items():
            for key, v in ent.items():
                print(f"  M_x^{k} {args.kind}_{key} = {v[0]}  + i {v[1]}")
        if args.json:
            write_json(args.json, doc)
        if args.latex:
            from .latex import document, value_table, write_latex

            cols = ["$x$", "$y$"]
            parts = [value_table([(f"${args.kind}^{{({k})}}_{{{r}\\cdot}}$", [data[str(k)][r + c] for c in "xy"])
                                  for r in ROWS[args.kind]], cols, caption=f"M_x order {k}") for k in res.orders]
            write_latex(args.latex, document(parts, title=f"streda tensor {args.kind}"))
        return 0
    from .tensors import to_paper_variables

    exprs = api.symbolic_tensor(args.kind, args.dressing, order, args.gamma_order,
                                to_paper_variables if args.paper_variables else None)
    recs = [dict(r, expression=sympy.sstr(r["expression"])) for r in exprs]
    what = ("terms mu_x^k Delta_S^k x coeff" if args.paper_variables else "coefficients of M_x^k") + " gamma^j"
    print(f"{head}: {what} (gamma = 1/2tau), exact expansion of the exact-in-gamma result")
    for r in recs:
        if r["expression"] != "0":
            print(f"  [{r['row']}{r['column']}] M_x^{r['mx_order']} gamma^{r['gamma_power']}: {r['expression']}")
    if args.json:
        write_json(args.json, {"command": "tensor", "kind": args.kind, "dressing": args.dressing,
                               "versions": api.versions(), "records": recs})
    if args.latex:
        from .latex import document, escape_latex, write_latex

        rows = [rf"$[{r['row']}{r['column']}]$ & ${r['mx_order']}$ & ${r['gamma_power']}$ & "
                rf"${sympy.latex(r['expression'])}$ \\" for r in exprs if r["expression"] != 0]
        body = "\n".join([r"\begin{longtable}{llll}", r"\toprule entry & $k$ & $j$ & coefficient of $M_x^k\gamma^j$ \\ \midrule",
                          *rows, r"\bottomrule", r"\end{longtable}"])
        write_latex(args.latex, document([body], title=escape_latex(f"streda tensor {args.kind}")))
    return 0
