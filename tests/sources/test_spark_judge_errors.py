"""How a failed Spark ingest job is reported, without Spark: never with text from
Spark's error (which can quote record values), an executor's IngestBug with its own
message only (tests/dbt/test_spark_parity.py runs the real job)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.sources.files import IngestBug
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
