"""What every command shares: the consoles, ``--home``, day parsing and settings errors."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import typer

from pipelines.cli.consoles import make_console
from pipelines.config import HomeNotInitialized, Paths, Settings, require_initialized, settings

console = make_console(stderr=True)

# ``--home``, declared once for every command that takes it.
HOME: Path | None = typer.Option(
    None, "--home", help="Data home (default: $CLOSEDLOOP_HOME or ./data)."
)


def parse_day(value: str, option: str) -> date:
    """A YYYY-MM-DD option value, or a usage error naming the option."""
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"expected YYYY-MM-DD, got {value!r}", param_hint=option) from None


def checked_settings(home: Path | None = None) -> Settings:
    """The settings (with the settings file of ``home``, see
    :func:`pipelines.config.settings`), or a clear error and exit code 2 when one is invalid."""
    try:
        return settings(home)
    except ValueError as error:
        console.print(f"[red]error:[/red] {error}")
        raise typer.Exit(2) from None


def existing_home(layout: Paths) -> Paths:
    """``layout`` if it is a data home, else a message naming the path and exit code 2."""
    try:
        return require_initialized(layout)
    except HomeNotInitialized as error:
        console.print(f"[red]error:[/red] {error}")
        raise typer.Exit(2) from None
