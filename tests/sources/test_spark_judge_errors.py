"""The Spark ingest job's driver and task steps, without Spark (tests/dbt/
test_spark_parity.py runs the real job): a failure is never reported with text from
Spark's error (which can quote record values), an executor's IngestBug with its own
message only; shipped batches are bounded in bytes as well as rows."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipelines.sources import spark as sources_spark
from pipelines.sources.files import IngestBug, SpilledFile
from pipelines.sources.spark import _withheld, _write_back, bug_row

RECORD = "Jane Doe, 12 Elm St"


@pytest.mark.parametrize(
    "error",
    [
        RuntimeError(f"Could not convert string 'IngestBug: {RECORD}' to DATE"),
        RuntimeError(f"Traceback ...\nvalue was\nIngestBug: {RECORD}\n"),
        RuntimeError(f"pipelines.sources.files.IngestBug: {RECORD}"),
    ],
)
def test_spark_error_text_never_reaches_the_report(error: Exception) -> None:
    bug = _withheld(error)
    assert RECORD not in str(bug)
    assert type(error).__name__ in str(bug)


def test_an_executors_ingest_bug_comes_back_as_its_own_message(tmp_path: Path) -> None:
    message = "judging the file failed with ValueError"
    rows = [batch.to_pylist()[0] for batch in [bug_row(0, IngestBug(message))]]
    with pytest.raises(IngestBug) as raised:
        _write_back(rows, tmp_path, 1)
    assert str(raised.value) == message


def test_shipped_batches_are_cut_by_bytes_as_well_as_rows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    limit = 10_000
    monkeypatch.setattr(sources_spark, "SHIP_BATCH_BYTES", limit, raising=False)
    records = pa.table({"n": list(range(100)), "line": ["x" * 1_000] * 100})
    for part in sources_spark.PARTS:
        pq.write_table(
            records if part == "records" else records.slice(0, 0), tmp_path / f"{part}.parquet"
        )
    file = SpilledFile(
        path=tmp_path / "f.jsonl",
        source_file="f.jsonl",
        record_kind="jsonl",
        records_read=records.num_rows,
        folder=tmp_path,
    )
    shipped = [row for batch in sources_spark._shipped(file, 0) for row in batch.to_pylist()]
    batches = [
        batch
        for row in shipped
        if row["part"] == "records"
        for batch in pa.ipc.open_stream(pa.py_buffer(row["batch"]))
    ]
    assert len(batches) > 1
    assert all(batch.nbytes <= limit for batch in batches)
    assert pa.Table.from_batches(batches).equals(records)
