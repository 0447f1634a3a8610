"""Scrub a window of raw days into the warehouse, behind the leak gate.

The leak gate re-reads the window's scrubbed rows inside the write transaction and
scans them with the independent ``leakscan`` scanner; the window is committed only if
nothing is found, so a detector bug stops the run before dbt or publish can hand the
text to anyone, and a leak is never left in the warehouse for a later publish to copy.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from pipelines.config import DEFAULT_MEMORY_BUDGET_MB, PROCESS_BASELINE_MB, Paths, duckdb_limits
from pipelines.pii.batch import (
    ScrubbedBatch,
    pool_map,
    pseudonymize_conversations,
    pseudonymize_stream,
    scrub_events,
    scrub_pool,
    scrub_stream,
)
from pipelines.pii.identifiers import CONVERSATION_PREFIX, ID_ENTITY_TYPES, looks_personal
from pipelines.pii.leakscan import Leak, forget_scanned_texts, scan_rows
from pipelines.pii.pseudonym import PSEUDONYM_HEX_CHARS, PiiKey, record_or_verify_fingerprint
from pipelines.warehouse.io import PartitionFile, replace_window, sql_literal
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
# Text the leak scan may find something in (RE2, DuckDB's regex engine): an ASCII digit,
# "@", "%40", or any non-ASCII character (fullwidth digits and "＠" unmask to ASCII).
LEAK_CANDIDATE = r"[0-9@]|%40|[^\x00-\x7f]"
# Label rows the gate scans joined (see _scan_labels): an SSN cue (RE2's case folding
# equals Python's on ASCII text) or any non-ASCII character.
CROSS_COLUMN_CANDIDATE = r"(?i)ssn|social security|[^\x00-\x7f]"
# Rows the gate reads and scans at a time (a task of the pool).
SCAN_BATCH_ROWS = 10_000


@dataclass(frozen=True)
class ScrubbedWindow:
    """The window's rows for the three scrubbed tables, and how long scrubbing took.

    The conversations and events are Parquet files (:class:`PartitionFile`) written a
    batch at a time, inserted into the warehouse straight from the files."""

    conversations: PartitionFile
    events: PartitionFile
    detections: pa.Table
    seconds: float
    # The scrub pool, alive until the window's block ends: the gate scans in it too.
    pool: ProcessPoolExecutor | None = None
    workers: int = 1

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
class ScrubBudget:
    """How much of a day the scrub stage holds at a time, from the memory budget."""

    # Raw events read, scrubbed and written per batch (whole conversations; a larger
    # conversation is a batch of its own).
    batch_events: int
    # DuckDB's memory_limit for reading the raw day in conversation order.
    duckdb_memory_mb: int
    # DuckDB's threads; None: DuckDB's default (every core).
    duckdb_threads: int | None = None

    @classmethod
    def from_budget(cls, memory_budget_mb: int) -> ScrubBudget:
        # The run's one split (pipelines.config.duckdb_limits): ~0.5 GB for the process
        # itself, half the rest for DuckDB. A batch's events cost ~2.5 KB each in Python
        # (Arrow batch, per-conversation lists, results, the scrubbed batch).
        limits = duckdb_limits(memory_budget_mb)
        working = max(memory_budget_mb - PROCESS_BASELINE_MB, 128)
        return cls(
            batch_events=max((working - limits.memory_mb) * 1024 * 1024 // 2_500, 10_000),
            duckdb_memory_mb=limits.memory_mb,
            duckdb_threads=limits.threads,
        )


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


def _raw_file(paths: Paths, day: date, name: str, schema: pa.Schema) -> Path | None:
    """One raw file of ``day``, checked for the columns scrubbing needs; None when absent
    (the day had no conversations)."""
    file = paths.raw_day(day) / f"{name}.parquet"
    if not file.exists():
        return None
    missing = {"partition_date", *schema.names} - set(pq.read_schema(file).names)
    if missing:
        raise ValueError(f"{file}: missing columns {sorted(missing)}")
    return file


def _whole_conversations(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.Table]:
    """Batches of rows sorted by conversation, re-cut so no conversation spans two: the
    last conversation of a batch waits for the rest of its rows in the next one."""
    carry: pa.Table | None = None
    for batch in batches:
        table = pa.Table.from_batches([batch])
        if carry is not None:
            table = pa.concat_tables([carry, table])
        ids = table["conversation_id"]
        # Sorted input: every row of the last conversation is at the end.
        tail = pc.sum(pc.equal(ids, ids[-1])).as_py() if table.num_rows else 0
        if tail < table.num_rows:
            yield table.slice(0, table.num_rows - tail)
        carry = table.slice(table.num_rows - tail)
    if carry is not None and carry.num_rows:
        yield carry


def _events_by_conversation(file: Path, budget: ScrubBudget, spill_dir: Path) -> Iterator[pa.Table]:
    """The raw events of one day in (conversation_id, seq) order, whole conversations,
    about ``budget.batch_events`` rows at a time. DuckDB sorts (spilling to ``spill_dir``
    beyond its memory limit) so the order does not depend on how the file was written."""
    columns = ", ".join(f'"{name}"' for name in ["partition_date", *EVENT_SCHEMA.names])
    con = duckdb.connect()
    try:
        con.execute(f"set memory_limit = '{budget.duckdb_memory_mb}MiB'")
        if budget.duckdb_threads is not None:
            con.execute(f"set threads = {budget.duckdb_threads}")
        con.execute(f"set temp_directory = {sql_literal(str(spill_dir))}")
        reader = con.sql(
            f"select {columns} from read_parquet({sql_literal(str(file))}) "
            "order by conversation_id, seq"
        ).to_arrow_reader(budget.batch_events)
        yield from _whole_conversations(reader)
    finally:
        con.close()


@contextmanager
def scrubbed_window(
    paths: Paths,
    days: list[date],
    key: bytes,
    patterns: str | None = None,
    memory_budget_mb: int = DEFAULT_MEMORY_BUDGET_MB,
) -> Iterator[ScrubbedWindow]:
    """Scrub and pseudonymize the raw days of the window (raw text never leaves here),
    a batch of whole conversations at a time, into Parquet files in an owner-only scratch
    folder of the data home that is removed when the block ends.

    One pool of workers serves every batch of the window (``batch.scrub_stream``: chunks
    of whole conversations, at most three per worker in flight, across the raw batches'
    boundaries), so memory follows ``memory_budget_mb``, not the window.
    """
    budget = ScrubBudget.from_budget(memory_budget_mb)
    started = time.perf_counter()
    paths.home.mkdir(parents=True, exist_ok=True)
    # mkdtemp makes it 0700: it holds scrubbed text, but also DuckDB's spill of raw text.
    scratch = Path(tempfile.mkdtemp(prefix=".scrub-scratch-", dir=paths.home))
    pattern_file = Path(patterns) if patterns else None
    workers = os.cpu_count() or 1
    # The pool outlives the files' writing: the leak gate scans in it too.
    with ExitStack() as pools:
        try:
            conversations = PartitionFile(SCRUBBED_CONVERSATIONS, scratch / "conversations.parquet")
            events = PartitionFile(SCRUBBED_EVENTS, scratch / "events.parquet")
            per_day = []
            pool = None
            with ExitStack() as files:
                files.callback(conversations.close)
                files.callback(events.close)
                for day in days:
                    event_file = _raw_file(paths, day, "events", EVENT_SCHEMA)
                    n_events = pq.ParquetFile(event_file).metadata.num_rows if event_file else 0
                    # Small days are scrubbed in-process: starting workers costs more.
                    in_process = n_events < IN_PROCESS_EVENTS
                    if not in_process and pool is None:
                        pool = pools.enter_context(scrub_pool(workers))
                    batches = (
                        _events_by_conversation(event_file, budget, scratch) if event_file else ()
                    )
                    counts = _scrub_day(
                        batches,
                        _raw_conversations(paths, day, budget),
                        key,
                        pattern_file,
                        None if in_process else pool,
                        workers,
                        (events, conversations),
                    )
                    per_day.append((day, counts))
            yield ScrubbedWindow(
                conversations=conversations,
                events=events,
                detections=_detections_table(per_day),
                seconds=time.perf_counter() - started,
                pool=pool,
                workers=workers,
            )
        finally:
            shutil.rmtree(scratch, ignore_errors=True)


def _raw_conversations(paths: Paths, day: date, budget: ScrubBudget) -> Iterator[pa.Table]:
    """The raw conversation headers of ``day``, a batch at a time."""
    file = _raw_file(paths, day, "conversations", CONVERSATION_SCHEMA)
    if file is None:
        return
    for batch in pq.ParquetFile(file).iter_batches(budget.batch_events):
        yield pa.Table.from_batches([batch]).select(["partition_date", *CONVERSATION_SCHEMA.names])


def _scrub_day(
    events: Iterable[pa.Table],
    conversations: Iterable[pa.Table],
    key: bytes,
    patterns: Path | None,
    pool: ProcessPoolExecutor | None,
    workers: int,
    out: tuple[PartitionFile, PartitionFile],
) -> dict[str, int]:
    """Scrub one day's event batches and pseudonymize its headers into ``out`` (events,
    conversations), in ``pool`` or, without one, in this process; the detections."""
    scrubbed: Iterable[ScrubbedBatch]
    pseudonymized: Iterable[pa.Table]
    if pool is None:
        scrubbed = (scrub_events(batch, key, workers=1, patterns=patterns) for batch in events)
        pseudonymized = (pseudonymize_conversations(table, key) for table in conversations)
    else:
        # The workers scrub across the raw batches' boundaries: none drains.
        scrubbed = scrub_stream(events, key, pool, workers, patterns)
        pseudonymized = pseudonymize_stream(conversations, key, pool, workers)
    counts: Counter[str] = Counter()
    for batch in scrubbed:
        out[0].write(batch.events)
        counts.update(batch.detections)
    for table in pseudonymized:
        out[1].write(table)
    return dict(counts)


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
        return leak_verdict(con, days, window.pool, window.workers)

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


def leak_verdict(
    con: duckdb.DuckDBPyConnection,
    days: list[date],
    pool: ProcessPoolExecutor | None = None,
    workers: int = 1,
) -> LeakVerdict:
    """Scan every text column of the window's scrubbed rows (ids and labels too, not only
    text and payloads); a hit names conversation ids and types, never values.

    This process reads the rows inside the write transaction; the scan itself runs in
    ``pool`` (of ``workers`` processes) when given: the same ``leakscan`` on every core."""
    scanner = _Scanner(pool, workers)
    leaks = []
    try:
        for table in GATED_TABLES:
            free_text, labels = gated_columns(table)
            labels = [
                # Our own pseudonyms are hex: a long digit run in one could pass for a number.
                f"regexp_replace({c}, '{OWN_PSEUDONYM_ID}', '')" if c == "conversation_id" else c
                for c in labels
            ]
            for scanned, types in ((free_text, None), (labels, ID_ENTITY_TYPES)):
                leaks.extend(_scan_columns(con, table, scanned, days, types, scanner))
    finally:
        # Without a pool the texts were scanned (and remembered) in this process, which
        # may be a long-running Dagster one: keep none of them past the gate.
        forget_scanned_texts()
    return verdict_of(leaks)


# A conversation id that is our own pseudonym (hex): blanked before the id rule scans it.
OWN_PSEUDONYM_ID = f"^{CONVERSATION_PREFIX}[0-9a-f]{{{PSEUDONYM_HEX_CHARS}}}$"


def gated_columns(table: Table) -> tuple[list[str], list[str]]:
    """The columns of ``table`` the gate scans: free text (every entity type) and ids and
    labels (the id rule: email, phone, SSN; date-and-counter ids pass for card numbers
    too often, see pipelines.pii.identifiers). Pseudonym columns are keyed HMAC output."""
    columns = [c for c in _text_columns(table) if c not in PSEUDONYM_COLUMNS]
    return (
        [c for c in columns if c in FREE_TEXT_COLUMNS],
        [c for c in columns if c not in FREE_TEXT_COLUMNS],
    )


def verdict_of(leaks: Iterable[Leak]) -> LeakVerdict:
    """The gate's verdict over the leaks found, an id that looks personal withheld."""
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


class _Scanner:
    """``leakscan.scan_rows`` over batches of rows, in a pool when there is one."""

    def __init__(self, pool: ProcessPoolExecutor | None, workers: int) -> None:
        self.pool = pool
        self.workers = workers

    def leaks(
        self, batches: Iterable[list[tuple[str, str]]], types: frozenset[str] | None
    ) -> set[Leak]:
        scan_batch = partial(scan_rows, types=types)
        found = (
            map(scan_batch, batches)
            if self.pool is None
            else pool_map(self.pool, self.workers, scan_batch, batches)
        )
        return {leak for leaks in found for leak in leaks}


def _fetched(cursor: duckdb.DuckDBPyConnection) -> Iterator[list[tuple[str, str]]]:
    while batch := cursor.fetchmany(SCAN_BATCH_ROWS):
        yield batch


def _scan_columns(
    con: duckdb.DuckDBPyConnection,
    table: Table,
    columns: list[str],
    days: list[date],
    types: frozenset[str] | None,
    scanner: _Scanner | None = None,
) -> list[Leak]:
    """Leaks in the window's rows of ``columns`` (all types, or only ``types``)."""
    if not columns:
        return []
    scanner = scanner or _Scanner(None, 1)
    if types is not None and len(columns) > 1:
        leaks = _scan_labels(con, table, columns, days, types, scanner)
    else:
        # " | " between columns: no pattern's separator spans three characters, so the
        # digits of two neighbouring columns never join into one number. Only candidates
        # are scanned in Python: ``scan`` finds nothing in ASCII text without a digit, "@"
        # or "%40" (only non-ASCII text can turn into those when it is unmasked), and most
        # messages are such text.
        cursor = con.execute(
            f"select conversation_id, t from (select conversation_id, "
            f"{_joined(columns)} as t from {table.name} "
            "where partition_date between ? and ?) "
            f"where regexp_matches(t, {sql_literal(LEAK_CANDIDATE)})",
            [min(days), max(days)],
        )
        leaks = scanner.leaks(_fetched(cursor), types)
    return sorted(leaks, key=lambda leak: (leak.conversation_id, leak.entity_type))


def _scan_labels(
    con: duckdb.DuckDBPyConnection,
    table: Table,
    columns: list[str],
    days: list[date],
    types: frozenset[str],
    scanner: _Scanner,
) -> set[Leak]:
    """The id rule over label columns, each column's distinct values scanned once.

    Scanning a row's columns joined by " | " finds what scanning each column alone finds,
    plus only what a match reaching across the " | " finds: no pattern but the SSN cue's
    ``\\D{0,20}`` ("ssn" in one column, nine digits in the next) takes a "|", and the
    look-arounds at a column's edge see a space, as at a string's ends. So rows that may
    hold such a cue (or non-ASCII text, which unmasking may turn into one) are scanned
    joined, as free text is, and every other value once per distinct value: a day's ids
    repeat in every event of their conversation, and its labels in every row
    (tests/pii/test_streaming.py checks the equivalence)."""
    window = "partition_date between ? and ?"
    bounds = [min(days), max(days)]
    candidate = sql_literal(LEAK_CANDIDATE)
    cursor = con.execute(
        f"select conversation_id, t from (select conversation_id, {_joined(columns)} as t "
        f"from {table.name} where {window}) where regexp_matches(t, {candidate}) "
        f"and regexp_matches(t, {sql_literal(CROSS_COLUMN_CANDIDATE)})",
        bounds,
    )
    leaks = scanner.leaks(_fetched(cursor), types)
    for column in columns:
        cursor = con.execute(
            f"select distinct v, v from (select {column} as v from {table.name} "
            f"where {window}) where regexp_matches(v, {candidate})",
            bounds,
        )
        # Each value stands in for a conversation id: the leaks name the flagged values.
        flagged: dict[str, list[str]] = {}
        for leak in scanner.leaks(_fetched(cursor), types):
            flagged.setdefault(leak.conversation_id, []).append(leak.entity_type)
        if not flagged:
            continue
        for conversation_id, value in con.execute(
            f"select distinct conversation_id, {column} from {table.name} "
            f"where {window} and list_contains(?::varchar[], {column})",
            [*bounds, list(flagged)],
        ).fetchall():
            leaks.update(Leak(conversation_id, entity_type) for entity_type in flagged[value])
    return leaks


def _joined(columns: list[str]) -> str:
    return f"concat_ws(' | ', {', '.join(columns)})"
