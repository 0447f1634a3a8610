"""The monitoring assets materialize against a small warehouse and alert through the webhook."""

import json
import threading
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import ClassVar

import dagster as dg
import numpy as np
import pandas as pd
import pytest

from pipelines.defs import monitoring
from pipelines.defs.resources import WarehouseResource

DAY = date(2026, 3, 8)


class Hook(BaseHTTPRequestHandler):
    bodies: ClassVar[list[dict[str, object]]] = []

    def do_POST(self) -> None:
        Hook.bodies.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def webhook(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[dict[str, object]]]:
    Hook.bodies = []
    server = HTTPServer(("127.0.0.1", 0), Hook)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    monkeypatch.setenv("CLOSEDLOOP_ALERT_WEBHOOK", f"http://127.0.0.1:{server.server_port}/hook")
    yield Hook.bodies
    server.shutdown()
    server.server_close()


def _as_mart(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.rename(
        columns={
            "date": "conversation_date",
            "handed_off": "bot_handed_off",
            "csat_responses": "rated",
        }
    )


def _conversations(rng: np.random.Generator) -> pd.DataFrame:
    """fct_conversations for the version test window: v2 regresses on 'refund' only."""
    rows = []
    for offset in range(10):
        day = DAY - timedelta(days=offset)
        for intent in ("billing", "refund", "delivery"):
            for version in ("v1", "v2"):
                rate = 0.2 if (intent, version) == ("refund", "v2") else 0.6
                for _ in range(60):
                    handed_off = bool(rng.random() < 0.3)
                    rows.append(
                        {
                            "conversation_date": day,
                            "intent": intent,
                            "bot_version": version,
                            "bot_involved": True,
                            "handed_off": handed_off,
                            "handoff_reason": "bot_fallback" if handed_off else None,
                            "durable_resolved": bool(rng.random() < rate),
                            "csat_score": int(rng.integers(1, 6)) if rng.random() < 0.2 else None,
                        }
                    )
    return pd.DataFrame(rows)


@pytest.fixture
def warehouse(tmp_path: Path, marts: tuple[pd.DataFrame, pd.DataFrame]) -> WarehouseResource:
    resource = WarehouseResource(home=str(tmp_path / "home"))
    daily, slices = marts
    mart_daily = _as_mart(daily)  # noqa: F841 - read by duckdb's replacement scan
    mart_slices = _as_mart(slices)  # noqa: F841
    fct = _conversations(np.random.default_rng(8))  # noqa: F841
    with resource.connect() as con:
        con.execute("create table mart_resolution_daily as select * from mart_daily")
        con.execute("create table mart_resolution_by_dimension as select * from mart_slices")
        con.execute("create table fct_conversations as select * from fct")
    return resource


def _materialize(resource: WarehouseResource, first: date, last: date) -> dg.ExecuteInProcessResult:
    return dg.materialize(
        [
            monitoring.metric_anomalies,
            monitoring.metric_movers,
            monitoring.bot_version_tests,
            monitoring.daily_report,
        ],
        resources={"warehouse": resource},
        tags={
            "dagster/asset_partition_range_start": first.isoformat(),
            "dagster/asset_partition_range_end": last.isoformat(),
        },
    )


def test_window_materializes_flags_the_drop_and_alerts(
    warehouse: WarehouseResource, webhook: list[dict[str, object]]
) -> None:
    result = _materialize(warehouse, DAY - timedelta(days=1), DAY)
    assert result.success

    checks = {c.check_name: c for c in result.get_asset_check_evaluations()}
    overall = checks[monitoring.OVERALL_CHECK]
    assert not overall.passed and overall.severity == dg.AssetCheckSeverity.WARN
    assert "resolution_rate overall" in overall.description
    assert "expected" in overall.description and "%" in overall.description
    assert not checks[monitoring.SLICE_CHECK].passed
    assert "channel=ios" in checks[monitoring.SLICE_CHECK].description

    (alert,) = webhook
    assert "resolution_rate overall" in str(alert["text"])

    with warehouse.connect() as con:
        anomalies = con.execute("select * from mart_metric_anomalies").df()
        movers = con.execute("select * from mart_metric_movers where date = ?", [DAY]).df()
        versions = con.execute(
            "select * from mart_bot_versions where significant and metric = 'resolution_rate' order by date"
        ).df()
    drop = anomalies.loc[
        (anomalies["metric"] == "resolution_rate") & (anomalies["slice"] == "overall")
    ]
    assert drop[["severity", "direction"]].values.tolist() == [["critical", "down"]]
    assert set(movers["comparison"]) == {"prev_day", "prev_week"}
    top = movers.loc[movers["rank"] == 1]
    assert set(top["slice"]) == {"ios"}
    assert versions[["date", "intent"]].astype(str).values.tolist() == [
        [str(DAY - timedelta(days=1)), "refund"],
        [str(DAY), "refund"],
    ]

    report = warehouse.paths.reports / f"{DAY.isoformat()}.html"
    assert report.exists()
    materialization = result.asset_materializations_for_node("daily_report")[0]
    assert materialization.metadata["path"].value == str(report)
    assert 0 < materialization.metadata["resolution_rate"].value < 1

    # Idempotent: re-running the window leaves the same rows.
    assert _materialize(warehouse, DAY - timedelta(days=1), DAY).success
    with warehouse.connect() as con:
        again = con.execute("select * from mart_metric_anomalies order by all").df()
    pd.testing.assert_frame_equal(
        again, anomalies.sort_values(list(anomalies.columns)).reset_index(drop=True)
    )


def test_sensor_requests_today_once_per_new_file(tmp_path: Path) -> None:
    resource = WarehouseResource(home=str(tmp_path / "home"))
    today = datetime.now().date()  # business timezone defaults to UTC
    with dg.build_sensor_context(resources={"warehouse": resource}) as context:
        assert isinstance(monitoring.intraday_refresh_sensor(context), dg.SkipReason)
        folder = resource.paths.landing_day(today)
        folder.mkdir(parents=True)
        (folder / "batch-1.jsonl").write_text("{}\n")
        request = monitoring.intraday_refresh_sensor(context)
        assert isinstance(request, dg.RunRequest)
        assert request.partition_key == today.isoformat()
        assert request.tags[monitoring.PROVISIONAL_TAG] == "true"
        assert isinstance(monitoring.intraday_refresh_sensor(context), dg.SkipReason)
        (folder / "batch-2.jsonl").write_text("{}\n")
        assert isinstance(monitoring.intraday_refresh_sensor(context), dg.RunRequest)


def test_sensor_is_off_by_default_and_throttled() -> None:
    sensor = monitoring.intraday_refresh_sensor
    assert sensor.default_status == dg.DefaultSensorStatus.STOPPED
    assert sensor.minimum_interval_seconds == 900


def test_definitions_resolve_with_the_dbt_marts_upstream(tmp_path: Path) -> None:
    @dg.multi_asset(
        specs=[
            dg.AssetSpec(name)
            for name in (
                "fct_conversations",
                "mart_resolution_daily",
                "mart_resolution_by_dimension",
            )
        ],
        partitions_def=monitoring.daily_partitions,
    )
    def dbt_marts():  # unannotated: dagster reads a return annotation as the outputs
        """Stand-in for the dbt models."""

    defs = dg.Definitions.merge(
        monitoring.defs,
        dg.Definitions(
            assets=[dbt_marts],
            resources={"warehouse": WarehouseResource(home=str(tmp_path))},
        ),
    )
    repository = defs.get_repository_def()
    graph = repository.asset_graph
    assert graph.get(dg.AssetKey("metric_anomalies")).parent_keys == {
        dg.AssetKey("mart_resolution_daily"),
        dg.AssetKey("mart_resolution_by_dimension"),
    }
    assert dg.AssetKey("metric_anomalies") in graph.get(dg.AssetKey("daily_report")).parent_keys
    job = repository.get_job("realtime_refresh")
    assert job.tags[monitoring.PROVISIONAL_TAG] == "true"
    for key in ("metric_anomalies", "metric_movers", "bot_version_tests", "daily_report"):
        assets = graph.assets_def_for_key(dg.AssetKey(key))
        assert assets.backfill_policy == dg.BackfillPolicy.single_run()
        assert assets.node_def.pool == monitoring.WAREHOUSE_POOL


def test_quiet_last_day_sends_no_alert(
    warehouse: WarehouseResource, webhook: list[dict[str, object]]
) -> None:
    assert _materialize(warehouse, DAY - timedelta(days=3), DAY - timedelta(days=1)).success
    assert webhook == []
