"""The metric vocabulary: dimensions, rates and the finality lag, for Python.

dbt reads the same definitions natively as project vars (``dbt_project/dbt_project.yml``,
``vars:``); this module reads that file, so there is one copy. Vars rather than a file
of our own because dbt cannot read arbitrary files, and rather than a generated macro
because a generator needs a step that can be forgotten; `dbt build` alone still works.
"""

from __future__ import annotations

from pathlib import Path

import yaml

DBT_PROJECT_FILE = Path(__file__).resolve().parent.parent / "dbt_project" / "dbt_project.yml"

_VARS = yaml.safe_load(DBT_PROJECT_FILE.read_text())["vars"]

# dimension -> the SQL expression (over fct_conversations) that names a conversation's slice
DIMENSIONS: dict[str, str] = dict(_VARS["resolution_dimensions"])
# (rate, numerator count, denominator count), in the marts' column order
RATE_DEFINITIONS: tuple[tuple[str, str, str], ...] = tuple(
    (str(rate), str(numerator), str(denominator))
    for rate, numerator, denominator in _VARS["resolution_rates"]
)
RATES: tuple[str, ...] = tuple(rate for rate, _, _ in RATE_DEFINITIONS)
DST_SLACK_DAYS: int = int(_VARS["dst_slack_days"])
PARTIAL_DAY_SLACK_DAYS: int = int(_VARS["partial_day_slack_days"])


def finality_lag_days(recontact_days: int, landing_lookback_days: int) -> int:
    """Days after ``conversation_date`` that must be loaded before the day is final.

    The dbt macro ``final_lag_days()`` computes the same from the same vars. A
    recontact of day D starts on a day up to D + recontact_days (+1 across a
    spring-forward night); a conversation of that day can still arrive in a landing
    folder up to ``landing_lookback_days`` later, read by that folder day's nightly run;
    and the last loaded day may itself be today, loaded part-way, whose nightly is
    still to come.
    """
    return recontact_days + DST_SLACK_DAYS + landing_lookback_days + PARTIAL_DAY_SLACK_DAYS
