"""docs/tutorial.ipynb is executed: its code cells run in order in one namespace and their
asserts must hold (our own notebook; a small runner instead of nbclient)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

NOTEBOOK = Path(__file__).resolve().parent.parent / "docs" / "tutorial.ipynb"


def code_cells(path: Path) -> list[str]:
    nb = json.loads(path.read_text(encoding="utf-8"))
    assert nb["nbformat"] == 4
    return ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]


def run_notebook(path: Path) -> dict:
    ns: dict = {"__name__": "__tutorial__"}
    for i, src in enumerate(code_cells(path)):
        exec(compile(src, f"{path.name}[cell {i}]", "exec"), ns)   # noqa: S102 - our own notebook
    return ns


def test_tutorial_runs():
    ns = run_notebook(NOTEBOOK)
    assert "dressed" in ns and "kd" in ns


def test_runner_catches_a_failing_cell(tmp_path):
    """Control: a notebook whose assert fails makes the runner fail."""
    bad = tmp_path / "bad.ipynb"
    bad.write_text(json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {},
                               "cells": [{"cell_type": "code", "source": ["assert 1 == 2"], "metadata": {},
                                          "outputs": [], "execution_count": None}]}))
    with pytest.raises(AssertionError):
        run_notebook(bad)
