"""Dagster wiring: raw_transcripts over a partition range writes raw files and ingest_audit."""

from __future__ import annotations

import json
from datetime import date

import dagster as dg
import duckdb
import pyarrow.parquet as pq
import pytest

from pipelines.config import paths
from pipelines.defs.ingest import (
    defs,
    ingest_audit_reconciles,
    landing_zone_sensor,
    raw_transcripts,
)
from pipelines.defs.resources import WarehouseResource
from tests.sources.ingest_helpers import conversation, write_jsonl

RANGE = {
    "dagster/asset_partition_range_start": "2025-03-01",
    "dagster/asset_partition_range_end": "2025-03-02",
}


def test_materialize_a_two_day_range_writes_raw_files_and_a_reconciled_audit(tmp_path):
    home = paths(tmp_path).ensure()
    write_jsonl(
        home,
        date(2025, 3, 1),
        "a.jsonl",
        [
            conversation("one", "2025-03-01T09:00:00+00:00"),
            conversation("two", "2025-03-02T09:00:00+00:00"),
        ],
    )
    warehouse = WarehouseResource(home=str(tmp_path))
    for _ in range(2):  # a re-run replaces the window's audit rows
        result = dg.materialize(
            [raw_transcripts, ingest_audit_reconciles],
            resources={"warehouse": warehouse},
            tags=RANGE,
        )
        assert result.success
    checks = result.get_asset_check_evaluations()
    assert [c.passed for c in checks] == [True]
    with duckdb.connect(str(home.warehouse)) as con:
        audit = con.execute(
            "select partition_date::varchar, source_file, records_read, records_loaded, "
            "records_quarantined, reason_counts from main.ingest_audit order by 1"
        ).fetchall()
    assert [row[:5] for row in audit] == [
        ("2025-03-01", "dt=2025-03-01/a.jsonl", 1, 1, 0),
        ("2025-03-02", "dt=2025-03-01/a.jsonl", 1, 1, 0),
    ]
    assert json.loads(audit[0][5]) == {}
    for day in (date(2025, 3, 1), date(2025, 3, 2)):
        assert (home.raw_day(day) / "events.parquet").exists()


def test_sensor_requests_affected_partitions_once_per_file_version(tmp_path):
    home = paths(tmp_path).ensure()
    write_jsonl(
        home, date(2025, 3, 2), "late.jsonl", [conversation("x", "2025-03-01T22:00:00+00:00")]
    )
    warehouse = WarehouseResource(home=str(tmp_path))
    context = dg.build_sensor_context(resources={"warehouse": warehouse})
    result = landing_zone_sensor(context)
    assert [r.partition_key for r in result.run_requests] == ["2025-03-01"]
    again = landing_zone_sensor(
        dg.build_sensor_context(cursor=result.cursor, resources={"warehouse": warehouse})
    )
    assert again.run_requests == []
    assert landing_zone_sensor.default_status == dg.DefaultSensorStatus.STOPPED


def test_a_stray_file_in_landing_does_not_break_the_sensor(tmp_path):
    """Files directly in landing/ or in a folder named for no real day belong to no
    delivery: the sensor leaves them out instead of raising on every tick."""
    home = paths(tmp_path).ensure()
    (home.landing / "notes.csv").write_text("conversation_id,sent_at,actor\n")
    (home.landing / "dt=2025-02-30").mkdir()
    (home.landing / "dt=2025-02-30" / "x.jsonl").write_text("{}\n")
    (home.landing / "misc").mkdir()
    (home.landing / "misc" / "y.jsonl").write_text("{}\n")
    write_jsonl(home, date(2025, 3, 1), "a.jsonl", [conversation("x", "2025-03-01T09:00:00+00:00")])
    warehouse = WarehouseResource(home=str(tmp_path))
    result = landing_zone_sensor(dg.build_sensor_context(resources={"warehouse": warehouse}))
    assert [r.partition_key for r in result.run_requests] == ["2025-03-01"]
    assert list(json.loads(result.cursor)) == ["dt=2025-03-01/a.jsonl"]


def test_definitions_load_with_the_shared_warehouse_resource(tmp_path):
    from pipelines.defs.schedules import defs as schedule_defs  # the sensor's target job

    merged = dg.Definitions.merge(
        defs,
        schedule_defs,
        dg.Definitions(resources={"warehouse": WarehouseResource(home=str(tmp_path))}),
    )
    assert merged.resolve_asset_graph().get_all_asset_keys() == {dg.AssetKey("raw_transcripts")}
    assert merged.resolve_sensor_def("landing_zone_sensor") is not None


def test_a_day_whose_landing_files_are_gone_is_refused_before_raw_is_touched(tmp_path):
    home = paths(tmp_path).ensure()
    day = date(2025, 3, 1)
    landed = write_jsonl(home, day, "a.jsonl", [conversation("c1", "2025-03-01T09:00:00+00:00")])
    warehouse = WarehouseResource(home=str(tmp_path))
    assert dg.materialize(
        [raw_transcripts], resources={"warehouse": warehouse}, partition_key="2025-03-01"
    ).success
    with warehouse.connect() as con:  # what the scrub step would have published
        con.execute("create schema scrubbed")
        con.execute(
            "create table scrubbed.conversations (partition_date date, conversation_id varchar)"
        )
        con.execute("insert into scrubbed.conversations values ('2025-03-01', 'c1')")
    raw_files = sorted(home.raw_day(day).glob("*.parquet")) + sorted(
        home.quarantine_day(day).glob("*.parquet")
    )
    before = {f: f.read_bytes() for f in raw_files}
    landed.unlink()  # raw retention (or a cleanup) purged the landing folder
    with pytest.raises(dg.Failure, match=r"2025-03-01 \(1 conversations\)"):
        dg.materialize(
            [raw_transcripts], resources={"warehouse": warehouse}, partition_key="2025-03-01"
        )
    assert {f: f.read_bytes() for f in raw_files} == before
    assert pq.read_table(home.raw_day(day) / "conversations.parquet").num_rows == 1
    with warehouse.connect() as con:
        assert con.execute("select count(*) from scrubbed.conversations").fetchone() == (1,)


def test_the_column_map_setting_is_used_when_the_run_config_names_none(tmp_path, monkeypatch):
    home = paths(tmp_path).ensure()
    folder = home.landing_day(date(2025, 3, 1))
    folder.mkdir(parents=True)
    (folder / "e.csv").write_text("ticket,when,who,body\nt1,2025-03-01T09:00:00Z,customer,hi\n")
    column_map = tmp_path / "map.yaml"
    column_map.write_text(
        "columns: {ticket: conversation_id, when: sent_at, who: actor, body: text}\n"
    )
    monkeypatch.setenv("CLOSEDLOOP_COLUMN_MAP", str(column_map))
    warehouse = WarehouseResource(home=str(tmp_path))
    result = dg.materialize(
        [raw_transcripts], resources={"warehouse": warehouse}, partition_key="2025-03-01"
    )
    assert result.success
    loaded = pq.read_table(home.raw_day(date(2025, 3, 1)) / "conversations.parquet")
    assert loaded["conversation_id"].to_pylist() == ["t1"]
    sensor = landing_zone_sensor(dg.build_sensor_context(resources={"warehouse": warehouse}))
    assert [r.partition_key for r in sensor.run_requests] == ["2025-03-01"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("columns: {ticket: conversation_idd}\n", "conversation_idd"),
        ("columns: [ticket\n", "not valid YAML"),
    ],
)
def test_a_broken_column_map_setting_is_a_clear_failure(tmp_path, monkeypatch, text, message):
    paths(tmp_path).ensure()
    column_map = tmp_path / "map.yaml"
    column_map.write_text(text)
    monkeypatch.setenv("CLOSEDLOOP_COLUMN_MAP", str(column_map))
    with pytest.raises(dg.Failure, match=message) as failure:
        dg.materialize(
            [raw_transcripts],
            resources={"warehouse": WarehouseResource(home=str(tmp_path))},
            partition_key="2025-03-01",
        )
    assert "CLOSEDLOOP_COLUMN_MAP" in failure.value.description


def _small_bad_file_next_to_a_large_good_one(home) -> None:
    day = date(2025, 3, 1)
    good = [conversation(f"good-{i}", "2025-03-01T09:00:00+00:00") for i in range(200)]
    write_jsonl(home, day, "big.jsonl", good)
    bad = [conversation(f"fax-{i}", "2025-03-01T09:00:00+00:00", channel="fax") for i in range(2)]
    write_jsonl(home, day, "small.jsonl", bad)


@pytest.mark.parametrize("mode", ["fail", "warn"])
def test_the_file_threshold_setting_reaches_ingest_and_the_run_summary(
    tmp_path, monkeypatch, capfd, mode
):
    """issue 13.2 wiring: quarantine_file_threshold from the settings; either way the
    per-file outcome (top reasons) is in the step's metadata the CLI summary prints."""
    monkeypatch.setenv("CLOSEDLOOP_QUARANTINE_FILE_THRESHOLD", mode)
    monkeypatch.delenv("CLOSEDLOOP_CONFIG", raising=False)
    home = paths(tmp_path).ensure()
    _small_bad_file_next_to_a_large_good_one(home)
    result = dg.materialize(
        [raw_transcripts],
        resources={"warehouse": WarehouseResource(home=str(tmp_path))},
        partition_key="2025-03-01",
        raise_on_error=False,
    )
    expected = "dt=2025-03-01/small.jsonl: 2 of 2 records quarantined (100.0% bad; top reasons: unknown_channel=2)"
    if mode == "fail":
        assert not result.success
        (failure,) = [e for e in result.all_events if e.event_type_value == "STEP_FAILURE"]
        metadata = failure.step_failure_data.user_failure_data.metadata
    else:
        assert result.success
        (materialization,) = result.asset_materializations_for_node("raw_transcripts")
        metadata = materialization.metadata
        assert "quarantine_file_threshold=warn" in capfd.readouterr().err
    assert metadata["quarantined_files"].value == [expected]


def test_an_invalid_file_threshold_setting_is_refused():
    from pipelines.config import Settings

    with pytest.raises(ValueError, match="quarantine_file_threshold"):
        Settings(quarantine_file_threshold="ignore")  # type: ignore[arg-type]
