"""`closedloop run`: materialize the whole graph for a date range in one in-process run."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import typer

# Imported here, before Dagster and the definitions: wordfreq's import calls
# inspect.stack(), which scans sys.modules for the frames' modules, 0.2 s with the
# ~200 modules loaded here against 1.2-1.3 s when the KB lint step imports it in a run
# (pipelines/defs/preload.py).
import wordfreq  # noqa: F401
from rich.markup import escape

from pipelines.cli.options import HOME, checked_settings, console, existing_home, parse_day
from pipelines.config import HomeNotInitialized, Paths, Settings, paths
from pipelines.home_lock import HomeInUse, HomeNotWritable
from pipelines.monitoring.notify import notifier_from_env
from pipelines.runner import BeforePartitionsStart, RunOutcome, WarehouseBusy, run_range

# Source files with quarantined records listed under the ingest line, most bad first.
SHOWN_FILES = 5


def run_command(
    start: str = typer.Option(..., "--start", help="First partition day, YYYY-MM-DD."),
    end: str = typer.Option(..., "--end", help="Last partition day, YYYY-MM-DD (inclusive)."),
    home: Path | None = HOME,
    force: bool = typer.Option(
        False, "--force", help="Run even though other runs of this home look active (stale)."
    ),
) -> None:
    """Materialize the whole graph for a date range in one in-process run.

    Refuses while another run of the same data home is queued or in progress.
    """
    first, last = parse_day(start, "--start"), parse_day(end, "--end")
    data = paths(home)
    if last < first:
        raise typer.BadParameter(f"{end} is before --start {start}", param_hint="--end")
    loaded = checked_settings(data.home)
    existing_home(data)
    outcome = run_or_exit(data, first, last, loaded, force=force)
    print_ingest_summary(outcome, data, first, last)
    if not outcome.success:
        console.print(
            f"[red]run {outcome.run_id} failed[/red] at {', '.join(outcome.failed_steps)}; "
            f"full log: {outcome.log_file}"
        )
        raise typer.Exit(1)
    console.print(f"[green]run {outcome.run_id} succeeded[/green] in {outcome.seconds:.1f} s")
    console.print(f"full log: {outcome.log_file}")


def run_or_exit(
    data: Paths,
    first: date,
    last: date,
    settings: Settings,
    *,
    force: bool,
    log_level: str = "INFO",
) -> RunOutcome:
    """:func:`pipelines.runner.run_range`, or a clear message and exit 2 when the alert
    webhook is malformed, or the home is busy, locked by another process or not writable."""
    try:
        # A malformed alert webhook is found now, not by the monitoring step at the end.
        notifier_from_env(allow_http_localhost=settings.alert_webhook_allow_http_localhost)
    except (ValueError, OSError) as error:  # the URL, or its _FILE; never quotes the URL
        console.print(f"[red]error:[/red] {escape(str(error))}")
        raise typer.Exit(2) from None
    try:
        outcome = run_range(data, first, last, settings=settings, force=force, log_level=log_level)
    except (
        WarehouseBusy,
        HomeInUse,
        HomeNotWritable,
        BeforePartitionsStart,
        HomeNotInitialized,
    ) as refused:
        console.print(f"[red]error:[/red] {escape(str(refused))}")
        raise typer.Exit(2) from None
    for run_id in outcome.dead_runs_failed:
        console.print(f"marked run {run_id} failed: the process that ran it had died")
    return outcome


def print_ingest_summary(outcome: RunOutcome, paths: Paths, start: date, end: date) -> None:
    """What the run read, so an empty or half-quarantined load is never a silent success."""
    counts = outcome.ingest
    if not counts:
        return
    if counts.get("files_scanned", 0) == 0:
        console.print(
            f"[yellow]warning:[/yellow] no landing files for {start}..{end} under "
            f"{paths.landing} (expected dt=YYYY-MM-DD/ folders); nothing was loaded"
        )
        return
    quarantined = counts.get("records_quarantined", 0)
    cached = counts.get("files_from_cache", 0)
    line = (
        f"ingested {counts.get('records_read', 0):,} records from "
        f"{counts['files_scanned']:,} files"
        + (f" ({cached:,} judged by an earlier run, from the ingest cache)" if cached else "")
        + f": {counts.get('records_loaded', 0):,} loaded, {quarantined:,} quarantined"
    )
    if quarantined:
        line += f" (reasons: main.ingest_audit; records: {paths.raw / 'quarantine'})"
    console.print(line)
    for described in outcome.quarantined_files[:SHOWN_FILES]:
        console.print(f"  {escape(described)}")
    if len(outcome.quarantined_files) > SHOWN_FILES:
        console.print(f"  ... and {len(outcome.quarantined_files) - SHOWN_FILES} more files")
