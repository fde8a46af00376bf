"""``streda verify`` check of the leading-order crossed diagrams against finite broadening
(issue 10, item 2), in the style of :mod:`streda.verify.hall_checks`: ``f(settings) ->
dict`` with ``status`` (``pass``/``fail``), ``figure`` and ``records``.

The leading order (:mod:`streda.integrals.crossed`, w/ε → 0: pinches on the Fermi circle,
crossed block at w = 0) is compared with the crossed X + Ψ diagrams evaluated at finite
w (:mod:`streda.integrals.crossed_finite`, no pinch, finite-w vertices and block).  The
difference must shrink as w → 0 at a measured rate; a Richardson extrapolation of the two
smallest w must land on the leading order.  Negative controls: the sign of m flipped in
one crossed-block G, and bare vertices; both must extrapolate elsewhere.

To wire it in, append :data:`CROSSED_FINITE_CHECKS` to ``checks.CHECKS``.
"""
from __future__ import annotations

import math

__all__ = ["hall_crossed_finite_w", "fit_slope", "CROSSED_FINITE_CHECKS", "W_RATIOS"]

#: w/ε of the convergence sequence (each halves the previous); quick runs use the first three
W_RATIOS = (0.2, 0.1, 0.05, 0.025)
#: (ε, m) points: the full run adds a second with negative mass
POINTS = ((2.0, 1.0), (3.0, -1.0))


def fit_slope(ws, ds) -> float:
    """Least-squares slope of log|d| against log w (the order of the convergence).

    >>> round(fit_slope([0.1, 0.05, 0.025], [0.3, 0.15, 0.075]), 12)
    1.0
    """
    xs = [math.log(w) for w in ws]
    ys = [math.log(abs(d)) for d in ds]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)


def _leading(eps, m) -> float:
    from streda.integrals.crossed import dirac_crossed

    r = dirac_crossed(eps, m)
    return float(sum(r[k] for k in ("X", "Psi_R", "Psi_A")).real)


def _series(eps, m, ratios, control=""):
    from streda.integrals.crossed_finite import dirac_crossed_finite

    return [dirac_crossed_finite(eps, m, r * eps, control=control) for r in ratios]


def hall_crossed_finite_w(s) -> dict:
    """Crossed X + Ψ part of σ_xy (massive Dirac) at finite w converges to the leading order."""
    from streda.integrals.crossed_finite import dirac_crossed_finite

    quick = getattr(s, "quick", False)
    ratios = W_RATIOS[:3] if quick else W_RATIOS
    pts = POINTS[:1] if quick else POINTS
    recs, ok, slopes = [], True, []
    for eps, m in pts:
        lead = _leading(eps, m)
        runs = _series(eps, m, ratios)
        diffs = [r["total"].real - lead for r in runs]
        # quadrature error: the finest w again with 6 instead of 8 nodes per panel (the change
        # bounds the error of the coarser rule, so it overstates that of the 8-node result)
        err = abs(dirac_crossed_finite(eps, m, ratios[-1] * eps, order=6)["total"] - runs[-1]["total"])
        slope = fit_slope(ratios, diffs)
        slopes.append(slope)
        rich = 2 * runs[-1]["total"].real - runs[-2]["total"].real     # linear in w removed
        shrink = all(abs(b) < abs(a) for a, b in zip(diffs, diffs[1:]))
        good = shrink and 0.8 < slope < 1.3 and abs(rich - lead) < 0.25 * abs(diffs[-1]) and err < 1e-5
        ok &= good
        for r, run, dlt in zip(ratios, runs, diffs):
            recs.append({"eps": eps, "m": m, "w/eps": r, "finite_w": f"{run['total'].real:.10f}",
                         "leading_order": f"{lead:.10f}", "difference": f"{dlt:.3e}",
                         "X": f"{run['X'].real:.8f}", "Psi_R+Psi_A": f"{(run['Psi_R'] + run['Psi_A']).real:.3e}"})
        recs.append({"eps": eps, "m": m, "fitted_slope": f"{slope:.3f}", "richardson": f"{rich:.8f}",
                     "leading_order": f"{lead:.10f}", "richardson_minus_leading": f"{rich - lead:.2e}",
                     "quadrature_error_at_finest_w": f"{err:.1e}", "converges": bool(good)})
    # negative controls at the first point: their Richardson limits miss the leading order
    eps, m = pts[0]
    lead = _leading(eps, m)
    ctrl_ok = True
    for control in ("flip-m", "bare-vertex"):
        a, b = _series(eps, m, ratios[-2:], control)
        rich = 2 * b["total"].real - a["total"].real
        miss = abs(rich - lead) / abs(lead)
        ctrl_ok &= miss > 0.05
        recs.append({"control": control, "eps": eps, "m": m, "richardson": f"{rich:.8f}",
                     "leading_order": f"{lead:.10f}", "relative_miss": f"{miss:.2f}"})
    ok &= ctrl_ok
    return {"status": "pass" if ok else "fail",
            "figure": f"crossed X + Psi at w/eps = {', '.join(map(str, ratios))} -> leading order; "
                      f"difference O(w^s), fitted s = {', '.join(f'{x:.2f}' for x in slopes)}; "
                      "flip-m and bare-vertex controls extrapolate elsewhere",
            "records": recs}


def _checks():
    from .checks import Check

    return [Check("hall_crossed_finite_w", "crossed X + Psi at finite broadening converge to the leading order",
                  hall_crossed_finite_w)]


def __getattr__(name):          # built on first use; importing registers nothing
    if name == "CROSSED_FINITE_CHECKS":
        return _checks()
    raise AttributeError(name)
