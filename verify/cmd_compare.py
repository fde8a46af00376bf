"""``streda compare``: regenerate printed equations and judge them entry by entry."""
from __future__ import annotations

from .runtime import versions, write_json

__all__ = ["register", "run"]


def register(sub) -> None:
    from .equations import EQUATIONS

    p = sub.add_parser("compare", help="regenerate printed equations and compare entry by entry",
                       description="Regenerate the paper's equations with the engine and report, for each "
                                   "entry, agrees / differs / not-comparable. Known: "
                                   + ", ".join(EQUATIONS) + ".")
    p.add_argument("equations", nargs="*", metavar="EQ", help="equation names (default: all)")
    p.add_argument("--json", metavar="FILE", help="write the records as JSON")
    p.add_argument("--latex", metavar="FILE", help="write a LaTeX document with one table per equation")
    p.set_defaults(func=run)


def run(args) -> int:
    from .cli import UsageError
    from .compare import summarize
    from .equations import TITLES, UnknownEquationName, compare_equations

    try:
        results = compare_equations(args.equations)
    except UnknownEquationName as exc:
        raise UsageError(str(exc)) from None
    print(f"{'equation':<8} {'entry':<22} {'status':<15} reason")
    for name, recs in results.items():
        for r in recs:
            where = f"[{r.row or ''}{r.column or ''}] Mx^{r.mx_order} tau^{r.tau_order}"
            print(f"{name:<8} {where:<22} {r.status:<15} {r.reason[:90]}")
    total = summarize([r for recs in results.values() for r in recs])
    print(f"summary: {total['agrees']} agree, {total['differs']} differ, "
          f"{total['not-comparable']} not comparable")
    if args.json:
        write_json(args.json, {"command": "compare", "versions": versions(), "summary": total,
                               "records": [r.to_json() for recs in results.values() for r in recs]})
    if args.latex:
        from .latex import comparison_table, document, write_latex

        parts = [comparison_table(recs, caption=TITLES.get(name, name), label=f"tab:{name}")
                 for name, recs in results.items()]
        write_latex(args.latex, document(parts, title="streda: regenerated vs printed equations"))
    return 0
