"""The Dagster code location: every ``defs`` in ``pipelines/defs/`` plus ``publish``."""

import importlib
import pkgutil

import dagster as dg

import pipelines.defs
from pipelines.defs.publish import build_publish_asset
from pipelines.defs.resources import WarehouseResource

_domain_defs = [
    importlib.import_module(f"pipelines.defs.{module.name}").defs
    for module in pkgutil.iter_modules(pipelines.defs.__path__)
    if hasattr(importlib.import_module(f"pipelines.defs.{module.name}"), "defs")
]
_domain = dg.Definitions.merge(*_domain_defs)
_upstream = [key for assets in _domain.assets or [] for key in getattr(assets, "keys", [])]

defs = dg.Definitions.merge(
    _domain,
    dg.Definitions(
        assets=[build_publish_asset(_upstream)],
        resources={"warehouse": WarehouseResource()},
    ),
)
