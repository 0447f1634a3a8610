import json
from datetime import date

import pytest

from pipelines.dbt_args import dbt_build_args, dbt_window


def test_window_reaches_back_over_the_recontact_days_and_one_dst_day() -> None:
    days = [date(2026, 1, 10), date(2026, 1, 11), date(2026, 1, 12)]
    assert dbt_window(days, recontact_days=7) == (date(2026, 1, 2), date(2026, 1, 12))


def test_window_covers_a_recontact_stretched_by_spring_forward() -> None:
    # 23:30 on Mar 1 in New York + 7 x 24 h = 00:30 on Mar 9 local (DST began Mar 8):
    # a recontact then lands on a day 8 local days later, so loading Mar 9 must rebuild
    # Mar 1's conversation.
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    started = datetime(2026, 3, 1, 23, 30, tzinfo=ZoneInfo("America/New_York"))
    window_end = (started.astimezone(ZoneInfo("UTC")) + timedelta(hours=24 * 7)).astimezone(
        started.tzinfo
    )
    last_recontact_day = (window_end - timedelta(minutes=1)).date()
    assert last_recontact_day == date(2026, 3, 9)
    min_date, _ = dbt_window([last_recontact_day], recontact_days=7)
    assert min_date <= started.date()


def test_build_args_pass_the_window_as_vars() -> None:
    args = dbt_build_args([date(2026, 3, 1)], recontact_days=7, min_n=50)
    assert args[:2] == ["build", "--vars"]
    assert json.loads(args[2]) == {
        "min_date": "2026-02-21",
        "max_date": "2026-03-01",
        "recontact_days": 7,
        "min_n": 50,
    }


def test_empty_window_is_refused() -> None:
    with pytest.raises(ValueError):
        dbt_window([], recontact_days=7)
