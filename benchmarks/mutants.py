"""Mutation check: does the test suite notice small, physically meaningful changes?

Each mutant is one edit (or a few edits that belong together) of the production code:
``(file, old text, new text)`` with a purpose.  The script copies the tree (the files git
knows about, committed or not) into a temporary directory -- never touching the working
tree --, applies ONE mutant to the copy, runs the test files relevant to that physics on the
copy (``--all``: the whole default suite) and reports which tests fail ("kill" the mutant).
A mutant that no test kills is a hole in the suite.

Not part of the default test run.  Usage (from the repository root)::

    python benchmarks/mutants.py                 # every mutant, its own test files
    python benchmarks/mutants.py --only dresselhaus-velocity-sign --all
    python benchmarks/mutants.py --list

The copy is imported as ``streda`` through ``PYTHONPATH`` (a tiny ``streda`` package whose
sub-packages are links into the copy), ahead of the editable install; the script checks
that the mutated file really is the one imported.  Keep the list growing with each physics
feature: a new mutant needs the file, an ``old`` text that occurs exactly once, the
``new`` text, what physics it breaks and the test files whose purpose is that physics.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SUBPACKAGES = ("diagrams", "integrals", "verify")
#: upper limit per pytest run (seconds); a run that exceeds it counts as "timeout", not a kill
RUN_TIMEOUT = 900


@dataclass(frozen=True)
class Mutant:
    name: str
    file: str
    edits: tuple            # ((old, new), ...), each old text must occur exactly once
    purpose: str
    tests: tuple            # test files whose purpose is this physics
    held_out: bool = False  # True: not named in issue 14 (written to probe the suite)
    extra: dict = field(default_factory=dict)


MUTANTS = (
    # --------------------------------------------------------------- named in issue 14
    Mutant("eq15b-hall-sign", "verify/printed/tensors.py",
           (("hall = DS / (2 * eps) * mz * (1 - mz ** 2)", "hall = -DS / (2 * eps) * mz * (1 - mz ** 2)"),),
           "sign of the printed Eq. (15b) Hall entries", ("tests/test_physics_bare.py",)),
    Mutant("spin-vertex-1+u2", "integrals/disorder.py",
           (('"x": xx * (1 - u * u), "y": xy * (1 - u * u)', '"x": xx * (1 + u * u), "y": xy * (1 + u * u)'),),
           "(1 - u^2) -> (1 + u^2) in the spin-dependent disorder vertex Lambda X Lambda",
           ("tests/test_physics_spin_disorder.py",)),
    Mutant("eq15a-Mx3-brackets", "verify/printed/tensors.py",
           (("(3, 0): -P * mz ** 2 * (2 - 3 * mz ** 2) / DS ** 3",
             "(3, 0): -P * mz ** 2 * (2 - 2 * mz ** 2) / DS ** 3"),
            ("(3, 1): 2 * P * DS * mz ** 3 * (2 - 3 * mz ** 2) / DS ** 3",
             "(3, 1): 2 * P * DS * mz ** 3 * (2 - 2 * mz ** 2) / DS ** 3")),
           "printed Eq. (15a) K_zx, K_zy brackets at M_x^3", ("tests/test_physics_bare.py",)),
    Mutant("odd-ladder-partial-sums-sign", "integrals/ladder.py",
           (("        sums.append(acc)", "        sums.append(-acc if order % 2 else acc)"),),
           "sign of the odd-n ladder partial sums", ("tests/test_physics_bare.py",)),
    Mutant("dresselhaus-velocity-sign", "integrals/harmonics.py",
           (("a2, eta, one, zero = B.P(B.a ** 2), B.eta, B.one, B.zero\n    a3 = B.P(2 * B.a ** 3)",
             "a2, eta, one, zero = B.P(B.a ** 2), B.eta, B.one, B.zero\n    a3 = B.P(-2 * B.a ** 3)"),),
           "spin-orbit part of the Dresselhaus velocity in the engine",
           ("tests/test_physics_dresselhaus.py",)),
    Mutant("dressed-sigma-outer-p", "integrals/dressing.py",
           (('vout = (Factor("v", row),)', 'vout = (Factor("p", row),)'),),
           "outer vertex of the dressed conductivity v -> p/m", ("tests/test_physics_drude.py",)),
    Mutant("comparator-tolerance-1e-2", "verify/compare.py",
           (("if rel > mpmath.mpf(10) ** (-(dps // 2)):", "if rel > mpmath.mpf(10) ** (-2):"),),
           "comparator tolerance 1e-20 -> 1e-2", ("tests/test_compare.py",)),
    # --------------------------------------------------------------- held out
    Mutant("swap-R-A-green", "integrals/harmonics.py",
           (('S, M = (B.s, B.MR) if lab == "R" else (B.t, B.MA)', 'S, M = (B.t, B.MA) if lab == "R" else (B.s, B.MR)'),),
           "retarded and advanced Green's functions swapped in every bubble",
           ("tests/test_physics_bare.py",), held_out=True),
    Mutant("drop-arc-term", "integrals/bubble.py",
           (("            if lc is not None:\n", "            if False:\n"),),
           "half-arc term of 1/xi integrands dropped (sigma RR, AA parts, Born self-energy); "
           "the arcs of RR and AA cancel in 2RA - RR - AA, so no physical sigma entry changes",
           ("tests/test_kubo.py", "tests/test_physics_bare.py", "tests/test_physics_drude.py"), held_out=True),
    Mutant("alpha_d-gamma", "integrals/kubo.py",
           (("KFrac(B, -num, sympy.Rational(1, 2), Counter({idx: 2}))", "KFrac(B, -num, sympy.Rational(1, 4), Counter({idx: 2}))"),
            ("/ (2 * a2) / flint.acb(0, 1)", "/ (4 * a2) / flint.acb(0, 1)")),
           "disorder strength alpha_d = gamma instead of 2 gamma (exact and ball backends)",
           ("tests/test_physics_drude.py", "tests/test_physics_bare.py"), held_out=True),
    Mutant("sigma-transposed", "integrals/api.py",
           (('ent[r + c] = fac * (2 * parts["RA"] - parts["RR"] - parts["AA"])',
             'ent[c + r if kind == "sigma" else r + c] = fac * (2 * parts["RA"] - parts["RR"] - parts["AA"])'),),
           "bare conductivity tensor indices transposed", ("tests/test_physics_bare.py",), held_out=True),
    Mutant("dyson-sign", "diagrams/structure.py",
           (("return -1 if insertion_count(D) % 2 else 1", "return 1"),),
           "Dyson sign (-1)^n of the M_x insertions dropped", ("tests/test_physics_bare.py",), held_out=True),
    Mutant("K-prefactor-4pi", "integrals/api.py",
           (('fac = e / (8 * pi) * m.sqrt() if kind == "K"', 'fac = e / (4 * pi) * m.sqrt() if kind == "K"'),),
           "prefactor e/8pi of the Kubo-Streda K (Eq. 9) in the numeric tensors",
           ("tests/test_physics_bare.py", "tests/test_physics_dresselhaus.py"), held_out=True),
    Mutant("spin-self-energy-sign", "integrals/pointwise.py",
           (("def __init__(self, eps, gamma, Delta, Mz, gamma_z=0, model: str = \"rashba\"):",
             "def __init__(self, eps, gamma, Delta, Mz, gamma_z=0, model: str = \"rashba\"):\n        gamma_z = -gamma_z"),),
           "sign of the sigma_z part of the spin-dependent self-energy (ball backend)",
           ("tests/test_physics_spin_disorder.py",), held_out=True),
    Mutant("dressed-sigma-RA-twice", "integrals/dressing.py",
           (('    parts = {"RA": ra}', '    parts = {"RA": ra + ra}'),),
           "double-counted RA part of the dressed conductivity", ("tests/test_physics_drude.py",),
           held_out=True),
)


def _tracked_files() -> list[str]:
    out = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                         capture_output=True, text=True, check=True).stdout.split("\n")
    return [f for f in out if f and (ROOT / f).is_file()]


def make_copy(dest: Path) -> Path:
    """Copy the repository files into ``dest/tree`` and build ``dest/site/streda``."""
    tree = dest / "tree"
    for f in _tracked_files():
        target = tree / f
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / f, target)
    pkg = dest / "site" / "streda"
    pkg.mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    for sub in SUBPACKAGES:
        os.symlink(tree / sub, pkg / sub)
    return tree


def apply(tree: Path, m: Mutant) -> None:
    path = tree / m.file
    text = path.read_text()
    for old, new in m.edits:
        n = text.count(old)
        if n != 1:
            raise SystemExit(f"mutant {m.name}: the old text occurs {n} times in {m.file} (need exactly 1)")
        text = text.replace(old, new)
    path.write_text(text)


def _env(dest: Path) -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(dest / "site") + os.pathsep + env.get("PYTHONPATH", "")
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def check_import(dest: Path) -> None:
    out = subprocess.run([sys.executable, "-c", "import streda.integrals.ladder as m; print(m.__file__)"],
                         env=_env(dest), capture_output=True, text=True, cwd=dest / "tree").stdout.strip()
    if not out.startswith(str(dest)):
        raise SystemExit(f"the copy is not the imported streda (got {out!r}); mutants would run on the real tree")


_FAIL = re.compile(r"^(FAILED|ERROR) (\S+)")


def run_tests(dest: Path, tests, slow: bool) -> tuple[str, list[str], float]:
    """(status, failing test ids, seconds); status is 'pass', 'fail' or 'timeout'."""
    cmd = [sys.executable, "-m", "pytest", "-q", "-rfE", "-p", "no:cacheprovider", "-n0"] if _has_xdist() else \
        [sys.executable, "-m", "pytest", "-q", "-rfE", "-p", "no:cacheprovider"]
    cmd += list(tests) + ["-m", "slow or not slow" if slow else "not slow"]
    t0 = time.time()
    try:
        p = subprocess.run(cmd, cwd=dest / "tree", env=_env(dest), capture_output=True, text=True,
                           timeout=RUN_TIMEOUT)
    except subprocess.TimeoutExpired:
        return "timeout", [], time.time() - t0
    fails = sorted({m.group(2) for line in p.stdout.splitlines() if (m := _FAIL.match(line))})
    status = "pass" if p.returncode == 0 else "fail"
    if status == "fail" and not fails:
        fails = [f"(pytest exit {p.returncode}: {p.stdout.strip().splitlines()[-1:]})"]
    return status, fails, time.time() - t0


def _has_xdist() -> bool:
    import importlib.util

    return importlib.util.find_spec("xdist") is not None


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--only", nargs="+", metavar="NAME", help="run these mutants only")
    ap.add_argument("--all", action="store_true", help="run the whole default suite for every mutant")
    ap.add_argument("--slow", action="store_true", help="include tests marked slow")
    ap.add_argument("--list", action="store_true", help="list the mutants and exit")
    ap.add_argument("--json", metavar="FILE", help="write the results as JSON")
    args = ap.parse_args(argv)

    mutants = [m for m in MUTANTS if not args.only or m.name in args.only]
    if args.only and len(mutants) != len(args.only):
        known = ", ".join(m.name for m in MUTANTS)
        print(f"unknown mutant name in {args.only}; known: {known}", file=sys.stderr)
        return 2
    if args.list:
        for m in MUTANTS:
            print(f"{m.name:32s} {'held-out ' if m.held_out else 'issue-14 '} {m.file}: {m.purpose}")
        return 0
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)

    results = []
    with tempfile.TemporaryDirectory(prefix="streda-mutants-") as tmp:
        base = Path(tmp) / "pristine"
        make_copy(base)
        check_import(base)
        union = sorted({t for m in mutants for t in m.tests})
        suite = ["tests"] if args.all else union
        print(f"baseline: {' '.join(suite)} ...", flush=True)
        status, fails, secs = run_tests(base, suite, args.slow)
        if status != "pass":
            print(f"baseline does not pass ({status}): {fails}; no mutant can be judged", file=sys.stderr)
            return 1
        print(f"baseline passes ({secs:.0f} s)", flush=True)
        try:
            for i, m in enumerate(mutants, 1):
                work = Path(tmp) / f"m{i}"
                make_copy(work)
                apply(work / "tree", m)
                check_import(work)
                tests = ["tests"] if args.all else list(m.tests)
                status, fails, secs = run_tests(work, tests, args.slow)
                purposeful = [f for f in fails if f.split("::")[0] in m.tests]
                killed = status == "fail"
                results.append({"name": m.name, "held_out": m.held_out, "purpose": m.purpose, "file": m.file,
                                "status": "killed" if killed else ("TIMEOUT" if status == "timeout" else "SURVIVED"),
                                "killed_by_purpose_tests": bool(purposeful), "killers": fails,
                                "seconds": round(secs, 1)})
                print(f"[{i}/{len(mutants)}] {m.name}: {results[-1]['status']} "
                      f"({len(fails)} failing, {secs:.0f} s)", flush=True)
                shutil.rmtree(work)
        except KeyboardInterrupt:
            print("interrupted; partial results below", file=sys.stderr)

    print()
    print("| mutant | set | result | killed by (purpose tests) | s |")
    print("|---|---|---|---|---|")
    for r in results:
        names = [k.split("::")[-1] for k in r["killers"]]
        shown = ", ".join(names[:4]) + (f" (+{len(names) - 4} more)" if len(names) > 4 else "")
        print(f"| {r['name']} | {'held-out' if r['held_out'] else 'issue 14'} | {r['status']} | "
              f"{shown} | {r['seconds']} |")
    survived = [r["name"] for r in results if r["status"] != "killed" or not r["killed_by_purpose_tests"]]
    print(f"\n{len(results) - len(survived)}/{len(results)} mutants killed by tests of their own physics"
          + (f"; NOT killed: {', '.join(survived)}" if survived else ""))
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))
    return 0 if not survived else 1


if __name__ == "__main__":
    sys.exit(main())
