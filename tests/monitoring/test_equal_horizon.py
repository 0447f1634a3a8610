"""Movers and version tests compare days observed for the same time after their conversations.

The constructed case: the baseline day (a week old, window closed) has 30% of its
conversations recontacted, a third of them within 6 hours; the newer day has been
observed for about half a day. Counted as loaded, the newer day looks 15 points
*better*; at an equal horizon it is 5 points worse, all of it in ios. For the
version test the older day is the previous version's traffic and the newer day
the latest version's.
"""

from datetime import UTC, date, datetime, timedelta

import duckdb
import pandas as pd
import pytest

from pipelines.monitoring import queries
from pipelines.monitoring.movers import EQUAL_HORIZON_METRIC, FINAL_METRIC, resolution_movers
from pipelines.stats.decomposition import movers
from pipelines.stats.versions import compare_versions

DAY = date(2026, 4, 12)
BASELINE = DAY - timedelta(days=7)
HOUR = 3_600.0


def _conversations(
    day: date, channel: str, total: int, early: int, late: int, version: str = "v1"
) -> list[dict]:
    """``total`` assumed-resolved conversations at noon: ``early`` recontacted after 6
    hours, ``late`` after 3 days."""
    noon = datetime(day.year, day.month, day.day, 12, tzinfo=UTC)
    return [
        {
            "conversation_date": day,
            "started_at": noon,
            "channel": channel,
            "locale": "en-US",
            "market": "US",
            "intent": "billing",
            "bot_version": version,
            "customer_type": "new",
            "bot_involved": True,
            "handed_off": False,
            "assumed_resolved": True,
            "recontacted": index < early + late,
            "seconds_to_recontact": (
                6 * HOUR if index < early else 72 * HOUR if index < early + late else None
            ),
        }
        for index in range(total)
    ]


def _warehouse(last_loaded: date, newer_version: str = "v1") -> duckdb.DuckDBPyConnection:
    """fct_conversations as loaded up to the end of ``last_loaded``."""
    rows = (
        _conversations(BASELINE, "web", 50, early=5, late=10)
        + _conversations(BASELINE, "ios", 50, early=5, late=10)
        + _conversations(DAY, "web", 50, early=5, late=0, version=newer_version)
        + _conversations(DAY, "ios", 50, early=10, late=0, version=newer_version)
    )
    fct = pd.DataFrame(rows)
    observed = datetime(last_loaded.year, last_loaded.month, last_loaded.day, tzinfo=UTC)
    observed += timedelta(days=1) - timedelta(minutes=1)
    # A recontact is only known once the comeback has been loaded.
    seen = fct["started_at"] + pd.to_timedelta(fct["seconds_to_recontact"], unit="s") <= observed
    fct["recontacted"] = fct["recontacted"] & seen
    fct.loc[~fct["recontacted"], "seconds_to_recontact"] = None
    fct["durable_resolved"] = fct["assumed_resolved"] & ~fct["recontacted"]
    fct["is_final"] = fct["conversation_date"] + timedelta(days=7) <= last_loaded
    # The newest loaded conversation marks how far outcomes have been observed.
    fct.loc[len(fct)] = {
        **fct.iloc[-1].to_dict(),
        "conversation_date": last_loaded,
        "started_at": observed,
        "bot_involved": False,
        "assumed_resolved": False,
        "durable_resolved": False,
        "recontacted": False,
        "seconds_to_recontact": None,
        "is_final": False,
    }
    con = duckdb.connect()
    con.execute("create table fct_conversations as select * from fct")
    return con


def _week(found: pd.DataFrame, dimension: str = "channel") -> pd.DataFrame:
    return found.loc[
        (found["comparison"] == "prev_week") & (found["dimension"] == dimension)
    ].set_index("slice")


def test_the_open_recontact_window_hides_the_drop_in_the_marts_counts() -> None:
    """The bias being fixed: the same days as the marts count them show a rise."""
    con = _warehouse(DAY)
    as_loaded = queries.dimension_counts_at_horizon(
        con, pd.DataFrame({"date": [BASELINE, DAY], "lag_days": 0}), queries.observation_end(con)
    )
    week = _week(movers(as_loaded.drop(columns="lag_days"), [DAY]))
    assert week["total_change"].iloc[0] == pytest.approx(0.85 - 0.70)


def test_equal_horizon_movers_reveal_the_drop_and_its_slice() -> None:
    con = _warehouse(DAY)
    found = resolution_movers(con, [DAY])
    week = _week(found)
    assert week["total_change"].iloc[0] == pytest.approx(0.85 - 0.90)
    assert week.loc["ios", "rank"] == 1
    assert week.loc["ios", "rate_before"] == pytest.approx(0.90)
    assert week.loc["ios", "rate_after"] == pytest.approx(0.80)
    assert week.loc["web", "contribution"] == pytest.approx(0.0)
    assert set(found["metric"]) == {EQUAL_HORIZON_METRIC}
    assert not found["is_final"].any()
    con.close()


def test_once_final_the_rows_equal_the_durable_rates() -> None:
    """A week later both windows have closed: the cut changes nothing."""
    found = resolution_movers(_warehouse(DAY + timedelta(days=7)), [DAY])
    week = _week(found)
    assert set(found["metric"]) == {FINAL_METRIC} and found["is_final"].all()
    assert week.loc["ios", "rate_before"] == pytest.approx(0.70)
    assert week.loc["ios", "rate_after"] == pytest.approx(0.80)


def test_counts_cover_every_dimension_of_the_by_dimension_mart() -> None:
    con = _warehouse(DAY)
    counts = queries.dimension_counts_at_horizon(
        con, pd.DataFrame({"date": [DAY], "lag_days": [0]}), queries.observation_end(con)
    )
    assert set(counts["dimension"]) == set(queries.DIMENSIONS)
    assert (counts.groupby("dimension")["bot_involved"].sum() == 100).all()
    assert counts.loc[counts["dimension"] == "intent_x_bot_version", "slice"].tolist() == [
        "billing / v1"
    ]


def test_an_empty_warehouse_has_no_movers() -> None:
    con = duckdb.connect()
    con.execute("create table fct_conversations (started_at timestamptz, conversation_date date)")
    assert resolution_movers(con, [DAY]).empty


def test_version_test_compares_the_window_at_the_newest_days_horizon() -> None:
    """v1 ran a week ago (window closed), v2 runs now: as loaded v2 looks 15 points
    better; with every day cut to the newest day's horizon it is 5 points worse."""
    con = _warehouse(DAY, newer_version="v2")
    observed_until = queries.observation_end(con)
    counts = queries.version_counts(con, BASELINE, DAY, observed_until).set_index("bot_version")
    assert counts.loc["v1", "durable_resolved"] == 90 and counts.loc["v2", "durable_resolved"] == 85
    assert not counts["is_final"].any()
    tests = compare_versions(counts.reset_index(), ["v1", "v2"])
    resolution = tests.loc[tests["metric"] == "resolution_rate"].iloc[0]
    assert resolution["difference"] == pytest.approx(-0.05)
    # A week later the newest day is final: the plain durable counts, flagged final.
    later = _warehouse(DAY + timedelta(days=7), newer_version="v2")
    final = queries.version_counts(later, BASELINE, DAY, queries.observation_end(later))
    assert final.set_index("bot_version")["durable_resolved"].to_dict() == {"v1": 70, "v2": 85}
    assert final["is_final"].all()
