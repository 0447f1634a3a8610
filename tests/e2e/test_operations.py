"""Operations under load: analysts reading during a run, a UI backfill through
GraphQL, and a run killed in the middle of dbt."""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pytest

from pipelines.config import Paths
from pipelines.instance import PROJECT_ROOT, dg_dev_command, prepare_dagster_home
from pipelines.runner import run_range
from pipelines.synth import generate
from pipelines.warehouse import SNAPSHOT_TABLE
from tests.e2e.helpers import assert_snapshot_mirrors_warehouse, isolated_home, table_rows

pytestmark = pytest.mark.e2e

FIRST = (date(2026, 4, 1), date(2026, 4, 3))
SECOND = (date(2026, 4, 4), date(2026, 4, 6))
MARTS = ["fct_conversations", "mart_resolution_daily", "mart_resolution_by_dimension"]


def _generate(home: Paths, start: date, end: date, per_day: int = 80) -> None:
    generate(
        start=start,
        end=end,
        per_day=per_day,
        seed=5,
        landing=home.landing,
        truth_dir=home.raw / "synth_truth",
    )


def _analyst(path: str, stop: multiprocessing.Event, results: multiprocessing.Queue) -> None:
    """Query the snapshot in a loop: one long-lived connection plus a fresh one each time."""
    held = duckdb.connect(path, read_only=True)
    seen, errors = [], []
    while not stop.is_set():
        try:
            held.execute(f"select run_id from {SNAPSHOT_TABLE}").fetchone()
            con = duckdb.connect(path, read_only=True)
            seen.append(
                con.execute(
                    f"select (select run_id from {SNAPSHOT_TABLE}), "
                    "(select count(*) from mart_resolution_daily), (select count(*) from fct_conversations)"
                ).fetchone()
            )
            con.close()
        except Exception as error:  # every failure is reported, none is retried
            errors.append(repr(error))
        time.sleep(0.05)
    held.close()
    results.put((seen, errors))


@dataclass(frozen=True)
class FirstWindow:
    home: Paths
    marts: dict[str, list[tuple]]  # as published right after the run of FIRST


@pytest.fixture(scope="module")
def first_window(tmp_path_factory, module_monkeypatch) -> FirstWindow:
    """Both windows generated, FIRST run once: the analysts' test runs SECOND on it, and
    its marts are the clean result the killed run must converge to."""
    home = isolated_home(tmp_path_factory, module_monkeypatch, "analyst")
    _generate(home, FIRST[0], SECOND[1])
    assert run_range(home, *FIRST, log_level="WARNING").success
    return FirstWindow(home, _marts(home.analytics))


def _marts(db: Path) -> dict[str, list[tuple]]:
    return {table: table_rows(db, f"select * from {table} order by all") for table in MARTS}


def test_analysts_are_never_blocked_and_see_whole_snapshots(first_window: FirstWindow) -> None:
    home = first_window.home
    old_state = table_rows(
        home.analytics,
        f"select (select run_id from {SNAPSHOT_TABLE}), (select count(*) from mart_resolution_daily), "
        "(select count(*) from fct_conversations)",
    )[0]

    ctx = multiprocessing.get_context("spawn")
    stop, results = ctx.Event(), ctx.Queue()
    analyst = ctx.Process(target=_analyst, args=(str(home.analytics), stop, results))
    analyst.start()
    second = run_range(home, *SECOND, log_level="WARNING")
    time.sleep(0.5)
    stop.set()
    seen, errors = results.get(timeout=60)
    analyst.join(60)

    assert second.success
    assert errors == []
    new_state = table_rows(
        home.analytics,
        f"select (select run_id from {SNAPSHOT_TABLE}), (select count(*) from mart_resolution_daily), "
        "(select count(*) from fct_conversations)",
    )[0]
    assert new_state[0] == second.run_id and new_state[1] == 6
    assert len(seen) > 10, "the analyst loop barely ran"
    assert set(seen) <= {old_state, new_state}, (
        f"a query saw a half-published state: {set(seen) - {old_state, new_state}}"
    )
    assert old_state in seen
    # the second publish read again only what the journal of changes marked
    assert_snapshot_mirrors_warehouse(home)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _graphql(port: int, query: str, variables: dict | None = None) -> dict:
    body = json.dumps({"query": query, "variables": variables or {}}).encode()
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/graphql", data=body, headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            payload = json.load(response)
    except urllib.error.HTTPError as error:
        if error.code != 500:
            raise
        payload = json.load(error)  # GraphQL errors come back as HTTP 500 with a body
    assert "errors" not in payload, payload
    return payload["data"]


ASSET_KEYS = """{ assetNodes { assetKey { path } isPartitioned } }"""
LAUNCH = """
mutation($params: LaunchBackfillParams!) {
  launchPartitionBackfill(backfillParams: $params) {
    __typename
    ... on LaunchBackfillSuccess { backfillId }
    ... on PythonError { message stack }
    ... on InvalidSubsetError { message }
    ... on UnauthorizedError { message }
  }
}"""
RUN_STEPS = """
query($id: ID!) {
  runOrError(runId: $id) {
    ... on Run { status stepStats { stepKey status } }
  }
}"""
STATUS = """
query($id: String!) {
  partitionBackfillOrError(backfillId: $id) {
    __typename
    ... on PartitionBackfill { status runs(limit: 20) { runId status } }
  }
}"""


def test_a_backfill_launched_like_the_ui_runs_as_one_run(
    tmp_path_factory, module_monkeypatch
) -> None:
    home = isolated_home(tmp_path_factory, module_monkeypatch, "backfill")
    _generate(home, *FIRST)
    prepare_dagster_home(home)
    port = _free_port()
    log = (home.home / "dagster-dev.log").open("w")
    server = subprocess.Popen(
        dg_dev_command(port),
        cwd=PROJECT_ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
        env={**os.environ},
    )
    try:
        deadline = time.monotonic() + 180
        nodes = None
        while time.monotonic() < deadline:
            try:
                nodes = _graphql(port, ASSET_KEYS)["assetNodes"]
                if nodes:
                    break
            except OSError:
                pass
            time.sleep(2)
        assert nodes, "the webserver did not come up; see dagster-dev.log"
        keys = [{"path": node["assetKey"]["path"]} for node in nodes if node["isPartitioned"]]
        # What the UI's "Materialize" -> partition range -> "Launch backfill" sends.
        params = {
            "assetSelection": keys,
            "partitionNames": [
                (FIRST[0] + timedelta(days=i)).isoformat()
                for i in range((FIRST[1] - FIRST[0]).days + 1)
            ],
            "fromFailure": False,
        }
        launched = _graphql(port, LAUNCH, {"params": params})["launchPartitionBackfill"]
        assert launched["__typename"] == "LaunchBackfillSuccess", launched
        backfill_id = launched["backfillId"]
        status = None
        while time.monotonic() < deadline + 420:
            backfill = _graphql(port, STATUS, {"id": backfill_id})["partitionBackfillOrError"]
            status = backfill["status"]
            if status in {
                "COMPLETED",
                "COMPLETED_SUCCESS",
                "COMPLETED_FAILED",
                "FAILED",
                "CANCELED",
            }:
                break
            time.sleep(3)
        if status not in {"COMPLETED", "COMPLETED_SUCCESS"}:
            failed = [
                _graphql(port, RUN_STEPS, {"id": run["runId"]})["runOrError"]
                for run in backfill["runs"]
            ]
            pytest.fail(f"backfill ended {status}: {failed}")
        runs = backfill["runs"]
        assert len(runs) == 1 and runs[0]["status"] == "SUCCESS", runs
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(60)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
        log.close()
    days = table_rows(
        home.analytics, "select conversation_date from mart_resolution_daily order by 1"
    )
    assert [d for (d,) in days] == [FIRST[0], date(2026, 4, 2), FIRST[1]]


def test_a_run_killed_during_dbt_recovers_to_the_clean_result(
    tmp_path_factory, module_monkeypatch, first_window: FirstWindow
) -> None:
    home = isolated_home(tmp_path_factory, module_monkeypatch, "killed")
    _generate(home, FIRST[0], SECOND[1])  # the same landing as the clean run's home
    run = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "pipelines.cli",
            "run",
            "--start",
            FIRST[0].isoformat(),
            "--end",
            FIRST[1].isoformat(),
        ],
        cwd=PROJECT_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
        env={**os.environ},
    )
    killed_in_dbt = False
    seen: list[str] = []
    assert run.stdout is not None
    for line in run.stdout:
        seen.append(line)
        if "closedloop_dbt_models" in line and "Running dbt command" in line:
            time.sleep(1.5)  # dbt is starting up / building models: the step is mid-way
            os.killpg(run.pid, signal.SIGKILL)
            killed_in_dbt = True
            break
    run.wait(60)
    assert killed_in_dbt, "never saw the dbt step start:\n" + "".join(seen[-30:])
    assert run.returncode != 0
    assert not home.analytics.exists(), "a killed run must not publish"

    # The killed run is still STARTED on record, and its lock file is left behind. A plain
    # re-run takes the lock over (its holder is dead), so it knows the STARTED run's
    # process is gone: it marks that run failed (issue 12 #16) and converges, no --force.
    duckdb.connect(str(home.warehouse)).close()
    rerun = run_range(home, *FIRST, log_level="WARNING")
    assert rerun.success and len(rerun.dead_runs_failed) == 1
    assert _marts(home.analytics) == first_window.marts
