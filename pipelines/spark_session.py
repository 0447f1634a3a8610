"""The Spark session of the Python stages (ingest validation, the scrub and its leak
gate) with ``engine: spark``: on the master the ``spark_master`` setting names, with the
properties of the ``spark_conf`` file (docs/scale-out.md, "Pointing the Python stages at
a cluster"). Plain Python: the Dagster resource and the CLI only hand the settings in.

pyspark is imported lazily: it is only installed with the ``spark`` extra.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import sys
import tempfile
import threading
from collections.abc import Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipelines.config import Settings, is_local_master
from pipelines.secrets import check_owner_only

# What the stages' output depends on (days and timestamps as the local engine writes
# them): applied after the spark_conf file, which cannot change them.
REQUIRED_CONF = {
    "spark.sql.session.timeZone": "UTC",
    "spark.sql.parquet.outputTimestampType": "TIMESTAMP_MICROS",
}


# Set by closedloop from its own settings; a spark_conf line for one is refused (the
# file would bypass spark_master's check, or move spills out of the owner-only folder).
SETTING_KEYS = {
    "spark.master": "the spark_master setting",
    "spark.local.dir": "an owner-only temporary folder per session",
}
# Spark's default ``spark.redaction.regex`` (keys shown as *** in its UI, event logs and
# errors); the spark_conf file's own keys are added to it, since a key such as Azure's
# ``fs.azure.account.key.<account>`` does not match it.
SPARK_REDACTION = "(?i)secret|password|token|access[.]?key|credential"
# Only one JVM per process: its launch (which reads the environment) is serialized.
_LAUNCH = threading.Lock()


class SparkSessionRefused(RuntimeError):
    """The ``spark_master`` setting names another master than the session already active
    in this process (a process has one SparkContext: closedloop does not stop another's)."""


def read_spark_conf(path: str | None) -> dict[str, str]:
    """The Spark properties of the ``spark_conf`` file (spark-defaults.conf lines: ``key
    value`` or ``key=value``; ``#`` comments). Its values may be credentials: an error
    names the file and the line, never a value, and nothing here logs them."""
    if not path:
        return {}
    file = Path(path).expanduser()
    check_owner_only(file)  # like every secret file: InsecureSecretFile names the chmod
    conf = {}
    for number, line in enumerate(file.read_text().splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        key, value = _property(line)
        if not key.startswith("spark.") or not value:
            raise ValueError(
                f"spark_conf file {path}, line {number}: expected 'spark.<name> <value>' "
                "(the line is not repeated here: it may hold a secret)"
            )
        if key in SETTING_KEYS:
            raise ValueError(
                f"spark_conf file {path}, line {number}: {key} is set by closedloop "
                f"({SETTING_KEYS[key]}); remove the line"
            )
        conf[key] = value
    return conf


def _property(line: str) -> tuple[str, str]:
    """A properties line split at its first '=' or whitespace, as Spark reads it."""
    cut = min((i for i in (line.find("="), line.find(" "), line.find("\t")) if i > 0), default=-1)
    if cut < 0:
        return line, ""
    return line[:cut].strip(), line[cut + 1 :].strip().lstrip("=").strip()


@dataclass(frozen=True)
class SparkTarget:
    """Where the Python stages run on Spark: the ``spark_master`` and ``spark_conf``
    settings (docs/scale-out.md, "Pointing the Python stages at a cluster")."""

    master: str = ""
    conf_file: str | None = None

    @classmethod
    def of(cls, loaded: Settings) -> SparkTarget:
        return cls(master=loaded.spark_master, conf_file=loaded.spark_conf)

    def session(self, app: str, cores: int | None = None) -> AbstractContextManager[Any]:
        return spark_session(app, self.master, read_spark_conf(self.conf_file), cores)


@contextmanager
def spark_session(
    app: str = "closedloop-scrub",
    master: str = "",
    conf: Mapping[str, str] | None = None,
    cores: int | None = None,
) -> Iterator[Any]:
    """A Spark session for one stage, stopped when the block ends so the run's later dbt
    step does not find a second JVM holding memory.

    A session already active in this process (a cluster notebook's, a test's) is used
    as it is (``conf`` is not applied to it, and it is not stopped) when ``master`` is
    empty or names its master, and refused when ``master`` names another
    (:class:`SparkSessionRefused`). Otherwise a session is built on
    ``master`` (empty: ``local[cores]``, all cores when None) with ``conf`` applied over
    the defaults below (its values are never logged), but not over
    :data:`REQUIRED_CONF`, which the stages' output depends on.

    The session's ``spark.local.dir`` (where the driver, and a local session's executor,
    spill and keep cached blocks, which can hold raw records) is an owner-only temporary
    folder, removed when the session stops: Spark's default, the system temp dir, makes
    its folders and files readable by every local user. A cluster's executors spill to
    the folders their cluster manager gives them (docs/scale-out.md)."""
    from pyspark.sql import SparkSession

    conf = dict(conf or {})
    active = SparkSession.getActiveSession()
    if active is not None:
        if master and active.sparkContext.master != master:
            raise SparkSessionRefused(
                "the spark_master setting names another master than the Spark session "
                "already active in this process; stop that session, or leave spark_master "
                "empty to use it"
            )
        yield active
        return
    local = is_local_master(master)
    local_dir = tempfile.mkdtemp(prefix="closedloop-spark-")  # mode 0700
    try:
        defaults = {"spark.local.dir": local_dir, "spark.ui.showConsoleProgress": "false"}
        if local:  # a cluster's executors must reach the driver: its address is theirs to set
            defaults["spark.driver.bindAddress"] = "127.0.0.1"
            defaults["spark.driver.host"] = "127.0.0.1"
        required = {**REQUIRED_CONF, "spark.redaction.regex": _redaction(conf)}
        session = _build(
            SparkSession.builder.master(master or f"local[{cores or '*'}]").appName(app),
            defaults,
            conf,
            required,
            Path(local_dir),
        )
        session.sparkContext.pythonExec = _python_exec(session, local, conf)
        try:
            yield session
        finally:
            session.stop()
    finally:
        shutil.rmtree(local_dir, ignore_errors=True)


def _redaction(conf: Mapping[str, str]) -> str:
    """Spark's redaction pattern (the file's own, else Spark's default) extended by the
    file's keys: whatever the file sets is shown as *** wherever Spark shows conf."""
    base = conf.get("spark.redaction.regex", SPARK_REDACTION)
    keys = [re.escape(key) for key in conf if key != "spark.redaction.regex"]
    return "|".join([base, *keys])  # more alternatives: the base's own flags still lead


def _build(
    builder: Any,
    defaults: Mapping[str, str],
    conf: Mapping[str, str],
    required: Mapping[str, str],
    private_dir: Path,
) -> Any:
    """The session of ``builder`` with ``defaults``, then ``conf``, then ``required``.

    pyspark starts the process's JVM with every builder setting as a ``--conf k=v``
    argument: on its command line, which every local user can read (``ps``). When this
    session starts the JVM, the spark_conf values go to spark-submit in an owner-only
    properties file instead (``--properties-file``; the builder's own settings still win
    over it, as required ones must). A running JVM takes them through py4j, in memory."""
    from pyspark import SparkContext

    with _LAUNCH:
        if SparkContext._gateway is not None or not conf:
            for key, value in {**defaults, **conf, **required}.items():
                builder = builder.config(key, value)
            return builder.getOrCreate()
        # Builder settings win over the file's: a default the file sets stays the file's.
        kept = {key: value for key, value in defaults.items() if key not in conf}
        for key, value in {**kept, **required}.items():
            builder = builder.config(key, value)
        properties = private_dir / "spark_conf.properties"
        properties.touch(mode=0o600)
        properties.write_text(
            "".join(f"{_escaped(key)}={_escaped(value)}\n" for key, value in conf.items()),
            encoding="utf-8",
        )
        previous = os.environ.get("PYSPARK_SUBMIT_ARGS")
        os.environ["PYSPARK_SUBMIT_ARGS"] = (
            f"--properties-file {shlex.quote(str(properties))} {previous or 'pyspark-shell'}"
        )
        try:
            return builder.getOrCreate()
        finally:
            if previous is None:
                os.environ.pop("PYSPARK_SUBMIT_ARGS", None)
            else:
                os.environ["PYSPARK_SUBMIT_ARGS"] = previous


def _escaped(text: str) -> str:
    """A key or a (stripped, one-line) value as java.util.Properties reads it back
    exactly: its escape character and the separators it would split a key at."""
    return text.replace("\\", "\\\\").replace(":", "\\:").replace("=", "\\=")


def _python_exec(session: Any, local: bool, conf: Mapping[str, str]) -> str:
    """The interpreter the Python workers run: they need closedloop and its libraries at
    this version. A local session's workers run this interpreter, whose venv has them
    (pyspark reads only PYSPARK_PYTHON otherwise, and domain code sets no variable). On
    a cluster: ``spark.pyspark.python`` from the spark_conf file, else PYSPARK_PYTHON
    (which pyspark already applied: anything but its default ``python3``), else this
    interpreter's path, right when the executors run the driver's image or machine."""
    if local:
        return sys.executable
    if conf.get("spark.pyspark.python"):
        return conf["spark.pyspark.python"]
    applied = str(session.sparkContext.pythonExec)
    return applied if applied != "python3" else sys.executable
