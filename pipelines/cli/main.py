"""The `closedloop` command: assembles the command groups, one module each."""

from __future__ import annotations

import os
import subprocess
from datetime import date
from pathlib import Path

import typer

from pipelines.cli.annotate import annotate_app
from pipelines.cli.demo import demo_command
from pipelines.cli.doctor import doctor_command
from pipelines.cli.generate import generate_command
from pipelines.cli.ingest import ingest_app
from pipelines.cli.kb import kb_app
from pipelines.cli.pii import pii_app
from pipelines.cli.run import (
    WarehouseBusy,
    checked_settings,
    console,
    print_ingest_summary,
    run_range,
)
from pipelines.config import paths
from pipelines.dbt_args import prepare_manifest
from pipelines.instance import PROJECT_ROOT, dagster_dev_command, prepare_dagster_home

app = typer.Typer(
    help="closedloop: trustworthy chatbot resolution metrics on a PII-safe pipeline.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
)
app.command(
    "generate", help="Generate synthetic US support-chat transcripts into the landing zone."
)(generate_command)
app.command("demo", help="Generate 14 days of data, run the pipeline and print where to look.")(
    demo_command
)
app.command("doctor", help="Check the setup and print what to fix.")(doctor_command)
app.add_typer(ingest_app, name="ingest")
app.add_typer(pii_app, name="pii")
app.add_typer(annotate_app, name="annotate")
app.add_typer(kb_app, name="kb")

HomeOption = typer.Option(None, "--home", help="Data home (default: $CLOSEDLOOP_HOME or ./data).")


@app.command("run")
def run_command(
    start: str = typer.Option(..., "--start", help="First partition day, YYYY-MM-DD."),
    end: str = typer.Option(..., "--end", help="Last partition day, YYYY-MM-DD (inclusive)."),
    home: Path | None = HomeOption,
    force: bool = typer.Option(
        False, "--force", help="Run even though other runs of this home look active (stale)."
    ),
) -> None:
    """Materialize the whole graph for a date range in one in-process run.

    Refuses while another run of the same data home is queued or in progress.
    """
    first, last = _day(start, "--start"), _day(end, "--end")
    data = paths(home)
    if last < first:
        raise typer.BadParameter(f"{end} is before --start {start}", param_hint="--end")
    earliest = date.fromisoformat(checked_settings().partitions_start)
    if first < earliest:
        raise typer.BadParameter(
            f"{start} is before the first partition {earliest}; lower the setting "
            "partitions_start (CLOSEDLOOP_PARTITIONS_START) to load older history",
            param_hint="--start",
        )
    try:
        outcome = run_range(data, first, last, force=force)
    except WarehouseBusy as busy:
        console.print(f"[red]error:[/red] {busy}")
        raise typer.Exit(2) from None
    print_ingest_summary(outcome, data, first, last)
    if not outcome.success:
        console.print(
            f"[red]run {outcome.run_id} failed[/red] at {', '.join(outcome.failed_steps)}"
        )
        raise typer.Exit(1)
    console.print(f"[green]run {outcome.run_id} succeeded[/green] in {outcome.seconds:.1f} s")


@app.command("ui")
def ui_command(
    home: Path | None = HomeOption,
    port: int = typer.Option(3000, help="Webserver port."),
) -> None:
    """Start the Dagster UI and daemon (schedules, sensors, backfills) on this data home."""
    prepare_dagster_home(paths(home).ensure())
    command = dagster_dev_command(port)
    console.print(
        f"Dagster UI on http://127.0.0.1:{port} (DAGSTER_HOME={os.environ['DAGSTER_HOME']})"
    )
    raise typer.Exit(subprocess.call(command, cwd=PROJECT_ROOT))


@app.command("dbt-prepare")
def dbt_prepare_command() -> None:
    """Parse the dbt project so Dagster can load its manifest."""
    prepare_manifest()
    console.print("dbt manifest ready")


def _day(value: str, option: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"expected YYYY-MM-DD, got {value!r}", param_hint=option) from None
