"""The Python stages on a Spark cluster: a standalone master and one worker, started by
the test on this machine, run the ingest validation and the scrub with its leak gate.

A child ``python`` process runs the Dagster assets with the settings a deployment would
set (``CLOSEDLOOP_ENGINE=spark``, ``CLOSEDLOOP_SPARK_MASTER=spark://…``, a
``CLOSEDLOOP_SPARK_CONF`` file, ``CLOSEDLOOP_SPARK_STORE`` outside the home), so its
SparkContext is its own and never meets tests/dbt/test_spark_parity.py's session. The
same day through the DuckDB engine in this process is the reference: the raw store,
the quarantine, the ingest audit, the scrubbed tables, the detections and the leak gate
must all be the same, and the master must have run both stages as applications.

Skipped only where Java is missing (.ci/run installs a JRE, so CI always runs it);
without pyspark it fails under CI and skips elsewhere.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import dagster as dg
import duckdb
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from pipelines.cli.ingest import ingest_app
from pipelines.config import paths
from pipelines.defs.ingest import ingest_audit_reconciles, raw_transcripts
from pipelines.defs.resources import WarehouseResource
from pipelines.defs.scrub import scrubbed_transcripts
from tests.dbt.spark_required import require_spark

pyspark = require_spark("the Spark cluster test")

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
DAY = date(2026, 3, 2)
PII_KEY = "spark-cluster-test-key-0123456789"
# Light JVMs for a few dozen conversations (as tests/dbt/test_spark_parity.py's
# TINY_DATA_CONF): C1 only, the serial GC, no adaptive re-planning, no code generation.
LIGHT_JVM = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"
# A value the spark_conf file holds as a credential would be: never in any output.
CANARY = "conf-canary-7f3a9c-not-a-real-key"
CLUSTER_CONF = {
    # the worker is on this machine: executors reach the driver on the loopback
    "spark.driver.host": "127.0.0.1",
    "spark.driver.bindAddress": "127.0.0.1",
    "spark.executor.memory": "512m",
    "spark.executor.cores": "1",
    "spark.sql.shuffle.partitions": "2",
    "spark.sql.adaptive.enabled": "false",
    "spark.sql.codegen.wholeStage": "false",
    "spark.ui.enabled": "false",
    "spark.driver.extraJavaOptions": LIGHT_JVM,
    "spark.executor.extraJavaOptions": LIGHT_JVM,
    "spark.hadoop.fs.s3a.secret.key": CANARY,
    # a key Spark's default redaction pattern does not match
    "spark.hadoop.fs.azure.account.key.lake.dfs.core.windows.net": f"azure-{CANARY}",
}
STARTUP_SECONDS = 90
RUN_SECONDS = 420


class CommandLineWatch(threading.Thread):
    """Reads every process's command line (what ``ps`` shows every local user) until
    stopped, and keeps those holding ``needle``: pyspark starts the JVM with its
    settings as arguments, and spark_conf values must not be among them."""

    def __init__(self, needle: str) -> None:
        super().__init__(daemon=True)
        self.needle, self.found, self.reads = needle.encode(), set[str](), 0
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.wait(0.1):
            for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
                try:
                    line = cmdline.read_bytes()
                except OSError:  # the process ended meanwhile
                    continue
                if self.needle in line:
                    self.found.add(line.replace(b"\0", b" ").decode(errors="replace")[:200])
            self.reads += 1

    def stop(self) -> None:
        self.done.set()
        self.join()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def master_state(webui: int) -> dict:
    with urllib.request.urlopen(f"http://127.0.0.1:{webui}/json/", timeout=5) as answer:
        return json.load(answer)


def stop(process: subprocess.Popen) -> None:
    """Stop a process started here, and its children (its own process group)."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


class Cluster:
    def __init__(self, url: str, webui: int, folder: Path) -> None:
        self.url = url
        self.webui = webui
        self.folder = folder  # the master's and worker's logs, the executors' work dirs

    def completed_apps(self) -> list[str]:
        return [app["name"] for app in master_state(self.webui)["completedapps"]]


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    """A standalone master and one worker (1 core, 1 GB) on the loopback, stopped when
    the module ends, also on failure."""
    folder = tmp_path_factory.mktemp("spark-cluster")
    port, webui = free_port(), free_port()
    env = {
        **os.environ,
        "SPARK_HOME": str(Path(pyspark.__file__).parent),
        "SPARK_LOG_DIR": str(folder / "logs"),
        "SPARK_LOCAL_DIRS": str(folder / "local"),
        "SPARK_DAEMON_MEMORY": "256m",
        "SPARK_DAEMON_JAVA_OPTS": LIGHT_JVM,
    }
    spark_class = str(Path(env["SPARK_HOME"]) / "bin" / "spark-class")
    url = f"spark://127.0.0.1:{port}"
    started: list[subprocess.Popen] = []
    logs = []

    def start(name: str, *args: str) -> None:
        log = (folder / f"{name}.log").open("wb")
        logs.append(log)
        process = subprocess.Popen(
            [spark_class, *args], env=env, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        started.append(process)

    try:
        start(
            "master", "org.apache.spark.deploy.master.Master",
            "--host", "127.0.0.1", "--port", str(port), "--webui-port", str(webui),
        )  # fmt: skip
        start(
            "worker", "org.apache.spark.deploy.worker.Worker", url,
            "--host", "127.0.0.1", "--cores", "1", "--memory", "1g", "--webui-port", "0",
            "--work-dir", str(folder / "work"),
        )  # fmt: skip
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            try:
                if master_state(webui).get("aliveworkers") == 1:
                    break
            except OSError:
                pass  # the master's UI is not up yet
            exited = [p.args[1] for p in started if p.poll() is not None]
            assert not exited, f"{exited} exited: see {folder}/*.log"
            assert time.monotonic() < deadline, f"no worker registered: see {folder}/*.log"
            time.sleep(0.5)
        yield Cluster(url, webui, folder)
    finally:
        for process in reversed(started):  # the worker first: it stops its executors
            stop(process)
        for log in logs:
            log.close()


def landed_home(home: Path, landing: Path) -> Path:
    shutil.copytree(landing, home / "landing")  # copy2: the same delivery order
    return home


def isolated_env(home: Path, **settings: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CLOSEDLOOP_", "DAGSTER_"))}
    return {
        **env,
        "CLOSEDLOOP_HOME": str(home),
        "CLOSEDLOOP_PII_KEY": PII_KEY,
        "DAGSTER_HOME": str(home / "dagster"),
        **settings,
    }


def outputs(home: Path) -> dict[str, object]:
    """Everything the two stages leave: the raw store and the quarantine (every file),
    and the warehouse's tables of both stages."""
    layout = paths(home)
    found: dict[str, object] = {
        str(file.relative_to(layout.raw)): pq.read_table(file)
        for file in sorted(layout.raw.rglob("*.parquet"))
        if layout.ingest_cache not in file.parents  # the judged-file cache, not an output
    }
    with duckdb.connect(str(layout.warehouse), read_only=True) as con:
        for table in (
            "main.ingest_audit",
            "scrubbed.conversations",
            "scrubbed.events",
            "main.pii_detections_daily",
        ):
            found[table] = con.execute(f"select * from {table} order by all").fetchall()
    return found


def test_ingest_and_scrub_on_a_standalone_cluster_equal_the_local_engine(
    cluster: Cluster, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    landing = tmp_path / "generated"
    subprocess.run(
        [
            str(BIN / "closedloop"), "generate", "--start", DAY.isoformat(),
            "--end", DAY.isoformat(), "--per-day", "20", "--seed", "7",
            "--format", "jsonl", "--home", str(landing),
        ],
        check=True, stdout=subprocess.DEVNULL, env=isolated_env(landing),
    )  # fmt: skip
    on_cluster = landed_home(tmp_path / "cluster-home", landing / "landing")
    reference = landed_home(tmp_path / "duckdb-home", landing / "landing")
    lake = tmp_path / "lake"  # the Spark store, outside the home
    conf_file = tmp_path / "spark.conf"
    conf_file.write_text("".join(f"{key} {value}\n" for key, value in CLUSTER_CONF.items()))

    cluster_settings = {
        "CLOSEDLOOP_ENGINE": "spark",
        "CLOSEDLOOP_SPARK_MASTER": cluster.url,
        "CLOSEDLOOP_SPARK_CONF": str(conf_file),
        "CLOSEDLOOP_SPARK_STORE": str(lake),
    }
    conf_file.chmod(0o600)  # it holds keys: a Spark stage refuses a file others can read
    watch = CommandLineWatch(CANARY)
    watch.start()
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.dbt.spark_cluster_child", str(on_cluster), DAY.isoformat()],
        cwd=ROOT,
        env=isolated_env(on_cluster, **cluster_settings),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        # the reference meanwhile, in this process, on the DuckDB engine (no JVM here)
        for name in os.environ:
            if name.startswith(("CLOSEDLOOP_", "DAGSTER_")):
                monkeypatch.delenv(name)
        for name, value in isolated_env(reference, CLOSEDLOOP_ENGINE="duckdb").items():
            monkeypatch.setenv(name, value)
        expected = dg.materialize(
            [raw_transcripts, ingest_audit_reconciles, scrubbed_transcripts],
            partition_key=DAY.isoformat(),
            resources={"warehouse": WarehouseResource(home=str(reference))},
        )
        stdout, stderr = child.communicate(timeout=RUN_SECONDS)
    finally:
        stop(child)
    assert child.returncode == 0, stderr.decode()[-3000:]
    ran = json.loads(stdout.decode().strip().splitlines()[-1])
    assert ran["success"], stderr.decode()[-3000:]
    assert ran["checks"] == {"ingest_audit_reconciles": True, "no_pii_leaks": True}
    assert all(check.passed for check in expected.get_asset_check_evaluations())

    # the spark_conf file's values reach Spark, never a log: the run's, the master's,
    # the worker's or the executors'
    logs = [stdout, stderr] + [f.read_bytes() for f in cluster.folder.rglob("*") if f.is_file()]
    assert not [log for log in logs if CANARY.encode() in log]

    # both stages ran on the cluster, as applications of its master
    assert {"closedloop-ingest", "closedloop-scrub"} <= set(cluster.completed_apps())
    # the scrubbed store is under spark_store, committed, its staging emptied
    for table in ("conversations", "events"):
        assert (lake / "scrubbed" / table / f"partition_date={DAY}").is_dir()
    assert not list((lake / "scrubbed" / "_staging").iterdir())
    assert not (on_cluster / "spark" / "scrubbed").exists()

    # every file of the raw store and the quarantine, and every warehouse row: the same
    theirs, ours = outputs(on_cluster), outputs(reference)
    assert theirs.keys() == ours.keys()
    for name, value in ours.items():
        assert theirs[name] == value, name
    loaded = [f"dt={DAY}/conversations.parquet", f"dt={DAY}/events.parquet"]
    assert all(ours[name].num_rows for name in loaded)  # type: ignore[attr-defined]
    assert ours["scrubbed.events"] and ours["main.pii_detections_daily"]  # rows to compare

    # `closedloop ingest check` follows the same settings: judged on the cluster, it
    # reports what the DuckDB engine reports for the same file
    (landed,) = sorted((landing / "landing").rglob("*.jsonl"))
    checked = subprocess.run(
        [str(BIN / "closedloop"), "ingest", "check", str(landed)],
        env={**isolated_env(on_cluster, **cluster_settings), "COLUMNS": "300"},
        capture_output=True,
        timeout=RUN_SECONDS,
    )
    by_duckdb = CliRunner().invoke(ingest_app, ["check", str(landed)], env={"COLUMNS": "300"})
    assert checked.returncode == by_duckdb.exit_code, checked.stderr.decode()[-3000:]
    assert checked.stdout.decode() == by_duckdb.output
    watch.stop()  # the run's and the check's JVMs came and went meanwhile
    assert watch.reads > 10 and not watch.found, watch.found
    assert " read: " in by_duckdb.output  # the file's report, to compare
    assert cluster.completed_apps().count("closedloop-ingest") == 2
