"""Batch sizes and DuckDB scratch connections of an ingest run, sized by the memory budget.

Ingest never holds a day in Python objects: files are parsed and judged a batch at a
time, judged rows are spilled to Parquet in a scratch folder inside the restricted raw
area, and what needs the whole day at once (latest delivery wins, the sort of the raw
store) runs in DuckDB, which spills to that folder beyond its memory limit.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

from pipelines.config import PROCESS_BASELINE_MB, duckdb_limits
from pipelines.warehouse.io import sql_literal

# Python objects per byte of JSONL text while a batch is parsed (dicts, str, lists):
# measured ~14x on the generator's mix; rounded up for short-event conversations.
JSONL_EXPANSION = 20
# Bytes per staged row while a batch is judged (Arrow, pandas and pandera copies of
# the batch's events): measured ~1.5 KB on the generator's mix.
JUDGED_ROW_BYTES = 2_500
MB = 1024 * 1024


@dataclass(frozen=True)
class IngestBudget:
    """How much of a file ingest handles at a time."""

    # JSONL text parsed into Python objects at a time.
    batch_bytes: int
    # Staged rows (events) judged in Python at a time; a larger conversation is one batch.
    batch_rows: int
    # DuckDB's memory_limit for staging, normalization and the raw store's sort (the
    # staged rows, normalization's joins and the sort live there; it spills beyond it).
    duckdb_memory_mb: int
    # DuckDB's threads; None: DuckDB's default (every core).
    duckdb_threads: int | None = None

    @classmethod
    def from_budget(cls, memory_budget_mb: int) -> IngestBudget:
        # DuckDB's share is the run's one split (pipelines.config.duckdb_limits): ~0.5 GB
        # for the process, half of the rest for DuckDB, the other half for the batches.
        limits = duckdb_limits(memory_budget_mb)
        working = max(memory_budget_mb - PROCESS_BASELINE_MB, 128)
        python_bytes = (working - limits.memory_mb) * MB
        return cls(
            batch_bytes=max(python_bytes // JSONL_EXPANSION, MB),
            batch_rows=max(python_bytes // JUDGED_ROW_BYTES, 10_000),
            duckdb_memory_mb=limits.memory_mb,
            duckdb_threads=limits.threads,
        )


def scratch_connection(
    spill_dir: Path, memory_mb: int, threads: int | None = None, checkpoints: bool = True
) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB that spills to ``spill_dir`` beyond ``memory_mb`` (on
    ``threads``, None: every core); naive timestamps read as UTC (the session zone
    decides how they are parsed).

    ``checkpoints`` off: DuckDB never checkpoints (compresses) its tables. For a file
    that fits in ``memory_mb`` that saves the compression of the staged rows (dictionary,
    FSST, zstd: 2.5-3 CPU seconds of a 100k JSONL day) for tables read two or three
    times; a larger one spills, and compressed blocks spill less (the 1M JSONL day took
    ~10% more CPU without checkpoints), so it keeps them (``docs/performance.md``)."""
    con = duckdb.connect()
    con.execute("set TimeZone = 'UTC'")
    if not checkpoints:
        con.execute("set checkpoint_threshold = '1TB'")
    con.execute(f"set memory_limit = '{int(memory_mb)}MiB'")
    if threads is not None:
        con.execute(f"set threads = {int(threads)}")
    con.execute(f"set temp_directory = {sql_literal(str(spill_dir))}")
    return con


def fits_in_memory(path: Path, memory_mb: int) -> bool:
    """Whether a landing file is plainly smaller than ``memory_mb`` (a compressed file's
    text size is unknown: no)."""
    try:
        size = path.lstat().st_size  # never follows a link (landing entries are refused later)
    except OSError:
        return False
    return not path.name.lower().endswith(".gz") and size < memory_mb * MB
