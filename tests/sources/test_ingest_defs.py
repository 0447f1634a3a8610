"""Dagster wiring: raw_transcripts over a partition range writes raw files and ingest_audit."""

from __future__ import annotations

import json
from datetime import date

import dagster as dg
import duckdb
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


def test_definitions_load_with_the_shared_warehouse_resource(tmp_path):
    from pipelines.defs.schedules import defs as schedule_defs  # the sensor's target job

    merged = dg.Definitions.merge(
        defs,
        schedule_defs,
        dg.Definitions(resources={"warehouse": WarehouseResource(home=str(tmp_path))}),
    )
    assert merged.resolve_asset_graph().get_all_asset_keys() == {dg.AssetKey("raw_transcripts")}
    assert merged.resolve_sensor_def("landing_zone_sensor") is not None


def test_a_day_whose_landing_files_are_gone_is_not_erased(tmp_path):
    from pipelines.defs.ingest import _refuse_to_erase_history
    from pipelines.sources.ingest import IngestReport

    warehouse = WarehouseResource(home=str(tmp_path))
    with warehouse.connect() as con:
        con.execute("create schema scrubbed")
        con.execute(
            "create table scrubbed.conversations (partition_date date, conversation_id varchar)"
        )
        con.execute("insert into scrubbed.conversations values ('2025-03-01', 'c1')")
    day = date(2025, 3, 1)
    report = IngestReport(
        days=(day,),
        audit=(),
        conversations_loaded={day: 0},
        events_loaded={day: 0},
        files_scanned=0,
    )
    with pytest.raises(dg.Failure, match=r"2025-03-01 \(1 conversations\)"):
        _refuse_to_erase_history(warehouse, report)
    with warehouse.connect() as con:
        assert con.execute("select count(*) from scrubbed.conversations").fetchone() == (1,)
