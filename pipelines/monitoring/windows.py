"""Which days a monitoring run rewrites."""

from __future__ import annotations

from datetime import date, timedelta

from pipelines.dbt_args import dbt_window


def days_between(first: date, last: date) -> list[date]:
    """Every calendar day from ``first`` to ``last`` inclusive."""
    if last < first:
        raise ValueError(f"empty date range: {first} > {last}")
    return [first + timedelta(days=offset) for offset in range((last - first).days + 1)]


def recomputed_days(
    days: list[date], recontact_days: int, oldest_provisional: date | None
) -> list[date]:
    """The days whose movers and version tests a run over ``days`` rewrites.

    dbt rebuilds the trailing recontact window before the run's days, where recontact
    flags and ``is_final`` change, so rows computed from those days are stale until
    recomputed: the same window (from ``dbt_window``, so the two cannot drift), reaching
    back further to ``oldest_provisional``, the oldest day whose rows are still marked
    provisional, so every row is rewritten until it has been written final (a day can
    stay provisional beyond the trailing window, e.g. while late files may land).
    """
    first, last = dbt_window(days, recontact_days)
    if oldest_provisional is not None:
        first = min(first, oldest_provisional)
    return days_between(first, last)
