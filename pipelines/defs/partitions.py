"""The one partitioning scheme of the platform: a UTC-labelled calendar day."""

from __future__ import annotations

from datetime import date

import dagster as dg

from pipelines.config import FIRST_PARTITION_DAY
from pipelines.monitoring.windows import days_between

# Partition keys are calendar days of a conversation's started_at in the business
# timezone (see Settings.business_timezone); the key itself is just the date label.
daily_partitions = dg.DailyPartitionsDefinition(start_date=FIRST_PARTITION_DAY, end_offset=1)

# All warehouse writers share this pool, sized 1 in dagster.yaml, because DuckDB
# allows a single writing process.
WAREHOUSE_POOL = "warehouse"


def partition_days(context: dg.AssetExecutionContext | dg.AssetCheckExecutionContext) -> list[date]:
    """The days of the partition window a run covers (one run per backfill)."""
    window = context.partition_key_range
    return days_between(date.fromisoformat(window.start), date.fromisoformat(window.end))
