"""A provisional day's estimated final rate comes from recent final days' recontact curve."""

from datetime import UTC, date, datetime, timedelta

import duckdb
import pandas as pd

from pipelines.monitoring.provisional import final_rate_estimates

NEWEST = date(2026, 4, 30)
HOUR = 3_600.0


def _day(day: date, observed: datetime) -> list[dict]:
    """100 bot-involved conversations at noon, all assumed resolved: 10 come back after
    6 hours, 20 after 3 days (each known only once loaded, i.e. by ``observed``)."""
    noon = datetime(day.year, day.month, day.day, 12, tzinfo=UTC)
    rows = []
    for index in range(100):
        delay = 6 * HOUR if index < 10 else 72 * HOUR if index < 30 else None
        seen = delay is not None and noon + timedelta(seconds=delay) <= observed
        rows.append(
            {
                "conversation_date": day,
                "started_at": noon,
                "bot_involved": True,
                "assumed_resolved": True,
                "recontacted": seen,
                "seconds_to_recontact": delay if seen else None,
            }
        )
    return rows


def test_the_estimate_of_a_half_observed_day_is_its_final_rate() -> None:
    observed = datetime(NEWEST.year, NEWEST.month, NEWEST.day, 23, 59, tzinfo=UTC)
    days = [NEWEST - timedelta(days=offset) for offset in range(20)]
    fct = pd.DataFrame([row for day in days for row in _day(day, observed)])
    # The newest loaded conversation marks how far outcomes have been observed.
    fct.loc[len(fct)] = {**fct.iloc[-1].to_dict(), "started_at": observed, "bot_involved": False}
    con = duckdb.connect()
    con.execute("create table fct_conversations as select * from fct")
    involved = fct.loc[fct["bot_involved"]]
    daily = (
        involved.assign(durable=involved["assumed_resolved"] & ~involved["recontacted"])
        .groupby("conversation_date")
        .agg(bot_involved=("bot_involved", "sum"), durable_resolved=("durable", "sum"))
        .reset_index()
        .rename(columns={"conversation_date": "date"})
    )
    daily["is_final"] = daily["date"] <= NEWEST - timedelta(days=12)
    estimates = final_rate_estimates(con, daily).set_index("date")
    newest = estimates.loc[NEWEST]
    # As loaded, the newest day reads 90% durable (only the 6-hour comebacks are seen);
    # its final rate will be 70%, which the estimate recovers from the older days.
    assert daily.set_index("date").loc[NEWEST, "durable_resolved"] == 90
    assert abs(newest["estimate"] - 0.70) < 1e-9
    assert newest["low"] <= 0.70 <= newest["high"]
    assert newest["reference_days"] == 8  # the final days before it, up to 14
    # every provisional day gets one; final days none
    assert len(estimates) == int((~daily["is_final"]).sum())
