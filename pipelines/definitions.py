"""The Dagster code location: every ``defs`` in ``pipelines/defs/`` plus ``publish``."""

import importlib
import pkgutil

import dagster as dg

import pipelines.defs
from pipelines.defs.publish import build_publish_asset
from pipelines.defs.resources import WarehouseResource


def _build() -> dg.Definitions:
    modules = [
        importlib.import_module(f"pipelines.defs.{info.name}")
        for info in pkgutil.iter_modules(pipelines.defs.__path__)
    ]
    domain = dg.Definitions.merge(*[m.defs for m in modules if hasattr(m, "defs")])
    upstream = [key for assets in domain.assets or [] for key in getattr(assets, "keys", [])]
    return dg.Definitions.merge(
        domain,
        dg.Definitions(
            assets=[build_publish_asset(upstream)],
            resources={"warehouse": WarehouseResource()},
            # Steps of a run execute one after another in one process: DuckDB takes
            # one writer process per file, and the "warehouse" pool (granularity run)
            # only serializes runs, not the steps inside a run.
            executor=dg.in_process_executor,
        ),
    )


# Dagster loads exactly one Definitions object from module scope.
defs = _build()
