"""Output paths checked before any work starts, and atomic writes.

:func:`check_args` runs in :func:`streda.verify.cli.main` right after parsing,
for every subcommand: ``--json``/``--latex``/``--plot`` files and the ``--out``
directory of ``verify`` (and of ``diagrams --format``).  A missing parent
directory, a directory where a file is wanted, an existing file (unless
``--force``) or a place that cannot be written ends in one line, exit status 2.
Files are written by :func:`atomic_write_text` (a temporary file in the same
directory, then :func:`os.replace`), so an interrupted run never leaves half a file.

>>> import tempfile, os
>>> d = tempfile.mkdtemp()
>>> check_output_file(os.path.join(d, "nope", "x.json"), "--json")
Traceback (most recent call last):
...
streda.verify.outputs.OutputPathError: --json: the directory ... does not exist
>>> p = os.path.join(d, "x.json"); atomic_write_text(p, "{}\\n"); check_output_file(p, "--json")
Traceback (most recent call last):
...
streda.verify.outputs.OutputPathError: --json: ... exists; use --force to overwrite it
>>> check_output_file(p, "--json", force=True)
"""
from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

__all__ = ["OutputPathError", "check_output_file", "check_output_dir", "check_args",
           "atomic_write_text", "atomic_path", "FILE_OPTIONS"]

#: argparse destinations that name an output file, with their option spelling
FILE_OPTIONS = {"json": "--json", "latex": "--latex", "plot": "--plot"}
#: files whose presence marks a directory as holding an earlier ``verify`` report
REPORT_MARKERS = ("results.json", "report.tex")


class OutputPathError(ValueError):
    """An output path that cannot be written as asked (one line, exit status 2)."""


def _probe_writable(directory: Path, option: str, error: type = None) -> None:
    """Create and remove a temporary file: the honest test (``os.access`` lies for root).
    Raises ``error`` (default :class:`OutputPathError`) with one line naming ``option``."""
    try:
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=".streda-probe-")
        os.close(fd)
        os.unlink(tmp)
    except OSError as exc:
        raise (error or OutputPathError)(f"{option}: cannot write in {directory}: {exc.strerror or exc}") from None


def check_output_file(path, option: str, force: bool = False) -> None:
    """Refuse before work starts: missing parent, a directory, an existing file (unless
    ``force``), or a place that cannot be written.  ``-`` (stdout) is accepted."""
    if path is None or str(path) == "-":
        return
    p = Path(path)
    if not str(path).strip():
        raise OutputPathError(f"{option}: empty file name")
    if "\0" in str(path):
        raise OutputPathError(f"{option}: the file name contains a NUL character")
    if p.is_dir():
        raise OutputPathError(f"{option}: {p} is a directory; give a file name")
    parent = p.parent if str(p.parent) else Path(".")
    if not parent.is_dir():
        raise OutputPathError(f"{option}: the directory {parent} does not exist")
    if p.exists() or p.is_symlink():
        if not force:
            raise OutputPathError(f"{option}: {p} exists; use --force to overwrite it")
        if not p.is_file():
            raise OutputPathError(f"{option}: {p} is not a regular file")
    _probe_writable(parent, option)


def check_output_dir(path, option: str, force: bool = False, markers=REPORT_MARKERS) -> Path:
    """An output directory: it may exist (then it must be a writable directory without
    any of ``markers`` unless ``force``) or be created in an existing parent."""
    if path is None or not str(path).strip():
        raise OutputPathError(f"{option}: empty directory name")
    if "\0" in str(path):
        raise OutputPathError(f"{option}: the directory name contains a NUL character")
    p = Path(path)
    if p.exists() and not p.is_dir():
        raise OutputPathError(f"{option}: {p} exists and is not a directory")
    if p.is_dir():
        found = [m for m in markers if (p / m).exists()]
        if found and not force:
            raise OutputPathError(f"{option}: {p} already holds {found[0]}; use --force to overwrite")
        _probe_writable(p, option)
        return p
    parent = p.parent if str(p.parent) else Path(".")
    if not parent.is_dir():
        raise OutputPathError(f"{option}: the directory {parent} does not exist")
    _probe_writable(parent, option)
    return p


def check_args(args) -> None:
    """Check every output path of a parsed command line (see module docstring)."""
    force = bool(getattr(args, "force", False))
    for dest, option in FILE_OPTIONS.items():
        value = getattr(args, dest, None)
        if isinstance(value, str):
            check_output_file(value, option, force)
    command = getattr(args, "command", None)
    if command == "verify" and getattr(args, "out", None) is not None:
        check_output_dir(args.out, "--out", force)
    elif command == "diagrams" and getattr(args, "format", None):
        check_output_dir(args.out, "--out", force, markers=())
    if getattr(args, "cache_dir", None) is not None and not getattr(args, "no_cache", False):
        from .cache import check_cache_dir

        check_cache_dir(args.cache_dir)


@contextlib.contextmanager
def atomic_path(path):
    """Yield a temporary path next to ``path`` (same suffix); renamed onto ``path`` on success.

    For libraries that write by file name (matplotlib's ``savefig``).
    """
    path = Path(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent if str(path.parent) else ".", prefix=".streda-",
                               suffix=path.suffix)
    os.close(fd)
    try:
        yield tmp
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(tmp, 0o666 & ~mask)      # the mode a plain open() would have given
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def atomic_write_text(path, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` atomically: temporary file + rename."""
    with atomic_path(path) as tmp, open(tmp, "w", encoding="utf-8") as fh:
        fh.write(text)
