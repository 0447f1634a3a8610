"""The nightly run and the raw-data retention job."""

from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import dagster as dg

from pipelines.config import Paths, Settings
from pipelines.defs.resources import WarehouseResource
from pipelines.retention import (
    RetentionIncomplete,
    purge_raw_partitions,
    unrecognised_partition_folders,
)

nightly_job = dg.define_asset_job(
    "nightly",
    selection=dg.AssetSelection.all(),
    description="Ingest, scrub and model yesterday; dbt also rebuilds the recontact window before it.",
)


def nightly_window(scheduled: datetime, config: Settings) -> tuple[date, date]:
    """Yesterday in the business timezone (whose partitions the run completes), back
    over the landing lookback."""
    yesterday = scheduled.astimezone(ZoneInfo(config.business_timezone)).date() - timedelta(days=1)
    return yesterday - timedelta(days=config.landing_lookback_days), yesterday


@dg.op
def purge_expired_raw(context: dg.OpExecutionContext, warehouse: WarehouseResource) -> None:
    """Delete unscrubbed raw and quarantine partitions older than the retention window."""
    # A tag lets an operator (or a test) purge as of another day.
    today = context.run.tags.get("closedloop/today")
    day = date.fromisoformat(today) if today else date.today()
    paths = warehouse.paths
    for folder in unrecognised_partition_folders(paths):
        # Never deleted by retention: its name is not a real day (dt=2025-02-30).
        context.log.warning(
            f"kept {folder.parent.name}/{folder.name}: not a YYYY-MM-DD day, so retention "
            "cannot date it; rename or delete it"
        )
    try:
        deleted = purge_raw_partitions(paths, warehouse.loaded_settings.raw_retention_days, day)
    except RetentionIncomplete as incomplete:
        _log_deleted(context, incomplete.deleted)
        # Fails the run, so the schedule's history shows it; the next run retries.
        raise dg.Failure(description=str(incomplete)) from None
    _log_deleted(context, deleted)


def _log_deleted(context: dg.OpExecutionContext, deleted: list[Path]) -> None:
    context.log.info(f"deleted {len(deleted)} expired raw partition folders")
    for folder in deleted:
        context.log.info(f"deleted {folder.parent.name}/{folder.name}")


@dg.job(description="Delete raw (unscrubbed) data past its retention.")
def raw_retention() -> None:
    purge_expired_raw()


def build_schedules(
    settings: Settings, layout: Paths, first_day: date
) -> list[dg.ScheduleDefinition]:
    """The nightly and retention schedules at ``nightly_hour`` in ``schedule_timezone``
    (a schedule's cron is part of its definition, so it is built from loaded settings)
    for the data home ``layout``, whose partitions start at ``first_day``."""

    @dg.schedule(
        job_name=nightly_job.name,  # by name: the loaded job's partitions start at the setting
        cron_schedule=f"0 {settings.nightly_hour} * * *",
        execution_timezone=settings.schedule_timezone,
        default_status=dg.DefaultScheduleStatus.RUNNING,
    )
    def nightly_schedule(context: dg.ScheduleEvaluationContext) -> dg.RunRequest | dg.SkipReason:
        """One run over yesterday and the ``landing_lookback_days`` before it, so files that
        landed late for those days are picked up; dbt also rebuilds the ``recontact_days``
        (plus one) before the window (``pipelines.dbt_args.dbt_window``), so provisional
        recontact flags become final without re-ingesting and re-scrubbing old days."""
        if not layout.is_initialized:  # a moved or mistyped home: never create a new one
            return dg.SkipReason(
                f"data home {layout.home} does not exist or holds no landing/ folder; "
                f"create it with `closedloop init {layout.home}` or fix CLOSEDLOOP_HOME"
            )
        first, last = nightly_window(context.scheduled_execution_time, settings)
        if last < first_day:
            return dg.SkipReason(f"yesterday ({last}) is before partitions_start {first_day}")
        first = max(first, first_day)
        return dg.RunRequest(
            run_key=last.isoformat(),
            tags={
                "dagster/asset_partition_range_start": first.isoformat(),
                "dagster/asset_partition_range_end": last.isoformat(),
            },
        )

    raw_retention_schedule = dg.ScheduleDefinition(
        job=raw_retention,
        cron_schedule=f"30 {settings.nightly_hour} * * *",
        execution_timezone=settings.schedule_timezone,
        default_status=dg.DefaultScheduleStatus.RUNNING,
    )
    return [nightly_schedule, raw_retention_schedule]


defs = dg.Definitions(jobs=[nightly_job, raw_retention])
