"""``streda torques``: torque coefficients from K, and the checks of Sec. II.A, III, App. B.

Without ``--from``: the symbolic derivations (torque coefficients solved from
T = κ s×m, the parity pattern from Eq. 10, the Dresselhaus mapping) compared
with the printed equations; a table ``formula | status | reason``.
With ``--from K.json``: a, b, c, d for the tensor given in the file (and
a_J … d_J when a conductivity ``sigma`` is included).
"""
from __future__ import annotations

import json

import sympy

from streda.verify.cli import UsageError

__all__ = ["register", "handler"]


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "torques", help="torque coefficients a,b,c,d from K; checks of Eqs. (7)-(14), (19)-(20), (B1)-(B3)",
        description=__doc__.split("\n\n")[0])
    p.add_argument("--from", dest="source", metavar="K.json",
                   help='tensor K as JSON: {"K": {"xx": ["re","im"], ...}, "mx": "...", "mz": "..."}'
                        ' (optional "my", "kappa", "sigma"); or Mx, Mz instead of mx, mz')
    p.add_argument("--symbolic", action="store_true",
                   help="also print the derived formulas (without --from) / keep exact numbers")
    p.add_argument("--json", metavar="FILE", help="write the result as JSON")
    p.set_defaults(func=handler)


def _fmt(v, exact: bool) -> str:
    v = sympy.sympify(v)
    if exact:
        return sympy.sstr(sympy.nsimplify(v) if v.is_Rational else v)
    n = complex(sympy.N(v, 20))
    return f"{n.real:.15g}" if abs(n.imag) <= 1e-15 * max(1.0, abs(n.real)) else f"{n.real:.15g}{n.imag:+.15g}j"


def _from_file(args) -> int:
    from streda.verify.torques import TorqueError, coefficients_from_json

    from streda.verify.limits import read_json

    data = read_json(args.source, args.source)    # size, depth and NaN/Infinity limits
    try:
        res = coefficients_from_json(data)
    except TorqueError as exc:
        raise UsageError(f"{args.source}: {exc}") from exc
    print(f"m = ({', '.join(res['m'])})")
    out = {"m": res["m"]}
    for kind, label in (("field", "field-driven (Eq. 7)"), ("current", "current-driven (Eq. 14)")):
        if kind not in res:
            continue
        print(label + ":")
        out[kind] = {}
        for k, v in res[kind].items():
            name = k if kind == "field" else f"{k}_J"
            text = _fmt(v, args.symbolic)
            print(f"  {name:4s} = {text}")
            re_im = complex(sympy.N(v, 20))
            out[kind][name] = {"value": [repr(re_im.real), repr(re_im.imag)],
                               "exact": sympy.sstr(v)}
    _write_json(args.json, out)
    return 0


def _write_json(path, obj) -> None:
    if not path:
        return
    from streda.verify.outputs import atomic_write_text

    try:
        atomic_write_text(path, json.dumps(obj, indent=2) + "\n")
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror}") from exc


def _records():
    from streda.verify.dresselhaus import check_mapping
    from streda.verify.torques import compare_with_printed

    return compare_with_printed() + check_mapping()


def handler(args) -> int:
    if args.source:
        return _from_file(args)
    from streda.verify.compare import summarize
    from streda.verify.dresselhaus import derive_dresselhaus_coefficients
    from streda.verify.torques import (derive_coefficients, derive_current_coefficients_explicit,
                                       parity_pattern)

    recs = _records()
    width = max(len(r.label) for r in recs)
    print(f"{'formula':{width}s}  {'status':14s}  reason")
    for r in recs:
        print(f"{r.label:{width}s}  {r.status:14s}  {r.reason.splitlines()[0][:160]}")
    counts = summarize(recs)
    print(f"\n{counts['agrees']} agree, {counts['differs']} differ, "
          f"{counts['not-comparable']} not comparable")
    derived = {
        "parity_pattern_K": sympy.sstr(parity_pattern()),
        "field_coefficients": {k: sympy.sstr(v) for k, v in derive_coefficients(False).items()},
        "current_coefficients": {k: sympy.sstr(v) for k, v in derive_coefficients(True).items()},
        "current_coefficients_explicit": {k: sympy.sstr(v) for k, v in
                                          derive_current_coefficients_explicit().items()},
        "dresselhaus_coefficients": {k: sympy.sstr(v) for k, v in
                                     derive_dresselhaus_coefficients().items()},
    }
    if args.symbolic:
        print("\nderived (T = kappa s x m solved against Eq. 7 in the frame of Eq. 8):")
        print(f"  K pattern from Eq. (10): {derived['parity_pattern_K']}")
        for k, v in derived["field_coefficients"].items():
            print(f"  {k}   = {v}")
        for k, v in derived["current_coefficients_explicit"].items():
            print(f"  {k}_J = {v}")
        print("  Dresselhaus (solved against Eq. 20 with K_D = -O K_R(O m)):")
        for k, v in derived["dresselhaus_coefficients"].items():
            print(f"  {k}_D = {v}")
    _write_json(args.json, {"summary": counts, "derived": derived,
                            "records": [r.to_json() for r in recs]})
    return 0
