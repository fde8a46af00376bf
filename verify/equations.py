"""Registry of the printed equations streda can regenerate and judge.

Each name maps to a function returning a list of
:class:`~streda.verify.compare.Comparison` records.  ``streda compare`` and
``streda verify`` read this table; unknown names are refused with the list of
known ones.

>>> "15a" in EQUATIONS and "C8b" in EQUATIONS and "17" in EQUATIONS
True
"""
from __future__ import annotations

from typing import Callable

__all__ = ["EQUATIONS", "TITLES", "compare_equations", "UnknownEquationName"]


class UnknownEquationName(KeyError):
    def __str__(self) -> str:
        return str(self.args[0])


def _bare(name: str) -> Callable:
    def run():
        from .tensors import compare_bare

        return compare_bare(name)
    return run


def _dressed(name: str) -> Callable:
    def run():
        from .dressed import compare_dressed

        return compare_dressed(name)
    return run


#: equation name -> callable producing comparisons
EQUATIONS: dict[str, Callable] = {
    "15a": _bare("15a"),
    "15b": _bare("15b"),
    "K0bare": _bare("K0bare"),
    "C8a": _bare("C8a"),
    "C8b": _bare("C8b"),
    "C4": _dressed("C4"),
    "C6": _dressed("C6"),
    "C7": _dressed("C7"),
    "16": _dressed("16"),
    "17": _dressed("17"),
}

#: table captions (LaTeX)
TITLES = {
    "15a": r"Eq.~(15a): bare spin susceptibility $\hat K^{\rm bare}$, coefficients of $M_x^k\tau^j$",
    "15b": r"Eq.~(15b): bare conductivity $\hat\sigma^{\rm bare}$, coefficients of $M_x^k\tau^j$",
    "K0bare": r"Bare $\hat K^{{\rm bare},(0)}$ at $M_x = 0$ (after Eq.~C7)",
    "C8a": r"Eq.~(C8a): $\hat K^{{\rm bare},(1)}$",
    "C8b": r"Eq.~(C8b): $\hat K^{{\rm bare},(2)}$",
    "C4": r"Eq.~(C4): ladder integrals $\alpha_d\int G^A X G^R$",
    "C6": r"Eq.~(C6): vertex corrections",
    "C7": r"Eq.~(C7): dressed $\hat K^{(0)}$ at $M_x = 0$",
    "16": r"Eq.~(16): dressed $\hat K$ and $\hat\sigma$, all orders in $M$",
    "17": r"Eq.~(17): $\hat K_J = \hat K\hat\sigma^{-1}$ and $a_J$",
}


def compare_equations(names=None) -> dict[str, list]:
    """{name: [Comparison, ...]} for the requested names (all by default)."""
    names = list(names) if names else list(EQUATIONS)
    for n in names:
        if n not in EQUATIONS:
            raise UnknownEquationName(f"unknown equation {n!r}; known: {', '.join(EQUATIONS)}")
    return {n: EQUATIONS[n]() for n in names}
