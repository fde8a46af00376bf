"""Tests of the ``streda`` command line for the verification layer: ``pn``, ``tensor``,
``compare`` (``streda.verify.cli``, ``cmd_pn``, ``cmd_tensor``, ``cmd_compare``).

Bad input must end with exactly one line on stderr and exit status 2, never a traceback.
Exit statuses of ``pn``: 0 when every order (or the all-orders certificate) comes out as
expected -- including the negative controls, whose expected outcome is a refusal or a
non-zero order -- and 1 when something does not.  Values written to JSON are checked
against closed forms derived independently (P^(0) = ±√(Δm)/2γ σ, see ``test_pn.py``;
dressed K^(0)_yx = e√(Δm)/(4πγ), Eq. C7).
"""
from __future__ import annotations

import json
import shutil
import subprocess
import sys

import mpmath
import pytest

from streda.verify import allorders, pn
from streda.verify.cli import main

DEFAULT = "eps=1,gamma=1/10,Delta=3/10,Mz=2/5"


def run(argv, capsys):
    """main(argv) in-process: (status, stdout, stderr); a raised exception is a traceback."""
    try:
        status = main(list(argv))
    except SystemExit as exc:            # argparse --help/--version only
        status = exc.code
    except Exception as exc:              # noqa: BLE001 - this is what the user would see
        pytest.fail(f"streda {' '.join(argv)} raised {type(exc).__name__}: {exc} (a traceback)")
    out, err = capsys.readouterr()
    return status, out, err


# --------------------------------------------------------------------------- bad input

BAD = {
    "max-order -1": ["pn", "--max-order", "-1"],
    "dps 0": ["pn", "--dps", "0"],
    "gamma=0": ["pn", "--params", "gamma=0"],
    "gamma=-1": ["pn", "--params", "gamma=-1"],
    "unknown name": ["pn", "--params", "beta=2"],
    "below E*": ["pn", "--params", "eps=0.1,Mz=0.5"],
    "unknown equation": ["compare", "C9x"],
    "mx-order -1": ["tensor", "K", "--mx-order", "-1"],
    "jobs 0": ["pn", "--jobs", "0"],
    "not an int": ["pn", "--max-order", "x"],
    "tensor params gamma=0": ["tensor", "K", "--params", "gamma=0"],
    "tensor dps 0": ["tensor", "sigma", "--params", DEFAULT, "--dps", "0"],
    "gamma-order -1": ["tensor", "K", "--gamma-order", "-1"],
    "quad order 9": ["pn", "--method", "quad", "--max-order", "9"],
    "parameter twice": ["pn", "--params", "eps=1,eps=2"],
}


@pytest.mark.parametrize("argv", BAD.values(), ids=BAD.keys())
def test_bad_input_one_line_exit_2(argv, capsys):
    status, out, err = run(argv, capsys)
    assert status == 2
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("streda: error: ") and "Traceback" not in err


def test_bad_input_messages_say_what_is_wrong(capsys):
    assert "unknown parameter 'beta'" in run(BAD["unknown name"], capsys)[2]
    assert "E*" in run(BAD["below E*"], capsys)[2]
    err = run(BAD["unknown equation"], capsys)[2]
    assert "'C9x'" in err and "15a" in err
    assert "--jobs: 0 is below the minimum 1" in run(BAD["jobs 0"], capsys)[2]


@pytest.mark.parametrize("dps", ["3", "2000"])
def test_quad_dps_out_of_range_is_a_usage_error(dps, capsys):
    """Regression: --method quad with --dps outside 5..1000 let QuadratureError escape main()
    as a traceback (exit 1) before main() caught every ValueError."""
    status, out, err = run(["pn", "--method", "quad", "--max-order", "0", "--dps", dps], capsys)
    assert status == 2 and len(err.strip().splitlines()) == 1


def test_tiny_gamma_numeric_no_traceback(capsys):
    """Regression: γ = 1e-40 is a valid point; with the old id(B)-keyed product cache the
    precision loop of pn_numeric re-read stale low-precision products and raised RuntimeError
    (a traceback)."""
    status, out, err = run(["pn", "--method", "numeric", "--max-order", "1",
                            "--params", "gamma=1e-40"], capsys)
    assert status == 0 and "all orders as expected" in out


def test_real_entry_point_bad_input_no_traceback():
    proc = subprocess.run([sys.executable, "-m", "streda.verify.cli", "pn", "--params", "gamma=0"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr


# --------------------------------------------------------------------------- pn JSON

RECORD_KEYS = {"order", "component", "method", "is_zero", "max_abs", "value", "seconds"}


def test_pn_json_exact(tmp_path, capsys):
    f = tmp_path / "pn.json"
    status, out, _ = run(["pn", "--max-order", "3", "--json", str(f)], capsys)
    assert status == 0 and "all orders as expected" in out
    data = json.loads(f.read_text())
    recs = data["records"]
    assert data["all_as_expected"] is True and data["method"] == "exact"
    assert sorted((r["order"], r["component"]) for r in recs) == [(n, c) for n in range(4) for c in "xy"]
    assert all(RECORD_KEYS <= set(r) for r in recs)
    assert all(r["is_zero"] == (r["order"] >= 1) for r in recs)
    assert all(r["max_abs"] == "0" and r["value"] is None for r in recs if r["order"] >= 1)


def test_pn_json_numeric_values(tmp_path, capsys):
    f = tmp_path / "pn.json"
    status, _, _ = run(["pn", "--max-order", "3", "--method", "numeric", "--json", str(f),
                        "--params", "eps=3/2,gamma=1/4,Delta=1/2,Mz=-1/3,m=2"], capsys)
    assert status == 0
    recs = json.loads(f.read_text())["records"]
    assert len(recs) == 8 and all(RECORD_KEYS <= set(r) for r in recs)
    for r in recs:
        assert set(r["value"]) == {"0", "x", "y", "z"}
        assert all(isinstance(v, list) and len(v) == 2 and all(isinstance(s, str) for s in v)
                   for v in r["value"].values())
    p0x = next(r for r in recs if r["order"] == 0 and r["component"] == "x")
    with mpmath.workdps(60):
        want = mpmath.sqrt(mpmath.mpf("0.5") * 2) / (2 * mpmath.mpf("0.25"))      # √(Δm)/2γ
        assert abs(mpmath.mpf(p0x["value"]["y"][0]) - want) < mpmath.mpf(10) ** -45
        assert abs(mpmath.mpf(p0x["value"]["x"][0])) < mpmath.mpf(10) ** -45


def test_pn_json_to_stdout_is_clean(capsys):
    status, out, err = run(["pn", "--max-order", "1", "--json", "-"], capsys)
    assert status == 0
    data = json.loads(out)                     # the table went to stderr
    assert len(data["records"]) == 4 and "all orders as expected" in err


def test_pn_controls_exit_0(capsys):
    status, out, _ = run(["pn", "--max-order", "2", "--vertex", "bare"], capsys)
    assert status == 0 and "non-zero" in out and "UNEXPECTED" not in out
    status, out, _ = run(["pn", "--max-order", "2", "--params", DEFAULT + ",gamma_z=1/20"], capsys)
    assert status == 0 and "all orders as expected" in out


def test_pn_exit_1_when_an_order_is_not_as_expected(monkeypatch, capsys):
    """A P^(n) that fails to vanish (simulated: the record of order 2, x is doctored) → exit 1."""
    real = pn.pn_exact

    def doctored(order, component, *a, **k):
        rec = real(order, component, *a, **k)
        if order == 2 and component == "x":
            rec.is_zero, rec.max_abs = False, "0.5"
        return rec

    monkeypatch.setattr(pn, "pn_exact", doctored)
    status, out, _ = run(["pn", "--max-order", "3"], capsys)
    assert status == 1 and "SOME ORDERS NOT AS EXPECTED" in out and "UNEXPECTED" in out


def test_pn_exit_1_when_a_control_vanishes(monkeypatch, capsys):
    real = pn.pn_exact

    def doctored(order, component, *a, **k):
        rec = real(order, component, *a, **k)
        if order == 1:
            rec.is_zero = True
        return rec

    monkeypatch.setattr(pn, "pn_exact", doctored)
    status, out, _ = run(["pn", "--max-order", "2", "--vertex", "bare"], capsys)
    assert status == 1 and "SOME ORDERS NOT AS EXPECTED" in out


# --------------------------------------------------------------------------- pn --all-orders

def test_all_orders_json(tmp_path, capsys):
    f = tmp_path / "cert.json"
    status, out, _ = run(["pn", "--all-orders", "--json", str(f)], capsys)
    assert status == 0 and out.count("[ok]") == 6 and "CERTIFIED" in out
    data = json.loads(f.read_text())
    assert data["certified"] is True and len(data["steps"]) == 6
    assert all(s["claim"] and s["checked_by"] and s["passed"] for s in data["steps"])


@pytest.mark.parametrize("argv,failing", [(["--vertex", "bare"], 1),
                                          (["--params", DEFAULT + ",gamma_z=1/20"], 2)])
def test_all_orders_refusal_for_controls_is_exit_0(argv, failing, tmp_path, capsys):
    f = tmp_path / "cert.json"
    status, out, _ = run(["pn", "--all-orders", "--json", str(f), *argv], capsys)
    assert status == 0 and "CERTIFIED" not in out and f"step {failing}: [FAILS]" in out
    assert json.loads(f.read_text())["certified"] is False


@pytest.mark.parametrize("vertex,certified", [("p", False), ("bare", True)])
def test_all_orders_unexpected_verdict_is_exit_1(vertex, certified, monkeypatch, capsys):
    def fake(vertex="p", gamma_z=False, **_):
        return allorders.Certificate(certified=certified, vertex=vertex, gamma_z=gamma_z,
                                     conclusion="simulated")

    monkeypatch.setattr(allorders, "all_orders_certificate", fake)
    status, _, _ = run(["pn", "--all-orders", "--vertex", vertex], capsys)
    assert status == 1


# --------------------------------------------------------------------------- tensor, compare

def test_tensor_ladder_json_is_C7(tmp_path, capsys):
    f = tmp_path / "K.json"
    status, out, _ = run(["tensor", "K", "--dressing", "ladder", "--mx-order", "1", "--dps", "40",
                          "--params", "eps=3/2,gamma=1/4,Delta=1/2,Mz=-1/3,m=2,e=3", "--json", str(f)],
                         capsys)
    assert status == 0
    orders = json.loads(f.read_text())["orders"]
    with mpmath.workdps(50):
        want = 3 * mpmath.sqrt(mpmath.mpf("0.5") * 2) / (4 * mpmath.pi * mpmath.mpf("0.25"))
        assert abs(mpmath.mpf(orders["0"]["yx"][0]) - want) < mpmath.mpf(10) ** -35
        assert abs(mpmath.mpf(orders["0"]["xy"][0]) + want) < mpmath.mpf(10) ** -35
    assert all(v == ["0", "0"] for v in orders["1"].values())        # Eq. (16): no M_x dependence


def test_tensor_bare_json_has_Mx_dependence(tmp_path, capsys):
    """Control for the previous test: the bare K^(1)_zy is non-zero (Eq. C8a)."""
    f = tmp_path / "K.json"
    status, _, _ = run(["tensor", "K", "--mx-order", "1", "--params", DEFAULT, "--json", str(f)], capsys)
    assert status == 0
    assert json.loads(f.read_text())["orders"]["1"]["zy"][0] != "0"


@pytest.mark.parametrize("gamma,dps", [("1e-20", "10"), ("1e-100", "30")])
def test_tensor_unresolved_balls_are_not_printed_as_zero(gamma, dps, tmp_path, capsys):
    """BUG (verify/cmd_tensor.py: numeric_tensor works at a fixed dps + 15 digits and run()
    writes a ball that contains 0 as "0"): at γ = 1e-20, --dps 10, the bare K^(1)_zy
    ≈ 4.83e17 (C8a: e α m M_z³ τ/(2π(M_z²+2εΔ)²), τ = 1/2γ) comes out "0" with exit 0; at
    γ = 1e-100 every entry of K is printed "0".  Expected: raise the working precision until
    the balls are resolved, or refuse on one line (exit 2)."""
    point = f"eps=1,gamma={gamma},Delta=3/10,Mz=2/5"
    f = tmp_path / "K.json"
    status, out, err = run(["tensor", "K", "--mx-order", "1", "--dps", dps, "--params", point,
                            "--json", str(f)], capsys)
    if status == 2:
        assert len(err.strip().splitlines()) == 1
        return
    assert status == 0
    got = json.loads(f.read_text())["orders"]["1"]["zy"][0]
    with mpmath.workdps(40):
        tau = 1 / (2 * mpmath.mpf(gamma))
        D = mpmath.mpf("0.16") + 2 * mpmath.mpf("0.3")
        c8a = mpmath.sqrt(mpmath.mpf("0.3")) * mpmath.mpf("0.4") ** 3 * tau / (2 * mpmath.pi * D ** 2)
        assert got != "0" and abs(mpmath.mpf(got) - c8a) < mpmath.mpf(10) ** (1 - int(dps)) * c8a


def test_compare_json_summary(tmp_path, capsys):
    f = tmp_path / "c.json"
    status, out, _ = run(["compare", "K0bare", "C8a", "--json", str(f)], capsys)
    assert status == 0 and "summary:" in out
    data = json.loads(f.read_text())
    statuses = {r["status"] for r in data["records"]}
    assert statuses == {"agrees"} and data["summary"]["agrees"] == len(data["records"]) == 24


@pytest.mark.latex
@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="pdflatex not on PATH")
def test_compare_latex_compiles(tmp_path, capsys):
    from streda.verify.latex import compile_pdf

    tex = tmp_path / "f.tex"
    status, _, _ = run(["compare", "K0bare", "--latex", str(tex)], capsys)
    assert status == 0 and tex.is_file()
    pdf = compile_pdf(tex)
    assert pdf.read_bytes()[:5] == b"%PDF-"
