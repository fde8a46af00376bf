"""Non-crossing ladders: the ladder map, vertex corrections and dressed tensors (App. C).

White-noise disorder ⟨VV⟩ = α_d δ(r − r'), α_d = 1/(m_e τ) = 2γ/m_e.  A rung joins
the R and A lines at equal momentum; with momentum-independent impurity vertices
the momentum integrals of the sections separated by rungs factorise, so a ladder
is a chain of 2x2 linear maps on the Pauli basis ("diffuson"):

    L(X) = α_d Λ [∫ d²p/(2π)² G^R X G^A] Λ,

Λ X Λ is the rung of the disorder correlator, X → Σ_ab W_ab σ_a X σ_b
(:mod:`streda.integrals.disorder`): X for scalar disorder, (1 + u·σ) X (1 + u·σ) for
magnetic white noise V(1 + u·σ) (Born self-energy −iγ₀(1 + u² + 2u·σ), exact on the
whole ξ axis: γ = γ₀(1+u²), γ_z = 2u_zγ₀).

The dressed current vertex (Eq. C5a, with the M_x Dyson series inside) is
Γ = v + α_d Λ ∫ Ḡ^R Γ Ḡ^A Λ.  Writing Γ = v δ_{n0} + D^(n) order by order in M_x,
every D^(n) is momentum independent and solves

    (1 − L) D^(n) = α_d Λ [ Σ_{a+c=n} (−1)^n ∫ (G^Rσx)^a G^R v G^A (σx G^A)^c
                           + Σ_{b<n} Σ_{a+c=n−b} (−1)^{a+c} ∫ (G^Rσx)^a G^R D^(b) G^A (σx G^A)^c ] Λ.

The dressed tensors are then K^(n) = (e/4π)·Σ_{a+b+c=n} (−1)^{a+c} Tr σ_α ∫ … Γ^(b) … (RA part).

>>> from streda.integrals.word import format_word
>>> format_word(chain_terms(1, (Factor("p", "x"),), 2))
'GR sx GR px GA sx GA sx GA'
>>> Disorder(0).spin_dependent, Disorder(0.3).spin_dependent
(False, True)
"""
from __future__ import annotations

import flint

from .backend import Backend
from .bubble import integrate_sum, integrate_word
from .cx import Cx, SelfZero
from .disorder import SCALAR, Disorder
from .kubo import alpha_d
from .pauli import LABELS
from .pointwise import to_acb
from .word import Factor, parse_word

__all__ = ["Disorder", "DiffusonPole", "ladder_map", "chain_terms", "sandwich", "vertex_source",
           "dressed_vertex_numeric", "dressed_K_numeric", "SCALAR"]




def chain_terms(a: int, middle, c: int):
    """The word (G^R σx)^a G^R · middle · G^A (σx G^A)^c."""
    left = parse_word(" ".join(["GR sx"] * a + ["GR"]))
    right = parse_word(" ".join(["GA"] + ["sx GA"] * c))
    return left + tuple(middle) + right


def sandwich(B: Backend, a: int, c: int, X: dict) -> dict:
    """Σ_j X_j ∫ (G^Rσx)^a G^R σ_j G^A (σx G^A)^c, Pauli components (momentum-free X)."""
    out = {lab: B.zero_value() for lab in LABELS}
    for j, xj in X.items():
        if _zero(xj):
            continue
        Y = integrate_word(chain_terms(a, (Factor("sigma", j),), c), B)
        for lab in LABELS:
            out[lab] = out[lab] + xj * Y[lab]
    return out


def _zero(v) -> bool:
    return v.is_zero() if isinstance(v, (Cx, SelfZero)) else v == 0


def ladder_map(B: Backend) -> dict:
    """L[i][j]: component i of α_d ∫ G^R σ_j G^A (scalar disorder)."""
    ad = alpha_d(B)
    return {j: {i: v * ad for i, v in integrate_word(chain_terms(0, (Factor("sigma", j),), 0), B).items()}
            for j in LABELS}


def vertex_source(B: Backend, beta: str, n: int) -> dict:
    """Σ_{a+c=n} (−1)^n ∫ (G^Rσx)^a G^R v_β G^A (σx G^A)^c (Pauli components)."""
    terms = [(chain_terms(a, (Factor("v", beta),), n - a), (-1) ** n) for a in range(n + 1)]
    return integrate_sum(terms, B)


def _lam(disorder):
    """The rung X → Σ_ab W_ab σ_a X σ_b of ``disorder`` (a Disorder, or u for V(1 + u σ_z))
    on Pauli components: balls, or plain Python/numpy numbers for a number u."""
    if not isinstance(disorder, Disorder):
        u = disorder
        return lambda X: {"0": X["0"] * (1 + u * u) + X["z"] * 2 * u, "z": X["z"] * (1 + u * u) + X["0"] * 2 * u,
                          "x": X["x"] * (1 - u * u), "y": X["y"] * (1 - u * u)}
    I = flint.acb(0, 1)
    return lambda X: disorder.rung(X, I=I, conv=to_acb)


def dressed_vertex_numeric(B: Backend, beta: str, order: int, disorder: Disorder = SCALAR,
                           alpha_d_value=None) -> list[dict]:
    """[D^(0), …, D^(order)] for the ball backend, by solving (1 − L) D^(n) = source_n.

    ``alpha_d_value`` overrides α_d (for the spin-dependent control, α_d = 2γ₀).
    """
    ad = alpha_d(B) if alpha_d_value is None else alpha_d_value
    lam = _lam(disorder)
    # L as a 4x4 matrix acting on component vectors
    cols = []
    for j in LABELS:
        Y = integrate_word(chain_terms(0, (Factor("sigma", j),), 0), B)
        Y = lam({k: v * ad for k, v in Y.items()})
        cols.append([Y[i] for i in LABELS])
    A = [[(1 if i == j else 0) - cols[j][i] for j in range(4)] for i in range(4)]
    Ds: list[dict] = []
    for n in range(order + 1):
        rhs = vertex_source(B, beta, n)
        for b in range(n):
            for a in range(n - b + 1):
                S = sandwich(B, a, n - b - a, Ds[b])
                sign = (-1) ** (n - b)
                for k in LABELS:
                    rhs[k] = rhs[k] + sign * S[k]
        rhs = lam({k: v * ad for k, v in rhs.items()})
        Ds.append(_solve(A, [rhs[i] for i in LABELS]))
    return Ds


def _solve(A, b) -> dict:
    """Solve (1 − L) D = b.  1 − L is singular in the charge channel (L(1) = 1: the
    diffusion pole, particle conservation); spin and current sources have no charge
    component, so the system is solved in the (x, y, z) block and the charge row is
    checked to be satisfied (a ball containing 0), else :class:`DiffusonPole` is raised."""
    try:
        sol = flint.acb_mat(A).solve(flint.acb_mat([[x] for x in b]))
        return {lab: sol[i, 0] for i, lab in enumerate(LABELS)}
    except ZeroDivisionError:
        pass
    sub = flint.acb_mat([[A[i][j] for j in range(1, 4)] for i in range(1, 4)])
    sol = sub.solve(flint.acb_mat([[b[i]] for i in range(1, 4)]))
    D = {"0": flint.acb(0), "x": sol[0, 0], "y": sol[1, 0], "z": sol[2, 0]}
    resid = b[0] - sum(A[0][j] * D[lab] for j, lab in enumerate(LABELS))
    if not resid.contains(0):
        raise DiffusonPole("the source excites the charge channel of the diffuson (1 - L singular)")
    return D


class DiffusonPole(ArithmeticError):
    """The ladder sum diverges: the source has a component along the diffusion pole."""


def dressed_K_numeric(B: Backend, alpha: str, beta: str, order: int, disorder: Disorder = SCALAR,
                      alpha_d_value=None) -> list:
    """Reduced dressed K^(n)_{αβ}, n = 0..order: Tr σ_α ∫ Ḡ^R Γ Ḡ^A at order M_x^n (RA part, m_e = 1).

    Multiply by e/(4π)·√m_e for the physical entry (Appendix C normalisation).
    """
    Ds = dressed_vertex_numeric(B, beta, order, disorder, alpha_d_value)
    out = []
    for n in range(order + 1):
        tot = vertex_source(B, beta, n)[alpha] * 2            # Tr σ_α X = 2 X_α
        for b in range(n + 1):
            for a in range(n - b + 1):
                S = sandwich(B, a, n - b - a, Ds[b])
                tot = tot + (-1) ** (n - b) * 2 * S[alpha]
        out.append(tot)
    return out
