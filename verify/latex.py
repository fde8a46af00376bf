"""LaTeX tables and reports: regenerated vs printed expressions, numeric tensors.

Layered like networkx's ``nx_latex``: pure string functions
(:func:`comparison_table`, :func:`value_table`) → a document wrapper
(:func:`document`) → writers (:func:`write_latex`, :func:`compile_pdf`).

The tables need, in the preamble of the document they are pasted into, the
packages of :data:`TABLE_PACKAGES` (booktabs, array, xcolor, colortbl,
graphicx, amsmath; longtable for long comparison tables); :func:`document`
loads them all.  Captions and labels are LaTeX and go in verbatim; everything
that comes from data (reasons, row and column names) is escaped.

>>> print(escape_latex("M_z = 50% & τ → 0"))
M\\_z = 50\\% \\& $\\tau$ $\\to$ 0
>>> to_sympy("varepsilon*M_z/gamma")
M_z*varepsilon/gamma
>>> print(value_table([("$K_{xy}$", [["1.5", "0"], ["2e-3", "-0.25"]])], ["$x$", "$y$"]), end="")
\\begin{table}[htbp]
\\centering
\\resizebox{\\ifdim\\width>\\linewidth\\linewidth\\else\\width\\fi}{!}{%
\\begin{tabular}{@{}lcc@{}}
\\toprule
 & $x$ & $y$ \\\\
\\midrule
$K_{xy}$ & $1.5$ & $2\\times10^{-3} - 0.25\\,i$ \\\\
\\bottomrule
\\end{tabular}}
\\end{table}
"""
from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from pathlib import Path

import sympy
from sympy.parsing.sympy_parser import auto_number, auto_symbol, parse_expr

from streda.integrals import model as _m
from streda.verify.compare import AGREES, DIFFERS, NOT_COMPARABLE, Comparison

__all__ = ["LatexError", "TABLE_PACKAGES", "to_sympy", "escape_latex", "breakable", "expression_cell",
           "comparison_table", "value_table", "document", "write_latex", "compile_pdf"]

#: packages the tables of this module need (all loaded by :func:`document`)
TABLE_PACKAGES = ("amsmath", "array", "booktabs", "longtable", "xcolor", "colortbl", "graphicx")

#: fill colours of the table rows by status (xcolor syntax); ``None`` = no fill
ROW_COLOURS = {AGREES: None, DIFFERS: "red!15", NOT_COMPARABLE: "black!8"}

# scale a box down to the line width, never up (graphicx: \width is the natural width)
_FIT = r"\resizebox{\ifdim\width>\linewidth\linewidth\else\width\fi}{!}"


class LatexError(RuntimeError):
    """pdflatex is missing, timed out, or failed; the message is one line."""


# ------------------------------------------------------------------ expressions
_p = sympy.Symbol("p_x", real=True), sympy.Symbol("p_y", real=True)
#: names accepted by :func:`to_sympy` for the model symbols (sympy ``sstr`` names first)
SYMBOL_NAMES: dict[str, sympy.Basic] = {
    "varepsilon": _m.eps, "epsilon": _m.eps, "eps": _m.eps,
    "gamma": _m.gamma, "Delta": _m.Delta,
    "M_z": _m.Mz, "Mz": _m.Mz, "M_x": _m.Mx, "Mx": _m.Mx,
    "m_e": _m.m_e, "m": _m.m_e, "e": _m.e_charge, "e_charge": _m.e_charge,
    "alpha_R": _m.alpha_R, "alpha": _m.alpha_R, "alpha_so": _m.alpha_R,
    "tau": _m.tau, "kappa": sympy.Symbol("kappa", positive=True), "p_x": _p[0], "p_y": _p[1],
}
_GLOBALS = {name: getattr(sympy, name) for name in (
    "Integer", "Float", "Rational", "Symbol", "Function", "sqrt", "exp", "log", "Abs", "re", "im",
    "conjugate", "sign", "sin", "cos", "atan", "I", "pi", "E", "oo", "zoo", "nan")}
_GLOBALS["__builtins__"] = {}


def to_sympy(text: str) -> sympy.Expr:
    """Parse an expression string (sympy ``sstr`` form) with the model's symbols.

    Names such as ``varepsilon``, ``Delta``, ``M_z``, ``alpha_R`` map to the
    symbols of :mod:`streda.integrals.model` (see :data:`SYMBOL_NAMES`); other
    names become plain symbols (``gamma`` is never the Gamma function).

    >>> to_sympy("2*alpha_R*m_e*tau") == 2 * _m.alpha_R * _m.m_e * _m.tau
    True
    >>> to_sympy("1/(")
    Traceback (most recent call last):
    ...
    ValueError: cannot read '1/(' as an expression
    """
    if not isinstance(text, str) or not text.strip():
        raise ValueError(f"cannot read {text!r} as an expression")
    try:
        out = parse_expr(text, local_dict=dict(SYMBOL_NAMES), global_dict=dict(_GLOBALS),
                         transformations=(auto_symbol, auto_number))
    except Exception as exc:  # SyntaxError, TypeError, TokenError, ...
        raise ValueError(f"cannot read {text!r} as an expression") from exc
    if not isinstance(out, sympy.Expr):
        raise ValueError(f"cannot read {text!r} as an expression")
    return out


_SPECIAL = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#",
            "_": r"\_", "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}",
            "^": r"\textasciicircum{}", "<": r"\textless{}", ">": r"\textgreater{}"}
_UNICODE = {
    "α": r"$\alpha$", "β": r"$\beta$", "γ": r"$\gamma$", "δ": r"$\delta$", "Δ": r"$\Delta$",
    "ε": r"$\varepsilon$", "ϵ": r"$\epsilon$", "κ": r"$\kappa$", "λ": r"$\lambda$", "μ": r"$\mu$",
    "ξ": r"$\xi$", "π": r"$\pi$", "ρ": r"$\rho$", "σ": r"$\sigma$", "Σ": r"$\Sigma$", "τ": r"$\tau$",
    "φ": r"$\phi$", "ϕ": r"$\phi$", "θ": r"$\theta$", "ω": r"$\omega$", "Γ": r"$\Gamma$",
    "ħ": r"$\hbar$", "²": r"\textsuperscript{2}", "³": r"\textsuperscript{3}",
    "⁴": r"\textsuperscript{4}", "¹": r"\textsuperscript{1}", "⁰": r"\textsuperscript{0}",
    "⁻": r"\textsuperscript{$-$}", "−": r"$-$", "×": r"$\times$", "·": r"$\cdot$",
    "≤": r"$\le$", "≥": r"$\ge$", "≠": r"$\ne$", "≈": r"$\approx$", "→": r"$\to$",
    "±": r"$\pm$", "∓": r"$\mp$", "√": r"$\surd$", "∫": r"$\int$", "∞": r"$\infty$",
    "…": r"\dots{}", "–": "--", "—": "---", "‘": "`", "’": "'", "“": "``", "”": "''", "\u00a0": "~",
}


def escape_latex(text) -> str:
    """Escape LaTeX specials in plain text; map common Unicode (Greek, ², −, →…) to LaTeX.

    Other non-ASCII characters that plain pdflatex cannot typeset become ``[U+XXXX]``.
    """
    out = []
    for ch in str(text):
        if ch in _SPECIAL:
            out.append(_SPECIAL[ch])
        elif ch in _UNICODE:
            out.append(_UNICODE[ch])
        elif ch in "\n\r\t":
            out.append(" ")
        elif ord(ch) < 128 or ch in "äöüÄÖÜéèàçñß":
            out.append(ch)
        else:
            out.append(f"[U+{ord(ch):04X}]")
    return "".join(out)


_TEX_NAMES = ((re.compile(r"^tildekappa_(\w+)$"), r"\tilde\kappa_{{{}}}"),
              (re.compile(r"^K_J(\w+)$"), r"K_{{\mathrm{{J}},{}}}"))


def _tex(expr) -> str:
    r"""``sympy.latex`` with the torque names of the paper (``tildekappa_yy`` -> \tilde\kappa_{yy})."""
    names = {}
    for s in getattr(expr, "free_symbols", ()):
        for pat, rep in _TEX_NAMES:
            hit = pat.match(s.name)
            if hit:
                names[s] = rep.format(hit.group(1))
    return sympy.latex(expr, symbol_names=names) if names else sympy.latex(expr)


def _name_tex(name: str) -> str:
    r"""``sigma_x`` -> ``$\sigma_{x}$``; other names escaped and breakable."""
    m = re.fullmatch(r"(sigma|tau|gamma|kappa|Gamma|mu)_(\w+)", str(name))
    return f"$\\{m.group(1)}_{{{m.group(2)}}}$" if m else breakable(name)


def breakable(text) -> str:
    r""":func:`escape_latex`, with line breaks allowed after ``* / = , ; + _ (`` inside long tokens.

    >>> print(breakable("m_z=sqrt(2)/3"))
    m\_\allowbreak{}z=\allowbreak{}sqrt(\allowbreak{}2)/\allowbreak{}3
    """
    out = escape_latex(text)
    out = re.sub(r"([*/=,;+(])(?=\S)", r"\1\\allowbreak{}", out)
    return re.sub(r"(\\_)(?=\S)", r"\1\\allowbreak{}", out)


def _math_lines(expr: sympy.Expr, width: int) -> list[str]:
    """LaTeX of ``expr`` split into lines of about ``width`` characters.

    A sum is broken between its terms; a product with a sum among its factors
    is written ``rest × ( sum )`` with the sum broken between its terms.
    """
    whole = _tex(expr)
    if len(whole) <= width:
        return [whole]
    if isinstance(expr, sympy.Mul):
        sums = [f for f in expr.args if isinstance(f, sympy.Add)]
        if sums:
            big = max(sums, key=lambda f: len(_tex(f)))
            rest = expr / big
            inner = _math_lines(big, width)
            pre = "" if rest == 1 else ("-" if rest == -1 else _tex(rest) + r"\,")
            inner[0] = pre + r"\bigl(" + inner[0]
            inner[-1] += r"\bigr)"
            return inner
        return [whole]
    if not isinstance(expr, sympy.Add):
        return [whole]
    lines, cur = [], ""
    for i, term in enumerate(expr.as_ordered_terms()):
        neg = term.could_extract_minus_sign()
        body = _tex(-term if neg else term)
        if (-term if neg else term).is_Add:
            body = rf"\left({body}\right)"
        piece = ("- " if neg else "") + body if i == 0 else (" - " if neg else " + ") + body
        if cur and len(cur) + len(piece) > width:
            lines.append(cur)
            cur = "{}" + piece.lstrip()
        else:
            cur += piece
    lines.append(cur)
    return lines


def expression_cell(text, *, width: int = 70) -> str:
    """Table-cell LaTeX for an expression string (or sympy expression).

    Parsed with :func:`to_sympy` and typeset with ``sympy.latex``; long sums are
    broken between terms, and each line is scaled down to the column width if
    it is still too wide.  Text that does not parse is set verbatim.

    >>> expression_cell("2*alpha_R*e*m_e*tau/(4*pi)")
    '\\\\resizebox{\\\\ifdim\\\\width>\\\\linewidth\\\\linewidth\\\\else\\\\width\\\\fi}{!}{$\\\\frac{\\\\alpha_{R} e m_{e} \\\\tau}{2 \\\\pi}$}'
    >>> expression_cell("0 (numerically)")
    '{\\\\small 0 (\\\\allowbreak{}numerically)}'
    """
    if isinstance(text, sympy.Basic):
        expr = text
    else:
        if text is None or not str(text).strip():
            return "---"
        try:
            expr = to_sympy(str(text))
        except ValueError:
            if " " in str(text).strip():    # words: set as (breakable) text
                return r"{\small " + breakable(text) + "}"
            return r"\texttt{" + escape_latex(text) + "}"
    return r"\newline ".join(_FIT + "{$" + line + "$}" for line in _math_lines(expr, width))


# ------------------------------------------------------------------ tables
def _entry_label(rec: Comparison) -> str:
    parts = [f"Eq.~({escape_latex(rec.equation)})"]
    if rec.row is not None or rec.column is not None:
        rc = ", ".join(_name_tex(x) for x in (rec.row, rec.column) if x is not None)
        parts.append(f"[{rc}]")
    orders = []
    if rec.mx_order is not None:
        orders.append(f"M_x^{{{rec.mx_order}}}")
    if rec.tau_order is not None:
        orders.append(rf"\tau^{{{rec.tau_order}}}")
    if orders:
        parts.append("$" + r",\ ".join(orders) + "$")
    return r"\newline ".join(parts)


def _status_cell(rec: Comparison) -> str:
    status = {AGREES: "agrees", DIFFERS: r"\textbf{DIFFERS}",
              NOT_COMPARABLE: r"\textit{not comparable}"}.get(rec.status, escape_latex(rec.status))
    if rec.reason:
        status += r"\newline{\scriptsize " + breakable(rec.reason) + "}"
    return status


_COLS = (r"@{}>{\raggedright\arraybackslash}p{0.15\linewidth}"
         r">{\raggedright\arraybackslash}p{0.29\linewidth}"
         r">{\raggedright\arraybackslash}p{0.29\linewidth}"
         r">{\raggedright\arraybackslash}p{0.17\linewidth}@{}")
_HEAD = r"Entry & Regenerated & Printed & Status \\"


def comparison_table(records: Iterable[Comparison], caption: str = "", label: str | None = None,
                     *, long: bool | None = None, width: int = 70) -> str:
    """A booktabs table of :class:`~streda.verify.compare.Comparison` records.

    Columns: entry (equation, row/column, M_x and τ orders), regenerated
    expression, printed expression, status (with the reason in small type).
    DIFFERS rows are filled with ``\\rowcolor`` (:data:`ROW_COLOURS`) and their
    status set in bold; NOT COMPARABLE rows are shaded grey.  ``long=True``
    (default: more than 25 records) makes a ``longtable`` that breaks across
    pages.  ``caption`` and ``label`` are LaTeX, inserted verbatim.
    """
    records = list(records)
    for r in records:
        if r.status not in ROW_COLOURS:
            raise ValueError(f"comparison_table: unknown status {r.status!r} in {r.label}")
    if long is None:
        long = len(records) > 25
    rows = []
    for r in records:
        colour = ROW_COLOURS[r.status]
        prefix = rf"\rowcolor{{{colour}}}" + "\n" if colour else ""
        cells = [_entry_label(r), expression_cell(r.computed, width=width),
                 expression_cell(r.printed, width=width), _status_cell(r)]
        rows.append(prefix + " & ".join(cells) + r" \\")
    lab = rf"\label{{{label}}}" if label else ""
    if long:
        cap = rf"\caption{{{caption}}}{lab}\\" + "\n" if caption or label else ""
        return "\n".join([
            rf"\begin{{longtable}}{{{_COLS}}}", cap + r"\toprule", _HEAD, r"\midrule", r"\endfirsthead",
            r"\toprule", _HEAD, r"\midrule", r"\endhead", r"\bottomrule", r"\endlastfoot",
            *rows, r"\end{longtable}"]) + "\n"
    lines = [r"\begin{table}[htbp]", r"\centering", r"\small"]
    if caption:
        lines.append(rf"\caption{{{caption}}}")
    if label:
        lines.append(lab)
    lines += [rf"\begin{{tabular}}{{{_COLS}}}", r"\toprule", _HEAD, r"\midrule", *rows,
              r"\bottomrule", r"\end{tabular}", r"\end{table}"]
    return "\n".join(lines) + "\n"


_DEC = re.compile(r"^\s*([+-]?)(\d+\.?\d*|\.\d+)(?:[eE]([+-]?\d+))?\s*$")


def _decimal_latex(text: str, where: str) -> tuple[str, str, bool]:
    """(sign, LaTeX of |x|, is_zero) of a decimal string such as ``-1.25e-3``."""
    m = _DEC.match(str(text))
    if not m:
        raise ValueError(f"value_table: {where}: {text!r} is not a decimal string")
    sign, mant, exp = m.groups()
    try:
        zero = Decimal(mant) == 0
    except InvalidOperation as exc:  # pragma: no cover - the regex already checked
        raise ValueError(f"value_table: {where}: {text!r} is not a decimal string") from exc
    body = mant if not exp or zero else rf"{mant}\times10^{{{int(exp)}}}"
    if mant == "1" and exp and not zero:
        body = rf"10^{{{int(exp)}}}"
    return ("-" if sign == "-" and not zero else ""), body, zero


def _complex_latex(entry, where: str) -> str:
    if entry is None:
        return "---"
    if isinstance(entry, str):
        entry = [entry, "0"]
    if not isinstance(entry, Sequence) or len(entry) != 2:
        raise ValueError(f"value_table: {where}: expected [re, im] decimal strings, got {entry!r}")
    rs, rb, rz = _decimal_latex(entry[0], where)
    is_, ib, iz = _decimal_latex(entry[1], where)
    if iz:
        return f"${rs}{rb}$"
    im = rf"{ib}\,i"
    if rz:
        return f"${is_}{im}$"
    return f"${rs}{rb} {'-' if is_ else '+'} {im}$"


def _label(text) -> str:
    s = str(text)
    return s if len(s) >= 2 and s.startswith("$") and s.endswith("$") else escape_latex(s)


def value_table(rows, columns: Sequence[str], caption: str = "", label: str | None = None) -> str:
    """A booktabs table of a numeric tensor.

    ``rows`` is a mapping or a sequence of pairs ``(row_label, entries)``, one
    entry per column, each ``[re, im]`` decimal strings (a single string is a
    real number, ``None`` prints a dash).  Labels are escaped unless written
    as ``$...$`` math.  The tabular is scaled down if wider than the line.
    """
    items = list(rows.items()) if isinstance(rows, Mapping) else list(rows)
    columns = list(columns)
    body = []
    for item in items:
        try:
            name, vals = item
        except (TypeError, ValueError):
            raise ValueError(f"value_table: row {item!r} is not a (label, entries) pair") from None
        vals = list(vals)
        if len(vals) != len(columns):
            raise ValueError(f"value_table: row {name!r} has {len(vals)} entries for {len(columns)} columns")
        cells = [_complex_latex(v, f"row {name!r}, column {c!r}") for v, c in zip(vals, columns)]
        body.append(" & ".join([_label(name), *cells]) + r" \\")
    lines = [r"\begin{table}[htbp]", r"\centering"]
    if caption:
        lines.append(rf"\caption{{{caption}}}")
    if label:
        lines.append(rf"\label{{{label}}}")
    lines += [_FIT + "{%", rf"\begin{{tabular}}{{@{{}}l{'c' * len(columns)}@{{}}}}", r"\toprule",
              " & ".join(["", *(_label(c) for c in columns)]) + r" \\", r"\midrule", *body,
              r"\bottomrule", r"\end{tabular}}", r"\end{table}"]
    return "\n".join(lines) + "\n"


# ------------------------------------------------------------------ documents
_PREAMBLE = r"""\documentclass[11pt]{article}
\usepackage[a4paper,margin=1.8cm]{geometry}
\usepackage{amsmath,amssymb}
\usepackage{array}
\usepackage{booktabs}
\usepackage{longtable}
\usepackage{xcolor}
\usepackage{colortbl}
\usepackage{graphicx}
\usepackage{tikz}
\usepackage{tikz-feynman}
\tikzfeynmanset{compat=1.1.0, warn luatex=false}
"""


def document(body_parts: Iterable[str] | str, title: str = "streda report",
             preamble_extra: str = "", author: str | None = None) -> str:
    """A complete ``article`` around ``body_parts`` (strings of LaTeX), ready for pdflatex.

    Loads geometry (small margins), amsmath, booktabs, longtable, xcolor,
    colortbl, graphicx, tikz and tikz-feynman.  ``title`` and ``author`` are
    plain text (escaped); ``preamble_extra`` is LaTeX.  No date, so the output
    is reproducible.

    >>> doc = document(["Hello."], title="R&D")
    >>> doc.splitlines()[0], r"\\title{R\\&D}" in doc, doc.rstrip().endswith(r"\\end{document}")
    ('\\\\documentclass[11pt]{article}', True, True)
    """
    parts = [body_parts] if isinstance(body_parts, str) else list(body_parts)
    head = _PREAMBLE + (preamble_extra.rstrip() + "\n" if preamble_extra else "")
    head += rf"\title{{{escape_latex(title)}}}" + "\n"
    head += (rf"\author{{{escape_latex(author)}}}" if author else r"\author{}") + "\n" + r"\date{}" + "\n"
    return head + "\\begin{document}\n\\maketitle\n\n" + "\n\n".join(p.rstrip() for p in parts) \
        + "\n\n\\end{document}\n"


def write_latex(path, text: str) -> Path:
    """Write ``text`` to ``path`` (UTF-8, parent folders created); returns the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    from .outputs import atomic_write_text

    atomic_write_text(path, text)      # temporary file + rename: never half a file
    return path


def _first_error(log: str) -> str:
    """The first ``! ...`` error line of a TeX log, with its ``l.NN`` context if any."""
    lines = log.splitlines()
    for i, line in enumerate(lines):
        if line.startswith("!"):
            msg = line.strip()
            for follow in lines[i + 1:i + 12]:
                if re.match(r"^l\.\d+", follow):
                    msg += f" ({follow.strip()})"
                    break
            return msg
    tail = [x.strip() for x in lines if x.strip()]
    return tail[-1] if tail else "no error message in the log"


def compile_pdf(tex_path, *, runs: int = 2, timeout: float = 120) -> Path:
    """Run ``pdflatex -interaction=nonstopmode -halt-on-error`` ``runs`` times in the
    file's folder; return the PDF path.

    Raises :class:`LatexError` (one line: the first LaTeX error and its line)
    when pdflatex fails or runs longer than ``timeout`` seconds, and when it
    is not installed.
    """
    exe = shutil.which("pdflatex")
    if exe is None:
        raise LatexError("pdflatex not found on PATH: install TeX Live "
                         "(Debian/Ubuntu: apt-get install texlive-latex-extra texlive-pictures)")
    tex = Path(tex_path).resolve()
    if not tex.is_file():
        raise LatexError(f"no such LaTeX file: {tex}")
    if runs < 1:
        raise ValueError(f"runs must be >= 1 (got {runs})")
    for i in range(runs):
        try:
            proc = subprocess.run([exe, "-interaction=nonstopmode", "-halt-on-error", tex.name],
                                  cwd=tex.parent, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT, timeout=timeout)
        except subprocess.TimeoutExpired:
            raise LatexError(f"pdflatex timed out after {timeout:g} s on {tex.name}") from None
        if proc.returncode != 0:
            logf = tex.with_suffix(".log")
            log = logf.read_text(encoding="latin-1") if logf.is_file() else \
                proc.stdout.decode("latin-1", errors="replace")
            raise LatexError(f"pdflatex failed on {tex.name} (run {i + 1}): {_first_error(log)}")
    pdf = tex.with_suffix(".pdf")
    if not pdf.is_file():
        raise LatexError(f"pdflatex produced no PDF for {tex.name}")
    return pdf
