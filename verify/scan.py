"""Parameter scans: the grid, the quantities, chunking, the cache and the executors.

A scan evaluates one *quantity* (a K or σ tensor, torque coefficients, skyrmion
dynamics) at every point of a rectangular grid of exact parameter values.  Each
grid point's result is a dict ``{variable: [[re, im], ...]}`` of decimal
strings, flattened in C order over the variable's own dimensions (see
:class:`Variable`); these dicts are what the cache stores and what
:mod:`streda.verify.scan_data` turns into an xarray Dataset.

The grid is ``"name=start:stop:count,..."`` (``count`` equally spaced exact
values, both ends included) or ``"name=v1;v2;v3"``; values are read by
:func:`streda.integrals.model._number` (never evaluated as code).

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
import re
from dataclasses import dataclass
from typing import Callable, Protocol, Sequence

import sympy

from streda.integrals.model import ModelError, _number

__all__ = ["ScanError", "Axis", "Variable", "Quantity", "QUANTITIES", "MAX_POINTS", "MAX_AXES",
           "parse_grid", "grid_points", "chunks", "compute_chunk", "tensor_values",
           "Executor", "SerialExecutor", "ProcessExecutor", "DaskExecutor", "cache_keys",
           "result_problem"]

#: the largest number of grid points of one scan
MAX_POINTS = 100_000
#: the largest number of grid axes
MAX_AXES = 4


class ScanError(ValueError):
    """Bad scan input (grid, quantity options): one-line message, exit status 2."""


# --------------------------------------------------------------------------- grid
@dataclass(frozen=True)
class Axis:
    """One grid axis: a parameter ``name`` and its exact values (sympy numbers)."""

    name: str
    values: tuple
    spec: str


_SAFE_WORDS = re.compile(r"pi|sqrt|E")
_SAFE_REST = re.compile(r"[0-9.+\-*/() eE]*")


def _value(name: str, text: str):
    """One grid value through :func:`~streda.integrals.model._number`, after a character
    whitelist (digits, ``. + - * / ( )``, exponents, ``pi``, ``sqrt``): nothing else reaches it."""
    if not _SAFE_REST.fullmatch(_SAFE_WORDS.sub("", text)):
        raise ScanError(f"grid value {name}={text!r}: only numbers, + - * / ( ), pi and sqrt are allowed")
    try:
        return _number(name, text)
    except ModelError:
        raise
    except Exception as exc:  # whatever the number parser raises, one line
        raise ScanError(f"cannot read grid value {name}={text!r} ({type(exc).__name__})") from None


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


# --------------------------------------------------------------------------- quantities
@dataclass(frozen=True)
class Variable:
    """An output variable: ``dims`` = ((dimension, labels), ...) beyond the grid axes."""

    name: str
    dims: tuple
    units: str
    long_name: str
    #: complex values are stored as real and imaginary parts
    complex: bool = True

    @property
    def size(self) -> int:
        return math.prod(len(labels) for _, labels in self.dims)


@dataclass(frozen=True)
class Quantity:
    """A scannable quantity: its output layout, the grid names it accepts, a cheap
    validation of one point (run on every point before work starts) and the
    computation of one point (run on the workers)."""

    name: str
    method: str
    layout: Callable[[dict], list]
    axis_names: Callable[[dict], Sequence[str]]
    check_point: Callable[[dict, dict], None]
    compute: Callable[[dict, dict], dict]


ROWS = {"K": "xyz", "sigma": "xy"}
_TENSOR_UNITS = {"K": "hbar = 1; coefficient of M_x^k; includes e/(8 pi) sqrt(m_e)",
                 "sigma": "hbar = 1; coefficient of M_x^k; includes e^2/(4 pi)"}


def _rashba_point(settings: dict, point: dict):
    from streda.integrals.model import RashbaModel

    return RashbaModel.from_string(settings["params"], **{k: _number(k, v) for k, v in point.items()})


def tensor_values(kind: str, dressing: str, mx_order: int, point, dps: int, model: str) -> dict:
    """The ONE adapter to the tensor engine: {k: {"xy": acb, ...}} at ``point`` to ``dps`` digits.

    (Retarget here when ``streda.integrals.api.tensor`` lands.)"""
    from .cmd_tensor import numeric_tensor

    return numeric_tensor(kind, dressing, mx_order, point, dps, model)


def _tensor_layout(s: dict) -> list:
    kind = s["kind"]
    return [Variable(kind, (("mx_order", list(range(s["mx_order"] + 1))), ("row", list(ROWS[kind])),
                            ("column", ["x", "y"])), _TENSOR_UNITS[kind],
                     f"{kind} ({s['dressing']}, {s['model']}), coefficient of M_x^k, exact in gamma")]


def _tensor_compute(s: dict, point: dict) -> dict:
    from streda.integrals.evaluate import ball_to_strings

    vals = tensor_values(s["kind"], s["dressing"], s["mx_order"], _rashba_point(s, point), s["dps"],
                         s["model"])
    flat = [ball_to_strings(vals[k][r + c], s["dps"], zero_if_contains=True)
            for k in range(s["mx_order"] + 1) for r in ROWS[s["kind"]] for c in "xy"]
    return {s["kind"]: flat}


def _rashba_names(s: dict):
    from streda.integrals.model import PARAMETER_NAMES

    return tuple(PARAMETER_NAMES)


def _rashba_check(s: dict, point: dict) -> None:
    _rashba_point(s, point)


def _torque_layout(s: dict) -> list:
    return [Variable("torque", (("coefficient", ["a", "b", "c", "d"]),),
                     "units of K (kappa = 1)",
                     f"field-driven torque coefficients a, b, c, d of Eq. (7) (Eq. 20 for Dresselhaus) from K = "
                     f"sum_k K^(k) M_x^k, k <= {s['mx_order']} ({s['dressing']}, {s['model']})")]


def _torque_m(pt):
    norm = sympy.sqrt(pt.Mx ** 2 + pt.Mz ** 2)
    return (pt.Mx / norm, sympy.Integer(0), pt.Mz / norm)


def _torque_check(s: dict, point: dict) -> None:
    pt = _rashba_point(s, point)
    if pt.Mx == 0 or pt.Mz == 0:
        raise ModelError(f"torques need M_x != 0 and M_z != 0 (the basis of Eq. 7 is degenerate "
                         f"for m along z or in the plane); got Mx={pt.Mx}, Mz={pt.Mz}")


def _torque_compute(s: dict, point: dict) -> dict:
    """a, b, c, d (Eq. 7) solved from κ(KE)×m for K summed to M_x^N at the point's M_x."""
    from streda.integrals.evaluate import ball_to_strings

    from .torques import solve_coefficients

    pt = _rashba_point(s, point)
    vals = tensor_values("K", s["dressing"], s["mx_order"], pt, s["dps"] + 5, s["model"])
    prec = s["dps"] + 10
    K = sympy.zeros(3, 2)
    for k, ent in vals.items():
        for i, r in enumerate("xyz"):
            for j, c in enumerate("xy"):
                re, im = ball_to_strings(ent[r + c], s["dps"] + 5, zero_if_contains=True)
                K[i, j] += (sympy.Float(re, prec) + sympy.I * sympy.Float(im, prec)) * pt.Mx ** k
    if s["model"] == "dresselhaus":      # the torque form of Eq. (20) instead of Eq. (7)
        from .dresselhaus import dresselhaus_basis as basis
    else:
        from .torques import rashba_basis as basis
    coeffs = solve_coefficients(K, _torque_m(pt), basis=basis)
    out = []
    for n in "abcd":
        w = sympy.N(coeffs[n], prec)
        out.append([str(sympy.Float(sympy.re(w), s["dps"])), str(sympy.Float(sympy.im(w), s["dps"]))])
    return {"torque": out}


def _sky_layout(s: dict) -> list:
    comp = ("component", ["x", "y"])
    return [Variable("hall_ratio", (), "1", "skyrmion Hall ratio nu_y/nu_x (reduced route, Eq. 21)", False),
            Variable("nu", (comp,), "units of J", "skyrmion velocity nu (Eq. 21, reduced route)", False),
            Variable("Q", (), "1", "topological charge Q (Eq. 22a)", False),
            Variable("D", (("row", ["x", "y"]), ("column", ["x", "y"])), "1", "dissipation tensor D (Eq. 22b)", False),
            Variable("F", (comp,), "units of J", "force F (Eq. 26/28, integrated by parts)", False)]


_SKY_AXES = ("helicity", "alpha_g")


def _sky_names(s: dict):
    from .skyrmion import parse_assignments

    return _SKY_AXES + tuple(parse_assignments(s["set"]))


def _sky_inputs(s: dict, point: dict):
    from . import skyrmion as S

    params = S.parse_assignments(s["set"])
    params.update({k: _number(k, v) for k, v in point.items() if k not in _SKY_AXES})
    prof = S.parse_profile(s["profile"], params, rho_max=s["rho_max"])
    coeffs = S.parse_coefficients(s["coeffs"], params)
    delta = _number("helicity", point["helicity"]) if "helicity" in point else S.parse_number(s["helicity"], "helicity")
    alpha_g = _number("alpha_g", point["alpha_g"]) if "alpha_g" in point else S.parse_number(s["alpha_g"], "alpha-g")
    if not alpha_g >= 0:
        raise S.SkyrmionError(f"alpha_g must be >= 0 (got {alpha_g})")
    return prof, coeffs, delta, S.parse_current(s["current"]), alpha_g


def _sky_check(s: dict, point: dict) -> None:
    _sky_inputs(s, point)


def _sky_compute(s: dict, point: dict) -> dict:
    from . import skyrmion as S

    prof, coeffs, delta, J, alpha_g = _sky_inputs(s, point)
    r = S.route_reduced(prof, s["model"], delta, J, coeffs, alpha_g, dps=s["dps"])
    f = lambda x: [repr(float("nan") if x is None else float(x)), "0"]  # noqa: E731
    return {"hall_ratio": [f(r.hall_ratio)], "nu": [f(v) for v in r.nu], "Q": [f(r.Q)],
            "D": [f(v) for row in r.D for v in row], "F": [f(v) for v in r.F]}


#: the quantity table; a new quantity (e.g. ``hall``) is one entry here and its options in cmd_scan
QUANTITIES = {
    "tensor": Quantity("tensor", "numeric_tensor: exact residues in ball arithmetic, exact in gamma",
                       _tensor_layout, _rashba_names, _rashba_check, _tensor_compute),
    "torques": Quantity("torques", "K from numeric_tensor (ball arithmetic, exact in gamma) summed to "
                        "M_x^N; a,b,c,d solved from T = kappa s x m against Eq. (7)",
                        _torque_layout, _rashba_names, _torque_check, _torque_compute),
    "skyrmion": Quantity("skyrmion", "reduced radial integrals (Eqs. 23, 26/28) at mpmath precision; "
                         "Thiele equation (21) in float64",
                         _sky_layout, _sky_names, _sky_check, _sky_compute),
}


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


def _ignore_sigint() -> None:
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)   # the parent handles Ctrl-C and cancels


class ProcessExecutor:
    """A local :class:`concurrent.futures.ProcessPoolExecutor` of ``jobs`` processes.  Workers
    live for the whole scan, so each one's engine caches are warmed once."""

    def __init__(self, jobs: int):
        from concurrent.futures import ProcessPoolExecutor

        self.pool = ProcessPoolExecutor(max_workers=jobs, initializer=_ignore_sigint)

    def run(self, func, tasks, on_result) -> None:
        from concurrent.futures import as_completed

        futs = {self.pool.submit(func, *t): i for i, t in enumerate(tasks)}
        try:
            for f in as_completed(futs):
                on_result(futs[f], f.result())
        except BaseException:
            for f in futs:
                f.cancel()
            raise

    def close(self) -> None:
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
