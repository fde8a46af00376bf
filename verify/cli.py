"""The ``streda`` command line.

Each subcommand lives in its own module ``streda.verify.cmd_<name>`` that
defines ``register(subparsers)``; the parser is assembled from them here.
Bad input ends with one line on stderr and exit status 2, never a traceback.
"""
from __future__ import annotations

import argparse
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


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="streda", description=(
        "Diagrammatic perturbation theory for the Rashba model of Ado, Tretiakov and Titov: "
        "diagrams -> exact integrals -> the paper's claims checked."))
    parser.add_argument("--version", action="version", version=f"streda {_version()}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for mod in _command_modules():
        mod.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    from streda.integrals.model import ModelError
    from streda.integrals.word import WordError

    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        if not getattr(args, "func", None):
            parser.print_help()
            return 2
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
    except KeyboardInterrupt:  # pragma: no cover
        print("streda: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
