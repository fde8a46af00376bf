"""The quantities ``streda scan`` can compute: their layout, validation and computation.

Each :class:`Quantity` is one entry of :data:`QUANTITIES`; a new quantity is one more
entry and its options in ``cmd_scan``.
A point's result is ``{variable: [[re, im], ...]}`` of decimal strings, flattened in C
order over the variable's own dimensions (:class:`Variable`).  Quantities call library
functions; the tensors go through the one adapter :func:`tensor_values`.

>>> lay = QUANTITIES["tensor"].layout({"kind": "sigma", "mx_order": 1, "dressing": "bare", "model": "rashba"})
>>> [(v.name, [d for d, _ in v.dims], v.size) for v in lay]
[('sigma', ['mx_order', 'row', 'column'], 8)]
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable, Sequence

import sympy

from streda.integrals.model import ModelError, _number

__all__ = ["Variable", "Quantity", "QUANTITIES", "ROWS", "HALL_PARTS", "tensor_values"]


@dataclass(frozen=True)
class Variable:
    """An output variable: ``dims`` = ((dimension, labels), ...) beyond the grid axes."""

    name: str
    dims: tuple
    units: str
    long_name: str
    #: complex values are stored as real and imaginary parts
    complex: bool = True

    @property
    def size(self) -> int:
        return math.prod(len(labels) for _, labels in self.dims)


@dataclass(frozen=True)
class Quantity:
    """A scannable quantity: its output layout, the grid names it accepts, a cheap
    validation of one point (run on every point before work starts) and the
    computation of one point (run on the workers)."""

    name: str
    method: str
    layout: Callable[[dict], list]
    axis_names: Callable[[dict], Sequence[str]]
    check_point: Callable[[dict, dict], None]
    compute: Callable[[dict, dict], dict]
    #: what the stored numbers are worth, for the file's ``precision`` attribute
    precision: Callable[[dict], str]


ROWS = {"K": "xyz", "sigma": "xy"}
_TENSOR_UNITS = {"K": "hbar = 1; coefficient of M_x^k; includes e/(8 pi) sqrt(m_e)",
                 "sigma": "hbar = 1; coefficient of M_x^k; includes e^2/(4 pi)"}


def _rashba_point(settings: dict, point: dict):
    """The exact-frame point with M_x (the torques evaluate K = Σ K^(k) M_x^k there)."""
    from streda.integrals.model import RashbaModel

    return RashbaModel.from_string(settings["params"], **{k: _number(k, v) for k, v in point.items()})


def _model_point(settings: dict, point: dict):
    """The :class:`~streda.integrals.models.ModelPoint` of the tensor request: ``--params`` with
    the grid point, M_x left out (the tensors are the coefficients of M_x^k at M_x = 0)."""
    from streda.integrals.models import get_model

    return get_model(settings["model"]).point(settings["params"],
                                              **{k: v for k, v in point.items() if k != "Mx"})


def tensor_values(kind: str, dressing: str, mx_order: int, point, dps: int) -> dict:
    """The ONE adapter to the tensor engine, :func:`streda.integrals.api.tensor` (what
    ``streda tensor --params`` runs): ``{k: {"xy": [re, im], ...}}``, decimal strings with
    ``dps`` significant digits (a part whose ball contains 0 is "0"), at the ModelPoint ``point``."""
    from streda.integrals.api import tensor

    return tensor(kind, point.model, point, dressing=dressing, mx_order=mx_order, dps=dps).strings()


def _tensor_layout(s: dict) -> list:
    kind = s["kind"]
    return [Variable(kind, (("mx_order", list(range(s["mx_order"] + 1))), ("row", list(ROWS[kind])),
                            ("column", ["x", "y"])), _TENSOR_UNITS[kind],
                     f"{kind} ({s['dressing']}, {s['model']}), coefficient of M_x^k, exact in gamma")]


def _tensor_compute(s: dict, point: dict) -> dict:
    vals = tensor_values(s["kind"], s["dressing"], s["mx_order"], _model_point(s, point), s["dps"])
    return {s["kind"]: [vals[k][r + c] for k in range(s["mx_order"] + 1) for r in ROWS[s["kind"]] for c in "xy"]}


def _tensor_names(s: dict):
    """The model's parameters; not M_x (a tensor is a coefficient of M_x^k) nor M_y (the frame)."""
    from streda.integrals.models import get_model

    return tuple(p.name for p in get_model(s["model"]).parameters if p.name not in ("Mx", "My"))


def _tensor_check(s: dict, point: dict) -> None:
    """Cheap: the parameter names and values; for the exact-frame (``ball``) models also the
    validation of that engine (γ > 0, ε above the upper-band threshold).  Other models are
    refused or accepted by :func:`streda.integrals.api.tensor` at the first point."""
    from streda.integrals.api import _ball_point
    from streda.integrals.disorder import SCALAR

    pt = _model_point(s, point)
    if not pt["gamma"] > 0:
        raise ModelError(f"gamma must be > 0 (got {pt['gamma']})")
    if pt.model.supports("ball"):
        _ball_point(pt, SCALAR)


def _torque_names(s: dict):
    return _tensor_names(s) + ("Mx",)


def _torque_layout(s: dict) -> list:
    return [Variable("torque", (("coefficient", ["a", "b", "c", "d"]),),
                     "units of K (kappa = 1)",
                     f"field-driven torque coefficients a, b, c, d of Eq. (7) (Eq. 20 for Dresselhaus) from K = "
                     f"sum_k K^(k) M_x^k, k <= {s['mx_order']} ({s['dressing']}, {s['model']})")]


def _torque_m(pt):
    norm = sympy.sqrt(pt.Mx ** 2 + pt.Mz ** 2)
    return (pt.Mx / norm, sympy.Integer(0), pt.Mz / norm)


def _torque_check(s: dict, point: dict) -> None:
    _tensor_check(s, point)
    pt = _rashba_point(s, point)
    if pt.Mx == 0 or pt.Mz == 0:
        raise ModelError(f"torques need M_x != 0 and M_z != 0 (the basis of Eq. 7 is degenerate "
                         f"for m along z or in the plane); got Mx={pt.Mx}, Mz={pt.Mz}")


def _torque_compute(s: dict, point: dict) -> dict:
    """a, b, c, d (Eq. 7) solved from κ(KE)×m for K summed to M_x^N at the point's M_x."""
    from .torques import solve_coefficients

    pt = _rashba_point(s, point)
    vals = tensor_values("K", s["dressing"], s["mx_order"], _model_point(s, point), s["dps"] + 5)
    prec = s["dps"] + 10
    K = sympy.zeros(3, 2)
    for k, ent in vals.items():
        for i, r in enumerate("xyz"):
            for j, c in enumerate("xy"):
                re, im = ent[r + c]
                K[i, j] += (sympy.Float(re, prec) + sympy.I * sympy.Float(im, prec)) * pt.Mx ** k
    if s["model"] == "dresselhaus":      # the torque form of Eq. (20) instead of Eq. (7)
        from .dresselhaus import dresselhaus_basis as basis
    else:
        from .torques import rashba_basis as basis
    coeffs = solve_coefficients(K, _torque_m(pt), basis=basis)
    out = []
    for n in "abcd":
        w = sympy.N(coeffs[n], prec)
        out.append([str(sympy.Float(sympy.re(w), s["dps"])), str(sympy.Float(sympy.im(w), s["dps"]))])
    return {"torque": out}


def _sky_layout(s: dict) -> list:
    comp = ("component", ["x", "y"])
    return [Variable("hall_ratio", (), "1", "skyrmion Hall ratio nu_y/nu_x (reduced route, Eq. 21)", False),
            Variable("nu", (comp,), "units of J", "skyrmion velocity nu (Eq. 21, reduced route)", False),
            Variable("Q", (), "1", "topological charge Q (Eq. 22a)", False),
            Variable("D", (("row", ["x", "y"]), ("column", ["x", "y"])), "1", "dissipation tensor D (Eq. 22b)", False),
            Variable("F", (comp,), "units of J", "force F (Eq. 26/28, integrated by parts)", False)]


_SKY_AXES = ("helicity", "alpha_g")


def _sky_names(s: dict):
    from .skyrmion import parse_assignments

    return _SKY_AXES + tuple(parse_assignments(s["set"]))


def _sky_inputs(s: dict, point: dict):
    from . import skyrmion as S

    params = S.parse_assignments(s["set"])
    params.update({k: _number(k, v) for k, v in point.items() if k not in _SKY_AXES})
    prof = S.parse_profile(s["profile"], params, rho_max=s["rho_max"])
    coeffs = S.parse_coefficients(s["coeffs"], params)
    delta = _number("helicity", point["helicity"]) if "helicity" in point else S.parse_number(s["helicity"], "helicity")
    alpha_g = _number("alpha_g", point["alpha_g"]) if "alpha_g" in point else S.parse_number(s["alpha_g"], "alpha-g")
    if not alpha_g >= 0:
        raise S.SkyrmionError(f"alpha_g must be >= 0 (got {alpha_g})")
    return prof, coeffs, delta, S.parse_current(s["current"]), alpha_g


def _sky_check(s: dict, point: dict) -> None:
    _sky_inputs(s, point)


def _sky_compute(s: dict, point: dict) -> dict:
    from . import skyrmion as S

    prof, coeffs, delta, J, alpha_g = _sky_inputs(s, point)
    r = S.route_reduced(prof, s["model"], delta, J, coeffs, alpha_g, dps=s["dps"])
    f = lambda x: [repr(float("nan") if x is None else float(x)), "0"]  # noqa: E731
    return {"hall_ratio": [f(r.hall_ratio)], "nu": [f(v) for v in r.nu], "Q": [f(r.Q)],
            "D": [f(v) for row in r.D for v in row], "F": [f(v) for v in r.F]}


# --------------------------------------------------------------------------- hall
#: the parts of σ_xy that :func:`streda.integrals.hall.hall_conductivity` returns (in this order)
HALL_PARTS = ("fermi_surface", "fermi_sea", "intrinsic", "extrinsic", "bare_vertex", "vertex_correction")


def _hall_layout(s: dict) -> list:
    return [Variable("sigma_xy", (), "e^2/h", f"anomalous Hall conductivity sigma_xy ({s['model']}, "
                     f"{s['diagrams']}, leading order in disorder)", False),
            Variable("sigma_xy_part", (("part", list(HALL_PARTS)),), "e^2/h",
                     "parts of sigma_xy (see streda.integrals.hall.hall_conductivity); NaN where the "
                     "part is not defined (no Fermi surface at eps: no vertex correction)", False)]


def _hall_names(s: dict):
    from streda.integrals.models import get_model

    return tuple(p.name for p in get_model(s["model"]).parameters if p.name != "gamma")


def _hall_point(s: dict, point: dict):
    from streda.integrals.hall import isotropic_point
    from streda.integrals.models import get_model

    model = get_model(s["model"])
    pt = model.point(s["params"], **point)
    for name in ("v", "Delta") + (("m",) if model.name != "dirac" else ()):
        if name in pt.values and not pt[name].is_positive:
            raise ModelError(f"parameter {name} must be > 0 (got {pt[name]})")
    return isotropic_point(model, pt)


def _hall_check(s: dict, point: dict) -> None:
    _hall_point(s, point)


def _hall_compute(s: dict, point: dict) -> dict:
    """σ_xy and its parts, exact (:func:`~streda.integrals.hall.hall_conductivity`), to ``dps`` digits."""
    from streda.integrals.hall import hall_conductivity

    ip = _hall_point(s, point)
    res = hall_conductivity(ip.model, ip.point, s["diagrams"])

    def real(e) -> list:
        v = sympy.N(e, s["dps"])
        if sympy.im(v) != 0:
            raise ArithmeticError(f"sigma_xy is not real ({sympy.sstr(v)})")
        return [str(sympy.re(v)), "0"]

    return {"sigma_xy": [real(res.sigma_xy)],
            "sigma_xy_part": [real(res.parts[k]) if k in res.parts else ["nan", "0"] for k in HALL_PARTS]}


#: the quantity table; a new quantity is one entry here and its options in cmd_scan
QUANTITIES = {
    "tensor": Quantity("tensor", "streda.integrals.api.tensor (as streda tensor --params): exact residues "
                       "in ball arithmetic, exact in gamma, for the exact-frame models",
                       _tensor_layout, _tensor_names, _tensor_check, _tensor_compute,
                       lambda s: f"values resolved to {s['dps']} significant digits (ball arithmetic); "
                                 "stored as float64"),
    "torques": Quantity("torques", "K from streda.integrals.api.tensor (ball arithmetic, exact in gamma) summed to "
                        "M_x^N; a,b,c,d solved from T = kappa s x m against Eq. (7)",
                        _torque_layout, _torque_names, _torque_check, _torque_compute,
                        lambda s: f"K resolved to {s['dps'] + 5} digits; the torque solve in {s['dps'] + 10}-digit "
                                  "floats (not a certified bound); stored as float64"),
    "skyrmion": Quantity("skyrmion", "reduced radial integrals (Eqs. 23, 26/28) at mpmath precision; "
                         "Thiele equation (21) in float64",
                         _sky_layout, _sky_names, _sky_check, _sky_compute,
                         lambda s: f"radial integrals at {s['dps']} digits (mpmath); the Thiele solve in float64"),
    "hall": Quantity("hall", "hall_conductivity: Kubo-Streda sigma^I (ladder vertex, Born self-energy) + "
                     "sigma^II, exact algebra at leading order in the disorder (gamma -> 0)",
                     _hall_layout, _hall_names, _hall_check, _hall_compute,
                     lambda s: f"exact values, printed to {s['dps']} significant digits; stored as float64"),
}
