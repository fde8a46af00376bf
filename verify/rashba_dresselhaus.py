"""Checks of the angular engine (:mod:`streda.integrals.angular`) for ``rashba+dresselhaus``.

Each check is ``f(settings) -> dict`` in the style of :mod:`streda.verify.checks`
(``status`` pass/fail for a claim or a control, ``ran`` for a measurement):

* :func:`rd_limits` -- β = 0 reproduces the exact Rashba tensors and α = 0 the exact
  Dresselhaus tensors (the ball engine, exact in γ) to 25 digits;
* :func:`rd_two_routes` -- residues + trapezoid against the 2D Gauss–Legendre route
  (:mod:`streda.integrals.quad2d`) for K at M_x⁰;
* :func:`rd_control` -- the negative control: the second route with the sign of β flipped
  must disagree;
* :func:`rd_helix` -- the persistent-helix point α = β: the response to a field along
  (1, −1)/√2 vanishes (K_ax = K_ay) at every order, found by the engine, not assumed;
* :func:`xi_prescription` -- whole ξ axis against ξ ≥ 0 for the Rashba model, entry by
  entry, with the order in γ at which they differ fitted from a scan of γ.

>>> sorted(CHECKS)
['rd_control', 'rd_helix', 'rd_limits', 'rd_two_routes', 'xi_prescription']
"""
from __future__ import annotations

import mpmath

from streda.integrals.angular import tensor_angular
from streda.integrals.models import get_model

__all__ = ["rd_limits", "rd_two_routes", "rd_control", "rd_helix", "xi_prescription", "CHECKS",
           "exact_reference", "max_difference", "GAMMAS"]

#: the γ/ε values of the prescription scan (Rashba default point otherwise)
GAMMAS = ("1/10", "1/20", "1/50", "1/100", "1/200", "1/1000")
_POINT = "eps=1,gamma=1/10,Mz=2/5"


def exact_reference(kind: str, model: str, params: str, order: int, dps: int) -> dict:
    """{k: {entry: mpc}} from the exact-frame engine (ball backend, exact in γ) through the
    public API, resolved to ``dps + 10`` digits."""
    from streda.integrals.api import tensor

    return tensor(kind, model, params, mx_order=order, dps=dps + 10).values()


def max_difference(a: dict, b: dict) -> mpmath.mpf:
    """max over orders and entries of |a − b| / (largest |entry| of that order)."""
    worst = mpmath.mpf(0)
    with mpmath.workdps(60):
        for k in a:
            scale = max(abs(v) for v in b[k].values()) or mpmath.mpf(1)
            for key in a[k]:
                worst = max(worst, abs(a[k][key] - b[k][key]) / scale)
    return worst


def rd_limits(s) -> dict:
    """β = 0 → rashba, α = 0 → dresselhaus, K and σ, at 25 digits."""
    order = 2 if s.quick else 4
    dps = 25
    recs, ok = [], True
    for kind in ("K", "sigma"):
        for single, coupling in (("rashba", "alpha=sqrt(3/10),beta=0"), ("dresselhaus", "alpha=0,beta=sqrt(3/10)")):
            ours = tensor_angular(kind, get_model("rashba+dresselhaus").point(f"{_POINT},{coupling}"),
                                  order if kind == "K" else order - 1, dps)
            ref = exact_reference(kind, single, f"{_POINT},Delta=3/10", order if kind == "K" else order - 1, dps)
            d = max_difference(ours, ref)
            agree = d < mpmath.mpf(10) ** -dps
            ok &= bool(agree)
            recs.append({"tensor": kind, "limit": coupling, "against": single, "max_rel_difference": mpmath.nstr(d, 3),
                         "agree": bool(agree)})
    return {"status": "pass" if ok else "fail",
            "figure": f"rashba+dresselhaus at beta=0 / alpha=0 equals the exact rashba / dresselhaus tensors "
                      f"to {dps} digits (K, sigma, M_x^0..M_x^{order})",
            "records": recs}


def _route_pair(dps: int, flip_beta: bool = False):
    from streda.integrals.quad2d import tensor_quad2d

    model = get_model("rashba+dresselhaus")
    a = tensor_angular("K", model.point(), 0, dps + 5)
    pt = model.point("beta=-1/4") if flip_beta else model.point()
    b = tensor_quad2d("K", pt, 0, dps)
    return a, b


def rd_two_routes(s) -> dict:
    """Residues + trapezoid vs 2D quadrature, K at M_x⁰ (quick: 10 digits, full: 20)."""
    dps = 10 if s.quick else 20
    a, b = _route_pair(dps)
    d = max_difference(a, b)
    ok = d < mpmath.mpf(10) ** -dps
    recs = [{"entry": key, "angular": mpmath.nstr(a[0][key], dps), "quad2d": mpmath.nstr(b[0][key], dps)}
            for key in a[0]]
    return {"status": "pass" if ok else "fail",
            "figure": f"two routes agree to {mpmath.nstr(d, 3)} (relative) for K at M_x^0, "
                      f"rashba+dresselhaus default point; asked {dps} digits",
            "records": recs}


def rd_control(s) -> dict:
    """Negative control: the quadrature route with β → −β must NOT agree."""
    dps = 8
    a, b = _route_pair(dps, flip_beta=True)
    d = max_difference(a, b)
    caught = d > mpmath.mpf(10) ** -3
    return {"status": "pass" if caught else "fail",
            "figure": f"beta -> -beta in one route: relative difference {mpmath.nstr(d, 3)} (must be large)",
            "records": [{"max_rel_difference": mpmath.nstr(d, 3), "caught": bool(caught)}]}


def rd_helix(s) -> dict:
    """α = β: K_ax = K_ay at every order (no response to a field along (1, −1)/√2)."""
    dps = 15
    order = 2 if s.quick else 4
    recs, ok = [], True
    points = ["alpha=1/2,beta=1/2", "alpha=1/3,beta=1/3,Mz=1/5"]
    if not s.quick:   # M_z = 0: the spin splitting closes on p_x + p_y = 0 (merging poles, ~1 min)
        points.append("alpha=1/2,beta=1/2,Mz=0")
    for params in points:
        K = tensor_angular("K", get_model("rashba+dresselhaus").point(f"eps=1,gamma=1/10,Mz=2/5,{params}"), order, dps)
        for k, ent in K.items():
            scale = max([abs(v) for e in K.values() for v in e.values()])
            for row in "xyz":
                d = abs(ent[row + "x"] - ent[row + "y"]) / scale
                same = d < mpmath.mpf(10) ** (-dps + 2)
                ok &= bool(same)
                recs.append({"params": params, "order": k, "row": row, "K_row_x": mpmath.nstr(ent[row + "x"], 12),
                             "K_row_y": mpmath.nstr(ent[row + "y"], 12), "equal": bool(same)})
    return {"status": "pass" if ok else "fail",
            "figure": f"persistent helix alpha=beta: K_ax = K_ay for every row and order 0..{order} "
                      "(a field along (1,-1)/sqrt2 polarises nothing)"
                      + ("" if s.quick else "; at Mz=0 the whole M_x^0 order is numerically zero"),
            "records": recs}


def _slope(xs, ys):
    """Least-squares slope of log y against log x."""
    lx = [mpmath.log(x) for x in xs]
    ly = [mpmath.log(y) for y in ys]
    n = len(lx)
    mx, my = sum(lx) / n, sum(ly) / n
    return sum((a - mx) * (b - my) for a, b in zip(lx, ly)) / sum((a - mx) ** 2 for a in lx)


def xi_prescription(s, gammas=None) -> dict:
    """|whole − physical| per entry of K (M_x⁰, M_x¹) and σ (M_x⁰), Rashba, against γ; fitted order."""
    gammas = gammas or (GAMMAS[:4] if s.quick else GAMMAS)
    dps = 15
    diffs: dict = {}
    vals: dict = {}
    for g in gammas:
        pt = get_model("rashba").point(f"eps=1,gamma={g},Delta=3/10,Mz=2/5")
        for kind, order in (("K", 1), ("sigma", 0)):
            W = tensor_angular(kind, pt, order, dps)
            P = tensor_angular(kind, pt, order, dps, xi_range="physical")
            for k in W:
                for key in W[k]:
                    if abs(W[k][key]) < mpmath.mpf(10) ** -10:
                        continue
                    name = f"{kind}_{key} M_x^{k}"
                    diffs.setdefault(name, []).append(abs(P[k][key] - W[k][key]))
                    vals.setdefault(name, []).append(W[k][key])
    xs = [mpmath.mpf(mpmath.fraction(*map(int, g.split("/")))) for g in gammas]
    recs = []
    for name, ds in diffs.items():
        order = _slope(xs[-3:], ds[-3:])
        recs.append({"entry": name, "gamma": list(gammas), "whole": [mpmath.nstr(v.real, 8) for v in vals[name]],
                     "abs_difference": [mpmath.nstr(d, 4) for d in ds],
                     "rel_difference": [mpmath.nstr(d / abs(v), 3) for d, v in zip(ds, vals[name])],
                     "order_in_gamma": int(mpmath.nint(order)), "fitted_slope": mpmath.nstr(order, 4)})
    return {"status": "ran",
            "figure": "whole vs physical xi axis (Rashba, eps=1, Delta=3/10, Mz=2/5): |difference| ~ gamma^n with n = "
                      + ", ".join(f"{r['entry']}: {r['order_in_gamma']}" for r in recs),
            "records": recs}


#: name -> check function (the lead wires them into ``streda verify``)
CHECKS = {"rd_limits": rd_limits, "rd_two_routes": rd_two_routes, "rd_control": rd_control,
          "rd_helix": rd_helix, "xi_prescription": xi_prescription}
