"""`closedloop run`: materialize the whole graph for a date range in one in-process run."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from pipelines.cli.consoles import make_console
from pipelines.config import Paths, Settings, settings
from pipelines.instance import prepare_dagster_home

if TYPE_CHECKING:
    from dagster import DagsterInstance

console = make_console(stderr=True)


class WarehouseBusy(RuntimeError):
    """Another run of this data home is queued or in progress: DuckDB allows one writer."""


@dataclass(frozen=True)
class RunOutcome:
    run_id: str
    success: bool
    seconds: float
    failed_steps: list[str]
    # raw_transcripts' counts (files_scanned, records_read, records_loaded,
    # records_quarantined); empty when ingestion did not materialize.
    ingest: dict[str, int] = field(default_factory=dict)


def run_range(
    paths: Paths, start: date, end: date, *, log_level: str = "INFO", force: bool = False
) -> RunOutcome:
    """Run every asset for partitions ``start``..``end`` as one run recorded in the instance.

    The run executes here, not through the instance's run queue, so it first refuses
    (``WarehouseBusy``) while any other run of this data home is queued or in progress,
    unless ``force`` says those runs are stale.
    """
    if end < start:
        raise ValueError(f"--end {end} is before --start {start}")
    prepare_dagster_home(paths.ensure())
    import dagster as dg

    from pipelines.definitions import defs

    job = defs.resolve_job_def("nightly")
    instance = dg.DagsterInstance.get()
    busy = active_run_ids(instance)
    if busy and not force:
        raise WarehouseBusy(
            f"{len(busy)} run(s) of this data home are queued or in progress "
            f"({', '.join(busy[:5])}); DuckDB allows one writer, so this run would fail "
            "on the warehouse lock or wait behind them. Wait for them to finish (see "
            "`closedloop ui`), or, if they are stale (a killed process leaves its run "
            "STARTED), terminate them in the UI or pass --force."
        )
    began = time.monotonic()
    result = job.execute_in_process(
        instance=instance,
        tags={
            "dagster/asset_partition_range_start": start.isoformat(),
            "dagster/asset_partition_range_end": end.isoformat(),
            "closedloop/trigger": "cli",
        },
        run_config={"loggers": {"console": {"config": {"log_level": log_level}}}},
        raise_on_error=False,
    )
    failed = [
        event.step_key or "?"
        for event in result.all_events
        if event.event_type_value == "STEP_FAILURE"
    ]
    return RunOutcome(
        run_id=result.run_id,
        success=result.success,
        seconds=time.monotonic() - began,
        failed_steps=failed,
        ingest=_ingest_counts(result.all_events),
    )


INGEST_COUNTS = ("files_scanned", "records_read", "records_loaded", "records_quarantined")


def _ingest_counts(events: list) -> dict[str, int]:
    """The counts raw_transcripts reported in its materialization metadata."""
    for event in events:
        if event.event_type_value != "ASSET_MATERIALIZATION":
            continue
        materialization = event.event_specific_data.materialization
        if materialization.asset_key.path != ["raw_transcripts"]:
            continue
        metadata = materialization.metadata
        return {name: int(metadata[name].value) for name in INGEST_COUNTS if name in metadata}
    return {}


def active_run_ids(instance: DagsterInstance) -> list[str]:
    """Runs of the instance that are queued, starting, running or being cancelled."""
    import dagster as dg

    statuses = [
        dg.DagsterRunStatus.QUEUED,
        dg.DagsterRunStatus.STARTING,
        dg.DagsterRunStatus.STARTED,
        dg.DagsterRunStatus.CANCELING,
    ]
    return [run.run_id for run in instance.get_runs(filters=dg.RunsFilter(statuses=statuses))]


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
    line = (
        f"ingested {counts.get('records_read', 0):,} records from "
        f"{counts['files_scanned']:,} files: {counts.get('records_loaded', 0):,} loaded, "
        f"{quarantined:,} quarantined"
    )
    if quarantined:
        line += f" (reasons: main.ingest_audit; records: {paths.raw / 'quarantine'})"
    console.print(line)


def checked_settings() -> Settings:
    """The settings, or a clear error and exit code 2 when one is invalid."""
    import typer

    try:
        return settings()
    except ValueError as error:
        console.print(f"[red]error:[/red] {error}")
        raise typer.Exit(2) from None
