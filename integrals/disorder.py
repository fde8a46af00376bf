"""Disorder as a correlator: white noise with a spin structure, its Born self-energy and its rung.

A Gaussian white-noise potential with spin structure V(r) Σ_a c_a σ_a has the correlator

    ⟨V_a(r) V_b(r')⟩ = α_d0 W_ab δ(r − r'),    a, b ∈ {0, x, y, z},

W symmetric.  Scalar disorder (the paper, Eq. C1) is W = diag(1, 0, 0, 0).  Magnetic
white noise V(1 + u·σ) is the rank-one W = (1, u)(1, u)ᵀ.  From W alone:

* the ladder rung (superoperator) X → Σ_ab W_ab σ_a X σ_b  (:meth:`Disorder.rung`);
* the Born self-energy.  With ξ over the whole real axis ∫ d²p/(2π)² G^R = −(i m_e/2)·1
  for any momentum-independent self-energy that keeps the retarded poles in the upper
  half plane (the integrand is a rational function decaying like −1/ξ; only the arc
  counts), so exactly

      Σ^R = α_d0 Σ_ab W_ab σ_a ∫G^R σ_b = −i (m_e α_d0/2) (n₀ + n·σ),
      n₀ = W_00 + W_xx + W_yy + W_zz,   n_i = W_0i + W_i0.

  streda's ``gamma`` is always the σ₀ part γ = m_e α_d0 n₀/2 (= 1/2τ for scalar
  disorder), so α_d0 = 2γ/(m_e n₀) and Σ^R = −i(γ + γ·n/n₀ ·σ)  (:meth:`Disorder.born`).

For V(1 + u_z σ_z): n₀ = 1 + u², n = (0, 0, 2u): γ_z = 2uγ/(1 + u²), α_d0 = 2γ/(m(1 + u²)).

>>> d = Disorder.magnetic(uz="3/10")
>>> d
Disorder.magnetic(ux=0, uy=0, uz=3/10)
>>> d.born(sympy.Rational(1, 10))          # (γ, γ_x, γ_y, γ_z)
(1/10, 0, 0, 6/109)
>>> d.alpha_d0(sympy.Rational(1, 10))      # 2γ/(m n₀), m = 1
20/109
>>> SCALAR.spin_dependent, d.spin_dependent, d.along_z
(False, True, True)
>>> parse_disorder("magnetic:uz=1/2,ux=0")
Disorder.magnetic(ux=0, uy=0, uz=1/2)
>>> parse_disorder("magnetic:w=1")
Traceback (most recent call last):
...
streda.integrals.model.ModelError: magnetic disorder takes ux, uy, uz, not 'w'
"""
from __future__ import annotations

from dataclasses import dataclass

import sympy

from .model import ModelError, _number

__all__ = ["Disorder", "SCALAR", "parse_disorder", "LABELS4"]

LABELS4 = ("0", "x", "y", "z")


def _value(name: str, x) -> sympy.Expr:
    """A sympy value (symbols allowed) as it is; anything else, text included, through the safe
    reader :func:`~streda.integrals.model._number`."""
    return x if isinstance(x, sympy.Basic) else _number(name, x)


def _sym4(W) -> tuple:
    rows = tuple(tuple(_value("W", x) for x in r) for r in W)
    if len(rows) != 4 or any(len(r) != 4 for r in rows):
        raise ModelError("a disorder correlator W is a 4x4 matrix over (0, x, y, z)")
    if any(rows[a][b] != rows[b][a] for a in range(4) for b in range(4)):
        raise ModelError("a disorder correlator W must be symmetric")
    return rows


@dataclass(frozen=True, init=False)
class Disorder:
    """White-noise disorder with correlator matrix ``W`` over (σ₀, σ_x, σ_y, σ_z).

    ``Disorder(u)`` with a number keeps the old meaning V(1 + u σ_z); use
    :meth:`scalar`, :meth:`magnetic` or ``Disorder(W=...)`` otherwise.
    """

    W: tuple
    #: (u_x, u_y, u_z) when W is the rank-one magnetic correlator, else None
    u_vec: "tuple | None"

    def __init__(self, u=0, *, W=None):
        if W is None:
            ux, uy, uz = (0, 0, u) if not isinstance(u, (tuple, list)) else u
            uvec = tuple(_number(n, v) if isinstance(v, str) else sympy.nsimplify(v)
                         for n, v in zip(("ux", "uy", "uz"), (ux, uy, uz)))
            c = (sympy.Integer(1),) + uvec
            W = tuple(tuple(c[a] * c[b] for b in range(4)) for a in range(4))
            object.__setattr__(self, "u_vec", uvec)
        else:
            object.__setattr__(self, "u_vec", None)
        object.__setattr__(self, "W", _sym4(W))

    @classmethod
    def scalar(cls) -> "Disorder":
        return cls(0)

    @classmethod
    def magnetic(cls, ux=0, uy=0, uz=0) -> "Disorder":
        """V(1 + u·σ): W = (1, u)(1, u)ᵀ."""
        return cls((ux, uy, uz))

    def __repr__(self) -> str:
        if self.u_vec is not None:
            if not any(self.u_vec):
                return "Disorder.scalar()"
            ux, uy, uz = self.u_vec
            return f"Disorder.magnetic(ux={ux}, uy={uy}, uz={uz})"
        return f"Disorder(W={self.W})"

    @property
    def u(self):
        """u_z (the spin-dependent control V(1 + u σ_z) of the ladder code)."""
        return self.u_vec[2] if self.u_vec is not None else None

    @property
    def spin_dependent(self) -> bool:
        return any(self.W[a][b] != 0 for a in range(4) for b in range(4) if (a, b) != (0, 0))

    @property
    def along_z(self) -> bool:
        """True when W involves only σ₀ and σ_z (the self-energy keeps the exact frame)."""
        return all(self.W[a][b] == 0 for a in range(4) for b in range(4) if a in (1, 2) or b in (1, 2))

    def describe(self) -> str:
        """Short text for JSON records and the CLI ("scalar" or "magnetic:ux=..,uy=..,uz=..")."""
        if not self.spin_dependent:
            return "scalar"
        if self.u_vec is not None:
            return "magnetic:" + ",".join(f"{n}={v}" for n, v in zip(("ux", "uy", "uz"), self.u_vec))
        return f"W={self.W}"

    # ------------------------------------------------------------ Born self-energy
    def n(self) -> tuple:
        """(n₀, n_x, n_y, n_z): Σ_ab W_ab σ_a σ_b = n₀ + n·σ (W symmetric)."""
        W = self.W
        return (sum(W[a][a] for a in range(4)),) + tuple(W[0][i] + W[i][0] for i in (1, 2, 3))

    def born(self, gamma) -> tuple:
        """(γ, γ_x, γ_y, γ_z) with Σ^R = −i(γ + γ·σ) = −Σ^A, exact on the whole ξ axis."""
        n0, *nv = self.n()
        if n0 == 0:
            raise ModelError("the disorder correlator has no sigma_0 part (n0 = 0)")
        gamma = _value("gamma", gamma)
        return (gamma,) + tuple(sympy.nsimplify(gamma * x / n0) for x in nv)

    def alpha_d0(self, gamma, m=1):
        """α_d0 = 2γ/(m_e n₀): the strength of the correlator for a given σ₀ broadening γ."""
        return sympy.nsimplify(2 * _value("gamma", gamma) / (_value("m", m) * self.n()[0]))

    # ------------------------------------------------------------ the rung
    def rung(self, X: dict, I=sympy.I, conv=None) -> dict:
        """Σ_ab W_ab σ_a X σ_b on Pauli components {"0","x","y","z"} (any ring; ``I`` is its i,
        ``conv`` maps the exact entries of W into it).

        >>> Disorder(sympy.Rational(1, 2)).rung({"0": 0, "x": 1, "y": 0, "z": 0})   # (1+uσz)σx(1+uσz)
        {'0': 0, 'z': 0, 'x': 3/4, 'y': 0}
        >>> Disorder.magnetic(ux=1).rung({"0": 1, "x": 0, "y": 0, "z": 0})           # (1+σx)²
        {'0': 2, 'x': 2, 'y': 0, 'z': 0}
        """
        if self.u_vec is not None and self.along_z:     # the closed form Λ X Λ, Λ = 1 + u σ_z
            u = self.u_vec[2] if conv is None else conv(self.u_vec[2])
            x0, xx, xy, xz = (X.get(k) for k in LABELS4)
            one_u2, two_u = 1 + u * u, 2 * u
            return {"0": x0 * one_u2 + xz * two_u, "z": xz * one_u2 + x0 * two_u,
                    "x": xx * (1 - u * u), "y": xy * (1 - u * u)}
        Xm = _matrix(X, I)
        out = None
        for a in range(4):
            for b in range(4):
                w = self.W[a][b]
                if w == 0:
                    continue
                w = w if conv is None else conv(w)
                term = _scale(_mul(_mul(_PAULI(a, I), Xm), _PAULI(b, I)), w)
                out = term if out is None else [p + q for p, q in zip(out, term)]
        if out is None:
            out = [0 * v for v in _matrix(X, I)]
        return _components(out, I)


def _PAULI(a: int, I):
    return [(1, 0, 0, 1), (0, 1, 1, 0), (0, -I, I, 0), (1, 0, 0, -1)][a]


def _matrix(X, I):
    x0, xx, xy, xz = (X.get(k) for k in LABELS4)
    return (x0 + xz, xx - I * xy, xx + I * xy, x0 - xz)


def _mul(A, B):
    a1, b1, c1, d1 = A
    a2, b2, c2, d2 = B
    return (a1 * a2 + b1 * c2, a1 * b2 + b1 * d2, c1 * a2 + d1 * c2, c1 * b2 + d1 * d2)


def _scale(A, w):
    return [x * w for x in A]


def _components(m, I) -> dict:
    a, b, c, d = m
    return {"0": (a + d) / 2, "x": (b + c) / 2, "y": (c - b) / (2 * I), "z": (a - d) / 2}


SCALAR = Disorder(0)


def parse_disorder(text: "str | Disorder | None") -> Disorder:
    """``"scalar"`` or ``"magnetic:ux=..,uy=..,uz=.."`` (exact numbers) into a :class:`Disorder`."""
    if text is None or isinstance(text, Disorder):
        return text if text is not None else SCALAR
    text = str(text).strip()
    if text == "scalar":
        return SCALAR
    head, _, rest = text.partition(":")
    if head != "magnetic":
        raise ModelError(f"unknown disorder {text!r}; use scalar or magnetic:ux=..,uy=..,uz=..")
    vals = {"ux": 0, "uy": 0, "uz": 0}
    for item in rest.split(","):
        item = item.strip()
        if not item:
            continue
        name, eq, value = (x.strip() for x in item.partition("="))
        if not eq:
            raise ModelError(f"disorder parameter {item!r} is not of the form name=value")
        if name not in vals:
            raise ModelError(f"magnetic disorder takes ux, uy, uz, not {name!r}")
        vals[name] = _number(name, value)
    return Disorder.magnetic(**vals)
