"""`streda verify`: cache integrity, reproducible JSON, exit statuses."""
from __future__ import annotations

import json

import pytest

from streda.verify import checks as C
from streda.verify.cache import Cache
from streda.verify.cli import main


def test_cache_roundtrip_and_corruption(tmp_path):
    c = Cache(tmp_path)
    key = {"check": "x", "n": 1}
    c.put(key, {"v": [1, 2, 3]})
    assert c.get(key) == {"v": [1, 2, 3]}
    # a tampered value with the old checksum is detected (negative control for the checksum)
    p = c.path(key)
    entry = json.loads(p.read_text())
    entry["value"]["v"][0] = 99
    p.write_text(json.dumps(entry))
    assert c.get(key) is None and c.stats["corrupt"] == 1
    assert not p.exists()                       # removed, so it is recomputed next time
    # a partial (truncated) file is detected
    c.put(key, {"v": 1})
    p.write_text(p.read_text()[:10])
    assert c.get(key) is None and c.stats["corrupt"] == 2
    # an entry stored under another key (hash collision simulated by copying) is refused
    c.put({"other": 1}, {"v": 2})
    c.path({"other": 1}).replace(c.path(key))
    assert c.get(key) is None


def _run(tmp_path, *extra):
    return main(["verify", "--quick", "--force", "--out", str(tmp_path / "out"), "--cache-dir", str(tmp_path / "cache"),
                 "--only", "pn_exact,diagram_counts,dressed_orders", "--no-pdf", *extra])


def test_verify_reproducible_and_cached(tmp_path, capsys):
    assert _run(tmp_path) == 0
    first = (tmp_path / "out" / "results.json").read_bytes()
    out1 = capsys.readouterr().out
    assert "pass" in out1 and "cached" not in out1
    assert _run(tmp_path) == 0
    out2 = capsys.readouterr().out
    assert "cached" in out2
    assert (tmp_path / "out" / "results.json").read_bytes() == first      # byte-identical
    data = json.loads(first)
    assert {c["name"] for c in data["checks"]} == {"pn_exact", "diagram_counts", "dressed_orders"}
    assert "streda" in data["streda_versions"] and data["parameters"]["gamma"] == "1/10"
    assert all("seconds" not in json.dumps(c) for c in data["checks"])     # timings kept apart
    timings = json.loads((tmp_path / "out" / "timings.json").read_text())
    assert timings["pn_exact"]["cached"] is True
    # --no-cache recomputes and gives the same results
    assert _run(tmp_path, "--no-cache") == 0
    assert (tmp_path / "out" / "results.json").read_bytes() == first
    assert (tmp_path / "out" / "report.tex").exists()


def test_verify_exit_1_when_a_check_fails(tmp_path, monkeypatch, capsys):
    def broken(settings):
        return {"status": "fail", "figure": "deliberately failing check", "records": []}

    checks = [C.Check("pn_exact", "P", broken)] + [c for c in C.CHECKS if c.name != "pn_exact"]
    monkeypatch.setattr(C, "CHECKS", checks)
    code = main(["verify", "--quick", "--out", str(tmp_path / "o"), "--no-cache", "--only", "pn_exact",
                 "--no-pdf"])
    assert code == 1
    assert "FAILED: pn_exact" in capsys.readouterr().out


@pytest.mark.parametrize("args, message", [
    (["--max-order", "-1"], "--max-order: -1 is below the minimum 0"),
    (["--only", "nonsense"], "unknown check"),
    (["--params", "gamma=0"], "gamma must be > 0"),
    (["--jobs", "0"], "--jobs: 0 is below the minimum 1"),
])
def test_verify_bad_input(tmp_path, capsys, args, message):
    assert main(["verify", "--out", str(tmp_path / "o"), *args]) == 2
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1


@pytest.mark.latex
def test_verify_report_pdf_compiles(tmp_path):
    """report.pdf is produced by the run itself: tables, diagrams (TikZ-Feynman), cost plot."""
    import shutil

    if shutil.which("pdflatex") is None:
        pytest.skip("pdflatex not installed")
    out = tmp_path / "rep"
    code = main(["verify", "--quick", "--out", str(out), "--no-cache",
                 "--only", "pn_exact,compare_C8a,diagram_counts"])
    assert code == 0
    pdf = out / "report.pdf"
    assert pdf.exists() and pdf.read_bytes()[:4] == b"%PDF"
    tex = (out / "report.tex").read_text()
    assert "tikzpicture" in tex and "pn_cost.pdf" in tex and "longtable" in tex
    assert (out / "pn_cost.pdf").exists()
    if shutil.which("dot"):
        assert (out / "diagrams" / "fig2a.svg").exists()


def test_verify_quick_every_check(tmp_path, capsys):
    """The main job in its quick form: every check passes or (comparisons) runs."""
    code = main(["verify", "--quick", "--out", str(tmp_path / "q"), "--no-cache", "--no-pdf"])
    out = capsys.readouterr().out
    assert code == 0, out
    data = json.loads((tmp_path / "q" / "results.json").read_text())
    names = {c["name"] for c in data["checks"]}
    assert {c.name for c in C.CHECKS} == names
    assert all(c["status"] in ("pass", "ran") for c in data["checks"])
    # the comparisons did find disagreements with the paper: a hollow run would not
    assert any("differ" in c["figure"] and not c["figure"].startswith("0 differ") and " 0 differ" not in c["figure"]
               for c in data["checks"] if c.get("comparison"))
