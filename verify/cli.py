"""The ``streda`` command line.

Each subcommand lives in its own module ``streda.verify.cmd_<name>`` that
defines ``register(subparsers)``; the parser is assembled from them here.
Bad input ends with one line on stderr and exit status 2, never a traceback.
"""
from __future__ import annotations

import argparse
import os
import importlib
import pkgutil
import sys

__all__ = ["main", "UsageError", "build_parser"]


class UsageError(ValueError):
    """Bad command-line input: reported on one line, exit status 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line, status 2
        raise UsageError(f"{self.prog}: {message}")


def _command_modules():
    import streda.verify as pkg

    names = sorted(m.name for m in pkgutil.iter_modules(pkg.__path__) if m.name.startswith("cmd_"))
    return [importlib.import_module(f"streda.verify.{n}") for n in names]


def _version() -> str:
    try:
        from importlib.metadata import version

        return version("streda")
    except Exception:  # pragma: no cover - not installed
        return "unknown"


class _VersionAction(argparse._VersionAction):
    """``--version``: the installed version, looked up (importlib.metadata) only when asked."""

    def __init__(self, option_strings, dest=argparse.SUPPRESS, default=argparse.SUPPRESS,
                 help="show program's version number and exit"):
        super().__init__(option_strings, version=None, dest=dest, default=default, help=help)

    def __call__(self, parser, namespace, values, option_string=None):
        self.version = f"streda {_version()}"
        super().__call__(parser, namespace, values, option_string)


def _add_force(sub) -> None:
    """Every subcommand that writes files gets ``--force`` (overwrite existing outputs)."""
    from .outputs import FILE_OPTIONS

    for sp in set(sub.choices.values()):
        dests = {a.dest for a in sp._actions}
        if (dests & (set(FILE_OPTIONS) | {"out"})) and "force" not in dests:
            sp.add_argument("--force", action="store_true",
                            help="overwrite existing output files (default: refuse)")


def _value_options(parser: argparse.ArgumentParser) -> tuple[set, set]:
    """(options that take one value, every option string) over the parser and its subparsers."""
    takes, flags, seen = set(), set(), set()

    def walk(p):
        if id(p) in seen:
            return
        seen.add(id(p))
        for a in p._actions:
            for s in a.option_strings:
                flags.add(s)
                if a.nargs is None:
                    takes.add(s)
            if isinstance(a, argparse._SubParsersAction):
                for sp in a.choices.values():
                    walk(sp)

    walk(parser)
    return takes, flags


def _join_negative_values(argv: list[str], parser) -> list[str]:
    """``--helicity -pi/2`` -> ``--helicity=-pi/2``: a value that starts with '-' after an
    option that takes one value is joined to it, unless it is itself an option name.

    argparse otherwise reads ``-pi/2`` or ``-1,0`` as an unknown option.

    >>> p = build_parser()
    >>> _join_negative_values(["skyrmion", "--helicity", "-pi/2", "--current", "-1,0"], p)
    ['skyrmion', '--helicity=-pi/2', '--current=-1,0']
    >>> _join_negative_values(["pn", "--json", "--force"], p)
    ['pn', '--json', '--force']
    """
    takes, flags = _value_options(parser)
    out, i = [], 0
    while i < len(argv):
        tok = argv[i]
        if (tok in takes and i + 1 < len(argv) and argv[i + 1].startswith("-")
                and argv[i + 1] not in ("-", "--") and argv[i + 1].split("=", 1)[0] not in flags
                and tok.startswith("--")):
            out.append(f"{tok}={argv[i + 1]}")
            i += 2
            continue
        out.append(tok)
        i += 1
    return out


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="streda", description=(
        "Diagrammatic perturbation theory for the Rashba model of Ado, Tretiakov and Titov: "
        "diagrams -> exact integrals -> the paper's claims checked."))
    parser.add_argument("--version", action=_VersionAction)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for mod in _command_modules():
        mod.register(sub)
    _add_force(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    from streda.integrals.model import ModelError
    from streda.integrals.word import WordError

    from .outputs import check_args

    parser = build_parser()
    try:
        argv = list(sys.argv[1:] if argv is None else argv)
        args = parser.parse_args(_join_negative_values(argv, parser))
        if not getattr(args, "func", None):
            parser.print_help()
            return 2
        check_args(args)              # output paths and the cache directory, before any work
        return int(args.func(args) or 0)
    except (UsageError, ModelError, WordError, ValueError) as exc:
        # every domain error of streda is a ValueError subclass (DiagramError, DivergentIntegral, ...)
        msg = " ".join(str(exc).split())
        print(f"streda: error: {msg}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # pragma: no cover - output piped into head
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        print("streda: interrupted", file=sys.stderr)
        return 130
    except OSError as exc:            # a file that vanished, a full disk, ...
        print(f"streda: error: {exc.filename or ''}: {exc.strerror or exc}".replace(" : ", " "),
              file=sys.stderr)
        return 2
    except (ArithmeticError, RecursionError, MemoryError) as exc:
        msg = " ".join(str(exc).split())[:200]
        print(f"streda: error: computation failed ({type(exc).__name__}: {msg})", file=sys.stderr)
        return 2
    except Exception as exc:          # last resort: input that slipped past validation
        import os

        if os.environ.get("STREDA_DEBUG"):
            raise
        msg = " ".join(str(exc).split())[:200]
        print(f"streda: error: unexpected {type(exc).__name__}: {msg} (a bug: please report it; "
              "STREDA_DEBUG=1 shows the traceback)", file=sys.stderr)
        return 2


def entry() -> None:
    """The ``streda`` command: :func:`main`, then exit.  After Ctrl-C (status 130) the process
    leaves with ``os._exit``: the workers are already ended and every cache write is atomic, but
    the interpreter's exit handlers would join the process pool's management thread, which can
    wait forever on a worker killed mid-message (seen under load)."""
    code = main()
    if code == 130:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(130)
    sys.exit(code)


if __name__ == "__main__":  # pragma: no cover
    entry()
