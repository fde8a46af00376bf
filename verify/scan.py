"""Parameter scans: the grid, chunking, the cache, the run and the executors.

A scan evaluates one *quantity* (a K or σ tensor, torque coefficients, skyrmion
dynamics) at every point of a rectangular grid of exact parameter values.  Each
grid point's result is a dict ``{variable: [[re, im], ...]}`` of decimal
strings, flattened in C order over the variable's own dimensions (see
:class:`Variable`); these dicts are what the cache stores and what
:mod:`streda.verify.scan_data` turns into an xarray Dataset.

The grid is ``"name=start:stop:count,..."`` (``count`` equally spaced exact
values, both ends included) or ``"name=v1;v2;v3"``.  Every value is read by
:func:`streda.integrals.model._number`, the reader of ``--params``, which goes through the
safe whitelist parser :mod:`streda.integrals.expr` (numbers, arithmetic, a few named
functions and constants; no text is ever evaluated as code).

>>> axes = parse_grid("eps=1:2:3,Mz=2/5;1/2")
>>> [(a.name, [str(v) for v in a.values]) for a in axes]
[('eps', ['1', '3/2', '2']), ('Mz', ['2/5', '1/2'])]
>>> [p for p in grid_points(axes)][:2]
[{'eps': '1', 'Mz': '2/5'}, {'eps': '1', 'Mz': '1/2'}]
>>> parse_grid("eps=1:2")
Traceback (most recent call last):
...
streda.verify.scan.ScanError: grid axis 'eps=1:2': expected name=start:stop:count or name=v1;v2;...
>>> chunks(list(range(5)), 2)
[[0, 1], [2, 3], [4]]
"""
from __future__ import annotations

import itertools
import math
import sys
from dataclasses import dataclass
from typing import Callable, Protocol, Sequence

import sympy

from streda.integrals.model import ModelError, _number

from .scan_quantities import QUANTITIES, Quantity, Variable

__all__ = ["ScanError", "Axis", "Variable", "Quantity", "QUANTITIES", "MAX_POINTS", "MAX_AXES",
           "MAX_CHUNK", "MAX_DASK_WORKERS",
           "parse_grid", "grid_points", "chunks", "compute_chunk", "run_scan", "plan_scan", "execute", "Plan", "provenance",
           "Executor", "SerialExecutor", "ProcessExecutor", "DaskExecutor", "cache_keys",
           "result_problem"]

#: the largest number of grid points of one scan
MAX_POINTS = 100_000
#: the largest number of grid axes
MAX_AXES = 4
#: the most grid points of one task (``--chunk-size``)
MAX_CHUNK = 1000
#: the most processes of a Dask LocalCluster (``--dask-local``)
MAX_DASK_WORKERS = 64


class ScanError(ValueError):
    """Bad scan input (grid, quantity options): one-line message, exit status 2."""


# --------------------------------------------------------------------------- grid
@dataclass(frozen=True)
class Axis:
    """One grid axis: a parameter ``name`` and its exact values (sympy numbers)."""

    name: str
    values: tuple
    spec: str


def _value(name: str, text: str):
    """One grid value, exact, through :func:`~streda.integrals.model._number` (the safe parser)."""
    try:
        return _number(name, text)
    except ModelError:
        raise
    except (ArithmeticError, RecursionError, ValueError) as exc:  # one line, whatever the parser met
        raise ScanError(f"cannot read grid value {name}={text[:40]!r} ({type(exc).__name__})") from None


def _axis(item: str) -> Axis:
    if "=" not in item:
        raise ScanError(f"grid axis {item!r} is not of the form name=start:stop:count")
    name, spec = (s.strip() for s in item.split("=", 1))
    if not name:
        raise ScanError(f"grid axis {item!r} has no name")
    try:
        if ":" in spec:
            parts = [s.strip() for s in spec.split(":")]
            if len(parts) != 3:
                raise ScanError(f"grid axis {item!r}: expected name=start:stop:count or name=v1;v2;...")
            lo, hi = _value(name, parts[0]), _value(name, parts[1])
            if not parts[2].isdigit():
                raise ScanError(f"grid axis {item!r}: count {parts[2]!r} is not a positive integer")
            n = int(parts[2])
            if n < 1 or n > MAX_POINTS:
                raise ScanError(f"grid axis {item!r}: count must be between 1 and {MAX_POINTS}")
            if n == 1:
                if sympy.simplify(hi - lo) != 0:
                    raise ScanError(f"grid axis {item!r}: count 1 needs start = stop")
                vals = (lo,)
            else:
                vals = tuple(lo + (hi - lo) * sympy.Rational(i, n - 1) for i in range(n))
        else:
            vals = tuple(_value(name, s.strip()) for s in spec.split(";"))
    except ModelError as exc:
        raise ScanError(f"grid axis {item!r}: {exc}") from None
    if len(set(vals)) != len(vals):
        raise ScanError(f"grid axis {item!r}: repeated values")
    return Axis(name, vals, spec)


def parse_grid(text: str) -> list[Axis]:
    """Axes from ``"eps=0.5:3:50,Mz=0.1:0.9:40"`` (at most :data:`MAX_AXES` axes and
    :data:`MAX_POINTS` points)."""
    if not text or not text.strip():
        raise ScanError("--grid is empty: give name=start:stop:count,...")
    axes = [_axis(item.strip()) for item in text.split(",") if item.strip()]
    names = [a.name for a in axes]
    dup = sorted({n for n in names if names.count(n) > 1})
    if dup:
        raise ScanError(f"grid axis {dup[0]} given twice")
    if len(axes) > MAX_AXES:
        raise ScanError(f"at most {MAX_AXES} grid axes (got {len(axes)})")
    size = math.prod(len(a.values) for a in axes)
    if size > MAX_POINTS:
        raise ScanError(f"the grid has {size} points; the limit is {MAX_POINTS}")
    return axes


def grid_points(axes: Sequence[Axis]):
    """The grid points in C order (last axis fastest), as ``{name: exact string}``."""
    for combo in itertools.product(*(a.values for a in axes)):
        yield {a.name: str(v) for a, v in zip(axes, combo)}


def chunks(items: list, size: int) -> list[list]:
    """``items`` cut into consecutive pieces of at most ``size``."""
    return [items[i:i + size] for i in range(0, len(items), size)]


def compute_chunk(quantity: str, settings: dict, points: list) -> list:
    """Results of ``points`` (list of {name: exact string}) in order; runs on the workers."""
    q = QUANTITIES[quantity]
    out = []
    for p in points:
        try:
            out.append(q.compute(settings, p))
        except Exception as exc:  # one line naming the point, never a worker traceback
            where = ", ".join(f"{k}={v}" for k, v in p.items())
            msg = " ".join(str(exc).split())[:200]
            raise ScanError(f"{quantity} failed at grid point {where}: {type(exc).__name__}: {msg}") from None
    return out


def result_problem(result, layout: list) -> str | None:
    """Why ``result`` (e.g. read from the cache) does not have the shape of ``layout``, or None.
    (The ``validate`` signature of the hardened :meth:`Cache.get`.)"""
    if not isinstance(result, dict) or set(result) != {v.name for v in layout}:
        return "wrong variables"
    for v in layout:
        rows = result[v.name]
        if not isinstance(rows, list) or len(rows) != v.size:
            return f"{v.name}: expected {v.size} values"
        for pair in rows:
            if not (isinstance(pair, list) and len(pair) == 2 and all(isinstance(x, str) for x in pair)):
                return f"{v.name}: a value is not a [re, im] pair of strings"
            try:
                float(pair[0]), float(pair[1])
            except ValueError:
                return f"{v.name}: a value is not a number"
    return None


def cache_keys(quantity: str, settings: dict, points: list) -> list:
    """The cache key of each grid point, built as ``streda verify`` builds its keys
    (streda version and a hash of the code, so a code change recomputes)."""
    from .cmd_verify import code_hash
    from .runtime import versions

    ver, code = versions().get("streda"), code_hash()
    return [{"scan": quantity, "settings": settings, "point": p, "streda": ver, "code": code}
            for p in points]


# --------------------------------------------------------------------------- the scan
def provenance(quantity: str, settings: dict, grid_text: str) -> dict:
    """The file attributes: quantity, settings, grid, model, method, precision, versions."""
    from importlib.metadata import PackageNotFoundError, version

    from .runtime import versions

    vers = versions()
    for name in ("xarray", "h5netcdf", "dask", "distributed"):
        try:
            vers[name] = version(name)
        except PackageNotFoundError:
            vers[name] = "not installed"
    q = QUANTITIES[quantity]
    return {"title": f"streda scan {quantity}" + (f" {settings['kind']}" if quantity == "tensor" else ""),
            "quantity": quantity, "settings": settings, "grid": grid_text,
            "model": settings.get("model", ""), "params": settings.get("params", settings.get("set") or ""),
            "method": q.method, "precision": q.precision(settings), "versions": vers,
            "complex_storage": "a complex variable X is stored as X_real and X_imag (float64); "
                               "streda.verify.scan_data.load recombines them",
            "Conventions": "CF-1.8"}


@dataclass(frozen=True)
class Plan:
    """A validated scan: the quantity, its settings, the grid and its points (C order)."""

    quantity: str
    settings: dict
    grid: str
    axes: tuple
    points: tuple


def plan_scan(quantity: str, settings: dict, grid_text: str) -> Plan:
    """Parse the grid and validate every point (cheap; before any pool or cluster starts)."""
    q = QUANTITIES[quantity]
    axes = parse_grid(grid_text)
    allowed = q.axis_names(settings)
    for a in axes:
        if a.name not in allowed:
            raise ScanError(f"grid axis {a.name!r} is not a parameter of {quantity}; known: {', '.join(allowed)}")
    fixed = {item.split("=", 1)[0].strip() for item in (settings.get("params") or "").split(",") if "=" in item}
    both = sorted(fixed & {a.name for a in axes})
    if both:
        raise ScanError(f"{both[0]} is given both in --params and on the grid")
    points = tuple(grid_points(axes))
    for p in points:
        try:
            q.check_point(settings, p)
        except ValueError as exc:
            where = ", ".join(f"{k}={v}" for k, v in p.items())
            raise ScanError(f"grid point {where}: {' '.join(str(exc).split())}") from None
    return Plan(quantity, settings, grid_text, tuple(axes), points)


def run_scan(quantity: str, settings: dict, grid_text: str, **kw):
    """:func:`plan_scan` then :func:`execute`."""
    return execute(plan_scan(quantity, settings, grid_text), **kw)


def execute(plan: Plan, *, executor, cache, chunk_size: int = 8, warn=None, bar=None):
    """Compute (or read from ``cache``) every grid point; returns (Dataset, axes, stats).

    Results are placed by grid index, so the Dataset does not depend on completion order."""
    from .scan_data import build_dataset

    warn = warn or (lambda msg: print(f"streda scan: warning: {msg}", file=sys.stderr))
    quantity, settings, points, axes = plan.quantity, plan.settings, list(plan.points), plan.axes
    q = QUANTITIES[quantity]
    layout = q.layout(settings)
    results = [None] * len(points)
    keys = cache_keys(quantity, settings, points)
    stats = {"points": len(points), "cached": 0, "computed": 0, "cache_errors": 0}
    warned = set()

    def cache_warn(kind, msg):
        stats["cache_errors"] += 1
        if kind not in warned:
            warned.add(kind)
            warn(msg)

    def valid(value):
        return result_problem(value, layout)

    invalid0 = cache.stats.get("invalid", 0) + cache.stats.get("corrupt", 0)
    for i, k in enumerate(keys):
        try:
            hit = cache.get(k, validate=valid)     # a corrupt or ill-shaped entry is a miss
        except Exception as exc:  # a cache can never crash a run
            hit = None
            cache_warn("read", f"cache read failed ({type(exc).__name__}); recomputing")
        if hit is not None:
            results[i] = hit
            stats["cached"] += 1
    stats["cache_errors"] += cache.stats.get("invalid", 0) + cache.stats.get("corrupt", 0) - invalid0
    todo = [i for i, r in enumerate(results) if r is None]
    tasks = chunks(todo, chunk_size)

    def finished(j, values):
        for i, v in zip(tasks[j], values):
            results[i] = v
            stats["computed"] += 1
            try:
                cache.put(keys[i], v)
            except Exception as exc:
                cache_warn("write", f"cache write failed ({type(exc).__name__}); continuing without it")
            if bar is not None:
                bar.update(1)

    if bar is not None:
        bar.total = len(todo)
        bar.refresh()
    if tasks:
        executor.run(compute_chunk, [(quantity, settings, [points[i] for i in t]) for t in tasks], finished)
    attrs = provenance(quantity, settings, plan.grid)
    return build_dataset(axes, layout, results, attrs), axes, stats



# --------------------------------------------------------------------------- executors
class Executor(Protocol):
    """Runs ``func(*task)`` for every task and calls ``on_result(i, value)`` as each finishes
    (in any order).  On KeyboardInterrupt it cancels what has not run and re-raises."""

    def run(self, func: Callable, tasks: Sequence[tuple], on_result: Callable[[int, object], None]) -> None:
        ...

    def close(self) -> None:
        ...


class SerialExecutor:
    """Everything in this process, in order (``--jobs 1``)."""

    def run(self, func, tasks, on_result) -> None:
        for i, t in enumerate(tasks):
            on_result(i, func(*t))

    def close(self) -> None:
        pass


class ProcessExecutor:
    """A local :class:`concurrent.futures.ProcessPoolExecutor` of ``jobs`` processes.  Workers
    live for the whole scan, so each one's engine caches are warmed once.  Workers ignore
    SIGINT and end with the parent (:func:`streda.verify.runtime.worker_pool`); on Ctrl-C
    (or a failing task) the parent cancels what is queued and terminates
    the workers at once (:func:`streda.verify.runtime._stop_pool`), as ``parallel_map`` does."""

    def __init__(self, jobs: int):
        from .runtime import worker_pool

        self.pool = worker_pool(jobs)
        self._stopped = False

    def run(self, func, tasks, on_result) -> None:
        from concurrent.futures import as_completed

        from .runtime import _stop_pool

        futs = {self.pool.submit(func, *t): i for i, t in enumerate(tasks)}
        try:
            for f in as_completed(futs):
                on_result(futs[f], f.result())
        except BaseException:
            self._stopped = True
            _stop_pool(self.pool)
            raise

    def close(self) -> None:
        if not self._stopped:
            self.pool.shutdown(wait=True, cancel_futures=True)


class DaskExecutor:
    """Dask distributed: a scheduler at ``address`` (``tcp://HOST:PORT``) or a LocalCluster of
    ``local_workers`` processes (one thread each: FLINT's working precision is per process)."""

    def __init__(self, address: str | None = None, local_workers: int | None = None,
                 processes: bool = True):
        from distributed import Client, LocalCluster

        self.cluster = None
        if address is None:
            import logging

            try:
                self.cluster = LocalCluster(n_workers=local_workers or 1, threads_per_worker=1,
                                            processes=processes, dashboard_address=None,
                                            silence_logs=logging.ERROR)
            except Exception as exc:  # distributed raises RuntimeError, OSError, TimeoutError ...
                raise ScanError(f"cannot start a Dask LocalCluster: {str(exc).splitlines()[0][:120]}") from None
            self.client = Client(self.cluster)
        else:
            try:
                self.client = Client(address, timeout="5s")
            except Exception as exc:  # OSError, TimeoutError, ValueError (bad address) ...
                raise ScanError(f"cannot connect to the Dask scheduler {address}: "
                                f"{str(exc).splitlines()[0][:120]}") from None
            self._check_workers(address)

    def _check_workers(self, address: str) -> None:
        """Remote workers must run this streda code: results are cached under its hash."""
        from .cmd_verify import code_hash

        try:
            self.client.wait_for_workers(1, timeout=30)
            theirs = self.client.run(code_hash)
        except Exception as exc:
            self.close()
            raise ScanError(f"the workers of {address} cannot run streda: "
                            f"{type(exc).__name__}: {str(exc).splitlines()[0][:120]}") from None
        mine = code_hash()
        bad = sorted(w for w, h in theirs.items() if h != mine)
        if bad or not theirs:
            self.close()
            raise ScanError(f"the workers of {address} run other streda code than this process"
                            f" ({len(bad)} of {len(theirs)} differ)" if theirs else
                            f"the Dask scheduler {address} has no workers")

    def run(self, func, tasks, on_result) -> None:
        from distributed import as_completed

        futs = [self.client.submit(func, *t, pure=False) for t in tasks]
        index = {f.key: i for i, f in enumerate(futs)}
        try:
            for f in as_completed(futs):
                on_result(index[f.key], f.result())
        except BaseException:
            self.client.cancel(futs)
            raise

    def close(self) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()
