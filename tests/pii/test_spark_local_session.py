"""The Spark session of the Python stages (pipelines.spark_session): the master the
setting names, the spark_conf file applied last, the Python workers' interpreter, an
owner-only ``spark.local.dir`` (spills and cached blocks, raw records among them) gone
when the session stops, and an active session on another master refused. A stand-in
session builder: no JVM is started (the real cluster run is tests/dbt/test_spark_cluster.py)."""

from __future__ import annotations

import os
import re
import shlex
import stat
import sys
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("pyspark", reason="pyspark is missing: make install")

from pipelines.config import Settings, paths, spark_store_uri
from pipelines.secrets import InsecureSecretFile
from pipelines.spark_session import (
    SparkSessionRefused,
    SparkTarget,
    read_spark_conf,
    spark_session,
)

SECRET = "s3cr3t-access-key-value"


class _Session:
    def __init__(self, master: str, conf: dict[str, str]) -> None:
        self.conf = conf
        self.sparkContext = type("Context", (), {"master": master, "pythonExec": "python3"})()
        self.stopped = False

    def stop(self) -> None:
        self.stopped = True


class _Builder:
    def __init__(self) -> None:
        self.conf: dict[str, str] = {}
        self.master_url = ""

    def master(self, url: str) -> _Builder:
        self.master_url = url
        return self

    def appName(self, _: str) -> _Builder:
        return self

    def config(self, key: str, value: str) -> _Builder:
        self.conf[key] = value
        return self

    def getOrCreate(self) -> _Session:
        return _Session(self.master_url, self.conf)


def fake_spark(
    monkeypatch: pytest.MonkeyPatch, active: Any = None, jvm_running: bool = True
) -> _Builder:
    """A stand-in SparkSession; ``jvm_running``: whether this process's JVM is started
    (when it is not, the session's builder launches it: the spark_conf values must go
    to spark-submit in a file, never as command-line arguments)."""
    builder = _Builder()

    class FakeSparkSession:
        @staticmethod
        def getActiveSession() -> Any:
            return active

    FakeSparkSession.builder = builder  # type: ignore[attr-defined]
    monkeypatch.setattr("pyspark.sql.SparkSession", FakeSparkSession)
    monkeypatch.setattr("pyspark.SparkContext._gateway", object() if jvm_running else None)
    return builder


def test_the_local_session_spills_into_an_owner_only_folder_removed_at_stop(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fake_spark(monkeypatch)
    with spark_session(cores=1) as session:
        local_dir = Path(session.conf["spark.local.dir"])
        assert local_dir.is_dir()
        assert stat.S_IMODE(local_dir.stat().st_mode) == 0o700
        assert session.sparkContext.master == "local[1]"
        assert session.sparkContext.pythonExec == sys.executable
        assert session.conf["spark.driver.host"] == "127.0.0.1"
    assert session.stopped
    assert not local_dir.exists()


def test_a_cluster_master_gets_the_conf_file_and_its_python(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    conf_file = tmp_path / "spark.conf"
    conf_file.write_text(
        "# executors\n"
        "spark.executor.memory 2g\n"
        f"spark.hadoop.fs.s3a.secret.key={SECRET}\n"
        "spark.pyspark.python   /opt/closedloop/bin/python\n"
        "spark.ui.showConsoleProgress true\n"
        "spark.sql.session.timeZone America/New_York\n"
    )
    conf_file.chmod(0o600)
    fake_spark(monkeypatch)
    target = SparkTarget.of(
        Settings(spark_master="spark://10.0.0.5:7077", spark_conf=str(conf_file))
    )
    with target.session("closedloop-scrub") as session:
        assert session.sparkContext.master == "spark://10.0.0.5:7077"
        assert session.conf["spark.executor.memory"] == "2g"
        assert session.conf["spark.hadoop.fs.s3a.secret.key"] == SECRET
        # the file wins over closedloop's defaults; the driver's address is the cluster's
        assert session.conf["spark.ui.showConsoleProgress"] == "true"
        # but not over what the stages' output depends on
        assert session.conf["spark.sql.session.timeZone"] == "UTC"
        assert "spark.driver.host" not in session.conf
        assert session.sparkContext.pythonExec == "/opt/closedloop/bin/python"
    assert session.stopped


def test_a_session_that_starts_the_jvm_hands_the_conf_file_over_in_a_private_file(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # pyspark starts the JVM with every builder setting as "--conf k=v": on a command
    # line every local user can read. The file's values go in an owner-only file.
    azure_key = "spark.hadoop.fs.azure.account.key.lake.dfs.core.windows.net"
    conf_file = tmp_path / "spark.conf"
    conf_file.write_text(f"spark.hadoop.fs.s3a.secret.key {SECRET}\n{azure_key} a\\b:c=d{SECRET}\n")
    conf_file.chmod(0o600)
    builder = fake_spark(monkeypatch, jvm_running=False)
    monkeypatch.setenv("PYSPARK_SUBMIT_ARGS", "--driver-memory 1g pyspark-shell")
    seen: dict[str, Any] = {}

    def launch() -> _Session:
        args = shlex.split(os.environ["PYSPARK_SUBMIT_ARGS"])
        properties = Path(args[args.index("--properties-file") + 1])
        seen["args"], seen["mode"] = args, stat.S_IMODE(properties.stat().st_mode)
        loaded = jproperties(properties.read_text())
        seen["properties"] = loaded
        return _Session(builder.master_url, builder.conf)

    monkeypatch.setattr(builder, "getOrCreate", launch)
    target = SparkTarget.of(Settings(spark_master="local[1]", spark_conf=str(conf_file)))
    with target.session("closedloop-scrub") as session:
        assert SECRET not in " ".join(f"{k}={v}" for k, v in session.conf.items())
        assert SECRET not in os.environ["PYSPARK_SUBMIT_ARGS"] + " ".join(seen["args"])
        redaction = re.compile(session.conf["spark.redaction.regex"])
        assert redaction.search(azure_key) and redaction.search("spark.hadoop.x.password")
    assert seen["mode"] == 0o600
    assert seen["properties"] == {
        "spark.hadoop.fs.s3a.secret.key": SECRET,
        azure_key: f"a\\b:c=d{SECRET}",
    }
    assert seen["args"][-3:] == ["--driver-memory", "1g", "pyspark-shell"]
    assert os.environ["PYSPARK_SUBMIT_ARGS"] == "--driver-memory 1g pyspark-shell"


def jproperties(text: str) -> dict[str, str]:
    """java.util.Properties.load for the lines closedloop writes: ``key=value``, where a
    backslash escapes the next character (how Spark's spark-submit reads the file)."""
    loaded = {}
    for line in text.splitlines():
        key, current, escaped = "", "", False
        in_key = True
        for char in line:
            if escaped:
                current, escaped = current + char, False
            elif char == "\\":
                escaped = True
            elif in_key and char in "=:":
                key, current, in_key = current, "", False
            else:
                current += char
        loaded[key] = current
    return loaded


def test_a_cluster_master_without_a_python_setting_runs_this_interpreter_path(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fake_spark(monkeypatch)
    with spark_session("app", master="yarn") as session:
        assert session.sparkContext.pythonExec == sys.executable


def test_an_active_session_is_used_unless_the_setting_names_another_master(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    active = _Session("local[1]", {})
    fake_spark(monkeypatch, active)
    with spark_session("app") as session:
        assert session is active
    with spark_session("app", master="local[1]") as session:
        assert session is active
    assert not active.stopped  # not ours to stop
    refused = spark_session("app", master="spark://127.0.0.1:7077")
    with pytest.raises(SparkSessionRefused, match="another master"):
        refused.__enter__()
    assert not active.stopped


def test_a_conf_file_others_can_read_or_that_sets_closedloops_settings_is_refused(
    tmp_path: Path,
) -> None:
    conf_file = tmp_path / "spark.conf"
    conf_file.write_text(f"spark.hadoop.fs.s3a.secret.key {SECRET}\n")
    conf_file.chmod(0o644)
    with pytest.raises(InsecureSecretFile, match="chmod 600") as raised:
        read_spark_conf(str(conf_file))
    assert SECRET not in str(raised.value)
    conf_file.chmod(0o600)
    assert read_spark_conf(str(conf_file)) == {"spark.hadoop.fs.s3a.secret.key": SECRET}
    for line in ("spark.master spark://elsewhere:7077", "spark.local.dir /tmp"):
        conf_file.write_text(f"spark.executor.memory 1g\n{line}\n")
        with pytest.raises(ValueError, match=r"line 2: spark\.\w+\.?\w* is set by closedloop"):
            read_spark_conf(str(conf_file))


def test_a_bad_conf_line_names_the_file_and_line_never_the_value(tmp_path: Path) -> None:
    conf_file = tmp_path / "spark.conf"
    conf_file.write_text(f"spark.executor.memory 1g\nfs.s3a.secret.key {SECRET}\n")
    conf_file.chmod(0o600)
    with pytest.raises(ValueError, match=r"line 2") as raised:
        read_spark_conf(str(conf_file))
    assert SECRET not in str(raised.value)
    assert read_spark_conf(None) == {}


@pytest.mark.parametrize(
    "master",
    ["", "local", "local[2]", "local[*]", "spark://127.0.0.1:7077", "spark://a:1,b:2", "yarn",
     "k8s://https://k8s.example.com:6443"],
)  # fmt: skip
def test_spark_master_takes_the_shapes_spark_does(master: str) -> None:
    assert Settings(spark_master=master).spark_master == master


@pytest.mark.parametrize(
    "master", [f"spark://admin:{SECRET}@host:7077", "mesos://host:5050", "local[0]", SECRET]
)
def test_a_bad_spark_master_is_refused_without_repeating_it(master: str) -> None:
    with pytest.raises(ValueError, match="spark_master is not a Spark master URL") as raised:
        Settings(spark_master=master)
    assert SECRET not in str(raised.value)


@pytest.mark.parametrize(
    "store", ["/srv/lake", "file:///srv/lake", "s3a://lake/closedloop", "gs://lake/x",
              "abfss://lake@account.dfs.core.windows.net/closedloop", "hdfs://nn:8020/x"],
)  # fmt: skip
def test_spark_store_takes_a_folder_or_a_hadoop_file_system(store: str) -> None:
    assert Settings(spark_store=store).spark_store == store


@pytest.mark.parametrize(
    "store",
    [
        f"s3a://AKIA:{SECRET}@lake/closedloop",
        f"s3a://AKIA:wJal/{SECRET}/K7@lake/closedloop",  # an AWS secret may hold "/"
        f"abfss://lake:{SECRET}@account.dfs.core.windows.net/closedloop",
        f"abfss://lake@account.dfs.core.windows.net/closedloop?sv=2024&sig={SECRET}",
        f"gs://lake/closedloop#{SECRET}",
        f"hdfs://namenode:{SECRET}/closedloop",
    ],
)
def test_a_spark_store_with_credentials_is_refused_without_repeating_it(store: str) -> None:
    with pytest.raises(ValueError, match="credentials in its URI") as raised:
        Settings(spark_store=store)
    assert SECRET not in str(raised.value)


def test_a_spark_store_with_an_unknown_scheme_is_refused() -> None:
    with pytest.raises(ValueError, match="'s3' is not one of"):
        Settings(spark_store="s3://lake/closedloop")


def test_a_relative_spark_store_is_under_the_data_home_not_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = paths(tmp_path / "home")
    monkeypatch.chdir(tmp_path)
    assert spark_store_uri(data, Settings(spark_store="lake")) == str(data.home / "lake")
    assert spark_store_uri(data, Settings(spark_store=str(tmp_path / "abs"))) == str(
        tmp_path / "abs"
    )
    assert spark_store_uri(data, Settings(spark_store="s3a://lake/cl/")) == "s3a://lake/cl"
    assert spark_store_uri(data, Settings()) == str(data.spark)
