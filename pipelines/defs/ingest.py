"""Ingest wiring: landing zone -> raw_transcripts (raw store + quarantine) + main.ingest_audit."""

import hashlib
import json
from datetime import UTC, date, datetime, timedelta

import dagster as dg

from pipelines.config import first_partition_day
from pipelines.defs.partitions import (
    DAILY_WAREHOUSE_WRITER,
    WAREHOUSE_POOL,
    daily_partitions,
    partition_days,
)
from pipelines.defs.resources import WarehouseResource
from pipelines.sources import (
    ColumnMap,
    ColumnMapError,
    IngestReport,
    QuarantineThresholdExceeded,
    ingest_days,
)
from pipelines.sources.audit import (
    HistoryWouldBeErased,
    reconcile_audit,
    refuse_to_erase_history,
    write_audit,
)
from pipelines.sources.changes import changed_files, landing_inventory, partitions_of_changes
from pipelines.sources.column_map import configured_column_map
from pipelines.sources.spark import engine_judge

QUARANTINED_FILES = "quarantined_files"
MAX_FILES = 20


class IngestConfig(dg.Config):
    # YAML column map for flat exports (docs/ingestion.md); default: the column_map setting.
    column_map: str | None = None


def _metadata(report: IngestReport) -> dict[str, dg.MetadataValue]:
    return {
        "files_scanned": dg.MetadataValue.int(report.files_scanned),
        # Of those, taken from the judged-file cache (judged by an earlier run, unchanged).
        "files_from_cache": dg.MetadataValue.int(report.files_from_cache),
        "records_read": dg.MetadataValue.int(report.records_read),
        "records_loaded": dg.MetadataValue.int(report.records_loaded),
        "records_quarantined": dg.MetadataValue.int(report.records_quarantined),
        "conversations_loaded": dg.MetadataValue.int(sum(report.conversations_loaded.values())),
        "events_loaded": dg.MetadataValue.int(sum(report.events_loaded.values())),
        "reason_counts": dg.MetadataValue.json(dict(report.reason_counts().most_common())),
        "max_quarantined_share": dg.MetadataValue.float(
            max(report.quarantined_share.values(), default=0.0)
        ),
        # Per source file (personal file names digested), most quarantined first: what
        # the run summary prints, so a source that vanished is seen.
        QUARANTINED_FILES: dg.MetadataValue.json(
            [o.describe() for o in report.file_outcomes() if o.records_quarantined][:MAX_FILES]
        ),
    }


def _column_map(explicit: str | None, warehouse: WarehouseResource) -> ColumnMap:
    try:
        return configured_column_map(explicit, warehouse.loaded_settings.column_map)
    except ColumnMapError as error:
        raise dg.Failure(
            description=f"{error}. Fix the file, or the column_map run config / "
            "CLOSEDLOOP_COLUMN_MAP setting that names it."
        ) from None


@dg.asset(
    **DAILY_WAREHOUSE_WRITER,
    group_name="ingest",
    kinds={"parquet", "duckdb"},
)
def raw_transcripts(
    context: dg.AssetExecutionContext, config: IngestConfig, warehouse: WarehouseResource
) -> dg.MaterializeResult:
    """Validated canonical transcripts per day in the restricted raw store, quarantine beside it."""
    days = partition_days(context)
    settings = warehouse.loaded_settings

    def refuse_to_erase(conversations_per_day: dict[date, int]) -> None:
        with warehouse.connect() as con:
            refuse_to_erase_history(con, conversations_per_day, settings.raw_retention_days)

    column_map = _column_map(config.column_map, warehouse)
    try:
        with engine_judge(settings.engine, warehouse.spark_target) as judge:
            report = ingest_days(
                warehouse.paths,
                days,
                settings,
                column_map,
                # Checked before ingest_days writes anything, so a refused run leaves raw/ as it was.
                before_write=refuse_to_erase,
                file_threshold=settings.quarantine_file_threshold,
                judge=judge,
            )
    except HistoryWouldBeErased as refused:
        raise dg.Failure(description=str(refused)) from None
    except QuarantineThresholdExceeded as exceeded:
        # The quarantine and raw files are written; record the audit before failing
        # so the numbers behind the failure are queryable.
        with warehouse.connect() as con:
            write_audit(con, days, exceeded.report)
        raise dg.Failure(description=str(exceeded), metadata=_metadata(exceeded.report)) from None
    with warehouse.connect() as con:
        write_audit(con, days, report)
    for outcome in report.files_over_threshold:  # only when the file threshold warns
        context.log.warning(
            f"source file above the quarantine threshold {settings.quarantine_threshold:.1%} "
            f"(quarantine_file_threshold=warn): {outcome.describe()}"
        )
    return dg.MaterializeResult(metadata=_metadata(report))


@dg.asset_check(
    asset=raw_transcripts,
    partitions_def=daily_partitions,
    blocking=True,
    pool=WAREHOUSE_POOL,
    description="Every record read is either loaded or quarantined (main.ingest_audit).",
)
def ingest_audit_reconciles(
    context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource
) -> dg.AssetCheckResult:
    with warehouse.connect() as con:
        audit = reconcile_audit(con, partition_days(context))
    return dg.AssetCheckResult(
        passed=audit.reconciles,
        severity=dg.AssetCheckSeverity.ERROR,
        metadata={
            "audit_rows": dg.MetadataValue.int(audit.rows),
            "records_read": dg.MetadataValue.int(audit.records_read),
            "unreconciled": dg.MetadataValue.json(
                [list(map(str, row)) for row in audit.unreconciled]
            ),
        },
    )


@dg.sensor(
    # The whole graph, not only raw_transcripts: re-ingested days must reach the
    # scrubbed tables, the marts and the analysts' snapshot too.
    job_name="nightly",
    default_status=dg.DefaultSensorStatus.STOPPED,
    minimum_interval_seconds=60,
    description=(
        "Requests pipeline runs for the partitions whose conversations are in new or "
        "changed landing files. Stopped by default: the nightly schedule covers normal "
        "deliveries and its landing lookback; start it for late or re-delivered files."
    ),
)
def landing_zone_sensor(
    context: dg.SensorEvaluationContext, warehouse: WarehouseResource
) -> dg.SensorResult:
    paths, settings = warehouse.paths, warehouse.loaded_settings
    seen: dict[str, str] = json.loads(context.cursor) if context.cursor else {}
    inventory = landing_inventory(paths)
    changes = changed_files(inventory, seen)
    column_map = _column_map(None, warehouse) if changes else ColumnMap()
    # Bounded per tick: changes not judged this tick stay unseen for the next one.
    affected = partitions_of_changes(paths, changes, settings, column_map)
    first = first_partition_day(settings, paths)
    last = datetime.now(UTC).date() + timedelta(days=1)
    requests = [
        dg.RunRequest(
            partition_key=day.isoformat(),
            run_key=f"{day.isoformat()}:"
            + hashlib.sha256("\n".join(sorted(files)).encode()).hexdigest()[:16],
        )
        for day, files in sorted(affected.files_by_day.items())
        if first <= day <= last
    ]
    # Deleted files drop out of the cursor; changes not judged yet stay unseen.
    cursor = {n: s for n, s in inventory.items() if n not in changes or n in affected.judged}
    return dg.SensorResult(run_requests=requests, cursor=json.dumps(cursor, sort_keys=True))


defs = dg.Definitions(
    assets=[raw_transcripts],
    asset_checks=[ingest_audit_reconciles],
    sensors=[landing_zone_sensor],
)
