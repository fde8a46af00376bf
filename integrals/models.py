"""Models as data: the clean Hamiltonian H(p), its velocity and what the engine can do with it.

A :class:`Model` owns a two-band Bloch Hamiltonian

    H(p) = h₀(p) σ₀ + h(p)·σ,

written as sympy expressions in the momentum symbols :data:`px`, :data:`py` and the
model's own parameter symbols.  Everything else (backends, the quadrature path, the
certificate, the torque algebra, the Hall conductivity) takes a model and derives what
it needs from it; no second hand-typed Hamiltonian exists.  The velocity is v = ∂H/∂p
(Eq. 9 for the Rashba model).

The built-in models are plain constructors collected in :data:`BUILTIN`; looking a name
up never registers anything.

>>> r = get_model("rashba")
>>> r
Model('rashba')
>>> r.h                                # (h₀, h_x, h_y, h_z)
((p_x**2 + p_y**2)/(2*m_e), -M_x + alpha_R*p_y, -M_y - alpha_R*p_x, -M_z)
>>> r.velocity("x")                    # v_x = p_x/m_e − α_R σ_y   (Eq. 9)
Matrix([
[   p_x/m_e, I*alpha_R],
[-I*alpha_R,   p_x/m_e]])
>>> get_model("dirac").velocity("y")   # v_y = v σ_y
Matrix([
[  0, -I*v],
[I*v,    0]])
>>> get_model("graphene")
Traceback (most recent call last):
...
streda.integrals.model.ModelError: unknown model 'graphene'; known: rashba, dresselhaus, dirac, rashba+dresselhaus
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import sympy

from .model import Delta, Mx, Mz, ModelError, _number, alpha_R, e_charge, m_e, split_params

__all__ = ["Model", "ModelPoint", "Parameter", "as_expr", "ModelError", "px", "py", "My", "beta_D", "v_D", "m_D",
           "rashba", "dresselhaus", "dirac", "rashba_dresselhaus", "BUILTIN", "get_model",
           "CAPABILITIES", "Frame", "frame_of"]

px = sympy.Symbol("p_x", real=True)
py = sympy.Symbol("p_y", real=True)
My = sympy.Symbol("M_y", real=True)
beta_D = sympy.Symbol("beta_D", real=True)   # Dresselhaus coupling next to Rashba
v_D = sympy.Symbol("v", positive=True)       # Dirac velocity
m_D = sympy.Symbol("m", real=True)           # Dirac mass

#: what a model may support: the exact residue engine (rational functions, exact in γ),
#: its ball-arithmetic twin, residues in ξ per angle with a trapezoid rule in φ,
#: and the independent 2D quadrature
CAPABILITIES = ("exact", "ball", "angle-trapezoid", "quadrature")

_PAULI = (sympy.eye(2), sympy.Matrix([[0, 1], [1, 0]]),
          sympy.Matrix([[0, -sympy.I], [sympy.I, 0]]), sympy.Matrix([[1, 0], [0, -1]]))


@dataclass(frozen=True)
class Parameter:
    """One named model parameter: its command-line ``name``, sympy ``symbol`` and meaning."""

    name: str
    symbol: sympy.Symbol
    meaning: str


def as_expr(c, what: str) -> sympy.Expr:
    """A component of a model as a sympy expression; ints are allowed, text is not."""
    if isinstance(c, sympy.Basic):
        return c
    if isinstance(c, int) and not isinstance(c, bool):
        return sympy.Integer(c)
    raise ModelError(f"model {what} entries must be sympy expressions, not {type(c).__name__}")


@dataclass(frozen=True, eq=False)
class Model:
    """A two-band model H(p) = h₀ σ₀ + h·σ with its parameters and capabilities.

    ``h`` is the tuple (h₀, h_x, h_y, h_z) of sympy expressions in :data:`px`, :data:`py`
    and the symbols of ``parameters``.  ``isotropic`` says whether the spectrum depends on
    |p| only (then an exact rotated frame may exist, see ``docs/method.md``).
    """

    name: str
    h: tuple
    parameters: tuple[Parameter, ...]
    capabilities: frozenset = field(default_factory=frozenset)
    isotropic: bool = True
    description: str = ""
    #: the parameter point used when the user gives none
    defaults: str = ""
    #: symbols of ``h`` that are functions of the parameters, ((symbol, expression), ...),
    #: e.g. α_R = √(Δ/m_e) for the Rashba model
    derived: tuple = ()

    def __post_init__(self) -> None:
        # H is sympy data, never text: a string here would have to be parsed, and user text
        # is read only by streda.integrals.expr
        object.__setattr__(self, "h", tuple(as_expr(c, "h") for c in self.h))
        object.__setattr__(self, "derived", tuple((sym, as_expr(e, "derived")) for sym, e in self.derived))

    def __repr__(self) -> str:
        return f"Model({self.name!r})"

    def hamiltonian(self) -> sympy.Matrix:
        """H(p) as a 2x2 sympy matrix."""
        return sum((c * s for c, s in zip(self.h, _PAULI)), sympy.zeros(2, 2))

    def velocity(self, axis: str) -> sympy.Matrix:
        """v_axis = ∂H/∂p_axis (axis ``"x"`` or ``"y"``)."""
        p = {"x": px, "y": py}[axis]
        return self.hamiltonian().diff(p)

    def parameter(self, name: str) -> Parameter:
        for par in self.parameters:
            if par.name == name:
                return par
        known = ", ".join(q.name for q in self.parameters)
        raise ModelError(f"model {self.name!r} has no parameter {name!r}; known: {known}")

    def point(self, text: "str | None" = None, **overrides) -> "ModelPoint":
        """A parameter point: ``"name=value,..."`` over :attr:`defaults`, exact sympy numbers.

        >>> pt = get_model("dirac").point("eps=3")
        >>> pt["eps"], pt["m"], pt.model
        (3, 1, Model('dirac'))
        >>> get_model("dirac").point("Delta=1")
        Traceback (most recent call last):
        ...
        streda.integrals.model.ModelError: model 'dirac' has no parameter 'Delta'; known: eps, gamma, v, m
        """
        values = {}
        for src in (self.defaults, text):
            for name, value in split_params(src):
                self.parameter(name)
                values[name] = _number(name, value)
        for name, value in overrides.items():
            self.parameter(name)
            values[name] = _number(name, value)
        return ModelPoint(self, values)

    def spin_hamiltonian(self, subs: "dict | None" = None) -> sympy.Matrix:
        """h(p)·σ (H without h₀), with a simultaneous substitution ``subs`` of its symbols.

        >>> get_model("dresselhaus").spin_hamiltonian({px: -px, My: 0, Mx: 0, Mz: 0})
        Matrix([
        [                           0, -alpha_R*p_x + I*alpha_R*p_y],
        [-alpha_R*p_x - I*alpha_R*p_y,                            0]])
        """
        H = sum((c * s for c, s in zip(self.h[1:], _PAULI[1:])), sympy.zeros(2, 2))
        return H.subs(subs, simultaneous=True) if subs else H

    def spin_vector(self) -> tuple:
        """(h_x, h_y, h_z): the spin part of H(p)."""
        return tuple(self.h[1:])

    def frame(self) -> "Frame":
        """The rotated spin frame in which the angle average is exact, derived from H.

        See :func:`frame_of`.
        """
        return frame_of(self)

    def supports(self, capability: str) -> bool:
        return capability in self.capabilities

    def require(self, capability: str) -> None:
        """Refuse, with one line naming the capability, what this model cannot do.

        >>> get_model("dirac").require("exact")
        Traceback (most recent call last):
        ...
        streda.integrals.model.ModelError: model 'dirac' lacks the capability 'exact' (it supports: angle-trapezoid, quadrature)
        """
        if capability not in self.capabilities:
            have = ", ".join(c for c in CAPABILITIES if c in self.capabilities)
            raise ModelError(f"model {self.name!r} lacks the capability {capability!r} (it supports: {have})")


@dataclass(frozen=True, eq=False)
class ModelPoint:
    """Exact parameter values of one :class:`Model`; unset parameters are 0."""

    model: Model
    values: dict

    def __getitem__(self, name: str):
        self.model.parameter(name)
        return self.values.get(name, sympy.Integer(0))

    def subs(self) -> dict:
        """{symbol: value} for :meth:`Model.hamiltonian` and friends (derived symbols included).

        >>> get_model("rashba").point("Delta=3/10").subs()[alpha_R]
        sqrt(30)/10
        """
        out = {p.symbol: self[p.name] for p in self.model.parameters}
        for sym, expr in self.model.derived:
            out[sym] = sympy.nsimplify(expr.subs(out))
        return out

    def hamiltonian(self, **fixed) -> sympy.Matrix:
        """H(p) at this point, as a matrix in :data:`px`, :data:`py` only (``fixed`` overrides by name).

        >>> get_model("dirac").point("m=1/2").hamiltonian()
        Matrix([
        [        1/2, p_x - I*p_y],
        [p_x + I*p_y,        -1/2]])
        """
        sub = self.subs()
        for name, value in fixed.items():
            sub[self.model.parameter(name).symbol] = _number(name, value)
            for sym, expr in self.model.derived:
                sub[sym] = sympy.nsimplify(expr.subs(sub))
        return self.model.hamiltonian().subs(sub)

    def as_dict(self) -> dict[str, str]:
        return {name: str(v) for name, v in self.values.items()}


_P2 = (px ** 2 + py ** 2) / (2 * m_e)
_COMMON = (
    Parameter("eps", sympy.Symbol("varepsilon", real=True), "Fermi energy ε"),
    Parameter("gamma", sympy.Symbol("gamma", positive=True), "broadening γ = 1/2τ (> 0)"),
)
_EXCHANGE = (
    Parameter("Mx", Mx, "in-plane exchange field M_x"),
    Parameter("My", My, "in-plane exchange field M_y"),
    Parameter("Mz", Mz, "out-of-plane exchange field M_z"),
    Parameter("m", m_e, "electron mass m_e (default 1)"),
    Parameter("e", e_charge, "electron charge e (default 1)"),
)
#: α = √(Δ/m_e) > 0 (the convention of Eq. 8 and of Appendix C)
_ALPHA_FROM_DELTA = ((alpha_R, sympy.sqrt(Delta / m_e)),)


def rashba() -> Model:
    """H = p²/2m_e + α_R(σ×p)_z − M·σ (Eq. 8)."""
    return Model("rashba", (_P2, alpha_R * py - Mx, -alpha_R * px - My, -Mz),
                 _COMMON + (Parameter("Delta", Delta, "Δ = m_e α_R² (> 0)"),) + _EXCHANGE,
                 frozenset({"exact", "ball", "angle-trapezoid", "quadrature"}),
                 description="Bychkov-Rashba ferromagnet, Eq. (8)",
                 defaults="eps=1,gamma=1/10,Delta=3/10,Mz=2/5,m=1,e=1", derived=_ALPHA_FROM_DELTA)


def dresselhaus() -> Model:
    """H = p²/2m_e + α(σ_x p_x − σ_y p_y) − M·σ (Eq. 18)."""
    return Model("dresselhaus", (_P2, alpha_R * px - Mx, -alpha_R * py - My, -Mz),
                 _COMMON + (Parameter("Delta", Delta, "Δ = m_e α² (> 0)"),) + _EXCHANGE,
                 frozenset({"exact", "ball", "angle-trapezoid", "quadrature"}),
                 description="Dresselhaus ferromagnet, Eq. (18)",
                 defaults="eps=1,gamma=1/10,Delta=3/10,Mz=2/5,m=1,e=1", derived=_ALPHA_FROM_DELTA)


def dirac() -> Model:
    """H = v σ·p + m σ_z: the massive 2D Dirac model (surface states, AHE benchmark)."""
    return Model("dirac", (sympy.Integer(0), v_D * px, v_D * py, m_D),
                 _COMMON + (Parameter("v", v_D, "Dirac velocity v (> 0)"),
                            Parameter("m", m_D, "Dirac mass m")),
                 frozenset({"angle-trapezoid", "quadrature"}),
                 description="massive 2D Dirac fermions", defaults="eps=2,gamma=1/100,v=1,m=1")


def rashba_dresselhaus() -> Model:
    """H = p²/2m_e + α(σ_x p_y − σ_y p_x) + β(σ_x p_x − σ_y p_y) − M·σ (anisotropic)."""
    return Model("rashba+dresselhaus",
                 (_P2, alpha_R * py + beta_D * px - Mx, -alpha_R * px - beta_D * py - My, -Mz),
                 _COMMON + (Parameter("alpha", alpha_R, "Rashba coupling α"),
                            Parameter("beta", beta_D, "Dresselhaus coupling β")) + _EXCHANGE,
                 frozenset({"angle-trapezoid", "quadrature"}), isotropic=False,
                 description="Rashba and Dresselhaus spin-orbit coupling together",
                 defaults="eps=1,gamma=1/10,alpha=1/2,beta=1/4,Mz=2/5,m=1,e=1")


#: name -> constructor; a plain table, nothing registers itself
BUILTIN = {"rashba": rashba, "dresselhaus": dresselhaus, "dirac": dirac,
           "rashba+dresselhaus": rashba_dresselhaus}


def get_model(model: "str | Model") -> Model:
    """A built-in model by name, or ``model`` itself when it already is a :class:`Model`."""
    if isinstance(model, Model):
        return model
    try:
        return BUILTIN[model]()
    except KeyError:
        raise ModelError(f"unknown model {model!r}; known: {', '.join(BUILTIN)}") from None


# ---------------------------------------------------------------- the exact frame

@dataclass(frozen=True)
class Frame:
    """The rotated spin frame of an isotropic model, read off H (METHOD-HINTS fact 3).

    With p = q(cos φ, sin φ) and w = e^{iφ}, the off-diagonal entry of H at M = 0 is a
    monomial  h_x − i h_y = c · q · w^winding  with c = |c|·phase.  Conjugating by
    T = diag(1, phase · z), z = q w^(−winding), removes every angle from G; then the
    angle average is the z⁰ coefficient of a Laurent polynomial.  The Rashba term
    gives (winding, phase) = (−1, i): T = diag(1, i z), z = q w; the Dresselhaus term
    (+1, 1): T = diag(1, z), z = q/w.  ``coupling`` is |c| (α).
    """

    winding: int
    phase: object
    coupling: object

    @property
    def sign(self) -> int:
        """phase² = ±1: the sign of the off-diagonal ±2aη, ±2a³ entries of G' (−1 Rashba)."""
        return int(sympy.expand(self.phase ** 2))


_w, _q = sympy.symbols("w q", positive=True)


@lru_cache(maxsize=None)
def frame_of(model: "str | Model") -> Frame:
    """The exact rotated frame of ``model`` (a name or a :class:`Model`), derived from H.

    Requires ``h₀`` to depend on |p| only, ``h_x, h_y`` linear in p with
    h_x − i h_y a single angular harmonic, and ``h_z`` independent of p; otherwise a
    one-line :class:`ModelError`.

    >>> frame_of("rashba")
    Frame(winding=-1, phase=I, coupling=alpha_R)
    >>> frame_of("dresselhaus")
    Frame(winding=1, phase=1, coupling=alpha_R)
    >>> frame_of("rashba+dresselhaus")
    Traceback (most recent call last):
    ...
    streda.integrals.model.ModelError: model 'rashba+dresselhaus' has no exact rotated frame: h_x - i h_y is not a single angular harmonic
    """
    mod = get_model(model)
    h0, hx, hy, hz = mod.h
    at0 = {mod.parameter(n).symbol: 0 for n in ("Mx", "My") if _has(mod, n)}
    pol = {px: _q * (_w + 1 / _w) / 2, py: _q * (_w - 1 / _w) / (2 * sympy.I)}
    off = sympy.expand((hx - sympy.I * hy).subs(at0).subs(pol))
    terms = sympy.Add.make_args(off)
    powers = {sympy.Poly(t * _w ** 4, _w).degree() - 4 for t in terms if t.has(_w)}
    if (len(powers) != 1 or off.has(px, py) or len(terms) != 1
            or sympy.Poly(off, _q).degree() != 1):
        raise ModelError(f"model {mod.name!r} has no exact rotated frame: "
                         "h_x - i h_y is not a single angular harmonic")
    if sympy.expand(h0.subs(pol)).has(_w) or hz.has(px, py):
        raise ModelError(f"model {mod.name!r} has no exact rotated frame: "
                         "h_0 is not isotropic or h_z depends on p")
    k = powers.pop()
    c = sympy.cancel(off / (_q * _w ** k))      # one term: cancel suffices (simplify costs 0.3 s)
    for phase in (1, sympy.I, -1, -sympy.I):
        mag = sympy.cancel(c / phase)
        if mag.is_positive:
            return Frame(k, phase, mag)
    raise ModelError(f"model {mod.name!r} has no exact rotated frame: the coupling {c} has no fixed phase")


def _has(mod: Model, name: str) -> bool:
    return any(p.name == name for p in mod.parameters)
