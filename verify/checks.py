"""The checks that ``streda verify`` runs: every claim of the paper the engine can test.

Each check is a function ``f(settings) -> dict`` returning a JSON-ready result
``{"status", "figure", "records", ...}``; ``status`` is ``pass`` / ``fail`` for a
claim that should hold (or a control that should fail), and ``ran`` for a
comparison with printed formulas (a disagreement is a finding, not a failure).
Timings are kept out of the records (fields named ``seconds`` are moved to a
separate ``timings`` entry by the runner) so results are reproducible byte by byte.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from math import comb

import mpmath

__all__ = ["Settings", "CHECKS", "check_names"]


@dataclass(frozen=True)
class Settings:
    """What a ``streda verify`` run computes."""

    max_order: int = 12
    quick: bool = False
    params: str | None = None
    dps: int = 50

    def key(self) -> dict:
        return {"max_order": self.max_order, "quick": self.quick, "params": self.params or "",
                "dps": self.dps}


def _point(s: Settings):
    from streda.integrals.model import RashbaModel

    return RashbaModel.from_string(s.params)


def pn_exact(s: Settings) -> dict:
    from .pn import orders_as_expected, pn_exact as run

    pt = _point(s)
    recs = [run(n, c, point=pt).to_json() for n in range(s.max_order + 1) for c in "xy"]
    ok = orders_as_expected(recs)
    return {"status": "pass" if ok else "fail",
            "figure": f"P^(n) = 0 exactly for n = 1..{s.max_order} (x, y); P^(0) != 0",
            "records": recs}


def pn_numeric(s: Settings) -> dict:
    from .pn import orders_as_expected, pn_numeric as run

    pt = _point(s)
    nmax = min(s.max_order, 6) if s.quick else max(s.max_order, 30)
    recs = [run(n, c, pt, s.dps).to_json() for n in range(nmax + 1) for c in "xy"]
    ok = orders_as_expected(recs)
    worst = max(mpmath.mpf(r["max_abs"]) for r in recs if r["order"] >= 1)
    scale = mpmath.mpf(recs[0]["extra"]["scale"])
    return {"status": "pass" if ok else "fail",
            "figure": f"max |P^(n)|/|P^(0)| = {mpmath.nstr(worst / scale, 3)} for n = 1..{nmax} at {s.dps} digits",
            "records": recs}


def pn_quadrature(s: Settings) -> dict:
    from .pn import pn_numeric as num, pn_quad as quad

    pt = _point(s)
    nmax = 1 if s.quick else 3
    recs, ok, worst = [], True, mpmath.mpf(0)
    for n in range(nmax + 1):
        for c in "xy":
            q = quad(n, c, pt, 30)
            b = num(n, c, pt, 30)
            d = max(abs(mpmath.mpc(*map(mpmath.mpf, q.value[k])) - mpmath.mpc(*map(mpmath.mpf, b.value[k])))
                    for k in q.value)
            worst = max(worst, d)
            agree = d < mpmath.mpf(10) ** -20
            ok &= bool(agree) and (q.expected_zero is None or q.is_zero == q.expected_zero)
            recs.append({"order": n, "component": c, "difference": mpmath.nstr(d, 3), "agree": bool(agree),
                         "quad_is_zero": q.is_zero, "seconds": q.seconds + b.seconds})
    return {"status": "pass" if ok else "fail",
            "figure": f"quadrature vs residues: max difference {mpmath.nstr(worst, 3)} (n <= {nmax}, 30 digits)",
            "records": recs}


def pn_controls(s: Settings) -> dict:
    from .pn import orders_as_expected, pn_exact as run

    pt = _point(s)
    nmax = 2 if s.quick else 4
    bare = [run(n, c, "bare", point=pt).to_json() for n in range(nmax + 1) for c in "xy"]
    spin = [run(n, c, "p", gamma_z=1, point=None).to_json() for n in range(nmax + 1) for c in "xy"]
    ok = orders_as_expected(bare) and orders_as_expected(spin)
    return {"status": "pass" if ok else "fail",
            "figure": f"bare velocity and spin-dependent self-energy: P^(n) != 0 for n = 1..{nmax}",
            "records": [dict(r, control="bare velocity") for r in bare]
            + [dict(r, control="spin-dependent self-energy") for r in spin]}


def pn_all_orders(s: Settings) -> dict:
    from .allorders import all_orders_certificate

    certs = {"scalar disorder, Gamma^p": all_orders_certificate("p", False, 4 if s.quick else 8),
             "bare velocity (control)": all_orders_certificate("bare", False, 2),
             "spin-dependent self-energy (control)": all_orders_certificate("p", True, 2)}
    ok = (certs["scalar disorder, Gamma^p"].certified and not certs["bare velocity (control)"].certified
          and not certs["spin-dependent self-energy (control)"].certified)
    return {"status": "pass" if ok else "fail",
            "figure": "certified for all n >= 1; both controls refused" if ok else "certificate not as expected",
            "records": [dict(c.to_json(), case=name) for name, c in certs.items()]}


def _ran(recs) -> dict:
    """The result of a comparison check: status ``ran`` and the counts as its figure."""
    from .compare import summarize

    n = summarize(recs)
    return {"status": "ran", "comparison": True, "records": [r.to_json() for r in recs],
            "figure": f"{n['agrees']} agree, {n['differs']} differ, {n['not-comparable']} not comparable"}


def _compare(name: str):
    def run(s: Settings) -> dict:
        from .equations import compare_equations

        return _ran(compare_equations([name])[name])
    run.__name__ = f"compare_{name}"
    return run


def born_self_energy(s: Settings) -> dict:
    """Fig. 2(a): Σ^R = α_d ∫ G^R over the whole ξ axis is −iγ·1 exactly (no σ_z part), and its
    in-plane-field corrections α_d ∫ (G^Rσ_x)^n G^R vanish exactly at every order n ≥ 1."""
    from streda.diagrams import born_self_energy as fig2a
    from streda.integrals import evaluate as ev
    from streda.integrals.bubble import integrate_word
    from streda.integrals.kubo import alpha_d
    from streda.integrals.word import parse_word

    import sympy

    from streda.integrals import model as M

    D = fig2a()
    internal = [d["side"] for _u, _v, d in D.edges(data=True) if d.get("kind") == "G" and d["momentum"] == "q"]
    B = ev.exact_backend()
    ad = alpha_d(B)
    sig = {k: v * ad for k, v in integrate_word(parse_word(f"G{internal[0]}"), B).items()}
    scalar = sympy.simplify(ev.exact_to_sympy(sig["0"]) + sympy.I * M.gamma)
    others = [k for k in "xyz" if not sig[k].is_zero()]
    nmax = 2 if s.quick else 4
    corr = {n: all(v.is_zero() for v in integrate_word(parse_word(" ".join(["GR sx"] * n + ["GR"])), B).values())
            for n in range(1, nmax + 1)}
    ok = scalar == 0 and not others and all(corr.values())
    return {"status": "pass" if ok else "fail",
            "figure": f"Sigma^R = -i gamma exactly, no sigma_z part; M_x corrections n = 1..{nmax} exactly 0",
            "records": [{"quantity": "Sigma^R + i gamma (scalar part)", "value": sympy.sstr(scalar)},
                        {"quantity": "non-zero Pauli parts", "value": ",".join(others) or "none"}]
            + [{"quantity": f"alpha_d int (G^R s_x)^{n} G^R", "exactly_zero": z} for n, z in corr.items()]}


def dressed_orders(s: Settings) -> dict:
    from .dressed import dressed_orders_report

    nmax = 2 if s.quick else 4
    recs = dressed_orders_report(nmax)
    ok = all(r["exactly_zero"] for r in recs if r["mx_order"] >= 1)
    ok &= not all(r["exactly_zero"] for r in recs if r["mx_order"] == 0 and r["tensor"] == "K")
    return {"status": "pass" if ok else "fail",
            "figure": f"dressed K and sigma: every M_x^n term, n = 1..{nmax}, exactly 0",
            "records": recs}


def _mpc(z) -> mpmath.mpc:
    return mpmath.mpc(mpmath.mpf(z.real.mid().str(30, radius=False)),
                      mpmath.mpf(z.imag.mid().str(30, radius=False)))


def geometric_extrapolation(sums: list, limit) -> dict:
    """Fit the geometric rate of ``sums`` -> ``limit`` and extrapolate (Aitken's Δ² on the last three).

    The ladder partial sums approach the closed form geometrically with a rate that depends on
    the point (≈ 0.5 at M_z = 0, ≈ 0.36 at M_z = 2/5), so a fixed error threshold after K rungs
    fails at legitimate points.  Pass: every error ratio < 1 and the extrapolated limit agrees
    with ``limit`` within three times its own error estimate (the change of the Aitken
    extrapolant from the previous three sums; plus 10^-12 relative).

    >>> r = geometric_extrapolation([mpmath.mpf(1) - mpmath.mpf(2) ** -k for k in range(5)], 1)
    >>> r["ok"], mpmath.nstr(r["rate"], 3), r["extrapolated_error"] < 1e-20
    (True, '0.5', True)
    >>> geometric_extrapolation([mpmath.mpf(1) - mpmath.mpf(2) ** -k for k in range(5)], 1.001)["ok"]
    False
    """
    errs = [abs(p - limit) for p in sums]
    ratios = [errs[i + 1] / errs[i] for i in range(len(errs) - 1) if errs[i] > 0]
    ks = [k for k, e in enumerate(errs) if e > 0]
    logs = [mpmath.log(errs[k]) for k in ks]
    n = len(ks)
    kbar, lbar = sum(ks) / n, sum(logs) / n
    slope = sum((k - kbar) * (l - lbar) for k, l in zip(ks, logs)) / sum((k - kbar) ** 2 for k in ks)
    rate = mpmath.exp(slope)
    def aitken(a, b, c):
        d1, d0 = c - b, b - a
        return c - d1 ** 2 / (d1 - d0) if d1 != d0 else c

    ext = aitken(*sums[-3:])
    spread = abs(ext - aitken(*sums[-4:-1]))     # the extrapolation's own error estimate
    ext_err = abs(ext - limit)
    ok = (bool(ratios) and all(r < 1 for r in ratios) and rate < 1
          and ext_err <= 3 * spread + mpmath.mpf(10) ** -12 * abs(limit))
    return {"ok": ok, "errors": errs, "ratios": ratios, "rate": rate, "extrapolated_error": ext_err,
            "estimate": spread}


def ladder_convergence(s: Settings) -> dict:
    from streda.integrals import evaluate as ev
    from streda.integrals.ladder import dressed_K_numeric

    from .dressed import ladder_partial_sums

    pt = _point(s)
    rungs = 5 if s.quick else 8
    with ev.flint_precision(30):
        B = ev.ball_backend(pt)
        ps = ladder_partial_sums("y", "x", 0, rungs, B)
        closed = dressed_K_numeric(B, "y", "x", 0)[0]
        fit = geometric_extrapolation([_mpc(p) for p in ps], _mpc(closed))
    errs = fit["errors"]
    return {"status": "pass" if fit["ok"] else "fail",
            "figure": f"|sum_(k<=K) ladders - closed form|: {mpmath.nstr(errs[0], 3)} -> "
                      f"{mpmath.nstr(errs[-1], 3)} (K = 0..{rungs}), fitted geometric rate "
                      f"{mpmath.nstr(fit['rate'], 3)}; extrapolated (Aitken) error "
                      f"{mpmath.nstr(fit['extrapolated_error'], 3)} (estimate {mpmath.nstr(fit['estimate'], 3)})",
            "records": [{"rungs": k, "error": mpmath.nstr(e, 6)} for k, e in enumerate(errs)]}


def disorder_control(s: Settings) -> dict:
    from fractions import Fraction

    from streda.integrals import evaluate as ev
    from streda.integrals.ladder import Disorder, dressed_K_numeric
    from streda.integrals.pointwise import BallBackend, to_acb

    pt = _point(s)
    u = Fraction(3, 10)
    recs, nonzero = [], False
    with ev.flint_precision(30):
        g = Fraction(int(pt.gamma.p), int(pt.gamma.q))
        g0 = g / (1 + u * u)
        B = BallBackend(pt.eps, g, pt.Delta, pt.Mz, gamma_z=2 * u * g0)
        for al in "xyz":
            ks = dressed_K_numeric(B, al, "x", 2, Disorder(u), alpha_d_value=to_acb(2 * g0))
            for n, k in enumerate(ks):
                if n >= 1 and not k.contains(0):
                    nonzero = True
                recs.append({"row": al, "column": "x", "mx_order": n,
                             "value": ev.ball_to_strings(k, 12, zero_if_contains=True)})
    return {"status": "pass" if nonzero else "fail",
            "figure": "V(1 + u sigma_z), u = 3/10: dressed K^(n>=1) != 0 (cancellation fails, as it must)",
            "records": recs}


def magnetic_torques(s: Settings) -> dict:
    from .magnetic import magnetic_torque_report

    return magnetic_torque_report(points=10 if s.quick else 12, dps=40 if s.quick else 60)


def rr_aa(s: Settings) -> dict:
    from .tensors import rr_aa_report

    K = rr_aa_report("K", 1 if s.quick else 3)
    S = rr_aa_report("sigma", 1)
    ok = all(r["exactly_zero"] for r in K) and not all(r["exactly_zero"] for r in S)
    return {"status": "pass" if ok else "fail",
            "figure": "RR, AA terms: exactly 0 for K (all poles one side, decay xi^-2); "
                      "non-zero arc terms for sigma_xx, sigma_yy",
            "records": K + S}


def diagram_counts(s: Settings) -> dict:
    from streda.diagrams import ladder_diagrams, pn_diagrams

    recs, ok = [], True
    for k, n in ((0, 2), (1, 1), (1, 2), (2, 1), (2, 2)) if s.quick else ((0, 3), (1, 1), (1, 2), (1, 3), (2, 2), (3, 2)):
        got = sum(1 for _ in ladder_diagrams(k, n))
        want = comb(n + 2 * k + 1, 2 * k + 1)
        ok &= got == want
        recs.append({"rungs": k, "insertions": n, "unique": got, "expected": want})
    for n in range(5):
        got = sum(1 for _ in pn_diagrams(n))
        ok &= got == n + 1
        recs.append({"pn_order": n, "diagrams": got, "expected": n + 1})
    return {"status": "pass" if ok else "fail",
            "figure": "unique ladders = C(n+2k+1, 2k+1) after isomorphism merge; P^(n) has n+1 diagrams",
            "records": recs}


def engine_parity(s: Settings) -> dict:
    """Eq. (11) parity of the engine's own bare K (Eq. 9, no vertex corrections), order by order."""
    from streda.integrals import model as M

    from . import tensors, torques

    kmax = 2 if s.quick else 3
    orders = {k: {(r, c): tensors.coefficient("K", k, r, c, 1) * M.tau + tensors.coefficient("K", k, r, c, 0)
                  for r in "xyz" for c in "xy"} for k in range(kmax + 1)}
    res = torques.check_parity_series(orders, M.Mz)
    # control: the same entries assigned to the wrong M_x order must violate the pattern
    shifted = {k + 1: v for k, v in orders.items()}
    control = torques.check_parity_series(shifted, M.Mz)
    ok = all(r.ok for r in res) and not all(r.ok for r in control)
    return {"status": "pass" if ok else "fail",
            "figure": f"engine K^(k), k = 0..{kmax}: {sum(r.ok for r in res)}/{len(res)} parity checks of Eq. (11) "
                      f"hold; the order-shifted control fails {sum(not r.ok for r in control)}",
            "records": [{"entry": r.entry, "flip": r.flip, "expected_sign": r.expected, "ok": r.ok}
                        for r in res]}


def dresselhaus_engine(s: Settings) -> dict:
    """The engine's direct Dresselhaus K against the mapping (19) applied to its Rashba K."""
    from .dresselhaus import engine_mapping_check

    kmax = 2 if s.quick else 3
    recs = engine_mapping_check(kmax, sign=-1)
    control = engine_mapping_check(kmax, sign=+1)
    ok = all(r["exactly_equal"] for r in recs) and not all(r["exactly_equal"] for r in control)
    return {"status": "pass" if ok else "fail",
            "figure": f"K_D(M) = -O K_R(O M) exactly for M_x orders 0..{kmax} (engine, both models); "
                      "without the velocity sign the control fails",
            "records": recs}


def _torques(s: Settings) -> dict:
    from . import torques

    return _ran(torques.compare_with_printed())


def _dresselhaus(s: Settings) -> dict:
    from . import dresselhaus

    return _ran(dresselhaus.check_mapping())


#: the texture and coefficients of the skyrmion check: a localised Néel-type profile
#: (regular at the core, exponential tail) and m_z-dependent coefficients with all four terms
SKYRMION_PROFILE = "2*atan(sinh(R/w)/sinh(rho/w))"
SKYRMION_SET = "R=3,w=1"
SKYRMION_COEFFS = "a=1+mz**2/2,b=1/5,c=1/3,d=1/10"
SKYRMION_ALPHA_G = "1/5"


def _skyrmion(s: Settings) -> dict:
    from . import skyrmion

    params = skyrmion.parse_assignments(SKYRMION_SET)
    prof = skyrmion.parse_profile(SKYRMION_PROFILE, params)
    coeffs = skyrmion.parse_coefficients(SKYRMION_COEFFS, params)
    alpha_g = skyrmion.parse_number(SKYRMION_ALPHA_G, "alpha_G")
    return _ran(skyrmion.compare_reduced_forms()
                + skyrmion.judge_claims(prof, coeffs, alpha_g, dps=15 if s.quick else 20))


def hall_rashba_curve(s: Settings) -> dict:
    """σ_xy(ε) of the Rashba ferromagnet (Δ = 3/10, M_z = 2/5), ladder and ladder + X + Ψ (issue 10
    item 3): the curve the report plots.  Passes when, with both subbands occupied (ε > M_z), the
    ladder is exactly 0 and the crossed part exceeds 5× its quadrature error, and with one
    subband (ε < M_z) the ladder is not 0 (Nunner et al. 2007)."""
    from .hall_plot import rashba_curves

    eps = ("1/5", "1/2", "2") if s.quick else ("1/5", "1/2", "5/4", "2")
    d = rashba_curves(eps=eps, step=1 / 2 if s.quick else 1 / 4)
    ok = True
    for e, lad, tot, err in zip(d["eps"], d["ladder"], d["ladder+crossed"], d["error"]):
        ok &= (lad == 0 and abs(tot) > 5 * err) if e > 0.4 else lad != 0
    return {"status": "pass" if ok else "fail",
            "figure": f"{len(d['eps'])} points of sigma_xy(eps): with both subbands the ladder is 0 and "
                      "X + Psi alone is finite; with one subband the ladder is not 0",
            "records": [{"eps": f"{e:.6g}", "ladder": f"{a:.12g}", "ladder+crossed": f"{b:.12g}", "error": f"{c:.1e}"}
                        for e, a, b, c in zip(d["eps"], d["ladder"], d["ladder+crossed"], d["error"])]}


def hall_curve(s: Settings) -> dict:
    """σ_xy(ε/m) of massive Dirac fermions, ladder and ladder + X + Ψ (issue 10 item 3): the
    curve the report plots.  Passes when, above the gap, the crossed curve meets the printed
    EPL form to 1e-8 and the ladder curve does not (the control); in the gap both are −1/2."""
    from .hall_plot import DEFAULT_EPS, hall_curves

    eps = DEFAULT_EPS[::3] if s.quick else DEFAULT_EPS
    d = hall_curves(eps_over_m=eps)
    band = [i for i, e in enumerate(d["eps"]) if e > 1]
    cross = max(abs(d["ladder+crossed"][i] - d["printed"][i]) for i in band)
    ladder = min(abs(d["ladder"][i] - d["printed"][i]) for i in band if d["eps"][i] >= 1.1)
    gap = all(d["ladder"][i] == d["ladder+crossed"][i] == -0.5 for i, e in enumerate(d["eps"]) if e < 1)
    ok = cross < 1e-8 and ladder > 1e-3 and gap
    return {"status": "pass" if ok else "fail",
            "figure": f"{len(d['eps'])} points of sigma_xy(eps/m): ladder + X + Psi meets the EPL form to "
                      f"{cross:.1e} above the gap; the ladder alone misses it by >= {ladder:.2f}; -1/2 in the gap",
            "records": [{"eps_over_m": f"{e:.6g}", "ladder": f"{a:.12g}", "ladder+crossed": f"{b:.12g}",
                         "printed": f"{c:.12g}"}
                        for e, a, b, c in zip(d["eps"], d["ladder"], d["ladder+crossed"], d["printed"])]}


@dataclass(frozen=True)
class Check:
    name: str
    title: str
    func: object = field(repr=False)


def _build() -> list[Check]:
    out = [
        Check("pn_exact", "P^(n) = 0, Eq. (C9), exact algebra", pn_exact),
        Check("pn_numeric", "P^(n) at a parameter point, ball arithmetic", pn_numeric),
        Check("pn_quadrature", "P^(n): independent mpmath quadrature vs residues", pn_quadrature),
        Check("pn_controls", "P^(n) negative controls", pn_controls),
        Check("pn_all_orders", "P^(n) = 0 for all n: certificate", pn_all_orders),
        Check("diagram_counts", "diagram enumeration and isomorphism merge", diagram_counts),
        Check("rr_aa", "RR and AA terms over the whole xi axis", rr_aa),
    ]
    for eq in ("15a", "15b", "K0bare", "C8a", "C8b", "C4", "C6", "C7", "16", "17"):
        out.append(Check(f"compare_{eq}", f"Eq. ({eq}) regenerated vs printed", _compare(eq)))
    out += [
        Check("born_self_energy", "Born self-energy, Fig. 2(a) and Eq. (C1)", born_self_energy),
        Check("dressed_orders", "dressed K, sigma: all M_x orders vanish (Eq. 16)", dressed_orders),
        Check("ladder_convergence", "ladder sums converge to the closed form", ladder_convergence),
        Check("disorder_control", "spin-dependent disorder breaks the cancellation", disorder_control),
        Check("magnetic_torques", "torques with magnetic disorder V(1 + u sigma_z): b, c, d survive",
              magnetic_torques),
        Check("engine_parity", "parity pattern of Eq. (11) from the engine's K", engine_parity),
        Check("torques", "torque algebra, Eqs. (7), (11), (12), (14), (B1)-(B3)", _torques),
        Check("dresselhaus_engine", "Dresselhaus K from the engine directly vs the mapping (19)",
              dresselhaus_engine),
        Check("dresselhaus", "Dresselhaus mapping, Eqs. (18)-(20)", _dresselhaus),
        Check("skyrmion", "skyrmion Thiele analysis, Eqs. (21)-(28)", _skyrmion),
    ]
    # beyond the paper: the anomalous Hall conductivity of the built-in models, and the
    # anisotropic Rashba + Dresselhaus model with the xi prescription
    from . import (crossed_finite_check, crossed_finite_gamma_check, crossed_torque_check, hall_checks, prescription,
                   rashba_dresselhaus)

    out += hall_checks.HALL_CHECKS
    out += crossed_finite_check.CROSSED_FINITE_CHECKS
    out += crossed_torque_check.CROSSED_TORQUE_CHECKS
    out += crossed_finite_gamma_check.CROSSED_FINITE_GAMMA_CHECKS
    out.append(Check("hall_curve", "massive Dirac sigma_xy(eps/m) with and without crossed diagrams",
                     hall_curve))
    out.append(Check("hall_rashba_curve", "Rashba ferromagnet sigma_xy(eps) with and without crossed diagrams",
                     hall_rashba_curve))
    titles = {"rd_limits": "Rashba+Dresselhaus: beta = 0 and alpha = 0 limits vs the exact engines",
              "rd_two_routes": "Rashba+Dresselhaus K: residues + trapezoid vs 2D quadrature",
              "rd_control": "Rashba+Dresselhaus: flipped-beta control must fail",
              "rd_helix": "Rashba+Dresselhaus at the persistent-helix point alpha = beta",
              "xi_prescription": "whole vs physical xi axis: order in gamma of the difference"}
    out += [Check(name, titles[name], func) for name, func in rashba_dresselhaus.CHECKS.items()]
    out.append(Check("pn_physical_axis", "P^(n) on the physical xi axis: order in gamma, measured",
                     prescription.pn_physical_axis))
    return out


CHECKS = _build()


def check_names() -> list[str]:
    return [c.name for c in CHECKS]
