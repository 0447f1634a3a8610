"""In-process runs of the code location, and whether other runs of a data home are active.

``closedloop run`` and ``closedloop demo`` execute here, outside the instance's run
queue. A run first takes the data home's exclusive lock (``pipelines.home_lock``), so
two of them never interleave, then refuses (``WarehouseBusy``) while a run of the
instance (schedule, sensor, UI backfill) is queued or in progress: DuckDB allows one writer.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

import dagster as dg

from pipelines.config import Paths, Settings, first_partition_day, require_initialized
from pipelines.config import settings as load_settings
from pipelines.definitions import build_definitions
from pipelines.home_lock import HomeNotWritable, exclusive_home
from pipelines.instance import prepare_dagster_home

TRIGGER_TAG = "closedloop/trigger"
CLI_TRIGGER = "cli"
QUARANTINED_FILES = "quarantined_files"  # raw_transcripts' metadata key
INGEST_COUNTS = (
    "files_scanned",
    "files_from_cache",
    "records_read",
    "records_loaded",
    "records_quarantined",
)


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
    # raw_transcripts' counts (INGEST_COUNTS); empty when ingestion did not materialize.
    ingest: dict[str, int] = field(default_factory=dict)
    # Per source file with quarantined records (FileOutcome.describe), most bad first.
    quarantined_files: list[str] = field(default_factory=list)
    # Earlier CLI runs left STARTED by a killed process, marked failed before this run.
    dead_runs_failed: list[str] = field(default_factory=list)
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
    be created silently) and days before the first partition (``BeforePartitionsStart``).
    Holds the data home's lock throughout (``HomeInUse`` when another process has it,
    ``HomeNotWritable`` when the home cannot be written) and marks earlier CLI runs that
    a killed process left STARTED failed. Refuses (``WarehouseBusy``) while any other run
    of this data home is queued or in progress, unless ``force`` says those runs are stale.
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
    with exclusive_home(paths):
        try:
            prepare_dagster_home(paths.ensure())
        except OSError as error:
            raise HomeNotWritable(
                f"cannot write the data home {paths.home}: {error.strerror or type(error).__name__}"
            ) from None
        job = build_definitions(loaded, paths.home).resolve_job_def("nightly")
        instance = dg.DagsterInstance.get()
        # Holding the home's lock, no other CLI run of this home is alive: one still
        # STARTED was killed (kill -9, a reboot) and would block every later run.
        dead = fail_dead_cli_runs(instance)
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
                TRIGGER_TAG: CLI_TRIGGER,
            },
            run_config={"loggers": {"console": {"config": {"log_level": log_level}}}},
            raise_on_error=False,
        )
    failed = [
        event.step_key or "?"
        for event in result.all_events
        if event.event_type_value == "STEP_FAILURE"
    ]
    ingest = _ingest_metadata(result.all_events)
    return RunOutcome(
        run_id=result.run_id,
        success=result.success,
        seconds=time.monotonic() - began,
        failed_steps=failed,
        ingest={name: int(ingest[name].value) for name in INGEST_COUNTS if name in ingest},
        quarantined_files=list(ingest[QUARANTINED_FILES].value)
        if QUARANTINED_FILES in ingest
        else [],
        dead_runs_failed=dead,
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


def _ingest_metadata(events: list[dg.DagsterEvent]) -> Mapping[str, dg.MetadataValue]:
    """What raw_transcripts reported: its materialization's metadata, or, when it failed
    on the quarantine threshold, its failure's (the same counts)."""
    for event in events:
        if event.event_type_value == "ASSET_MATERIALIZATION":
            materialization = event.event_specific_data.materialization  # type: ignore[union-attr]
            if materialization.asset_key.path == ["raw_transcripts"]:
                return materialization.metadata
        if event.event_type_value == "STEP_FAILURE" and event.step_key == "raw_transcripts":
            failure = event.step_failure_data.user_failure_data  # type: ignore[union-attr]
            if failure is not None:
                return failure.metadata
    return {}


def fail_dead_cli_runs(instance: dg.DagsterInstance) -> list[str]:
    """Mark CLI runs still recorded as in progress failed; returns their ids.

    Call only while holding the data home's lock: every CLI run holds it for its whole
    execution, so an unfinished CLI run on record then belongs to a dead process. Runs
    launched by the daemon (schedule, sensors, UI) are not touched: they do not take the
    lock, and Dagster's run monitoring (dagster.yaml) fails those whose process died.
    """
    unfinished = instance.get_runs(
        filters=dg.RunsFilter(
            statuses=[dg.DagsterRunStatus.STARTING, dg.DagsterRunStatus.STARTED],
            tags={TRIGGER_TAG: CLI_TRIGGER},
        )
    )
    for run in unfinished:
        instance.report_run_failed(
            run,
            message="marked failed by a later `closedloop run`: the process that ran it "
            "died (killed or crashed) without ending it",
        )
    return [run.run_id for run in unfinished]


def active_run_ids(instance: dg.DagsterInstance) -> list[str]:
    """Runs of the instance that are queued, starting, running or being cancelled."""
    statuses = [
        dg.DagsterRunStatus.QUEUED,
        dg.DagsterRunStatus.STARTING,
        dg.DagsterRunStatus.STARTED,
        dg.DagsterRunStatus.CANCELING,
    ]
    return [run.run_id for run in instance.get_runs(filters=dg.RunsFilter(statuses=statuses))]
