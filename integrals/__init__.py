"""How to compute: residues, exact angle averages, ladders, quadrature (streda.integrals).

The public API is loaded lazily, so ``import streda.integrals`` stays cheap and has no
side effects: ``from streda.integrals import tensor`` imports :mod:`streda.integrals.api`
on first use.
"""
from __future__ import annotations

__all__ = ["tensor", "TensorResult", "get_model", "Model", "ModelPoint", "Disorder", "ModelError"]

_LAZY = {"tensor": "api", "TensorResult": "api", "get_model": "models", "Model": "models",
         "ModelPoint": "models", "Disorder": "disorder", "ModelError": "model"}


def __getattr__(name: str):
    mod = _LAZY.get(name)
    if mod is None:
        raise AttributeError(f"module 'streda.integrals' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(f"{__name__}.{mod}"), name)


def __dir__():
    return sorted(set(globals()) | set(__all__))
