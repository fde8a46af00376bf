"""A result cache that a corrupted or partial entry cannot poison.

Entries are JSON files named by the SHA-256 of their key (the model point, the
quantity, the order, the streda version ...).  Each file stores the key and a
checksum of the value; a file that does not parse, whose key differs or whose
checksum fails is reported as a miss (and removed), so the value is recomputed.
Writes go to a temporary file in the same directory and are renamed into place
(atomic on POSIX), so an interrupted run leaves no half-written entry.

A ``validate`` function given to :meth:`Cache.get` checks the stored value's
schema; an invalid value is reported once on stderr ("recomputed") and treated
as a miss, never a crash.  A checksum cannot stop a forger who can write the
directory, so :func:`check_cache_dir` refuses a directory that other users can
write, and ``streda verify --recheck K`` recomputes K cached checks to audit it.

>>> import tempfile
>>> c = Cache(tempfile.mkdtemp())
>>> c.get({"q": "P", "n": 3}) is None
True
>>> c.put({"q": "P", "n": 3}, {"zero": True})
>>> c.get({"q": "P", "n": 3})
{'zero': True}
>>> p = c.path({"q": "P", "n": 3}); _ = p.write_text(p.read_text()[:-20])   # truncate: corrupt
>>> c.get({"q": "P", "n": 3}) is None, c.stats["corrupt"]
(True, 1)
"""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

__all__ = ["Cache", "default_cache_dir", "NullCache", "check_cache_dir", "CacheDirError"]


class CacheDirError(ValueError):
    """A cache directory that cannot be used safely (one line, exit status 2)."""


def check_cache_dir(directory) -> Path:
    """Create ``directory`` (mode 0700) if missing; refuse a non-directory, a directory that
    group or others can write (a shared cache could be forged), one owned by another user,
    or one that cannot be written.

    >>> import tempfile, os
    >>> d = tempfile.mkdtemp(); os.chmod(d, 0o777)
    >>> check_cache_dir(d)
    Traceback (most recent call last):
    ...
    streda.verify.cache.CacheDirError: cache directory ... is writable by group or others; run chmod go-w on it
    """
    import stat

    p = Path(directory)
    if not str(directory).strip() or "\0" in str(directory):
        raise CacheDirError("--cache-dir: empty or invalid directory name")
    try:
        if not p.exists():
            p.mkdir(parents=True, mode=0o700)
        if not p.is_dir():
            raise CacheDirError(f"cache directory {p} is not a directory")
        st = p.stat()
    except OSError as exc:
        raise CacheDirError(f"cannot use cache directory {p}: {exc.strerror or exc}") from None
    if st.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        raise CacheDirError(f"cache directory {p} is writable by group or others; run chmod go-w on it")
    if hasattr(os, "getuid") and st.st_uid != os.getuid():
        raise CacheDirError(f"cache directory {p} belongs to another user")
    from .outputs import _probe_writable

    _probe_writable(p, "cache directory", CacheDirError)
    return p


def _canon(obj) -> str:
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=True)


def default_cache_dir() -> Path:
    """``$STREDA_CACHE``, else ``$XDG_CACHE_HOME/streda``, else ``~/.cache/streda``."""
    if os.environ.get("STREDA_CACHE"):
        return Path(os.environ["STREDA_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "streda"


class Cache:
    """A directory of checksummed JSON entries (see module docstring)."""

    def __init__(self, directory: str | os.PathLike | None = None):
        self.dir = check_cache_dir(directory if directory is not None else default_cache_dir())
        self.stats = {"hits": 0, "misses": 0, "corrupt": 0, "writes": 0, "invalid": 0}

    def path(self, key) -> Path:
        return self.dir / (hashlib.sha256(_canon(key).encode()).hexdigest() + ".json")

    def keys(self) -> list:
        """The keys of every readable entry (for ``verify --recheck``), sorted by file name."""
        out = []
        for f in sorted(self.dir.glob("*.json")):
            try:
                entry = json.loads(f.read_text(encoding="utf-8"))
                if isinstance(entry, dict) and "key" in entry:
                    out.append(entry["key"])
            except (OSError, ValueError, RecursionError):
                continue
        return out

    def get(self, key, validate=None):
        """The stored value, or None on a miss; ``validate(value)`` returns an error text or None."""
        p = self.path(key)
        if not p.exists():
            self.stats["misses"] += 1
            return None
        try:
            entry = json.loads(p.read_text(encoding="utf-8"))
            value_text = _canon(entry["value"])
            ok = (entry.get("key") == json.loads(_canon(key))
                  and entry.get("sha256") == hashlib.sha256(value_text.encode()).hexdigest())
        except (ValueError, KeyError, TypeError, AttributeError, OSError, RecursionError):
            ok = False
        if not ok:
            self.stats["corrupt"] += 1
            self.stats["misses"] += 1
            try:
                p.unlink()
            except OSError:
                pass
            return None
        problem = validate(entry["value"]) if validate is not None else None
        if problem:
            import sys

            self.stats["invalid"] += 1
            self.stats["misses"] += 1
            print(f"streda: warning: cache entry {p.name} is invalid ({problem}); recomputed",
                  file=sys.stderr)
            try:
                p.unlink()
            except OSError:
                pass
            return None
        self.stats["hits"] += 1
        return entry["value"]

    def put(self, key, value) -> None:
        value_text = _canon(value)
        entry = {"key": json.loads(_canon(key)), "value": json.loads(value_text),
                 "sha256": hashlib.sha256(value_text.encode()).hexdigest()}
        fd, tmp = tempfile.mkstemp(dir=self.dir, suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(entry, fh, sort_keys=True)
            os.replace(tmp, self.path(key))
            self.stats["writes"] += 1
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)


class NullCache(Cache):
    """``--no-cache``: never hits, never writes."""

    def __init__(self):
        self.stats = {"hits": 0, "misses": 0, "corrupt": 0, "writes": 0, "invalid": 0}

    def keys(self) -> list:
        return []

    def get(self, key, validate=None):
        self.stats["misses"] += 1
        return None

    def put(self, key, value) -> None:
        return None
