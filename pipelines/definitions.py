"""The Dagster code location: every definition in ``pipelines/defs/`` plus what is
shaped by the settings (schedules, the intraday sensor's interval), the resources and
``publish``. Settings are read here, once per load, never when a module is imported."""

from __future__ import annotations

from pathlib import Path

import dagster as dg

from pipelines.config import Settings, first_partition_day, paths, restrict_new_files, settings
from pipelines.defs.monitoring import build_intraday_refresh_sensor
from pipelines.defs.partitions import starting_at
from pipelines.defs.publish import build_publish_asset
from pipelines.defs.resources import SettingsConfig, WarehouseResource
from pipelines.defs.schedules import build_schedules


def build_definitions(loaded: Settings, home: str | Path | None = None) -> dg.Definitions:
    """The code location for ``loaded`` settings and the data home ``home`` (default:
    ``$CLOSEDLOOP_HOME`` or ./data)."""
    layout = paths(home)
    first_day = first_partition_day(loaded, layout)
    folder = dg.load_from_defs_folder(path_within_project=Path(__file__).parent)
    upstream = [key for assets in folder.assets or [] for key in getattr(assets, "keys", [])]
    combined = dg.Definitions.merge(
        folder,
        dg.Definitions(
            assets=[build_publish_asset(upstream)],
            schedules=build_schedules(loaded, layout, first_day),
            sensors=[build_intraday_refresh_sensor(loaded)],
            resources={
                "warehouse": WarehouseResource(
                    home=str(layout.home), settings=SettingsConfig.of(loaded)
                )
            },
            # Steps of a run execute one after another in one process: DuckDB takes
            # one writer process per file, and the "warehouse" pool (granularity run)
            # only serializes runs, not the steps inside a run.
            executor=dg.in_process_executor,
        ),
    )
    return starting_at(combined, first_day)


@dg.definitions
def defs() -> dg.Definitions:
    """What `dg dev`, `dg check defs` and the webserver load."""
    # Runs launched from this code location create owner-only files (run storage, logs).
    restrict_new_files()
    return build_definitions(settings())  # home: $CLOSEDLOOP_HOME, as `closedloop ui` sets it
