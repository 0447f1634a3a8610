"""Monitoring assets: anomalies, drop decomposition, bot-version tests, the daily report."""

import hashlib
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import dagster as dg
import pandas as pd

from pipelines.config import settings
from pipelines.dbt_args import dbt_window
from pipelines.defs.partitions import (
    WAREHOUSE_POOL,
    daily_partitions,
    days_between,
    partition_days,
)
from pipelines.defs.resources import WarehouseResource
from pipelines.monitoring import queries
from pipelines.monitoring.movers import resolution_movers
from pipelines.monitoring.notify import Alert, NotificationError, notifier_from_env
from pipelines.monitoring.report import ReportData, headline_numbers, write_report
from pipelines.stats.control import ControlSettings, detect_anomalies, stack_metrics
from pipelines.stats.versions import compare_versions, release_order

PROVISIONAL_TAG = "closedloop/provisional"
VERSION_WINDOW_DAYS = 7
MART_DEPS = [dg.AssetKey("mart_resolution_daily"), dg.AssetKey("mart_resolution_by_dimension")]
OVERALL_CHECK = "overall_metrics_in_control"
SLICE_CHECK = "slices_free_of_critical_anomalies"


def _is_provisional(context: dg.AssetExecutionContext) -> bool:
    return context.run.tags.get(PROVISIONAL_TAG) == "true"


def recomputed_days(
    days: list[date], recontact_days: int, oldest_provisional: date | None
) -> list[date]:
    """The days whose movers and version tests a run over ``days`` rewrites.

    dbt rebuilds the trailing recontact window before the run's days, where recontact
    flags and ``is_final`` change, so rows computed from those days are stale until
    recomputed: the same window (from ``dbt_window``, so the two cannot drift), reaching
    back further to ``oldest_provisional``, the oldest day whose rows are still marked
    provisional, so every row is rewritten until it has been written final (a day can
    stay provisional beyond the trailing window, e.g. while late files may land).
    """
    first, last = dbt_window(days, recontact_days)
    if oldest_provisional is not None:
        first = min(first, oldest_provisional)
    return days_between(first, last)


def _describe(anomaly: pd.Series) -> str:
    where = (
        "overall"
        if anomaly["dimension"] == "overall"
        else f"{anomaly['dimension']}={anomaly['slice']}"
    )
    return (
        f"{anomaly['date']} {anomaly['severity']}: {anomaly['metric']} {where} = "
        f"{anomaly['value']:.1%} ({anomaly['direction']}), expected "
        f"{anomaly['expected_low']:.1%}-{anomaly['expected_high']:.1%} (n={int(anomaly['n'])})"
    )


def _notify(context: dg.AssetExecutionContext, anomalies: pd.DataFrame, day: date) -> None:
    if anomalies.empty:
        return
    severity = "critical" if (anomalies["severity"] == "critical").any() else "warn"
    title = f"closedloop: {len(anomalies)} metric anomalies on {day.isoformat()}"
    try:
        notifier_from_env().send(
            Alert(title, [_describe(row) for _, row in anomalies.iterrows()], severity=severity)
        )
    except NotificationError as error:
        # A broken webhook must not hide the anomalies: they are in the table and checks.
        context.log.warning(f"alert not delivered: {error}")


@dg.asset(
    deps=MART_DEPS,
    partitions_def=daily_partitions,
    backfill_policy=dg.BackfillPolicy.single_run(),
    pool=WAREHOUSE_POOL,
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
    control = ControlSettings(min_n=warehouse.settings.min_n)
    first_needed = days[0] - timedelta(days=control.baseline_days)
    with warehouse.connect() as con:
        series = stack_metrics(
            queries.daily_counts(con, first_needed, days[-1]),
            queries.dimension_counts(con, first_needed, days[-1]),
        )
        anomalies = detect_anomalies(series, days=days, settings=control)
        if _is_provisional(context):
            anomalies["is_final"] = False
        written = queries.write_window(con, "mart_metric_anomalies", anomalies, days)

    overall = anomalies.loc[anomalies["dimension"] == "overall"]
    critical_slices = anomalies.loc[
        (anomalies["dimension"] != "overall") & (anomalies["severity"] == "critical")
    ]
    yield dg.MaterializeResult(
        metadata={
            "rows": written,
            "critical": int((anomalies["severity"] == "critical").sum()),
            "warn": int((anomalies["severity"] == "warn").sum()),
            "series_rows_read": len(series),
        }
    )
    for check_name, found, scope in (
        (OVERALL_CHECK, overall, "overall metrics"),
        (SLICE_CHECK, critical_slices, "slices (critical only)"),
    ):
        lines = [_describe(row) for _, row in found.iterrows()]
        yield dg.AssetCheckResult(
            check_name=check_name,
            passed=found.empty,
            severity=dg.AssetCheckSeverity.WARN,
            description=(
                f"{len(found)} anomalies on {scope}:\n" + "\n".join(lines[:50])
                if lines
                else f"no anomaly on {scope} for {days[0]}..{days[-1]}"
            ),
            metadata={"anomalies": len(found)},
        )
    # Alert on the newest day only: the nightly run judges one day, and a backfill of
    # old days must not page anyone about last spring.
    alerting = pd.concat([overall, critical_slices])
    _notify(context, alerting.loc[pd.to_datetime(alerting["date"]).dt.date == days[-1]], days[-1])


@dg.asset(
    deps=[dg.AssetKey("fct_conversations")],
    partitions_def=daily_partitions,
    backfill_policy=dg.BackfillPolicy.single_run(),
    pool=WAREHOUSE_POOL,
    kinds={"python", "duckdb"},
)
def metric_movers(
    context: dg.AssetExecutionContext, warehouse: WarehouseResource
) -> dg.MaterializeResult:
    """Mix/rate decomposition of the resolution-rate change by slice, at equal observation horizons."""
    with warehouse.connect() as con:
        days = recomputed_days(
            partition_days(context),
            warehouse.settings.recontact_days,
            queries.oldest_provisional_date(con, "mart_metric_movers"),
        )
        found = resolution_movers(con, days)
        written = queries.write_window(con, "mart_metric_movers", found, days)
    return dg.MaterializeResult(
        metadata={
            "rows": written,
            "recomputed_from": days[0].isoformat(),
            "provisional_days": int(found.loc[~found["is_final"].astype(bool), "date"].nunique()),
        }
    )


@dg.asset(
    deps=[dg.AssetKey("fct_conversations")],
    partitions_def=daily_partitions,
    backfill_policy=dg.BackfillPolicy.single_run(),
    pool=WAREHOUSE_POOL,
    kinds={"python", "duckdb"},
)
def bot_version_tests(
    context: dg.AssetExecutionContext, warehouse: WarehouseResource
) -> dg.MaterializeResult:
    """Latest vs previous bot version per intent at one observation horizon, Benjamini-Hochberg."""
    frames, unattributed = [], 0
    with warehouse.connect() as con:
        days = recomputed_days(
            partition_days(context),
            warehouse.settings.recontact_days,
            queries.oldest_provisional_date(con, "mart_bot_versions"),
        )
        observed_until = queries.observation_end(con)
        window_ends = days if observed_until is not None else []  # nothing loaded yet
        for day in window_ends:
            window_start = day - timedelta(days=VERSION_WINDOW_DAYS - 1)
            counts = queries.version_counts(con, window_start, day, observed_until)
            if day == days[-1]:
                # Counted once, for the newest window, not once per recomputed day.
                unattributed = int(counts.loc[counts["bot_version"].isna(), "n"].sum())
            counts = counts.dropna(subset=["bot_version"])
            if counts.empty:
                continue
            order = release_order(queries.version_first_seen(con, day))
            tests = compare_versions(counts, order, min_n=warehouse.settings.min_n)
            tests.insert(0, "window_start", window_start)
            tests.insert(0, "date", day)
            # Final once every day of the window is: the counts can no longer change.
            tests["is_final"] = bool(counts["is_final"].all())
            frames.append(tests)
        found = (
            pd.concat(frames, ignore_index=True)
            if frames
            else pd.DataFrame(
                columns=[name for name, _ in queries.MONITORING_TABLES["mart_bot_versions"]]
            )
        )
        written = queries.write_window(con, "mart_bot_versions", found, days)
    return dg.MaterializeResult(
        metadata={
            "rows": written,
            "recomputed_from": days[0].isoformat(),
            "significant": int(found["significant"].sum()) if written else 0,
            # Conversations without a bot_version cannot join a release comparison.
            "conversations_without_bot_version": unattributed,
        }
    )


@dg.asset(
    deps=[
        *MART_DEPS,
        dg.AssetKey("fct_conversations"),
        metric_anomalies,
        metric_movers,
        bot_version_tests,
    ],
    partitions_def=daily_partitions,
    backfill_policy=dg.BackfillPolicy.single_run(),
    # Only reads, but DuckDB locks the file per process, so readers queue with writers.
    pool=WAREHOUSE_POOL,
    kinds={"python", "html"},
)
def daily_report(
    context: dg.AssetExecutionContext, warehouse: WarehouseResource
) -> dg.MaterializeResult:
    """The self-contained HTML report for the last day of the window."""
    day = partition_days(context)[-1]
    with warehouse.connect() as con:
        data = ReportData(
            day=day,
            daily=queries.daily_counts(con, day - timedelta(days=27), day),
            anomalies=queries.read_window(con, "mart_metric_anomalies", day, day),
            movers=queries.read_window(con, "mart_metric_movers", day, day),
            handoff_reasons=queries.handoff_reasons(con, day),
            csat_scores=queries.csat_scores(con, day),
            intents=queries.intent_counts(con, day),
            version_tests=queries.read_window(con, "mart_bot_versions", day, day),
            min_n=warehouse.settings.min_n,
        )
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
    selection=dg.AssetSelection.all(),
    partitions_def=daily_partitions,
    tags={PROVISIONAL_TAG: "true"},
    description="Today's partition as files land: every number it produces is provisional.",
)


def landing_fingerprint(folder: Path) -> str:
    """A digest of a landing folder's listing (name, size, mtime); "" when empty or absent.

    A listing digest rather than the newest mtime, so files copied with their original
    timestamps (``cp -p``, ``rsync -t``) and rewritten files still count as new.
    """
    if not folder.is_dir():
        return ""
    listing = sorted(
        f"{entry.name}\t{entry.stat().st_size}\t{entry.stat().st_mtime_ns}"
        for entry in folder.iterdir()
        if entry.is_file()
    )
    return hashlib.sha256("\n".join(listing).encode()).hexdigest()[:16] if listing else ""


@dg.sensor(
    job=realtime_job,
    minimum_interval_seconds=settings().realtime_interval_seconds,
    default_status=dg.DefaultSensorStatus.STOPPED,
)
def intraday_refresh_sensor(
    context: dg.SensorEvaluationContext, warehouse: WarehouseResource
) -> dg.RunRequest | dg.SkipReason:
    """Requests today's (provisional) partition when new files land in today's landing folder."""
    today = datetime.now(ZoneInfo(warehouse.settings.business_timezone)).date()
    fingerprint = landing_fingerprint(warehouse.paths.landing_day(today))
    if not fingerprint or fingerprint == context.cursor:
        return dg.SkipReason(f"no new files in landing/dt={today.isoformat()}")
    context.update_cursor(fingerprint)
    return dg.RunRequest(
        run_key=f"{today.isoformat()}:{fingerprint}",
        partition_key=today.isoformat(),
        tags={PROVISIONAL_TAG: "true"},
    )


defs = dg.Definitions(
    assets=[metric_anomalies, metric_movers, bot_version_tests, daily_report],
    jobs=[realtime_job],
    sensors=[intraday_refresh_sensor],
)
