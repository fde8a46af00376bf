"""Stated limits of every size the command line accepts, as small ``argparse`` types.

Each option is one line: ``p.add_argument("--rungs", type=bounded(0, MAX_RUNGS), ...)``;
a value outside the range ends in argparse's one-line error with exit status 2,
and the help text states the maximum.  JSON input is read by :func:`read_json`,
which bounds the file size and the nesting depth and refuses NaN/Infinity.

>>> bounded(0, 8)("3")
3
>>> bounded(0, 8)("1000000000")
Traceback (most recent call last):
...
argparse.ArgumentTypeError: 1000000000 is above the maximum 8
>>> bounded(1, 8)("x")
Traceback (most recent call last):
...
argparse.ArgumentTypeError: 'x' is not an integer
"""
from __future__ import annotations

import argparse
import json
import os

__all__ = ["bounded", "read_json", "JsonInputError", "MAX_ORDER", "MAX_DPS", "MAX_MX_ORDER",
           "MAX_GAMMA_ORDER", "MAX_DIAGRAM_ORDER", "MAX_RUNGS", "MAX_JOBS", "MAX_JSON_BYTES",
           "MAX_JSON_DEPTH", "MAX_RECHECK", "MAX_SYMBOLIC_ORDERS", "check_symbolic_tensor", "LimitError", "MAX_QUAD_ORDER", "MAX_SKYRMION_DPS"]

#: highest order n of P^(n) (pn --max-order, verify --max-order); order 16 takes ~17 s
MAX_ORDER = 20
#: highest order of pn --method quad (one quadrature per diagram)
MAX_QUAD_ORDER = 8
#: most decimal digits of a numeric evaluation (pn/tensor --dps)
MAX_DPS = 500
#: skyrmion --dps range (reduced mpmath route)
MAX_SKYRMION_DPS = 100
#: highest order in M_x of tensor --mx-order
MAX_MX_ORDER = 12
#: highest gamma power of tensor --gamma-order (symbolic expansion)
MAX_GAMMA_ORDER = 6
#: highest diagrams --order (number of sigma_x insertions)
MAX_DIAGRAM_ORDER = 10
#: most impurity rungs of diagrams ladder --rungs
MAX_RUNGS = 8
#: most worker processes (--jobs; also capped at the number of CPUs)
MAX_JOBS = 256
#: symbolic tensors (no --params): --mx-order + --gamma-order at most this (K at M_x^6 takes ~30 s)
MAX_SYMBOLIC_ORDERS = 6
#: most cached checks that verify --recheck recomputes
MAX_RECHECK = 100
#: largest JSON input file (bytes) and deepest nesting of arrays/objects
MAX_JSON_BYTES = 1_000_000
MAX_JSON_DEPTH = 16


class LimitError(ValueError):
    """A size above its stated maximum (one line, exit status 2)."""


def check_symbolic_tensor(mx_order: int, gamma_order: int) -> None:
    """The symbolic γ expansion grows fast with both orders: refuse beyond
    :data:`MAX_SYMBOLIC_ORDERS` (one line, exit 2) instead of running for many minutes.

    >>> check_symbolic_tensor(4, 2)
    >>> check_symbolic_tensor(12, 0)
    Traceback (most recent call last):
    ...
    streda.verify.limits.LimitError: symbolic mode: --mx-order + --gamma-order = 12 is above the maximum 6 (give --params for numeric values, up to --mx-order 12)
    """
    if mx_order + gamma_order > MAX_SYMBOLIC_ORDERS:
        raise LimitError(
            f"symbolic mode: --mx-order + --gamma-order = {mx_order + gamma_order} is above the maximum "
            f"{MAX_SYMBOLIC_ORDERS} (give --params for numeric values, up to --mx-order {MAX_MX_ORDER})")


def bounded(lo: int, hi: int):
    """An argparse ``type=``: an integer in [lo, hi] (the error names the bound)."""

    def parse(text: str) -> int:
        s = str(text).strip()
        if not s.lstrip("+-").isdigit() or len(s) > 12:
            raise argparse.ArgumentTypeError(f"{text!r} is not an integer" if len(s) <= 12 or not
                                             s.lstrip("+-").isdigit() else f"{s[:12]}... is too large")
        v = int(s)
        if v < lo:
            raise argparse.ArgumentTypeError(f"{v} is below the minimum {lo}")
        if v > hi:
            raise argparse.ArgumentTypeError(f"{v} is above the maximum {hi}")
        return v

    parse.__name__ = f"integer in [{lo}, {hi}]"
    return parse


class JsonInputError(ValueError):
    """A JSON input file that is unreadable, too large, too deep or not strict JSON."""


def _depth(text: str) -> int:
    """Deepest nesting of [ and { outside strings (a linear scan; no recursion)."""
    depth = best = 0
    in_str = esc = False
    for ch in text:
        if in_str:
            if esc:
                esc = False
            elif ch == "\\":
                esc = True
            elif ch == '"':
                in_str = False
        elif ch == '"':
            in_str = True
        elif ch in "[{":
            depth += 1
            best = max(best, depth)
        elif ch in "]}":
            depth -= 1
    return best


def _no_constant(name: str):
    raise JsonInputError(f"{name} is not a number in strict JSON; give finite values")


def read_json(path: str, what: str | None = None):
    """Load a JSON file with the limits :data:`MAX_JSON_BYTES` and :data:`MAX_JSON_DEPTH`.

    >>> import tempfile, os
    >>> d = tempfile.mkdtemp(); p = os.path.join(d, "x.json")
    >>> _ = open(p, "w").write('{"a": NaN}')
    >>> read_json(p)
    Traceback (most recent call last):
    ...
    streda.verify.limits.JsonInputError: x.json: NaN is not a number in strict JSON; give finite values
    >>> _ = open(p, "w").write("[" * 100 + "]" * 100)
    >>> read_json(p)
    Traceback (most recent call last):
    ...
    streda.verify.limits.JsonInputError: x.json: nested deeper than 16 levels
    """
    name = what or os.path.basename(str(path))
    try:
        size = os.path.getsize(path)
        if size > MAX_JSON_BYTES:
            raise JsonInputError(f"{name}: {size} bytes, above the maximum {MAX_JSON_BYTES}")
        with open(path, "rb") as fh:
            raw = fh.read(MAX_JSON_BYTES + 1)
    except OSError as exc:
        raise JsonInputError(f"cannot read {path}: {exc.strerror or exc}") from None
    if len(raw) > MAX_JSON_BYTES:
        raise JsonInputError(f"{name}: above the maximum {MAX_JSON_BYTES} bytes")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise JsonInputError(f"{name} is not UTF-8 text") from None
    if _depth(text) > MAX_JSON_DEPTH:
        raise JsonInputError(f"{name}: nested deeper than {MAX_JSON_DEPTH} levels")
    try:
        return json.loads(text, parse_constant=_no_constant)
    except JsonInputError as exc:
        raise JsonInputError(f"{name}: {exc}") from None
    except json.JSONDecodeError as exc:
        raise JsonInputError(f"{name} is not valid JSON: {exc.msg} (line {exc.lineno})") from None
    except (ValueError, RecursionError) as exc:   # e.g. an integer literal above Python's digit limit
        raise JsonInputError(f"{name}: {str(exc).splitlines()[0][:100]}") from None
