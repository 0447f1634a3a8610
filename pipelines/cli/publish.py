"""`closedloop publish`: build the analysts' snapshot from the warehouse now, reading
every day of every table.

The nightly run publishes too, but reads again only the days the warehouse's journal
of changes marks (pipelines/warehouse/journal.py): a change typed into the warehouse by
hand that keeps a day's row count reaches the snapshot only when that day is due for a
check. This command compares every day, so such a change is published at once.
"""

from __future__ import annotations

from pathlib import Path

import typer
from rich.markup import escape

from pipelines.cli.options import HOME, checked_settings, console, existing_home
from pipelines.config import duckdb_limits, paths
from pipelines.home_lock import HomeInUse, HomeNotWritable, exclusive_home
from pipelines.warehouse import publish_snapshot


def publish_command(home: Path | None = HOME) -> None:
    """Publish analytics.duckdb from the warehouse, comparing every day of every table.

    For a warehouse edited by hand; the nightly run publishes on its own. Refuses while
    a run of the same data home holds it.
    """
    data = paths(home)
    loaded = checked_settings(data.home)
    existing_home(data)
    if not data.warehouse.exists():
        console.print(
            f"[red]error:[/red] no warehouse at {escape(str(data.warehouse))}; "
            "run the pipeline (closedloop run) first"
        )
        raise typer.Exit(2)
    try:
        with exclusive_home(data):
            snapshot = publish_snapshot(
                data.warehouse,
                data.analytics,
                duckdb_settings=duckdb_limits(loaded.memory_budget_mb).settings,
                trust_journal=False,
            )
    except (HomeInUse, HomeNotWritable) as refused:
        console.print(f"[red]error:[/red] {escape(str(refused))}")
        raise typer.Exit(2) from None
    detail = (
        f"{snapshot.tables_copied} tables and {snapshot.groups_copied} days copied again"
        if snapshot.mode == "incremental"
        else "the whole warehouse copied"
    )
    console.print(
        f"[green]published[/green] {escape(str(snapshot.path))}: {snapshot.tables} tables, {detail}"
    )
