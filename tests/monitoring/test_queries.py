"""Monitoring-table writes survive schema additions and report what is still provisional."""

from datetime import date

import duckdb
import pandas as pd

from pipelines.monitoring import queries
from pipelines.warehouse.tables import MONITORING_TABLES

DAY = date(2026, 4, 12)


def test_columns_added_since_the_table_was_created_are_added_in_place() -> None:
    con = duckdb.connect()
    movers = MONITORING_TABLES["mart_metric_movers"]
    old_columns = [
        (column.name, movers.sql_type(column))
        for column in movers.columns
        if column.name not in ("metric", "is_final")
    ]
    ddl = ", ".join(f'"{name}" {sql_type}' for name, sql_type in old_columns)
    con.execute(f"create table main.mart_metric_movers ({ddl})")
    con.execute(
        "insert into main.mart_metric_movers (date, comparison, dimension, slice) "
        "values ('2026-01-01', 'prev_day', 'channel', 'web')"
    )
    assert queries.oldest_provisional_date(con, "mart_metric_movers") is None
    row = dict.fromkeys(movers.columns.names)
    row.update(date=DAY, comparison="prev_week", metric="resolution_rate", is_final=False)
    queries.write_window(con, "mart_metric_movers", pd.DataFrame([row]), [DAY])
    stored = con.execute("select date, metric, is_final from main.mart_metric_movers order by date")
    assert stored.fetchall() == [(date(2026, 1, 1), None, None), (DAY, "resolution_rate", False)]
    assert queries.oldest_provisional_date(con, "mart_metric_movers") == DAY


def test_no_table_means_nothing_provisional() -> None:
    assert queries.oldest_provisional_date(duckdb.connect(), "mart_bot_versions") is None
