"""The documentation is executable and names only commands and options that exist.

* every ``docs/*.md`` that contains ``>>>`` is run with :func:`doctest.testfile`
  (ELLIPSIS | NORMALIZE_WHITESPACE), one test per file;
* every ``streda <command>`` written in code in the docs is a registered subcommand whose
  ``--help`` works, and every registered subcommand is documented in the user guide;
* every ``$ streda ...`` line of a console block parses with the real argument parser
  (so no option is invented), without running the command;
* the cross-checks of ``docs/make_findings.py`` pass their own doctests.

Negative controls prove that a wrong example, an unknown command and an invented option are
caught.  Regenerating ``docs/findings.md`` takes about a minute: that check is ``slow``.
"""
from __future__ import annotations

import doctest
import importlib.util
import re
import shlex
from pathlib import Path

import flint
import mpmath
import pytest

from streda.verify.cli import UsageError, build_parser, main

DOCS = Path(__file__).resolve().parent.parent / "docs"
GUIDE = DOCS / "user-guide.md"
FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE

FENCE = re.compile(r"^```[^\n]*\n(.*?)^```", re.S | re.M)
INLINE = re.compile(r"`([^`\n]+)`")
COMMAND = re.compile(r"(?:^|[\s$(])streda\s+([a-z][\w-]*)")


def files_with_examples() -> list[Path]:
    return sorted(p for p in DOCS.glob("*.md") if ">>>" in p.read_text(encoding="utf-8"))


def run_markdown(path: Path) -> doctest.TestResults:
    prec, mp_prec = flint.ctx.prec, mpmath.mp.prec
    try:
        return doctest.testfile(str(path), module_relative=False, optionflags=FLAGS, encoding="utf-8")
    finally:
        flint.ctx.prec, mpmath.mp.prec = prec, mp_prec


def code_of(text: str) -> list[str]:
    """The fenced code blocks and the inline code spans of a Markdown text."""
    blocks = FENCE.findall(text)
    rest = FENCE.sub("", text)
    return blocks + INLINE.findall(rest)


def mentioned_commands(text: str) -> set[str]:
    """Words W of ``streda W`` written in code (prose is not scanned)."""
    return {m for code in code_of(text) for m in COMMAND.findall(code)}


def registered_commands() -> set[str]:
    parser = build_parser()
    sub = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    return set(sub.choices)


def console_commands(text: str) -> list[list[str]]:
    """argv of every ``$ streda ...`` line in console blocks (pipes and comments cut off)."""
    out = []
    for block in re.findall(r"^```console\n(.*?)^```", text, re.S | re.M):
        for line in block.splitlines():
            if not line.startswith("$ streda"):
                continue
            argv = shlex.split(line[2:].split(" | ")[0], comments=True)
            out.append(argv[1:])
    return out


# ------------------------------------------------------------------------- doctests
@pytest.mark.parametrize("path", files_with_examples(), ids=lambda p: p.name)
def test_markdown_examples(path):
    result = run_markdown(path)
    assert result.attempted > 0
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples failed in {path.name}"


def test_the_example_files_are_found():
    """Discovery control: the guide and the method note carry examples and are collected."""
    names = {p.name for p in files_with_examples()}
    assert {"user-guide.md", "method.md"} <= names


def test_a_wrong_example_fails(tmp_path):
    """Negative control: a Markdown example with a wrong expected output is reported."""
    bad = tmp_path / "bad.md"
    bad.write_text("Text.\n\n```python\n>>> 1 + 1\n3\n\n```\n", encoding="utf-8")
    result = doctest.testfile(str(bad), module_relative=False, optionflags=FLAGS, report=False)
    assert (result.failed, result.attempted) == (1, 1)


# ------------------------------------------------------------------------- commands
def test_commands_in_the_guide_exist():
    mentioned = mentioned_commands(GUIDE.read_text(encoding="utf-8"))
    assert mentioned, "the guide mentions no command"
    assert mentioned <= registered_commands(), f"unknown: {sorted(mentioned - registered_commands())}"


def test_commands_in_all_docs_exist():
    for path in sorted(DOCS.glob("*.md")):
        unknown = mentioned_commands(path.read_text(encoding="utf-8")) - registered_commands()
        assert not unknown, f"{path.name} mentions unknown commands {sorted(unknown)}"


def test_every_command_is_documented():
    missing = registered_commands() - mentioned_commands(GUIDE.read_text(encoding="utf-8"))
    assert not missing, f"commands without a section in the user guide: {sorted(missing)}"


@pytest.mark.parametrize("command", sorted(mentioned_commands(GUIDE.read_text(encoding="utf-8"))))
def test_help_of_each_documented_command(command, capsys):
    with pytest.raises(SystemExit) as exc:
        main([command, "--help"])
    assert exc.value.code == 0
    assert f"usage: streda {command}" in capsys.readouterr().out


def test_an_unknown_command_is_caught():
    """Negative control for the mention check and for the parser."""
    assert mentioned_commands("run `streda frobnicate --fast` now") == {"frobnicate"}
    assert "frobnicate" not in registered_commands()
    assert mentioned_commands("streda frobnicate in prose is not code") == set()
    with pytest.raises(UsageError):
        build_parser().parse_args(["frobnicate"])


def test_console_examples_parse():
    """Every shown command line is accepted by the real parser (nothing is executed)."""
    lines = [argv for p in sorted(DOCS.glob("*.md")) for argv in console_commands(p.read_text(encoding="utf-8"))]
    assert len(lines) >= 10
    parser = build_parser()
    for argv in lines:
        if "--help" in argv or not argv:
            continue
        args = parser.parse_args(argv)
        assert getattr(args, "func", None) is not None, argv


def test_an_invented_option_is_caught():
    """Negative control: a misspelt option in a console line fails to parse."""
    text = "```console\n$ streda pn --max-ordr 3   # typo\n```\n"
    (argv,) = console_commands(text)
    assert argv == ["pn", "--max-ordr", "3"]
    with pytest.raises(UsageError):
        build_parser().parse_args(argv)


# ------------------------------------------------------------------------- findings generator
def _load_make_findings():
    spec = importlib.util.spec_from_file_location("make_findings", DOCS / "make_findings.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_make_findings_cross_checks():
    """The generator's relation finder: a sign flip is found, a non-multiple is not."""
    mod = _load_make_findings()
    result = doctest.testmod(mod, optionflags=FLAGS, report=False)
    assert result.failed == 0 and result.attempted >= 4
    c, _ = mod.constant_ratio("-2*Delta*varepsilon/pi", "Delta*varepsilon/pi")
    assert c == -2
    assert mod.constant_ratio("Delta*varepsilon", "Delta + varepsilon") is None


def test_findings_is_generated():
    text = (DOCS / "findings.md").read_text(encoding="utf-8")
    assert "GENERATED by docs/make_findings.py" in text
    assert (DOCS / "tables" / "comparisons.tex").exists()


def test_findings_beyond_sections_render_the_records_and_skip_missing_checks():
    mod = _load_make_findings()
    assert mod.beyond_sections(None) == [] and mod.beyond_sections({}) == []
    xi = {"name": "xi_prescription", "status": "ran", "figure": "f", "records": [
        {"entry": "K_xx M_x^0", "gamma": ["1/10"], "whole": ["-0.02"], "rel_difference": ["0.0167"],
         "fitted_slope": "0.9976", "order_in_gamma": 1}]}
    text = "\n".join(mod.beyond_sections({"xi_prescription": xi}))
    assert "the $\\xi$ prescription" in text and "| K_xx M_x^0 | -0.02 | 0.0167 | 0.9976 | 1 |" in text
    assert "Hall" not in text and "Dresselhaus" not in text


@pytest.mark.slow
def test_findings_up_to_date():
    """findings.md equals a fresh run of the generator (about five minutes)."""
    assert _load_make_findings().main(["--check"]) == 0
