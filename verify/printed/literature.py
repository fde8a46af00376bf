"""Printed closed forms of the anomalous Hall conductivity, as data to compare against.

Nothing here is used by the engine (:mod:`streda.integrals.hall`); these are the
literature's equations, kept only for ``verify``.  Units e²/h, ħ = 1, scalar Gaussian
white-noise disorder, leading order in the disorder strength, Fermi energy ε > 0.

Massive 2D Dirac model H = v σ·p + m σ_z (|ε| > |m|, the Fermi level in the upper band):

* Sinitsyn, MacDonald, Jungwirth, Dugaev, Sinova, PRB 75, 045315 (2007), non-crossing
  (ladder) Kubo–Středa; the same total is quoted by Ado, Dmitriev, Ostrovsky, Titov,
  EPL 111, 37004 (2015) as σ^nc:
  intrinsic  −(m/2ε),
  side jump  −(m/2ε)·4(ε² − m²)/(ε² + 3m²),
  skew       −(m/2ε)·3(ε² − m²)²/(ε² + 3m²)²,
  total      σ^nc = −4εm(ε² + m²)/(ε² + 3m²)².
* Inside the gap (|ε| < |m|): σ_xy = −½ sgn m.
* Ado et al. (2015), with the X and Ψ diagrams: σ_xy = −8εm³/(ε² + 3m²)².

Rashba ferromagnet H = p²/2m + α(σ×p)_z − M_z σ_z, both subbands occupied: non-crossing
σ_xy = 0 (Nunner et al., PRB 76, 235312 (2007)); Ado et al., PRL 117, 046601 (2016): the X
and Ψ diagrams give a finite σ_xy.

Provenance: the forms above were written down from the cited papers as remembered by the
author of this module; the search tool available while writing it returned the abstracts
(which state the qualitative claims: X and Ψ reverse the sign of skew scattering and
suppress σ_xy at high density) but not the equations.  A second search (issue 10 session:
arXiv 1504.03658 on ar5iv / arxiv-vanity, Ado et al. 2017 arXiv 1710.09354, the Weyl-metal
follow-up arXiv 2303.05829) again returned abstracts and introductions only, so the crossed
form remains *unconfirmed from the text*.  Independent evidence: streda's own evaluation of
the X and Ψ diagrams (``streda.integrals.crossed``, which never reads this module) adds
+4εm(ε² − m²)/(ε² + 3m²)² to the ladder value and so reproduces −8εm³/(ε² + 3m²)² to 11–13
significant digits at five values of ε/m for both signs of m (``verify hall_dirac_crossed``);
the abstract's two qualitative claims (sign reversal of skew scattering, suppression at high
density: σ_xy ∝ m³/ε³ instead of m/ε) hold for it.  Their parts sum to the stated total
exactly (checked below), and the massive-Dirac total is continuous with −½ sgn m at ε = m.
A third search (issue 10, Rashba session: ``1511.07413`` and ``1504.03658`` by number and by
title, and the formula itself) again returned only abstracts (tomesphere, arxiv-vanity) and
no equations, so the Dirac crossed form stays *unconfirmed from the text*.  A third,
independent evaluation now agrees with it: ``streda.integrals.crossed_rashba`` (radial
partial fractions in |k| at fixed direction, principal value + on-shell part at the circle
intersections; no Feynman parameter, no Glauert formula) gives X = +4εm(ε² − m²)/(ε² + 3m²)²
and Ψ_R + Ψ_A = 0 to 1e-15 at ε/m = 2.

A fourth search (session 4) found the non-crossing equations quoted *with their equation
numbers* in a public Lean 4 formalisation of the paper's results (GitHub
``naoki-cpp/LeanCondensedMatter``, massive-Dirac Hall modules): EPL Eq. (3),
σ^nc = −(4e²/h)εm(ε² + m²)/(ε² + 3m²)², and Eqs. (12a–c), intrinsic −m/2ε, side jump
−2m(ε² − m²)/(ε(ε² + 3m²)), skew −3m(ε² − m²)²/(2ε(ε² + 3m²)²).  These equal
:func:`dirac_nc` and :func:`dirac_nc_parts` term by term, so the non-crossing forms are now
*confirmed from a secondary source that cites the equations*.  That formalisation names the
crossed topologies of EPL Eqs. (13)–(14) (X and Ψ, with "Ψ = 0" listed among the evaluations it
does not claim, consistent with streda's Ψ_R + Ψ_A = 0) but states no closed X value, so
:func:`dirac_crossed` stays *unconfirmed from the text*.

Rashba ferromagnet with X and Ψ (Ado et al., PRL 117, 046601 (2016)): the closed form was
**not found** (abstract only: "skew scattering on rare impurity pairs … provides the only
contribution to the anomalous Hall conductivity in the most relevant metallic regime").
:data:`RASHBA_CROSSED` is therefore ``None`` and nothing is compared against it.

>>> import sympy
>>> e, m = sympy.symbols("varepsilon m", positive=True)
>>> sympy.simplify(sum(dirac_nc_parts(e, m).values()) - dirac_nc(e, m))
0
>>> dirac_nc(1, 1), dirac_crossed(1, 1), dirac_gap(1)
(-1/2, -1/2, -1/2)
"""
from __future__ import annotations

import sympy

__all__ = ["dirac_nc", "dirac_nc_parts", "dirac_gap", "dirac_crossed", "SOURCES", "RASHBA_CROSSED"]

#: the printed closed form of the Rashba ferromagnet's crossed σ_xy: not found (see above)
RASHBA_CROSSED = None

SOURCES = {
    "dirac_nc": "Sinitsyn et al., PRB 75, 045315 (2007); Ado et al., EPL 111, 37004 (2015), "
                "Eqs. (3), (12a-c) (confirmed as quoted with equation numbers in a public formalisation)",
    "dirac_gap": "Sinitsyn et al., PRB 75, 045315 (2007)",
    "dirac_crossed": "Ado et al., EPL 111, 37004 (2015) (recalled; not confirmed from the text)",
    "rashba_nc_zero": "Nunner et al., PRB 76, 235312 (2007)",
    "rashba_crossed": "Ado et al., PRL 117, 046601 (2016): closed form not found (abstract only)",
}


def _s(v):
    return sympy.nsimplify(v) if isinstance(v, float) else sympy.sympify(v)


def dirac_nc_parts(eps, m) -> dict:
    """Intrinsic, side-jump and skew parts of the non-crossing σ_xy (e²/h), ε > |m|."""
    eps, m = _s(eps), _s(m)
    k2 = eps ** 2 - m ** 2
    base = -m / (2 * eps)
    return {"intrinsic": base,
            "side_jump": base * 4 * k2 / (eps ** 2 + 3 * m ** 2),
            "skew": base * 3 * k2 ** 2 / (eps ** 2 + 3 * m ** 2) ** 2}


def dirac_nc(eps, m):
    """σ_xy^nc = −4εm(ε² + m²)/(ε² + 3m²)² (e²/h), ε > |m|."""
    eps, m = _s(eps), _s(m)
    return -4 * eps * m * (eps ** 2 + m ** 2) / (eps ** 2 + 3 * m ** 2) ** 2


def dirac_gap(m):
    """σ_xy = −½ sgn m (e²/h) with the Fermi level in the gap."""
    return -sympy.sign(_s(m)) / 2


def dirac_crossed(eps, m):
    """σ_xy with the X and Ψ diagrams: −8εm³/(ε² + 3m²)² (e²/h), ε > |m|."""
    eps, m = _s(eps), _s(m)
    return -8 * eps * m ** 3 / (eps ** 2 + 3 * m ** 2) ** 2
