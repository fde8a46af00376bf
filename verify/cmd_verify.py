"""``streda verify``: every check of the paper in one run, with a report people read.

Writes to ``--out`` (default ``streda-report``): ``results.json`` (one record per
check and entry, versions, parameters; byte-identical across runs with the same
inputs), ``timings.json`` (seconds, kept apart), ``report.html`` (open it first: one
file, equations as MathML, diagrams as SVG), ``report.tex`` and, when pdflatex is
installed, ``report.pdf``, ``diagrams/`` (Figs. 2-4 as DOT, and SVG; PDF too with
Graphviz) and ``pn_cost.pdf``/``.png``.
Exit status: 0 when every check that should hold holds and every comparison ran,
1 when a check failed, 2 on bad input.
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

from .limits import MAX_JOBS, MAX_ORDER, MAX_RECHECK, bounded
from .runtime import check_jobs, refuse_unused_mx, versions, write_json

__all__ = ["register", "run", "run_checks"]


def register(sub) -> None:
    p = sub.add_parser("verify", help="run every check of the paper and write a report",
                       description=__doc__.split("\n\n")[1] if __doc__ else None)
    p.add_argument("--out", default="streda-report", help="output directory (default ./streda-report)")
    p.add_argument("--max-order", type=bounded(0, MAX_ORDER), default=12,
                   help=f"highest order of the exact P^(n) check (default 12, max {MAX_ORDER})")
    p.add_argument("--quick", action="store_true", help="smaller orders everywhere (under a minute)")
    p.add_argument("--jobs", type=bounded(1, MAX_JOBS), default=1, help=f"worker processes (max {MAX_JOBS}, capped at the CPU count)")
    p.add_argument("--no-cache", action="store_true", help="recompute everything, do not read or write the cache")
    p.add_argument("--cache-dir", default=None, help="cache directory (default $STREDA_CACHE or ~/.cache/streda)")
    p.add_argument("--params", default=None, help="parameter point for the numeric checks")
    p.add_argument("--only", default=None, help="comma-separated check names (default: all)")
    p.add_argument("--no-pdf", action="store_true", help="write report.tex but do not run pdflatex")
    p.add_argument("--recheck", type=bounded(1, MAX_RECHECK), default=None, metavar="K",
                   help=f"recompute K randomly chosen checks served from the cache and fail on any "
                        f"mismatch (audits a shared or copied cache; max {MAX_RECHECK})")
    p.add_argument("--update-expected", action="store_true",
                   help="rewrite the pinned verdicts (verify/expected.json) from this run and print the diff")
    p.set_defaults(func=run)


def _split_seconds(obj):
    """Remove every 'seconds' field (recursively); return (clean, [seconds...]) in order."""
    secs = []

    def walk(x):
        if isinstance(x, dict):
            out = {}
            for k, v in x.items():
                if k == "seconds":
                    secs.append(v)
                    continue
                out[k] = walk(v)
            return out
        if isinstance(x, list):
            return [walk(v) for v in x]
        return x

    return walk(obj), secs


def code_hash() -> str:
    """SHA-256 over the source of the installed streda packages: a code change invalidates the cache."""
    import hashlib

    import streda.diagrams
    import streda.integrals
    import streda.verify

    h = hashlib.sha256()
    for pkg in (streda.diagrams, streda.integrals, streda.verify):
        for path in sorted(Path(pkg.__path__[0]).rglob("*.py")):
            h.update(path.name.encode())
            h.update(path.read_bytes())
    return h.hexdigest()[:16]


def _compute(name: str, settings):
    from .checks import CHECKS

    check = next(c for c in CHECKS if c.name == name)
    t0 = time.perf_counter()
    try:
        res = plain(check.func(settings))
    except Exception as exc:  # a check that crashes is reported, not hidden
        res = {"status": "error", "figure": f"{type(exc).__name__}: {exc}", "records": []}
    return res, time.perf_counter() - t0


def plain(value):
    """A check's result as plain JSON data: numpy scalars become Python numbers and bools,
    tuples lists; anything else that JSON cannot hold is refused (a check's bug, reported as
    its error instead of crashing the run after every check has finished).

    >>> import numpy as np
    >>> plain({"ok": np.bool_(True), "x": (np.float64(0.5), 1)})
    {'ok': True, 'x': [0.5, 1]}
    """
    import numpy as np

    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, np.generic):
        return value.item()
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    raise TypeError(f"result holds a {type(value).__name__}, which is not plain data")


_STATUSES = ("pass", "fail", "ran")


def validate_entry(value) -> str | None:
    """The schema of a cached check result; returns what is wrong, or None.

    >>> validate_entry([]) , validate_entry({"name": "x"})[:20]
    ('not an object', 'missing or wrong fie')
    """
    if not isinstance(value, dict):
        return "not an object"
    want = {"name": str, "title": str, "status": str, "figure": str, "records": list, "timings": dict}
    bad = [k for k, t in want.items() if not isinstance(value.get(k), t)]
    if bad:
        return f"missing or wrong fields {', '.join(bad)}"
    if value["status"] not in _STATUSES:
        return f"status {value['status']!r} not one of {', '.join(_STATUSES)}"
    if not all(isinstance(r, dict) for r in value["records"]):
        return "records are not objects"
    if value.get("comparison") and not all(isinstance(r.get("status"), str) for r in value["records"]):
        return "a comparison record has no status"
    return None


def recheck(results: list[dict], settings, k: int, rng=None, echo=print) -> list[str]:
    """Recompute ``k`` randomly chosen results that came from the cache; names of mismatches."""
    import random

    cached = [r for r in results if r["timings"].get("cached")]
    rng = rng or random.SystemRandom()
    pick = rng.sample(cached, min(k, len(cached)))
    bad = []
    for r in pick:
        fresh, _secs = _compute(r["name"], settings)
        clean, _ = _split_seconds(fresh)
        old = {key: v for key, v in r.items() if key not in ("name", "title", "timings")}
        same = clean == old
        echo(f"  recheck {r['name']:<22} {'same' if same else 'MISMATCH'}")
        if not same:
            bad.append(r["name"])
    if len(pick) < k:
        echo(f"  recheck: only {len(pick)} of the {k} requested checks came from the cache")
    return bad


def run_checks(settings, names, cache, jobs: int = 1, echo=print) -> list[dict]:
    """Run (or load from ``cache``) the named checks; results in the order of ``names``."""
    from .checks import CHECKS
    from .runtime import parallel_map

    titles = {c.name: c.title for c in CHECKS}
    ver = versions().get("streda")
    code = code_hash()
    deps = versions()          # every computing dependency: sympy, python-flint, mpmath, numpy, ...
    keys = {n: {"check": n, "settings": settings.key(), "streda": ver, "code": code, "versions": deps}
            for n in names}
    results, todo = {}, []
    for n in names:
        t0 = time.perf_counter()
        hit = cache.get(keys[n], validate=validate_entry)
        if hit is not None:
            hit["timings"]["seconds"] = round(time.perf_counter() - t0, 4)
            hit["timings"]["cached"] = True
            results[n] = hit
            echo(f"  [{len(results)}/{len(names)}] {n:<22} {hit['status']:<6}   cached   {hit['figure']}")
        else:
            todo.append(n)
    def finished(i, out):
        n = todo[i]
        res, secs = out
        clean, record_secs = _split_seconds(res)
        entry = {"name": n, "title": titles[n], **clean,
                 "timings": {"seconds": round(secs, 4), "computed_seconds": round(secs, 4),
                             "record_seconds": record_secs, "cached": False}}
        if entry["status"] != "error":
            cache.put(keys[n], entry)
        results[n] = entry
        echo(f"  [{len(results)}/{len(names)}] {n:<22} {entry['status']:<6} {secs:8.2f}s  {entry['figure']}")
        sys.stdout.flush()

    parallel_map(_compute, [(n, settings) for n in todo], jobs, desc="checks", on_result=finished)
    return [results[n] for n in names]


def write_reports(results: list, out: Path, meta: dict, max_order: int, pdf: bool = True) -> dict:
    """report.html always; report.tex always; report.pdf when ``pdf`` and pdflatex works.

    A missing TeX or Graphviz never fails the run: the exit status reflects the checks only.
    Without pdflatex one line says how to get the PDF.
    """
    import shutil

    from .latex import LatexError
    from .report import build_html, build_report, cost_plot, write_diagram_files

    write_diagram_files(out)
    by = {r["name"]: r for r in results}
    if "pn_exact" in by:
        cost_plot(by["pn_exact"]["records"], by["pn_exact"]["timings"]["record_seconds"], out)
    paths = {"html": str(build_html(results, out, meta["parameters"], meta["streda_versions"].get("streda"),
                                    max_order))}
    have_tex = shutil.which("pdflatex") is not None
    try:
        paths.update(build_report(results, out, meta["parameters"], max_order, compile=pdf and have_tex))
    except LatexError as exc:
        print(f"streda: report.pdf not written: {exc}", file=sys.stderr)
    if pdf and not have_tex:
        print(f"report.pdf: pdflatex not found; install TeX Live (Debian: apt-get install texlive-latex-extra "
              f"texlive-pictures) and run `pdflatex report.tex` twice in {out}")
    return paths


def _audit(args, settings, results) -> list[str]:
    """--recheck and the pinned verdicts (verify/expected.json); names of what failed."""
    from .expected import drift, load_expected, update_expected, verdicts

    failed = []
    if args.recheck:
        bad = recheck(results, settings, args.recheck)
        if bad:
            print(f"CACHE MISMATCH: recomputed {', '.join(bad)} differ from the cached results; "
                  "clear the cache (it may be forged or stale)")
            failed.append("recheck")
    got = verdicts(results)
    if args.update_expected:
        diff = update_expected(got)
        print("pinned verdicts updated: " + (f"{len(diff)} change(s)" if diff else "no change"))
        for line in diff:
            print(f"  {line}")
        return failed
    lines = drift(got, load_expected())
    if lines:
        print(f"VERDICT DRIFT: {len(lines)} comparison verdict(s) differ from verify/expected.json:")
        for line in lines:
            print(f"  {line}")
        failed.append("pinned verdicts")
    return failed


def run(args) -> int:
    from streda.integrals.model import RashbaModel

    from .cache import Cache, NullCache
    from .checks import CHECKS, Settings
    from .cli import UsageError

    jobs = check_jobs(args.jobs)
    point = RashbaModel.from_string(args.params)          # validates the parameter point
    refuse_unused_mx(point, "verify")
    names = [c.name for c in CHECKS]
    if args.only is not None:
        want = [x.strip() for x in args.only.split(",") if x.strip()]
        if not want:
            raise UsageError(f"--only {args.only!r} names no check; known: {', '.join(names)}")
        bad = [w for w in want if w not in names]
        if bad:
            raise UsageError(f"unknown check(s) {', '.join(bad)}; known: {', '.join(names)}")
        names = [n for n in names if n in want]
    max_order = min(args.max_order, 6) if args.quick else args.max_order
    settings = Settings(max_order=max_order, quick=args.quick, params=args.params)
    cache = NullCache() if args.no_cache else Cache(args.cache_dir)
    out = Path(args.out)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"cannot create output directory {out}: {exc.strerror}") from None
    t0 = time.perf_counter()
    print(f"streda verify: {len(names)} checks, P^(n) to order {max_order}"
          f"{' (quick)' if args.quick else ''}, point {point.as_dict()}")
    results = run_checks(settings, names, cache, jobs)
    failed = [r["name"] for r in results if r["status"] in ("fail", "error")]
    failed += _audit(args, settings, results)

    # outputs -----------------------------------------------------------------
    meta = {"streda_versions": versions(), "parameters": point.as_dict(), "settings": settings.key(),
            "units": "hbar = 1; m_e = e = 1 unless given; alpha_R = +sqrt(Delta/m_e)"}
    write_json(str(out / "results.json"), {**meta, "checks": [{k: v for k, v in r.items() if k != "timings"}
                                                            for r in results],
                                           "all_passed": not failed})
    write_json(str(out / "timings.json"), {r["name"]: r["timings"] for r in results})
    paths = write_reports(results, out, meta, max_order, pdf=not args.no_pdf)
    total = time.perf_counter() - t0
    print(f"\n{'check':<22} {'status':<7} {'seconds':>8}  figure")
    for r in results:
        print(f"{r['name']:<22} {r['status']:<7} {r['timings']['seconds']:>8.2f}  {r['figure']}")
    print(f"\nwrote {out / 'results.json'}, {', '.join(paths.values())}; total {total:.1f} s; "
          f"cache {cache.stats}")
    if failed:
        print(f"FAILED: {', '.join(failed)}")
        return 1
    print("all checks passed; every comparison ran")
    return 0
