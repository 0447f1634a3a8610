"""int_conversation_event_facts rebuilds a day of the window only when that day's
scrubbed events changed since it was built (macros/event_days.sql): whatever changed
them (this run's scrub, a run that failed after its scrub, a backfill, a hand edit),
and a day whose events were removed is emptied; the other days are left as built."""

from __future__ import annotations

import json
import re
from datetime import date

import pandas as pd
import pytest

from pipelines.warehouse.tables import SCRUBBED_EVENTS
from tests.dbt.helpers import (
    DBT_PROJECT,
    DbtProject,
    all_conversations,
    create_warehouse,
    load_days,
)

FACTS = "intermediate.int_conversation_event_facts"
FIRST, LAST = date(2025, 3, 3), date(2025, 3, 10)
UNCHANGED, EDITED, EMPTIED = "2025-03-05", "2025-03-06", "2025-03-07"
MARK = 999  # a value no build makes: a row that keeps it was not rebuilt


def build(project: DbtProject, first: str, last: str) -> None:
    window = json.dumps({"min_date": first, "max_date": last})
    project.run("run", "--select", "+fct_conversations", "--vars", window)


def facts(project: DbtProject) -> pd.DataFrame:
    return project.query(f"select * from {FACTS} order by conversation_id")


@pytest.fixture(scope="module")
def rebuilt(dbt_project: DbtProject) -> DbtProject:
    """Built once; then rows of two days are marked, one of them has an event changed
    in place (same count) and a third loses its events, all outside dbt, and a run
    over the whole window follows."""
    create_warehouse(dbt_project.warehouse)
    load_days(dbt_project.warehouse, all_conversations(), FIRST, LAST)
    build(dbt_project, FIRST.isoformat(), LAST.isoformat())
    dbt_project.query(
        f"update {FACTS} set messages = {MARK} "
        f"where conversation_date in ('{UNCHANGED}', '{EDITED}')"
    )
    dbt_project.query(
        "update scrubbed.events set actor = 'agent', event_type = 'message' "
        f"where partition_date = '{EDITED}' and seq = 1"
    )
    dbt_project.query(f"delete from scrubbed.events where partition_date = '{EMPTIED}'")
    build(dbt_project, FIRST.isoformat(), LAST.isoformat())
    return dbt_project


def test_a_day_whose_events_did_not_change_is_not_rebuilt(rebuilt: DbtProject) -> None:
    rows = facts(rebuilt)
    unchanged = rows[rows["conversation_date"].astype(str) == UNCHANGED]
    assert len(unchanged) > 0
    assert (unchanged["messages"] == MARK).all()


def test_a_day_whose_events_changed_in_place_is_rebuilt(rebuilt: DbtProject) -> None:
    rows = facts(rebuilt)
    edited = rows[rows["conversation_date"].astype(str) == EDITED]
    assert len(edited) > 0
    assert (edited["messages"] != MARK).all()
    assert (edited["agent_messages"] > 0).any()  # the edit is read


def test_a_day_whose_events_were_removed_is_emptied(rebuilt: DbtProject) -> None:
    rows = facts(rebuilt)
    assert (rows["conversation_date"].astype(str) != EMPTIED).all()
    assert (rows["conversation_date"].astype(str) == UNCHANGED).any()


def test_the_rebuilt_days_equal_a_full_refresh(rebuilt: DbtProject) -> None:
    """Every day but the marked one equals a build from scratch (which also undoes
    the mark: nothing else would, the marked day's events being unchanged)."""
    before = facts(rebuilt)
    rebuilt.run(
        "run",
        "--select",
        "int_conversation_event_facts",
        "--full-refresh",
        "--vars",
        json.dumps({"min_date": FIRST.isoformat(), "max_date": LAST.isoformat()}),
    )
    after = facts(rebuilt)
    keep = before["conversation_date"].astype(str) != UNCHANGED
    pd.testing.assert_frame_equal(
        before[keep].reset_index(drop=True),
        after[after["conversation_date"].astype(str) != UNCHANGED].reset_index(drop=True),
    )
    assert (after["messages"] != MARK).all()


def test_the_fingerprint_covers_every_scrubbed_event_column() -> None:
    """A column missing from the fingerprint would let a change of it go unseen."""
    macros = (DBT_PROJECT / "macros" / "event_days.sql").read_text()
    listed = re.search(r"macro scrubbed_event_columns\(\).*?return\(\[(.*?)\]\)", macros, re.S)
    assert listed is not None
    assert re.findall(r"'(\w+)'", listed.group(1)) == SCRUBBED_EVENTS.columns.names


def test_a_day_built_by_other_code_is_rebuilt(rebuilt: DbtProject) -> None:
    """An upgrade that changes how facts are computed rebuilds the window's days whose
    events did not change (their rows record the code that built them)."""
    rebuilt.query(
        f"update {FACTS} set messages = {MARK}, facts_version = 'an older release' "
        f"where conversation_date = '{UNCHANGED}'"
    )
    rebuilt.query(f"update {FACTS} set messages = {MARK} where conversation_date = '{EDITED}'")
    build(rebuilt, FIRST.isoformat(), LAST.isoformat())
    rows = facts(rebuilt)
    day = rows["conversation_date"].astype(str)
    assert (rows.loc[day == UNCHANGED, "messages"] != MARK).all()
    assert rows["facts_version"].nunique() == 1
    # A day built by this code with unchanged events is still left as it is.
    assert (rows.loc[day == EDITED, "messages"] == MARK).all()
