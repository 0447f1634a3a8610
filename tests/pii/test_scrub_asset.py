"""Materialize scrubbed_transcripts on raw parquet written like the ingestion asset."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import dagster as dg
import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipelines.config import paths
from pipelines.defs.resources import WarehouseResource
from pipelines.defs.scrub import scrubbed_transcripts
from pipelines.pii import ScrubbedBatch
from pipelines.pii import load as scrub_defs  # where the scrub asset looks them up

raw_transcripts = dg.AssetSpec(
    "raw_transcripts", partitions_def=scrubbed_transcripts.partitions_def
)


def write_raw(home: Path, day: date, tables: tuple[pa.Table, pa.Table]) -> None:
    conversations, events = tables
    day_dir = paths(home).ensure().raw_day(day)
    day_dir.mkdir(parents=True, exist_ok=True)
    pq.write_table(conversations, day_dir / "conversations.parquet")
    pq.write_table(events, day_dir / "events.parquet")


def materialize(home: Path, day: date) -> dg.ExecuteInProcessResult:
    return dg.materialize(
        [raw_transcripts, scrubbed_transcripts],
        selection=[scrubbed_transcripts],
        partition_key=day.isoformat(),
        resources={"warehouse": WarehouseResource(home=str(home))},
        raise_on_error=False,
    )


def test_writes_scrubbed_tables_idempotently(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, day: date, tables: tuple[pa.Table, pa.Table]
) -> None:
    monkeypatch.delenv("CLOSEDLOOP_PII_KEY", raising=False)
    write_raw(tmp_path, day, tables)
    for _ in range(2):
        result = materialize(tmp_path, day)
        assert result.success
        (check,) = result.get_asset_check_evaluations()
        assert check.passed
    assert (tmp_path / "raw" / "pii.key").exists()
    con = duckdb.connect(str(paths(tmp_path).warehouse), read_only=True)
    assert con.execute("select count(*) from scrubbed.conversations").fetchone() == (6,)
    assert con.execute("select count(*) from scrubbed.events").fetchone() == (24,)
    texts = [row[0] for row in con.execute("select text from scrubbed.events").fetchall()]
    assert not any("415-555" in (t or "") or "@gmail" in (t or "") for t in texts)
    assert con.execute(
        "select count from main.pii_detections_daily where entity_type = 'EMAIL'"
    ).fetchone() == (12,)
    customer_keys = [
        r[0] for r in con.execute("select customer_key from scrubbed.conversations").fetchall()
    ]
    assert all(k.startswith("c_") for k in customer_keys)


def test_leak_gate_fails_when_scrubbing_misses(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, day: date, tables: tuple[pa.Table, pa.Table]
) -> None:
    monkeypatch.setenv("CLOSEDLOOP_PII_KEY", "00" * 32)

    def broken_scrubber(
        events: pa.Table, key: bytes, workers: int | None = None, patterns: Path | None = None
    ) -> ScrubbedBatch:
        """A detector bug: text passes through unscrubbed."""
        renamed = events.rename_columns(
            ["agent_key" if name == "agent_id" else name for name in events.column_names]
        )
        return ScrubbedBatch(renamed, {})

    monkeypatch.setattr(scrub_defs, "scrub_events", broken_scrubber)
    write_raw(tmp_path, day, tables)
    result = materialize(tmp_path, day)
    (check,) = result.get_asset_check_evaluations()
    assert not check.passed
    assert check.metadata["leaks_by_type"].data == {"CREDIT_CARD": 6, "EMAIL": 6, "PHONE": 6}
    assert "2025-03-04-c0: EMAIL" in (check.description or "")
    assert "gmail" not in (check.description or "") and "4111" not in str(check.metadata)
    # The leak is rolled back, so no later run's publish can copy it to analysts.
    with duckdb.connect(str(tmp_path / "warehouse" / "warehouse.duckdb"), read_only=True) as con:
        assert con.execute("select count(*) from scrubbed.events").fetchone() == (0,)


def test_the_leak_gate_also_scans_payloads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, day: date, tables: tuple[pa.Table, pa.Table]
) -> None:
    monkeypatch.setenv("CLOSEDLOOP_PII_KEY", "00" * 32)
    real = scrub_defs.scrub_events

    def payload_leaking_scrubber(
        events: pa.Table, key: bytes, workers: int | None = None, patterns: Path | None = None
    ) -> ScrubbedBatch:
        """Text is scrubbed but a payload field carries an email through."""
        batch = real(events, key, workers=workers, patterns=patterns)
        payloads = pa.array(
            ['{"note": "reach me at jane.doe@example.com"}'] * batch.events.num_rows
        )
        index = batch.events.column_names.index("payload")
        return ScrubbedBatch(batch.events.set_column(index, "payload", payloads), batch.detections)

    monkeypatch.setattr(scrub_defs, "scrub_events", payload_leaking_scrubber)
    write_raw(tmp_path, day, tables)
    (check,) = materialize(tmp_path, day).get_asset_check_evaluations()
    assert not check.passed
    assert "EMAIL" in check.metadata["leaks_by_type"].data


def test_the_leak_gate_scans_labels_and_withholds_personal_ids(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, day: date, tables: tuple[pa.Table, pa.Table]
) -> None:
    """Ingestion quarantines labels with personal data; were that ever bypassed, the gate
    still sees every text column of both tables, and never echoes a personal id."""
    monkeypatch.setenv("CLOSEDLOOP_PII_KEY", "00" * 32)
    real = scrub_defs.pseudonymize_conversations

    def label_leaking(conversations: pa.Table, key: bytes) -> pa.Table:
        table = real(conversations, key)
        intents = pa.array(["refund for mia@example.org"] * table.num_rows)
        return table.set_column(table.column_names.index("intent"), "intent", intents)

    monkeypatch.setattr(scrub_defs, "pseudonymize_conversations", label_leaking)
    write_raw(tmp_path, day, tables)
    (check,) = materialize(tmp_path, day).get_asset_check_evaluations()
    assert not check.passed
    assert check.metadata["leaks_by_type"].data == {"EMAIL": 6}
    assert "mia@" not in (check.description or "") + str(check.metadata)


def test_personal_conversation_ids_reach_the_warehouse_only_as_pseudonyms(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, day: date, tables: tuple[pa.Table, pa.Table]
) -> None:
    monkeypatch.setenv("CLOSEDLOOP_PII_KEY", "00" * 32)
    conversations, events = tables
    personal = "thread.jo.planted@example.org"
    first = conversations.column("conversation_id")[0].as_py()

    def renamed(table: pa.Table) -> pa.Table:
        ids = [personal if cid == first else cid for cid in table["conversation_id"].to_pylist()]
        index = table.column_names.index("conversation_id")
        return table.set_column(index, "conversation_id", pa.array(ids, pa.string()))

    write_raw(tmp_path, day, (renamed(conversations), renamed(events)))
    result = materialize(tmp_path, day)
    assert result.success
    (check,) = result.get_asset_check_evaluations()
    assert check.passed
    with duckdb.connect(str(paths(tmp_path).warehouse), read_only=True) as con:
        ids = {
            r[0]
            for r in con.execute("select conversation_id from scrubbed.conversations").fetchall()
        }
        event_ids = {
            r[0] for r in con.execute("select conversation_id from scrubbed.events").fetchall()
        }
    assert personal not in ids and event_ids == ids
    assert first not in ids and sum(i.startswith("cv_") for i in ids) == 1
    assert set(ids) - {i for i in ids if i.startswith("cv_")} == {
        cid for cid in conversations["conversation_id"].to_pylist() if cid != first
    }
