"""CLI habits (issue 12 item 5): negative option values as typed, progress bars only on a
terminal, ``streda --version``."""
from __future__ import annotations

import os
import pty
import subprocess
import sys

from streda.verify.cli import _join_negative_values, build_parser, main


def test_negative_values_as_typed():
    p = build_parser()
    argv = ["skyrmion", "--profile", "-2*atan(exp(-rho))", "--coeffs", "a=-1,b=0,c=0,d=0",
            "--alpha-g", "1/5", "--helicity", "-pi/2", "--current", "-1,0"]
    args = p.parse_args(_join_negative_values(argv, p))
    assert (args.helicity, args.current, args.profile) == ("-pi/2", "-1,0", "-2*atan(exp(-rho))")
    args = p.parse_args(_join_negative_values(["pn", "--params", "-x", "--max-order", "1"], p))
    assert args.params == "-x" and args.max_order == 1
    # an option name after a value-taking option is still an option (argparse reports the gap)
    assert _join_negative_values(["pn", "--json", "--force"], p) == ["pn", "--json", "--force"]


def test_negative_value_is_refused_normally(capsys):
    assert main(["pn", "--max-order", "-3"]) == 2
    assert "below the minimum 0" in capsys.readouterr().err


def test_version(capsys):
    r = subprocess.run([sys.executable, "-m", "streda.verify.cli", "--version"], capture_output=True,
                       text=True, timeout=60)
    assert r.returncode == 0 and r.stdout.startswith("streda ")


def _env():
    return {k: v for k, v in os.environ.items() if k != "STREDA_PROGRESS"}


CMD = [sys.executable, "-m", "streda.verify.cli", "pn", "--max-order", "3"]


def test_progress_silent_when_piped():
    r = subprocess.run(CMD, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=_env(), timeout=120)
    assert r.returncode == 0 and r.stderr == b""


def test_progress_shown_on_a_terminal():
    import fcntl
    import struct
    import termios

    main_fd, sub_fd = pty.openpty()
    fcntl.ioctl(sub_fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))   # a 100-column terminal
    proc = subprocess.Popen(CMD, stdout=subprocess.DEVNULL, stderr=sub_fd, env=_env())
    os.close(sub_fd)
    chunks = []
    try:
        while True:
            try:
                data = os.read(main_fd, 65536)
            except OSError:            # EIO: the child closed the terminal
                break
            if not data:
                break
            chunks.append(data)
    finally:
        os.close(main_fd)
        proc.wait(timeout=120)
    text = b"".join(chunks).decode("utf-8", "replace")
    assert proc.returncode == 0
    assert "P^(n) exact" in text and "%|" in text, text[:300]
