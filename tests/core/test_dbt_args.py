import json
from datetime import date

import pytest

from pipelines.dbt_args import dbt_build_args, dbt_window


def test_window_reaches_back_over_the_recontact_days() -> None:
    days = [date(2026, 1, 10), date(2026, 1, 11), date(2026, 1, 12)]
    assert dbt_window(days, recontact_days=7) == (date(2026, 1, 3), date(2026, 1, 12))


def test_build_args_pass_the_window_as_vars() -> None:
    args = dbt_build_args([date(2026, 3, 1)], recontact_days=7, min_n=50)
    assert args[:2] == ["build", "--vars"]
    assert json.loads(args[2]) == {
        "min_date": "2026-02-22",
        "max_date": "2026-03-01",
        "recontact_days": 7,
        "min_n": 50,
    }


def test_empty_window_is_refused() -> None:
    with pytest.raises(ValueError):
        dbt_window([], recontact_days=7)
