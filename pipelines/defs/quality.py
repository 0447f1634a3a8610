"""Great Expectations gate on the resolution marts, before monitoring and publish use them."""

import dagster as dg

from pipelines.defs.resources import WarehouseResource

# The suites' module imports great_expectations, 2.5-4 s of a run's start-up when
# imported with the definitions. It is imported by the check, and the dbt step starts
# importing it on a thread while dbt works (pipelines/defs/preload.py), so a run pays for
# it off its critical path (docs/performance.md, *The fixed cost: what runs while dbt works*).
SUITES_MODULE = "schemas.marts"


DAILY = dg.AssetKey("mart_resolution_daily")
BY_DIMENSION = dg.AssetKey("mart_resolution_by_dimension")


@dg.asset_check(
    asset=DAILY,
    additional_deps=[BY_DIMENSION],
    blocking=True,
    description="GX suites on mart_resolution_daily and mart_resolution_by_dimension.",
)
def resolution_marts_pass_gx_suites(warehouse: WarehouseResource) -> dg.AssetCheckResult:
    """Every rate is a proportion inside its Wilson interval, n is present, the ladder never widens.

    The whole marts are validated, not only the run's window: they are small (a row per
    day, a few hundred per day by dimension) and a stale bad row is as wrong as a new one.
    """
    from schemas.marts import validate_resolution_marts  # see SUITES_MODULE

    with warehouse.connect() as con:
        daily = con.execute(f"select * from {DAILY.path[-1]}").df()
        by_dimension = con.execute(f"select * from {BY_DIMENSION.path[-1]}").df()
    outcome = validate_resolution_marts(daily, by_dimension)
    return dg.AssetCheckResult(
        passed=outcome.success,
        severity=dg.AssetCheckSeverity.ERROR,
        metadata={
            "daily_rows": len(daily),
            "by_dimension_rows": len(by_dimension),
            "failures": outcome.failures[:50],
        },
        description=None if outcome.success else "; ".join(outcome.failures[:10]),
    )


defs = dg.Definitions(asset_checks=[resolution_marts_pass_gx_suites])
