"""dbt invocations: pure functions that build their arguments (unit-tested without dbt),
and the manifest preparation that dagster-dbt needs before it can load the project."""

from __future__ import annotations

import json
import shutil
from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from pathlib import Path

import duckdb

from pipelines.config import (
    DEFAULT_MEMORY_BUDGET_MB,
    OWNER_FILE_MODE,
    duckdb_limits,
    restricted_dir,
)
from pipelines.warehouse.io import table_exists
from pipelines.warehouse.tables import FCT_CONVERSATIONS
from schemas.metrics import DST_SLACK_DAYS

DBT_PROJECT_DIR = Path(__file__).resolve().parent.parent / "dbt_project"
PARTIAL_PARSE = "partial_parse.msgpack"


def dbt_window(
    days: Sequence[date], recontact_days: int, oldest_provisional_day: date | None = None
) -> tuple[date, date]:
    """The date window dbt rebuilds for a run over ``days``.

    Recontact flags of a conversation depend on the ``recontact_days`` after it, so a
    run that loads new days must also rebuild the trailing window before them. The
    window is exact 24-hour days, so across a spring-forward night in the business
    timezone a late-evening conversation's window ends just after midnight one local
    day further on: reaching back one extra day keeps that conversation rebuilt too.

    ``oldest_provisional_day`` (the oldest loaded day not yet final) widens the window
    back to it: a day turns final when later days are loaded, which can happen in a
    run whose own trailing window no longer reaches it (a gap of empty days, a run
    skipped), and nothing else would ever rebuild that day again.
    """
    if not days:
        raise ValueError("a dbt run needs at least one partition day")
    first = min(days) - timedelta(days=recontact_days + DST_SLACK_DAYS)
    if oldest_provisional_day is not None:
        first = min(first, oldest_provisional_day)
    return first, max(days)


def oldest_provisional_day(con: duckdb.DuckDBPyConnection) -> date | None:
    """The oldest loaded day not yet final, read before a build so it re-checks that day;
    None when every day is final or nothing is built yet (the first run builds all)."""
    if not table_exists(con, FCT_CONVERSATIONS):
        return None
    row = con.execute(
        f"select min(conversation_date) from {FCT_CONVERSATIONS} where not is_final"
    ).fetchone()
    return row[0] if row else None


# dbt's unit tests check the models' SQL on fixed fixture rows, not the warehouse's data:
# the same result every night. The nightly build leaves them out (about 2.5 s of a
# 10k day's dbt time, two of three seconds of dbt's own work on the second dbt step);
# a plain `dbt build` (make test's dbt tests, a developer) still runs them, and
# tests/dbt/test_dbt_marts.py checks that it ran every one.
NIGHTLY_EXCLUDES = ("--exclude-resource-type", "unit_test")


def dbt_build_args(
    days: Sequence[date],
    recontact_days: int,
    min_n: int,
    landing_lookback_days: int,
    oldest_provisional_day: date | None = None,
    warehouse: Path | None = None,
    judge: str = "signals",
    spark_dir: Path | None = None,
    window_in_warehouse: bool = False,
    memory_budget_mb: int = DEFAULT_MEMORY_BUDGET_MB,
) -> list[str]:
    """``dbt build`` arguments for a run over ``days``; the settings the marts depend on
    are passed as vars so dbt and the Python assets agree on them. ``warehouse`` (an
    absolute path) is the DuckDB file profiles.yml opens, passed as a var rather than
    through the environment, which a run must not change under other threads.
    ``spark_dir`` (engine spark) builds on the profile's ``spark`` target, which keeps
    its sources, tables and metastore there (docs/scale-out.md).

    ``window_in_warehouse``: the caller has written the window (``dbt_window``) into
    ``main.dbt_run_window`` (``pipelines.warehouse.io.write_dbt_window``) and dbt reads
    it there, so the vars do not change from run to run: dbt re-parses only what changed
    instead of the whole project (any change of ``--vars`` forces a full parse). The
    pipeline does so on both engines (on Spark the table is exported with the sources,
    ``pipelines.warehouse.spark.export_sources``); without it, the window is passed as
    ``--vars`` (a plain dbt invocation, the tests and benches).

    ``memory_budget_mb``: dbt's DuckDB gets the memory_limit and threads of the run's one
    split (``pipelines.config.duckdb_limits``) as the var ``duckdb_settings``, which
    profiles.yml's ``settings`` applies to every connection dbt opens. During a dbt step
    the run process idles at its ~0.5 GB and dbt's own interpreter takes the Python half;
    without a limit DuckDB may take 80% of the machine's memory (the 1M day's peak was
    the dbt step's, +1.05 GB). The budget is a setting, the same every night, so the vars
    still do not change from run to run."""
    variables: dict[str, object] = {}
    if window_in_warehouse:
        variables["window_from_warehouse"] = True
    else:
        min_date, max_date = dbt_window(days, recontact_days, oldest_provisional_day)
        variables.update(min_date=min_date.isoformat(), max_date=max_date.isoformat())
    variables |= {
        "recontact_days": recontact_days,
        "min_n": min_n,
        "landing_lookback_days": landing_lookback_days,
        "judge": judge,
    }
    if warehouse is not None:
        variables["warehouse_path"] = str(warehouse)
    if spark_dir is None:
        variables["duckdb_settings"] = duckdb_limits(memory_budget_mb).settings
    else:
        variables["spark_dir"] = str(spark_dir)
        return [
            "build",
            "--vars",
            json.dumps(variables, sort_keys=True),
            "--target",
            "spark",
            *NIGHTLY_EXCLUDES,
        ]
    return ["build", "--vars", json.dumps(variables, sort_keys=True), *NIGHTLY_EXCLUDES]


def run_target_dir(runs: Path, run_id: str, keep: int = 3) -> Path:
    """dbt's target and log folder for one run, ``runs/<run_id>`` (owner-only), after
    deleting all but the ``keep - 1`` most recent earlier ones: each holds compiled SQL,
    run results and a debug log, and would otherwise grow by megabytes per run."""
    restricted_dir(runs)
    earlier = sorted(
        (folder for folder in runs.iterdir() if folder.is_dir() and folder.name != run_id),
        key=lambda folder: folder.stat().st_mtime,
    )
    for folder in earlier[: max(len(earlier) - (keep - 1), 0)]:
        shutil.rmtree(folder, ignore_errors=True)
    target = restricted_dir(runs / run_id)
    # dagster-dbt copies the project's partial-parse state in with its mode (0644) unless
    # it is there already: copied first, owner-only. The home's own state (the last
    # run's, save_parse_state) is preferred: it was parsed with this home's vars and
    # profile, which the project's is not, so dbt can re-parse only what changed.
    saved = runs / PARTIAL_PARSE
    partial_parse = saved if saved.exists() else DBT_PROJECT_DIR / "target" / PARTIAL_PARSE
    if partial_parse.exists() and not (target / PARTIAL_PARSE).exists():
        shutil.copyfile(partial_parse, target / PARTIAL_PARSE)
        (target / PARTIAL_PARSE).chmod(OWNER_FILE_MODE)
    return target


def save_parse_state(runs: Path, target: Path) -> None:
    """Keep a run's dbt parse state for the next run of the home (run_target_dir).
    Sound whatever changed since: dbt re-checks its version, vars, profile and every
    file's checksum against the state and re-parses what differs."""
    state = target / PARTIAL_PARSE
    if not state.exists():
        return
    staged = runs / f".{PARTIAL_PARSE}.tmp"
    shutil.copyfile(state, staged)
    staged.chmod(OWNER_FILE_MODE)
    staged.replace(runs / PARTIAL_PARSE)  # atomic: a concurrent reader sees old or new


def failed_nodes(
    run_results: Mapping[str, object], checks: Mapping[str, Sequence[str]] | None = None
) -> list[str]:
    """What failed in a dbt ``run_results.json``, as ``<status> <node>`` (with a test's
    failing row count, and the failed checks of a ``row_checks`` test from
    ``failed_row_checks``): never dbt's messages, which quote database errors and so can
    quote the values of the rows involved."""
    lines = []
    for result in run_results.get("results", []):  # type: ignore[union-attr]
        status = str(result.get("status"))
        if status not in {"error", "fail", "runtime error"}:
            continue
        failures = result.get("failures")
        rows = f" ({failures} failing rows)" if status == "fail" and failures else ""
        named = (checks or {}).get(str(result.get("unique_id")))
        rows += f": {', '.join(named)}" if named else ""
        lines.append(f"{status} {result.get('unique_id')}{rows}")
    return lines


def failed_row_checks(
    con: duckdb.DuckDBPyConnection, run_results: Mapping[str, object]
) -> dict[str, list[str]]:
    """The failed checks of each failed ``row_checks`` test (dbt_project/tests/generic/
    row_checks.sql), as ``<check>(<columns>) <rows> rows``, by re-running the test's
    compiled query on the warehouse dbt built. Its rows name a check and its columns,
    never a value, so they may be shown where dbt's messages may not. DuckDB only."""
    named: dict[str, list[str]] = {}
    for result in run_results.get("results", []):  # type: ignore[union-attr]
        code = result.get("compiled_code") or ""
        if result.get("status") != "fail" or " as failed_check" not in code:
            continue
        try:
            rows = con.execute(f"select failed_check, failing_rows from ({code})").fetchall()
        except duckdb.Error:  # the relation changed since: the node name must do
            continue
        named[str(result.get("unique_id"))] = [f"{check} {count} rows" for check, count in rows]
    return named


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


def model_columns(manifest: Path) -> dict[str, list[str]]:
    """Each model's declared columns (its yml), in their declared order, by model name:
    where a copy-back from Spark puts the day column (``import_marts``)."""
    nodes = json.loads(manifest.read_text()).get("nodes", {})
    return {
        str(node["name"]): list(node.get("columns") or {})
        for node in nodes.values()
        if node.get("resource_type") == "model"
    }
