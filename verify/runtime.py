"""Shared plumbing for the command line: progress, parallel maps, JSON, versions.

>>> sorted(versions())[:3]
['mpmath', 'networkx', 'numpy']
"""
from __future__ import annotations

import json
import os
import sys
from concurrent.futures import ProcessPoolExecutor, as_completed
from typing import Callable

__all__ = ["versions", "progress", "parallel_map", "write_json", "check_jobs", "check_positive"]


def versions() -> dict[str, str]:
    """Versions of streda and of the libraries its results depend on (:func:`streda.integrals.api.versions`)."""
    from streda.integrals.api import versions as _versions

    return _versions()


def progress(iterable=None, total=None, desc: str = "", disable: bool | None = None):
    """A tqdm progress bar on stderr (silent when stderr is not a terminal unless forced)."""
    from tqdm import tqdm

    if disable is None:
        disable = not sys.stderr.isatty() and not os.environ.get("STREDA_PROGRESS")
    return tqdm(iterable, total=total, desc=desc, file=sys.stderr, disable=disable,
                leave=False, dynamic_ncols=True)


def parallel_map(func: Callable, tasks: list, jobs: int = 1, desc: str = "",
                 on_result: Callable | None = None) -> list:
    """``[func(*t) for t in tasks]`` on ``jobs`` processes, in task order, with a progress bar.

    ``on_result(i, result)`` is called as each task finishes (for per-task progress lines).
    """
    results = [None] * len(tasks)
    if jobs <= 1 or len(tasks) <= 1:
        with progress(total=len(tasks), desc=desc) as bar:
            for i, t in enumerate(tasks):
                results[i] = func(*t)
                bar.update(1)
                if on_result:
                    on_result(i, results[i])
        return results
    pool = worker_pool(jobs)
    try:
        with progress(total=len(tasks), desc=desc) as bar:
            futs = {pool.submit(func, *t): i for i, t in enumerate(tasks)}
            for f in as_completed(futs):
                results[futs[f]] = f.result()
                bar.update(1)
                if on_result:
                    on_result(futs[f], results[futs[f]])
    except BaseException:
        # Ctrl-C (or a failing task): cancel queued work and stop the workers now instead of
        # waiting for the running tasks; finished results are already cached atomically.
        _stop_pool(pool)
        raise
    pool.shutdown(wait=True)
    return results


def _worker_init(parent: int) -> None:
    """Set up a pool worker of the process ``parent``.

    - It ignores SIGINT: the parent alone handles Ctrl-C (one line, no worker tracebacks).
    - On Linux it ends with its parent: if the parent is killed outright (SIGKILL, the
      out-of-memory killer), the kernel sends the worker SIGTERM (``PR_SET_PDEATHSIG``) instead
      of leaving it computing, orphaned, with the caller's pipes open.  A parent that died
      before this ran is caught by comparing ``os.getppid()`` afterwards.
    """
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, int(signal.SIGTERM), 0, 0, 0)  # 1 = PR_SET_PDEATHSIG
    except (OSError, AttributeError):    # no prctl in this libc: keep the old behaviour
        return
    if os.getppid() != parent:
        os.kill(os.getpid(), signal.SIGTERM)


def worker_pool(jobs: int) -> ProcessPoolExecutor:
    """The process pool of ``parallel_map`` and of local scans: ``jobs`` workers set up by
    :func:`_worker_init`."""
    return ProcessPoolExecutor(max_workers=jobs, initializer=_worker_init, initargs=(os.getpid(),))


def _stop_pool(pool) -> None:
    """Cancel queued work and end the workers now: SIGTERM, then SIGKILL for any worker still
    alive a second later (a worker caught between fork and its first task may outlive SIGTERM)."""
    import multiprocessing

    procs = dict(getattr(pool, "_processes", None) or {})
    pool.shutdown(wait=False, cancel_futures=True)
    procs.update(getattr(pool, "_processes", None) or {})   # any worker spawned meanwhile
    # and every child process of ours: a worker forked while Ctrl-C arrived may not be listed
    # yet, and a survivor keeps computing with the terminal's (or a caller's) pipes open
    procs.update({p.pid: p for p in multiprocessing.active_children()})
    for p in procs.values():
        try:
            p.terminate()
        except (OSError, ValueError):
            pass
    for p in procs.values():
        p.join(timeout=1)
        if p.is_alive():
            try:
                p.kill()
            except (OSError, ValueError):
                pass
            p.join(timeout=1)


def write_json(path: str, data) -> None:
    """Write ``data`` as stable, sorted, indented JSON (byte-identical for equal data)."""
    text = json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    if path == "-":
        sys.stdout.write(text)
        return
    from .outputs import atomic_write_text

    atomic_write_text(path, text)


def refuse_unused_mx(point, command: str) -> None:
    """``--params Mx=...`` is refused where it would be ignored: P^(n) and the tensors are the
    coefficients of the expansion in M_x at M_x = 0 (Eqs. C9, 15-17), so a value of M_x is
    never used by ``pn``, ``tensor`` or ``verify`` (use ``--mx-order`` for the orders)."""
    from .cli import UsageError

    if point.Mx != 0:
        raise UsageError(f"{command} --params Mx={point.Mx}: {command} works with the coefficients of "
                         "the expansion in M_x at M_x = 0, so a value of M_x would be ignored; "
                         "leave Mx out (use --mx-order for the orders)")


def check_jobs(jobs: int) -> int:
    from .cli import UsageError

    if jobs < 1:
        raise UsageError(f"--jobs must be >= 1 (got {jobs})")
    return min(jobs, os.cpu_count() or 1)


def check_positive(name: str, value: int, minimum: int = 1) -> int:
    from .cli import UsageError

    if value < minimum:
        raise UsageError(f"{name} must be >= {minimum} (got {value})")
    return value
