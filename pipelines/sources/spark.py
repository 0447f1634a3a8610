"""Ingest validation as a Spark job (``engine: spark``, docs/scale-out.md).

The run's landing files are distributed to Spark's executors, one file per task
(``mapInArrow`` over the file list). Each task runs the same per-file step as the local
path, :func:`pipelines.sources.files.judge_to_folder` (read, validate, normalize, the
contract, the file's own rejects), into a temporary owner-only folder, and returns the
file's outcomes (accepted conversations, their events and records, and the quarantine)
as Arrow record batches, serialized one batch per row. The driver writes them back as the
per-file Parquet :func:`pipelines.sources.ingest.ingest_days` reads, which then does
the cross-file steps exactly as for the local engine: latest delivery wins, superseded and
stranded records quarantined, every record counted, the raw store and quarantine
written per day (``raw/dt=YYYY-MM-DD/``) and the audit rows reported.

So every record is loaded or quarantined with the same reason by both engines, and
the raw store, the quarantine and ``main.ingest_audit`` are the same.

pyspark is imported lazily: it is only installed with the ``spark`` extra.
"""

from __future__ import annotations

import functools
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from pipelines.sources.column_map import ColumnMap
from pipelines.sources.files import IngestBug, SpilledFile, judge_to_folder
from pipelines.sources.ingest import FileJudge, judge_files
from pipelines.sources.scratch import IngestBudget
from pipelines.spark_session import SparkTarget
from pipelines.warehouse.spark import spark_schema

# What judge_to_folder spills per file (SpilledFile.part), all shipped back.
PARTS = ("conversations", "events", "quarantine", "records")
# Rows and bytes of one part per Arrow batch shipped from an executor: both bound one
# binary value (Arrow's and Spark's binary values stop at 2 GB; records can be huge).
SHIP_BATCH_ROWS = 10_000
SHIP_BATCH_BYTES = 64 * 1024 * 1024

_FILES_SCHEMA = pa.schema(
    [
        pa.field("file_order", pa.int64(), nullable=False),
        pa.field("path", pa.string(), nullable=False),
        pa.field("source_file", pa.string(), nullable=False),
    ]
)
_SHIPPED_SCHEMA = pa.schema(
    [
        pa.field("file_order", pa.int64(), nullable=False),
        pa.field("records_read", pa.int64(), nullable=False),
        pa.field("record_kind", pa.string(), nullable=False),
        pa.field("part", pa.string(), nullable=False),
        # an Arrow IPC stream: the part's schema and at most one batch of its rows
        pa.field("batch", pa.binary(), nullable=False),
    ]
)
# The ``part`` of the row a task ships instead of a file's outcomes when judging it
# raised IngestBug: its ``batch`` is the bug's own (PII-free) message, so the driver
# reports it without parsing any of Spark's error text.
BUG_PART = "_ingest_bug"


def _ipc(schema: pa.Schema, batches: Iterable[pa.RecordBatch]) -> bytes:
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, schema) as writer:
        for batch in batches:
            writer.write_batch(batch)
    return sink.getvalue().to_pybytes()


def _cut(batch: pa.RecordBatch, limit: int) -> Iterator[pa.RecordBatch]:
    """``batch`` in order, halved until each piece is at most ``limit`` bytes (or one row)."""
    if batch.num_rows <= 1 or batch.nbytes <= limit:
        yield batch
        return
    half = batch.num_rows // 2
    yield from _cut(batch.slice(0, half), limit)
    yield from _cut(batch.slice(half), limit)


def _shipped(file: SpilledFile, order: int) -> Iterator[pa.RecordBatch]:
    """One row per Arrow batch of each part of a judged file (a part without rows: one
    row with its schema only, so the driver writes the same empty file as the local path)."""
    for part in PARTS:
        parquet = pq.ParquetFile(file.part(part))
        schema = parquet.schema_arrow
        blobs = [
            _ipc(schema, [piece])
            for batch in parquet.iter_batches(SHIP_BATCH_ROWS)
            for piece in _cut(batch, SHIP_BATCH_BYTES)
        ] or [_ipc(schema, [])]
        parquet.close()
        for blob in blobs:
            yield pa.record_batch(
                [
                    pa.array([order], pa.int64()),
                    pa.array([file.records_read], pa.int64()),
                    pa.array([file.record_kind], pa.string()),
                    pa.array([part], pa.string()),
                    pa.array([blob], pa.binary()),
                ],
                schema=_SHIPPED_SCHEMA,
            )


def _judge_partition(
    batches: Iterator[pa.RecordBatch], column_map: ColumnMap, budget: IngestBudget, spill: str
) -> Iterator[pa.RecordBatch]:
    """An executor's task: each of its landing files judged by the local path's per-file
    step into a temporary owner-only folder (in ``spill``, the driver's scratch folder,
    when this executor sees it: local mode; else the executor's temp dir), shipped back
    as Arrow batches, and the folder removed."""
    where = spill if Path(spill).is_dir() else None
    for batch in batches:
        for order, path, source_file in zip(*(c.to_pylist() for c in batch.columns), strict=True):
            with tempfile.TemporaryDirectory(prefix="judge-", dir=where) as folder:
                try:
                    file = judge_to_folder(
                        Path(path), source_file, column_map, Path(folder), budget
                    )
                except IngestBug as bug:
                    yield bug_row(order, bug)
                    return
                yield from _shipped(file, order)


def bug_row(order: int, bug: IngestBug) -> pa.RecordBatch:
    """The row a task ships for a file whose judging raised ``bug``."""
    return pa.record_batch(
        [
            pa.array([order], pa.int64()),
            pa.array([0], pa.int64()),
            pa.array([""], pa.string()),
            pa.array([BUG_PART], pa.string()),
            pa.array([str(bug).encode()], pa.binary()),
        ],
        schema=_SHIPPED_SCHEMA,
    )


def _withheld(error: Exception) -> IngestBug:
    """A failed Spark job as the local path reports a bug: only the error's type, since
    Spark's message can quote a worker's traceback and the values in it (an executor's
    own IngestBug comes back as a row instead, :func:`bug_row`)."""
    return IngestBug(
        f"judging the landing files on Spark failed with {type(error).__name__} (a bug or "
        "a failed executor; its message is withheld because it may quote record values)"
    )


def _write_back(rows: Iterable[Any], scratch: Path, count: int) -> dict[int, tuple[int, str]]:
    """The shipped batches written to ``scratch/<file_order>/<part>.parquet`` (what
    ``judge_to_folder`` writes locally); returns each file's (records_read, record_kind)."""
    meta: dict[int, tuple[int, str]] = {}
    writers: dict[tuple[int, str], pq.ParquetWriter] = {}
    closed: set[int] = set()
    current: int | None = None

    def close(order: int | None) -> None:
        for key in [k for k in writers if k[0] == order]:
            writers.pop(key).close()
        if order is not None:
            closed.add(order)

    try:
        for row in rows:
            order = int(row["file_order"])
            if row["part"] == BUG_PART:
                raise IngestBug(bytes(row["batch"]).decode())
            if order != current:
                close(current)
                current = order
            if order in closed:
                raise RuntimeError(f"file {order}'s judged rows came back split; a bug")
            reader = pa.ipc.open_stream(pa.py_buffer(bytes(row["batch"])))
            key = (order, str(row["part"]))
            if key not in writers:
                folder = scratch / str(order)
                folder.mkdir(mode=0o700, exist_ok=True)
                writers[key] = pq.ParquetWriter(
                    folder / f"{key[1]}.parquet", reader.schema, compression="zstd"
                )
            for batch in reader:
                writers[key].write_batch(batch)
            meta[order] = (int(row["records_read"]), str(row["record_kind"]))
    finally:
        for writer in writers.values():
            writer.close()
    missing = [
        order
        for order in range(count)
        if order not in meta
        or any(not (scratch / str(order) / f"{part}.parquet").exists() for part in PARTS)
    ]
    if missing:
        raise RuntimeError(f"{len(missing)} landing files came back from Spark unjudged; a bug")
    return meta


def judge_files_on_spark(
    spark: Any,
    files: Sequence[Path],
    source_files: Sequence[str],
    column_map: ColumnMap,
    scratch: Path,
    budget: IngestBudget,
) -> list[SpilledFile]:
    """:func:`pipelines.sources.ingest.judge_files` as one Spark job: one task per file."""
    if not files:
        return []
    from pyspark import StorageLevel

    listing = [
        (order, str(path), source_file)
        for order, (path, source_file) in enumerate(zip(files, source_files, strict=True))
    ]
    frame = spark.createDataFrame(
        spark.sparkContext.parallelize(listing, len(listing)), spark_schema(_FILES_SCHEMA)
    )
    task = functools.partial(
        _judge_partition, column_map=column_map, budget=budget, spill=str(scratch)
    )
    judged = None
    try:
        # Every file judged in one parallel job, kept by the executors; then fetched a
        # file at a time, so the driver never holds more than one file's outcomes.
        # (Persisted rather than localCheckpoint-ed: a checkpoint's blocks cannot be
        # dropped, and these are raw records.)
        judged = frame.mapInArrow(task, spark_schema(_SHIPPED_SCHEMA)).persist(
            StorageLevel.MEMORY_AND_DISK
        )
        judged.count()
        meta = _write_back(
            (row.asDict() for row in judged.toLocalIterator(prefetchPartitions=True)),
            scratch,
            len(listing),
        )
    except IngestBug:
        raise
    except Exception as error:  # re-raised without its text, as judge_to_folder does
        bug = _withheld(error)
    else:
        return [
            SpilledFile(
                path=Path(path),
                source_file=source_file,
                record_kind=meta[order][1],
                records_read=meta[order][0],
                folder=scratch / str(order),
            )
            for order, path, source_file in listing
        ]
    finally:
        # The persisted blocks are raw judged records (the executors' memory, spilled
        # to spark.local.dir): dropped as soon as they are written back.
        if judged is not None:
            judged.unpersist(blocking=True)
    raise bug


def spark_judge(spark: Any) -> FileJudge:
    """The :class:`~pipelines.sources.ingest.FileJudge` of the Spark engine:
    ``ingest_days(..., judge=spark_judge(spark))``."""
    return functools.partial(judge_files_on_spark, spark)


@contextmanager
def engine_judge(engine: str, target: SparkTarget | None = None) -> Iterator[FileJudge]:
    """The :class:`~pipelines.sources.ingest.FileJudge` of the ``engine`` setting, for
    the ``raw_transcripts`` asset and ``closedloop ingest check`` alike: engine spark
    judges the files as one Spark job on ``target``'s session (the spark_master and
    spark_conf settings; default: the active session, else a local one), stopped when
    the block ends (no JVM is started otherwise); any other engine judges them in this
    process (:func:`~pipelines.sources.ingest.judge_files`)."""
    if engine != "spark":
        yield judge_files
        return
    with (target or SparkTarget()).session("closedloop-ingest") as spark:
        yield spark_judge(spark)
