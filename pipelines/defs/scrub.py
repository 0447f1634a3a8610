"""scrubbed_transcripts: raw canonical records -> scrubbed, pseudonymized warehouse tables,
committed only behind the blocking leak gate (``pipelines.pii.load``)."""

from collections.abc import Iterator
from datetime import date

import dagster as dg

from pipelines.defs.partitions import (
    DAILY_WAREHOUSE_WRITER,
    partition_days,
)
from pipelines.defs.resources import WarehouseResource
from pipelines.pii.load import LeakVerdict, scrubbed_window, write_window
from pipelines.pii.pseudonym import PiiKey, PiiKeyChanged, guarded_key
from pipelines.pii.spark import scrub_on_spark, scrubbed_store

LEAK_CHECK = "no_pii_leaks"
SCRUBBED_CONVERSATIONS = dg.AssetKey(["scrubbed", "conversations"])
SCRUBBED_EVENTS = dg.AssetKey(["scrubbed", "events"])
PII_DETECTIONS = dg.AssetKey("pii_detections_daily")


def _warehouse_key(warehouse: WarehouseResource) -> PiiKey:
    """:func:`guarded_key` as a clean run failure (the message says what to do)."""
    try:
        with warehouse.connect() as con:
            return guarded_key(con, warehouse.paths.pii_key_file)
    # A missing/empty key file, a weak key or a changed key.
    except (PiiKeyChanged, OSError, ValueError) as error:
        raise dg.Failure(description=str(error)) from None


def _leak_check(verdict: LeakVerdict) -> dg.AssetCheckResult:
    return dg.AssetCheckResult(
        check_name=LEAK_CHECK,
        asset_key=SCRUBBED_EVENTS,
        passed=verdict.passed,
        severity=dg.AssetCheckSeverity.ERROR,
        metadata={"leaks_by_type": verdict.by_type, "conversations": verdict.conversations},
        description=verdict.description,
    )


# One multi-asset because the three tables are written in one transaction; the keys
# match the dbt sources (scrubbed.conversations, scrubbed.events), which dagster-dbt
# requires to be distinct.
@dg.multi_asset(
    name="scrubbed_transcripts",
    specs=[
        dg.AssetSpec(
            SCRUBBED_CONVERSATIONS,
            deps=["raw_transcripts"],
            kinds={"duckdb"},
            group_name="pii",
            description="Conversation headers with pseudonymized customer_key.",
        ),
        dg.AssetSpec(
            SCRUBBED_EVENTS,
            deps=["raw_transcripts"],
            kinds={"duckdb"},
            group_name="pii",
            description="Events with PII-scrubbed text and pseudonymized agent_key.",
        ),
        dg.AssetSpec(
            PII_DETECTIONS,
            deps=["raw_transcripts"],
            kinds={"duckdb"},
            group_name="pii",
            description="Counts of detected PII per day and type (never values).",
        ),
    ],
    **DAILY_WAREHOUSE_WRITER,
    check_specs=[
        dg.AssetCheckSpec(
            LEAK_CHECK,
            asset=SCRUBBED_EVENTS,
            blocking=True,
            description="Independent leak scan of the window's scrubbed text (EMAIL, CREDIT_CARD, US_SSN, PHONE).",
        )
    ],
)
def scrubbed_transcripts(
    context: dg.AssetExecutionContext, warehouse: WarehouseResource
) -> Iterator[dg.MaterializeResult | dg.AssetCheckResult]:
    """Scrub PII from the window's transcripts and pseudonymize ids into the warehouse."""
    days = partition_days(context)
    paths = warehouse.paths
    # Checked before scrubbing, so a lost or replaced key fails fast and writes nothing.
    key = _warehouse_key(warehouse)
    if key.created:
        context.log.warning(
            f"created a new PII pseudonymization key at {paths.pii_key_file} (fingerprint "
            f"{key.fingerprint}) for this new warehouse. Back this file up: without it "
            "later runs are refused, because their pseudonyms would not join these."
        )
    settings = warehouse.loaded_settings
    if settings.engine == "spark":
        yield from _scrub_on_spark(warehouse, days, key)
        return
    with (
        scrubbed_window(
            paths, days, key.key, settings.pii_patterns, settings.memory_budget_mb
        ) as window,
        warehouse.connect() as con,
    ):
        verdict = write_window(con, days, window, key)
    yield from _results(
        window.conversations.rows, window.events.rows, window.seconds, window.totals, len(days)
    )
    yield _leak_check(verdict)


def _scrub_on_spark(
    warehouse: WarehouseResource, days: list[date], key: PiiKey
) -> Iterator[dg.MaterializeResult | dg.AssetCheckResult]:
    """engine spark: the scrub and the leak gate as Spark jobs on the spark_master
    setting's session, the window committed to the scrubbed store (under spark_store) and
    the warehouse only if the gate passes (pipelines.pii.spark, docs/scale-out.md)."""
    with (
        warehouse.spark_target.session("closedloop-scrub") as spark,
        warehouse.connect() as con,
    ):
        result = scrub_on_spark(
            spark,
            warehouse.paths,
            days,
            key,
            con,
            scrubbed_store(warehouse.spark_store),
            warehouse.loaded_settings.pii_patterns,
        )
    yield from _results(
        result.conversations, result.events, result.seconds, result.totals, len(days)
    )
    yield _leak_check(result.verdict)


def _results(
    conversations: int, messages: int, seconds: float, totals: dict[str, int], days: int
) -> Iterator[dg.MaterializeResult]:
    yield dg.MaterializeResult(
        asset_key=SCRUBBED_CONVERSATIONS,
        metadata={"rows": conversations, "days": days},
    )
    yield dg.MaterializeResult(
        asset_key=SCRUBBED_EVENTS,
        metadata={
            "rows": messages,
            "messages_per_second": (round(messages / seconds, 1) if seconds > 0 else 0.0),
        },
    )
    yield dg.MaterializeResult(asset_key=PII_DETECTIONS, metadata={"detections": totals})


defs = dg.Definitions(assets=[scrubbed_transcripts])
