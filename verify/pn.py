"""The identity P^(n) = 0 of Eq. (C9), order by order.

    P^(n) = Σ_{m=0}^{n} ∫ d²p/(2π)² [G^R σx]^m G^R Γ^p G^A [σx G^A]^{n−m},   Γ^p = p/m_e,

with the Born-averaged Green's functions of Eq. (C1)–(C3).  The paper checked
n ≤ 7.  Here each order is

* ``exact``: the n+1 diagrams (from :func:`streda.diagrams.pn_diagrams`) summed as
  a rational function of the independent variables s = √(λ²+2iγΔ), t = √(λ²−2iγΔ),
  a = α_R, M = M_z over ℤ (FLINT ``fmpz_mpoly``) -- ``is_zero`` means that the
  numerator polynomial is identically zero; since (s, t, a, M) are algebraically
  independent functions of (ε, γ, Δ, M_z), it is zero if and only if P^(n) is;
* ``numeric``: the same residues in FLINT complex balls at a parameter point,
  the working precision raised until every ball radius is below 10^−dps |P^(0)|;
* ``quad``: the independent mpmath quadrature path (:mod:`streda.integrals.quadrature`);
* ``modular``: a *probabilistic identity test*, not a proof: the same words and residues
  over GF(p) at random points for random 62-bit primes (Schwartz–Zippel,
  :mod:`streda.integrals.modular`), with a stated bound on the chance of missing a
  non-zero P^(n); the exact and all-orders certificates remain the proofs.

Negative controls: ``vertex="bare"`` replaces Γ^p by the bare velocity
v = p/m_e + α_R ẑ×σ; ``gamma_z ≠ 0`` makes the self-energy spin dependent.  Both
must give P^(n) ≠ 0.

>>> expected_zero(0), expected_zero(3), expected_zero(3, vertex="bare")
(False, True, None)
>>> rec = pn_exact(3, "x")
>>> rec.is_zero, rec.method
(True, 'exact')
>>> pn_exact(1, "y", vertex="bare").is_zero      # the negative control must not vanish
False
"""
from __future__ import annotations

import time
from functools import lru_cache
from dataclasses import asdict, dataclass, field

import mpmath

from streda.integrals import evaluate as ev
from streda.integrals.model import RashbaModel
from streda.integrals.pointwise import to_acb

__all__ = ["PnRecord", "pn_terms", "pn_exact", "pn_numeric", "pn_quad", "pn_modular", "expected_zero",
           "orders_as_expected", "EXACT_ALGEBRA", "MODULAR_NOTE"]

EXACT_ALGEBRA = ("exact polynomial arithmetic over Z in the independent variables "
                 "s=sqrt(lambda^2+2i*gamma*Delta), t=sqrt(lambda^2-2i*gamma*Delta), a=alpha_R, M=M_z "
                 "(FLINT fmpz_mpoly), denominators kept as products of known linear forms")

MODULAR_NOTE = ("probabilistic identity test (Schwartz-Zippel), not a proof: the exact certificate "
                "(--method exact) and the all-orders certificate (--all-orders) are the proofs")


@dataclass
class PnRecord:
    """One (order, component) result; JSON-ready via :meth:`to_json`."""

    order: int
    component: str
    method: str
    is_zero: bool
    max_abs: str
    seconds: float
    value: dict | None = None
    vertex: str = "p"
    certificate: str = ""
    expected_zero: bool | None = True
    extra: dict = field(default_factory=dict)

    @property
    def as_expected(self) -> bool:
        return self.is_zero == self.expected_zero

    def to_json(self) -> dict:
        d = asdict(self)
        if not d["extra"]:
            d.pop("extra")
        return d


def expected_zero(order: int, vertex: str = "p", gamma_z=0) -> bool | None:
    """What Eq. (C9) predicts for one component: zero for n ≥ 1 with Γ^p and scalar disorder,
    non-zero for n = 0.  For the negative controls (n ≥ 1) no single component is predicted:
    the claim is about the order as a whole (see :func:`orders_as_expected`), since a control
    may leave one component zero by a residual symmetry (the spin-dependent self-energy keeps
    P^(n)_x = 0 at odd n)."""
    if order == 0:
        return False
    if vertex == "p" and gamma_z == 0:
        return True
    return None


def orders_as_expected(records) -> bool:
    """Every component with a prediction matches it, and every control order n ≥ 1 is non-zero
    in at least one component."""
    ok = all(r["is_zero"] == r["expected_zero"] for r in records if r["expected_zero"] is not None)
    by_order: dict = {}
    for r in records:
        if r["expected_zero"] is None:
            by_order.setdefault(r["order"], []).append(r["is_zero"])
    return ok and all(not all(z) for z in by_order.values())


def pn_terms(order: int, component: str, vertex: str = "p"):
    """[(word, coefficient)] of P^(order) from the diagram enumerator (Fig. 4)."""
    return list(_pn_terms(order, component, vertex))


@lru_cache(maxsize=512)
def _pn_terms(order: int, component: str, vertex: str) -> tuple:
    """Cached per (order, component, vertex): the enumerator validates each diagram once and
    stores its word as the graph attribute ``word``, read here as data."""
    from streda.diagrams import pn_diagrams

    op = {"p": "p_", "bare": "v_"}[vertex] + component
    return tuple((d.graph["word"], 1) for d in pn_diagrams(order, vertex=op))


def _matrix_zero(vals: dict) -> bool:
    return all(v.is_zero() for v in vals.values())


def pn_exact(order: int, component: str, vertex: str = "p", gamma_z=0,
             point: RashbaModel | None = None) -> PnRecord:
    """Exact certificate for one order; ``max_abs`` is evaluated at ``point`` when non-zero."""
    t0 = time.perf_counter()
    sd = gamma_z != 0
    vals = ev.evaluate(pn_terms(order, component, vertex), "exact", spin_dependent=sd)
    zero = _matrix_zero(vals)
    secs = time.perf_counter() - t0
    max_abs = "0"
    value = None
    if not zero and point is not None:
        num = pn_numeric(order, component, point, 30, vertex=vertex)
        max_abs, value = num.max_abs, num.value
    elif not zero:
        max_abs = "nonzero"
    extra = p0_closed_form(vals, component) if order == 0 and vertex == "p" and not sd else {}
    return PnRecord(order, component, "exact", zero, max_abs, round(secs, 4), value, vertex,
                    EXACT_ALGEBRA, expected_zero(order, vertex, gamma_z), extra)


def p0_closed_form(vals: dict, component: str) -> dict:
    """P^(0) in closed form (exact in γ) and its comparison with (C4) lines 3–4, which give
    ∫ G^R (p/m) G^A = (α_R m_e/2γ) · [α_d ∫ G^A (p/α_R m_e) G^R]."""
    import sympy

    from streda.integrals import model as M

    from .compare import compare_expressions
    from .printed import tensors as printed

    out, status = {}, []
    for lab in ("0", "x", "y", "z"):
        v = vals[lab]
        expr = sympy.Integer(0) if v.is_zero() else sympy.simplify(ev.exact_to_sympy(v) * ev.restore_mass(1))
        out[lab] = sympy.sstr(expr)
        want = printed.get("C4", lab, f"p_{component}/(alpha_R m_e)").expr * M.alpha_R * M.m_e / (2 * M.gamma)
        status.append(compare_expressions(expr, printed.canonical(want), equation="C4", row=lab,
                                          column=f"p_{component}").status)
    return {"closed_form": out, "c4_lines_3_4": "agrees" if set(status) == {"agrees"} else "differs"}


def _ball_values(terms, point: RashbaModel, digits: int) -> dict:
    with ev.flint_precision(digits):
        vals = ev.evaluate(terms, "numeric", point, digits)
        mfac = to_acb(ev.restore_mass(1, point.m))     # one velocity vertex
        return {k: v * mfac for k, v in vals.items()}


@lru_cache(maxsize=64)
def pn_scale(component: str, point: RashbaModel, dps: int, vertex: str = "p"):
    """A rigorous lower bound of |P^(0)| (the scale of the P^(n) check), raising the
    working precision until the P^(0) ball is resolved (cached: every order uses it)."""
    digits = dps + 10
    for _ in range(8):
        p0 = _ball_values(pn_terms(0, component, vertex), point, digits)
        lo = max(ev.ball_lower_abs(v) for v in p0.values())
        if lo > 0 and max(ev.ball_radius(v) for v in p0.values()) <= lo * mpmath.mpf(10) ** (-5):
            return lo
        digits *= 2
    raise ev.PrecisionError(f"P^(0) could not be resolved with up to {digits // 2} working digits "
                            "at this parameter point (extreme parameters?)")


def pn_numeric(order: int, component: str, point: RashbaModel, dps: int = 50,
               vertex: str = "p", scale=None) -> PnRecord:
    """Ball-arithmetic residues at ``point``; every ball radius ≤ 10^−dps·scale with
    scale a rigorous lower bound of |P^(0)| (raised precision until both hold)."""
    t0 = time.perf_counter()
    terms = pn_terms(order, component, vertex)
    if scale is None:
        scale = pn_scale(component, point, dps, vertex)
    target = mpmath.mpf(10) ** (-dps) * scale
    guard = 10 + order
    for _ in range(8):
        vals = _ball_values(terms, point, dps + guard)
        worst = max(ev.ball_radius(v) for v in vals.values())
        if worst <= target:
            break
        guard *= 2
    else:
        raise ev.PrecisionError(f"P^({order}): could not reach {dps} digits relative to |P^(0)| "
                                f"with {dps + guard // 2} working digits")
    upper = max(ev.ball_upper_abs(v) for v in vals.values())
    value = {k: ev.ball_to_strings(v, dps) for k, v in vals.items()}
    zero_ball = all(v.contains(0) for v in vals.values())
    return PnRecord(order, component, "numeric", zero_ball, mpmath.nstr(upper, 5),
                    round(time.perf_counter() - t0, 4), value, vertex,
                    f"FLINT acb ball arithmetic at {dps + guard} digits; every component's radius "
                    f"<= 1e-{dps} x |P^(0)|; is_zero means every ball contains 0",
                    expected_zero(order, vertex, point.gamma_z),
                    {"working_digits": dps + guard, "scale": mpmath.nstr(scale, 10)})


def pn_quad(order: int, component: str, point: RashbaModel, dps: int = 30,
            vertex: str = "p") -> PnRecord:
    """The independent quadrature path (mpmath), summed over the n+1 diagrams."""
    from streda.integrals.quadrature import integrate_word_quad

    t0 = time.perf_counter()
    tot = {k: mpmath.mpc(0) for k in ("0", "x", "y", "z")}
    err = mpmath.mpf(0)
    with mpmath.workdps(dps):
        for word, c in pn_terms(order, component, vertex):
            vals, e = integrate_word_quad(word, point, dps, error=True)
            for k in tot:
                tot[k] += c * vals[k]
            err += abs(e) if not isinstance(e, dict) else max(abs(x) for x in e.values())
        upper = max(abs(v) for v in tot.values())
        value = {k: [mpmath.nstr(v.real, dps), mpmath.nstr(v.imag, dps)] for k, v in tot.items()}
    scale = pn_scale(component, point, 20, vertex) if order > 0 else upper
    tol = mpmath.mpf(10) ** (-(dps // 2)) * scale + 10 * err
    return PnRecord(order, component, "quad", bool(upper <= tol), mpmath.nstr(upper, 5),
                    round(time.perf_counter() - t0, 4), value, vertex,
                    f"mpmath quadrature at {dps} digits; is_zero means max|component| <= "
                    f"{mpmath.nstr(tol, 3)} (1e-{dps // 2} |P^(0)| + 10 x the quadrature error)",
                    expected_zero(order, vertex, point.gamma_z))


def modular_seed(seed: int, order: int, component: str, vertex: str, spin_dependent: bool) -> int:
    """The seed of one record, derived from the user's ``seed`` (deterministic, platform independent).

    >>> modular_seed(0, 3, "x", "p", False) == modular_seed(0, 3, "x", "p", False) != modular_seed(1, 3, "x", "p", False)
    True
    """
    import hashlib

    text = f"streda-pn-modular:{seed}:{order}:{component}:{vertex}:{int(spin_dependent)}"
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "big")


def pn_modular(order: int, component: str, vertex: str = "p", gamma_z=0, seed: int = 0,
               pairs: int = 2) -> PnRecord:
    """P^(order) at ``pairs`` random points modulo random 62-bit primes: a probabilistic
    identity test with the error bound of :func:`streda.integrals.modular.error_bound`.

    >>> r = pn_modular(2, "y")
    >>> r.is_zero, r.method, r.extra["pairs"], r.extra["error_bound"] < 1e-20
    (True, 'modular', 2, True)
    >>> pn_modular(2, "y", vertex="bare").is_zero         # the negative control must not vanish
    False
    """
    from streda.integrals.modular import modular_test

    t0 = time.perf_counter()
    sd = gamma_z != 0
    rseed = modular_seed(seed, order, component, vertex, sd)
    res = modular_test(pn_terms(order, component, vertex), seed=rseed, pairs=pairs, spin_dependent=sd)
    b = res.bound
    cert = (f"{MODULAR_NOTE}. The same words and residues over GF(p) at {pairs} independent random "
            f"points, one per random 62-bit prime; degree bound: numerator <= {b.numerator}, "
            f"denominator <= {b.denominator}, decay coefficients <= {b.tail_degree} in total "
            f"(bounds propagated through the same algorithm); a non-zero P^({order}) is missed with "
            f"probability <= {res.per_point:.2e} per point, <= {res.error_bound:.2e} for all {pairs}")
    extra = {"seed": seed, "record_seed": rseed, "pairs": pairs,
             "primes": [q["prime"] for q in res.pairs], "points": [q["point"] for q in res.pairs],
             "degree_bound": b.to_json(), "error_bound_per_point": res.per_point,
             "error_bound": res.error_bound, "redraws": res.redraws, "proof": False}
    return PnRecord(order, component, "modular", res.is_zero, "0" if res.is_zero else "non-zero mod p",
                    round(time.perf_counter() - t0, 4), None, vertex, cert,
                    expected_zero(order, vertex, gamma_z), extra)
