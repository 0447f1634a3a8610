"""dbt invocations: pure functions that build their arguments (unit-tested without dbt),
and the manifest preparation that dagster-dbt needs before it can load the project."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path

# One extra day of rebuild for windows stretched by a daylight-saving shift (see dbt_window).
DST_SLACK_DAYS = 1

DBT_PROJECT_DIR = Path(__file__).resolve().parent.parent / "dbt_project"


def dbt_window(days: Sequence[date], recontact_days: int) -> tuple[date, date]:
    """The date window dbt rebuilds for a run over ``days``.

    Recontact flags of a conversation depend on the ``recontact_days`` after it, so a
    run that loads new days must also rebuild the trailing window before them. The
    window is exact 24-hour days, so across a spring-forward night in the business
    timezone a late-evening conversation's window ends just after midnight one local
    day further on: reaching back one extra day keeps that conversation rebuilt too.
    """
    if not days:
        raise ValueError("a dbt run needs at least one partition day")
    return min(days) - timedelta(days=recontact_days + DST_SLACK_DAYS), max(days)


def dbt_build_args(days: Sequence[date], recontact_days: int, min_n: int) -> list[str]:
    """``dbt build`` arguments for a run over ``days``; the settings the marts depend on
    are passed as vars so dbt and the Python assets agree on them."""
    min_date, max_date = dbt_window(days, recontact_days)
    variables = {
        "min_date": min_date.isoformat(),
        "max_date": max_date.isoformat(),
        "recontact_days": recontact_days,
        "min_n": min_n,
    }
    return ["build", "--vars", json.dumps(variables, sort_keys=True)]


def prepare_manifest() -> None:
    """Parse the dbt project into ``target/manifest.json``, which dagster-dbt loads."""
    from dbt.cli.main import dbtRunner

    result = dbtRunner().invoke(
        [
            "parse",
            "--project-dir",
            str(DBT_PROJECT_DIR),
            "--profiles-dir",
            str(DBT_PROJECT_DIR),
            "--quiet",
        ]
    )
    if not result.success:
        raise RuntimeError(f"dbt parse failed: {result.exception}")
