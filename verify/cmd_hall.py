"""``streda hall``: the anomalous Hall conductivity σ_xy at leading order in the disorder.

    streda hall --model dirac --params "eps=2,m=1" --diagrams ladder [--json F]

prints σ_xy in units of e²/h with its parts; ``--json`` writes
``{"sigma_xy": [re, im], "units": "e^2/h", "parts": {...}, "diagrams": ...}``.
``--diagrams`` is a ``+``-separated set of diagram families: ``ladder`` (non-crossing,
required) and ``crossed`` (the X and Ψ diagrams with one pair of crossed impurity lines,
issue 10; evaluated for ``dirac`` and ``rashba``; listed as parts X, Psi_R, Psi_A).
"""
from __future__ import annotations


from .runtime import versions, write_json

__all__ = ["register", "run", "parse_diagrams", "FAMILIES", "MAX_DPS"]

#: the diagram families ``--diagrams`` may name
FAMILIES = ("ladder", "crossed")
MAX_DPS = 1000
#: refuse parameter values beyond this magnitude and --params beyond this length
MAX_MAGNITUDE = 10 ** 6
MAX_PARAMS_CHARS = 400


def register(sub) -> None:
    from streda.integrals.models import BUILTIN

    p = sub.add_parser("hall", help="anomalous Hall conductivity sigma_xy at leading order in disorder",
                       description="sigma_xy (units e^2/h) of an isotropic two-band model at leading order "
                                   "in the white-noise disorder strength (gamma -> 0): Kubo-Streda Fermi "
                                   "surface term with the ladder-dressed vertex and the Born self-energy "
                                   "of the correlator, plus the Fermi sea term. Exact algebra.")
    p.add_argument("--model", choices=tuple(BUILTIN), default="dirac")
    p.add_argument("--params", default=None, help="parameter point, e.g. eps=2,m=1 (gamma is not used: "
                                                  "the result is the gamma -> 0 limit)")
    p.add_argument("--diagrams", default="ladder",
                   help="'+'-separated diagram families: ladder (required), crossed (X and Psi; "
                        "dirac and rashba models; rashba takes one to two minutes). Default: ladder")
    p.add_argument("--dps", type=int, default=20, help=f"digits printed for numbers (1..{MAX_DPS}, default 20)")
    p.add_argument("--json", metavar="FILE", help="write the result as JSON ('-' for stdout)")
    p.set_defaults(func=run)


def parse_diagrams(text: str) -> str:
    """Normalise ``--diagrams``: families in canonical order joined by '+'.

    >>> parse_diagrams("ladder"), parse_diagrams("crossed+ladder")
    ('ladder', 'ladder+crossed')
    >>> parse_diagrams("ladder+maximally-crossed")
    Traceback (most recent call last):
    ...
    streda.verify.cli.UsageError: --diagrams: unknown family 'maximally-crossed'; known: ladder, crossed
    """
    from .cli import UsageError

    items = [t.strip() for t in (text or "").split("+")]
    if not items or any(not t for t in items):
        raise UsageError(f"--diagrams: empty family in {text!r}; use e.g. ladder or ladder+crossed")
    for t in items:
        if t not in FAMILIES:
            raise UsageError(f"--diagrams: unknown family {t!r}; known: {', '.join(FAMILIES)}")
    if "ladder" not in items:
        raise UsageError("--diagrams: the ladder family is required (crossed diagrams dress the ladder)")
    return "+".join(f for f in FAMILIES if f in items)


def crossed_terms() -> tuple:
    """The X and Ψ diagrams of :mod:`streda.diagrams.crossed` as the plain data
    (:class:`~streda.integrals.crossed.CrossedTerm`) the integrals layer evaluates: the
    momenta of every Green's function come from the graph.

    >>> [(t.family, t.beta, t.weight) for t in crossed_terms()]
    [('Psi_A', 2, 1), ('X', 3, 1), ('Psi_R', 4, 1)]
    """
    from streda.diagrams.crossed import crossed_diagrams
    from streda.integrals.crossed import CrossedTerm

    out = []
    for D, _mult in crossed_diagrams():
        ring, node = [], "alpha"
        while True:
            (_, nxt, d), = [(u, v, d) for u, v, d in D.out_edges(node, data=True) if d["kind"] == "G"]
            ring.append((d["side"], d["momentum"], nxt))
            node = nxt
            if node == "alpha":
                break
        beta = [i for i, (_, _, n) in enumerate(ring) if n == "beta"][0] + 1
        out.append(CrossedTerm(D.graph["family"], tuple((s, mo) for s, mo, _ in ring), beta))
    return tuple(out)


def run(args) -> int:
    import sympy

    from streda.integrals.hall import hall_conductivity
    from streda.integrals.model import ModelError
    from streda.integrals.models import get_model

    from .cli import UsageError

    if not 1 <= args.dps <= MAX_DPS:
        raise UsageError(f"--dps must be in 1..{MAX_DPS} (got {args.dps})")
    diagrams = parse_diagrams(args.diagrams)
    model = get_model(args.model)
    if args.params is not None and len(args.params) > MAX_PARAMS_CHARS:
        raise UsageError(f"--params longer than {MAX_PARAMS_CHARS} characters")
    try:
        point = model.point(args.params)
    except (ArithmeticError, RecursionError) as exc:
        raise UsageError(f"--params: cannot read {args.params!r} as numbers ({type(exc).__name__})") from None
    for name, val in point.values.items():
        if not (val.is_Rational or val.is_number) or not abs(val) <= MAX_MAGNITUDE:
            raise UsageError(f"parameter {name} must be a finite number of magnitude <= {MAX_MAGNITUDE}")
    for name in ("v", "Delta", "m") if model.name != "dirac" else ("v",):
        try:
            val = point[name]
        except ModelError:
            continue
        if name in point.values and not val.is_positive:
            raise UsageError(f"parameter {name} must be > 0 (got {val})")
    try:
        res = hall_conductivity(model, point, diagrams,
                                terms=crossed_terms() if "crossed" in diagrams else None)
    except ZeroDivisionError as exc:
        raise UsageError(f"hall: singular point ({exc})") from None
    except ValueError as exc:
        raise UsageError(f"hall: {exc}") from None
    data = res.to_json(args.dps)
    print(f"sigma_xy ({model.name}, {diagrams}, leading order in disorder) at {point.as_dict()}, units e^2/h")
    print(f"  sigma_xy = {sympy.sstr(res.sigma_xy)}  = {data['sigma_xy'][0]}")
    for k, v in res.parts.items():
        print(f"  {k:18s} = {sympy.sstr(v)}  = {data['parts'][k][0]}")
    if args.json:
        data["command"] = "hall"
        data["versions"] = versions()
        write_json(args.json, data)
    return 0
