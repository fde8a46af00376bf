"""Design card: importing a module never registers anything as a side effect.

The registries (printed equations, verify checks) are complete literals; importing every
module of the three packages must leave them unchanged.  The control shows the probe can
fail: a registry mutated during the imports is detected.
"""
from __future__ import annotations

import subprocess
import sys

_PROBE = r"""
import importlib, pkgutil, sys
import streda.verify.equations as E, streda.verify.checks as C
before = (tuple(E.EQUATIONS), tuple(E.TITLES), tuple(C.CHECKS))
MUTATE = {mutate}
if MUTATE:
    E.EQUATIONS["__control__"] = None
for pkg in ("streda.diagrams", "streda.integrals", "streda.verify"):
    mod = importlib.import_module(pkg)
    for info in pkgutil.walk_packages(mod.__path__, pkg + "."):
        importlib.import_module(info.name)
after = (tuple(E.EQUATIONS), tuple(E.TITLES), tuple(C.CHECKS))
sys.exit(0 if before == after else 1)
"""


def _run(mutate: bool) -> int:
    return subprocess.run([sys.executable, "-c", _PROBE.format(mutate=mutate)], timeout=300).returncode


def test_importing_every_module_registers_nothing():
    assert _run(False) == 0


def test_control_a_registration_is_detected():
    assert _run(True) == 1
