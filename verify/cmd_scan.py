"""``streda scan``: one quantity over a grid of parameters, on a process pool or Dask, to NetCDF."""
from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from .limits import MAX_SKYRMION_DPS
from .runtime import check_jobs, progress

__all__ = ["register", "run"]

_EPILOG = ("Grid: name=start:stop:count (count equally spaced exact values, both ends included) or "
           "name=v1;v2;..., axes separated by commas. Limits: at most {axes} axes and {points} points "
           "(exit 2 above). Every grid point is validated before work starts. Finished points are cached "
           "(as in `streda verify`); rerunning the same scan reads them back.")


def register(sub) -> None:
    from streda.integrals.models import BUILTIN

    from .limits import MAX_DPS, MAX_JOBS, MAX_MX_ORDER, bounded
    from .scan import MAX_AXES, MAX_CHUNK, MAX_DASK_WORKERS, MAX_POINTS, QUANTITIES

    p = sub.add_parser("scan", help="a quantity over a parameter grid (process pool or Dask) -> NetCDF",
                       description="Evaluate QUANTITY at every point of a parameter grid and write a "
                                   "labelled xarray Dataset (coordinates, units, provenance) to NetCDF.",
                       epilog=_EPILOG.format(axes=MAX_AXES, points=MAX_POINTS))
    p.add_argument("quantity", choices=tuple(QUANTITIES), help="tensor K|sigma, torques (a,b,c,d of Eq. 7), "
                   "skyrmion (Hall ratio, nu, Q, D, F), hall (sigma_xy and its parts, as `streda hall`)")
    p.add_argument("kind", nargs="?", choices=("K", "sigma"), help="for `tensor`: K (Eq. 9) or sigma (Eq. 13)")
    p.add_argument("--grid", required=True, metavar='"eps=0.5:3:50,Mz=0.1:0.9:40"')
    p.add_argument("--out", required=True, metavar="F.nc",
                   help="NetCDF output file (refused if it exists, unless --force)")
    p.add_argument("--model", choices=tuple(BUILTIN), default=None,
                   help=f"tensor: any model streda.integrals.api.tensor evaluates; torques/skyrmion: "
                        f"{' or '.join(_TORQUE_MODELS)} (default rashba); hall: any isotropic model (default dirac)")
    p.add_argument("--params", default=None, help="fixed parameters (the grid axes override none of them)")
    p.add_argument("--dps", type=bounded(1, MAX_DPS), default=20,
                   help=f"digits resolved per value (default 20, at most {MAX_DPS}; skyrmion: 10..100)")
    g = p.add_argument_group("tensor / torques")
    g.add_argument("--dressing", choices=("bare", "ladder"), default="bare")
    g.add_argument("--mx-order", type=bounded(0, MAX_MX_ORDER), default=None,
                   help=f"highest order in M_x (default: 4 for K and torques, 3 for sigma; at most {MAX_MX_ORDER})")
    h = p.add_argument_group("hall (see `streda hall`)")
    h.add_argument("--diagrams", default="ladder", help="diagram families, as `streda hall --diagrams`")
    s = p.add_argument_group("skyrmion (see `streda skyrmion`); grid axes: helicity, alpha_g, --set names")
    s.add_argument("--profile", metavar="EXPR")
    s.add_argument("--set", dest="set_params", metavar="R=3,w=1")
    s.add_argument("--rho-max", metavar="X")
    s.add_argument("--helicity", default="0")
    s.add_argument("--current", default="1,0", metavar="Jx,Jy")
    s.add_argument("--coeffs", metavar='"a=..,b=..,c=..,d=.."')
    s.add_argument("--alpha-g", default=None, metavar="A")
    e = p.add_argument_group("execution")
    e.add_argument("--jobs", type=bounded(1, MAX_JOBS), default=os.cpu_count() or 1,
                   help="local worker processes (default: all CPUs; 1 = in this process)")
    e.add_argument("--scheduler", metavar="tcp://HOST:PORT", help="run on this Dask distributed scheduler")
    e.add_argument("--dask-local", type=bounded(1, MAX_DASK_WORKERS), metavar="N",
                   help=f"run on a Dask LocalCluster of N processes (at most {MAX_DASK_WORKERS})")
    e.add_argument("--chunk-size", type=bounded(1, MAX_CHUNK), default=8,
                   help=f"grid points per task (default 8, at most {MAX_CHUNK})")
    e.add_argument("--cache-dir", default=None, help="cache directory (default: as `streda verify`)")
    e.add_argument("--no-cache", action="store_true", help="neither read nor write the cache")
    # dest plot_format: the shared output check (outputs.FILE_OPTIONS) reads a `plot` dest as a file name
    e.add_argument("--plot", dest="plot_format", choices=("png", "svg"),
                   help="also write OUT.<variable>.png|svg per variable (checked like --out)")
    p.set_defaults(func=run)


#: the models whose torque form (Eq. 7, Eq. 20) and skyrmion route exist; `tensor` takes any
#: model and streda.integrals.api.tensor refuses, in one line, one it cannot evaluate
_TORQUE_MODELS = ("rashba", "dresselhaus")


def _settings(args) -> dict:
    from .cli import UsageError

    q = args.quantity
    if q == "tensor" and args.kind is None:
        raise UsageError("scan tensor needs the kind: `streda scan tensor K ...` or `... tensor sigma ...`")
    if q != "tensor" and args.kind is not None:
        raise UsageError(f"scan {q} takes no kind (got {args.kind})")
    sky_opts = {"--profile": args.profile, "--set": args.set_params, "--rho-max": args.rho_max,
                "--coeffs": args.coeffs, "--alpha-g": args.alpha_g,
                "--helicity": None if args.helicity == "0" else args.helicity,
                "--current": None if args.current == "1,0" else args.current}
    tensor_opts = {"--mx-order": args.mx_order, "--dressing": None if args.dressing == "bare" else args.dressing}
    hall_opts = {"--diagrams": None if args.diagrams == "ladder" else args.diagrams}
    foreign = {"skyrmion": {**tensor_opts, **hall_opts, "--params": args.params},
               "hall": {**tensor_opts, **sky_opts}}.get(q, {**sky_opts, **hall_opts})
    stray = [k for k, v in foreign.items() if v is not None]
    if stray:
        raise UsageError(f"{', '.join(stray)} do(es) not apply to scan {q}")
    if q == "hall":
        from .cmd_hall import parse_diagrams

        return {"model": args.model or "dirac", "params": args.params or "",
                "diagrams": parse_diagrams(args.diagrams), "dps": args.dps}
    model = args.model or "rashba"
    if q != "tensor" and model not in _TORQUE_MODELS:
        raise UsageError(f"scan {q} --model {model}: the torque basis is written for "
                         f"{' and '.join(_TORQUE_MODELS)} only")
    if q == "skyrmion":
        if not args.profile or not args.coeffs or args.alpha_g is None and "alpha_g" not in args.grid:
            raise UsageError("scan skyrmion needs --profile, --coeffs and --alpha-g (or alpha_g on the grid)")
        if not 10 <= args.dps <= MAX_SKYRMION_DPS:
            raise UsageError(f"--dps must be between 10 and {MAX_SKYRMION_DPS} for skyrmion (got {args.dps})")
        return {"profile": args.profile, "set": args.set_params, "rho_max": args.rho_max, "model": model,
                "helicity": args.helicity, "current": args.current, "coeffs": args.coeffs,
                "alpha_g": args.alpha_g or "0", "dps": args.dps}
    kind = args.kind if q == "tensor" else "K"
    order = args.mx_order if args.mx_order is not None else (3 if kind == "sigma" else 4)
    if args.dps < 5:
        raise UsageError(f"--dps must be at least 5 for scan {q} (got {args.dps})")
    if model == "dresselhaus" and args.dressing != "bare":
        raise UsageError("--model dresselhaus is available for the bare tensors only")
    return {"kind": kind, "dressing": args.dressing, "mx_order": order, "dps": args.dps,
            "model": model, "params": args.params or ""}


def _open_cache(args):
    """The cache as ``streda verify`` opens it: an unsafe directory is refused (CacheDirError, exit 2)."""
    from .cache import Cache, NullCache

    return NullCache() if args.no_cache else Cache(args.cache_dir)


def _executor(args):
    from .scan import DaskExecutor, ProcessExecutor, SerialExecutor

    if args.scheduler:
        return DaskExecutor(address=args.scheduler)
    if args.dask_local:
        return DaskExecutor(local_workers=args.dask_local)
    jobs = check_jobs(args.jobs)        # capped at the number of CPUs
    return SerialExecutor() if jobs == 1 else ProcessExecutor(jobs)


def _plot_files(out: Path, layout, fmt: str) -> list[Path]:
    """The files ``--plot`` writes (one per stored variable), named as :func:`plot_dataset` names them."""
    base = out.with_suffix("")
    return [base.with_name(f"{base.name}.{v.name}.{fmt}") for v in layout]


def run(args) -> int:
    from .cli import UsageError
    from .outputs import check_output_file
    from .scan import QUANTITIES, execute, plan_scan
    from .scan_data import plot_dataset, write_netcdf

    settings = _settings(args)
    check_output_file(args.out, "--out", args.force)     # before any work; --force comes from cli
    out = Path(args.out)
    if args.plot_format:
        for f in _plot_files(out, QUANTITIES[args.quantity].layout(settings), args.plot_format):
            check_output_file(f, "--plot", args.force)
    if args.scheduler and args.dask_local:
        raise UsageError("give --scheduler or --dask-local, not both")
    cache = _open_cache(args)
    t0 = time.perf_counter()
    executor = None
    try:
        plan = plan_scan(args.quantity, settings, args.grid)     # every point validated first
        if args.plot_format and len(plan.axes) > 2:
            raise UsageError("--plot draws 1- or 2-axis grids only")
        executor = _executor(args)
        with progress(total=None, desc=f"scan {args.quantity}") as bar:
            ds, axes, stats = execute(plan, executor=executor, cache=cache, chunk_size=args.chunk_size, bar=bar)
    except KeyboardInterrupt:
        print("streda scan: interrupted; " + ("nothing was cached (--no-cache)" if args.no_cache else
              "the points computed so far are cached, rerun to resume"), file=sys.stderr)
        return 130
    finally:
        if executor is not None:
            try:
                executor.close()
            except Exception:  # closing after Ctrl-C must not add a traceback
                pass
    try:
        write_netcdf(ds, out)
    except (OSError, ImportError) as exc:
        raise UsageError(f"cannot write {out}: {' '.join(str(exc).split())[:160]}"
                         + ("" if args.no_cache else " (the computed points are cached; rerun to resume)")) from None
    secs = time.perf_counter() - t0
    print(f"streda scan {args.quantity}: {stats['points']} points ({stats['computed']} computed, "
          f"{stats['cached']} from cache) in {secs:.1f} s -> {out}")
    if stats["cache_errors"]:
        print(f"  cache problems: {stats['cache_errors']} (values recomputed)")
    if args.plot_format:
        for f in plot_dataset(ds, axes, out.with_suffix(""), args.plot_format):
            print(f"  plot {f}")
    return 0
