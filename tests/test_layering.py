"""Design card: data flow model → diagrams → integrals → verify; ``integrals`` never imports
``diagrams`` or ``verify``, not even inside a function, and ``diagrams`` never imports ``verify``.

Every import statement of every module (module level and nested) is read with ``ast``; the
control shows the scanner sees a nested import.
"""
from __future__ import annotations

import ast
import pathlib
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
FORBIDDEN = {"integrals": ("streda.diagrams", "streda.verify"), "diagrams": ("streda.verify",)}


def imported_modules(source: str, package: str) -> set[str]:
    """Absolute names of every module imported anywhere in ``source`` (a module of ``package``)."""
    out = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:      # relative: ..x from streda.<package>.<module>
                base = ["streda", package][: max(0, 3 - node.level)]
                out.add(".".join(base + ([node.module] if node.module else [])))
            else:
                out.add(node.module or "")
    return out


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_no_upward_imports(package):
    bad = []
    for path in sorted((ROOT / package).rglob("*.py")):
        mods = imported_modules(path.read_text(encoding="utf-8"), package)
        bad += [f"{path.relative_to(ROOT)} imports {m}" for m in mods
                if m.startswith(FORBIDDEN[package])]
    assert not bad, "; ".join(bad)


def test_control_nested_import_is_seen():
    src = "def f():\n    from streda.diagrams import bare_bubbles\n    from ..verify import x\n"
    mods = imported_modules(src, "integrals")
    assert "streda.diagrams" in mods and "streda.verify" in mods


def test_public_tensor_loads_neither_diagrams_nor_verify():
    code = ("import sys; from streda.integrals import tensor; "
            "tensor('K', params='eps=1,gamma=1/10,Delta=3/10,Mz=2/5', mx_order=1, dps=15); "
            "tensor('sigma', params='eps=1,gamma=1/10,Delta=3/10,Mz=2/5', mx_order=1, dps=15, dressing='ladder'); "
            "print(sorted({m.split('.')[1] for m in sys.modules if m.startswith('streda.')}))")
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True,
                         timeout=600).stdout
    assert out.strip() == "['integrals']"
