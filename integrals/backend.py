"""The evaluation-backend interface: one residue algorithm over several number contexts.

The shared algorithms (:mod:`~streda.integrals.harmonics`, :mod:`~streda.integrals.bubble`,
:mod:`~streda.integrals.kubo`, :mod:`~streda.integrals.ladder`,
:mod:`~streda.integrals.dressing`) are written once against :class:`Backend`; each backend
supplies the ring its values live in, as mpmath's ``ctx_*`` modules do for mpmath:

- :class:`~streda.integrals.exact.ExactBackend`: rational functions of (s, t, a, M[, N]), exact;
- :class:`~streda.integrals.pointwise.RationalPointBackend`: one rational point (s, t, a, M), exact;
- :class:`~streda.integrals.pointwise.BallBackend`: one physical point, FLINT complex balls;
- :class:`~streda.integrals.modular.ModularBackend`: one point of GF(p)^4, exact modulo p;
- :class:`~streda.integrals.modular.DegreeBoundBackend`: degree and coefficient-size bounds.

Polynomials are in η, the variable of the residue sum (Eq. C3); at a point
s = √(λ² + 2iγΔ), t = √(λ² − 2iγΔ), a² = Δ, and M_R, M_A are the retarded and advanced
exchange fields.

>>> from streda.integrals.exact import ExactBackend
>>> from streda.integrals.pointwise import RationalPointBackend
>>> all(isinstance(B, Backend) for B in (ExactBackend(), RationalPointBackend(3, 2, 1, 1)))
True
"""
from __future__ import annotations

from fractions import Fraction
from typing import Any, Protocol, runtime_checkable

__all__ = ["Backend"]


@runtime_checkable
class Backend(Protocol):
    """What the shared algorithms use of a backend (nothing else may be probed).

    Ring data
      ``one``, ``zero``, ``eta``: the polynomial 1, 0 and the integration variable η;
      ``s``, ``t``, ``a``, ``MR``, ``MA``: the parameters as ring elements (symbols for the exact
      backend, numbers at a point, bounds for the degree backend); ``P(x)`` embeds an integer or
      ring element as a polynomial; ``coeffs(p)`` is ``{η-degree: coefficient}``.
    Model
      ``model``: the model name or :class:`~streda.integrals.models.Model` whose rotated frame
      the algorithms use (every constructor sets it).
    Residue sum (:mod:`~streda.integrals.bubble`)
      ``residue_part``, ``tail``, ``arc_part``, ``combine``, ``scale``, ``finish``, ``add_all``
      and ``zero_value()`` (the zero of the value type: a :class:`~streda.integrals.cx.Cx` or a ball).
    Caches
      ``products``: the cache of primed-frame word products, owned by the backend object (a cache
      keyed by ``id(B)`` would hand a new backend at a reused address a dead one's products).
    Physics
      ``alpha_d()``: α_d = 1/(m_e τ) = 2γ in the backend's value type.
    """

    one: Any
    zero: Any
    eta: Any
    s: Any
    t: Any
    a: Any
    MR: Any
    MA: Any
    model: Any
    products: dict

    def P(self, x) -> Any: ...

    def coeffs(self, p) -> dict: ...

    def residue_part(self, coeffs: dict, nR: int, nA: int, decay: int = 2) -> Any: ...

    def tail(self, coeffs: dict, den_deg: int, word=None, lab=None) -> tuple: ...

    def arc_part(self, lc) -> Any: ...

    def combine(self, h, arc) -> Any: ...

    def scale(self, h, c: Fraction) -> Any: ...

    def finish(self, inner, c: Fraction, ipow: int, apow: int) -> Any: ...

    def add_all(self, parts) -> Any: ...

    def zero_value(self) -> Any: ...

    def alpha_d(self) -> Any: ...
