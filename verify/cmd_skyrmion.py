"""``streda skyrmion``: Thiele-equation dynamics of an axisymmetric skyrmion (Sec. IV).

Q, D, F of Eq. (22) from the plane integrals and from the reduced radial forms,
the velocity ν from Eq. (21) and the Hall ratio ν_y/ν_x, with the differences
between the two routes; optionally a plot of ν_y/ν_x against the helicity and
the verdicts on the claims of Sec. IV.C.
"""
from __future__ import annotations

import json
import os

from streda.verify.cli import UsageError
from streda.verify.limits import MAX_SKYRMION_DPS, bounded

__all__ = ["register", "handler"]

_PLOT_EXT = (".png", ".pdf", ".svg", ".eps", ".ps", ".jpg", ".jpeg")


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "skyrmion", help="skyrmion velocity from the generalised Thiele equation (Eqs. 21-28)",
        description=__doc__.split("\n\n")[0])
    p.add_argument("--profile", required=True, metavar="EXPR",
                   help="theta(rho) as an expression in rho, e.g. '2*atan(sinh(R/w)/sinh(rho/w))'")
    p.add_argument("--set", dest="params", metavar="R=3,w=1", help="parameter values in the profile/coeffs")
    p.add_argument("--rho-max", metavar="X", help="the texture is uniform beyond rho = X (compact profiles)")
    p.add_argument("--model", default="rashba", choices=("rashba", "dresselhaus"))
    p.add_argument("--helicity", default="0", metavar="DELTA", help="helicity delta (e.g. pi/2)")
    p.add_argument("--current", default="1,0", metavar="Jx,Jy", help="current direction and size")
    p.add_argument("--coeffs", required=True, metavar='"a=..,b=..,c=..,d=.."',
                   help="a_J..d_J as expressions in mz = cos(theta) (they contain kappa)")
    p.add_argument("--alpha-g", required=True, metavar="A", help="Gilbert damping alpha_G")
    p.add_argument("--dps", type=bounded(10, MAX_SKYRMION_DPS), default=20,
                   help=f"digits of the reduced (mpmath) route (default 20, min 10, max {MAX_SKYRMION_DPS})")
    p.add_argument("--json", metavar="FILE", help="write the result as JSON")
    p.add_argument("--plot", metavar="FILE", help="plot nu_y/nu_x against the helicity (both models)")
    p.add_argument("--claims", action="store_true",
                   help="also judge the statements of Sec. IV.C and the reduced forms (23)-(28)")
    p.set_defaults(func=handler)


def _fmt(v) -> str:
    if v is None:
        return "undefined (nu_x = 0)"
    if isinstance(v, list):
        return "[" + ", ".join(_fmt(x) for x in v) + "]"
    return f"{v:.12g}"


def handler(args) -> int:
    from streda.verify import skyrmion as S

    if args.dps < 10 or args.dps > 100:
        raise UsageError(f"--dps must be between 10 and 100 (got {args.dps})")
    if args.plot and os.path.splitext(args.plot)[1].lower() not in _PLOT_EXT:
        raise UsageError(f"--plot {args.plot}: unknown image type; use one of {', '.join(_PLOT_EXT)}")
    try:
        params = S.parse_assignments(args.params)
        prof = S.parse_profile(args.profile, params, rho_max=args.rho_max)
        coeffs = S.parse_coefficients(args.coeffs, params)
        delta = S.parse_number(args.helicity, "helicity")
        J = S.parse_current(args.current)
        alpha_g = S.parse_number(args.alpha_g, "alpha-g")
        if not alpha_g >= 0:
            raise S.SkyrmionError(f"--alpha-g must be >= 0 (got {args.alpha_g})")
        out = S.analyse(prof, args.model, delta, J, coeffs, alpha_g, dps=args.dps)
        claims = []
        if args.claims:
            from streda.verify.compare import summarize

            claims = S.compare_reduced_forms() + S.judge_claims(prof, coeffs, alpha_g, dps=args.dps)
            out["claims"] = [c.to_json() for c in claims]
            out["claims_summary"] = summarize(claims)
        if args.plot:
            S.plot_hall_ratio(prof, coeffs, alpha_g, J, args.plot)
    except S.SkyrmionError as exc:
        raise UsageError(str(exc)) from exc
    except (ArithmeticError, ValueError, TypeError) as exc:   # e.g. numpy overflow at huge --set values
        raise UsageError(f"skyrmion: computation failed: {str(exc).splitlines()[0][:160]}") from exc
    except OSError as exc:
        raise UsageError(f"cannot write {args.plot}: {exc.strerror}") from exc

    print(f"profile theta(rho) = {out['input']['profile']}, model {args.model}, helicity {delta},"
          f" J = ({J[0]}, {J[1]}), alpha_G = {alpha_g}")
    print(f"{'quantity':12s} {'2D integrals (Eq. 22)':42s} {'reduced (Eq. 23, 26/28)':42s} difference")
    for key in ("Q", "D", "F", "nu", "hall_ratio"):
        row = out[key]
        print(f"{key:12s} {_fmt(row['2d']):42s} {_fmt(row['reduced']):42s} {_fmt(row['difference'])}")
    print(f"boundary term [a_J rho sin(theta)] in F: {_fmt(out['boundary_term'])};"
          f" 2D quadrature error estimate {out['quadrature_error_2d']:.2g}")
    eq24 = out["hall_ratio"]["eq24_printed"]
    print(f"Eq. (24) as printed (assumes Q = 1): nu_y/nu_x = {_fmt(eq24)}")
    for note in out["notes"]:
        print(f"note: {note}")
    if claims:
        width = max(len(c.label) for c in claims)
        print(f"\n{'claim':{width}s}  {'status':14s}  reason")
        for c in claims:
            print(f"{c.label:{width}s}  {c.status:14s}  {c.reason.splitlines()[0][:170]}")
    if args.plot:
        print(f"plot written to {args.plot}")
    routes = out["routes"]
    if args.json:
        from streda.verify.outputs import atomic_write_text

        try:
            atomic_write_text(args.json, json.dumps(out, indent=2) + "\n")
        except OSError as exc:
            raise UsageError(f"cannot write {args.json}: {exc.strerror}") from exc
    if not routes["agree"]:
        import sys

        print(f"streda: skyrmion: the 2D-integral and reduced routes disagree beyond their error "
              f"estimate ({routes['detail']}; 2D quadrature error estimate "
              f"{routes['error_estimate_2d']:.2g}): the numbers above are not reliable; check that "
              f"the coefficients stay finite for every m_z in [-1, 1] (e.g. a=1/mz diverges at "
              f"m_z = 0)", file=sys.stderr)
        return 1
    return 0
