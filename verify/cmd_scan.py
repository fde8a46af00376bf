"""``streda scan``: one quantity over a grid of parameters, on a process pool or Dask, to NetCDF."""
from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from .runtime import check_jobs, check_positive, progress

__all__ = ["register", "run"]

_EPILOG = ("Grid: name=start:stop:count (count equally spaced exact values, both ends included) or "
           "name=v1;v2;..., axes separated by commas. Limits: at most {axes} axes and {points} points "
           "(exit 2 above). Every grid point is validated before work starts. Finished points are cached "
           "(as in `streda verify`); rerunning the same scan reads them back.")


def register(sub) -> None:
    from .scan import MAX_AXES, MAX_POINTS, QUANTITIES

    p = sub.add_parser("scan", help="a quantity over a parameter grid (process pool or Dask) -> NetCDF",
                       description="Evaluate QUANTITY at every point of a parameter grid and write a "
                                   "labelled xarray Dataset (coordinates, units, provenance) to NetCDF.",
                       epilog=_EPILOG.format(axes=MAX_AXES, points=MAX_POINTS))
    p.add_argument("quantity", choices=tuple(QUANTITIES), help="tensor K|sigma, torques (a,b,c,d of Eq. 7), "
                   "skyrmion (Hall ratio, nu, Q, D, F)")
    p.add_argument("kind", nargs="?", choices=("K", "sigma"), help="for `tensor`: K (Eq. 9) or sigma (Eq. 13)")
    p.add_argument("--grid", required=True, metavar='"eps=0.5:3:50,Mz=0.1:0.9:40"')
    p.add_argument("--out", required=True, metavar="F.nc", help="NetCDF output file (refused if it exists)")
    p.add_argument("--force", action="store_true", help="overwrite an existing --out file")
    g = p.add_argument_group("tensor / torques")
    g.add_argument("--params", default=None, help="fixed parameters (the grid axes override none of them)")
    g.add_argument("--model", choices=("rashba", "dresselhaus"), default="rashba")
    g.add_argument("--dressing", choices=("bare", "ladder"), default="bare")
    g.add_argument("--mx-order", type=int, default=None,
                   help="highest order in M_x (default: 4 for K and torques, 3 for sigma)")
    g.add_argument("--dps", type=int, default=20, help="digits resolved per value (default 20)")
    s = p.add_argument_group("skyrmion (see `streda skyrmion`); grid axes: helicity, alpha_g, --set names")
    s.add_argument("--profile", metavar="EXPR")
    s.add_argument("--set", dest="set_params", metavar="R=3,w=1")
    s.add_argument("--rho-max", metavar="X")
    s.add_argument("--helicity", default="0")
    s.add_argument("--current", default="1,0", metavar="Jx,Jy")
    s.add_argument("--coeffs", metavar='"a=..,b=..,c=..,d=.."')
    s.add_argument("--alpha-g", default=None, metavar="A")
    e = p.add_argument_group("execution")
    e.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                   help="local worker processes (default: all CPUs; 1 = in this process)")
    e.add_argument("--scheduler", metavar="tcp://HOST:PORT", help="run on this Dask distributed scheduler")
    e.add_argument("--dask-local", type=int, metavar="N", help="run on a Dask LocalCluster of N processes")
    e.add_argument("--chunk-size", type=int, default=8, help="grid points per task (default 8, at most 1000)")
    e.add_argument("--cache-dir", default=None, help="cache directory (default: as `streda verify`)")
    e.add_argument("--no-cache", action="store_true", help="neither read nor write the cache")
    e.add_argument("--plot", choices=("png", "svg"), help="also write OUT.<variable>.png|svg per variable")
    p.set_defaults(func=run)


def _check_out(path: str, force: bool) -> Path:
    from .cli import UsageError

    out = Path(path)
    if out.is_dir():
        raise UsageError(f"--out {path} is a directory; give a file name such as scan.nc")
    if not out.parent.is_dir():
        raise UsageError(f"--out {path}: directory {out.parent} does not exist")
    if out.exists() and not force:
        raise UsageError(f"--out {path} exists; use --force to overwrite")
    if not os.access(out.parent, os.W_OK):
        raise UsageError(f"--out {path}: directory {out.parent} is not writable")
    return out


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
    tensor_opts = {"--params": args.params, "--mx-order": args.mx_order,
                   "--dressing": None if args.dressing == "bare" else args.dressing}
    stray = [k for k, v in (tensor_opts if q == "skyrmion" else sky_opts).items() if v is not None]
    if stray:
        raise UsageError(f"{', '.join(stray)} do(es) not apply to scan {q}")
    if q == "skyrmion":
        if not args.profile or not args.coeffs or args.alpha_g is None and "alpha_g" not in args.grid:
            raise UsageError("scan skyrmion needs --profile, --coeffs and --alpha-g (or alpha_g on the grid)")
        if not 10 <= args.dps <= 100:
            raise UsageError(f"--dps must be between 10 and 100 for skyrmion (got {args.dps})")
        return {"profile": args.profile, "set": args.set_params, "rho_max": args.rho_max, "model": args.model,
                "helicity": args.helicity, "current": args.current, "coeffs": args.coeffs,
                "alpha_g": args.alpha_g or "0", "dps": args.dps}
    kind = args.kind if q == "tensor" else "K"
    order = args.mx_order if args.mx_order is not None else (3 if kind == "sigma" else 4)
    if not 0 <= order <= 12:
        raise UsageError(f"--mx-order must be between 0 and 12 (got {order})")
    if not 1 <= args.dps <= 1000:
        raise UsageError(f"--dps must be between 1 and 1000 (got {args.dps})")
    if args.model == "dresselhaus" and args.dressing != "bare":
        raise UsageError("--model dresselhaus is available for the bare tensors only")
    return {"kind": kind, "dressing": args.dressing, "mx_order": order, "dps": args.dps,
            "model": args.model, "params": args.params or ""}


def _open_cache(args, warn):
    from .cache import Cache, NullCache

    if args.no_cache:
        return NullCache()
    try:
        return Cache(args.cache_dir)
    except OSError as exc:
        warn(f"cache directory unusable ({exc.strerror}); running without the cache")
        return NullCache()


def _executor(args):
    from .scan import DaskExecutor, ProcessExecutor, SerialExecutor

    if args.scheduler:
        return DaskExecutor(address=args.scheduler)
    if args.dask_local:
        return DaskExecutor(local_workers=args.dask_local)
    jobs = check_jobs(args.jobs)
    return SerialExecutor() if jobs == 1 else ProcessExecutor(jobs)


def run(args) -> int:
    from .cli import UsageError
    from .scan import execute, plan_scan
    from .scan_data import plot_dataset, write_netcdf

    settings = _settings(args)
    out = _check_out(args.out, args.force)
    check_positive("--chunk-size", args.chunk_size)
    if args.chunk_size > 1000:
        raise UsageError(f"--chunk-size must be at most 1000 (got {args.chunk_size})")
    if args.scheduler and args.dask_local:
        raise UsageError("give --scheduler or --dask-local, not both")
    if args.dask_local is not None:
        check_positive("--dask-local", args.dask_local)
        args.dask_local = min(args.dask_local, 64)
    cache = _open_cache(args, lambda m: print(f"streda scan: warning: {m}", file=sys.stderr))
    t0 = time.perf_counter()
    executor = None
    try:
        plan = plan_scan(args.quantity, settings, args.grid)     # every point validated first
        if args.plot and len(plan.axes) > 2:
            raise UsageError("--plot draws 1- or 2-axis grids only")
        executor = _executor(args)
        with progress(total=None, desc=f"scan {args.quantity}") as bar:
            ds, axes, stats = execute(plan, executor=executor, cache=cache, chunk_size=args.chunk_size, bar=bar)
    except KeyboardInterrupt:
        print("streda scan: interrupted; the points computed so far are cached, rerun to resume",
              file=sys.stderr)
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
        raise UsageError(f"cannot write {out}: {' '.join(str(exc).split())[:160]} "
                         "(the computed points are cached; rerun to resume)") from None
    secs = time.perf_counter() - t0
    print(f"streda scan {args.quantity}: {stats['points']} points ({stats['computed']} computed, "
          f"{stats['cached']} from cache) in {secs:.1f} s -> {out}")
    if stats["cache_errors"]:
        print(f"  cache problems: {stats['cache_errors']} (values recomputed)")
    if args.plot:
        for f in plot_dataset(ds, axes, out.with_suffix(""), args.plot):
            print(f"  plot {f}")
    return 0
