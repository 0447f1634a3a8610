"""Which slice moved the resolution rate, with both days observed for the same time.

Durable resolution is provisional for ``recontact_days``: a recontact not yet seen
counts as durable, so a recent day reads high. The mart's rates compare a day
observed for about one day with a baseline a week older whose window has closed,
and a real drop can vanish (on one reviewer's data: 39.56% vs 39.59%, "no change",
where at an equal horizon the baseline was 43.09%, a 3.5-point drop).

Of the two honest options, this module compares at an **equal observation
horizon** rather than switching to a horizon-free rate (assumed resolution):

- it still decomposes the headline rate, including the part that only
  recontacts reveal (a bot that answers confidently but wrongly keeps its assumed
  rate and loses durable resolutions a day later);
- the cut is exact per conversation: the baseline day counts a recontact only if
  it came within the time the newer day's conversation at the same time of day
  has had, i.e. the baseline as it looked ``lag`` days ago;
- once the newer day is final, both days have had their full window, the cut
  changes nothing, and the rows equal the marts' durable rates.

The price: on a provisional day the decomposed rates (``rate_before``) differ from
``mart_resolution_by_dimension`` for the baseline day; the ``metric`` column says
so (``resolution_rate_equal_horizon``), and ``is_final`` says when the row is
settled.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

import duckdb
import pandas as pd

from pipelines.monitoring import queries
from pipelines.monitoring.windows import recomputed_days
from pipelines.stats.decomposition import COMPARISONS, MOVER_COLUMNS, movers
from pipelines.warehouse.tables import METRIC_MOVERS

FINAL_METRIC = "resolution_rate"
EQUAL_HORIZON_METRIC = "resolution_rate_equal_horizon"


def resolution_movers(
    con: duckdb.DuckDBPyConnection,
    days: Sequence[date],
    comparisons: dict[str, int] = COMPARISONS,
) -> pd.DataFrame:
    """``MOVER_COLUMNS`` of the durable resolution rate for ``days``, at equal horizons.

    ``metric`` is ``resolution_rate`` when the newer day is final (the comparison is
    then the marts' durable rates) and ``resolution_rate_equal_horizon`` otherwise.
    """
    observed_until = queries.observation_end(con)
    if observed_until is None or not days:
        return pd.DataFrame(columns=list(MOVER_COLUMNS))
    requests = pd.DataFrame(
        [(day, 0) for day in days]
        + [(day - timedelta(days=lag), lag) for day in days for lag in comparisons.values()],
        columns=["date", "lag_days"],
    )
    counts = queries.dimension_counts_at_horizon(con, requests, observed_until)
    found = movers(counts, days, comparisons=comparisons, metric=FINAL_METRIC)
    found["metric"] = found["metric"].where(found["is_final"].astype(bool), EQUAL_HORIZON_METRIC)
    return found


def rewrite_movers(
    con: duckdb.DuckDBPyConnection, run_days: Sequence[date], recontact_days: int
) -> tuple[pd.DataFrame, list[date]]:
    """Recompute ``mart_metric_movers`` for the days a run over ``run_days`` changes
    (``recomputed_days``: dbt's rebuild window, back to the oldest provisional row) and
    write them; returns the rows and those days."""
    days = recomputed_days(
        list(run_days),
        recontact_days,
        queries.oldest_provisional_date(con, METRIC_MOVERS.table_name),
    )
    found = resolution_movers(con, days)
    queries.write_window(con, METRIC_MOVERS.table_name, found, days)
    return found, days
