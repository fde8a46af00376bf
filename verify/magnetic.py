"""Spin-orbit torques with magnetic disorder V(1 + u_z σ_z): the cancellation of Eq. (16) fails.

With scalar disorder the dressed vertex is p/m, the order-n source is α_d(−1)^n P^(n) = 0 and
the dressed K keeps only its M_x⁰ term.  With magnetic white noise the Born self-energy has
a σ_z part, γ_z = 2uγ/(1 + u²) (:mod:`streda.integrals.disorder`), the resolvent identity
(step 2 of the all-orders certificate) fails, P^(n) ≠ 0 and the general ladder solver gives
K^(n≥1) ≠ 0.

**Torque coefficients at m_x → 0.**  From :func:`streda.verify.torques.derive_coefficients`
(a = κ_xy − m_x²κ_zy, b = κ_yy, c = (κ_xy + κ_yx − m_x²κ_zy)/m_x²,
d = −κ_xx + (κ_xx − κ_yy)/m_x² − κ_zx) and Eq. (11),
κ_xy = κK_xy, κ_yy = κK_yy/m_z, κ_zx = κK_zx/m_x, κ_zy = κK_zy/(m_x m_z), with the M_x
series K = Σ K^(n) M_x^n, M = (M_x, 0, M_z), M_z > 0, and the rotational symmetry at M_x = 0
(K^(0)_xy = −K^(0)_yx, K^(0)_xx = K^(0)_yy, checked on the numbers):

    a/κ = K^(0)_xy,   b/κ = K^(0)_yy,
    c/κ = M_z²(K^(2)_xy + K^(2)_yx) − M_z K^(1)_zy,
    d/κ = M_z²(K^(2)_xx − K^(2)_yy) − K^(0)_xx − M_z K^(1)_zx.

Leading order in γ: K is exact in γ (ball arithmetic); K(γ) = A/γ + B + O(γ) is fitted on
γ_j = γ₀ 2^−j (Richardson, an exact polynomial fit), and the error is estimated by comparing
fits with one point less.

**Closed forms** (:mod:`streda.integrals.magnetic_leading`: the exact values expanded in γ
symbolically and the general ladder solved on Laurent series) are compared with these numbers
at :data:`POINTS` (different ε, Δ, M_z, u), to the precision the fit supports; the u → 0 limit
with the scalar control's numbers; and two negative controls must disagree: the closed forms
with u → −u, and the ladder with the scalar rung X → (1 + u²)X in place of (1 + uσ_z)X(1 + uσ_z).
"""
from __future__ import annotations

from fractions import Fraction

import mpmath
import sympy

__all__ = ["leading_order_K", "torque_coefficients_mx0", "magnetic_torque_report", "closed_form_comparison",
           "COEFFS", "POINTS"]

COEFFS = ("a", "b", "c", "d")
#: (point without gamma, u_z) where the closed forms are compared with the fitted numbers
POINTS = (("eps=1,Delta=3/10,Mz=2/5", "3/10"), ("eps=2,Delta=1/2,Mz=1/5", "1/2"),
          ("eps=3/2,Delta=1/5,Mz=3/5", "-2/5"))


def _params(text: str, gamma) -> str:
    return f"{text},gamma={gamma}"


def leading_order_K(params: str, disorder: str, *, points: int = 12, gamma0=Fraction(1, 100),
                    dps: int = 60) -> tuple[dict, mpmath.mpf]:
    """{(k, entry): (A, B)} with K^(k)_entry = A/γ + B + O(γ) (physical units), and the error
    estimate (largest change of A or B between fits on ``points`` and ``points − 1`` γ's).

    ``params`` is a point without ``gamma`` (``"eps=..,Delta=..,Mz=.."``).
    """
    from streda.integrals import tensor

    gs = [Fraction(gamma0) / 2 ** j for j in range(points)]
    with mpmath.workdps(dps):
        vals = [tensor("K", params=_params(params, f"{g.numerator}/{g.denominator}"), dressing="ladder",
                       mx_order=2, dps=dps, disorder=disorder).values() for g in gs]

        def fit(n):
            A = mpmath.matrix([[(mpmath.mpf(g.numerator) / g.denominator) ** p for p in range(-1, n - 1)]
                               for g in gs[:n]])
            out = {}
            for k in vals[0]:
                for e in vals[0][k]:
                    c = mpmath.lu_solve(A, mpmath.matrix([v[k][e].real for v in vals[:n]]))
                    out[(k, e)] = (c[0], c[1])
            return out

        full, less = fit(points), fit(points - 1)
        err = max(max(abs(full[key][i] - less[key][i]) for i in (0, 1)) for key in full)
    return full, err


def torque_coefficients_mx0(lead: dict, Mz) -> dict:
    """{name: (coefficient of 1/γ, of γ⁰)} of a/κ … d/κ at m_x → 0 (module docstring)."""
    Mz = mpmath.mpf(Mz)

    def K(k, e, i):
        return lead[(k, e)][i]

    out = {}
    for i in (0, 1):
        a = K(0, "xy", i)
        b = K(0, "yy", i)
        c = Mz ** 2 * (K(2, "xy", i) + K(2, "yx", i)) - Mz * K(1, "zy", i)
        d = Mz ** 2 * (K(2, "xx", i) - K(2, "yy", i)) - K(0, "xx", i) - Mz * K(1, "zx", i)
        for name, v in zip(COEFFS, (a, b, c, d)):
            out.setdefault(name, [None, None])[i] = v
    return {k: tuple(v) for k, v in out.items()}


def magnetic_torque_report(params: str = "eps=1,Delta=3/10,Mz=2/5", u: str = "3/10", *,
                           points: int = 12, dps: int = 60) -> dict:
    """Certificate refused, P^(n) ≠ 0, and the leading-order torque coefficients with magnetic
    disorder against the scalar control (where b = c = d = 0 must come out)."""
    from streda.integrals.disorder import parse_disorder

    from .allorders import all_orders_certificate
    from .pn import pn_exact

    mag = parse_disorder(f"magnetic:uz={u}")
    cert = all_orders_certificate("p", check_orders=2, disorder=mag)
    pn = [pn_exact(n, c, "p", gamma_z=1).to_json() for n in (1, 2) for c in "xy"]
    pn_nonzero = all(any(not r["is_zero"] for r in pn if r["order"] == n) for n in (1, 2))
    Mz = _value(params, "Mz", dps)
    recs, found, scalar_co = [], {}, None
    for label, dis in (("magnetic", mag.describe()), ("scalar (control)", "scalar")):
        lead, err = leading_order_K(params, dis, points=points, dps=dps)
        sym_ok = all(abs(lead[(0, "xy")][i] + lead[(0, "yx")][i]) <= 10 * err
                     and abs(lead[(0, "xx")][i] - lead[(0, "yy")][i]) <= 10 * err for i in (0, 1))
        with mpmath.workdps(dps):
            co = torque_coefficients_mx0(lead, Mz)
        if label != "magnetic":
            scalar_co, scalar_err = co, err
        tol = 1000 * err
        found[label] = {n: [abs(v) > tol for v in co[n]] for n in COEFFS}
        for n in COEFFS:
            recs.append({"disorder": label, "coefficient": n,
                         "tau^1": _s(co[n][0] * 2, tol), "tau^0": _s(co[n][1], tol),
                         "nonzero": [abs(v) > tol for v in co[n]]})
        recs.append({"disorder": label, "fit_error": mpmath.nstr(err, 3), "symmetric_at_Mx0": sym_ok})
    survive = [n for n in COEFFS if any(found["magnetic"][n]) and not any(found["scalar (control)"][n])]
    ok = (not cert.certified and pn_nonzero and found["scalar (control)"]["a"][0]
          and not any(any(found["scalar (control)"][n]) for n in "bcd") and survive == ["b", "c", "d"])
    closed = closed_form_comparison(fit_points=points, dps=dps, scalar=(params, scalar_co, scalar_err))
    ok = ok and closed["ok"]
    return {"status": "pass" if ok else "fail",
            "figure": (f"V(1 + u sigma_z), u = {u}: certificate refused, P^(1,2) != 0; torques at m_x -> 0, leading "
                       f"order in gamma: {', '.join(survive) or 'none'} survive (scalar control: only a); "
                       + closed["figure"]),
            "records": recs + closed["records"] + [dict(cert.to_json(), case="magnetic disorder")]
            + [dict(r, control="magnetic Born self-energy") for r in pn]}


def _q(text: str) -> Fraction:
    """An exact rational of this module's own constants ("3/10")."""
    return Fraction(text)


def _point(params: str, u: str) -> tuple:
    from streda.integrals.models import get_model

    pt = get_model("rashba").point(params)
    return tuple(Fraction(int(pt[n].p), int(pt[n].q)) for n in ("eps", "Delta", "Mz")) + (_q(u),)


def _compare(cf: dict, num: dict) -> tuple:
    """(largest |closed − numbers| over a..d and both orders, largest |numbers|)."""
    diff = max(abs(cf[n][i] - num[n][i]) for n in COEFFS for i in (0, 1))
    scale = max(abs(num[n][i]) for n in COEFFS for i in (0, 1))
    return diff, scale


def _digits(diff, scale) -> str:
    return "all" if diff == 0 else mpmath.nstr(-mpmath.log10(diff / scale), 3)


def closed_form_comparison(points=POINTS, *, fit_points: int = 12, dps: int = 60, scalar=None) -> dict:
    """The closed forms of :mod:`streda.integrals.magnetic_leading` against the fitted numbers.

    Agreement at a point: every coefficient (1/γ and γ⁰ parts of a..d) within
    100 × the fit's error estimate (+ 10^(10−dps) of the largest).  Controls that must
    *disagree* (relative difference > 10⁻⁶) at the first point: the closed forms with u → −u,
    and the ladder with the scalar rung (a and b from K⁰).  ``scalar`` = (params, numbers,
    fit error) of the scalar-disorder run: the closed forms at u → 0 must agree with it.
    """
    from streda.integrals import magnetic_leading as ml

    forms = ml.torque_closed_forms()
    flipped = {n: tuple(x.subs(ml.U, -ml.U) for x in pair) for n, pair in forms.items()}
    recs, ok, lines = [], True, []
    first = None
    for params, u in points:
        lead, err = leading_order_K(params, f"magnetic:uz={u}", points=fit_points, dps=dps)
        eps, Delta, Mz, uq = _point(params, u)
        with mpmath.workdps(dps):
            num = torque_coefficients_mx0(lead, mpmath.mpf(Mz.numerator) / Mz.denominator)
            cf = ml.evaluate_forms(forms, eps, Delta, Mz, uq, dps)
            diff, scale = _compare(cf, num)
            tol = 100 * err + mpmath.mpf(10) ** (10 - dps) * scale
        agree = diff <= tol
        ok &= bool(agree)
        recs.append({"case": "closed form vs numbers", "point": params, "u": u, "agrees": bool(agree),
                     "digits": _digits(diff, scale), "max_abs_diff": mpmath.nstr(diff, 3),
                     "tolerance": mpmath.nstr(tol, 3), "fit_error": mpmath.nstr(err, 3)})
        lines.append(_digits(diff, scale))
        if first is None:
            first = (params, eps, Delta, Mz, uq, num, scale)
    params, eps, Delta, Mz, uq, num, scale = first
    with mpmath.workdps(dps):
        ctl = ml.evaluate_forms(flipped, eps, Delta, Mz, uq, dps)
        d_flip, _ = _compare(ctl, num)
        rung = ml.evaluate_forms(ml.scalar_rung_control(), eps, Delta, Mz, uq, dps)
        d_rung = max(abs(rung[n][i] - num[n][i]) for n in rung for i in (0, 1))
    controls = {"u -> -u in the closed forms": d_flip, "scalar rung (1 + u^2) X in the ladder": d_rung}
    for name, d in controls.items():
        fails = d > mpmath.mpf(10) ** -6 * scale
        ok &= bool(fails)
        recs.append({"case": "negative control", "control": name, "point": params, "u": str(uq),
                     "relative_diff": mpmath.nstr(d / scale, 3), "disagrees": bool(fails)})
    if scalar is not None:
        sparams, sco, serr = scalar
        eps, Delta, Mz, _ = _point(sparams, "0")
        with mpmath.workdps(dps):
            cf0 = ml.evaluate_forms(forms, eps, Delta, Mz, Fraction(0), dps)
            diff, sscale = _compare(cf0, sco)
            tol = 100 * serr + mpmath.mpf(10) ** (10 - dps) * sscale
        ok &= bool(diff <= tol)
        recs.append({"case": "closed form at u -> 0 vs scalar numbers", "point": sparams,
                     "agrees": bool(diff <= tol), "digits": _digits(diff, sscale)})
    recs += [{"closed_form": n, "gamma_power": j, "latex": sympy.latex(e)}
             for n, pair in ml.compact_forms(abbreviated=True).items() for j, e in zip((-1, 0), pair) if e != 0]
    recs += [{"abbreviation": sympy.latex(k), "latex": sympy.latex(v)} for k, v in ml.abbreviations().items()]
    fig = (f"closed forms agree with the numbers at {len(points)} points ({', '.join(lines)} digits), "
           f"u -> -u and scalar-rung controls disagree")
    return {"ok": bool(ok), "figure": fig, "records": recs}


def _value(params: str, name: str, dps: int = 60):
    """A parameter as an mpmath number at ``dps`` digits (was at the ambient 15 digits, which
    limited c and d, the entries multiplied by M_z, to 16 digits)."""
    from streda.integrals.models import get_model

    v = get_model("rashba").point(params)[name]
    with mpmath.workdps(dps):
        return +(mpmath.mpf(int(v.p)) / int(v.q)) if v.is_Rational else mpmath.mpf(str(v.evalf(dps)))


def _s(x, tol) -> str:
    """12 significant digits, or "0" inside the tolerance ("tau^1" is the coefficient of τ = 1/2γ)."""
    return "0" if abs(x) <= tol else mpmath.nstr(x, 12)
