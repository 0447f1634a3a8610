"""Scrubbing and the leak gate as Spark jobs (``engine: spark``, docs/scale-out.md).

The same domain code as the local pool, over Arrow batches (``mapInArrow``): the raw
day's events are hash-partitioned by conversation and sorted in each partition, each
partition's batches are re-cut into whole conversations (``load._whole_conversations``)
and scrubbed by ``batch.scrub_events``, so placeholder numbering and conversation-aware
scrubbing are exactly the local path's. The pseudonym key and the patterns file travel
to the executors inside the task's closure (pickled with it; never logged, never in a
column), and each executor builds its detector once, as a pool worker does.

The scrubbed window is written as Parquet partitioned by ``partition_date`` to a staging
folder of the scrubbed store (any Hadoop path: a local folder or ``s3a://…``). The leak
gate (``leakscan``, the same independent scanner and columns as the warehouse's gate)
runs on Spark over the staged rows; only if it finds nothing are the staged partitions
committed to the store (and loaded into the warehouse by the caller). A failed gate
deletes the staging folder: nothing of the window is kept.

pyspark is imported lazily: it is only installed with the ``spark`` extra.
"""

from __future__ import annotations

import contextlib
import functools
import json
import shutil
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from pipelines.config import Paths, is_local_uri
from pipelines.pii.batch import pseudonymize_conversations, scrub_events
from pipelines.pii.identifiers import ID_ENTITY_TYPES
from pipelines.pii.leakscan import Leak, scan_rows
from pipelines.pii.load import (
    GATED_TABLES,
    LEAK_CANDIDATE,
    OWN_PSEUDONYM_ID,
    LeakVerdict,
    ScrubbedWindow,
    _detections_table,
    _raw_file,
    _whole_conversations,
    gated_columns,
    verdict_of,
    write_window,
)
from pipelines.pii.pseudonym import PiiKey
from pipelines.warehouse.io import PartitionFile
from pipelines.warehouse.spark import arrow_batches, spark_schema
from pipelines.warehouse.tables import SCRUBBED_CONVERSATIONS, SCRUBBED_EVENTS, Table
from schemas.canonical import CONVERSATION_SCHEMA, EVENT_SCHEMA

DETECTIONS = "_detections"
_DAY = pa.field("partition_date", pa.date32())


def scrubbed_store(store: str) -> str:
    """The scrubbed store under the Spark stores' base URI ``store`` (the spark_store
    setting, :func:`pipelines.config.spark_store_uri`): ``<store>/scrubbed``."""
    return f"{store.rstrip('/')}/scrubbed"


@dataclass(frozen=True)
class SparkScrubbed:
    """A scrubbed window staged in the store, and its detections per day and type."""

    store: str
    staging: str
    detections: pa.Table
    seconds: float
    # Rows written to staging: the load checks it read back exactly these.
    conversations: int = 0
    events: int = 0

    def staged(self, table: Table) -> str:
        return f"{self.staging}/{table.table_name}"

    def committed(self, table: Table) -> str:
        return f"{self.store}/{table.table_name}"


def _event_schema() -> pa.Schema:
    return pa.schema([_DAY, *EVENT_SCHEMA])


def _scrubbed_event_schema() -> pa.Schema:
    return SCRUBBED_EVENTS.columns.append(pa.field(DETECTIONS, pa.string()))


def _scrub_partition(
    batches: Iterator[pa.RecordBatch], key: bytes, patterns: Path | None
) -> Iterator[pa.RecordBatch]:
    """One Spark partition's events (sorted by day, conversation, seq) scrubbed a batch of
    whole conversations at a time; each day's detections ride on the first row of its
    output as JSON (counts per type, never values) and are dropped before writing."""
    schema = _scrubbed_event_schema()
    for table in _whole_conversations(batches):
        for day in pc.unique(table["partition_date"]).to_pylist():
            part = table.filter(pc.equal(table["partition_date"], pa.scalar(day, pa.date32())))
            scrubbed = scrub_events(part, key, workers=1, patterns=patterns)
            detections = [json.dumps(scrubbed.detections)] + [None] * (part.num_rows - 1)
            out = scrubbed.events.append_column(DETECTIONS, pa.array(detections, pa.string()))
            yield from out.select(schema.names).cast(schema).to_batches()


def _pseudonymize_partition(
    batches: Iterator[pa.RecordBatch], key: bytes
) -> Iterator[pa.RecordBatch]:
    schema = SCRUBBED_CONVERSATIONS.columns
    for batch in batches:
        table = pseudonymize_conversations(pa.Table.from_batches([batch]), key)
        yield from table.select(schema.names).cast(schema).to_batches()


def _delete(spark: Any, path: str) -> None:
    """Delete ``path`` on whatever file system it names (local, s3a://, abfss://…)."""
    jvm = spark.sparkContext._jvm
    hadoop_path = jvm.org.apache.hadoop.fs.Path(path)
    hadoop_path.getFileSystem(spark.sparkContext._jsc.hadoopConfiguration()).delete(
        hadoop_path, True
    )


def scrub_window_on_spark(
    spark: Any,
    paths: Paths,
    days: list[date],
    key: bytes,
    store: str,
    patterns: str | None = None,
) -> SparkScrubbed:
    """Scrub and pseudonymize the raw days of the window on Spark into a staging folder
    of ``store`` (Parquet, partitioned by ``partition_date``), not yet committed."""
    started = time.perf_counter()
    pattern_file = Path(patterns) if patterns else None
    staging = f"{store}/_staging/{uuid.uuid4().hex}"
    event_files = [str(f) for d in days if (f := _raw_file(paths, d, "events", EVENT_SCHEMA))]
    conversation_files = [
        str(f) for d in days if (f := _raw_file(paths, d, "conversations", CONVERSATION_SCHEMA))
    ]
    try:
        return _stage_window(
            spark, days, key, store, staging, pattern_file, event_files, conversation_files, started
        )
    except BaseException:
        # Rows of a window the gate has not seen: not left on the store by a failure.
        _delete_quietly(spark, staging)
        raise


def _stage_window(
    spark: Any,
    days: list[date],
    key: bytes,
    store: str,
    staging: str,
    pattern_file: Path | None,
    event_files: list[str],
    conversation_files: list[str],
    started: float,
) -> SparkScrubbed:
    per_day: Counter[tuple[date, str]] = Counter()
    event_rows = conversation_rows = 0
    if event_files:
        events = spark.read.parquet(*event_files).select(*_event_schema().names)
        ordered = events.repartition("partition_date", "conversation_id").sortWithinPartitions(
            "partition_date", "conversation_id", "seq"
        )
        scrubbed = ordered.mapInArrow(
            lambda batches: _scrub_partition(batches, key, pattern_file),
            spark_schema(_scrubbed_event_schema()),
        ).localCheckpoint(eager=True)  # scrubbed once: written and counted from here
        for day, detections in (
            scrubbed.where(f"{DETECTIONS} is not null")
            .select("partition_date", DETECTIONS)
            .collect()
        ):
            for entity, count in json.loads(detections).items():
                per_day[(day, entity)] += count
        event_rows = scrubbed.count()
        scrubbed.drop(DETECTIONS).write.mode("overwrite").partitionBy("partition_date").parquet(
            f"{staging}/{SCRUBBED_EVENTS.table_name}"
        )
    if conversation_files:
        conversations = spark.read.parquet(*conversation_files).select(
            "partition_date", *CONVERSATION_SCHEMA.names
        )
        conversation_rows = conversations.count()
        conversations.mapInArrow(
            lambda batches: _pseudonymize_partition(batches, key),
            spark_schema(SCRUBBED_CONVERSATIONS.columns),
        ).write.mode("overwrite").partitionBy("partition_date").parquet(
            f"{staging}/{SCRUBBED_CONVERSATIONS.table_name}"
        )
    counts = [
        (day, {entity: n for (d, entity), n in sorted(per_day.items()) if d == day}) for day in days
    ]
    return SparkScrubbed(
        store=store,
        staging=staging,
        detections=_detections_table(counts),
        seconds=time.perf_counter() - started,
        conversations=conversation_rows,
        events=event_rows,
    )


def _scan_partition(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    """``leakscan.scan_rows`` over (conversation_id, text, ids_only) rows; an ids-only
    row (ids and labels) counts only the id rule's types, as in the warehouse gate."""
    for batch in batches:
        leaks = []
        for cid, text, ids_only in zip(*(c.to_pylist() for c in batch.columns), strict=True):
            leaks.extend(
                leak
                for leak in scan_rows([(cid, text)])
                if not ids_only or leak.entity_type in ID_ENTITY_TYPES
            )
        yield pa.record_batch(
            [
                pa.array([leak.conversation_id for leak in leaks], pa.string()),
                pa.array([leak.entity_type for leak in leaks], pa.string()),
            ],
            names=["conversation_id", "entity_type"],
        )


def _read_staged(spark: Any, path: str) -> Any | None:
    """The staged Parquet at ``path``; None when nothing was staged there (the window had
    no rows of that table)."""
    from pyspark.errors import AnalysisException

    try:
        return spark.read.parquet(path)
    except AnalysisException as error:
        if "PATH_NOT_FOUND" in str(error):
            return None
        raise


def spark_leak_verdict(spark: Any, scrubbed: SparkScrubbed) -> LeakVerdict:
    """The warehouse gate's scan (``load.leak_verdict``: the same columns, prefilter and
    scanner) over the staged window, as one Spark job; names ids and types, never values."""
    from pyspark.sql import functions as F
    from pyspark.sql.types import StringType, StructField, StructType

    leak_schema = StructType(
        [StructField("conversation_id", StringType()), StructField("entity_type", StringType())]
    )
    scans = []
    for table in GATED_TABLES:
        rows = _read_staged(spark, scrubbed.staged(table))
        if rows is None:
            continue
        free_text, labels = gated_columns(table)
        label_columns = [
            F.regexp_replace(F.col(c), OWN_PSEUDONYM_ID, "") if c == "conversation_id" else F.col(c)
            for c in labels
        ]
        for columns, ids_only in (([F.col(c) for c in free_text], False), (label_columns, True)):
            if columns:
                scans.append(
                    rows.select(
                        F.col("conversation_id"),
                        F.concat_ws(" | ", *columns).alias("t"),
                        F.lit(ids_only).alias("ids_only"),
                    )
                )
    if not scans:
        return verdict_of([])
    candidates = functools.reduce(lambda a, b: a.unionByName(b), scans).where(
        F.col("t").rlike(LEAK_CANDIDATE)
    )
    found = candidates.mapInArrow(_scan_partition, leak_schema).collect()
    return verdict_of(Leak(cid, entity) for cid, entity in found)


def commit_window(spark: Any, scrubbed: SparkScrubbed) -> None:
    """The staged partitions replace the window's partitions in the store (dynamic
    partition overwrite: other days are kept), then the staging folder is deleted."""
    for table in (SCRUBBED_CONVERSATIONS, SCRUBBED_EVENTS):
        staged = _read_staged(spark, scrubbed.staged(table))
        if staged is not None:
            staged.write.mode("overwrite").option("partitionOverwriteMode", "dynamic").partitionBy(
                "partition_date"
            ).parquet(scrubbed.committed(table))
    discard(spark, scrubbed)


def discard(spark: Any, scrubbed: SparkScrubbed) -> None:
    """Delete the staging folder (a failed gate: nothing of the window is kept)."""
    _delete(spark, scrubbed.staging)


def _delete_quietly(spark: Any, path: str) -> None:
    """:func:`_delete` on a failure path: the failure being raised is the one to report."""
    with contextlib.suppress(Exception):  # best effort: the original error propagates
        _delete(spark, path)


class StagedRowsMismatch(RuntimeError):
    """The staged window read back has other row counts than were written to staging:
    loading it would replace the window's days with the wrong rows."""


def _check_staged_rows(staged: SparkScrubbed, window: ScrubbedWindow) -> None:
    read = (window.conversations.rows, window.events.rows)
    if read != (staged.conversations, staged.events):
        raise StagedRowsMismatch(
            f"the staged window read back {read[0]:,} conversations and {read[1]:,} events, "
            f"but {staged.conversations:,} and {staged.events:,} were staged: nothing loaded"
        )


@contextmanager
def staged_window(
    scrubbed: SparkScrubbed, paths: Paths, spark: Any = None, through_spark: bool | None = None
) -> Iterator[ScrubbedWindow]:
    """The staged window as the warehouse load takes it (``load.write_window``): Parquet
    files of the tables' schemas in an owner-only scratch folder of the home, removed
    when the block ends. A store on this machine's file system (a path or ``file:``) is
    read by DuckDB directly; any other (object storage) through ``spark``, streamed a
    batch at a time (``through_spark`` forces either way)."""
    if through_spark is None:
        through_spark = not is_local_uri(scrubbed.store)
    if through_spark and spark is None:
        raise ValueError("the staged window is not on a local path: reading it needs Spark")
    scratch = Path(tempfile.mkdtemp(prefix=".scrub-scratch-", dir=paths.home))
    try:
        files = {}
        for table in (SCRUBBED_CONVERSATIONS, SCRUBBED_EVENTS):
            files[table] = PartitionFile(table, scratch / f"{table.table_name}.parquet")
            batches = (
                _staged_through_spark(spark, scrubbed.staged(table))
                if through_spark
                else _staged_through_duckdb(scrubbed.staged(table))
            )
            for batch in batches:
                files[table].write(pa.Table.from_batches([batch]))
            files[table].close()
        yield ScrubbedWindow(
            conversations=files[SCRUBBED_CONVERSATIONS],
            events=files[SCRUBBED_EVENTS],
            detections=scrubbed.detections,
            seconds=scrubbed.seconds,
        )
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _staged_through_duckdb(uri: str) -> Iterator[pa.RecordBatch]:
    """A staged table on this machine read by DuckDB, 100,000 rows at a time."""
    staged = Path(uri.removeprefix("file:"))
    if not staged.is_dir():
        return
    con = duckdb.connect()
    try:
        yield from con.sql(
            "select * from read_parquet(?, hive_partitioning = true, "
            "hive_types = {'partition_date': date})",
            params=[f"{staged}/**/*.parquet"],
        ).to_arrow_reader(100_000)
    finally:
        con.close()


def _staged_through_spark(spark: Any, uri: str) -> Iterator[pa.RecordBatch]:
    """A staged table on any file system Spark reads, streamed to the driver as Arrow
    batches (:func:`arrow_batches`: one Spark partition at a time, never the window)."""
    rows = _read_staged(spark, uri)
    if rows is not None:
        yield from arrow_batches(rows)


@dataclass(frozen=True)
class SparkScrubResult:
    """What the scrub stage reports: rows written (0 when the gate stopped the window),
    detections per type, seconds, and the gate's verdict."""

    conversations: int
    events: int
    totals: dict[str, int]
    seconds: float
    verdict: LeakVerdict


def scrub_on_spark(
    spark: Any,
    paths: Paths,
    days: list[date],
    key: PiiKey,
    con: duckdb.DuckDBPyConnection,
    store: str,
    patterns: str | None = None,
    through_spark: bool | None = None,
) -> SparkScrubResult:
    """The scrub stage on Spark: scrub the window into the store's staging folder, run
    the leak gate on Spark over it, and only if it passes load the window into the
    warehouse (``write_window``, whose own gate runs again in the transaction) and commit
    the staged partitions to the store. A leak at either gate commits nothing.
    ``through_spark``: how the load reads the staged window (:func:`staged_window`)."""
    staged = scrub_window_on_spark(spark, paths, days, key.key, store, patterns)
    try:
        verdict = spark_leak_verdict(spark, staged)
        if verdict.passed:
            with staged_window(staged, paths, spark, through_spark) as window:
                _check_staged_rows(staged, window)
                verdict = write_window(con, days, window, key)
    except BaseException:
        _delete_quietly(spark, staged.staging)  # ungated rows are not left on the store
        raise
    if not verdict.passed:
        discard(spark, staged)
        return SparkScrubResult(0, 0, {}, staged.seconds, verdict)
    commit_window(spark, staged)
    return SparkScrubResult(
        window.conversations.rows, window.events.rows, window.totals, staged.seconds, verdict
    )
