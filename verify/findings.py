"""The findings of a ``streda verify`` run: every printed formula the engine regenerates
differently, grouped as ``docs/findings.md`` does, in the paper's own variables.

Both reports (``report.html`` via :mod:`streda.verify.html`, ``report.pdf`` via
:mod:`streda.verify.report`) put these first.  A group is chosen from the equation
label (:data:`GROUPS`); the tensor coefficients of M_x^k are rewritten in the
variables of Eq. (15) -- Δ_S = √(M_z² + 2εΔ), μ_z = M_z/Δ_S, μ_x = M_x/Δ_S -- by
:func:`streda.verify.tensors.to_paper_variables`, printed and regenerated alike, so
that they stand side by side as in the paper.

>>> group_of({"equation": "C8b", "status": "differs", "reason": "wrong print: dimensionally ..."})
'c8b'
>>> group_of({"equation": "20 (same coefficients)", "status": "differs", "reason": ""})
'dresselhaus'
"""
from __future__ import annotations

from dataclasses import dataclass, field

import sympy

from .compare import AGREES, DIFFERS, NOT_COMPARABLE

__all__ = ["GROUPS", "Finding", "group_of", "collect", "is_trivial_zero", "paper_form", "relation",
           "entry_where", "counts", "digest"]

#: (key, title, what the group is) in the order of the findings page
GROUPS = (
    ("main_vs_c", "Main text against Appendix C",
     "Coefficients of Eqs. (15a), (16), (17) that the main text prints with another sign or factor "
     "than Appendix C; the engine sides with Appendix C."),
    ("appendix_signs", "Sign flips inside Appendix C",
     "Disorder integrals of Eq. (C4), and Eq. (C6) obtained from them, printed with the opposite sign."),
    ("c8b", "The C8b typo",
     "A print that is dimensionally inconsistent: a wrong print, with the regenerated coefficient."),
    ("torques", "Torque formulas",
     "The torque coefficients of Eqs. (7), (12), (B2), (B3), (25) solved from T = κ s × m."),
    ("dresselhaus", "Dresselhaus sign", "The mapping of the Rashba results to the Dresselhaus model, "
     "Eqs. (18)-(20), (27)."),
    ("skyrmion", "The Q = +1 condition of the skyrmion analysis",
     "Thiele equation (21)-(28) and the statements of Sec. IV.C."),
    ("other", "Further differences", "Differing entries of other equations."),
)
_TENSOR_EQS = {"15a", "15b", "K0bare", "C8a", "C8b", "C4", "C6", "C7", "16", "17"}


def _base(eq: str) -> str:
    return str(eq).split(" (")[0].split(" with")[0].split(" vs")[0].strip()


def group_of(rec: dict) -> str:
    """The key of :data:`GROUPS` a differing record belongs to."""
    eq, base = str(rec.get("equation", "")), _base(rec.get("equation", ""))
    if str(rec.get("reason", "")).startswith("wrong print") or rec.get("extra", {}).get("dimension"):
        return "c8b"
    if base in ("15a", "15b", "16", "17"):
        return "main_vs_c"
    if base in ("C4", "C6", "C7", "C8a", "C8b", "K0bare"):
        return "appendix_signs"
    if base in ("18", "19", "20", "27"):
        return "dresselhaus"
    if base in ("21", "22", "23", "24", "26", "28", "IV.C") or eq.startswith("IV"):
        return "skyrmion"
    if base in ("7", "10", "11", "12", "14", "25", "B1", "B2", "B3"):
        return "torques"
    return "other"


def is_trivial_zero(rec: dict) -> bool:
    """An agreeing entry whose printed and regenerated values are both 0."""
    return rec.get("status") == AGREES and str(rec.get("computed", "")).strip() in ("0", "") and \
        str(rec.get("printed", "")).strip() in ("0", "")


def entry_where(rec: dict) -> str:
    """Plain-text position of an entry, e.g. ``[x, y]``."""
    where = [str(x) for x in (rec.get("row"), rec.get("column")) if x is not None]
    return "[" + ", ".join(where) + "]" if where else ""


def _read(text):
    from .latex import to_sympy

    try:
        return to_sympy(str(text))
    except ValueError:
        return None


def paper_form(rec: dict, which: str):
    """The computed or printed side as a sympy expression in the paper's variables
    (tensor coefficients) or factored (everything else); None when it does not parse."""
    e = _read(rec.get(which, ""))
    if e is None:
        return None
    if _base(rec.get("equation", "")) in _TENSOR_EQS and rec.get("mx_order") is not None and e != 0:
        from .tensors import to_paper_variables

        try:
            return to_paper_variables(e, int(rec["mx_order"]))
        except Exception:  # a form the substitution cannot simplify: keep the expression
            return e
    try:
        return sympy.factor(e) if e.free_symbols else e
    except Exception:
        return e


def relation(computed, printed):
    """c when computed = c × printed for a rational constant c ≠ 1 (exact), else None.

    >>> x = sympy.Symbol("x")
    >>> relation(-x/2, x), relation(x**2, x)
    (-1/2, None)
    """
    if computed is None or printed is None or printed == 0 or computed == 0:
        return None
    try:
        c = sympy.simplify(sympy.cancel(computed / printed))
    except Exception:
        return None
    return c if c.is_Rational and c != 1 else None


@dataclass
class Finding:
    """One differing entry: where, both sides in the paper's variables, why."""

    record: dict
    check: str
    computed: object = None
    printed: object = None
    relation: object = None
    extra: dict = field(default_factory=dict)

    @property
    def label(self) -> str:
        return f"Eq. ({self.record.get('equation')}) {entry_where(self.record)}".strip()


def collect(results: list) -> list[tuple[tuple, list[Finding]]]:
    """[((key, title, blurb), [Finding, ...])] for the non-empty groups, in :data:`GROUPS` order."""
    by: dict = {g[0]: [] for g in GROUPS}
    seen = set()
    for check in results:
        if not check.get("comparison"):
            continue
        for rec in check.get("records", []):
            if rec.get("status") != DIFFERS:
                continue
            key = (rec.get("equation"), rec.get("row"), rec.get("column"), rec.get("mx_order"),
                   rec.get("tau_order"), rec.get("printed"))
            if key in seen:
                continue
            seen.add(key)
            c, p = paper_form(rec, "computed"), paper_form(rec, "printed")
            by[group_of(rec)].append(Finding(rec, check["name"], c, p, relation(c, p)))
    return [(g, by[g[0]]) for g in GROUPS if by[g[0]]]


def counts(records) -> dict:
    """{'agrees': n, 'differs': n, 'not-comparable': n} of record dicts."""
    out = {AGREES: 0, DIFFERS: 0, NOT_COMPARABLE: 0}
    for r in records:
        out[r.get("status")] = out.get(r.get("status"), 0) + 1
    return out


def digest(groups) -> list[tuple[str, list[tuple[str, list[dict], str]]]]:
    """One line per equation of each group, for the one-page overview:
    ``[(title, [(equation, [records], what)])]``; ``what`` is the common relation
    (``regenerated = -1 × printed``), ``wrong print``, or ``differs``.
    """
    out = []
    for (_key, title, _blurb), fs in groups:
        by_eq: dict = {}
        for f in fs:
            by_eq.setdefault(str(f.record.get("equation")), []).append(f)
        lines = []
        for eq, items in by_eq.items():
            rels = {sympy.sstr(f.relation) if f.relation is not None else None for f in items}
            if any(str(f.record.get("reason", "")).startswith("wrong print") for f in items):
                what = "wrong print (dimensionally inconsistent)"
            elif len(rels) == 1 and None not in rels:
                what = f"regenerated = {rels.pop()} × printed"
            elif None not in rels:
                what = "regenerated = " + " or ".join(sorted(rels)) + " × printed"
            else:
                what = "differs"
            lines.append((eq, [f.record for f in items], what))
        out.append((title, lines))
    return out
