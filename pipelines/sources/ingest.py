"""Landing zone -> restricted raw store + quarantine, for a set of partition days.

See ``docs/ingestion.md`` for the rules (record, dedupe, late data, threshold).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path
from typing import Protocol

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from pipelines.config import Paths, Settings, restricted_dir
from pipelines.pii.identifiers import safe_file_label
from pipelines.sources import reasons
from pipelines.sources.column_map import ColumnMap
from pipelines.sources.files import SpilledFile, judge_file, judge_to_folder, original_records
from pipelines.sources.judged_cache import JudgedFileCache, judge_with_cache
from pipelines.sources.landing import landing_day, landing_entries
from pipelines.sources.report import (
    AuditRow,
    FileThresholdMode,
    IngestReport,
    QuarantineThresholdExceeded,
    over_threshold,
)
from pipelines.sources.scratch import IngestBudget, scratch_connection
from pipelines.warehouse.io import sql_literal
from schemas.canonical import CONVERSATION_SCHEMA, EVENT_SCHEMA

PARTITION_FIELD = pa.field("partition_date", pa.date32(), nullable=False)
RAW_CONVERSATION_SCHEMA = CONVERSATION_SCHEMA.insert(0, PARTITION_FIELD)
RAW_EVENT_SCHEMA = EVENT_SCHEMA.insert(0, PARTITION_FIELD)
QUARANTINE_SCHEMA = pa.schema(
    [
        PARTITION_FIELD,
        pa.field("source_file", pa.string(), nullable=False),
        pa.field("record_number", pa.int64(), nullable=False),
        pa.field("reason_code", pa.string(), nullable=False),
        pa.field("message", pa.string(), nullable=False),
        pa.field("original_record", pa.string()),
    ]
)
# Landing folders are named by delivery day; a business timezone behind or ahead
# of UTC can put a conversation in the partition before its folder's day.
EARLY_DELIVERY_DAYS = 1


def landing_folder_days(days: Sequence[date], lookback_days: int) -> list[date]:
    """The delivery days whose landing folders a run for ``days`` reads."""
    first = min(days) - timedelta(days=EARLY_DELIVERY_DAYS)
    last = max(days) + timedelta(days=lookback_days)
    return [first + timedelta(days=offset) for offset in range((last - first).days + 1)]


def landing_files(paths: Paths, days: Sequence[date], lookback_days: int) -> list[Path]:
    """The landing entries a run for ``days`` must read, in delivery order.

    Delivery order is modification time, then path: the last delivered copy of a
    conversation wins. Entries that are not regular files are included; reading
    refuses them (``not_a_regular_file``), so they are counted, never followed.
    """
    return landing_entries(paths, landing_folder_days(days, lookback_days))


class FileJudge(Protocol):
    """Judges the run's landing files (``files``, in delivery order, named
    ``source_files``): each file's outcomes spilled to ``scratch/<its index>``, one
    :class:`SpilledFile` per file in the same order. Everything after (latest delivery
    wins, the quarantine of superseded records, the counts, the raw store) is
    :func:`ingest_days`' own, whoever judged the files."""

    def __call__(
        self,
        files: Sequence[Path],
        source_files: Sequence[str],
        column_map: ColumnMap,
        scratch: Path,
        budget: IngestBudget,
    ) -> list[SpilledFile]: ...


def judge_files(
    files: Sequence[Path],
    source_files: Sequence[str],
    column_map: ColumnMap,
    scratch: Path,
    budget: IngestBudget,
) -> list[SpilledFile]:
    """The default :class:`FileJudge`: one file after another in this process
    (``judge_to_folder``, the per-file step the Spark engine runs on executors,
    ``pipelines.sources.spark``)."""
    return [
        judge_to_folder(path, source_file, column_map, scratch / f"{order}", budget)
        for order, (path, source_file) in enumerate(zip(files, source_files, strict=True))
    ]


def affected_partitions(
    paths: Paths, path: Path, settings: Settings, column_map: ColumnMap | None = None
) -> set[date]:
    """The partition days a landing file's records belong to (what a new file invalidates);
    none for a file outside the delivery day folders."""
    fallback = landing_day(paths, path)
    if fallback is None:
        return set()
    judged = judge_file(path, str(path.relative_to(paths.landing)), column_map or ColumnMap())
    anchors = pd.concat(
        [judged.conversations["started_at"], judged.quarantine["anchor_at"]], ignore_index=True
    )
    return set(_partition_dates(anchors, settings.business_timezone, fallback))


def _partition_dates(anchor: pd.Series, timezone: str, fallback: date) -> pd.Series:
    """The business-timezone day of each anchor; records without one use ``fallback``."""
    local = pd.to_datetime(anchor, utc=True).dt.tz_convert(timezone).dt.date
    return local.where(anchor.notna(), fallback)


def _day_sql(timestamp: str, timezone: str) -> str:
    """The business-timezone day of a timestamptz column, in DuckDB SQL."""
    return f"cast(timezone({sql_literal(timezone)}, {timestamp}) as date)"


@dataclass(frozen=True)
class _Plan:
    """What the run writes, counted before anything is written."""

    loaded: Counter[tuple[date, str]]
    reasons: dict[tuple[date, str], Counter[str]]
    conversations_per_day: dict[date, int]


def _register_files(
    con: duckdb.DuckDBPyConnection,
    paths: Paths,
    judged: list[SpilledFile],
    settings: Settings,
) -> None:
    """Views over every file's spilled outcomes, tagged with the file's delivery order,
    delivery day and the partition day of each row (``conv_all``, ``events_all``,
    ``quarantine_read``), and the table ``files``."""
    delivered = []
    for file in judged:
        day = landing_day(paths, file.path)
        assert day is not None, "landing_files lists only delivery day folders"
        delivered.append(day)
    con.register(
        "files_arrow",
        pa.table(
            {
                "file_order": pa.array(range(len(judged)), pa.int64()),
                "source_file": pa.array([f.source_file for f in judged], pa.string()),
                "delivered": pa.array(delivered, pa.date32()),
                "records_read": pa.array([f.records_read for f in judged], pa.int64()),
            }
        ),
    )
    con.execute("create or replace temp table files as select * from files_arrow")
    con.unregister("files_arrow")
    timezone = settings.business_timezone

    def union(part: str, extra: str) -> str:
        return " union all ".join(
            f"select p.*, {order}::bigint as file_order{extra} "
            f"from read_parquet({sql_literal(str(file.part(part)))}) p"
            for order, file in enumerate(judged)
        )

    con.execute(
        "create or replace temp view conv_all as "
        + union("conversations", f", {_day_sql('p.started_at', timezone)} as partition_date")
    )
    con.execute("create or replace temp view events_all as " + union("events", ""))
    con.execute("create or replace temp view records_all as " + union("records", ""))
    # Records with no partition anchor (unreadable, malformed) go to their folder's day.
    con.execute(
        "create or replace temp view quarantine_read as select q.*, f.source_file, "
        f"coalesce({_day_sql('q.anchor_at', timezone)}, f.delivered) as partition_date "
        f"from ({union('quarantine', '')}) q join files f using (file_order)"
    )


# Latest delivery wins: files are in delivery order and, within a file, a larger gid of
# the same conversation is a later line. Runs for day P scan folders P-1 .. P+lookback
# (landing_files), so a conversation of a day outside [folder-lookback, folder+1] would
# be read by no run that wants it: it is quarantined under the folder's day rather
# than lost.
_SETTLE_SQL = """
create or replace temp table settled as
select
    c.file_order, c.gid,
    case
        when row_number() over (
            partition by c.source, c.conversation_id order by c.file_order desc, c.gid desc
        ) > 1 then 'lost'
        when c.partition_date < f.delivered - $lookback or c.partition_date > f.delivered + 1
            then 'stranded'
        else 'kept'
    end as outcome,
    case when c.partition_date < f.delivered - $lookback or c.partition_date > f.delivered + 1
        then f.delivered else c.partition_date end as quarantine_date
from conv_all c join files f using (file_order)
"""


def _replaced_quarantine(
    con: duckdb.DuckDBPyConnection,
    judged: list[SpilledFile],
    column_map: ColumnMap,
    budget: IngestBudget,
    scratch: Path,
    lookback: int,
) -> pa.Table:
    """One quarantine row per record of every valid conversation that is superseded by a
    later delivery or stranded outside the landing window, so the audit still reconciles."""
    lost = con.sql(
        "select s.file_order, r.record_number, s.outcome, s.quarantine_date "
        "from settled s join records_all r using (file_order, gid) "
        "where s.outcome <> 'kept' order by s.file_order, r.record_number"
    ).to_arrow_table()
    frames = []
    why = {
        "lost": (
            reasons.DUPLICATE_SUPERSEDED,
            "replaced by a later delivery of the same conversation",
        ),
        "stranded": (
            reasons.OUTSIDE_LANDING_WINDOW,
            f"landed more than {lookback} days after (or 1 day before) its own day "
            f"(landing_lookback_days={lookback})",
        ),
    }
    for order in sorted(set(lost["file_order"].to_pylist())):
        file = judged[order]
        rows = lost.filter(pc.equal(lost["file_order"], order))
        numbers = rows["record_number"].to_pylist()
        outcomes = rows["outcome"].to_pylist()
        frames.append(
            pa.table(
                {
                    "partition_date": rows["quarantine_date"],
                    "source_file": pa.array([file.source_file] * len(numbers), pa.string()),
                    "record_number": rows["record_number"],
                    "reason_code": pa.array([why[o][0] for o in outcomes], pa.string()),
                    "message": pa.array([why[o][1] for o in outcomes], pa.string()),
                    "original_record": pa.array(
                        original_records(
                            file.path, file.source_file, column_map, numbers, budget, scratch
                        ),
                        pa.string(),
                    ),
                }
            )
        )
    return pa.concat_tables(frames) if frames else QUARANTINE_SCHEMA.empty_table()


def _plan(con: duckdb.DuckDBPyConnection, judged: list[SpilledFile], wanted: list[date]) -> _Plan:
    """Check every file accounts for each record; count what the run's days get."""
    kept = dict(
        con.execute(
            "select file_order, sum(c.n_records) from settled s join conv_all c "
            "using (file_order, gid) where s.outcome = 'kept' group by file_order"
        ).fetchall()
    )
    quarantined = dict(
        con.execute("select file_order, count(*) from quarantine group by file_order").fetchall()
    )
    for order, file in enumerate(judged):
        _reconcile(file, int(kept.get(order, 0)), int(quarantined.get(order, 0)))
    con.register("wanted_days", pa.table({"day": pa.array(wanted, pa.date32())}))
    loaded: Counter[tuple[date, str]] = Counter()
    for day, source_file, n in con.execute(
        "select c.partition_date, f.source_file, sum(c.n_records) from settled s "
        "join conv_all c using (file_order, gid) join files f using (file_order) "
        "where s.outcome = 'kept' and c.partition_date in (select day from wanted_days) "
        "group by all"
    ).fetchall():
        loaded[(day, source_file)] += int(n)
    reason_counts: dict[tuple[date, str], Counter[str]] = {}
    for day, source_file, reason, n in con.execute(
        "select partition_date, source_file, reason_code, count(*) from quarantine "
        "where partition_date in (select day from wanted_days) group by all"
    ).fetchall():
        reason_counts.setdefault((day, source_file), Counter())[reason] += int(n)
    per_day = dict(
        con.execute(
            "select partition_date, count(*) from kept "
            "where partition_date in (select day from wanted_days) group by all"
        ).fetchall()
    )
    return _Plan(loaded, reason_counts, {day: int(per_day.get(day, 0)) for day in wanted})


def ingest_days(
    paths: Paths,
    days: Sequence[date],
    settings: Settings,
    column_map: ColumnMap | None = None,
    before_write: Callable[[dict[date, int]], None] | None = None,
    file_threshold: FileThresholdMode = "fail",
    judge: FileJudge = judge_files,
) -> IngestReport:
    """Ingest every landing file that may hold conversations of ``days``; see the module doc.

    ``before_write`` gets the number of conversations each day is about to be
    replaced with, before anything is written; raising there leaves the raw store,
    the quarantine and the audit as they were. After writing, a day whose bad share
    is above ``settings.quarantine_threshold`` raises QuarantineThresholdExceeded; so
    does a source file above it when ``file_threshold`` is "fail" ("warn": the report's
    ``files_over_threshold`` lists it for the caller to show).

    Memory follows ``settings.memory_budget_mb``, not the size of the days: files are
    judged a batch at a time into Parquet in a scratch folder (owner-only, it holds
    unscrubbed records; removed afterwards), and the rest runs in DuckDB over those files.

    ``judge`` judges the files: :func:`judge_files` in this process, or the Spark
    engine's executors (``pipelines.sources.spark.spark_judge``); the rest is the same.
    Files an earlier run judged, unchanged, are taken from the judged-file cache instead
    (``settings.ingest_cache``, ``pipelines.sources.judged_cache``).
    """
    if not days:
        raise ValueError("ingest_days needs at least one day")
    wanted = sorted(set(days))
    column_map = column_map or ColumnMap()
    budget = IngestBudget.from_budget(settings.memory_budget_mb)
    files = landing_files(paths, days, settings.landing_lookback_days)
    paths.home.mkdir(parents=True, exist_ok=True)
    # mkdtemp makes it 0700; not under raw/, which a refused run must leave as it was.
    scratch = Path(tempfile.mkdtemp(prefix=".ingest-scratch-", dir=paths.home))
    try:
        source_files = [str(path.relative_to(paths.landing)) for path in files]
        judged, from_cache = _judge_through_cache(
            paths, wanted, settings, judge, files, source_files, column_map, scratch, budget
        )
        con = scratch_connection(scratch, budget.duckdb_memory_mb, budget.duckdb_threads)
        try:
            con.execute("set preserve_insertion_order = false")
            report = _settle_and_write(
                con, paths, judged, wanted, settings, column_map, budget, scratch, before_write
            )
        finally:
            con.close()
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    threshold = settings.quarantine_threshold
    report = replace(
        report,
        files_over_threshold=over_threshold(report, threshold),
        files_from_cache=from_cache,
    )
    days_over = any(share > threshold for share in report.quarantined_share.values())
    if days_over or (file_threshold == "fail" and report.files_over_threshold):
        raise QuarantineThresholdExceeded(report, threshold)
    return report


def _judge_through_cache(
    paths: Paths,
    days: list[date],
    settings: Settings,
    judge: FileJudge,
    files: list[Path],
    source_files: list[str],
    column_map: ColumnMap,
    scratch: Path,
    budget: IngestBudget,
) -> tuple[list[SpilledFile], int]:
    """``judge`` over the run's files through the judged-file cache (the ``ingest_cache``
    setting; off: the cache is deleted, nothing unscrubbed is kept beyond the run), and
    how many files came from it. The cache keeps the folders the nightly run of the
    newest day still reads (it starts ``landing_lookback_days`` + 1 before that day;
    later nightlies start later) and, in the folders this run read, only the entries of
    their files as they are now."""
    cache = JudgedFileCache(paths)
    if not settings.ingest_cache:
        cache.clear()
        return judge(files, source_files, column_map, scratch, budget), 0
    cached = judge_with_cache(cache, judge, files, source_files, column_map, scratch, budget)
    lookback = settings.landing_lookback_days
    cache.prune(
        max(days) - timedelta(days=lookback + EARLY_DELIVERY_DAYS),
        {day: cached.digests.get(day, set()) for day in landing_folder_days(days, lookback)},
    )
    return cached.judged, cached.from_cache


def _settle_and_write(
    con: duckdb.DuckDBPyConnection,
    paths: Paths,
    judged: list[SpilledFile],
    wanted: list[date],
    settings: Settings,
    column_map: ColumnMap,
    budget: IngestBudget,
    scratch: Path,
    before_write: Callable[[dict[date, int]], None] | None,
) -> IngestReport:
    if judged:
        _register_files(con, paths, judged, settings)
        con.execute(_SETTLE_SQL, {"lookback": settings.landing_lookback_days})
        replaced = _replaced_quarantine(
            con, judged, column_map, budget, scratch, settings.landing_lookback_days
        )
        con.register("replaced_quarantine", replaced)
        con.execute(
            "create or replace temp view quarantine as "
            "select partition_date, source_file, file_order, record_number, reason_code, "
            "message, original_record from quarantine_read union all "
            "select r.partition_date, r.source_file, f.file_order, r.record_number, "
            "r.reason_code, r.message, r.original_record "
            "from replaced_quarantine r join files f using (source_file)"
        )
        con.execute(
            "create or replace temp table kept as select c.* from settled s "
            "join conv_all c using (file_order, gid) where s.outcome = 'kept'"
        )
        plan = _plan(con, judged, wanted)
    else:
        plan = _Plan(Counter(), {}, dict.fromkeys(wanted, 0))
    if before_write is not None:
        before_write(plan.conversations_per_day)
    return _write_partitions(con, paths, wanted, plan, len(judged))


def _reconcile(file: SpilledFile, loaded: int, quarantined: int) -> None:
    if loaded + quarantined != file.records_read:
        raise RuntimeError(
            f"{safe_file_label(file.source_file)}: {file.records_read} records read but {loaded} loaded + "
            f"{quarantined} quarantined; this is a bug in the adapter, nothing was written"
        )


# Each day's rows in the canonical order, (source, conversation_id, seq) for the raw
# store and (source_file, record_number) for the quarantine, so re-runs are identical
# whatever the file order. DuckDB sorts beyond its memory limit by spilling.
_DAY_CONVERSATIONS_SQL = (
    "select {columns} from kept where partition_date = $day order by source, conversation_id"
)
_DAY_EVENTS_SQL = (
    "select {columns} from (select e.*, k.partition_date, k.source from events_all e "
    "join kept k using (file_order, gid) where k.partition_date = $day) "
    "order by source, conversation_id, seq"
)
_DAY_QUARANTINE_SQL = (
    "select {columns} from quarantine where partition_date = $day "
    "order by source_file, record_number, reason_code, message"
)
WRITE_BATCH_ROWS = 100_000


def _write_day(
    con: duckdb.DuckDBPyConnection | None,
    sql: str,
    schema: pa.Schema,
    day: date,
    target: Path,
) -> int:
    """Stream one day's rows to ``target`` (write then rename, so readers never see half
    a file and re-runs replace it); returns the number of rows."""
    tmp = target.with_name(f".{target.name}.tmp")
    rows = 0
    with pq.ParquetWriter(tmp, schema, compression="zstd") as writer:
        if con is not None:
            columns = ", ".join(f'"{name}"' for name in schema.names)
            reader = con.sql(sql.format(columns=columns), params={"day": day}).to_arrow_reader(
                WRITE_BATCH_ROWS
            )
            for batch in reader:
                writer.write_table(pa.Table.from_batches([batch]).cast(schema))
                rows += batch.num_rows
    os.replace(tmp, target)
    return rows


def _write_partitions(
    con: duckdb.DuckDBPyConnection, paths: Paths, days: list[date], plan: _Plan, files: int
) -> IngestReport:
    restricted_dir(paths.raw)
    restricted_dir(paths.quarantine)
    source = con if files else None
    conversations_loaded: dict[date, int] = {}
    events_loaded: dict[date, int] = {}
    for day in days:
        raw_dir = restricted_dir(paths.raw_day(day))
        conversations_loaded[day] = _write_day(
            source,
            _DAY_CONVERSATIONS_SQL,
            RAW_CONVERSATION_SCHEMA,
            day,
            raw_dir / "conversations.parquet",
        )
        events_loaded[day] = _write_day(
            source, _DAY_EVENTS_SQL, RAW_EVENT_SCHEMA, day, raw_dir / "events.parquet"
        )
        quarantine_dir = restricted_dir(paths.quarantine_day(day))
        _write_day(
            source,
            _DAY_QUARANTINE_SQL,
            QUARANTINE_SCHEMA,
            day,
            quarantine_dir / "quarantine.parquet",
        )
    audit = tuple(
        AuditRow(
            partition_date=day,
            source_file=source_file,
            records_read=plan.loaded[(day, source_file)] + sum(counts.values()),
            records_loaded=plan.loaded[(day, source_file)],
            records_quarantined=sum(counts.values()),
            reason_counts=dict(sorted(counts.items())),
        )
        for day, source_file in sorted(set(plan.loaded) | set(plan.reasons))
        for counts in [plan.reasons.get((day, source_file), Counter())]
    )
    return IngestReport(
        days=tuple(days),
        audit=audit,
        conversations_loaded=conversations_loaded,
        events_loaded=events_loaded,
        files_scanned=files,
    )
