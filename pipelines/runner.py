"""In-process runs of the code location, and whether other runs of a data home are active.

``closedloop run`` and ``closedloop demo`` execute here, outside the instance's run
queue, so a run first refuses (``WarehouseBusy``) while another run of the same data
home is queued or in progress: DuckDB allows one writer.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

import dagster as dg

from pipelines.config import Paths, Settings, first_partition_day, require_initialized
from pipelines.config import settings as load_settings
from pipelines.definitions import build_definitions
from pipelines.instance import prepare_dagster_home

INGEST_COUNTS = ("files_scanned", "records_read", "records_loaded", "records_quarantined")


class BeforePartitionsStart(ValueError):
    """The requested days start before the first partition of the data home."""


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
    # Every log line of the run (dbt's included), whatever reached the terminal.
    log_file: Path | None = None


def run_range(
    paths: Paths,
    start: date,
    end: date,
    *,
    settings: Settings | None = None,
    log_level: str = "INFO",
    force: bool = False,
) -> RunOutcome:
    """Run every asset for partitions ``start``..``end`` as one run recorded in the instance,
    with ``settings`` (None: loaded from the environment now).

    Refuses a home that does not exist (``HomeNotInitialized``: a mistyped home must not
    be created silently), days before the first partition (``BeforePartitionsStart``),
    and (``WarehouseBusy``) any other run of this data home queued or in progress,
    unless ``force`` says those runs are stale.
    """
    if end < start:
        raise ValueError(f"--end {end} is before --start {start}")
    require_initialized(paths)
    loaded = settings if settings is not None else load_settings(paths.home)
    earliest = first_partition_day(loaded, paths)
    if start < earliest:
        raise BeforePartitionsStart(
            f"{start} is before the first partition {earliest}; to load older history, "
            f"set partitions_start to that day or earlier in {paths.settings_file} "
            "(or CLOSEDLOOP_PARTITIONS_START)"
        )
    prepare_dagster_home(paths.ensure())
    job = build_definitions(loaded, paths.home).resolve_job_def("nightly")
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
        log_file=write_run_log(instance, result.run_id, paths.logs),
    )


def write_run_log(instance: dg.DagsterInstance, run_id: str, folder: Path) -> Path:
    """The run's whole event log as text, ``folder/run-<id>.log``: the terminal shows
    only what the caller's log level lets through, the file keeps everything."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"run-{run_id}.log"
    with target.open("w", encoding="utf-8") as out:
        for entry in instance.all_logs(run_id):
            stamp = datetime.fromtimestamp(entry.timestamp, UTC).isoformat(timespec="seconds")
            level = logging.getLevelName(entry.level)
            out.write(f"{stamp} {level} {entry.step_key or '-'} {entry.message}\n")
    return target


def _ingest_counts(events: list[dg.DagsterEvent]) -> dict[str, int]:
    """The counts raw_transcripts reported in its materialization metadata."""
    for event in events:
        if event.event_type_value != "ASSET_MATERIALIZATION":
            continue
        materialization = event.event_specific_data.materialization  # type: ignore[union-attr]
        if materialization.asset_key.path != ["raw_transcripts"]:
            continue
        metadata = materialization.metadata
        return {name: int(metadata[name].value) for name in INGEST_COUNTS if name in metadata}
    return {}


def active_run_ids(instance: dg.DagsterInstance) -> list[str]:
    """Runs of the instance that are queued, starting, running or being cancelled."""
    statuses = [
        dg.DagsterRunStatus.QUEUED,
        dg.DagsterRunStatus.STARTING,
        dg.DagsterRunStatus.STARTED,
        dg.DagsterRunStatus.CANCELING,
    ]
    return [run.run_id for run in instance.get_runs(filters=dg.RunsFilter(statuses=statuses))]
