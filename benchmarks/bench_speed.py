"""Issue 13 speed-ups, each against the code path it replaced, side by side in one run.

    python benchmarks/bench_speed.py                       # all sections
    python benchmarks/bench_speed.py --only numeric exact  # some sections
    python benchmarks/bench_speed.py --out results.json    # also write the figures as JSON
    python benchmarks/bench_speed.py --only commands --repeat 3 --bytecode /tmp/pyc  # see below

Sections (old = :mod:`_reference`, the pre-issue-13 implementations patched in; new = the engine):

* ``numeric``: P^(n), n = 0..30 at 50 digits, both components (shadow backend built once,
  pole series cached, P^(n) words cached); the records must be identical.
* ``exact``: P^(n), n = 1..12 (residues over one common denominator); the verdicts must be
  identical and the non-zero control values equal as rational functions.
* ``gamma``: ``gamma_series`` of every non-zero bare K and σ entry, M_x orders 0..2 (FLINT
  polynomials instead of sympy's fraction field); the outputs must be identical (==).
* ``commands``: ``streda tensor K``, ``streda tensor sigma`` and ``streda compare 15a`` in fresh
  processes, old and new; the printed output must be identical.  ``--repeat N`` alternates N
  old and new runs and prints the median ratio.  ``--bytecode DIR`` lets the processes cache
  their compiled modules in DIR (after one warm-up run of each), as an installed package does;
  without it, with ``PYTHONDONTWRITEBYTECODE`` set, every process compiles every streda module
  from source, a cost shared by both paths.
* ``bar``: numeric P^(n) n ≤ 30 at 50 digits over exact n ≤ 12, both new, in this run
  (issue 13 asks for at most 3.5).
* ``stages``: where ``streda tensor sigma`` spends its CPU time, old and new, each in a fresh
  process: imports, exact tensors, γ expansion, and the printed forms of the coefficients
  (``series_to_sympy``: ``sympy.simplify`` on the old path, ``simplify_rational`` on the new one,
  then ``api._scaled`` as ``symbolic_tensor`` does).

Prints seconds and ratios (old/new); no assertion on time: figures, not tests.  An output
difference is reported as ``DIFFERENT`` and makes the exit status 1.
"""
from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import _reference  # noqa: E402
from streda.integrals.model import RashbaModel  # noqa: E402
from streda.verify import pn  # noqa: E402

SECTIONS = ("numeric", "exact", "gamma", "commands", "bar", "stages")
COMMANDS = (["tensor", "K"], ["tensor", "sigma"], ["compare", "15a"])


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def _timed(f):
    t0 = time.perf_counter()
    out = f()
    return time.perf_counter() - t0, out


def _both(f):
    """(seconds old, result old, seconds new, result new), each from cold caches."""
    with _reference.reference_paths():
        t_old, r_old = _timed(f)
    _reference.clear_caches()
    t_new, r_new = _timed(f)
    return t_old, r_old, t_new, r_new


def numeric_records(max_order: int, dps: int) -> list:
    pt = RashbaModel.from_string(None)
    return [pn.pn_numeric(n, c, pt, dps).to_json() for n in range(max_order + 1) for c in "xy"]


def _strip_seconds(recs: list) -> list:
    return [{k: v for k, v in r.items() if k != "seconds"} for r in recs]


def exact_verdicts(max_order: int) -> list:
    return [(n, c, pn.pn_exact(n, c).is_zero) for n in range(1, max_order + 1) for c in "xy"]


def control_values() -> dict:
    """Exact P^(n) of the bare-velocity control, n = 1, 2, 3 (non-zero rational functions)."""
    from streda.integrals import evaluate as ev

    return {(n, c): ev.evaluate(pn.pn_terms(n, c, "bare"), "exact") for n in (1, 2, 3) for c in "xy"}


def _same_exact(a: dict, b: dict) -> bool:
    from streda.integrals import evaluate as ev

    B = ev.exact_backend()
    for key in a:
        for lab in a[key]:
            x, y = a[key][lab], b[key][lab]
            for p, q in ((x.re, y.re), (x.im, y.im)):
                if (p is None or p.is_zero()) != (q is None or q.is_zero()):
                    return False
                if p is not None and q is not None and not (p.to_backend(B) - q.to_backend(B)).is_zero():
                    return False
    return True


def tensor_values() -> list:
    from streda.integrals import kubo
    from streda.verify.tensors import reduced_total

    return [((kind, k, r, c), reduced_total(kind, k, r, c)) for kind in ("K", "sigma") for k in (0, 1, 2)
            for r in kubo.ROWS[kind] for c in kubo.COLS]


def gamma_outputs(values: list) -> list:
    from streda.integrals.expansion import gamma_series

    return [(key, gamma_series(v, 1)) for key, v in values if not v.is_zero()]


def run_cli(mode: str, argv: list) -> None:
    """Entry of the subprocesses of the ``commands`` section."""
    from streda.verify.cli import main

    if mode == "reference":
        with _reference.reference_paths():
            code = main(argv)
    else:
        code = main(argv)
    sys.stdout.flush()
    os._exit(code)


def run_stages(mode: str) -> None:
    """Entry of the subprocesses of the ``stages`` section: CPU seconds per stage, as JSON."""
    out = {"startup and imports": time.process_time()}     # CPU of this process so far
    from streda.integrals import api
    from streda.integrals import evaluate as ev
    from streda.integrals import kubo
    from streda.integrals.expansion import gamma_series, series_to_sympy

    ctx = _reference.reference_paths() if mode == "reference" else contextlib.nullcontext()
    with ctx:
        t = time.process_time()
        B = ev.exact_backend()
        vals = []
        for k in range(4):
            T = kubo.tensor_order("sigma", k, B)
            vals += [T[(r, c)]["RA"] + T[(r, c)]["RA"] - T[(r, c)]["RR"] - T[(r, c)]["AA"]
                     for r in "xy" for c in "xy"]
        out["exact tensors"] = time.process_time() - t
        t = time.process_time()
        sers = [{} if v.is_zero() else gamma_series(v, 0) for v in vals]
        out["gamma expansion"] = time.process_time() - t
        t = time.process_time()
        fac = kubo.physical_factor("sigma")
        [api._scaled(sr.get(j, 0), fac) for sr in map(series_to_sympy, sers) for j in (-1, 0)]
        out["printed forms"] = time.process_time() - t
    print(json.dumps(out))
    sys.stdout.flush()
    os._exit(0)


def _children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def _child_env(bytecode: str | None) -> dict | None:
    """The environment of the command processes.  With ``bytecode`` (a directory) Python caches
    the compiled modules there (``PYTHONPYCACHEPREFIX``), as in an ordinary installation, even
    where ``PYTHONDONTWRITEBYTECODE`` is set; without, the environment is inherited as it is."""
    if not bytecode:
        return None
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = bytecode
    return env


def _cli(mode: str, argv: list, env: dict | None = None) -> tuple[float, str, float]:
    """(wall seconds, stdout, CPU seconds) of one fresh process; the CPU time is the figure to
    compare on a shared machine (wall time there depends on the other jobs)."""
    t0, c0 = time.perf_counter(), _children_cpu()
    p = subprocess.run([sys.executable, os.path.abspath(__file__), "--cli", mode, *argv],
                       capture_output=True, text=True, timeout=3600, env=env)
    return time.perf_counter() - t0, p.stdout, _children_cpu() - c0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--only", nargs="*", choices=SECTIONS, default=list(SECTIONS))
    ap.add_argument("--numeric-order", type=int, default=30)
    ap.add_argument("--exact-order", type=int, default=12)
    ap.add_argument("--dps", type=int, default=50)
    ap.add_argument("--out", metavar="FILE", help="write the figures as JSON")
    ap.add_argument("--repeat", type=int, default=1, help="commands: runs of each command, old and new "
                    "alternating (the medians are printed too)")
    ap.add_argument("--command", nargs="*", choices=[" ".join(c) for c in COMMANDS],
                    help="commands: only these (default: all three)")
    ap.add_argument("--bytecode", metavar="DIR", help="commands, stages: cache the compiled modules in DIR, "
                    "as an ordinary installation does (default: the inherited environment)")
    ap.add_argument("--cli", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    ap.add_argument("--stage-run", choices=("reference", "new"), help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.cli:
        run_cli(a.cli[0], a.cli[1:])
    if a.stage_run:
        run_stages(a.stage_run)
    fig: dict = {"load_average_start": _load()}
    ok = True
    print(f"machine: {os.cpu_count()} cores, load average {_load()} (1, 5, 15 min)", flush=True)

    def report(name, t_old, t_new, same, what):
        nonlocal ok
        ok = ok and same
        fig[name] = {"old_seconds": round(t_old, 2), "new_seconds": round(t_new, 2),
                     "ratio_old_over_new": round(t_old / t_new, 2), "identical": same, "what": what}
        print(f"{name:<24} old {t_old:8.2f} s  new {t_new:8.2f} s  ratio {t_old / t_new:6.2f}x  "
              f"{'identical' if same else 'DIFFERENT'}  ({what})", flush=True)

    if "numeric" in a.only:
        t_old, r_old, t_new, r_new = _both(lambda: numeric_records(a.numeric_order, a.dps))
        report("numeric P^(n)", t_old, t_new, _strip_seconds(r_old) == _strip_seconds(r_new),
               f"n = 0..{a.numeric_order} at {a.dps} digits, both components")
    if "exact" in a.only:
        t_old, r_old, t_new, r_new = _both(lambda: exact_verdicts(a.exact_order))
        report("exact P^(n)", t_old, t_new, r_old == r_new, f"n = 1..{a.exact_order}, both components")
        with _reference.reference_paths():
            c_old = control_values()
        c_new = control_values()
        same = _same_exact(c_old, c_new)
        ok = ok and same
        fig["exact controls equal"] = same
        print(f"bare-velocity control P^(1..3), old and new equal as rational functions: {same}")
    if "gamma" in a.only:
        vals = tensor_values()
        t_old, r_old, t_new, r_new = _both(lambda: gamma_outputs(vals))
        report("gamma_series", t_old, t_new, r_old == r_new,
               f"{len(r_new)} non-zero bare K, sigma entries, M_x orders 0..2, up to gamma^1")
    if "commands" in a.only:
        env = _child_env(a.bytecode)
        fig["commands byte code"] = (f"cached in {a.bytecode} (warm-up runs first)" if a.bytecode
                                     else "as inherited (PYTHONDONTWRITEBYTECODE="
                                     f"{os.environ.get('PYTHONDONTWRITEBYTECODE', '')!r})")
        print(f"commands: byte code {fig['commands byte code']}, {a.repeat} run(s) each, old and new "
              "alternating", flush=True)
        for argv in [c for c in COMMANDS if not a.command or " ".join(c) in a.command]:
            if a.bytecode:                   # compile every module once, into the cache
                _cli("reference", argv, env)
                _cli("new", argv, env)
            name = "streda " + " ".join(argv)
            runs = []
            for _ in range(a.repeat):
                t_old, out_old, c_old = _cli("reference", argv, env)
                t_new, out_new, c_new = _cli("new", argv, env)
                same = out_old == out_new and bool(out_new)
                runs.append((t_old, t_new, c_old, c_new))
                report(name, t_old, t_new, same, "fresh processes, wall clock, printed output compared")
                report(name + " (CPU)", c_old, c_new, same, "the same processes, CPU seconds (user + system)")
            if a.repeat > 1:
                cpu_ratios = sorted(c_o / c_n for _, _, c_o, c_n in runs)
                wall_ratios = sorted(t_o / t_n for t_o, t_n, _, _ in runs)
                med = statistics.median
                fig[name + " runs"] = [{"old_s": round(r[0], 2), "new_s": round(r[1], 2), "old_cpu_s": round(r[2], 2),
                                        "new_cpu_s": round(r[3], 2)} for r in runs]
                print(f"{name:<24} median of {a.repeat} runs: CPU ratio {med(cpu_ratios):.2f}x "
                      f"(runs {', '.join(f'{r:.2f}' for r in cpu_ratios)}), wall ratio {med(wall_ratios):.2f}x; "
                      f"median CPU old {med([r[2] for r in runs]):.2f} s, new {med([r[3] for r in runs]):.2f} s",
                      flush=True)
    if "bar" in a.only:
        _reference.clear_caches()
        t_ex, _ = _timed(lambda: exact_verdicts(12))
        _reference.clear_caches()
        t_nu, _ = _timed(lambda: numeric_records(30, 50))
        fig["bar"] = {"exact_n_le_12_seconds": round(t_ex, 2), "numeric_n_le_30_50_digits_seconds": round(t_nu, 2),
                      "ratio": round(t_nu / t_ex, 2), "issue_13_asks_at_most": 3.5}
        print(f"bar: numeric n <= 30 at 50 digits {t_nu:.2f} s / exact n <= 12 {t_ex:.2f} s = "
              f"{t_nu / t_ex:.2f} (issue 13 asks <= 3.5)", flush=True)
    if "stages" in a.only:
        for mode in ("reference", "new"):
            if a.bytecode:                       # warm-up: compile every module once, into the cache
                subprocess.run([sys.executable, os.path.abspath(__file__), "--stage-run", mode],
                               capture_output=True, text=True, timeout=3600, env=_child_env(a.bytecode))
            p = subprocess.run([sys.executable, os.path.abspath(__file__), "--stage-run", mode],
                               capture_output=True, text=True, timeout=3600, env=_child_env(a.bytecode))
            st = json.loads(p.stdout.strip().splitlines()[-1])
            fig[f"tensor sigma stages, {mode} (CPU s)"] = {k: round(v, 3) for k, v in st.items()}
            print(f"tensor sigma CPU by stage, {'old' if mode == 'reference' else 'new'}: "
                  + ", ".join(f"{k} {v:.2f} s" for k, v in st.items()) + f"; total {sum(st.values()):.2f} s",
                  flush=True)
    fig["load_average_end"] = _load()
    print(f"load average at the end: {_load()}", flush=True)
    if a.out:
        with open(a.out, "w") as fh:
            json.dump(fig, fh, indent=2, sort_keys=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
