"""The child process of tests/dbt/test_spark_cluster.py: one day ingested and scrubbed
through the Dagster assets, with the settings of its environment (``CLOSEDLOOP_*``:
the engine, the Spark master, conf file and store), as a deployment runs them. Prints
the run's outcome and its checks' verdicts as JSON.

    python -m tests.dbt.spark_cluster_child HOME YYYY-MM-DD
"""

from __future__ import annotations

import json
import sys

import dagster as dg

from pipelines.defs.ingest import ingest_audit_reconciles, raw_transcripts
from pipelines.defs.resources import WarehouseResource
from pipelines.defs.scrub import scrubbed_transcripts


def main(home: str, day: str) -> None:
    result = dg.materialize(
        [raw_transcripts, ingest_audit_reconciles, scrubbed_transcripts],
        partition_key=day,
        resources={"warehouse": WarehouseResource(home=home)},
        raise_on_error=False,
    )
    checks = {e.check_name: e.passed for e in result.get_asset_check_evaluations()}
    print(json.dumps({"success": result.success, "checks": checks}))


if __name__ == "__main__":
    main(*sys.argv[1:])
