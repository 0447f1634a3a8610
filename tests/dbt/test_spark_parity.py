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
dbt `session` method runs in this process and reuses it); every Spark test belongs in
this module, so the suite (`-n 2 --dist loadfile`) starts one JVM per worker at most. The whole `dbt build` on Spark (every data and unit test) passes too, but takes
minutes on two cores: docs/scale-out.md has the command.

Skipped only where Java is missing (.ci/run installs a JRE, so CI always runs it);
without pyspark it fails under CI and skips elsewhere.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest

from pipelines.dbt_args import dbt_build_args, oldest_provisional_day
from pipelines.warehouse.spark import export_sources, import_marts
from tests.dbt.helpers import (
    DbtProject,
    all_conversations,
    create_warehouse,
    load_days,
    load_judgements,
)
from tests.dbt.test_dbt_marts import EMPTIED_DAY, JUDGEMENTS, MARTS, SORT_KEYS

if shutil.which("java") is None:
    pytest.skip(
        "Java is missing: the Spark parity test needs a JRE 17+ "
        "(apt-get install openjdk-17-jre-headless; .ci/run installs it)",
        allow_module_level=True,
    )
if os.environ.get("CI") == "true":
    import pyspark  # noqa: F401  (CI must run the parity test: fail, never skip)
else:
    pytest.importorskip("pyspark", reason="pyspark is missing: make install")

FLOAT_TOLERANCE = 1e-9
# The project's generic tests (dbt_project/tests/generic): its own SQL, so each must run
# on Spark too; dbt's built-in not_null/unique/accepted_values are dbt-spark's.
SPARK_TESTS = (
    "rates_within_ci",
    "ladder_monotonic",
    "conversation_ladder_consistent",
    "expression_is_true",
    "accepted_range",
    "unique_combination_of_columns",
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
    return builder.getOrCreate()


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

    new_days = [dt.date(2025, 3, day) for day in range(11, 17)]
    load_days(engines.project.warehouse, conversations, new_days[0], new_days[-1])
    load_days(engines.project.warehouse, [], EMPTIED_DAY, EMPTIED_DAY)
    with duckdb.connect(str(engines.project.warehouse)) as con:
        provisional_since = oldest_provisional_day(con)
    command, *args = dbt_build_args(
        new_days, 7, 30, landing_lookback_days=3, oldest_provisional_day=provisional_since
    )
    assert command == "build"
    # with the project's own tests of the marts' invariants, on Spark's marts
    engines.run(*args, spark_tests=SPARK_TESTS)
    second = engines.compare()

    # every mart had rows to compare, and the incremental step changed them
    assert all(first.values()) and all(second.values()), (first, second)
    assert second["fct_conversations"] > first["fct_conversations"]
    emptied = engines.spark.sql(  # type: ignore[attr-defined]
        f"select count(*) from main.fct_conversations where conversation_date = '{EMPTIED_DAY}'"
    ).collect()[0][0]
    assert emptied == 0

    # the marts copied back from Spark's files (engine spark's publish path) are
    # DuckDB's marts too, column types included
    copied = engines.project.tmp / "copied.duckdb"
    with duckdb.connect(str(copied)) as con:
        imported = import_marts(con, engines.spark_dir)
        assert set(MARTS) <= {name.removeprefix("main.") for name in imported}
    with (
        duckdb.connect(str(engines.project.warehouse)) as duck,
        duckdb.connect(str(copied)) as con,
    ):
        for mart in MARTS:
            assert_same_mart(
                mart,
                duck.sql(f"select * from main.{mart}").to_arrow_table(),
                con.sql(f"select * from main.{mart}").to_arrow_table(),
            )
