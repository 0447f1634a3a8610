"""The one partitioning scheme of the platform: a UTC-labelled calendar day.

The assets declare ``daily_partitions``; :func:`starting_at` gives a loaded code
location the same partitions starting at the ``partitions_start`` setting (or the day
derived from the data home). Dagster needs a partitions definition when an asset
module is imported, before any setting is read, so the start is applied at load.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import dagster as dg

from pipelines.monitoring.windows import days_between

# Partition keys are calendar days of a conversation's started_at in the business
# timezone (see Settings.business_timezone); the key itself is just the date label.
# The start here only matters for assets used outside a loaded code location (tests);
# build_definitions re-starts every use of it with starting_at().
daily_partitions = dg.DailyPartitionsDefinition(start_date="2000-01-01", end_offset=1)

# All warehouse writers share this pool, sized 1 in dagster.yaml, because DuckDB
# allows a single writing process.
WAREHOUSE_POOL = "warehouse"

# What every asset that writes the warehouse declares: the daily partitions, one run
# per backfill (a UI backfill of a range runs as `closedloop run --start --end` does,
# each asset once over the whole window), and the one-writer pool.
DAILY_WAREHOUSE_WRITER: dict[str, Any] = {
    "partitions_def": daily_partitions,
    "backfill_policy": dg.BackfillPolicy.single_run(),
    "pool": WAREHOUSE_POOL,
}


def daily_partitions_from(start: date) -> dg.DailyPartitionsDefinition:
    """The platform's daily partitions, the first being ``start``."""
    return dg.DailyPartitionsDefinition(start_date=start.isoformat(), end_offset=1)


def starting_at(defs: dg.Definitions, start: date) -> dg.Definitions:
    """``defs`` with every asset and check on ``daily_partitions`` re-partitioned to
    start at ``start``, so the UI lists only days this deployment can have. (Jobs take
    their partitions from their assets.)"""
    partitions = daily_partitions_from(start)
    return dg.Definitions.merge(
        dg.Definitions(
            assets=[_repartitioned(a, partitions) for a in defs.assets or []],
            asset_checks=[_repartitioned(c, partitions) for c in defs.asset_checks or []],
            jobs=defs.jobs,
        ),
        dg.Definitions(
            schedules=defs.schedules,
            sensors=defs.sensors,
            resources=defs.resources,
            executor=defs.executor,
        ),
    )


def _repartitioned(assets: object, partitions: dg.PartitionsDefinition) -> object:
    if not isinstance(assets, dg.AssetsDefinition):
        return assets
    # No public API changes a check spec's partitions (map_asset_specs covers asset
    # specs only), so the definition is rebuilt from its own attributes.
    specs = [
        spec.replace_attributes(partitions_def=partitions)
        if spec.partitions_def == daily_partitions
        else spec
        for spec in assets.specs
    ]
    attributes = assets.get_attributes_dict()
    checks = {
        name: check._replace(partitions_def=partitions)
        if check.partitions_def == daily_partitions
        else check
        for name, check in attributes["check_specs_by_output_name"].items()
    }
    return assets.__class__.dagster_internal_init(
        **{**attributes, "specs": specs, "check_specs_by_output_name": checks}
    )


def partition_days(context: dg.AssetExecutionContext | dg.AssetCheckExecutionContext) -> list[date]:
    """The days of the partition window a run covers (one run per backfill)."""
    window = context.partition_key_range
    return days_between(date.fromisoformat(window.start), date.fromisoformat(window.end))
