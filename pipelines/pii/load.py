"""Scrub a window of raw days into the warehouse, behind the leak gate.

The leak gate re-reads the window's scrubbed rows inside the write transaction and
scans them with the independent ``leakscan`` scanner; the window is committed only if
nothing is found, so a detector bug stops the run before dbt or publish can hand the
text to anyone, and a leak is never left in the warehouse for a later publish to copy.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from pipelines.config import Paths
from pipelines.pii.batch import pseudonymize_conversations, scrub_events
from pipelines.pii.identifiers import CONVERSATION_PREFIX, ID_ENTITY_TYPES, looks_personal
from pipelines.pii.leakscan import Leak, scan_rows
from pipelines.pii.pseudonym import PSEUDONYM_HEX_CHARS, PiiKey, record_or_verify_fingerprint
from pipelines.warehouse.io import conform, replace_window
from pipelines.warehouse.tables import (
    PII_DETECTIONS_DAILY,
    SCRUBBED_CONVERSATIONS,
    SCRUBBED_EVENTS,
    Table,
)
from schemas.canonical import CONVERSATION_SCHEMA, EVENT_SCHEMA

WITHHELD_ID = "<conversation id withheld: it looks personal>"
# Keyed HMAC output by construction (pipelines.pii.pseudonym), never data.
PSEUDONYM_COLUMNS = frozenset({"customer_key", "agent_key"})
# Scrubbed free text: every entity type of the gate applies.
FREE_TEXT_COLUMNS = frozenset({"text", "payload"})
# Days with fewer events are scrubbed in-process: starting worker processes costs more.
IN_PROCESS_EVENTS = 2_000
GATED_TABLES = (SCRUBBED_EVENTS, SCRUBBED_CONVERSATIONS)


@dataclass(frozen=True)
class ScrubbedWindow:
    """The window's rows for the three scrubbed tables, and how long scrubbing took."""

    conversations: pa.Table
    events: pa.Table
    detections: pa.Table
    seconds: float

    @property
    def totals(self) -> dict[str, int]:
        """Detections per entity type over the window."""
        counts: Counter[str] = Counter()
        for entity, count in zip(
            self.detections["entity_type"].to_pylist(),
            self.detections["count"].to_pylist(),
            strict=True,
        ):
            counts[entity] += count
        return dict(sorted(counts.items()))


@dataclass(frozen=True)
class LeakVerdict:
    """The gate's finding: conversation ids and entity types, never values."""

    leaks: list[Leak] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.leaks

    @property
    def by_type(self) -> dict[str, int]:
        return dict(sorted(Counter(leak.entity_type for leak in self.leaks).items()))

    @property
    def conversations(self) -> list[str]:
        return sorted({leak.conversation_id for leak in self.leaks})[:100]

    @property
    def description(self) -> str | None:
        if self.passed:
            return None
        return (
            "possible PII left in scrubbed text (the window was rolled back, not written): "
            + "; ".join(f"{leak.conversation_id}: {leak.entity_type}" for leak in self.leaks[:20])
        )


def read_raw_day(paths: Paths, day: date, name: str, schema: pa.Schema) -> pa.Table:
    """One raw file of ``day``; an absent file means the day had no conversations."""
    file = paths.raw_day(day) / f"{name}.parquet"
    partitioned = pa.schema([pa.field("partition_date", pa.date32()), *schema])
    if not file.exists():
        return partitioned.empty_table()
    table = pq.read_table(file)
    missing = {"partition_date", *schema.names} - set(table.column_names)
    if missing:
        raise ValueError(f"{file}: missing columns {sorted(missing)}")
    return table.select(partitioned.names)


def scrub_window(
    paths: Paths, days: list[date], key: bytes, patterns: str | None = None
) -> ScrubbedWindow:
    """Scrub and pseudonymize the raw days of the window (raw text never leaves here)."""
    started = time.perf_counter()
    conversations, events, per_day = [], [], []
    for day in days:
        day_events = read_raw_day(paths, day, "events", EVENT_SCHEMA)
        workers = 1 if day_events.num_rows < IN_PROCESS_EVENTS else None
        batch = scrub_events(
            day_events, key, workers=workers, patterns=Path(patterns) if patterns else None
        )
        day_conversations = read_raw_day(paths, day, "conversations", CONVERSATION_SCHEMA)
        # Each day cast to the table's fixed schema: a schema inferred per day differs
        # (conversation_id nullable once its ids were pseudonymized) and fails the concat.
        conversations.append(
            conform(pseudonymize_conversations(day_conversations, key), SCRUBBED_CONVERSATIONS)
        )
        events.append(conform(batch.events, SCRUBBED_EVENTS))
        per_day.append((day, batch.detections))
    return ScrubbedWindow(
        conversations=pa.concat_tables(conversations),
        events=pa.concat_tables(events),
        detections=_detections_table(per_day),
        seconds=time.perf_counter() - started,
    )


def _detections_table(per_day: list[tuple[date, dict[str, int]]]) -> pa.Table:
    rows = [
        {"partition_date": day, "entity_type": entity, "count": count}
        for day, counts in per_day
        for entity, count in sorted(counts.items())
    ]
    return pa.Table.from_pylist(rows, schema=PII_DETECTIONS_DAILY.columns)


def write_window(
    con: duckdb.DuckDBPyConnection, days: list[date], window: ScrubbedWindow, key: PiiKey
) -> LeakVerdict:
    """Replace the window in all three tables in ONE transaction, committed only if the
    leak gate passes. The key's fingerprint is recorded in the same transaction, so it
    exists exactly when pseudonyms made with it do."""

    def gate(con: duckdb.DuckDBPyConnection) -> LeakVerdict:
        record_or_verify_fingerprint(con, key)
        return leak_verdict(con, days)

    verdict = replace_window(
        con,
        [
            (SCRUBBED_CONVERSATIONS, window.conversations),
            (SCRUBBED_EVENTS, window.events),
            (PII_DETECTIONS_DAILY, window.detections),
        ],
        days,
        pre_commit=gate,
    )
    assert verdict is not None  # a pre-commit check always gives one
    return verdict


def leak_verdict(con: duckdb.DuckDBPyConnection, days: list[date]) -> LeakVerdict:
    """Scan every text column of the window's scrubbed rows (ids and labels too, not only
    text and payloads); a hit names conversation ids and types, never values."""
    leaks = []
    for table in GATED_TABLES:
        columns = [c for c in _text_columns(table) if c not in PSEUDONYM_COLUMNS]
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
    return LeakVerdict(
        sorted(
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
    )


def _text_columns(table: Table) -> list[str]:
    return [column.name for column in table.columns if column.type == pa.string()]


def _scan_columns(
    con: duckdb.DuckDBPyConnection,
    table: Table,
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
        f"select conversation_id, concat_ws(' | ', {', '.join(columns)}) from {table.name} "
        "where partition_date between ? and ?",
        [min(days), max(days)],
    )
    leaks = []
    while batch := cursor.fetchmany(10_000):
        leaks.extend(
            leak for leak in scan_rows(batch) if types is None or leak.entity_type in types
        )
    return leaks
