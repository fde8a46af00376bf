"""Words: the ordered operator products that a diagram translates into.

A *word* is a tuple of :class:`Factor` objects read left to right, all at the
same momentum ``p`` (a single-momentum bubble section).  Its integral is the
open 2x2 spin matrix

    I[word] = ∫ d²p/(2π)² F_1(p) F_2(p) ... F_k(p),

see Eq. (9), (C4), (C9) of Ado, Tretiakov, Titov (the "paper").

Factor vocabulary (token strings in brackets):

* ``G`` with label ``R`` or ``A`` [``GR``, ``GA``]: Born-averaged Green's function
  of the isotropic model (C1)-(C3), self-energy ∓iγ.
* ``sigma`` with label ``0``, ``x``, ``y``, ``z`` [``s0``, ``sx``, ``sy``, ``sz``]:
  a Pauli matrix; ``sx`` between two Green's functions is the σ_x insertion of
  the in-plane exchange field (Dyson series G = G0 − M_x G0 σ_x G).
* ``p`` with label ``x``, ``y``, ``+``, ``-`` [``px``, ``py``, ``p+``, ``p-``]: the
  kinetic vertex Γ^p = p/m_e (Eq. C6a), ``p±`` = (p_x ± i p_y)/m_e.
* ``v`` with the same labels [``vx``, ``vy``, ``v+``, ``v-``]: the bare velocity
  v = ∂H/∂p = p/m_e + α_R ẑ×σ (Eq. 9), i.e. v_x = p_x/m_e − α_R σ_y,
  v_y = p_y/m_e + α_R σ_x.

>>> w = parse_word("GR sx GR px GA")
>>> w[0]
Factor(kind='G', label='R')
>>> format_word(w)
'GR sx GR px GA'
>>> count_green(w)
(2, 1)
"""
from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Factor", "Word", "Ladder", "parse_word", "format_word", "count_green", "WordError"]

_LABELS = {
    "G": ("R", "A"),
    "sigma": ("0", "x", "y", "z"),
    "p": ("x", "y", "+", "-"),
    "v": ("x", "y", "+", "-"),
}
_PREFIX = {"G": "G", "sigma": "s", "p": "p", "v": "v"}
_KIND_OF_PREFIX = {v: k for k, v in _PREFIX.items()}


class WordError(ValueError):
    """A malformed word or factor."""


@dataclass(frozen=True, order=True)
class Factor:
    """One operator in a word: ``kind`` in {G, sigma, p, v} and its ``label``."""

    kind: str
    label: str

    def __post_init__(self) -> None:
        if self.kind not in _LABELS:
            raise WordError(f"unknown factor kind {self.kind!r}; expected one of {sorted(_LABELS)}")
        if self.label not in _LABELS[self.kind]:
            raise WordError(
                f"factor {self.kind!r} takes a label in {_LABELS[self.kind]}, not {self.label!r}")

    @property
    def token(self) -> str:
        """The short string form, e.g. ``'GR'``, ``'sx'``, ``'p+'``."""
        return _PREFIX[self.kind] + self.label

    def __str__(self) -> str:
        return self.token


Word = tuple  # tuple[Factor, ...]


def parse_word(text: str) -> tuple[Factor, ...]:
    """Parse a whitespace-separated token string into a word.

    >>> parse_word("GA sz GR")
    (Factor(kind='G', label='A'), Factor(kind='sigma', label='z'), Factor(kind='G', label='R'))
    >>> parse_word("GR qx")
    Traceback (most recent call last):
    ...
    streda.integrals.word.WordError: unknown token 'qx' in word 'GR qx'
    """
    out = []
    for tok in text.split():
        kind = _KIND_OF_PREFIX.get(tok[:1])
        if kind is None or len(tok) != 2:
            raise WordError(f"unknown token {tok!r} in word {text!r}")
        try:
            out.append(Factor(kind, tok[1:]))
        except WordError as exc:
            raise WordError(f"unknown token {tok!r} in word {text!r}") from exc
    return tuple(out)


def format_word(word) -> str:
    """Inverse of :func:`parse_word`."""
    return " ".join(f.token for f in word)


def count_green(word) -> tuple[int, int]:
    """Number of retarded and advanced Green's functions in ``word``."""
    r = sum(1 for f in word if f.kind == "G" and f.label == "R")
    a = sum(1 for f in word if f.kind == "G" and f.label == "A")
    return r, a


@dataclass(frozen=True)
class Ladder:
    """A non-crossing ladder of white-noise impurity lines, as nested sandwiches.

    Its value is ``Tr[outer · S_k( ... S_1( I[core] ) ... )]`` where
    ``S_j(X) = α_d ∫ d²p/(2π)² left_j X right_j`` is one rung with its section of
    the R line (``left_j``, ending in ``GR``) and of the A line (``right_j``,
    starting with ``GA``), ``α_d = 1/(m_e τ)`` (Eq. C4, C5), and ``I[core]`` the
    open integral of the innermost word (it holds the current vertex).
    ``rungs`` is ordered innermost first.  With ``outer=()`` the value is the
    open 2x2 matrix instead of a trace.  A bare bubble has no rungs.

    >>> lad = Ladder(core=parse_word("GR vx GA"), rungs=((parse_word("GR sx GR"), parse_word("GA")),),
    ...              outer=parse_word("sy"))
    >>> str(lad)
    'Tr[sy · S(GR sx GR | S0 | GA)] with S0 = I[GR vx GA]'
    """

    core: tuple
    rungs: tuple = ()
    outer: tuple = ()

    def __str__(self) -> str:
        inner = "S0"
        for left, right in self.rungs:
            inner = f"S({format_word(left)} | {inner} | {format_word(right)})"
        head = f"Tr[{format_word(self.outer)} · {inner}]" if self.outer else inner
        return f"{head} with S0 = I[{format_word(self.core)}]"
