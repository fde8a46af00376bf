"""Shared fixtures: one small ``streda verify --quick`` run for the report tests."""
from __future__ import annotations

import contextlib
import io
import json

import pytest

#: checks that exercise every part of the report: a certificate, the P^(n) table, a wrong print
#: (C8b), sign flips (C4), agreeing 0 = 0 rows (16), a generic table (diagram_counts)
REPORT_CHECKS = "pn_exact,pn_numeric,pn_all_orders,diagram_counts,compare_C8b,compare_C4,compare_16"


@pytest.fixture(scope="session")
def quick_report(tmp_path_factory):
    """(output folder, exit status, stdout) of ``streda verify --quick --only ... --no-pdf``."""
    from streda.verify.cli import main

    out = tmp_path_factory.mktemp("report")
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        status = main(["verify", "--quick", "--no-cache", "--no-pdf", "--only", REPORT_CHECKS,
                       "--out", str(out)])
    return out, status, buf.getvalue()


@pytest.fixture(scope="session")
def quick_results(quick_report):
    """The checks of :func:`quick_report` with their timings, as ``build_report`` takes them."""
    out = quick_report[0]
    data = json.loads((out / "results.json").read_text())
    timings = json.loads((out / "timings.json").read_text())
    return out, data, [dict(c, timings=timings[c["name"]]) for c in data["checks"]]
