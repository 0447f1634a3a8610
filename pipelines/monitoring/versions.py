"""Latest vs previous bot version per intent, over trailing windows, at one horizon."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import duckdb
import pandas as pd

from pipelines.monitoring import queries
from pipelines.monitoring.windows import recomputed_days
from pipelines.stats.versions import compare_versions, release_order
from pipelines.warehouse.tables import BOT_VERSIONS

VERSION_WINDOW_DAYS = 7


@dataclass(frozen=True)
class VersionTests:
    """The rows written, the days they cover, and the newest window's conversations
    without a bot_version (they cannot join a release comparison)."""

    rows: pd.DataFrame
    days: list[date]
    unattributed: int


def bot_version_tests(
    con: duckdb.DuckDBPyConnection, run_days: list[date], recontact_days: int, min_n: int
) -> VersionTests:
    """One test per day of the recomputed window (see ``recomputed_days``): the
    ``VERSION_WINDOW_DAYS`` ending that day, written to ``mart_bot_versions``.

    A row is final once every day of its window is: its counts can no longer change.
    """
    days = recomputed_days(
        run_days, recontact_days, queries.oldest_provisional_date(con, BOT_VERSIONS.table_name)
    )
    frames, unattributed = [], 0
    observed_until = queries.observation_end(con)
    window_ends = days if observed_until is not None else []  # nothing loaded yet
    # Each version's first day, read once: the first day up to a window's end is the
    # same first day when it is on or before that end (one read of the history per
    # run, not one per recomputed day).
    first_seen = queries.version_first_seen(con, days[-1]) if window_ends else None
    for day in window_ends:
        window_start = day - timedelta(days=VERSION_WINDOW_DAYS - 1)
        counts = queries.version_counts(con, window_start, day, observed_until)
        if day == days[-1]:
            # Counted once, for the newest window, not once per recomputed day.
            unattributed = int(counts.loc[counts["bot_version"].isna(), "n"].sum())
        counts = counts.dropna(subset=["bot_version"])
        if counts.empty:
            continue
        seen_by_then = pd.to_datetime(first_seen["first_seen"]) <= pd.Timestamp(day)
        order = release_order(first_seen.loc[seen_by_then])
        tests = compare_versions(counts, order, min_n=min_n)
        tests.insert(0, "window_start", window_start)
        tests.insert(0, "date", day)
        tests["is_final"] = bool(counts["is_final"].all())
        frames.append(tests)
    found = (
        pd.concat(frames, ignore_index=True)
        if frames
        else pd.DataFrame(columns=BOT_VERSIONS.columns.names)
    )
    queries.write_window(con, BOT_VERSIONS.table_name, found, days)
    return VersionTests(found, days, unattributed)
