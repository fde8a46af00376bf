"""Every docstring example of every streda module runs as a test (as python-flint's test_docstrings.py).

Modules are discovered with :func:`pkgutil.walk_packages` on the installed
``streda.diagrams``, ``streda.integrals`` and ``streda.verify`` packages, so a new
module is picked up without editing this file; one parametrized test per module.
A module that cannot be imported fails its test.  FLINT's and mpmath's global
precisions are restored after each module (a doctest that changes them must not
leak into the next).
"""
from __future__ import annotations

import doctest
import importlib
import pkgutil

import flint
import mpmath
import pytest

PACKAGES = ("streda.diagrams", "streda.integrals", "streda.verify")


def discover() -> list[str]:
    names = []
    for pkg_name in PACKAGES:
        pkg = importlib.import_module(pkg_name)
        names.append(pkg_name)
        for info in pkgutil.walk_packages(pkg.__path__, prefix=pkg_name + "."):
            names.append(info.name)
    return sorted(set(names))


MODULES = discover()


def test_discovery_finds_the_engine():
    """Negative control for the discovery itself: the modules this suite relies on are found."""
    for name in ("streda.integrals.bubble", "streda.integrals.exact", "streda.integrals.pauli",
                 "streda.verify.compare", "streda.verify.printed"):
        assert name in MODULES


@pytest.mark.parametrize("name", MODULES)
def test_module_doctests(name):
    module = importlib.import_module(name)
    prec, mp_prec = flint.ctx.prec, mpmath.mp.prec
    try:
        result = doctest.testmod(module, optionflags=doctest.ELLIPSIS, verbose=False, report=True)
    finally:
        flint.ctx.prec, mpmath.mp.prec = prec, mp_prec
    assert result.failed == 0, f"{result.failed} of {result.attempted} doctest examples failed in {name}"


def test_a_failing_example_is_reported():
    """Negative control: doctest.testmod on a module with a wrong example reports the failure."""
    import types

    mod = types.ModuleType("streda_fake_doctest_module")
    mod.__doc__ = ">>> 1 + 1\n3\n"
    result = doctest.testmod(mod, report=False)
    assert result.failed == 1 and result.attempted == 1
