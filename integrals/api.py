"""The public Python API: Kubo–Středa tensors of any built-in (or user) model in one call.

>>> from streda.integrals import tensor
>>> r = tensor("K", model="rashba", params="eps=1,gamma=1/10,Delta=3/10,Mz=2/5",
...            dressing="bare", mx_order=1, dps=20)
>>> r
TensorResult('K', model='rashba', dressing='bare', orders 0..1, 20 digits)
>>> mpmath.nstr(r.value(0, "yx").real, 15)   # an mpmath number (physical units, see below)
'0.260386143741206'
>>> r.value(1, "xx")                        # exactly 0 (its ball contains 0)
mpc(real='0.0', imag='0.0')
>>> r.to_json()["orders"]["1"]["zy"]        # the strings the CLI writes
['0.049989434710338857024', '0']

Normalisation (one for every path; ħ = 1, entries carry every prefactor):

    K_αβ = (e/8π) √m_e (2·RA − RR − AA),     σ_αβ = (e²/4π) (2·RA − RR − AA),
    RA = ∫ d²p/(2π)² Tr[σ_α G^R v_β G^A]  (v_α in place of σ_α for σ),

coefficient of M_x^k (k = 0..mx_order), Born self-energy −iγ (γ = 1/2τ) of the disorder
correlator, ξ over the whole real axis unless ``xi_range="physical"``.  For K the RR and
AA parts vanish exactly (all poles on one side), so K = (e/4π)√m_e·RA: the "e/4π Tr"
of Appendix C and the "e/8π(2RA − RR − AA)" of Eq. (9) are the same number.  With
``dressing="ladder"`` RA carries the ladder-dressed vertex Γ_β; for σ the RR and AA parts
stay bare.  The routes:

* models with the ``ball`` capability, ``xi_range="whole"``: residues in ξ with exact angle
  averages (:mod:`streda.integrals.pointwise`), precision doubled until every entry is
  resolved to ``dps`` digits;
* otherwise :func:`streda.integrals.angular.tensor_angular` (residues in ξ per angle and a
  trapezoid rule in φ), same normalisation; this route also takes magnetic disorder with an
  in-plane u (whose Born self-energy breaks the exact frame), bare or, for models with the
  ``ball`` capability on the whole axis, ladder-dressed
  (:func:`streda.integrals.angular_vertex.dressed_angular`).

A model without a needed capability is refused with a one-line
:class:`~streda.integrals.model.ModelError` naming it.
"""
from __future__ import annotations

from functools import lru_cache

import sys
from dataclasses import dataclass, field

import mpmath
import sympy

from .disorder import SCALAR, Disorder, parse_disorder
from .model import ModelError, RashbaModel
from .models import Model, ModelPoint, get_model

__all__ = ["tensor", "TensorResult", "numeric_tensor", "symbolic_tensor", "versions", "ROWS",
           "XI_RANGES", "UNITS", "MAX_MX_ORDER", "MAX_DPS"]

ROWS = {"K": "xyz", "sigma": "xy"}
XI_RANGES = ("whole", "physical")
UNITS = "hbar = 1; entries include all prefactors (e/8pi, e^2/4pi, m_e)"
#: size limits of the API (the CLI states them in --help)
MAX_MX_ORDER = 12
MAX_DPS = 500


def versions() -> dict[str, str]:
    """Versions of streda and of the libraries its results depend on."""
    from importlib.metadata import PackageNotFoundError, version

    out = {}
    for name in ("streda", "sympy", "symengine", "mpmath", "numpy", "networkx", "python-flint"):
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = "not installed"
    out["python"] = sys.version.split()[0]
    return dict(sorted(out.items()))


@dataclass(eq=False)
class TensorResult:
    """The entries of one tensor request, order by order in M_x.

    ``orders`` maps k to {"xy": value, ...}; values are FLINT balls (``ball`` route) or
    mpmath numbers (angular route).  :meth:`value` gives mpmath numbers,
    :meth:`strings` the decimal strings, :meth:`to_json` the CLI's JSON document.
    """

    kind: str
    model: Model
    dressing: str
    dps: int
    parameters: dict
    orders: dict
    disorder: Disorder = SCALAR
    xi_range: str = "whole"
    route: str = "ball"
    _json_extra: dict = field(default_factory=dict)

    def __repr__(self) -> str:
        ks = sorted(self.orders)
        return (f"TensorResult({self.kind!r}, model={self.model.name!r}, dressing={self.dressing!r}, "
                f"orders {ks[0]}..{ks[-1]}, {self.dps} digits)")

    def value(self, k: int, entry: str) -> mpmath.mpc:
        """Entry ``entry`` ("xy", ...) of order M_x^k as an mpmath number at ``dps`` digits
        (a part whose ball contains 0 is 0, as in the strings)."""
        re, im = self.strings()[k][entry]
        with mpmath.workdps(self.dps):
            return mpmath.mpc(mpmath.mpf(re), mpmath.mpf(im))

    def values(self) -> dict:
        """{k: {entry: mpmath.mpc}} for every order."""
        return {k: {e: self.value(k, e) for e in ent} for k, ent in self.orders.items()}

    def strings(self) -> dict:
        """{k: {entry: [re, im]}}: decimal strings with ``dps`` significant digits."""
        from . import evaluate as ev

        out = {}
        for k, ent in self.orders.items():
            row = {}
            for key, v in ent.items():
                if isinstance(v, (mpmath.mpc, mpmath.mpf, complex, float, int)):
                    v = mpmath.mpc(v)
                    row[key] = [mpmath.nstr(v.real, self.dps) if v.real != 0 else "0",
                                mpmath.nstr(v.imag, self.dps) if v.imag != 0 else "0"]
                else:
                    row[key] = ev.ball_to_strings(v, self.dps, zero_if_contains=True)
            out[k] = row
        return out

    def to_json(self) -> dict:
        """Exactly the document ``streda tensor ... --json`` writes for the same request."""
        doc = {"command": "tensor", "kind": self.kind, "dressing": self.dressing,
               "model": self.model.name, "disorder": self.disorder.describe(), "xi_range": self.xi_range,
               "parameters": self.parameters, "dps": self.dps, "versions": versions(),
               "units": UNITS, "orders": {str(k): ent for k, ent in self.strings().items()}}
        doc.update(self._json_extra)
        return doc


def _check_int(name: str, value, lo: int, hi: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
        raise ModelError(f"{name} must be an integer between {lo} and {hi} (got {value!r})")
    return value


def _ball_point(point: ModelPoint, disorder: Disorder) -> RashbaModel:
    """The validated point of the exact-frame engine (Rashba-like models)."""
    if point["My"] != 0:
        raise ModelError("M_y is not an engine parameter (the in-plane field is M_x); rotate the frame")
    born = disorder.born(point["gamma"])
    if born[1] != 0 or born[2] != 0:
        # the in-plane Born part −iγ_∥·σ acts like a complex M_x, different in G^R and G^A, of
        # size ~γ: as an insertion series it is an infinite sum (ratio up to 2|u|/(1+u²) ≤ 1), not
        # an exact finite expression; tensor() sends such requests to the angle-trapezoid route
        raise ModelError("magnetic disorder with an in-plane u breaks the exact frame: the 'ball' route "
                         "needs u along z")
    return RashbaModel(eps=point["eps"], gamma=point["gamma"], Delta=point["Delta"], Mz=point["Mz"],
                       Mx=point["Mx"], m=point["m"], e=point["e"], gamma_z=born[3])


def tensor(kind: str, model="rashba", params=None, *, dressing: str = "bare", mx_order=None,
           dps: int = 30, disorder=None, xi_range: str = "whole") -> TensorResult:
    """K (Eq. 9) or σ (Eq. 13) order by order in M_x at a parameter point, exact in γ.

    ``model``: a built-in name or a :class:`~streda.integrals.models.Model`; ``params``: a
    ``"name=value,..."`` string, a dict, or a :class:`~streda.integrals.models.ModelPoint`;
    ``disorder``: ``None``/``"scalar"``, ``"magnetic:ux=..,uy=..,uz=.."`` or a
    :class:`~streda.integrals.disorder.Disorder`; ``xi_range``: ``"whole"`` (the paper's
    prescription) or ``"physical"`` (p² ≥ 0).  Normalisation: module docstring.

    >>> tensor("K", model="rashba+dresselhaus", dressing="ladder")
    Traceback (most recent call last):
    ...
    streda.integrals.model.ModelError: model 'rashba+dresselhaus' lacks the capability 'ball' (it supports: angle-trapezoid, quadrature)
    """
    if kind not in ROWS:
        raise ModelError(f"kind must be 'K' or 'sigma', not {kind!r}")
    if dressing not in ("bare", "ladder"):
        raise ModelError(f"dressing must be 'bare' or 'ladder', not {dressing!r}")
    if xi_range not in XI_RANGES:
        raise ModelError(f"xi_range must be 'whole' or 'physical', not {xi_range!r}")
    order = (4 if kind == "K" else 3) if mx_order is None else mx_order
    _check_int("mx_order", order, 0, MAX_MX_ORDER)
    _check_int("dps", dps, 5, MAX_DPS)
    mod = get_model(model)
    dis = parse_disorder(disorder)
    if isinstance(params, ModelPoint):
        if params.model is not mod and params.model.name != mod.name:
            raise ModelError(f"the parameter point belongs to model {params.model.name!r}, not {mod.name!r}")
        point = params
    elif isinstance(params, dict):
        point = mod.point(**params)
    else:
        point = mod.point(params)
    if not point["gamma"] > 0:
        raise ModelError(f"gamma must be > 0 (got {point['gamma']})")
    if point.values.get("Mx", 0) != 0:
        raise ModelError(f"Mx={point.values['Mx']} would be ignored: the tensors are the coefficients of the "
                         "expansion in M_x at M_x = 0 (Eqs. 15-17); leave Mx out and use mx_order")

    in_plane = not dis.along_z
    if mod.supports("ball") and xi_range == "whole" and not in_plane:
        rpt = _ball_point(point, dis)
        vals = numeric_tensor(kind, dressing, order, rpt, dps, mod, dis)
        return TensorResult(kind, mod, dressing, dps, rpt.as_dict(), vals, dis, xi_range, "ball")
    from .angular import tensor_angular
    from .angular_vertex import dressed_angular

    if dressing != "bare" and in_plane and mod.supports("ball") and xi_range == "whole":
        # in-plane u: no exact frame, so the general ladder runs on the angle-trapezoid integrals
        vals = dressed_angular(kind, point, order, dps, xi_range=xi_range, disorder=dis)
        return TensorResult(kind, mod, dressing, dps, point.as_dict(), vals, dis, xi_range, "angle-trapezoid")
    if dressing != "bare":
        mod.require("ball")          # names the missing capability for models without an exact frame
        raise ModelError("ladder dressing on the physical xi axis is not implemented: the 'angle-trapezoid' "
                         "route computes bare tensors only")
    mod.require("angle-trapezoid")
    vals = tensor_angular(kind, point, order, dps, xi_range=xi_range, disorder=dis)
    return TensorResult(kind, mod, dressing, dps, point.as_dict(), vals, dis, xi_range, "angle-trapezoid")


def numeric_tensor(kind: str, dressing: str, order: int, point: RashbaModel, dps: int,
                   model="rashba", disorder: Disorder = SCALAR) -> dict:
    """{k: {"xy": acb, ...}} physical entries (all prefactors) at ``point``, resolved to ``dps``
    digits: the working precision is doubled until every ball's radius is below 10^−dps
    times the largest entry of its order (or of the whole tensor for an all-zero order)."""
    from . import evaluate as ev

    mod = get_model(model)
    mod.require("ball")
    digits = dps + 15
    for _ in range(8):
        vals = _numeric_tensor(kind, dressing, order, point, digits, mod, disorder)
        lows = {k: max(ev.ball_lower_abs(v) for v in ent.values()) for k, ent in vals.items()}
        overall = max(lows.values())
        ok = overall > 0
        for k, ent in vals.items():
            scale = lows[k] if lows[k] > 0 else overall
            ok &= all(ev.ball_radius(v) <= mpmath.mpf(10) ** (-dps) * scale for v in ent.values())
        if ok:
            return vals
        digits *= 2
    raise ev.PrecisionError(f"the tensor entries could not be resolved to {dps} digits with "
                            f"{digits // 2} working digits at this parameter point")


def _model_key(mod: Model):
    """Built-in models by name (shared engine caches), user models as themselves."""
    from .models import BUILTIN

    return mod.name if mod.name in BUILTIN else mod


def _numeric_tensor(kind: str, dressing: str, order: int, point: RashbaModel, digits: int,
                    mod: Model, disorder: Disorder) -> dict:
    import flint

    from . import evaluate as ev
    from . import kubo
    from .dressing import closed_form_vertex_holds, dressed_K_value, dressed_sigma_numeric, dressed_sigma_parts
    from .ladder import dressed_K_numeric
    from .pointwise import to_acb

    key = _model_key(mod)
    out = {}
    with ev.flint_precision(digits):
        B = ev.ball_backend(point, key)
        pi = flint.arb.pi()
        e, m = to_acb(point.e), to_acb(point.m)
        fac = e / (8 * pi) * m.sqrt() if kind == "K" else e * e / (4 * pi)
        closed = dressing == "ladder" and closed_form_vertex_holds(
            key, disorder if disorder.spin_dependent else None)
        if dressing == "ladder" and not closed:
            # the general ladder solver: Γ from the correlator's rung, α_d0 = 2γ/(m n₀)
            ad0 = to_acb(disorder.alpha_d0(point.gamma, 1))
            solver = dressed_K_numeric if kind == "K" else dressed_sigma_numeric
            ks = {(r, c): solver(B, r, c, order, disorder, alpha_d_value=ad0)
                  for r in ROWS[kind] for c in "xy"}
        for k in range(order + 1):
            ent = {}
            if dressing == "bare":
                T = kubo.tensor_order(kind, k, B)
                for (r, c), parts in T.items():
                    ent[r + c] = fac * (2 * parts["RA"] - parts["RR"] - parts["AA"])
            elif not closed and kind == "K":
                for r in ROWS[kind]:
                    for c in "xy":
                        ent[r + c] = 2 * fac * ks[(r, c)][k]            # RR = AA = 0 for K
            elif not closed:                    # σ: dressed RA, bare RR and AA
                T = kubo.tensor_order(kind, k, B, parts=("RR", "AA"))
                for r in ROWS[kind]:
                    for c in "xy":
                        ent[r + c] = fac * (2 * ks[(r, c)][k] - T[(r, c)]["RR"] - T[(r, c)]["AA"])
            else:
                for r in ROWS[kind]:
                    for c in "xy":
                        if kind == "K":
                            ent[r + c] = 2 * fac * dressed_K_value(k, r, c, B)   # RR = AA = 0 for K
                        else:
                            p = dressed_sigma_parts(k, r, c, B)
                            ent[r + c] = fac * (2 * p["RA"] - p["RR"] - p["AA"])
            out[k] = ent
    return out


@lru_cache(maxsize=1024)
def _scaled(coefficient, factor):
    """coefficient · factor with signs and numbers pulled out (``factor_terms``, an identity).
    The coefficient is already simplified (:func:`streda.integrals.expansion.series_to_sympy`);
    ``simplify`` here gave the same expressions on all 240 entries of K and σ, bare and ladder,
    M_x⁰…³, γ⁻¹…¹, at 15× the cost.  Cached: tensor entries repeat coefficients."""
    return sympy.factor_terms(coefficient * factor)


def symbolic_tensor(kind: str, dressing: str, order: int, gamma_order: int, transform=None) -> list[dict]:
    """Records {row, column, mx_order, gamma_power, expression} of the γ expansion (Rashba model,
    scalar disorder), expressions as sympy; ``transform(expr, k)`` rewrites each (e.g. into the
    paper's variables)."""
    from . import evaluate as ev
    from . import kubo
    from . import model as M
    from .dressing import dressed_K_value, dressed_sigma_parts
    from .expansion import gamma_series, series_to_sympy

    _check_int("mx_order", order, 0, MAX_MX_ORDER)
    B = ev.exact_backend()
    recs = []
    for k in range(order + 1):
        T = kubo.tensor_order(kind, k, B) if dressing == "bare" else None
        for r in ROWS[kind]:
            for c in "xy":
                if dressing == "bare":
                    e = T[(r, c)]
                    val, fac = e["RA"] + e["RA"] - e["RR"] - e["AA"], kubo.physical_factor(kind)
                elif kind == "K":
                    val, fac = dressed_K_value(k, r, c, B), M.e_charge / (4 * sympy.pi) * sympy.sqrt(M.m_e)
                else:
                    p = dressed_sigma_parts(k, r, c, B)
                    val, fac = p["RA"] + p["RA"] - p["RR"] - p["AA"], kubo.physical_factor(kind)
                ser = {} if val.is_zero() else series_to_sympy(gamma_series(val, gamma_order))
                for j in range(-1, gamma_order + 1):
                    e = _scaled(ser.get(j, 0), fac)
                    if transform is not None:
                        e = transform(e, k)
                    recs.append({"row": r, "column": c, "mx_order": k, "gamma_power": j, "expression": e})
    return recs
