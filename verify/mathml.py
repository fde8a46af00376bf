"""Presentation MathML for the HTML report, from the sympy expressions.

The equations of ``report.html`` are set by the browser's own MathML engine
(no CDN, no JavaScript): :func:`expression` prints a sympy expression (or an
expression string, read with :func:`streda.verify.latex.to_sympy`) with
sympy's presentation printer, :func:`math` wraps it in ``<math>``.  A few
builders (:func:`mi`, :func:`sub`, :func:`sup`, :func:`row`) write the short
inline names of the report (P⁽ⁿ⁾, |P|, σ_xx, ξ⁻²) as math, never as text.

>>> print(math(expression("M_z/(2*Delta*varepsilon + M_z**2)")))
<math><mrow><mfrac><msub><mi>M</mi><mi>z</mi></msub><mrow><mrow><mn>2</mn><mo>&InvisibleTimes;</mo><mi>&#916;</mi><mo>&InvisibleTimes;</mo><mi>&#949;</mi></mrow><mo>+</mo><msup><msub><mi>M</mi><mi>z</mi></msub><mn>2</mn></msup></mrow></mfrac></mrow></math>
>>> print(math(sup(mi("P"), row("(", mi("n"), ")"))))
<math><msup><mi>P</mi><mrow><mo>(</mo><mi>n</mi><mo>)</mo></mrow></msup></math>
"""
from __future__ import annotations

import html
import re

import sympy
from sympy.printing.mathml import mathml as _sympy_mathml

__all__ = ["expression", "math", "mi", "mn", "mo", "sub", "sup", "subsup", "row", "text", "symbol_name",
           "equation", "parameter"]

#: sympy symbol names printed as other names (ε, not "varepsilon"; the torque names of docs/findings)
_RENAME = {"varepsilon": "epsilon", "eps": "epsilon", "alpha_so": "alpha_R"}
_NAMES = ((re.compile(r"^tildekappa_(\w+)$"), "tildekappa"), (re.compile(r"^K_J(\w+)$"), "KJ"))
_GREEK = {"alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε", "varepsilon": "ε",
          "kappa": "κ", "lambda": "λ", "mu": "μ", "xi": "ξ", "pi": "π", "rho": "ρ", "sigma": "σ",
          "tau": "τ", "phi": "φ", "theta": "θ", "omega": "ω", "chi": "χ", "eta": "η", "nu": "ν",
          "Delta": "Δ", "Gamma": "Γ", "Sigma": "Σ", "Omega": "Ω", "Phi": "Φ", "Theta": "Θ"}


def _esc(s: str) -> str:
    return html.escape(str(s), quote=False)


def mi(name: str) -> str:
    """An identifier; Greek names (``"Delta"``, ``"xi"``) become the letter.

    >>> mi("xi"), mi("v")
    ('<mi>ξ</mi>', '<mi>v</mi>')
    """
    return f"<mi>{_esc(_GREEK.get(name, name))}</mi>"


def mn(x) -> str:
    """A number; a leading minus is an operator."""
    s = str(x)
    if s.startswith("-"):
        return f"<mo>−</mo><mn>{_esc(s[1:])}</mn>"
    return f"<mn>{_esc(s)}</mn>"


def mo(op: str) -> str:
    return f"<mo>{_esc(op)}</mo>"


def text(s: str) -> str:
    return f"<mtext>{_esc(s)}</mtext>"


def _atom(x) -> str:
    if isinstance(x, str) and not x.startswith("<"):
        return mo(x) if x in "()[]|=+−-,/⋅×<>≤≥→" else mi(x)
    return str(x)


def row(*parts) -> str:
    """``<mrow>`` of parts; plain strings are identifiers or (brackets, signs) operators."""
    return "<mrow>" + "".join(_atom(p) for p in parts) + "</mrow>"


def sub(base, index) -> str:
    return f"<msub>{_atom(base)}{_atom(index)}</msub>"


def sup(base, exponent) -> str:
    return f"<msup>{_atom(base)}{_atom(exponent)}</msup>"


def subsup(base, index, exponent) -> str:
    """``base`` with an index and an exponent set one above the other (M_x^k)."""
    return f"<msubsup>{_atom(base)}{_atom(index)}{_atom(exponent)}</msubsup>"


def symbol_name(name: str) -> str:
    """MathML of a name such as ``sigma_xx``, ``xi^-2``, ``M_z``, ``K_yx`` or ``gamma_z``.

    >>> symbol_name("sigma_xx")
    '<msub><mi>σ</mi><mi>xx</mi></msub>'
    >>> symbol_name("xi^-2")
    '<msup><mi>ξ</mi><mrow><mo>−</mo><mn>2</mn></mrow></msup>'
    """
    m = re.match(r"^([A-Za-z]+)(?:_\{?([A-Za-z0-9]+)\}?)?(?:\^\{?\(?([-+]?\w+)\)?\}?)?$", name.strip())
    if not m:
        return text(name)
    base, idx, exp = m.groups()
    out = mi(base)
    if idx:
        out = f"<msub>{out}{mi(_GREEK.get(idx, idx))}</msub>"
    if exp:
        e = (row(mn(exp)) if exp.lstrip("-+").isdigit() else
             (row("(", mi(exp), ")") if exp == "n" else mi(exp)))
        out = f"<msup>{out}{e}</msup>"
    return out


def _prepare(expr: sympy.Basic) -> sympy.Basic:
    """Rename symbols so that the printer gives the paper's letters."""
    rep = {}
    for s in expr.free_symbols:
        new = _RENAME.get(s.name)
        if new is None:
            for pat, kind in _NAMES:
                hit = pat.match(s.name)
                if hit:
                    new = ("KAPPATILDE_" if kind == "tildekappa" else "K_J") + hit.group(1)
        if new is not None:
            rep[s] = sympy.Symbol(new, **s.assumptions0)
    return expr.xreplace(rep) if rep else expr


def expression(expr) -> str:
    """Presentation MathML (without the ``<math>`` element) of a sympy expression or string.

    A string that does not read as an expression is set as ``<mtext>``.

    >>> expression("0")
    '<mn>0</mn>'
    >>> expression("Matrix([[1, 2]]")
    '<mtext>Matrix([[1, 2]]</mtext>'
    """
    if not isinstance(expr, sympy.Basic):
        from .latex import to_sympy

        try:
            expr = to_sympy(str(expr))
        except ValueError:
            return text(" ".join(str(expr).split()))
    try:
        out = _sympy_mathml(_prepare(expr), printer="presentation")
    except Exception:  # an object the printer does not know: show its text, never fail the report
        return text(sympy.sstr(expr))
    out = out.replace("<mo>-</mo>", "<mo>−</mo>").replace("<mn>-", "<mo>−</mo><mn>")
    return out.replace("<mi>KAPPATILDE</mi>", '<mover accent="true"><mi>κ</mi><mo>~</mo></mover>')


def math(body: str, display: bool = False) -> str:
    """Wrap MathML in ``<math>`` (``display="block"`` for a displayed equation)."""
    return f'<math display="block">{body}</math>' if display else f"<math>{body}</math>"


def equation(expr, display: bool = False) -> str:
    """``math(expression(expr))``."""
    return math(expression(expr), display)


def parameter(name: str, value) -> str:
    """``ε = 1``, ``Δ = 3/10`` as one inline equation (value read as an expression).

    >>> parameter("Delta", "3/10")
    '<math><mi>Δ</mi><mo>=</mo><mfrac><mn>3</mn><mn>10</mn></mfrac></math>'
    """
    names = {"eps": "varepsilon", "Mz": "M_z", "Mx": "M_x", "m": "m_e", "alpha": "alpha_R"}
    n = names.get(name, name)
    left = symbol_name(n) if n != "varepsilon" else mi("epsilon")
    return f"<math>{left}<mo>=</mo>{expression(str(value))}</math>"


# ----------------------------------------------------------------------------- prose
_TOKEN = re.compile(
    r"(?<![\w.])(?P<base>[A-Za-z]+)"
    r"(?P<sup1>\^(?:\([-+]?\w+\)|[-+]?\d+|[A-Za-z]\b|\+))?"
    r"(?P<sub>_(?:\([\w,]+\)|[A-Za-z0-9]+))?"
    r"(?P<sup2>\^(?:\([-+]?\w+\)|[-+]?\d+|[A-Za-z]\b|\+))?"
    r"|\|(?P<abs>[A-Za-z])\|")


def prose_tokens(text: str):
    """Split plain text into ``("text", s)`` and ``("sym", base, sub, sup)`` pieces.

    A token is math when it has an index or an exponent (``P^(n)``, ``sigma_xx``,
    ``xi^-2``, ``K^(0)_xx``, ``G^R``), is a Greek name (``gamma``), or is ``|P|``.

    >>> list(prose_tokens("P^(n) = 0 for sigma_xx"))
    [('sym', 'P', None, '(n)'), ('text', ' = 0 for '), ('sym', 'sigma', 'xx', None)]
    >>> list(prose_tokens("decay xi^-2, |P| small"))
    [('text', 'decay '), ('sym', 'xi', None, '-2'), ('text', ', '), ('sym', '|P|', None, None), ('text', ' small')]
    """
    pos = 0
    for m in _TOKEN.finditer(text):
        if m.group("abs"):
            piece = ("sym", "|" + m.group("abs") + "|", None, None)
        else:
            base, sub_, sup_ = m.group("base"), m.group("sub"), m.group("sup1") or m.group("sup2")
            if not (sub_ or sup_ or base in _GREEK) or base in ("a", "I") and not (sub_ or sup_):
                continue
            if (base not in _GREEK and len(base) > 1 and sub_ and len(sub_) > 3 and not sup_):
                continue                         # a program name such as is_zero, fmpz_mpoly
            piece = ("sym", base, sub_[1:].strip("()") if sub_ else None, sup_[1:] if sup_ else None)
        if m.start() > pos:
            yield ("text", text[pos:m.start()])
        yield piece
        pos = m.end()
    if pos < len(text):
        yield ("text", text[pos:])


def _sym_mathml(base, sub_, sup_) -> str:
    if base.startswith("|"):
        return row("|", mi(base[1]), "|")
    out = mi(base)
    idx = mi(_GREEK.get(sub_, sub_)) if sub_ else None
    if sub_ and not sup_:
        out = f"<msub>{out}{idx}</msub>"
    if sup_:
        inner = sup_.strip("()")
        if re.fullmatch(r"[-+]?\d+", inner):
            e = mn(inner.replace("-", "−")) if not inner.startswith("-") else row(mo("−"), mn(inner[1:]))
        else:
            e = mi(inner) if inner != "+" else mo("+")
        if sup_.startswith("("):
            e = row("(", e, ")")
        out = f"<msubsup>{out}{idx}{e}</msubsup>" if idx else f"<msup>{out}{e}</msup>"
    return out


def prose(text: str) -> str:
    """HTML of plain text with its symbols (``P^(n)``, ``sigma_xx``, ``gamma``) as inline MathML.

    >>> prose("P^(n) < 1")
    '<math><msup><mi>P</mi><mrow><mo>(</mo><mi>n</mi><mo>)</mo></mrow></msup></math> &lt; 1'
    """
    out = []
    for t in prose_tokens(str(text)):
        out.append(_esc(t[1]) if t[0] == "text" else math(_sym_mathml(*t[1:])))
    return "".join(out)
