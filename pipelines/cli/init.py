"""`closedloop init [HOME]`: create a data home (the only command besides demo that does)."""

from __future__ import annotations

from pathlib import Path

import typer

from pipelines.cli.options import checked_settings, console, parse_day
from pipelines.config import first_partition_day, paths
from pipelines.home import init_home


def init_command(
    home: Path | None = typer.Argument(
        None, help="Where to create the data home (default: $CLOSEDLOOP_HOME or ./data)."
    ),
    partitions_start: str | None = typer.Option(
        None,
        "--partitions-start",
        help="First partition day, YYYY-MM-DD (default: the first landed day, see README).",
    ),
) -> None:
    """Create a data home: landing/, the restricted raw area and a settings file."""
    layout = paths(home)
    loaded = checked_settings(layout.home)
    start = (
        parse_day(partitions_start, "--partitions-start")
        if partitions_start
        else first_partition_day(loaded, layout)
    )
    if init_home(layout, start):
        console.print(
            f"created data home {layout.home}\n"
            f"  put exports in {layout.landing}/dt=YYYY-MM-DD/\n"
            f"  settings: {layout.settings_file} (partitions_start: {start})"
        )
    else:
        console.print(
            f"{layout.home} is already a data home; kept its settings file {layout.settings_file}"
        )
