"""`closedloop --help` is quick and quiet, and every command the docs name exists."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import typer

from pipelines.cli.main import LAZY_COMMANDS, app

ROOT = Path(__file__).resolve().parents[2]
CLI = Path(sys.executable).with_name("closedloop")
DOCS = [ROOT / "README.md", ROOT / "ARCHITECTURE.md", *sorted((ROOT / "docs").glob("*.md"))]
CODE = re.compile(r"```.*?```|`[^`\n]+`", re.DOTALL)  # fenced blocks and inline code
# `closedloop X [Y]` as a command line, not the project's name in prose.
NAMED = re.compile(r"(?:^|[\s`/])closedloop ([a-z][a-z-]*)(?: ([a-z][a-z-]*))?", re.MULTILINE)


def test_help_lists_every_command_without_loading_dagster() -> None:
    result = subprocess.run([str(CLI), "--help"], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert "Warning" not in result.stdout + result.stderr  # Dagster's BetaWarnings
    for name in LAZY_COMMANDS:
        assert f" {name} " in result.stdout, name
    probe = (
        "import sys; from typer.testing import CliRunner; from pipelines.cli.main import app; "
        "CliRunner().invoke(app, ['--help']); print('dagster' in sys.modules)"
    )
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert loaded.stdout.strip() == "False", loaded.stderr[-2000:]


def test_a_lazy_command_still_parses_its_own_options() -> None:
    result = subprocess.run(
        [str(CLI), "init", "--help"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0 and "--partitions-start" in result.stdout


def test_every_command_the_docs_name_exists() -> None:
    root = typer.main.get_command(app)
    ctx = root.make_context("closedloop", ["--help"], resilient_parsing=True)
    named = {
        (match.group(1), match.group(2))
        for doc in DOCS
        for code in CODE.findall(doc.read_text())
        for match in NAMED.finditer(code)
    }
    assert ("run", None) in {(a, None) for a, _ in named}  # the pattern finds commands
    for command, sub in sorted(named, key=str):
        assert command in root.list_commands(ctx), f"docs name `closedloop {command}`"
        loaded = root.get_command(ctx, command)
        real = loaded.make_context(command, ["--help"], parent=ctx, resilient_parsing=True).command
        if sub and hasattr(real, "list_commands"):
            assert sub in real.list_commands(ctx), f"docs name `closedloop {command} {sub}`"
