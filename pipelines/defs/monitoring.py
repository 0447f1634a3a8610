"""Monitoring assets: anomalies, drop decomposition, bot-version tests, the daily report."""

from collections.abc import Iterator
from datetime import datetime
from zoneinfo import ZoneInfo

import dagster as dg

from pipelines.config import Settings
from pipelines.defs.partitions import (
    DAILY_WAREHOUSE_WRITER,
    partition_days,
)
from pipelines.defs.resources import WarehouseResource
from pipelines.monitoring.anomalies import alert_for, describe
from pipelines.monitoring.anomalies import metric_anomalies as find_anomalies
from pipelines.monitoring.movers import rewrite_movers
from pipelines.monitoring.notify import NotificationError, notifier_from_env
from pipelines.monitoring.report import headline_numbers, report_data, write_report
from pipelines.monitoring.versions import bot_version_tests as test_versions
from pipelines.sources.changes import inventory_digest, landing_inventory

PROVISIONAL_TAG = "closedloop/provisional"
MART_DEPS = [dg.AssetKey("mart_resolution_daily"), dg.AssetKey("mart_resolution_by_dimension")]
OVERALL_CHECK = "overall_metrics_in_control"
SLICE_CHECK = "slices_free_of_critical_anomalies"


def _is_provisional(context: dg.AssetExecutionContext) -> bool:
    return context.run.tags.get(PROVISIONAL_TAG) == "true"


@dg.asset(
    deps=MART_DEPS,
    **DAILY_WAREHOUSE_WRITER,
    group_name="monitoring",
    kinds={"python", "duckdb"},
    check_specs=[
        dg.AssetCheckSpec(
            OVERALL_CHECK,
            asset="metric_anomalies",
            blocking=False,
            description="No headline rate of the whole bot outside its control limits.",
        ),
        dg.AssetCheckSpec(
            SLICE_CHECK,
            asset="metric_anomalies",
            blocking=False,
            description="No slice (channel, intent, ...) with a critical (4 sigma) anomaly.",
        ),
    ],
)
def metric_anomalies(
    context: dg.AssetExecutionContext, warehouse: WarehouseResource
) -> Iterator[dg.MaterializeResult | dg.AssetCheckResult]:
    """Headline rates outside their Laney p' control limits, overall and per slice."""
    days = partition_days(context)
    with warehouse.connect() as con:
        found = find_anomalies(con, days, warehouse.loaded_settings.min_n, _is_provisional(context))
    anomalies = found.rows
    yield dg.MaterializeResult(
        metadata={
            "rows": len(anomalies),
            "critical": int((anomalies["severity"] == "critical").sum()),
            "warn": int((anomalies["severity"] == "warn").sum()),
            "series_rows_read": found.series_rows,
        }
    )
    for check_name, rows, scope in (
        (OVERALL_CHECK, found.overall, "overall metrics"),
        (SLICE_CHECK, found.critical_slices, "slices (critical only)"),
    ):
        lines = [describe(row) for _, row in rows.iterrows()]
        yield dg.AssetCheckResult(
            check_name=check_name,
            passed=rows.empty,
            severity=dg.AssetCheckSeverity.WARN,
            description=(
                f"{len(rows)} anomalies on {scope}:\n" + "\n".join(lines[:50])
                if lines
                else f"no anomaly on {scope} for {days[0]}..{days[-1]}"
            ),
            metadata={"anomalies": len(rows)},
        )
    alert = alert_for(found, days[-1])
    if alert is not None:
        allow_http = warehouse.loaded_settings.alert_webhook_allow_http_localhost
        try:
            notifier_from_env(allow_http_localhost=allow_http).send(alert)
        except NotificationError as error:
            # A broken webhook (or a malformed URL) must not hide the anomalies: they are
            # in the table and checks. The message never quotes the URL.
            context.log.warning(f"alert not delivered: {error}")


@dg.asset(
    deps=[dg.AssetKey("fct_conversations")],
    **DAILY_WAREHOUSE_WRITER,
    group_name="monitoring",
    kinds={"python", "duckdb"},
)
def metric_movers(
    context: dg.AssetExecutionContext, warehouse: WarehouseResource
) -> dg.MaterializeResult:
    """Mix/rate decomposition of the resolution-rate change by slice, at equal observation horizons."""
    with warehouse.connect() as con:
        found, days = rewrite_movers(
            con, partition_days(context), warehouse.loaded_settings.recontact_days
        )
    return dg.MaterializeResult(
        metadata={
            "rows": len(found),
            "recomputed_from": days[0].isoformat(),
            "provisional_days": int(found.loc[~found["is_final"].astype(bool), "date"].nunique()),
        }
    )


@dg.asset(
    deps=[dg.AssetKey("fct_conversations")],
    **DAILY_WAREHOUSE_WRITER,
    group_name="monitoring",
    kinds={"python", "duckdb"},
)
def bot_version_tests(
    context: dg.AssetExecutionContext, warehouse: WarehouseResource
) -> dg.MaterializeResult:
    """Latest vs previous bot version per intent at one observation horizon, Benjamini-Hochberg."""
    settings = warehouse.loaded_settings
    with warehouse.connect() as con:
        tests = test_versions(con, partition_days(context), settings.recontact_days, settings.min_n)
    return dg.MaterializeResult(
        metadata={
            "rows": len(tests.rows),
            "recomputed_from": tests.days[0].isoformat(),
            "significant": int(tests.rows["significant"].sum()) if len(tests.rows) else 0,
            # Conversations without a bot_version cannot join a release comparison.
            "conversations_without_bot_version": tests.unattributed,
        }
    )


@dg.asset(
    deps=[
        *MART_DEPS,
        dg.AssetKey("fct_conversations"),
        metric_anomalies,
        metric_movers,
        bot_version_tests,
        # Which judge is trusted decides whether the report shows the verified rung.
        dg.AssetKey("judge_marts"),
        dg.AssetKey("mart_kb_lint"),
        dg.AssetKey("mart_bot_answer_lint"),
        dg.AssetKey("mart_kb_gaps"),
        dg.AssetKey("mart_kb_uplift"),
    ],
    # Only reads, but DuckDB locks the file per process, so readers queue with writers
    # in the warehouse pool.
    **DAILY_WAREHOUSE_WRITER,
    group_name="monitoring",
    kinds={"python", "html"},
)
def daily_report(
    context: dg.AssetExecutionContext, warehouse: WarehouseResource
) -> dg.MaterializeResult:
    """The self-contained HTML report for the last day of the window."""
    day = partition_days(context)[-1]
    with warehouse.connect() as con:
        data = report_data(con, day, warehouse.loaded_settings.min_n)
    path = write_report(data, warehouse.paths.reports)
    headline = headline_numbers(data.daily, day)
    return dg.MaterializeResult(
        metadata={
            "path": dg.MetadataValue.path(str(path)),
            "url": dg.MetadataValue.url(path.as_uri()),
            "day": day.isoformat(),
            "anomalies": len(data.anomalies),
            **{
                f"{metric}{suffix}": float(numbers[key])
                for metric, numbers in headline.items()
                for key, suffix in (("value", ""), ("ci_low", "_ci_low"), ("ci_high", "_ci_high"))
            },
            "bot_involved": int(headline["resolution_rate"]["n"]) if headline else 0,
        }
    )


realtime_job = dg.define_asset_job(
    "realtime_refresh",
    selection=dg.AssetSelection.all(),  # partitions: its assets' (build_definitions sets the start)
    tags={PROVISIONAL_TAG: "true"},
    description="Today's partition as files land: every number it produces is provisional.",
)


def build_intraday_refresh_sensor(settings: Settings) -> dg.SensorDefinition:
    """The intraday sensor, throttled by the ``realtime_interval_seconds`` setting (the
    interval is part of the sensor's definition, so it is built from loaded settings)."""

    @dg.sensor(
        job_name=realtime_job.name,  # by name: the loaded job's partitions start at the setting
        minimum_interval_seconds=settings.realtime_interval_seconds,
        default_status=dg.DefaultSensorStatus.STOPPED,
    )
    def intraday_refresh_sensor(
        context: dg.SensorEvaluationContext, warehouse: WarehouseResource
    ) -> dg.RunRequest | dg.SkipReason:
        """Requests today's (provisional) partition when new files land in today's landing folder."""
        today = datetime.now(ZoneInfo(warehouse.loaded_settings.business_timezone)).date()
        fingerprint = inventory_digest(landing_inventory(warehouse.paths, today))
        if not fingerprint or fingerprint == context.cursor:
            return dg.SkipReason(f"no new files in landing/dt={today.isoformat()}")
        context.update_cursor(fingerprint)
        return dg.RunRequest(
            run_key=f"{today.isoformat()}:{fingerprint}",
            partition_key=today.isoformat(),
            tags={PROVISIONAL_TAG: "true"},
        )

    return intraday_refresh_sensor


defs = dg.Definitions(
    assets=[metric_anomalies, metric_movers, bot_version_tests, daily_report],
    jobs=[realtime_job],
)
