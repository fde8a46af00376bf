"""Run the doctests of every streda.diagrams module."""
import doctest
import importlib
import pkgutil

import pytest

import streda.diagrams as pkg

MODULES = ["streda.diagrams"] + [f"streda.diagrams.{m.name}"
                                 for m in pkgutil.iter_modules(pkg.__path__)]


@pytest.mark.parametrize("name", MODULES)
def test_doctests(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
    assert result.attempted > 0  # every module documents itself by example
