"""``streda diagrams``: enumerate a class of diagrams, merge duplicates, draw them."""
from __future__ import annotations

from pathlib import Path

from .limits import MAX_DIAGRAM_ORDER, MAX_RUNGS, bounded

__all__ = ["register", "run"]

CLASSES = ("pn", "bare", "ladder", "born")


def register(sub) -> None:
    p = sub.add_parser("diagrams", help="enumerate, deduplicate and draw diagrams (Figs. 2-4)",
                       description="Enumerate the diagrams of a class and order, merge isomorphic "
                                   "duplicates, print their words and write pictures.")
    p.add_argument("cls", choices=CLASSES, help="pn (Eq. C9, Fig. 4), bare (Fig. 2b), ladder (Fig. 3d), born (Fig. 2a)")
    p.add_argument("--order", type=bounded(0, MAX_DIAGRAM_ORDER), default=1,
                   help=f"number of sigma_x insertions n (default 1, max {MAX_DIAGRAM_ORDER})")
    p.add_argument("--rungs", type=bounded(0, MAX_RUNGS), default=1, help=f"impurity rungs for 'ladder' (default 1, max {MAX_RUNGS})")
    p.add_argument("--alpha", default="sigma_y", help="traced vertex op (default sigma_y)")
    p.add_argument("--beta", default="v_x", help="current vertex op (default v_x; p_x for Gamma^p)")
    p.add_argument("--format", choices=("dot", "tikz", "pdf", "svg"), default=None,
                   help="write one file per diagram in this format (pdf/svg need Graphviz's dot)")
    p.add_argument("--out", default="diagrams", help="output directory for --format (default ./diagrams)")
    p.set_defaults(func=run)


def _enumerate(args):
    from streda.diagrams import bare_bubbles, born_self_energy, ladder_diagrams, pn_diagrams

    if args.cls == "pn":
        return [(D, 1) for D in pn_diagrams(args.order, vertex=args.beta if args.beta.startswith("p") else "p_x")]
    if args.cls == "bare":
        return [(D, 1) for D in bare_bubbles(args.order, alpha=args.alpha, beta=args.beta)]
    if args.cls == "ladder":
        return list(ladder_diagrams(args.rungs, args.order, alpha=args.alpha, beta=args.beta))
    return [(born_self_energy(), 1)]


def run(args) -> int:
    from streda.diagrams import DiagramError, render, to_ladder, to_tikz_feynman, to_word, write_dot
    from streda.integrals.word import format_word

    from .cli import UsageError

    if args.order < 0 or args.rungs < 0:
        raise UsageError("--order and --rungs must be >= 0")
    try:
        found = _enumerate(args)
    except DiagramError as exc:
        raise UsageError(str(exc)) from None
    if args.format:               # refuse before printing or writing anything
        ext = {"dot": ".dot", "tikz": ".tex"}.get(args.format, "." + args.format)
        clash = [Path(args.out) / f"{args.cls}_{args.order}_{i}{ext}" for i in range(len(found))]
        clash = [p for p in clash if p.exists()]
        if clash and not getattr(args, "force", False):
            raise UsageError(f"--out: {clash[0]} exists ({len(clash)} file(s) would be overwritten); "
                             "use --force to overwrite")
    print(f"{len(found)} unique diagram(s) of class {args.cls}, order {args.order}"
          + (f", {args.rungs} rung(s)" if args.cls == "ladder" else ""))
    for i, (D, mult) in enumerate(found):
        try:
            text = str(to_ladder(D)) if args.cls in ("bare", "ladder") else format_word(to_word(D))
        except DiagramError:
            text = D.graph.get("description", "")
        extra = f"  (merged {mult} naive copies)" if mult > 1 else ""
        print(f"  {i:>3}  sign {D.graph.get('prefactor', 1):+d}  {D.graph['name']}: {text}{extra}")
    if args.format:
        out = Path(args.out)
        out.mkdir(parents=True, exist_ok=True)
        for i, (D, _m) in enumerate(found):
            base = out / f"{args.cls}_{args.order}_{i}"
            try:
                if args.format == "dot":
                    write_dot(D, base.with_suffix(".dot"))
                elif args.format == "tikz":
                    from .outputs import atomic_write_text

                    atomic_write_text(base.with_suffix(".tex"), to_tikz_feynman(D) + "\n")
                else:
                    render(D, base.with_suffix("." + args.format), args.format)
            except DiagramError as exc:
                raise UsageError(str(exc)) from None
        print(f"wrote {len(found)} file(s) to {out}/")
    return 0
