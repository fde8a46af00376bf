"""Hostile input across every subcommand and every option that takes text or a path (issue 11).

Each case must end with exit status 2, exactly one line on stderr, no traceback,
and no file created by an injection probe (the probes try to ``touch MARKER``).
Most cases run in-process through :func:`streda.verify.cli.main`; a handful run as
real subprocesses (the installed ``python -m streda.verify.cli``).
"""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from streda.verify.cli import main

MARKER = "MARKER"

#: code-injection probes: each would create MARKER if any text reached eval/sympify/parse_expr
INJECTIONS = [
    "__import__('os').system('touch MARKER')",
    "__import__(\"os\").system(\"touch MARKER\")",
    "exec(\"open('MARKER','w')\")",
    "eval(\"open('MARKER','w')\")",
    "open('MARKER','w')",
    "().__class__.__bases__[0].__subclasses__()",
    "(1).__class__.__mro__[-1].__subclasses__()",
    "[c for c in ().__class__.__base__.__subclasses__()]",
    "lambda: open('MARKER','w')",
    "getattr(__builtins__,'open')('MARKER','w')",
    "Symbol('x').__class__",
    "sympify(\"open('MARKER','w')\")",
    "S(\"open('MARKER','w')\")",
    "Function('open')('MARKER')",
    "x.__globals__",
    "pi.__class__.__init__.__globals__['sys'].modules['os'].system('touch MARKER')",
    "globals()['__builtins__']",
    "compile('1','f','eval')",
    "import os",
    "f'{open(\"MARKER\",\"w\")}'",
    "sqrt(1).func(open('MARKER','w'))",
    "exp(x=1)",
]

#: numbers that must be refused: infinities, nan, overflow, division by zero, huge sizes
BAD_NUMBERS = [
    "1/0", "0/0", "oo", "-oo", "zoo", "nan", "inf", "1e999999", "10**10**10", "9**9**9",
    "2**1000000", "exp(10**6)", "1" * 5000, "(" * 300 + "1" + ")" * 300, "-" * 1000 + "1",
    "", "   ", "log(0)", "0**-1", "pi^2", "1e-999999", "\x00", "1 1",
]

SKY = ["skyrmion", "--profile", "2*atan(sinh(R/w)/sinh(rho/w))", "--set", "R=3,w=1",
       "--coeffs", "a=1,b=0,c=0,d=0", "--alpha-g", "1/5", "--helicity", "0", "--current", "1,0"]


def _sky(option: str, value: str) -> list[str]:
    argv = list(SKY)
    i = argv.index(option)
    argv[i + 1] = value
    return argv


def _contexts(value: str) -> list[list[str]]:
    """Every place a number or expression string enters the command line."""
    return [
        ["pn", "--params", f"eps={value}"],
        ["tensor", "K", "--params", f"gamma={value}"],
        ["verify", "--params", f"Delta={value}", "--no-cache", "--only", "pn_exact"],
        _sky("--profile", value),
        _sky("--set", f"R={value},w=1"),
        _sky("--coeffs", f"a={value},b=0,c=0,d=0"),
        _sky("--helicity", value),
        _sky("--alpha-g", value),
        _sky("--current", f"{value},0"),
        ["torques", "--from", {"K": {ab: [value, "0"] for ab in ("xx", "xy", "yx", "yy", "zx", "zy")},
                               "mx": "0.6", "mz": "0.8"}],
        ["torques", "--from", {"K": {ab: ["1", "0"] for ab in ("xx", "xy", "yx", "yy", "zx", "zy")},
                               "mx": value, "mz": "0.8"}],
    ]


INJECTION_CASES = [(f"inject{i}-{j}", argv) for i, v in enumerate(INJECTIONS)
                   for j, argv in enumerate(_contexts(v))]
NUMBER_CASES = [(f"number{i}-{j}", argv) for i, v in enumerate(BAD_NUMBERS)
                for j, argv in enumerate(_contexts(v)) if j in (0, 3, 6, 9)]

#: sizes above their stated maxima, and malformed integers
SIZE_CASES = [(f"size-{' '.join(a)}", a) for a in [
    ["pn", "--max-order", "1000000000"], ["pn", "--max-order", "21"], ["pn", "--max-order", "-1"],
    ["pn", "--dps", "1000000"], ["pn", "--dps", "0"], ["pn", "--jobs", "1000000000"],
    ["pn", "--jobs", "0"], ["pn", "--max-order", "1e3"], ["pn", "--max-order", "9" * 5000],
    ["tensor", "K", "--mx-order", "1000000000"], ["tensor", "K", "--gamma-order", "1000000"],
    ["tensor", "K", "--dps", "100000"], ["tensor", "K", "--mx-order", "-3"],
    ["tensor", "K", "--mx-order", "12"], ["tensor", "sigma", "--mx-order", "4", "--gamma-order", "6"],
    ["tensor", "K", "--params", "Mx=1/5"],
    ["diagrams", "ladder", "--rungs", "1000000"], ["diagrams", "pn", "--order", "1000000000"],
    ["diagrams", "bare", "--order", "-1"], ["diagrams", "ladder", "--rungs", "x"],
    ["verify", "--max-order", "1000000000"], ["verify", "--jobs", "-2"], ["verify", "--recheck", "0"],
    ["verify", "--recheck", "100000"], ["verify", "--only", ","], ["verify", "--only", " , ,"],
    ["verify", "--only", "nonsense"], ["skyrmion", "--dps", "1000000"],
    ["skyrmion", "--dps", "5"],
]]

#: hostile text in other text options (names, choices, equation lists)
TEXT_CASES = [(f"text{i}", a) for i, a in enumerate([
    ["compare", INJECTIONS[0]], ["compare", "../../etc/passwd"], ["compare", "C8b", "x" * 10000],
    ["diagrams", "bare", "--alpha", INJECTIONS[0]], ["diagrams", "bare", "--beta", INJECTIONS[4]],
    ["diagrams", INJECTIONS[0]], ["tensor", INJECTIONS[0]], ["tensor", "K", "--model", INJECTIONS[0]],
    ["pn", "--method", INJECTIONS[0]], ["pn", "--params", "eps"], ["pn", "--params", "beta=1"],
    ["pn", "--params", "eps=1,eps=2"], ["pn", "--params", "=1"], ["pn", "--params", "eps=1,gamma=0"],
    ["pn", "--params", "eps=1,gamma=-1"], ["pn", "--params", "eps=0.1"],
    ["pn", "--params", "x" * 100000], ["pn", "--params", "eps=" + "(" * 5000],
    _sky("--profile", "2*atan(R/r)"), _sky("--set", "rho=1"), _sky("--set", "__class__=1"),
    _sky("--coeffs", "a=1,b=0,c=0"), _sky("--coeffs", "e=1,a=1,b=0,c=0,d=0"),
    _sky("--current", "0,0"), _sky("--current", "1,2,3"), _sky("--alpha-g", "-1"),
    _sky("--helicity", "I"), _sky("--profile", "rho"), SKY + ["--rho-max", INJECTIONS[0]],
    SKY + ["--rho-max", "-1"], SKY + ["--plot", "x.txt"], SKY + ["--model", "x"],
    ["--helicity", INJECTIONS[0]], [INJECTIONS[0]],
    ["pn", "--params", "Mx=1/5"], ["verify", "--params", "Mx=1/5", "--only", "pn_exact"],
])]

#: malformed JSON for torques --from (text, not objects)
JSON_CASES = [(f"json{i}", ["torques", "--from", ("raw", text)]) for i, text in enumerate([
    '{"mx": NaN, "mz": 1}', '{"mx": Infinity, "mz": 0}', '{"mx": -Infinity, "mz": 0}',
    '{"mx": 1e400, "mz": 0}', '[' * 100000 + ']' * 100000, '{"a":' * 5000 + '1' + '}' * 5000,
    '{not json', '', '[]', '"text"', '{"mx": "0.6", "mz": "0.8", "K": []}',
    '{"mx": "0.6", "mz": "0.8", "K": {"xx": [[[[1]]]], "xy": 1, "yx": 1, "yy": 1, "zx": 1, "zy": 1}}',
    '{"mx": ' + "9" * 5000 + ', "mz": 0}', '{"Mx": 0, "Mz": 0, "K": {}}',
    '{"mx": true, "mz": 1}', '{"mx": null, "mz": 1}', '{"mx": {"a": 1}, "mz": 1}',
    '{"mx": "0.6", "mz": "0.8", "kappa": "1/0", "K": {}}', "\ufeff\x00\x01",
    '{"mx": "0.6", "mz": "0.8", "K": {"xx": ["1", "0"], "xy": ["1", "0"], "yx": ["1", "0"], '
    '"yy": ["1", "0"], "zx": ["1", "0"], "zy": ["1", "0"]}, "sigma": {"xx": "oo"}}',
    '{"mx": "0.6", "mz": "0.8", "K": {"xx": ["1", "0"], "xy": ["1", "0"], "yx": ["1", "0"], '
    '"yy": ["1", "0"], "zx": ["1", "0"], "zy": ["1", "0"]}, "sigma": {"xx": [], "xy": [1], "yx": [1], '
    '"yy": {}}}',
    '{"mx": "0.6", "mz": "0.8", "K": {"xx": true, "xy": 1, "yx": 1, "yy": 1, "zx": 1, "zy": 1}}',
    '{"mx": "0.6", "mz": "0.8", "K": {"xx": ["1", "0", "3"], "xy": 1, "yx": 1, "yy": 1, "zx": 1, '
    '"zy": 1}}',
])]


def _materialise(argv, tmp_path):
    """Write dict or ("raw", text) values of --from into files; return the argv of strings."""
    out = []
    for i, a in enumerate(argv):
        if isinstance(a, dict) or isinstance(a, tuple):
            p = tmp_path / f"in{i}.json"
            if isinstance(a, tuple):
                p.write_bytes(a[1].encode("utf-8", "surrogatepass"))
            else:
                p.write_text(json.dumps(a))
            out.append(str(p))
        else:
            out.append(a)
    return out


def _assert_refused(code, err, tmp_path):
    lines = err.strip().splitlines()
    assert code == 2, (code, err)
    assert "Traceback" not in err, err
    assert len(lines) == 1, err
    assert not (tmp_path / MARKER).exists(), "an injection probe created MARKER"


ALL = INJECTION_CASES + NUMBER_CASES + SIZE_CASES + TEXT_CASES + JSON_CASES


def test_enough_cases():
    assert len(ALL) >= 150, len(ALL)
    assert len(INJECTION_CASES) >= 100


@pytest.mark.parametrize("name,argv", ALL, ids=[c[0] for c in ALL])
def test_hostile_input_refused(name, argv, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("STREDA_CACHE", str(tmp_path / "cache"))
    argv = _materialise(argv, tmp_path)
    if argv[0] == "verify":
        argv += ["--out", str(tmp_path / "out")]
    code = main(argv)
    _assert_refused(code, capsys.readouterr().err, tmp_path)


# ----------------------------------------------------------------------------- output paths
def _path_cases(tmp_path):
    missing = str(tmp_path / "no" / "such" / "x.json")
    adir = str(tmp_path)
    existing = tmp_path / "exists.json"
    existing.write_text("{}")
    unwritable = "/proc/streda-x.json"
    cases = []
    for opt in ("--json", "--latex"):
        for target in (missing, adir, str(existing), unwritable):
            cases.append(["compare", "K0bare", opt, target])
    for target in (missing, adir, str(existing), unwritable):
        cases += [["pn", "--max-order", "1", "--json", target],
                  ["tensor", "K", "--mx-order", "0", "--json", target],
                  ["torques", "--json", target],
                  SKY + ["--json", target]]
    cases.append(SKY + ["--plot", str(tmp_path / "no" / "x.png")])
    afile = tmp_path / "afile"
    afile.write_text("x")
    report = tmp_path / "old"
    report.mkdir()
    (report / "results.json").write_text("{}")
    dd = tmp_path / "dd"
    dd.mkdir()
    (dd / "pn_1_0.dot").write_text("digraph {}")
    cases += [["verify", "--only", "pn_exact", "--out", str(afile)],
              ["verify", "--only", "pn_exact", "--out", str(tmp_path / "no" / "such")],
              ["verify", "--only", "pn_exact", "--out", str(report)],
              ["verify", "--only", "pn_exact", "--out", "/proc/streda-out"],
              ["verify", "--only", "pn_exact", "--out", str(tmp_path / "o2"), "--cache-dir", str(afile)],
              ["diagrams", "pn", "--format", "dot", "--out", str(afile)],
              ["diagrams", "pn", "--format", "dot", "--out", str(dd)],
              ["diagrams", "pn", "--format", "dot", "--out", str(tmp_path / "no" / "such")]]
    return cases, existing


def test_output_paths_refused_before_work(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    cases, existing = _path_cases(tmp_path)
    assert len(cases) >= 30
    for argv in cases:
        code = main(argv)
        err = capsys.readouterr().err
        assert code == 2 and len(err.strip().splitlines()) == 1 and "Traceback" not in err, (argv, err)
    assert existing.read_text() == "{}"                       # not overwritten
    assert not (tmp_path / "no").exists()


def test_force_overwrites_atomically(tmp_path, capsys):
    f = tmp_path / "out.json"
    f.write_text("old")
    assert main(["compare", "K0bare", "--json", str(f)]) == 2
    assert main(["compare", "K0bare", "--json", str(f), "--force"]) == 0
    assert json.loads(f.read_text())["command"] == "compare"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".streda-")]   # no temp left


def test_group_writable_cache_dir_refused(tmp_path, capsys):
    d = tmp_path / "cache"
    d.mkdir()
    os.chmod(d, 0o777)
    code = main(["verify", "--only", "diagram_counts", "--out", str(tmp_path / "o"), "--cache-dir", str(d)])
    err = capsys.readouterr().err
    assert code == 2 and "writable by group or others" in err and len(err.strip().splitlines()) == 1


# ----------------------------------------------------------------------------- subprocesses
SUBPROCESS_CASES = [
    ["pn", "--params", INJECTIONS[0]],
    ["pn", "--params", "eps=" + INJECTIONS[0]],
    _sky("--profile", INJECTIONS[0]),
    _sky("--helicity", INJECTIONS[1]),
    ["pn", "--params", "eps=10**10**10"],
    ["diagrams", "ladder", "--rungs", "1000000"],
]


@pytest.mark.parametrize("argv", SUBPROCESS_CASES, ids=range(len(SUBPROCESS_CASES)))
def test_hostile_input_subprocess(argv, tmp_path):
    r = subprocess.run([sys.executable, "-m", "streda.verify.cli", *argv], cwd=tmp_path,
                       capture_output=True, text=True, timeout=60)
    _assert_refused(r.returncode, r.stderr, tmp_path)


def test_torques_json_injection_subprocess(tmp_path):
    data = {"K": {ab: ["1", "0"] for ab in ("xx", "xy", "yx", "yy", "zx", "zy")},
            "mx": INJECTIONS[0], "mz": "0.8"}
    (tmp_path / "K.json").write_text(json.dumps(data))
    r = subprocess.run([sys.executable, "-m", "streda.verify.cli", "torques", "--from", "K.json"],
                       cwd=tmp_path, capture_output=True, text=True, timeout=60)
    _assert_refused(r.returncode, r.stderr, tmp_path)


# ----------------------------------------------------------------------------- no eval on user text
#: the functions that receive user text; none may call sympify / parse_expr / eval / exec
USER_TEXT_FUNCTIONS = {
    "integrals/model.py": ["_number", "parse_params"],
    "integrals/models.py": None,               # None: the whole module
    "integrals/expr.py": None,
    "verify/cli.py": None, "verify/limits.py": None, "verify/outputs.py": None,
    "verify/cmd_pn.py": None, "verify/cmd_verify.py": None, "verify/cmd_skyrmion.py": None,
    "verify/cmd_compare.py": None, "verify/cmd_diagrams.py": None,
    "verify/skyrmion.py": ["_read", "parse_number", "parse_assignments", "parse_profile",
                           "parse_coefficients", "parse_current"],
    "verify/torques.py": ["_num", "_complex", "K_from_json", "coefficients_from_json"],
    "verify/cmd_torques.py": ["_from_file"],
}
FORBIDDEN = {"sympify", "parse_expr", "eval", "exec", "S", "simplify_logic", "parse_latex"}


def test_no_eval_on_user_text():
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    for rel, funcs in USER_TEXT_FUNCTIONS.items():
        tree = ast.parse((root / rel).read_text())
        scopes = [tree] if funcs is None else [
            n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef) and n.name in funcs]
        assert funcs is None or len(scopes) == len(funcs), (rel, funcs)
        for scope in scopes:
            for node in ast.walk(scope):
                if isinstance(node, ast.Call):
                    f = node.func
                    name = f.attr if isinstance(f, ast.Attribute) else getattr(f, "id", "")
                    assert name not in FORBIDDEN, f"{rel}:{node.lineno} calls {name}"
