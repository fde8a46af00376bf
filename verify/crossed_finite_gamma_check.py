"""``streda verify`` check of issue 10, item 5 at finite broadening: the crossed (X, Ψ)
corrections to K at M_x⁰, M_x¹ and M_x² by the real-space route
(:mod:`streda.integrals.crossed_realspace`), which shares nothing with the leading-order
engine but the model and the leading-order vertices.

Rashba ferromagnet, scalar white noise, M = (M_x, 0, M_z), both subbands occupied, at the
point of :mod:`streda.verify.crossed_torque_check`; Taylor coefficients K⁽ᵏ⁾ of K in M_x at
broadenings γ_j.  What is checked (every run):

1. frame invariance: the Taylor coefficients from M_xσ_x (original frame) and from the
   momentum shift (a scalar u·p_y insertion and ṽ_y = v_y + u) agree family by family;
2. Eq. (11): K⁽¹⁾ lives in the z row, K⁽²⁾ does not, σ_xy is even in M_x;
3. control: with the vertices not varied ("frozen-vertex") the two frames disagree.

Full run in addition (second order at γ = 1/10 … 1/80, first order down to 1/320):

4. M_x⁰: the γ → 0 extrapolation (fit c₀ + c₁γ + c₂γ log γ + c₃γ², stated error = change
   against the three-parameter fit on the last three γ) of K_xx and σ_xy agrees with the
   leading-order engine (:func:`streda.integrals.crossed_torques.crossed_K`); control: with
   bare vertices it misses;
5. M_x¹: K⁽¹⁾_zx converges geometrically (each step at most 0.6 of the one before) to a
   non-zero limit; K⁽¹⁾_zy converges ever more slowly (the step ratio rises towards 1): a
   log(1/γ), whose coefficient from the fit c₀ + c_L log(1/γ) + c₁γ + c₂γ log γ is stated;
6. M_x²: K⁽²⁾_xy + K⁽²⁾_yx (in c) grows like γ⁻² and K⁽²⁾_xx − K⁽²⁾_yy (in d) like γ⁻¹
   (growth exponents of the last step within 0.3 of 2 and 1): the crossed K depends on
   M_x/γ, and c, d have no finite coefficient at O(τ⁰).
"""
from __future__ import annotations

from fractions import Fraction

__all__ = ["crossed_finite_gamma_check", "extrapolate", "series_totals", "findings_markdown", "CROSSED_FINITE_GAMMA_CHECKS", "GAMMAS", "GAMMAS_FIRST", "GAMMAS_QUICK"]

#: broadenings of the full run (second order; first order also at GAMMAS_FIRST) and of --quick
#: (the cost of one γ grows like 1/γ)
GAMMAS = ("1/10", "1/20", "1/40", "1/80")
GAMMAS_FIRST = ("1/160", "1/320")
GAMMAS_QUICK = ("1/5", "1/10")
ENTRIES = ("xx", "xy", "yx", "yy", "zx", "zy")


def series_totals(run: dict) -> dict:
    """{k: {entry: total over families} | {"sigma_xy": total}} (real parts) of a
    :func:`~streda.integrals.crossed_realspace.crossed_finite_gamma` result."""
    out = {}
    for k, s in run["series"].items():
        t = {e: sum(s["K"][e].values()).real for e in ENTRIES}
        t["sigma_xy"] = sum(s["sigma_xy"].values()).real
        out[k] = t
    return out


def _row(g, nodes: int, t: dict) -> dict:
    """The record of one γ (the M_x² columns "-" when only the first order was computed)."""
    two = 2 in t
    return {"gamma": g, "nodes": nodes, "K0_xx": f"{t[0]['xx']:.9g}", "K0_xy": f"{t[0]['xy']:.9g}",
            "sigma0_xy": f"{t[0]['sigma_xy']:.9g}", "K1_zx": f"{t[1]['zx']:.9g}", "K1_zy": f"{t[1]['zy']:.9g}",
            "K2_xy+yx": f"{t[2]['xy'] + t[2]['yx']:.9g}" if two else "-",
            "K2_xx-yy": f"{t[2]['xx'] - t[2]['yy']:.9g}" if two else "-"}


def extrapolate(gammas, values) -> tuple:
    """(c₀, error): c₀ of c₀ + c₁γ + c₂γ log γ + c₃γ² through the points (least squares when
    more than four), error = |c₀ − c₀'| with c₀' the three-parameter fit on the last three."""
    import numpy as np

    g = np.array([float(Fraction(x)) for x in gammas])
    v = np.array(values, float)
    A = np.array([g ** 0, g, g * np.log(g), g ** 2]).T
    c = np.linalg.lstsq(A, v, rcond=None)[0]
    c3 = np.linalg.solve(A[-3:, :3], v[-3:])
    return float(c[0]), float(abs(c[0] - c3[0]))


def crossed_finite_gamma_check(s) -> dict:
    """Crossed K at finite γ by the real-space route: frames, Eq. (11), M_x⁰ limit, M_x¹, M_x²."""
    from streda.integrals.crossed_realspace import crossed_finite_gamma

    from .crossed_torque_check import POINT

    quick = getattr(s, "quick", False)
    gammas = GAMMAS_QUICK if quick else GAMMAS
    recs, ok = [], True
    runs = {g: crossed_finite_gamma("rashba", POINT, float(Fraction(g)), perturbation="Mx", order=2)
            for g in gammas}
    tot = {g: series_totals(r) for g, r in runs.items()}
    g0 = gammas[0]
    # 1. frame invariance (and 3. its control)
    sh = crossed_finite_gamma("rashba", POINT, float(Fraction(g0)), perturbation="Mx-shifted", order=2)
    scale = max(abs(v) for k in (1, 2) for e in ENTRIES for v in runs[g0]["series"][k]["K"][e].values())
    dmax = max(abs(runs[g0]["series"][k]["K"][e][f] - sh["series"][k]["K"][e][f])
               for k in (1, 2) for e in ENTRIES for f in runs[g0]["series"][k]["K"][e])
    frames = bool(dmax < 1e-6 * scale)
    fo = crossed_finite_gamma("rashba", POINT, float(Fraction(g0)), perturbation="Mx", control="frozen-vertex")
    fs = crossed_finite_gamma("rashba", POINT, float(Fraction(g0)), perturbation="Mx-shifted", control="frozen-vertex")
    dfrozen = abs(sum(fo["K"]["zy"].values()) - sum(fs["K"]["zy"].values()))
    control = bool(dfrozen > 100 * dmax and dfrozen > 1e-3 * abs(sum(fo["K"]["zy"].values())))
    ok &= frames and control
    recs.append({"step": "frame invariance (orders 1, 2; every entry and family)", "gamma": g0,
                 "largest_difference": f"{dmax:.1e}", "scale": f"{scale:.3g}", "agree": frames})
    recs.append({"control": "frozen-vertex (vertices not varied)", "gamma": g0,
                 "K1_zy_frame_difference": f"{dfrozen:.3g}", "frames_disagree": control})
    # 2. Eq. (11)
    zeros = max(max(abs(t[1][e]) for e in ("xx", "xy", "yx", "yy")) for t in tot.values())
    zeros = max(zeros, max(max(abs(t[2]["zx"]), abs(t[2]["zy"]), abs(t[1]["sigma_xy"])) for t in tot.values()))
    eq11 = bool(zeros < 1e-11)
    ok &= eq11
    recs.append({"step": "Eq. (11): K^(1) in the z row only, K^(2) not in it, sigma_xy even in M_x",
                 "largest_forbidden_entry": f"{zeros:.1e}", "holds": eq11})
    recs += [_row(g, runs[g]["nodes"], tot[g]) for g in gammas]
    figure = f"frames agree to {dmax:.0e}; Eq. (11) zeros below {zeros:.0e}"
    if not quick:
        for g in GAMMAS_FIRST:
            run = crossed_finite_gamma("rashba", POINT, float(Fraction(g)), perturbation="Mx", order=1)
            tot[g] = series_totals(run)
            recs.append(_row(g, run["nodes"], tot[g]))
        ok, figure = _limits(gammas, tot, recs, ok, figure)
    return {"status": "pass" if ok else "fail", "figure": figure, "records": recs}


def _limits(gammas, tot, recs, ok, figure):
    """Steps 4–6 of the module docstring (full run)."""
    import math

    import numpy as np

    from streda.integrals import crossed_torques as CT
    from streda.integrals.crossed_realspace import crossed_finite_gamma

    from .crossed_torque_check import POINT

    Mz = 0.4
    lo = CT.crossed_K("rashba", POINT, h=1 / 4)
    first = tuple(gammas) + GAMMAS_FIRST
    seq = lambda k, key, gs=first: [tot[g][k][key] for g in gs]
    # 4. M_x⁰ against the leading order, and the bare-vertex control
    conv = True
    limit = {key: extrapolate(first, seq(0, key)) for key in ("xx", "sigma_xy")}
    for key, ref, err in (("xx", lo["K"]["xx"], lo["K_error"]["xx"]),
                          ("sigma_xy", lo["sigma_xy"], lo["sigma_xy_error"])):
        c0, e0 = limit[key]
        agree = bool(abs(c0 - ref) < 3 * (e0 + err) + 1e-4 * abs(ref))
        conv &= agree
        recs.append({"step": f"M_x^0 limit of {key}", "extrapolated": f"{c0:.8g}", "fit_error": f"{e0:.1e}",
                     "leading_order_engine": f"{ref:.8g}", "engine_error": f"{err:.1e}", "agree": agree})
    bare = [sum(crossed_finite_gamma("rashba", POINT, float(Fraction(g)), control="bare-vertex")["K"]["xx"].values()).real
            for g in gammas]
    cb, _ = extrapolate(gammas, bare)
    miss = bool(abs(cb - lo["K"]["xx"]) > 10 * abs(limit["xx"][0] - lo["K"]["xx"]) + 1e-6)
    recs.append({"control": "bare-vertex", "extrapolated_K_xx": f"{cb:.8g}", "misses": miss})
    # 5. M_x¹
    g = np.array([float(Fraction(x)) for x in first])
    logfit = lambda v: np.linalg.lstsq(np.array([g ** 0, np.log(1 / g), g, g * np.log(g)]).T, np.array(v), rcond=None)[0]
    res = {}
    for key in ("zx", "zy"):
        v = seq(1, key)
        steps = [b - a for a, b in zip(v, v[1:])]
        ratios = [b / a for a, b in zip(steps, steps[1:])]
        c0, e0 = extrapolate(first, v)
        cl = logfit(v)
        res[key] = (c0, e0, cl, ratios)
        rec = {"step": f"M_x^1: K1_{key}", "step_ratios": ", ".join(f"{x:.2f}" for x in ratios),
               "extrapolated_without_log": f"{c0:.6g} +- {e0:.1e}",
               "fit_with_log": f"{cl[0]:.5g} + {cl[1]:.3g} log(1/gamma)"}
        if key == "zx":
            good = bool(max(ratios[-3:]) < 0.6 and abs(c0) > 5 * e0)
            rec["converges_to_nonzero"] = good
        else:
            good = bool(ratios[-1] > ratios[-2] > ratios[-3] and ratios[-1] > 0.7)
            rec["logarithmic"] = good
        conv &= good
        recs.append(rec)
    k0xx = limit["xx"][0]
    recs.append({"step": "torque parts from M_x^0 and M_x^1 (kappa units, at this point)",
                 "b=K0_yy": f"{k0xx:.6g}",
                 "d_part=-K0_xx-Mz*K1_zx": f"{-k0xx - Mz * res['zx'][0]:.5g}",
                 "c_part=-Mz*K1_zy": f"{-Mz * res['zy'][2][0]:.4g} + {-Mz * res['zy'][2][1]:.3g} log(1/gamma)"})
    # 6. M_x²: growth
    grow = True
    for name, vals, want in (("K2_xy+yx", [tot[x][2]["xy"] + tot[x][2]["yx"] for x in gammas], 2),
                             ("K2_xx-yy", [tot[x][2]["xx"] - tot[x][2]["yy"] for x in gammas], 1)):
        p = math.log(abs(vals[-1] / vals[-2])) / math.log(float(Fraction(gammas[-2]) / Fraction(gammas[-1])))
        grows = bool(abs(vals[-1]) > abs(vals[-2]) > abs(vals[-3]) and abs(p - want) < 0.3)
        grow &= grows
        recs.append({"step": f"M_x^2: {name}", "values": ", ".join(f"{x:.4g}" for x in vals),
                     "growth_exponent_last_step": f"{p:.2f}", "gamma^p * value": f"{vals[-1] * float(Fraction(gammas[-1])) ** want:.3g} (p = {want})",
                     "grows_like_gamma^-p": grows})
    ok = ok and conv and miss and grow
    figure += (f"; M_x^0 limit K_xx = {k0xx:.6g} agrees with the leading order; K1_zx -> {res['zx'][0]:.3g}, "
               f"K1_zy has log(1/gamma) ({res['zy'][2][1]:.2g}); K^(2) grows like gamma^-2, gamma^-1")
    return ok, figure


def findings_markdown(records: list) -> str:
    """The records of :func:`crossed_finite_gamma_check` as markdown for ``docs/findings.md``."""
    rows = [r for r in records if "nodes" in r]
    out = ["Rashba ferromagnet at ε = 5/4, Δ = 3/10, M_z = 2/5 (m = e = 1), scalar white noise; "
           "the X, Ψ_R, Ψ_A diagrams exact at broadening γ (real space, "
           "[crossed-torques.md](crossed-torques.md)); K⁽ᵏ⁾ the coefficient of M_x^k, totals over the "
           "families, units of `api.tensor(\"K\")`.", "",
           "| γ | K⁽⁰⁾_xx | K⁽⁰⁾_xy | σ_xy | K⁽¹⁾_zx | K⁽¹⁾_zy | K⁽²⁾_xy + K⁽²⁾_yx | K⁽²⁾_xx − K⁽²⁾_yy |",
           "|---|---|---|---|---|---|---|---|"]
    for r in rows:
        out.append(f"| {r['gamma']} | {r['K0_xx']} | {r['K0_xy']} | {r['sigma0_xy']} | {r['K1_zx']} | "
                   f"{r['K1_zy']} | {r['K2_xy+yx']} | {r['K2_xx-yy']} |")
    out.append("")
    by = {r.get("step"): r for r in records if r.get("step")}
    tq = by.get("torque parts from M_x^0 and M_x^1 (kappa units, at this point)")
    if tq:
        g2 = by.get("M_x^2: K2_xy+yx", {})
        g1 = by.get("M_x^2: K2_xx-yy", {})
        out += ["**Result.** The crossed diagrams change the torques: b/κ = K⁽⁰⁾_yy = "
                f"{tq['b=K0_yy']} is finite (the non-crossing K gives b = c = d = 0, Eq. 16); K⁽¹⁾_zx "
                f"converges ({by['M_x^1: K1_zx']['extrapolated_without_log']}), K⁽¹⁾_zy grows slowly "
                f"({by['M_x^1: K1_zy']['fit_with_log']}); but K⁽²⁾_xy + K⁽²⁾_yx grows like "
                f"γ^-{g2.get('growth_exponent_last_step')} and K⁽²⁾_xx − K⁽²⁾_yy like "
                f"γ^-{g1.get('growth_exponent_last_step')}, so c and d have no value of order τ⁰: "
                "the crossed K depends on M_x/γ (see crossed-torques.md for the reading).", ""]
    for r in records:
        if "nodes" in r:
            continue
        head = r.get("step") or f"control: {r.get('control')}"
        body = "; ".join(f"{k} = {v}" for k, v in r.items() if k not in ("step", "control"))
        out.append(f"- {head}: {body}.")
    return "\n".join(out) + "\n"


def _checks():
    from .checks import Check

    return [Check("crossed_finite_gamma", "crossed K at finite broadening (real space): M_x^0 limit, M_x^1, M_x^2",
                  crossed_finite_gamma_check)]


def __getattr__(name):          # built on first use; importing registers nothing
    if name == "CROSSED_FINITE_GAMMA_CHECKS":
        return _checks()
    raise AttributeError(name)
