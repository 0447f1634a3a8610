"""`closedloop doctor`: print every setup check and exit 1 if any failed."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from pipelines.cli.options import HOME, console
from pipelines.config import paths
from pipelines.doctor import run_checks

_STYLE = {"ok": "green", "warn": "yellow", "fail": "red"}


def doctor_command(
    home: Path | None = HOME,
) -> None:
    """Check paths, permissions, secrets, the dbt manifest, DuckDB and the Dagster instance."""
    checks = run_checks(paths(home))
    table = Table(title="closedloop doctor")
    for column in ("check", "status", "detail", "fix"):
        table.add_column(column)
    for check in checks:
        table.add_row(
            check.name, f"[{_STYLE[check.status]}]{check.status}[/]", check.detail, check.fix
        )
    console.print(table)
    if any(check.status == "fail" for check in checks):
        raise typer.Exit(1)
