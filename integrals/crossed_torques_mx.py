"""The M_x¹ order of the crossed (X, Ψ) corrections to K: K⁽¹⁾_zx, K⁽¹⁾_zy of Eqs. (11),
(15)–(16) and the torques c, d (issue 10, item 5).  Rashba ferromagnet, scalar white noise,
both subbands occupied, leading order in the disorder, both vertices ladder-dressed.

**Frame.**  h_x = α p_y − M_x: the shift p → p − q, q = (0, −M_x/α), removes M_x from h⃗ and
leaves H̃ = H₀ + V, V = u p_y (+ O(M_x²)), u = M_x/(m α), a scalar
(:func:`streda.integrals.crossed_mx.shifted_h`).  Every impurity-averaged diagram is invariant
under a common shift of all electron momenta, so each family (X, Ψ_R, Ψ_A) has the same K in
both frames.  In the shifted frame the projectors are those of H₀ and G̃(k) = G₀(k; ε − V(k)).

**First order.**  With the θ-moment form of :mod:`streda.integrals.crossed_torques`,
Q_ab = Σ_{fam,n,m} Σ_k Â^{a,n}_{−k} B̂^{b,m}_k M_k, Â the Fourier coefficients of
A(φ) = λ(φ) Tr P_n Γ^σ_a (pinch weight times projected dressed spin vertex on contour n) and
B likewise with the dressed velocity vertex, M_k the θ moments of the block trace T(θ).  A
perturbation V = t(g₀ + g·p) changes, at first order in t,

- T1: the contours, pinch weights and dressed vertices (A, B at ±t from
  :func:`~streda.integrals.crossed_mx.contours` of H̃, symmetric difference), T fixed;
- T2: the points p, p₂ at which T is taken: δp_n(φ) (from the same contours) times the
  radial derivatives ∂T/∂|p|, ∂T/∂|p₂| (θ moments at |p| = p_n ± δ, symmetric difference;
  the projectors in T move with p);
- T3: the two block propagators: dG̃/dt = −V(k)∂_E G₀, with V(k) in the real frame
  (p at φ₁): g·R(φ₁)k', so T gains −[g₀Z₁ + (g_x cos φ₁ + g_y sin φ₁)Z_x +
  (−g_x sin φ₁ + g_y cos φ₁)Z_y], Z_w = Σ_{slot} ∂_{E_slot} of the block with weight w ∈
  {1, k'_x, k'_y} of that slot's momentum (block frame), by a symmetric difference of the
  energy of one block propagator (:func:`~streda.integrals.crossed_rashba.block_trace` with
  ``bc2``).  The φ₁ factors shift the harmonics of A.

The same routine with V = −1 (t = a shift of ε) must give dK/dε of
:func:`~streda.integrals.crossed_torques.crossed_K`: the check of T2, T3 and the assembly
(:func:`energy_check`).  Another is the rotation: V = −u'p_x (the field M_y) must give
K^{(M_y)}_zx = −K^{(M_x)}_zy, K^{(M_y)}_zy = K^{(M_x)}_zx.

**Status: the θ-integrated result is NOT validated; do not quote** :func:`mx1_K`.  At one θ
the pieces add up to the ε-derivative of the block (tested), the u → 0 weights reproduce
``crossed_K`` exactly, K⁽¹⁾_xx = K⁽¹⁾_xy = K⁽¹⁾_yx = K⁽¹⁾_yy = 0 (Eq. 11) and the M_y
rotation hold to 1e-12; but :func:`energy_check` fails (dK_xx/dε = 4.3e-3 ± 2.5e-3 at
h = 1/4, δ = 1e-2, against 1.742e-3 from ``crossed_K`` at ε ± 1/100).  Cause, measured
moment by moment: each piece is a symmetric difference of θ integrals in *one* variable
(|p| alone, |p₂| alone, the energy of one block propagator), and those integrals are not
differentiable where the varied circle coincides with its partner (p = p₂ circle at
backscattering, the two block circles of one band): the partial differences do not add up to
the total one (e.g. X, same circle, k = 0: dM/dε = −0.348, pieces −0.135, both stable in h).
A working route must vary the coinciding objects together (finite-M_x anisotropic blocks, or
the pieces combined at each θ node before the θ integral, with the moving break points
handled).
"""
from __future__ import annotations

import dataclasses

import numpy as np
import sympy

from . import crossed_mx as MX
from . import crossed_torques as CT

__all__ = ["Passes", "passes", "k1_parts", "mx1_K", "energy_check", "KMAX1"]

#: harmonics kept in the M_x¹ assembly (first-order weights reach |k| = 2; one more as margin)
KMAX1 = 3


def _with_eps(point: str, eps) -> str:
    items = [kv for kv in point.split(",") if not kv.strip().startswith("eps=")]
    return ",".join([f"eps={sympy.nsimplify(eps)}"] + items)


@dataclasses.dataclass
class Passes:
    """The θ-moment sets of one point: base M, radial D1, D2 (per unit δ_r) and energy Z1, Z2
    ((3, nk) per key: weights 1, k'_x, k'_y), each {"fine": …, "coarse": …}; ``half``: the same
    derivatives with steps 2δ (the step error)."""

    M: dict
    D1: dict
    D2: dict
    Z1: dict
    Z2: dict
    half: dict
    dr: float
    de: float
    h: float
    order: list             # band signs of the circles, in the order of the moments' n, m


def _deriv(plus, minus, step):
    return {key: {k: (plus[key][k] - minus[key][k]) / (2 * step) for k in plus[key]}
            for key in ("fine", "coarse")}


def _run_pass(args):
    kind, point, s, h, phi_ratio = args
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        bc = CT.bands("rashba", point)
        if kind == "M":
            return CT.theta_moments(bc, h=h, phi_ratio=phi_ratio, kmax=KMAX1)
        if kind in ("r1", "r2"):
            dr = (s, 0.0) if kind == "r1" else (0.0, s)
            return CT.theta_moments(bc, h=h, phi_ratio=phi_ratio, kmax=KMAX1, dr=dr)
        eps = float(bc.eps)
        bce = CT.bands("rashba", _with_eps(point, sympy.nsimplify(eps) + sympy.nsimplify(s)))
        bce = dataclasses.replace(bce, circles=bc.circles)
        bce.ip = bc.ip
        if kind == "e1":       # the first block propagator at ε + s, weights of k₁
            return CT.theta_moments(bce, h=h, phi_ratio=phi_ratio, kmax=KMAX1, bc2=bc, nw=3,
                                    weights=lambda x1, y1, x2, y2: np.array([np.ones_like(x1), x1, y1]))
        return CT.theta_moments(bc, h=h, phi_ratio=phi_ratio, kmax=KMAX1, bc2=bce, nw=3,
                                weights=lambda x1, y1, x2, y2: np.array([np.ones_like(x2), x2, y2]))


def passes(point: str, h: float = 1 / 4, dr: float = 1e-3, de: float = 1e-3, phi_ratio: float = 0.5,
           workers: int = 1, step_error: bool = True) -> Passes:
    """All θ-moment sets of :class:`Passes` (9 passes, 17 with ``step_error``); ``workers``
    processes share them."""
    jobs = [("M", point, 0.0, h, phi_ratio)]
    steps = [1, 2] if step_error else [1]
    for q in steps:
        for kind, s in (("r1", dr), ("r2", dr), ("e1", de), ("e2", de)):
            jobs += [(kind, point, q * s, h, phi_ratio), (kind, point, -q * s, h, phi_ratio)]
    if workers > 1:
        from concurrent.futures import ProcessPoolExecutor
        import multiprocessing as mp

        with ProcessPoolExecutor(workers, mp_context=mp.get_context("fork")) as ex:
            res = list(ex.map(_run_pass, jobs))
    else:
        res = [_run_pass(j) for j in jobs]
    got = dict(zip([(j[0], j[2]) for j in jobs], res))
    out = {}
    for q in steps:
        out[q] = {name: _deriv(got[(kind, q * s)], got[(kind, -q * s)], q * s)
                  for name, kind, s in (("D1", "r1", dr), ("D2", "r2", dr), ("Z1", "e1", de), ("Z2", "e2", de))}
    order = [c[1] for c in CT.bands("rashba", point).circles]
    return Passes(got[("M", 0.0)], out[1]["D1"], out[1]["D2"], out[1]["Z1"], out[1]["Z2"],
                  out.get(2, {}), dr, de, h, order)


# ------------------------------------------------------------------------------------
# weights on the (perturbed) contours
# ------------------------------------------------------------------------------------
def _hat(f, phi, kmax=KMAX1):
    ks = np.arange(-kmax, kmax + 1)
    return np.array([np.mean(f * np.exp(-1j * k * phi)) for k in ks])


def _weights(c: MX.Contours, order, dressed=True):
    """{circle index of ``order``: {"A": {a: A(φ)}, "B": {b: B(φ)}, "r": r(φ)}} on contours c."""
    Ga = {a: MX.spin_vertex(c, a, dressed) for a in "xyz"}
    Gb = {b: MX.velocity_vertex(c, b, dressed) for b in "xy"}
    out = {}
    for n, bd in enumerate(c.bands):
        idx = order.index(bd.sign)
        lam = c.weight(n)                     # λ(φ): its mean over φ is λ_n of crossed_rashba
        out[idx] = {"A": {a: lam * np.einsum("nij,ji->n", bd.P, G) for a, G in Ga.items()},
                    "B": {b: lam * np.einsum("nij,nji->n", bd.P, Gb[b][n]) for b in "xy"},
                    "r": bd.r}
    return out


def _combine(moments, Ac, Bc):
    """{ab: {fam: Q}} from moments {(fam, n, m): (nk,)} and coefficient sets Ac[n][a], Bc[m][b]."""
    out = {}
    for a in "xyz":
        for b in "xy":
            ent = {}
            for (fam, n, m), Mk in moments.items():
                ent[fam] = ent.get(fam, 0) + np.sum(Ac[n][a][::-1] * Bc[m][b] * Mk)
            out[a + b] = ent
    return out


def k1_parts(P: Passes, contour_of, g, phi, t: float = 1e-4, dressed: bool = True,
             key: str = "fine", drop: str = "") -> dict:
    """{entry: {fam: {"T1", "T2", "T3"}}} of the first-order change of Q per unit t for
    V = t(g₀ + g_x p_x + g_y p_y); ``contour_of(t)`` -> Contours of H₀ + V at ±t (equidistant
    rays ``phi``), ``g`` = (g₀, g_x, g_y).  ``drop``: "T2" or "T3" leaves a part out (negative
    controls)."""
    c0 = contour_of(0.0)
    bc_order = P.order
    w0 = _weights(c0, bc_order, dressed)
    wp, wm = _weights(contour_of(t), bc_order, dressed), _weights(contour_of(-t), bc_order, dressed)
    n_c = len(bc_order)
    hat = lambda f: _hat(f, phi)
    A0 = {n: {a: hat(w0[n]["A"][a]) for a in "xyz"} for n in range(n_c)}
    B0 = {n: {b: hat(w0[n]["B"][b]) for b in "xy"} for n in range(n_c)}
    M, D1, D2, Z1, Z2 = (x[key] for x in (P.M, P.D1, P.D2, P.Z1, P.Z2))
    # T1: weights at ±t, T fixed
    Ap = {n: {a: hat(wp[n]["A"][a]) for a in "xyz"} for n in range(n_c)}
    Bp = {n: {b: hat(wp[n]["B"][b]) for b in "xy"} for n in range(n_c)}
    Am = {n: {a: hat(wm[n]["A"][a]) for a in "xyz"} for n in range(n_c)}
    Bm = {n: {b: hat(wm[n]["B"][b]) for b in "xy"} for n in range(n_c)}
    qp, qm = _combine(M, Ap, Bp), _combine(M, Am, Bm)
    T1 = {e: {f: (qp[e][f] - qm[e][f]) / (2 * t) for f in qp[e]} for e in qp}
    # T2: δp(φ) ∂T/∂|p| and δp₂(φ) ∂T/∂|p₂|
    dp = {n: (wp[n]["r"] - wm[n]["r"]) / (2 * t) for n in range(n_c)}
    Ad = {n: {a: hat(w0[n]["A"][a] * dp[n]) for a in "xyz"} for n in range(n_c)}
    Bd = {n: {b: hat(w0[n]["B"][b] * dp[n]) for b in "xy"} for n in range(n_c)}
    q1, q2 = _combine(D1, Ad, B0), _combine(D2, A0, Bd)
    T2 = {e: {f: q1[e][f] + q2[e][f] for f in q1[e]} for e in q1}
    # T3: −[g₀ Z₁ + (g_x cos φ₁ + g_y sin φ₁) Z_x + (−g_x sin φ₁ + g_y cos φ₁) Z_y]
    g0, gx, gy = g
    Z = {k: Z1[k] + Z2[k] for k in Z1}
    cs, sn = np.cos(phi), np.sin(phi)
    facs = (g0 * np.ones_like(phi), gx * cs + gy * sn, -gx * sn + gy * cs)
    T3 = {e: {} for e in T1}
    for w, fw in enumerate(facs):
        Aw = {n: {a: hat(w0[n]["A"][a] * fw) for a in "xyz"} for n in range(n_c)}
        q = _combine({k: v[w] for k, v in Z.items()}, Aw, B0)
        for e in q:
            for f in q[e]:
                T3[e][f] = T3[e].get(f, 0) - q[e][f]
    out = {}
    for e in T1:
        out[e] = {f: {"T1": T1[e][f], "T2": 0 if drop == "T2" else T2[e][f],
                      "T3": 0 if drop == "T3" else T3[e][f]} for f in T1[e]}
    return out


def _total(parts, fac):
    return {e: float(fac * sum(sum(v.values()) for v in fams.values()).real) for e, fams in parts.items()}


def mx1_K(point: str, P: Passes, field: str = "x", t: float = 1e-4, nphi: int = 64,
          drop: str = "", dressed: bool = True, unvalidated: bool = False) -> dict:
    """K⁽¹⁾_ab (the coefficient of M_x, or of M_y with ``field="y"``) of the crossed diagrams:
    {"K1": {entry: total}, "parts": {entry: {fam: {T1, T2, T3}}} (×prefactor), "error": {entry:
    |fine − coarse| + |δ − 2δ|}}.

    Refused unless ``unvalidated=True``: the assembly fails :func:`energy_check` (module
    docstring), so its numbers are diagnostics, not results.

    >>> mx1_K("eps=5/4,Delta=3/10,Mz=2/5,m=1", None)
    Traceback (most recent call last):
    ...
    ValueError: crossed K^(1): the first-order assembly fails its energy check; not a result (pass unvalidated=True for diagnostics)
    """
    if not unvalidated:
        raise ValueError("crossed K^(1): the first-order assembly fails its energy check; not a result "
                         "(pass unvalidated=True for diagnostics)")
    eps = float(CT.bands("rashba", point).eps)
    mh0 = MX.model_h("rashba", point)
    a = float(sympy.diff(mh0.h[1], MX.py))
    mass = float(MX.get_model("rashba").point(point)["m"])
    if field == "x":
        g = (0.0, 0.0, 1 / (mass * a))
        contour_of = lambda s: MX.contours(MX.shifted_h("rashba", point, Mx=s) if s else mh0, eps, nphi)
    else:
        g = (0.0, -1 / (mass * a), 0.0)
        contour_of = lambda s: MX.contours(MX.shifted_h("rashba", point, My=s) if s else mh0, eps, nphi)
    phi = 2 * np.pi * np.arange(nphi) / nphi
    fac = mh0.prefactor
    res = {}
    for key in ("fine", "coarse"):
        res[key] = _total(k1_parts(P, contour_of, g, phi, t, dressed, key, drop), fac)
    err = {e: abs(res["fine"][e] - res["coarse"][e]) for e in res["fine"]}
    if P.half:
        Ph = dataclasses.replace(P, D1=P.half["D1"], D2=P.half["D2"], Z1=P.half["Z1"], Z2=P.half["Z2"])
        kh = _total(k1_parts(Ph, contour_of, g, phi, t, dressed, "fine", drop), fac)
        err = {e: err[e] + abs(kh[e] - res["fine"][e]) for e in err}
    parts = k1_parts(P, contour_of, g, phi, t, dressed, "fine", drop)
    return {"K1": res["fine"], "error": err,
            "parts": {e: {f: {k: complex(fac * v) for k, v in d.items()} for f, d in fams.items()}
                      for e, fams in parts.items()}}


def energy_check(point: str, P: Passes, s: float = 1e-4, nphi: int = 64, drop: str = "",
                 dressed: bool = True) -> dict:
    """dK/dε of the crossed diagrams by the first-order machinery (V = −1 per unit of ε)."""
    eps = float(CT.bands("rashba", point).eps)
    mh0 = MX.model_h("rashba", point)
    contour_of = lambda x: MX.contours(mh0, eps + x, nphi)
    phi = 2 * np.pi * np.arange(nphi) / nphi
    res = {}
    for key in ("fine", "coarse"):
        res[key] = _total(k1_parts(P, contour_of, (-1.0, 0.0, 0.0), phi, s, dressed, key, drop), mh0.prefactor)
    return {"dK": res["fine"], "error": {e: abs(res["fine"][e] - res["coarse"][e]) for e in res["fine"]}}
