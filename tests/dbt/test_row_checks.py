"""The consolidated data tests (dbt_project/tests/generic/row_checks.sql): one test per
model checks many conditions in one query. Break a built mart (or a source) in one way,
and the model's test must fail, naming the check and its column, as the single tests it
replaced did; the window bound checks only the rows a run wrote."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
import pytest

from pipelines.dbt_args import failed_nodes, failed_row_checks
from tests.dbt.helpers import (
    DBT_PROJECT,
    DbtProject,
    all_conversations,
    create_warehouse,
    load_days,
)


@dataclass
class Outcome:
    success: bool
    failures: dict[str, int]  # test name -> failing rows
    checks: dict[str, list[str]]  # test unique_id -> failed checks, as the pipeline names them
    nodes: list[str]  # failed_nodes' lines


@pytest.fixture(scope="module")
def built(dbt_project: DbtProject) -> DbtProject:
    """A warehouse with the project built on it (kept pristine: each case copies it)."""
    create_warehouse(dbt_project.warehouse)
    load_days(dbt_project.warehouse, all_conversations(), date(2025, 3, 3), date(2025, 3, 10))
    dbt_project.run("build")
    with duckdb.connect(str(dbt_project.warehouse)) as con:
        con.execute("checkpoint")  # everything in the file itself, which the cases copy
    return dbt_project


def run_tests(project: DbtProject, select: str, variables: dict | None = None) -> Outcome:
    """``dbt test --select`` on the case's warehouse, in a dbt process of its own (an
    in-process dbt keeps the DuckDB file open, and each case replaces it). One path and
    target folder for every case, so dbt parses the project once and partial-parses
    after."""
    case = project.tmp / "case.duckdb"
    target = project.tmp / "case-target"
    args = [DBT, "test", "--select", select, "--project-dir", str(DBT_PROJECT)]
    args += ["--profiles-dir", str(DBT_PROJECT), "--target-path", str(target)]
    args += ["--log-path", str(project.tmp / "logs"), "--quiet"]
    if variables:
        args += ["--vars", json.dumps(variables)]
    env = {**os.environ, "CLOSEDLOOP_WAREHOUSE": str(case)}
    finished = subprocess.run(args, env=env, cwd=DBT_PROJECT, capture_output=True, check=False)
    assert finished.returncode in (0, 1), finished.stderr  # 1: a test failed
    run_results = json.loads((target / "run_results.json").read_text())
    failures = {
        r["unique_id"].split(".")[2]: r["failures"]
        for r in run_results["results"]
        if r["status"] == "fail"
    }
    with duckdb.connect(str(case), read_only=True) as con:
        checks = failed_row_checks(con, run_results)
    return Outcome(finished.returncode == 0, failures, checks, failed_nodes(run_results, checks))


def broken(project: DbtProject, *statements: str) -> DbtProject:
    """The built warehouse, copied to the case's path, with ``statements`` run on it."""
    case = project.tmp / "case.duckdb"
    shutil.copyfile(project.warehouse, case)
    with duckdb.connect(str(case)) as con:
        for statement in statements:
            con.execute(statement)
    return project


DBT = str(Path(sys.executable).with_name("dbt"))
DAY = "date '2025-03-04'"

# (what is broken, the statements, the consolidated test, the check it must name, rows)
CASES = [
    (
        "a null slice",
        [
            f"update mart_csat set intent = null where conversation_date = {DAY} and intent = 'refund'"
        ],
        "mart_csat_rows",
        "not_null(intent)",
    ),
    (
        "score counts that do not add up",
        [f"update mart_csat set score_1 = score_1 + 1 where conversation_date = {DAY}"],
        "mart_csat_rows",
        "expression(scores_sum_to_rated)",
    ),
    (
        "an out-of-range score",
        ["update fct_conversations set csat_score = 9 where conversation_id = 'd2_handoff'"],
        "fct_conversations_rows",
        "accepted_range(csat_score, 1, 5)",
    ),
    (
        "an unknown customer type",
        ["update fct_conversations set customer_type = 'x' where conversation_id = 'd2_human'"],
        "fct_conversations_rows",
        "accepted_values(customer_type)",
    ),
    (
        "a duplicated day",
        [
            "insert into mart_resolution_daily select * from mart_resolution_daily"
            f" where conversation_date = {DAY}"
        ],
        "mart_resolution_daily_rows",
        "unique(conversation_date)",
    ),
    (
        "a week without finality",
        ["update mart_resolution_weekly set is_final = null"],
        "mart_resolution_weekly_rows",
        "not_null(is_final)",
    ),
    (
        "a conversation on two days",
        [
            "insert into fct_conversations select * replace (date '2025-03-09' as conversation_date)"
            " from fct_conversations where conversation_id = 'd2_confirmed'"
        ],
        "fct_conversations_ids",
        "unique(conversation_id)",
    ),
    (
        "an unknown actor in the scrubbed events",
        ["update scrubbed.events set actor = 'robot' where conversation_id = 'd2_human'"],
        "stg_events_rows",
        "accepted_values(actor)",
    ),
    (
        "a scrubbed event without its seq",
        ["update scrubbed.events set seq = null where conversation_id = 'd2_handoff' and seq = 0"],
        "scrubbed_events_rows",
        "not_null(seq)",
    ),
    (
        "a duplicated scrubbed conversation",
        [
            "insert into scrubbed.conversations select * from scrubbed.conversations"
            " where conversation_id = 'd2_human'"
        ],
        "scrubbed_conversations_rows",
        "unique(conversation_id)",
    ),
]


HANDOFF_FAULTS = [
    f"update mart_handoffs set handoffs = null where conversation_date = {DAY}",
    "update mart_handoffs set handoffs_answered_not_recontacted = handoffs_answered + 1",
]


@dataclass
class Broken:
    outcome: Outcome
    handoff_rows: int
    handoff_rows_of_day: int


@pytest.fixture(scope="module")
def all_broken(built: DbtProject) -> Broken:
    """Every fault of CASES and HANDOFF_FAULTS at once, and every consolidated test in
    one dbt invocation (each fault breaks its own check)."""
    statements = [statement for case in CASES for statement in case[1]] + HANDOFF_FAULTS
    outcome = run_tests(broken(built, *statements), "test_name:row_checks")
    with duckdb.connect(str(built.tmp / "case.duckdb"), read_only=True) as con:
        nulls, rows = con.execute(
            f"select count(*) filter (where conversation_date = {DAY}), count(*) from mart_handoffs"
        ).fetchone()
    return Broken(outcome, rows, nulls)


def named_checks(outcome: Outcome, test: str) -> list[str]:
    return [
        line
        for unique_id, lines in outcome.checks.items()
        if unique_id.split(".")[2] == test
        for line in lines
    ]


@pytest.mark.parametrize(("fault", "statements", "test", "check"), CASES, ids=[c[0] for c in CASES])
def test_each_broken_condition_fails_its_models_test_and_is_named(
    all_broken: Broken, fault: str, statements: list[str], test: str, check: str
) -> None:
    outcome = all_broken.outcome
    assert not outcome.success, fault
    assert outcome.failures[test] > 0
    assert check in [line.rsplit(" ", 2)[0] for line in named_checks(outcome, test)]
    assert any(f".{test}." in line and check in line for line in outcome.nodes)


def test_only_the_broken_models_tests_fail(all_broken: Broken) -> None:
    broken_tests = {case[2] for case in CASES} | {"mart_handoffs_rows"}
    # stg_conversations, a view of the scrubbed conversations, does not check their ids
    # again (stg_conversations.yml): the duplicate fails scrubbed_conversations_rows only
    assert set(all_broken.outcome.failures) == broken_tests


def test_the_unbroken_warehouse_passes_every_consolidated_test(built: DbtProject) -> None:
    outcome = run_tests(broken(built), "test_name:row_checks")
    assert outcome.success and outcome.failures == {}


def test_several_broken_checks_are_each_named_with_their_rows(all_broken: Broken) -> None:
    nulls, rows = all_broken.handoff_rows_of_day, all_broken.handoff_rows
    assert 0 < nulls < rows
    # a null count makes the conditions it is in null, and null fails them
    assert sorted(named_checks(all_broken.outcome, "mart_handoffs_rows")) == sorted(
        [
            f"not_null(handoffs) {nulls} rows",
            f"expression(handoffs_within_intent) {nulls} rows",
            f"expression(answered_within_handoffs) {nulls} rows",
            f"expression(not_recontacted_within_answered) {rows} rows",
        ]
    )
    # dbt's failure count is the failing rows of every check, as with one test each
    assert all_broken.outcome.failures["mart_handoffs_rows"] == 3 * nulls + rows


def test_a_windowed_test_checks_only_the_rows_of_the_run_window(built: DbtProject) -> None:
    project = broken(
        built, f"update fct_conversations set is_final = null where conversation_date = {DAY}"
    )
    outside = {"min_date": "2025-03-06", "max_date": "2025-03-10"}
    assert run_tests(project, "fct_conversations_rows", outside).success
    inside = {"min_date": "2025-03-04", "max_date": "2025-03-10"}
    outcome = run_tests(project, "fct_conversations_rows", inside)
    assert not outcome.success
    named = named_checks(outcome, "fct_conversations_rows")
    assert [line.rsplit(" ", 2)[0] for line in named] == ["not_null(is_final)"]


WINDOW = {"min_date": "2025-03-06", "max_date": "2025-03-10"}


def copy_event(from_day: str, to_day: str) -> str:
    """One event of a ``from_day`` conversation, copied (same key) into ``to_day``."""
    return (
        f"insert into scrubbed.events select * replace (date '{to_day}' as partition_date) "
        f"from scrubbed.events where partition_date = date '{from_day}' and seq = 1 "
        "order by conversation_id limit 1"
    )


def test_a_duplicate_event_key_with_a_copy_outside_the_window_fails(built: DbtProject) -> None:
    """stg_events' row checks and scrubbed_events_keys read only the run's window; a
    key copied from a conversation outside the window (03-04) into a day inside it
    (03-07) still fails: the copy does not lie on its conversation's day, which every
    window event must (keys_unique.sql has the argument)."""
    project = broken(built, copy_event("2025-03-04", "2025-03-07"))
    outcome = run_tests(project, "scrubbed_events_keys stg_events_rows", WINDOW)
    assert outcome.failures == {"scrubbed_events_keys": 1}


@pytest.mark.parametrize(
    ("fault", "statement", "failing"),
    [
        # the copy is off its conversation's day (the key's repeat is not counted: the
        # key group-by reads only the changed day, 03-08, where the key occurs once)
        ("across two days of the window", copy_event("2025-03-07", "2025-03-08"), 1),
        ("twice in one day of the window", copy_event("2025-03-07", "2025-03-07"), 1),
    ],
)
def test_a_duplicate_event_key_inside_the_window_fails(
    built: DbtProject, fault: str, statement: str, failing: int
) -> None:
    outcome = run_tests(broken(built, statement), "scrubbed_events_keys", WINDOW)
    assert outcome.failures == {"scrubbed_events_keys": failing}, fault


def test_a_duplicate_event_key_outside_the_window_fails_the_run_that_writes_it(
    built: DbtProject,
) -> None:
    """A copy written into a day outside this run's window is checked by the run whose
    window holds that day (a run rewrites only its window's days), and by a plain
    `dbt build`, which checks every row."""
    project = broken(built, copy_event("2025-03-04", "2025-03-03"))
    # both days in the window: the copy is off its conversation's day (the key group-by
    # reads the changed day 03-03 only, where the key occurs once)
    writer = {"min_date": "2025-03-03", "max_date": "2025-03-10"}
    assert run_tests(project, "scrubbed_events_keys", writer).failures == {
        "scrubbed_events_keys": 1
    }
    # every row: the copy is off its day, and the key repeats
    everything = run_tests(project, "scrubbed_events_keys")
    assert everything.failures == {"scrubbed_events_keys": 2}


FACTS = "intermediate.int_conversation_event_facts"


def record_as_built(day: str) -> str:
    """Event facts' record of ``day`` set to the events there now, as a build that ran
    the key check on them would leave it."""
    return (
        f"update {FACTS} set day_events = now.n, day_fingerprint = now.h from ("
        "select count(*) as n, sum(hash(partition_date, conversation_id, seq, sent_at, actor,"
        " event_type, text, agent_key, payload)) as h from scrubbed.events"
        f" where partition_date = date '{day}') as now where conversation_date = date '{day}'"
    )


def run_dbt(project: DbtProject, *args: str) -> None:
    """dbt on the case's warehouse (as run_tests), expecting success."""
    case, target = project.tmp / "case.duckdb", project.tmp / "case-target"
    command = [DBT, *args, "--project-dir", str(DBT_PROJECT), "--profiles-dir", str(DBT_PROJECT)]
    command += ["--target-path", str(target), "--log-path", str(project.tmp / "logs"), "--quiet"]
    env = {**os.environ, "CLOSEDLOOP_WAREHOUSE": str(case)}
    finished = subprocess.run(command, env=env, cwd=DBT_PROJECT, capture_output=True, check=False)
    assert finished.returncode == 0, finished.stdout.decode() + finished.stderr.decode()


def test_the_event_key_check_skips_a_day_recorded_as_checked(built: DbtProject) -> None:
    """The key group-by reads only the window's days whose events changed since a
    checked build recorded them (keys_unique.sql, checked_by): a duplicate planted
    together with a record saying it was checked is not read by a windowed run, which
    is how a nightly avoids re-reading 12 unchanged days; a plain `dbt build` (no
    window) reads every row and fails."""
    project = broken(built, copy_event("2025-03-07", "2025-03-07"), record_as_built("2025-03-07"))
    assert run_tests(project, "scrubbed_events_keys", WINDOW).success
    assert run_tests(project, "scrubbed_events_keys").failures == {"scrubbed_events_keys": 1}


def test_a_day_built_without_the_key_check_is_checked_again(built: DbtProject) -> None:
    """Event facts built by an invocation that did not run the key check (`dbt run`)
    record that (facts_version), and the check reads their days again: a `dbt run`
    over a duplicate cannot make the nightly's check skip it."""
    project = broken(built, copy_event("2025-03-07", "2025-03-07"))
    run_dbt(
        project, "run", "--select", "int_conversation_event_facts", "--vars", json.dumps(WINDOW)
    )
    with duckdb.connect(str(project.tmp / "case.duckdb"), read_only=True) as con:
        versions = dict(
            con.execute(
                f"select distinct conversation_date::varchar, facts_version from {FACTS} "
                "where conversation_date in ('2025-03-06', '2025-03-07')"
            ).fetchall()
        )
    assert versions["2025-03-07"].endswith(":keys-unchecked")  # rebuilt by the run
    assert not versions["2025-03-06"].endswith(":keys-unchecked")  # kept as built
    outcome = run_tests(project, "scrubbed_events_keys", WINDOW)
    assert outcome.failures == {"scrubbed_events_keys": 1}


@pytest.mark.parametrize(
    ("fault", "statement", "test"),
    [
        (
            "a scrubbed conversation copied into the window",
            "insert into scrubbed.conversations select * replace (date '2025-03-08' as "
            "partition_date) from scrubbed.conversations where conversation_id = 'd2_human'",
            "scrubbed_conversations_rows",
        ),
        (
            "a conversation of fct_conversations copied into the window",
            "insert into fct_conversations select * replace (date '2025-03-09' as "
            "conversation_date) from fct_conversations where conversation_id = 'd2_confirmed'",
            "fct_conversations_ids",
        ),
        (
            "a judgement copied into the window",
            "insert into main.conversation_judgements by name select day as partition_date, "
            "'d2_human' as conversation_id, 'signals' as judge, 'signals-test' as judge_version, "
            "'resolved' as verdict, 0.5 as score, [] as reasons, [] as evidence "
            "from (values (date '2025-03-04'), (date '2025-03-08')) as days(day)",
            "conversation_judgements_rows",
        ),
    ],
)
def test_a_conversation_key_repeated_outside_the_window_fails(
    built: DbtProject, fault: str, statement: str, test: str
) -> None:
    """The conversation-level keys are checked on the window's rows only, each counted
    among every row: a copy in the window of a row outside it (03-04) fails."""
    outcome = run_tests(broken(built, statement), test, WINDOW)
    assert not outcome.success, fault
    assert outcome.failures[test] == 1  # the window's copy; the original is outside
    assert [line.rsplit(" ", 2)[0] for line in named_checks(outcome, test)] == [
        "unique(" + ("conversation_id, judge" if "judgement" in fault else "conversation_id") + ")"
    ]


def test_the_source_checks_have_one_parent_so_the_pipeline_runs_them(built: DbtProject) -> None:
    """dagster-dbt makes a source's test an asset check (which the pipeline's dbt step
    runs) only when the test has one parent node: scrubbed_events_keys looks its parent
    source up by name, not with source(), which would give it a second one."""
    manifest = json.loads((built.tmp / "target" / "manifest.json").read_text())
    parents = {
        node["name"]: node["depends_on"]["nodes"]
        for node in manifest["nodes"].values()
        if node["resource_type"] == "test"
    }
    for test in (
        "scrubbed_events_keys",
        "scrubbed_conversations_rows",
        "conversation_judgements_rows",
    ):
        assert len(parents[test]) == 1, test


def test_stg_conversations_passes_every_scrubbed_conversation_through() -> None:
    """stg_conversations_rows leaves the id's uniqueness to scrubbed_conversations_rows
    (stg_conversations.yml) because the view neither filters, joins, unions nor groups
    rows: if it ever does, its own unique check is needed again."""
    sql = (DBT_PROJECT / "models" / "staging" / "stg_conversations.sql").read_text().lower()
    code = "\n".join(line.split("--")[0] for line in sql.splitlines())
    for word in ("where", "join", "union", "group by", "distinct", "qualify"):
        assert word not in code, word
    assert code.count("source(") == 1 and "ref(" not in code  # one relation read
