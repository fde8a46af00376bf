"""A result cache that a corrupted or partial entry cannot poison.

Entries are JSON files named by the SHA-256 of their key (the model point, the
quantity, the order, the streda version ...).  Each file stores the key and a
checksum of the value; a file that does not parse, whose key differs or whose
checksum fails is reported as a miss (and removed), so the value is recomputed.
Writes go to a temporary file in the same directory and are renamed into place
(atomic on POSIX), so an interrupted run leaves no half-written entry.

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

__all__ = ["Cache", "default_cache_dir", "NullCache"]


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
        self.dir = Path(directory) if directory is not None else default_cache_dir()
        self.dir.mkdir(parents=True, exist_ok=True)
        self.stats = {"hits": 0, "misses": 0, "corrupt": 0, "writes": 0}

    def path(self, key) -> Path:
        return self.dir / (hashlib.sha256(_canon(key).encode()).hexdigest() + ".json")

    def get(self, key):
        p = self.path(key)
        if not p.exists():
            self.stats["misses"] += 1
            return None
        try:
            entry = json.loads(p.read_text(encoding="utf-8"))
            value_text = _canon(entry["value"])
            ok = (entry.get("key") == json.loads(_canon(key))
                  and entry.get("sha256") == hashlib.sha256(value_text.encode()).hexdigest())
        except (ValueError, KeyError, TypeError, OSError):
            ok = False
        if not ok:
            self.stats["corrupt"] += 1
            self.stats["misses"] += 1
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
        self.stats = {"hits": 0, "misses": 0, "corrupt": 0, "writes": 0}

    def get(self, key):
        self.stats["misses"] += 1
        return None

    def put(self, key, value) -> None:
        return None
