"""Parity of the two engines: the dbt project on Spark builds exactly DuckDB's marts.

The hand-made warehouse of tests/dbt/helpers.py goes through both engines from the
same source rows: DuckDB reads its tables, Spark reads their Parquet export
(pipelines.warehouse.spark). Two steps, as a pipeline would run them:
1. days 2025-03-03..03-10 loaded, every model built from scratch;
2. days 03-11..03-16 loaded and day 03-06 re-delivered empty, the incremental run
   the pipeline passes (pipelines.dbt_args), which on Spark drops and overwrites
   partitions instead of deleting rows.
After each, every mart must be identical on both: every row and column, floats to
1e-9. The second Spark invocation is a `dbt build` that also runs the project's own
generic tests on Spark's marts (one parse instead of a separate `dbt test`). One local
Spark session (one JVM, set up for tiny data: TINY_DATA_CONF) serves the module (the
dbt `session` method runs in this process and reuses it); every Spark test that runs
Spark in the pytest process belongs in this module, so the suite (`-n 2 --dist loadfile`)
starts one JVM per worker at most (tests/dbt/test_spark_cluster.py runs its driver in a
child process, against a master and worker of its own). The whole `dbt build` on Spark (every data and unit test) passes too, but takes
minutes on two cores: docs/scale-out.md has the command.

Skipped only where Java is missing (.ci/run installs a JRE, so CI always runs it);
without pyspark it fails under CI and skips elsewhere.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import math
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import dagster as dg
import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

import pipelines.pii.spark
from pipelines.cli.ingest import ingest_app
from pipelines.config import Paths, Settings, paths
from pipelines.dbt_args import (
    NIGHTLY_EXCLUDES,
    dbt_build_args,
    dbt_window,
    model_columns,
    oldest_provisional_day,
)
from pipelines.defs import ingest as ingest_defs
from pipelines.defs.resources import WarehouseResource
from pipelines.pii.load import scrubbed_window
from pipelines.pii.pseudonym import PiiKey
from pipelines.pii.spark import (
    StagedRowsMismatch,
    discard,
    scrub_on_spark,
    scrub_window_on_spark,
    spark_leak_verdict,
    staged_window,
)
from pipelines.sources import ingest_days
from pipelines.sources import spark as sources_spark
from pipelines.sources.audit import reconcile_audit, write_audit
from pipelines.sources.column_map import ColumnMap
from pipelines.sources.files import IngestBug
from pipelines.sources.scratch import IngestBudget
from pipelines.sources.spark import judge_files_on_spark, spark_judge
from pipelines.warehouse.io import write_dbt_window
from pipelines.warehouse.spark import export_sources, import_marts
from tests.dbt.helpers import (
    DbtProject,
    all_conversations,
    create_warehouse,
    load_days,
    load_judgements,
)
from tests.dbt.spark_required import require_spark
from tests.dbt.test_dbt_marts import EMPTIED_DAY, JUDGEMENTS, MARTS, SORT_KEYS
from tests.pii.conftest import DAY, make_tables
from tests.pii.test_scrub_asset import materialize
from tests.sources.ingest_helpers import conversation, write_csv, write_jsonl

require_spark("the Spark parity test")

FLOAT_TOLERANCE = 1e-9
# The project's generic tests (dbt_project/tests/generic): its own SQL, so each must run
# on Spark too; dbt's built-in relationships test is dbt-spark's.
SPARK_TESTS = (
    "rates_within_ci",
    "ladder_monotonic",
    "conversation_ladder_consistent",
    "row_checks",
)


# Spark settings for a few hundred rows in one process, measured (docs/scale-out.md): one
# core and one shuffle partition (a task per stage, no scheduling between threads: the
# suite runs two pytest workers on two shared cores), no adaptive re-planning, and a JVM
# that compiles with C1 only and collects with the serial GC (a short-lived driver never
# earns back C2's compile time). The profile re-applies its runtime settings at every
# query (dbt-spark's session cursor), so its shuffle partitions are set by environment.
SHUFFLE_PARTITIONS = "1"
TINY_DATA_CONF = {
    "spark.sql.shuffle.partitions": SHUFFLE_PARTITIONS,
    "spark.default.parallelism": "1",
    "spark.sql.adaptive.enabled": "false",
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    # interpreted execution: code generation costs seconds of compiling per query
    "spark.sql.codegen.wholeStage": "false",
    "spark.sql.codegen.factoryMode": "NO_CODEGEN",
    "spark.driver.extraJavaOptions": "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC",
}


def spark_session(spark_dir: Path):  # pyspark is imported lazily: no annotation
    """The module's Spark session, configured as the profile's `spark` target (the
    dbt session reuses it) except for what buys nothing on a few hundred rows: the
    in-memory catalog instead of the Derby metastore (whose schema takes long to
    create) and :data:`TINY_DATA_CONF`."""
    from pyspark.sql import SparkSession

    builder = (
        SparkSession.builder.master("local[1]")
        .appName("closedloop-parity")
        .config("spark.sql.catalogImplementation", "in-memory")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.sql.warehouse.dir", str(spark_dir / "warehouse"))
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.parquet.outputTimestampType", "TIMESTAMP_MICROS")
    )
    for key, value in TINY_DATA_CONF.items():
        builder = builder.config(key, value)
    session = builder.getOrCreate()
    # the scrub jobs' Python workers run this venv's interpreter (pipelines.pii.spark)
    session.sparkContext.pythonExec = sys.executable
    return session


def normalized(value: object) -> object:
    if isinstance(value, dt.datetime):
        # DuckDB returns timestamptz in its session zone, Spark in UTC: same instant
        return value.astimezone(dt.UTC) if value.tzinfo else value.replace(tzinfo=dt.UTC)
    return value


def rows_of(table: pa.Table, keys: list[str]) -> tuple[list[str], list[dict]]:
    columns = sorted(table.column_names)
    rows = [{c: normalized(row[c]) for c in columns} for row in table.to_pylist()]
    return columns, sorted(rows, key=lambda row: tuple(str(row[k]) for k in keys))


def assert_same_mart(mart: str, duck: pa.Table, spark: pa.Table) -> int:
    keys = SORT_KEYS[mart]
    duck_columns, duck_rows = rows_of(duck, keys)
    spark_columns, spark_rows = rows_of(spark, keys)
    assert duck_columns == spark_columns, f"{mart}: columns differ"
    assert len(duck_rows) == len(spark_rows), f"{mart}: {len(duck_rows)} vs {len(spark_rows)} rows"
    for duck_row, spark_row in zip(duck_rows, spark_rows, strict=True):
        key = {k: duck_row[k] for k in keys}
        for column in duck_columns:
            a, b = duck_row[column], spark_row[column]
            if isinstance(a, float) and isinstance(b, float):
                same = math.isclose(a, b, rel_tol=0, abs_tol=FLOAT_TOLERANCE) or (
                    math.isnan(a) and math.isnan(b)
                )
            else:
                same = a == b and type(a) is type(b)
            assert same, f"{mart} {key} {column}: duckdb {a!r} != spark {b!r}"
    return len(duck_rows)


class Engines:
    """The same warehouse built by dbt on DuckDB and on Spark."""

    def __init__(self, project: DbtProject, spark_dir: Path, spark: object) -> None:
        self.project = project
        self.spark_dir = spark_dir
        self.spark = spark

    def run(self, *args: str, spark_tests: tuple[str, ...] = ()) -> None:
        """Every model on both engines; on Spark also the generic tests ``spark_tests``
        (after the models they test, in the same dbt invocation: one parse, not two)."""
        self.project.run("run", *args)
        with duckdb.connect(str(self.project.warehouse)) as con:
            export_sources(con, self.spark_dir)
        if not spark_tests:
            self.project.run("run", *args, "--target", "spark")
            return
        tests = [f"test_name:{name}" for name in spark_tests]
        self.project.run(
            "build", *args, "--target", "spark",
            "--select", "resource_type:model", *tests,
            # only the tests named, not every test of the selected models
            "--indirect-selection", "empty",
        )  # fmt: skip

    def copy_back(self, warehouse: Path) -> dict[str, int]:
        """``import_marts`` into ``warehouse``, as the pipeline's dbt step does: the rows
        copied per mart."""
        declared = model_columns(self.project.tmp / "target" / "manifest.json")
        with duckdb.connect(str(warehouse)) as con:
            imported = import_marts(con, self.spark_dir, declared)
        return {name.removeprefix("main."): rows for name, rows in imported.items()}

    def compare(self) -> dict[str, int]:
        rows = {}
        # (not read_only: dbt-duckdb keeps this process's connection to the file open)
        with duckdb.connect(str(self.project.warehouse)) as con:
            for mart in MARTS:
                duck = con.sql(f"select * from main.{mart}").to_arrow_table()
                spark = self.spark.table(f"main.{mart}").toArrow()  # type: ignore[attr-defined]
                rows[mart] = assert_same_mart(mart, duck, spark)
        return rows


@pytest.fixture(scope="module")
def spark(dbt_project: DbtProject) -> Iterator[object]:
    """The one Spark session (one JVM) of the module: every Spark test here uses it."""
    spark_dir = dbt_project.tmp / "spark"
    # the profile's spark target reads these (the dbt session runs in this process)
    environment = {
        "CLOSEDLOOP_SPARK_DIR": str(spark_dir),
        "CLOSEDLOOP_SPARK_SHUFFLE_PARTITIONS": SHUFFLE_PARTITIONS,
    }
    previous = {name: os.environ.get(name) for name in environment}
    os.environ.update(environment)
    session = spark_session(spark_dir)
    yield session
    session.stop()
    for name, value in previous.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


@pytest.fixture(scope="module")
def engines(dbt_project: DbtProject, spark: object) -> Engines:
    create_warehouse(dbt_project.warehouse)
    load_judgements(dbt_project.warehouse, JUDGEMENTS)
    return Engines(dbt_project, dbt_project.tmp / "spark", spark)


def test_spark_builds_the_same_marts_as_duckdb_full_then_incremental(engines: Engines) -> None:
    conversations = all_conversations()
    load_days(engines.project.warehouse, conversations, dt.date(2025, 3, 3), dt.date(2025, 3, 10))
    engines.run()
    first = engines.compare()
    # engine spark's publish path: the marts copied back from Spark's files
    copied = engines.project.tmp / "copied.duckdb"
    assert set(MARTS) <= set(engines.copy_back(copied))

    new_days = [dt.date(2025, 3, day) for day in range(11, 17)]
    load_days(engines.project.warehouse, conversations, new_days[0], new_days[-1])
    load_days(engines.project.warehouse, [], EMPTIED_DAY, EMPTIED_DAY)
    with duckdb.connect(str(engines.project.warehouse)) as con:
        provisional_since = oldest_provisional_day(con)
        # the window as the pipeline passes it to both engines: in main.dbt_run_window,
        # which Spark reads from the export
        write_dbt_window(con, *dbt_window(new_days, 7, provisional_since))
    command, *args = dbt_build_args(
        new_days,
        7,
        30,
        landing_lookback_days=3,
        oldest_provisional_day=provisional_since,
        window_in_warehouse=True,
    )
    assert command == "build"
    # with the project's own tests of the marts' invariants, on Spark's marts; the vars
    # only: `dbt run` refuses the nightly build's resource-type exclusion
    assert tuple(args[2:]) == NIGHTLY_EXCLUDES
    engines.run(*args[:2], spark_tests=SPARK_TESTS)
    second = engines.compare()
    # Spark read the window from the export (main.dbt_run_window), as DuckDB did
    window = engines.spark.sql("select min_date, max_date from main.dbt_run_window").collect()  # type: ignore[attr-defined]
    assert [tuple(row) for row in window] == [dbt_window(new_days, 7, provisional_since)]

    # every mart had rows to compare, and the incremental step changed them
    assert all(first.values()) and all(second.values()), (first, second)
    assert second["fct_conversations"] > first["fct_conversations"]
    emptied = engines.spark.sql(  # type: ignore[attr-defined]
        f"select count(*) from main.fct_conversations where conversation_date = '{EMPTIED_DAY}'"
    ).collect()[0][0]
    assert emptied == 0

    # copied back again, partition by partition (the partitions Spark rewrote; here the
    # window reaches the first day): still DuckDB's marts, column types and order included
    engines.copy_back(copied)
    with (
        duckdb.connect(str(engines.project.warehouse)) as duck,
        duckdb.connect(str(copied)) as con,
    ):
        for mart in MARTS:
            theirs = con.sql(f"select * from main.{mart}")
            ours = duck.sql(f"select * from main.{mart}")
            assert theirs.columns == ours.columns, mart
            assert_same_mart(mart, ours.to_arrow_table(), theirs.to_arrow_table())


# --- the scrub stage and its leak gate as Spark jobs (pipelines.pii.spark) -------------

PII_KEY = b"spark-parity-key" * 2


def raw_home(home: Path, tables: tuple[pa.Table, pa.Table]) -> Paths:
    """A data home whose raw store holds ``tables`` (conversations, events) for DAY."""
    home_paths = paths(home).ensure()
    day_dir = home_paths.raw_day(DAY)
    day_dir.mkdir(parents=True, exist_ok=True)
    pq.write_table(tables[0], day_dir / "conversations.parquet")
    pq.write_table(tables[1], day_dir / "events.parquet")
    return home_paths


def ordered(file: Path, keys: list[str]) -> pa.Table:
    return pq.read_table(file).sort_by([(key, "ascending") for key in keys])


def test_spark_scrubs_a_day_exactly_as_the_local_path(spark: object, tmp_path: Path) -> None:
    home = raw_home(tmp_path, make_tables(conversations=12))
    with scrubbed_window(home, [DAY], PII_KEY) as local:
        local_events = ordered(local.events.path, ["conversation_id", "seq"])
        local_conversations = ordered(local.conversations.path, ["conversation_id"])
        local_detections = local.detections
    store = str(tmp_path / "store")
    staged = scrub_window_on_spark(spark, home, [DAY], PII_KEY, store)
    with staged_window(staged, home) as window:
        # every column, every row: text, payload, pseudonyms, placeholder numbering
        assert ordered(window.events.path, ["conversation_id", "seq"]).equals(local_events)
        assert ordered(window.conversations.path, ["conversation_id"]).equals(local_conversations)
    assert staged.detections.equals(local_detections)
    assert local_detections.num_rows  # the fixture's planted PII was found
    assert spark_leak_verdict(spark, staged).passed
    discard(spark, staged)

    # the whole stage: gated on Spark, loaded into the warehouse, committed to the store
    key = PiiKey(PII_KEY, source="test")
    with duckdb.connect(str(home.warehouse)) as con:
        result = scrub_on_spark(spark, home, [DAY], key, con, store)
        assert result.verdict.passed
        assert con.execute("select count(*) from scrubbed.events").fetchone() == (
            local_events.num_rows,
        )
    assert (result.events, result.conversations) == (local_events.num_rows, 12)
    assert (Path(store) / "events" / f"partition_date={DAY}").is_dir()
    assert not list((Path(store) / "_staging").iterdir())


def warehouse_tables(warehouse: Path) -> dict[str, list[tuple]]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return {
            table: con.execute(f"select * from {table} order by all").fetchall()
            for table in ("scrubbed.conversations", "scrubbed.events", "main.pii_detections_daily")
        }


def test_a_store_off_this_machine_is_loaded_through_spark_into_the_same_warehouse(
    spark: object, tmp_path: Path
) -> None:
    """The post-gate load of a store on object storage reads the staged partitions
    through Spark (streamed as Arrow batches), not DuckDB: forced here on a file:// URI
    outside the home, it must leave the warehouse the DuckDB read leaves."""
    tables = make_tables(conversations=12)
    key = PiiKey(PII_KEY, source="test")
    warehouses = {}
    for through_spark in (False, True):
        home = raw_home(tmp_path / f"home-{through_spark}", tables)
        store = (tmp_path / f"lake-{through_spark}").as_uri() + "/scrubbed"
        with duckdb.connect(str(home.warehouse)) as con:
            result = scrub_on_spark(
                spark, home, [DAY], key, con, store, through_spark=through_spark
            )
        assert result.verdict.passed
        assert (tmp_path / f"lake-{through_spark}" / "scrubbed" / "events").is_dir()
        warehouses[through_spark] = warehouse_tables(home.warehouse)
        assert not list(home.home.glob(".scrub-scratch-*"))
    assert warehouses[True] == warehouses[False]
    assert all(warehouses[True].values())  # rows in every table to compare
    with pytest.raises(ValueError, match="needs Spark"):
        staged = scrub_window_on_spark(spark, home, [DAY], PII_KEY, store)
        try:
            with staged_window(staged, home, through_spark=True):
                pass
        finally:
            discard(spark, staged)


def test_a_leak_the_scrubber_misses_fails_the_spark_gate_and_commits_nothing(
    spark: object, tmp_path: Path
) -> None:
    conversations, events = make_tables()
    # A canary in a column the scrubber leaves alone (a header label: only ids are
    # pseudonymized) but the gate scans: the scrubber misses it, the gate must not.
    # (A patched detector would not reach Spark's Python workers, which import the
    # real one.)
    canary = "refund-canary.person@example.com"
    intents = [canary if n == 2 else i for n, i in enumerate(conversations["intent"].to_pylist())]
    conversations = conversations.set_column(
        conversations.schema.get_field_index("intent"), "intent", pa.array(intents, pa.string())
    )
    home = raw_home(tmp_path, (conversations, events))
    store = str(tmp_path / "store")
    key = PiiKey(PII_KEY, source="test")
    with duckdb.connect(str(home.warehouse)) as con:
        result = scrub_on_spark(spark, home, [DAY], key, con, store)
        written = con.execute(
            "select count(*) from information_schema.tables where table_schema = 'scrubbed'"
        ).fetchone()
    assert not result.verdict.passed
    assert result.verdict.by_type == {"EMAIL": 1}
    assert result.verdict.conversations == [f"{DAY.isoformat()}-c2"]
    assert canary not in (result.verdict.description or "")
    assert "canary" not in repr(result.verdict)
    # nothing committed: no warehouse table, no store partition, no staging left
    assert written == (0,)
    assert (result.events, result.conversations) == (0, 0)
    assert not (Path(store) / "events").exists()
    assert not list((Path(store) / "_staging").iterdir())


def test_a_staged_window_read_back_short_loads_nothing_and_leaves_no_staging(
    spark: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Staging and the load's read disagree (here: the read loses its last batch, as a
    wrong path or a partial listing would): the run fails with the counts, the
    warehouse keeps what it had, and the staged rows are deleted."""
    home = raw_home(tmp_path, make_tables())
    store = str(tmp_path / "store")
    read = pipelines.pii.spark._staged_through_duckdb

    def short(uri: str) -> Iterator[pa.RecordBatch]:
        batches = list(read(uri))
        yield from batches[:-1] if uri.endswith("/events") else batches

    monkeypatch.setattr(pipelines.pii.spark, "_staged_through_duckdb", short)
    with duckdb.connect(str(home.warehouse)) as con:
        with pytest.raises(StagedRowsMismatch, match=r"read back \d+ conversations"):
            scrub_on_spark(spark, home, [DAY], PiiKey(PII_KEY, source="test"), con, store)
        written = con.execute(
            "select count(*) from information_schema.tables where table_schema = 'scrubbed'"
        ).fetchone()
    assert written == (0,)
    assert not (Path(store) / "events").exists()
    assert not list((Path(store) / "_staging").iterdir())
    assert not list(home.home.glob(".scrub-scratch-*"))


def test_the_scrub_asset_runs_on_spark_with_engine_spark(
    spark: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CLOSEDLOOP_ENGINE", "spark")
    monkeypatch.delenv("CLOSEDLOOP_PII_KEY", raising=False)
    home = raw_home(tmp_path, make_tables())
    result = materialize(tmp_path, DAY)
    assert result.success
    (check,) = result.get_asset_check_evaluations()
    assert check.passed
    with duckdb.connect(str(home.warehouse), read_only=True) as con:
        assert con.execute("select count(*) from scrubbed.events").fetchone() == (24,)
    # committed to the scrubbed store too, and the module's session is still up
    assert (home.spark / "scrubbed" / "events" / f"partition_date={DAY}").is_dir()
    assert spark.sql("select 1").collect()  # type: ignore[attr-defined]


# --- ingest validation as a Spark job (pipelines.sources.spark) ------------------------

D1, D2 = dt.date(2025, 3, 1), dt.date(2025, 3, 2)
LENIENT = Settings(quarantine_threshold=1.0)
DELIVERED = 1_740_800_000  # landing files' mtimes: the delivery order both engines read


def hostile_landing(home: Paths) -> None:
    """Two delivery days of JSONL and CSV with good records and hostile ones: a malformed
    JSON line, bad timestamps (a header and an event row), a line that is not UTF-8, a
    .gz file that is not gzip, and a conversation re-delivered by a later file."""
    write_jsonl(
        home,
        D1,
        "a.jsonl",
        [
            conversation("good-1", "2025-03-01T09:00:00+00:00"),
            "{not json",
            conversation("bad-ts", "2025-03-01T09:30:00+00:00", started_at="yesterday"),
            conversation("next-day", "2025-03-02T08:00:00+00:00", n_events=3),
            conversation("dup-1", "2025-03-01T10:00:00+00:00"),
        ],
        mtime=DELIVERED,
    )
    row = {"conversation_id": "flat-1", "actor": "user", "text": "hi"}
    write_csv(
        home,
        D1,
        "b.csv",
        [
            {**row, "sent_at": "2025-03-01T11:00:00Z"},
            {**row, "sent_at": "2025-03-01T11:00:05Z", "actor": "bot"},
            {**row, "conversation_id": "flat-2", "sent_at": "2025-03-01T12:00:00Z"},
            {**row, "conversation_id": "flat-2", "sent_at": "not a time", "actor": "bot"},
        ],
    )
    os.utime(home.landing_day(D1) / "b.csv", (DELIVERED + 10, DELIVERED + 10))
    write_jsonl(
        home,
        D2,
        "c.jsonl",
        [conversation("dup-1", "2025-03-01T10:00:00+00:00", n_events=4)],
        mtime=DELIVERED + 20,
    )
    broken = home.landing_day(D2) / "broken.jsonl.gz"
    broken.write_bytes(b"this is not gzip data\n")
    os.utime(broken, (DELIVERED + 30, DELIVERED + 30))
    good = conversation("utf8-ok", "2025-03-02T09:00:00+00:00")
    latin = home.landing_day(D2) / "latin1.jsonl"
    latin.write_bytes((json.dumps(good) + "\n").encode() + b'{"conversation_id": "caf\xe9"}\n')
    os.utime(latin, (DELIVERED + 40, DELIVERED + 40))


def ingest_outputs(home: Paths) -> dict[str, pa.Table]:
    """The raw store and the quarantine of both days, every file as written."""
    files = {}
    for day in (D1, D2):
        files[f"{day}/conversations"] = pq.read_table(home.raw_day(day) / "conversations.parquet")
        files[f"{day}/events"] = pq.read_table(home.raw_day(day) / "events.parquet")
        files[f"{day}/quarantine"] = pq.read_table(home.quarantine_day(day) / "quarantine.parquet")
    return files


def audit_rows(home: Paths) -> list[tuple]:
    with duckdb.connect(str(home.warehouse)) as con:
        assert reconcile_audit(con, [D1, D2]).reconciles
        return con.execute("select * from main.ingest_audit order by all").fetchall()


def test_spark_ingest_loads_and_quarantines_exactly_as_the_local_path(
    spark: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    local = paths(tmp_path / "local").ensure()
    hostile_landing(local)
    expected = ingest_days(local, [D1, D2], LENIENT)
    with duckdb.connect(str(local.warehouse)) as con:
        write_audit(con, [D1, D2], expected)
    on_spark = paths(tmp_path / "spark").ensure()
    hostile_landing(on_spark)
    persisted = set(spark.sparkContext._jsc.getPersistentRDDs().keySet())  # type: ignore[attr-defined]
    report = ingest_days(on_spark, [D1, D2], LENIENT, judge=spark_judge(spark))
    # the executors' copy of the judged (raw) records is dropped once written back
    assert not set(spark.sparkContext._jsc.getPersistentRDDs().keySet()) - persisted  # type: ignore[attr-defined]

    # every file of the raw store and the quarantine, every row and column, and the audit
    local_files, spark_files = ingest_outputs(local), ingest_outputs(on_spark)
    for name, table in local_files.items():
        assert spark_files[name].equals(table), name
    assert report == expected
    with duckdb.connect(str(on_spark.warehouse)) as con:
        write_audit(con, [D1, D2], report)
    assert audit_rows(on_spark) == audit_rows(local)
    # the hostile records were there to compare, each quarantined for its own reason
    reasons_seen = {
        code
        for day in (D1, D2)
        for code in local_files[f"{day}/quarantine"]["reason_code"].to_pylist()
    }
    assert {
        "malformed_json",
        "unparseable_timestamp",
        "sibling_rejected",
        "invalid_utf8",
        "unreadable_file",
        "duplicate_superseded",
    } <= reasons_seen
    assert all(local_files[f"{day}/events"].num_rows for day in (D1, D2))
    assert not list(on_spark.home.glob(".ingest-scratch-*"))

    # again: every file from the judged-file cache (what the executors judged), no Spark
    # task, and the same raw store, quarantine and report
    sent_to_spark: list[object] = []

    def spark_counted(files, *args):  # type: ignore[no-untyped-def]
        sent_to_spark.extend(files)
        return spark_judge(spark)(files, *args)

    again = ingest_days(on_spark, [D1, D2], LENIENT, judge=spark_counted)
    assert again.files_from_cache == again.files_scanned > 0
    assert sent_to_spark == []
    assert dataclasses.replace(again, files_from_cache=0) == expected
    cached_files = ingest_outputs(on_spark)
    for name, table in local_files.items():
        assert cached_files[name].equals(table), name

    # the asset with engine spark judges through Spark and records the same audit
    asset_home = paths(tmp_path / "asset").ensure()
    hostile_landing(asset_home)
    monkeypatch.setenv("CLOSEDLOOP_ENGINE", "spark")
    monkeypatch.setenv("CLOSEDLOOP_QUARANTINE_THRESHOLD", "1.0")
    judged_on_spark = []

    def counted(session: object):  # pyspark is imported lazily: no annotation
        judged_on_spark.append(session)
        return spark_judge(session)

    monkeypatch.setattr(sources_spark, "spark_judge", counted)
    result = dg.materialize(
        [ingest_defs.raw_transcripts, ingest_defs.ingest_audit_reconciles],
        resources={"warehouse": WarehouseResource(home=str(asset_home.home))},
        tags={
            "dagster/asset_partition_range_start": D1.isoformat(),
            "dagster/asset_partition_range_end": D2.isoformat(),
        },
    )
    assert result.success
    assert [check.passed for check in result.get_asset_check_evaluations()] == [True]
    assert judged_on_spark == [spark]  # the module's session, still up
    assert audit_rows(asset_home) == audit_rows(local)
    for name, table in ingest_outputs(asset_home).items():
        assert table.equals(local_files[name]), name

    # `closedloop ingest check` with engine spark judges through Spark too, and reports
    # what the local engine reports for the same files
    landing = sorted(asset_home.landing_day(D2).iterdir())
    monkeypatch.setenv("CLOSEDLOOP_ENGINE", "duckdb")
    by_duckdb = CliRunner().invoke(ingest_app, ["check", *map(str, landing)])
    monkeypatch.setenv("CLOSEDLOOP_ENGINE", "spark")
    judged_on_spark.clear()
    by_spark = CliRunner().invoke(ingest_app, ["check", *map(str, landing)])
    assert judged_on_spark == [spark]
    assert by_duckdb.exit_code == by_spark.exit_code == 1  # the hostile files
    assert by_spark.output == by_duckdb.output


def test_a_judging_bug_on_an_executor_surfaces_as_the_local_path_reports_it(
    spark: object, tmp_path: Path
) -> None:
    # A file no adapter reads (landing_files never lists one): judging it raises, which
    # only a bug can do. The executor's IngestBug reaches the driver with its own
    # message only, not Spark's text with the worker's traceback.
    stray = tmp_path / "landing" / "dt=2025-03-01" / "secret-customer-export.txt"
    stray.parent.mkdir(parents=True)
    stray.write_text("jane.doe@example.com\n")
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    # Other tests' DataFrames are unpersisted when the JVM collects them, at no set time:
    # what this judge persisted is what is new.
    persisted_before = set(spark.sparkContext._jsc.getPersistentRDDs().keySet())  # type: ignore[attr-defined]
    with pytest.raises(IngestBug) as raised:
        judge_files_on_spark(
            spark,
            [stray],
            ["dt=2025-03-01/secret-customer-export.txt"],
            ColumnMap(),
            scratch,
            IngestBudget.from_budget(512),
        )
    message = str(raised.value)
    persisted = set(spark.sparkContext._jsc.getPersistentRDDs().keySet())  # type: ignore[attr-defined]
    assert not persisted - persisted_before
    assert "judging the file failed with ValueError" in message
    assert "Traceback" not in message and "jane.doe" not in message
