"""Publish the analysts' read-only snapshot after the run's other assets succeed."""

from collections.abc import Iterable

import dagster as dg

from pipelines.config import duckdb_limits
from pipelines.defs.partitions import DAILY_WAREHOUSE_WRITER
from pipelines.defs.resources import WarehouseResource
from pipelines.warehouse import publish_snapshot


def build_publish_asset(upstream: Iterable[dg.AssetKey]) -> dg.AssetsDefinition:
    """``publish`` depends on every other asset so it runs last in any run that selects it."""

    @dg.asset(
        deps=sorted(set(upstream), key=lambda key: key.to_user_string()),
        **DAILY_WAREHOUSE_WRITER,
        group_name="publish",
        kinds={"duckdb"},
    )
    def publish(
        context: dg.AssetExecutionContext, warehouse: WarehouseResource
    ) -> dg.MaterializeResult:
        """Atomically swap in a complete copy of the warehouse as analytics.duckdb (built from
        the previous one, rewriting only what differs: pipelines/warehouse/publish.py)."""
        snapshot = publish_snapshot(
            warehouse.paths.warehouse,
            warehouse.paths.analytics,
            run_id=context.run_id,
            duckdb_settings=duckdb_limits(warehouse.loaded_settings.memory_budget_mb).settings,
            # only the days the warehouse's journal marks (and a few due for a check)
            # are read again; `closedloop publish` reads every day
            trust_journal=True,
        )
        return dg.MaterializeResult(
            metadata={
                "path": dg.MetadataValue.path(str(snapshot.path)),
                "run_id": snapshot.run_id,
                "built_at": snapshot.built_at.isoformat(),
                "tables": snapshot.tables,
                # incremental: the previous snapshot with only what differs rewritten
                "mode": snapshot.mode,
                "tables_copied": snapshot.tables_copied,
                "groups_copied": snapshot.groups_copied,
                # updated the snapshot the last publish replaced, instead of copying one
                "from_spare": snapshot.from_spare,
            }
        )

    return publish
