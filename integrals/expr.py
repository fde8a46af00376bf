"""The one safe reader of user-typed expressions: a whitelist over Python's :mod:`ast`.

Every string a user gives streda (``--params``, ``--set``, ``--profile``,
``--coeffs``, ``--helicity``, ``--alpha-g``, ``--current``, values inside JSON
files) is read here.  The text is parsed by :func:`ast.parse` (which only
*parses*), each node is checked against a whitelist and the sympy object is
built node by node; no text ever reaches ``eval``, ``sympify`` or
``parse_expr``.  Anything else is refused with an :class:`ExprError` (a
``ValueError``) whose message is one line, before any of it is evaluated.

Accepted:

* numbers: integers and decimals (``0.3``, ``1e-3``; read as exact rationals);
* the symbols the caller allows (by name), and the constants ``pi`` and ``E``;
* ``+ - * / **``, unary ``-`` and ``+``, parentheses;
* calls of the functions the caller allows (default: :data:`NUMBER_FUNCTIONS`).

Limits (each refusal names it): text length :data:`MAX_CHARS`, syntax-tree
nodes :data:`MAX_NODES`, nesting depth :data:`MAX_DEPTH`, integer literals of at
most :data:`MAX_INT_DIGITS` digits, decimal exponents ``|k| <= MAX_MAGNITUDE``,
numeric exponents ``|p| <= MAX_EXPONENT``, and every number met while building
(each sub-expression without symbols) either exactly 0 or of magnitude in
[10^-MAX_MAGNITUDE, 10^MAX_MAGNITUDE].  Division by zero, ``nan``, ``oo`` and
overflow are refused.

>>> parse_number("1/10")
1/10
>>> parse_number("0.3"), parse_number("-pi/2"), parse_number("2.5e-3")
(3/10, -pi/2, 1/400)
>>> parse_number("sqrt(30)/10")
sqrt(30)/10
>>> import sympy; r = sympy.Symbol("rho")
>>> parse_expression("2*atan(exp(-rho))", {"rho": r})
2*atan(exp(-rho))
>>> parse_number("__import__('os').system('true')")
Traceback (most recent call last):
...
streda.integrals.expr.ExprError: cannot read "__import__('os').system('true')": only numbers, + - * / ** and the functions abs, acos, asin, atan, atan2, cos, cosh, exp, log, sin, sinh, sqrt, tan, tanh are allowed (found a call of a non-name)
>>> parse_number("1e-100"), parse_number("-1e100") == -10**100
(1/10000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000, True)
>>> parse_number("1/0")
Traceback (most recent call last):
...
streda.integrals.expr.ExprError: cannot read '1/0': division by zero
>>> parse_number("10**10**10")
Traceback (most recent call last):
...
streda.integrals.expr.ExprError: cannot read '10**10**10': exponent 10000000000 exceeds the limit |p| <= 64
>>> parse_number("2**300")
Traceback (most recent call last):
...
streda.integrals.expr.ExprError: cannot read '2**300': exponent 300 exceeds the limit |p| <= 64
>>> parse_number("x")
Traceback (most recent call last):
...
streda.integrals.expr.ExprError: cannot read 'x': unknown symbol 'x' (allowed: E, pi)
"""
from __future__ import annotations

import ast
import re
from typing import Callable, Mapping

import sympy

__all__ = ["ExprError", "parse_expression", "parse_number", "NUMBER_FUNCTIONS", "PROFILE_FUNCTIONS",
           "MAX_CHARS", "MAX_NODES", "MAX_DEPTH", "MAX_INT_DIGITS", "MAX_EXPONENT", "MAX_MAGNITUDE",
           "check_magnitude"]

#: longest accepted text (characters)
MAX_CHARS = 400
#: most syntax-tree nodes in one expression
MAX_NODES = 200
#: deepest nesting of the syntax tree
MAX_DEPTH = 40
#: most digits of one integer literal
MAX_INT_DIGITS = 100
#: largest |p| of a numeric exponent in ``x**p``
MAX_EXPONENT = 64
#: every number met is 0 or has 10^-MAX_MAGNITUDE <= |x| <= 10^MAX_MAGNITUDE
MAX_MAGNITUDE = 100


class ExprError(ValueError):
    """Text that is not an accepted expression; the message is one line."""


def _unary(f: Callable) -> tuple[Callable, int, int]:
    return (f, 1, 1)


#: functions for plain numbers (parameters, helicity, JSON values): name -> (function, min, max args)
NUMBER_FUNCTIONS: dict[str, tuple[Callable, int, int]] = {
    "sqrt": _unary(sympy.sqrt), "exp": _unary(sympy.exp), "log": _unary(sympy.log),
    "sin": _unary(sympy.sin), "cos": _unary(sympy.cos), "tan": _unary(sympy.tan),
    "asin": _unary(sympy.asin), "acos": _unary(sympy.acos), "atan": _unary(sympy.atan),
    "sinh": _unary(sympy.sinh), "cosh": _unary(sympy.cosh), "tanh": _unary(sympy.tanh),
    "atan2": (sympy.atan2, 2, 2), "abs": _unary(sympy.Abs),
}

#: functions for skyrmion profiles and coefficients (also: sech, Abs, Heaviside, Min, Max)
PROFILE_FUNCTIONS: dict[str, tuple[Callable, int, int]] = {
    **NUMBER_FUNCTIONS, "sech": _unary(sympy.sech), "Abs": _unary(sympy.Abs),
    "Heaviside": _unary(sympy.Heaviside), "Min": (sympy.Min, 1, 8), "Max": (sympy.Max, 1, 8),
}

_CONSTANTS = {"pi": sympy.pi, "E": sympy.E}
_OPS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "**"}
_NUMBER = re.compile(r"(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?")
_BAD = (sympy.S.NaN, sympy.S.ComplexInfinity, sympy.S.Infinity, sympy.S.NegativeInfinity)


def check_magnitude(value: sympy.Expr, where: str = "value") -> sympy.Expr:
    """Refuse ∞, nan, and numbers outside 0 ∪ [10^-MAX_MAGNITUDE, 10^MAX_MAGNITUDE].

    Expressions with free symbols are returned unchanged (only ∞/nan are refused).

    >>> check_magnitude(sympy.Integer(10) ** 101)
    Traceback (most recent call last):
    ...
    streda.integrals.expr.ExprError: value 1000000000000000000000000000000000000... is out of range: |x| must be 0 or between 1e-100 and 1e+100
    """
    if value.has(*_BAD):
        raise ExprError(f"{where} is not finite (division by zero, oo or nan)")
    if value.free_symbols or value == 0:
        return value
    lo, hi = sympy.Rational(1, 10 ** MAX_MAGNITUDE), sympy.Integer(10) ** MAX_MAGNITUDE
    try:
        if value.is_Rational:                          # exact: 1e-100 and 1e100 are inside
            a = abs(value)
            ok = lo <= a <= hi
        else:
            v = sympy.N(value, 30)
            a = abs(v)
            ok = a.is_Number and a != 0 and not v.has(*_BAD) and lo * (1 - sympy.Rational(1, 10 ** 20)) \
                <= a <= hi * (1 + sympy.Rational(1, 10 ** 20))
    except (ArithmeticError, ValueError, TypeError, RecursionError):
        ok = False
    if not ok:
        shown = sympy.sstr(value)
        shown = shown if len(shown) <= 40 else shown[:37] + "..."
        raise ExprError(f"{where} {shown} is out of range: |x| must be 0 or between "
                        f"1e-{MAX_MAGNITUDE} and 1e+{MAX_MAGNITUDE}")
    return value


class _Builder:
    def __init__(self, text: str, symbols: Mapping[str, sympy.Symbol],
                 functions: Mapping[str, tuple[Callable, int, int]]):
        self.text, self.symbols, self.functions = text, symbols, functions

    def fail(self, why: str):
        raise ExprError(f"cannot read {self.text!r}: {why}")

    def allowed(self) -> str:
        return ("only numbers, + - * / ** and the functions "
                + ", ".join(sorted(self.functions)) + " are allowed")

    def number(self, node) -> sympy.Expr:
        seg = ast.get_source_segment(self.text, node) or ""
        m = _NUMBER.fullmatch(seg.strip())
        if not isinstance(node.value, (int, float)) or isinstance(node.value, bool) \
                or not m or not (m.group(1) or m.group(2)):
            self.fail(f"{seg or node.value!r} is not a decimal number")
        whole, frac, exp = m.group(1), m.group(2) or "", m.group(3)
        if len(whole.lstrip("0")) + len(frac) > MAX_INT_DIGITS:
            self.fail(f"number with more than {MAX_INT_DIGITS} digits")
        k = int(exp) if exp is not None and len(exp.lstrip("+-")) <= 6 else None
        if exp is not None and (k is None or abs(k) > MAX_MAGNITUDE):
            self.fail(f"decimal exponent e{exp} outside the limit |k| <= {MAX_MAGNITUDE}")
        val = sympy.Integer(int((whole or "0") + frac)) * sympy.Rational(10) ** ((k or 0) - len(frac))
        return val

    def build(self, node, depth: int = 0) -> sympy.Expr:
        if depth > MAX_DEPTH:
            self.fail(f"nesting deeper than {MAX_DEPTH}")
        if isinstance(node, ast.Expression):
            return self.build(node.body, depth + 1)
        if isinstance(node, ast.Constant):
            if isinstance(node.value, (int, float)) and not isinstance(node.value, bool):
                return self.number(node)
            self.fail(f"{type(node.value).__name__} constants are not allowed; {self.allowed()}")
        if isinstance(node, ast.Name):
            if node.id in self.symbols:
                return self.symbols[node.id]
            if node.id in _CONSTANTS:
                return _CONSTANTS[node.id]
            if node.id in self.functions:
                self.fail(f"{node.id} is a function; call it as {node.id}(...)")
            known = sorted(set(self.symbols) | set(_CONSTANTS))
            self.fail(f"unknown symbol {node.id!r} (allowed: {', '.join(known)})")
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            v = self.build(node.operand, depth + 1)
            return -v if isinstance(node.op, ast.USub) else v
        if isinstance(node, ast.BinOp) and type(node.op) in _OPS:
            a = self.build(node.left, depth + 1)
            b = self.build(node.right, depth + 1)
            return self.checked(self.binop(node.op, a, b))
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitXor):
            self.fail("'^' is not a power here; write ** (e.g. x**2)")
        if isinstance(node, ast.Call):
            if not isinstance(node.func, ast.Name) or node.func.id not in self.functions:
                name = node.func.id if isinstance(node.func, ast.Name) else "a non-name"
                self.fail(f"{self.allowed()} (found a call of {name})")
            if node.keywords:
                self.fail("keyword arguments are not allowed")
            f, lo, hi = self.functions[node.func.id]
            if not lo <= len(node.args) <= hi or any(isinstance(a, ast.Starred) for a in node.args):
                self.fail(f"{node.func.id} takes {lo if lo == hi else f'{lo} to {hi}'} argument(s)")
            args = [self.build(a, depth + 1) for a in node.args]
            try:
                return self.checked(f(*args))
            except (TypeError, ValueError, ArithmeticError) as exc:
                if isinstance(exc, ExprError):
                    raise
                self.fail(f"{node.func.id}: {str(exc).splitlines()[0][:80] if str(exc) else type(exc).__name__}")
        what = type(node).__name__
        self.fail(f"{self.allowed()} (found {what})")

    def binop(self, op, a, b):
        if isinstance(op, ast.Add):
            return a + b
        if isinstance(op, ast.Sub):
            return a - b
        if isinstance(op, ast.Mult):
            return a * b
        if isinstance(op, ast.Div):
            if b == 0:
                self.fail("division by zero")
            return a / b
        # power: a numeric exponent is bounded; the base is bounded by check_magnitude
        if not b.free_symbols:
            bn = sympy.N(b, 20)
            if not (bn.is_real and abs(bn) <= MAX_EXPONENT):
                shown = sympy.sstr(b)
                self.fail(f"exponent {shown if len(shown) < 30 else shown[:27] + '...'} exceeds the "
                          f"limit |p| <= {MAX_EXPONENT}")
            if a == 0 and bn < 0:
                self.fail("division by zero")
        return a ** b

    def checked(self, value):
        if not isinstance(value, sympy.Expr):
            self.fail("the result is not a number or expression")
        try:
            return check_magnitude(value, "intermediate value")
        except ExprError as exc:
            self.fail(str(exc))


def _tree(text, what: str):
    if not isinstance(text, str):
        raise ExprError(f"{what}: expected text, got {type(text).__name__}")
    s = text.strip()
    if not s:
        raise ExprError(f"{what} is empty")
    if len(s) > MAX_CHARS:
        raise ExprError(f"{what} is longer than {MAX_CHARS} characters")
    if not s.isprintable() or not s.isascii():
        raise ExprError(f"{what} {s[:40]!r}... contains non-ASCII or control characters")
    try:
        tree = ast.parse(s, mode="eval")
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        raise ExprError(f"cannot parse {s!r}: syntax error") from None
    n = sum(1 for _ in ast.walk(tree))
    if n > MAX_NODES:
        raise ExprError(f"{what} has more than {MAX_NODES} syntax nodes")
    return s, tree


def parse_expression(text, symbols: Mapping[str, sympy.Symbol] | None = None,
               functions: Mapping[str, tuple[Callable, int, int]] | None = None,
               what: str = "expression") -> sympy.Expr:
    """Read ``text`` into a sympy expression over ``symbols`` (name -> Symbol) and ``functions``.

    >>> x = sympy.Symbol("x")
    >>> parse_expression("x**2 - 3*x/2", {"x": x})
    x**2 - 3*x/2
    >>> parse_expression("x.__class__", {"x": x})
    Traceback (most recent call last):
    ...
    streda.integrals.expr.ExprError: cannot read 'x.__class__': only numbers, + - * / ** and the functions abs, acos, asin, atan, atan2, cos, cosh, exp, log, sin, sinh, sqrt, tan, tanh are allowed (found Attribute)
    """
    s, tree = _tree(text, what)
    b = _Builder(s, dict(symbols or {}), NUMBER_FUNCTIONS if functions is None else functions)
    try:
        out = b.build(tree)
    except RecursionError:
        raise ExprError(f"cannot read {s!r}: nesting too deep") from None
    return check_magnitude(out, what)


def parse_number(text, what: str = "number", *, real: bool = True,
                 functions: Mapping[str, tuple[Callable, int, int]] | None = None) -> sympy.Expr:
    """Read ``text`` (or an int, or a finite float taken as its shortest decimal) as an
    exact finite number, real unless ``real=False``.

    >>> parse_number(3), parse_number(0.1)
    (3, 1/10)
    >>> parse_number("sqrt(-1)")
    Traceback (most recent call last):
    ...
    streda.integrals.expr.ExprError: number 'sqrt(-1)' is not a real number
    """
    if isinstance(text, bool):
        raise ExprError(f"{what}: expected a number, got a boolean")
    if isinstance(text, int):
        if len(str(abs(text))) > MAX_INT_DIGITS:
            raise ExprError(f"{what}: integer with more than {MAX_INT_DIGITS} digits")
        return check_magnitude(sympy.Integer(text), what)
    if isinstance(text, float):
        import math

        if not math.isfinite(text):
            raise ExprError(f"{what} is not finite ({text})")
        text = repr(text)      # the shortest decimal that round-trips: 0.1 -> 1/10
    if isinstance(text, sympy.Basic):
        val = text
    else:
        val = parse_expression(text, {}, functions, what)
    if not isinstance(val, sympy.Expr) or val.free_symbols or not val.is_number:
        raise ExprError(f"{what} {str(text)[:40]!r} is not a number")
    if real and val.is_real is not True:
        if val.is_real is False or sympy.im(sympy.N(val, 30)) != 0:
            raise ExprError(f"{what} {str(text)[:40]!r} is not a real number")
    return check_magnitude(val, what)
