"""Pinned verdicts: every comparison's (equation, entry, status), committed in ``expected.json``.

A comparison check has status ``ran`` whatever it finds, so a broken sign that
turns an ``agrees`` into a ``differs`` (or back) would pass unnoticed.  ``streda
verify`` therefore compares each comparison record's verdict with the committed
expectation and exits 1 on any drift, naming the entries.  The expectation is
rewritten only by ``streda verify --update-expected``, which prints the diff.

Regenerate (one command; the comparison checks are cheap):

    streda verify --quick --no-cache --no-pdf --update-expected --force --out /tmp/streda-expected

>>> recs = [{"equation": "C8b", "row": "x", "column": "y", "mx_order": 1, "tau_order": 0,
...          "status": "differs"}]
>>> v = verdicts([{"name": "compare_C8b", "status": "ran", "comparison": True, "records": recs}])
>>> v
{'compare_C8b': {'C8b [xy] Mx^1 tau^0': 'differs'}}
>>> drift(v, {"compare_C8b": {"C8b [xy] Mx^1 tau^0": "not-comparable"}})
['compare_C8b: C8b [xy] Mx^1 tau^0: expected not-comparable, got differs']
"""
from __future__ import annotations

import json
from pathlib import Path

__all__ = ["EXPECTED_PATH", "verdicts", "drift", "load_expected", "update_expected", "entry_key"]

#: the committed expectation (inside the installed package)
EXPECTED_PATH = Path(__file__).with_name("expected.json")


def entry_key(rec: dict) -> str:
    """``"C8b [xy] Mx^1 tau^0"``: the equation and the entry of one comparison record."""
    parts = [str(rec.get("equation", "?"))]
    if rec.get("row") is not None or rec.get("column") is not None:
        parts.append(f"[{rec.get('row') or ''}{rec.get('column') or ''}]")
    if rec.get("mx_order") is not None:
        parts.append(f"Mx^{rec['mx_order']}")
    if rec.get("tau_order") is not None:
        parts.append(f"tau^{rec['tau_order']}")
    for extra in ("case", "label"):
        if rec.get(extra):
            parts.append(f"({rec[extra]})")
    return " ".join(parts)


def verdicts(results: list[dict]) -> dict[str, dict[str, str]]:
    """{check: {entry: status}} for the comparison checks among ``results``."""
    out: dict[str, dict[str, str]] = {}
    for r in results:
        if not r.get("comparison"):
            continue
        seen: dict[str, int] = {}
        entries = {}
        for rec in r.get("records", []):
            key = entry_key(rec)
            seen[key] = seen.get(key, 0) + 1
            if seen[key] > 1:
                key = f"{key} #{seen[key]}"
            entries[key] = rec.get("status", "?")
        out[r["name"]] = entries
    return out


def load_expected(path: Path = EXPECTED_PATH) -> dict:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        raise ValueError(f"cannot read the pinned verdicts {Path(path).name}: {exc}") from None
    if not isinstance(data, dict) or not all(isinstance(v, dict) for v in data.values()):
        raise ValueError(f"{Path(path).name}: expected {{check: {{entry: status}}}}")
    return data


def drift(got: dict, expected: dict) -> list[str]:
    """Lines naming every entry whose verdict differs from the expectation (checks in ``got``)."""
    lines = []
    for check, entries in sorted(got.items()):
        if check not in expected:
            lines.append(f"{check}: no pinned verdicts (run --update-expected)")
            continue
        exp = expected[check]
        for key in sorted(set(entries) | set(exp)):
            a, b = exp.get(key), entries.get(key)
            if a == b:
                continue
            if a is None:
                lines.append(f"{check}: {key}: new entry ({b}), not pinned")
            elif b is None:
                lines.append(f"{check}: {key}: pinned ({a}) but not produced")
            else:
                lines.append(f"{check}: {key}: expected {a}, got {b}")
    return lines


def update_expected(got: dict, path: Path = EXPECTED_PATH) -> list[str]:
    """Merge ``got`` into the expectation file (checks not run are kept); return the diff lines."""
    old = load_expected(path)
    diff = drift(got, old)
    new = dict(old)
    new.update(got)
    text = json.dumps(new, indent=1, sort_keys=True, ensure_ascii=True) + "\n"
    from .outputs import atomic_write_text

    atomic_write_text(path, text)
    return diff
