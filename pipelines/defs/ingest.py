"""Ingest wiring: landing zone -> raw_transcripts (raw store + quarantine) + main.ingest_audit."""

import hashlib
import json
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from functools import partial

import dagster as dg
import pandas as pd

from pipelines.defs.partitions import WAREHOUSE_POOL, daily_partitions, partition_days
from pipelines.defs.resources import WarehouseResource
from pipelines.pii.identifiers import safe_file_label
from pipelines.sources import (
    ColumnMap,
    ColumnMapError,
    IngestReport,
    QuarantineThresholdExceeded,
    ingest_days,
    load_column_map,
)
from pipelines.sources.ingest import affected_partitions, landing_inventory
from pipelines.warehouse import transaction

AUDIT_DDL = """
create table if not exists main.ingest_audit (
    partition_date date not null,
    source_file varchar not null,
    records_read bigint not null,
    records_loaded bigint not null,
    records_quarantined bigint not null,
    reason_counts json not null
)
"""


class IngestConfig(dg.Config):
    # YAML column map for flat exports (docs/ingestion.md); default: the column_map setting.
    column_map: str | None = None


def _write_audit(warehouse: WarehouseResource, days: list[date], report: IngestReport) -> None:
    """Replace the window's audit rows in one transaction (idempotent re-runs)."""
    rows = pd.DataFrame(
        {
            "partition_date": [row.partition_date for row in report.audit],
            # A file name is typed by a person and may name a customer: the warehouse
            # gets a digest for such names (the raw quarantine keeps the real path).
            "source_file": [safe_file_label(row.source_file) for row in report.audit],
            "records_read": [row.records_read for row in report.audit],
            "records_loaded": [row.records_loaded for row in report.audit],
            "records_quarantined": [row.records_quarantined for row in report.audit],
            "reason_counts": [
                json.dumps(row.reason_counts, sort_keys=True) for row in report.audit
            ],
        }
    )
    with warehouse.connect() as con:
        con.register("audit_rows", rows)
        con.execute(AUDIT_DDL)
        with transaction(con):
            con.execute(
                "delete from main.ingest_audit where partition_date between ? and ?",
                [min(days), max(days)],
            ).fetchall()
            con.execute(
                "insert into main.ingest_audit select partition_date::date, source_file, "
                "records_read, records_loaded, records_quarantined, reason_counts::json "
                "from audit_rows"
            )


def _metadata(report: IngestReport) -> dict[str, dg.MetadataValue]:
    return {
        "files_scanned": dg.MetadataValue.int(report.files_scanned),
        "records_read": dg.MetadataValue.int(report.records_read),
        "records_loaded": dg.MetadataValue.int(report.records_loaded),
        "records_quarantined": dg.MetadataValue.int(report.records_quarantined),
        "conversations_loaded": dg.MetadataValue.int(sum(report.conversations_loaded.values())),
        "events_loaded": dg.MetadataValue.int(sum(report.events_loaded.values())),
        "reason_counts": dg.MetadataValue.json(dict(report.reason_counts().most_common())),
        "max_quarantined_share": dg.MetadataValue.float(
            max(report.quarantined_share.values(), default=0.0)
        ),
    }


@dg.asset(
    partitions_def=daily_partitions,
    backfill_policy=dg.BackfillPolicy.single_run(),
    pool=WAREHOUSE_POOL,
    group_name="ingest",
    kinds={"parquet", "duckdb"},
)
def raw_transcripts(
    context: dg.AssetExecutionContext, config: IngestConfig, warehouse: WarehouseResource
) -> dg.MaterializeResult:
    """Validated canonical transcripts per day in the restricted raw store, quarantine beside it."""
    days = partition_days(context)
    column_map = _column_map(config, warehouse)
    try:
        report = ingest_days(
            warehouse.paths,
            days,
            warehouse.settings,
            column_map,
            # Checked before ingest_days writes anything, so a refused run leaves raw/ as it was.
            before_write=partial(_refuse_to_erase_history, warehouse),
        )
    except QuarantineThresholdExceeded as exceeded:
        # The quarantine and raw files are written; record the audit before failing
        # so the numbers behind the failure are queryable.
        _write_audit(warehouse, days, exceeded.report)
        raise dg.Failure(description=str(exceeded), metadata=_metadata(exceeded.report)) from None
    _write_audit(warehouse, days, report)
    return dg.MaterializeResult(metadata=_metadata(report))


def _column_map(config: IngestConfig | None, warehouse: WarehouseResource) -> ColumnMap:
    """The run config's column map, else the ``column_map`` setting, else the identity map."""
    path = (config.column_map if config else None) or warehouse.settings.column_map or None
    try:
        return load_column_map(path)
    except ColumnMapError as error:
        raise dg.Failure(
            description=f"{error}. Fix the file, or the column_map run config / "
            "CLOSEDLOOP_COLUMN_MAP setting that names it."
        ) from None


def _refuse_to_erase_history(
    warehouse: WarehouseResource, conversations_per_day: dict[date, int]
) -> None:
    """A day with no input now but scrubbed conversations in the warehouse lost its
    landing files (raw retention, a cleanup, a wrong CLOSEDLOOP_HOME). Going on would
    replace its history with nothing downstream, so stop, before anything is
    written, and say so."""
    empty = [day for day, n in conversations_per_day.items() if n == 0]
    if not empty:
        return
    with warehouse.connect() as con:
        exists = con.execute(
            "select count(*) from information_schema.tables "
            "where table_schema = 'scrubbed' and table_name = 'conversations'"
        ).fetchone()[0]
        if not exists:
            return
        kept = con.execute(
            "select partition_date, count(*) from scrubbed.conversations "
            "where partition_date in (select unnest(?::date[])) group by 1 order by 1",
            [empty],
        ).fetchall()
    if kept:
        listing = ", ".join(f"{day} ({n} conversations)" for day, n in kept)
        raise dg.Failure(
            description=(
                f"no landing input for {listing}, which the warehouse already holds: the "
                "landing files are gone (raw retention deletes them after "
                f"{warehouse.settings.raw_retention_days} days). Not re-running these days "
                "keeps their data; to really empty them, delete their rows first."
            )
        )


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
    days = partition_days(context)
    with warehouse.connect() as con:
        con.execute(AUDIT_DDL)
        broken = con.execute(
            "select partition_date::varchar, source_file, records_read, records_loaded, "
            "records_quarantined from main.ingest_audit where partition_date between ? and ? "
            "and records_read <> records_loaded + records_quarantined order by all",
            [min(days), max(days)],
        ).fetchall()
        [totals] = con.execute(
            "select count(*), coalesce(sum(records_read), 0) from main.ingest_audit "
            "where partition_date between ? and ?",
            [min(days), max(days)],
        ).fetchall()
    return dg.AssetCheckResult(
        passed=not broken,
        severity=dg.AssetCheckSeverity.ERROR,
        metadata={
            "audit_rows": dg.MetadataValue.int(int(totals[0])),
            "records_read": dg.MetadataValue.int(int(totals[1])),
            "unreconciled": dg.MetadataValue.json([list(map(str, row)) for row in broken]),
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
    paths = warehouse.paths
    seen: dict[str, str] = json.loads(context.cursor) if context.cursor else {}
    inventory = landing_inventory(paths)
    changed = {
        name: signature for name, signature in inventory.items() if seen.get(name) != signature
    }
    by_partition: dict[date, list[str]] = defaultdict(list)
    first = daily_partitions.start.date()
    last = datetime.now(UTC).date() + timedelta(days=1)
    column_map = _column_map(None, warehouse) if changed else ColumnMap()
    for name, signature in sorted(changed.items()):
        for day in affected_partitions(paths, paths.landing / name, warehouse.settings, column_map):
            if first <= day <= last:
                by_partition[day].append(f"{name}@{signature}")
    requests = [
        dg.RunRequest(
            partition_key=day.isoformat(),
            run_key=f"{day.isoformat()}:"
            + hashlib.sha256("\n".join(sorted(files)).encode()).hexdigest()[:16],
        )
        for day, files in sorted(by_partition.items())
    ]
    return dg.SensorResult(run_requests=requests, cursor=json.dumps(inventory, sort_keys=True))


defs = dg.Definitions(
    assets=[raw_transcripts],
    asset_checks=[ingest_audit_reconciles],
    sensors=[landing_zone_sensor],
)
