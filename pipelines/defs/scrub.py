"""scrubbed_transcripts: raw canonical records -> scrubbed, pseudonymized warehouse tables.

The leak gate is a blocking check on the same asset: it re-reads the window's scrubbed
text from the warehouse and scans it with the independent ``leakscan`` scanner, so a
detector bug stops the run before dbt or publish can hand the text to anyone.
"""

import time
from collections import Counter
from collections.abc import Iterator
from datetime import date

import dagster as dg
import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from pipelines.config import Paths
from pipelines.defs.partitions import WAREHOUSE_POOL, daily_partitions, partition_days
from pipelines.defs.resources import WarehouseResource
from pipelines.model import CONVERSATION_SCHEMA, EVENT_SCHEMA
from pipelines.pii import pseudonymize_conversations, scrub_events
from pipelines.pii.identifiers import CONVERSATION_PREFIX, ID_ENTITY_TYPES, looks_personal
from pipelines.pii.leakscan import Leak, scan_rows
from pipelines.pii.pseudonym import (
    PSEUDONYM_HEX_CHARS,
    PiiKey,
    PiiKeyChanged,
    guarded_key,
    record_or_verify_fingerprint,
)

LEAK_CHECK = "no_pii_leaks"
WITHHELD_ID = "<conversation id withheld: it looks personal>"
# Keyed HMAC output by construction (pipelines.pii.pseudonym), never data.
PSEUDONYM_COLUMNS = frozenset({"customer_key", "agent_key"})
# Scrubbed free text: every entity type of the gate applies.
FREE_TEXT_COLUMNS = frozenset({"text", "payload"})
# Days with fewer events are scrubbed in-process: starting worker processes costs more.
IN_PROCESS_EVENTS = 2_000

DDL = (
    "create schema if not exists scrubbed",
    """create table if not exists scrubbed.conversations (
        partition_date date not null,
        conversation_id varchar not null,
        source varchar not null,
        started_at timestamptz not null,
        ended_at timestamptz,
        channel varchar,
        locale varchar,
        market varchar,
        customer_key varchar,
        bot_version varchar,
        intent varchar,
        csat_score tinyint,
        csat_submitted_at timestamptz
    )""",
    """create table if not exists scrubbed.events (
        partition_date date not null,
        conversation_id varchar not null,
        seq integer not null,
        sent_at timestamptz not null,
        actor varchar not null,
        event_type varchar not null,
        text varchar,
        agent_key varchar,
        payload varchar
    )""",
    """create table if not exists main.pii_detections_daily (
        partition_date date not null,
        entity_type varchar not null,
        count bigint not null
    )""",
)
TABLES = ("scrubbed.conversations", "scrubbed.events", "main.pii_detections_daily")
SCRUBBED_CONVERSATIONS = dg.AssetKey(["scrubbed", "conversations"])
SCRUBBED_EVENTS = dg.AssetKey(["scrubbed", "events"])
PII_DETECTIONS = dg.AssetKey("pii_detections_daily")


def _read_day(paths: Paths, day: date, name: str, schema: pa.Schema) -> pa.Table:
    """One raw file of ``day``; an absent file means the day had no conversations."""
    file = paths.raw_day(day) / f"{name}.parquet"
    if not file.exists():
        return _empty(schema)
    table = pq.read_table(file)
    missing = {"partition_date", *schema.names} - set(table.column_names)
    if missing:
        raise ValueError(f"{file}: missing columns {sorted(missing)}")
    return table.select(["partition_date", *schema.names])


def _empty(schema: pa.Schema) -> pa.Table:
    return pa.schema([pa.field("partition_date", pa.date32()), *schema]).empty_table()


def _warehouse_key(con: duckdb.DuckDBPyConnection, paths: Paths) -> PiiKey:
    """:func:`guarded_key` as a clean run failure (the message says what to do)."""
    try:
        return guarded_key(con, paths.pii_key_file)
    # A missing/empty key file, a weak key or a changed key.
    except (PiiKeyChanged, OSError, ValueError) as error:
        raise dg.Failure(description=str(error)) from None


def _write_window(
    con: duckdb.DuckDBPyConnection, days: list[date], tables: dict[str, pa.Table], key: PiiKey
) -> dg.AssetCheckResult:
    """Delete the window from all three tables and insert, in ONE transaction, which is
    committed only if the leak gate passes: a leak is rolled back, never left in the
    warehouse for the next run's publish to copy. The key's fingerprint is recorded in
    the same transaction, so it exists exactly when pseudonyms made with it do."""
    for statement in DDL:
        con.execute(statement)
    con.execute("begin transaction")
    try:
        record_or_verify_fingerprint(con, key)
        for name, rows in tables.items():
            con.execute(
                f"delete from {name} where partition_date between ? and ?", [min(days), max(days)]
            )
            view = "_incoming_" + name.replace(".", "_")
            con.register(view, rows)
            columns = ", ".join(rows.column_names)
            con.execute(f"insert into {name} ({columns}) select {columns} from {view}")
            con.unregister(view)
        check = leak_check_result(con, days)
        con.execute("commit" if check.passed else "rollback")
    except BaseException:
        con.execute("rollback")
        raise
    return check


def _scrub_window(
    paths: Paths, days: list[date], key: bytes
) -> Iterator[tuple[date, pa.Table, pa.Table, dict[str, int]]]:
    for day in days:
        conversations = _read_day(paths, day, "conversations", CONVERSATION_SCHEMA)
        events = _read_day(paths, day, "events", EVENT_SCHEMA)
        workers = 1 if events.num_rows < IN_PROCESS_EVENTS else None
        batch = scrub_events(events, key, workers=workers)
        yield day, pseudonymize_conversations(conversations, key), batch.events, batch.detections


def _detections_table(per_day: list[tuple[date, dict[str, int]]]) -> pa.Table:
    rows = [
        (day, entity, count) for day, counts in per_day for entity, count in sorted(counts.items())
    ]
    return pa.table(
        {
            "partition_date": pa.array([r[0] for r in rows], pa.date32()),
            "entity_type": pa.array([r[1] for r in rows], pa.string()),
            "count": pa.array([r[2] for r in rows], pa.int64()),
        }
    )


def _varchar_columns(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    schema, name = table.split(".")
    return [
        column
        for (column,) in con.execute(
            "select column_name from information_schema.columns where table_schema = ? "
            "and table_name = ? and data_type = 'VARCHAR' order by ordinal_position",
            [schema, name],
        ).fetchall()
    ]


def _scan_columns(
    con: duckdb.DuckDBPyConnection,
    table: str,
    columns: list[str],
    days: list[date],
    types: frozenset[str] | None,
) -> list[Leak]:
    """Leaks in the window's rows of ``columns`` (all types, or only ``types``)."""
    if not columns:
        return []
    # " | " between columns: no pattern's separator spans three characters, so the
    # digits of two neighbouring columns never join into one number.
    cursor = con.execute(
        f"select conversation_id, concat_ws(' | ', {', '.join(columns)}) from {table} "
        "where partition_date between ? and ?",
        [min(days), max(days)],
    )
    leaks = []
    while batch := cursor.fetchmany(10_000):
        leaks.extend(
            leak for leak in scan_rows(batch) if types is None or leak.entity_type in types
        )
    return leaks


def leak_check_result(con: duckdb.DuckDBPyConnection, days: list[date]) -> dg.AssetCheckResult:
    """Scan every text column of the window's scrubbed rows (ids and labels too, not only
    text and payloads); a hit names conversation ids and types, never values."""
    leaks = []
    for table in ("scrubbed.events", "scrubbed.conversations"):
        columns = [c for c in _varchar_columns(con, table) if c not in PSEUDONYM_COLUMNS]
        free_text = [c for c in columns if c in FREE_TEXT_COLUMNS]
        # Ids and labels with the id rule (email, phone, SSN): date-and-counter ids
        # pass for card numbers too often (see pipelines.pii.identifiers).
        labels = [
            # Our own pseudonyms are hex: a long digit run in one could pass for a number.
            f"regexp_replace({c}, '^{CONVERSATION_PREFIX}[0-9a-f]{{{PSEUDONYM_HEX_CHARS}}}$', '')"
            if c == "conversation_id"
            else c
            for c in columns
            if c not in FREE_TEXT_COLUMNS
        ]
        for scanned, types in ((free_text, None), (labels, ID_ENTITY_TYPES)):
            leaks.extend(_scan_columns(con, table, scanned, days, types))
    leaks = sorted(
        {
            # An id that itself looks personal is not repeated into the run's event log.
            Leak(
                WITHHELD_ID if looks_personal(leak.conversation_id) else leak.conversation_id,
                leak.entity_type,
            )
            for leak in leaks
        },
        key=lambda leak: (leak.conversation_id, leak.entity_type),
    )
    by_type = Counter(leak.entity_type for leak in leaks)
    return dg.AssetCheckResult(
        check_name=LEAK_CHECK,
        asset_key=SCRUBBED_EVENTS,
        passed=not leaks,
        severity=dg.AssetCheckSeverity.ERROR,
        metadata={
            "leaks_by_type": dict(sorted(by_type.items())),
            "conversations": sorted({leak.conversation_id for leak in leaks})[:100],
        },
        description=None
        if not leaks
        else "possible PII left in scrubbed text (the window was rolled back, not written): "
        + "; ".join(f"{leak.conversation_id}: {leak.entity_type}" for leak in leaks[:20]),
    )


# One multi-asset because the three tables are written in one transaction; the keys
# match the dbt sources (scrubbed.conversations, scrubbed.events), which dagster-dbt
# requires to be distinct.
@dg.multi_asset(
    name="scrubbed_transcripts",
    specs=[
        dg.AssetSpec(
            SCRUBBED_CONVERSATIONS,
            deps=["raw_transcripts"],
            kinds={"duckdb"},
            description="Conversation headers with pseudonymized customer_key.",
        ),
        dg.AssetSpec(
            SCRUBBED_EVENTS,
            deps=["raw_transcripts"],
            kinds={"duckdb"},
            description="Events with PII-scrubbed text and pseudonymized agent_key.",
        ),
        dg.AssetSpec(
            PII_DETECTIONS,
            deps=["raw_transcripts"],
            kinds={"duckdb"},
            description="Counts of detected PII per day and type (never values).",
        ),
    ],
    partitions_def=daily_partitions,
    backfill_policy=dg.BackfillPolicy.single_run(),
    pool=WAREHOUSE_POOL,
    check_specs=[
        dg.AssetCheckSpec(
            LEAK_CHECK,
            asset=SCRUBBED_EVENTS,
            blocking=True,
            description="Independent leak scan of the window's scrubbed text (EMAIL, CREDIT_CARD, US_SSN, PHONE).",
        )
    ],
)
def scrubbed_transcripts(
    context: dg.AssetExecutionContext, warehouse: WarehouseResource
) -> Iterator[dg.MaterializeResult | dg.AssetCheckResult]:
    """Scrub PII from the window's transcripts and pseudonymize ids into the warehouse."""
    days = partition_days(context)
    paths = warehouse.paths
    # Checked before scrubbing, so a lost or replaced key fails fast and writes nothing.
    with warehouse.connect() as con:
        key = _warehouse_key(con, paths)
    if key.created:
        context.log.warning(
            f"created a new PII pseudonymization key at {paths.pii_key_file} (fingerprint "
            f"{key.fingerprint}) for this new warehouse. Back this file up: without it "
            "later runs are refused, because their pseudonyms would not join these."
        )
    started = time.perf_counter()
    conversations, events, per_day = [], [], []
    for day, day_conversations, day_events, detections in _scrub_window(paths, days, key.key):
        conversations.append(day_conversations)
        events.append(day_events)
        per_day.append((day, detections))
    elapsed = time.perf_counter() - started
    tables = {
        "scrubbed.conversations": pa.concat_tables(conversations),
        "scrubbed.events": pa.concat_tables(events),
        "main.pii_detections_daily": _detections_table(per_day),
    }
    with warehouse.connect() as con:
        check = _write_window(con, days, tables, key)
    messages = tables["scrubbed.events"].num_rows
    totals: Counter[str] = Counter()
    for _, counts in per_day:
        totals.update(counts)
    yield dg.MaterializeResult(
        asset_key=SCRUBBED_CONVERSATIONS,
        metadata={"rows": tables["scrubbed.conversations"].num_rows, "days": len(days)},
    )
    yield dg.MaterializeResult(
        asset_key=SCRUBBED_EVENTS,
        metadata={
            "rows": messages,
            "messages_per_second": round(messages / elapsed, 1) if elapsed > 0 else 0.0,
        },
    )
    yield dg.MaterializeResult(
        asset_key=PII_DETECTIONS, metadata={"detections": dict(sorted(totals.items()))}
    )
    yield check


defs = dg.Definitions(assets=[scrubbed_transcripts])
