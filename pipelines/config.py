"""Where closedloop keeps its data and how it is configured.

Everything derives from one root, ``CLOSEDLOOP_HOME`` (default ``./data``), so a
run never writes outside it and a test can point the whole platform at a tmp dir.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Literal

RESTRICTED_MODE = 0o700
# New files and folders of a closedloop process are owner-only (0600 / 0700): Dagster's
# run and event databases, compute logs and dbt's logs can hold an error's text, so
# nothing under the data home is readable by others except what is meant for analysts.
OWNER_ONLY_UMASK = 0o077
# The warehouse folder: others may pass through (not list) to open the analysts'
# snapshot by name; the pipeline's own warehouse file in it is owner-only.
TRAVERSE_ONLY_MODE = 0o711
OWNER_FILE_MODE = 0o600
# The judges a deployment can put in force (pipelines.judge.registry builds them).
JUDGES = ("signals", "learned", "llm")
KB_DRAFTERS = ("extractive", "llm")
# Where dbt builds the models: duckdb (the warehouse file) or spark (docs/scale-out.md).
ENGINES = ("duckdb", "spark")
# The Spark master URLs the spark_master setting takes (docs/scale-out.md, "Pointing the
# Python stages at a cluster"): local[N] / local[*], a standalone master (comma-separated
# for standby masters), yarn, Kubernetes. No user info ("@"): a URL is not a credential.
SPARK_MASTER_SHAPE = re.compile(
    r"local(\[(\*|[1-9][0-9]*)(,[1-9][0-9]*)?\])?"
    r"|spark://[A-Za-z0-9.\-]+:[0-9]+(,[A-Za-z0-9.\-]+:[0-9]+)*"
    r"|yarn"
    r"|k8s://(https?://)?[A-Za-z0-9.\-]+(:[0-9]+)?/?"
)
# File systems the Spark stores (spark_store) may live on, besides a local folder.
SPARK_STORE_SCHEMES = ("file", "hdfs", "s3a", "gs", "abfs", "abfss")
# The settings file of a data home (written by `closedloop init`), read when
# CLOSEDLOOP_CONFIG names no other file.
SETTINGS_FILE = "closedloop.yaml"


@dataclass(frozen=True)
class Paths:
    """The data home layout. Construct with :func:`paths` rather than directly."""

    home: Path

    @property
    def landing(self) -> Path:
        """Input files, one folder per delivery day: ``landing/dt=YYYY-MM-DD/`` (0700)."""
        return self.home / "landing"

    @property
    def raw(self) -> Path:
        """Restricted area (0700): validated unscrubbed records, quarantine, secrets."""
        return self.home / "raw"

    @property
    def quarantine(self) -> Path:
        return self.raw / "quarantine"

    @property
    def ingest_cache(self) -> Path:
        """Judged landing files kept for the next runs that read them (in the restricted
        area: they hold unscrubbed records; ``pipelines.sources.judged_cache``, the
        ``ingest_cache`` setting)."""
        return self.raw / "ingest_cache"

    @property
    def warehouse_dir(self) -> Path:
        return self.home / "warehouse"

    @property
    def warehouse(self) -> Path:
        """The pipeline's DuckDB file; only the pipeline opens it."""
        return self.warehouse_dir / "warehouse.duckdb"

    @property
    def analytics(self) -> Path:
        """The published read-only snapshot analysts query."""
        return self.warehouse_dir / "analytics.duckdb"

    @property
    def exports(self) -> Path:
        return self.home / "exports"

    @property
    def reports(self) -> Path:
        return self.home / "reports"

    @property
    def annotations(self) -> Path:
        """Imported labels (Parquet), written by the CLI and loaded by the pipeline."""
        return self.home / "annotations"

    @property
    def judge_models(self) -> Path:
        """Trained ``learned`` judge models, one folder per version (docs/judges.md)."""
        return self.home / "judge" / "models"

    @property
    def llm_cache(self) -> Path:
        """LLM answers cached by (transcript hash, prompt version, model)."""
        return self.home / "judge" / "llm_cache"

    @property
    def kb(self) -> Path:
        """The knowledge base's default folder (the ``kb_path`` setting overrides it)."""
        return self.home / "kb"

    @property
    def dagster_home(self) -> Path:
        return self.home / "dagster"

    @property
    def spark(self) -> Path:
        """The Spark engine's folder (``engine: spark``, docs/scale-out.md): the dbt
        sources' Parquet export, dbt's tables and the local metastore (owner-only)."""
        return self.home / "spark"

    @property
    def dbt_runs(self) -> Path:
        """dbt's target and logs, one folder per run (owner-only): nothing in the repo."""
        return self.home / "dbt"

    @property
    def logs(self) -> Path:
        """Full logs of the runs started from the CLI (``run-<id>.log``)."""
        return self.home / "logs"

    @property
    def pii_key_file(self) -> Path:
        return self.raw / "pii.key"

    @property
    def settings_file(self) -> Path:
        return self.home / SETTINGS_FILE

    @property
    def is_initialized(self) -> bool:
        """A home exists when it holds landing/ or anything an earlier run or `init` left.

        Commands that write (run, ui, the schedule) refuse anything else: a typo in
        CLOSEDLOOP_HOME must not silently create a new home, a new PII key and an empty
        report."""
        markers = (self.landing, self.raw, self.warehouse, self.settings_file)
        return self.home.is_dir() and any(marker.exists() for marker in markers)

    def landed_days(self) -> list[date]:
        """The delivery days of the landing zone's ``dt=YYYY-MM-DD`` folders, oldest first."""
        if not self.landing.is_dir():
            return []
        days = []
        for folder in self.landing.glob("dt=*"):
            try:
                days.append(date.fromisoformat(folder.name.removeprefix("dt=")))
            except ValueError:
                continue  # not a partition folder; ingest reports it
        return sorted(days)

    def landing_day(self, day: date) -> Path:
        return self.landing / f"dt={day.isoformat()}"

    def raw_day(self, day: date) -> Path:
        return self.raw / f"dt={day.isoformat()}"

    def quarantine_day(self, day: date) -> Path:
        return self.quarantine / f"dt={day.isoformat()}"

    def ensure(self) -> Paths:
        """Create the layout, owner-only (0700) but for the warehouse folder (0711, so
        analysts can open the snapshot by name); kept so on every call, so a home made
        before these modes, or under a permissive umask, is brought in line."""
        # chmod after mkdir: mkdir's mode is filtered by the umask. Landing holds the
        # exports as delivered, raw the unscrubbed records; exports, reports and the
        # Dagster instance (run databases, compute logs) can hold error text.
        for restricted in (self.landing, self.raw, self.exports, self.reports, self.dagster_home):
            restricted_dir(restricted)
        self.warehouse_dir.mkdir(parents=True, exist_ok=True)
        self.warehouse_dir.chmod(TRAVERSE_ONLY_MODE)
        if self.warehouse.exists():
            self.warehouse.chmod(OWNER_FILE_MODE)
        return self


def paths(home: str | os.PathLike[str] | None = None) -> Paths:
    """Resolve the data home from the argument, ``CLOSEDLOOP_HOME``, or ``./data``."""
    root = home if home is not None else os.environ.get("CLOSEDLOOP_HOME", "data")
    return Paths(Path(root).expanduser().resolve())


def restrict_new_files() -> None:
    """Make this process create owner-only files and folders (an entry point calls it:
    the CLI, the code location's loader; child processes such as dbt inherit it)."""
    os.umask(OWNER_ONLY_UMASK)


def kb_dir(data: Paths, loaded: Settings) -> Path:
    """The knowledge-base folder: the ``kb_path`` setting, else ``<home>/kb``."""
    return Path(loaded.kb_path).expanduser().resolve() if loaded.kb_path else data.kb


def spark_store_uri(data: Paths, loaded: Settings) -> str:
    """The base URI of the Spark stores (the scrubbed store and its staging): the
    ``spark_store`` setting (a local folder, ``file://``, or object storage such as
    ``s3a://bucket/prefix``), else ``<home>/spark``. A local folder comes back absolute;
    a relative one is under the data home, not the working directory, which differs
    between the CLI, the Dagster code server and the daemon."""
    if not loaded.spark_store:
        return str(data.spark)
    if "://" in loaded.spark_store:
        return loaded.spark_store.rstrip("/")
    return str((data.home / Path(loaded.spark_store).expanduser()).resolve())


def is_local_uri(uri: str) -> bool:
    """Whether ``uri`` names this machine's file system (a path or ``file:``), which
    DuckDB reads directly; anything else is read through Spark."""
    return "://" not in uri or uri.lower().startswith("file:")


def is_local_master(master: str) -> bool:
    """Whether the ``spark_master`` setting runs Spark inside this process (``local[…]``,
    or empty: the active session, else ``local[*]``)."""
    return master == "" or master.startswith("local")


def _check_spark_master(master: str) -> None:
    # The value is never repeated in the error: a master URL can carry a token or a
    # password in its host part by mistake, and errors reach logs and the terminal.
    if master and not SPARK_MASTER_SHAPE.fullmatch(master):
        raise ValueError(
            "setting spark_master is not a Spark master URL (not repeated here, as it may "
            "hold a secret): expected local[N], local[*], spark://host:port, yarn or "
            "k8s://https://host:port, or empty for a local session (docs/scale-out.md)"
        )


def _check_spark_store(store: str | None) -> None:
    if not store or "://" not in store:
        return
    scheme, _, rest = store.partition("://")
    if scheme.lower() not in SPARK_STORE_SCHEMES:
        shown = scheme if scheme.isalnum() else "(unrecognised)"
        raise ValueError(
            f"setting spark_store: file system {shown!r} is not one of "
            f"{', '.join(SPARK_STORE_SCHEMES)} (or a local folder); see docs/scale-out.md"
        )
    if _uri_may_hold_credentials(scheme.lower(), rest):
        raise ValueError(
            "setting spark_store holds credentials in its URI (not repeated here): give "
            "them to Spark instead, through the spark_conf file or the environment "
            "(docs/scale-out.md)"
        )


def _uri_may_hold_credentials(scheme: str, rest: str) -> bool:
    """Whether a store URI's part after ``scheme://`` may carry a secret: a user
    (``key:secret@bucket``; a secret can hold "/", so "@" anywhere counts), a query or
    fragment (an Azure SAS token), or a "port" that is not a number. abfs(s) names its
    container as ``container@account``: one "@", in the authority, without a ":"."""
    if "?" in rest or "#" in rest:
        return True
    authority, _, path = rest.partition("/")
    if "@" in path:
        return True
    user, at, host = authority.rpartition("@")
    if at and (scheme not in ("abfs", "abfss") or ":" in user or "@" in user):
        return True
    _, colon, port = host.partition(":")
    return bool(colon) and not port.isdigit()


def restricted_dir(path: Path) -> Path:
    """Create ``path`` (and parents) with owner-only permissions."""
    path.mkdir(parents=True, exist_ok=True)
    path.chmod(RESTRICTED_MODE)
    return path


MIN_MEMORY_BUDGET_MB = 512
DEFAULT_MEMORY_BUDGET_MB = 2048  # fits a 2 GB container with room for dbt's own process
# What the run process holds before a stage reads a byte (interpreter, Dagster, pandas,
# pyarrow, pandera, DuckDB itself): measured 0.4-0.5 GB for `closedloop run`.
PROCESS_BASELINE_MB = 512
# DuckDB's memory per thread below which another thread only splits its memory_limit
# further (each thread keeps its own hash tables, sort runs and write buffers): DuckDB's
# documented floor is ~125 MB a thread, twice that leaves its operators room to work.
DUCKDB_MB_PER_THREAD = 256


@dataclass(frozen=True)
class DuckDBLimits:
    """DuckDB's ``memory_limit`` and ``threads`` for one connection of a run."""

    memory_mb: int
    threads: int

    @property
    def settings(self) -> dict[str, str]:
        """As DuckDB settings (``SET key = value``; dbt-duckdb's profile ``settings``)."""
        return {"memory_limit": f"{self.memory_mb}MiB", "threads": str(self.threads)}


def available_cpus() -> int:
    """The cores this process may run on (its affinity mask, as in a container's cpuset)."""
    affinity = getattr(os, "sched_getaffinity", None)
    return len(affinity(0)) if affinity is not None else os.cpu_count() or 1


def duckdb_limits(memory_budget_mb: int, cpus: int | None = None) -> DuckDBLimits:
    """DuckDB's share of ``memory_budget_mb`` and the threads that share supports.

    One split for every DuckDB of a run (ingest's and scrub's scratch connections, the
    warehouse connection of the assets, dbt's): ~0.5 GB is the run process itself, half
    of the rest is DuckDB's ``memory_limit`` (it spills beyond it), the other half is
    the stage's Python working memory (ingest's and scrub's batches, the judge's
    batches) or, in the dbt steps, dbt's own process (its interpreter, ~0.3 GB) next to
    the idle run process. One stage runs at a time (the run executes its steps in
    process, one after the other), so the shares add up to the budget at any moment.
    Threads: DuckDB's default is every core; fewer when the share gives each less than
    ``DUCKDB_MB_PER_THREAD`` (DuckDB's advice on out-of-memory errors is fewer threads
    first). At the default 2048: 768 MiB and 2 threads on 2 cores."""
    working = max(memory_budget_mb - PROCESS_BASELINE_MB, 128)
    memory_mb = max(working // 2, 64)
    cores = available_cpus() if cpus is None else cpus
    return DuckDBLimits(
        memory_mb=memory_mb, threads=max(1, min(cores, memory_mb // DUCKDB_MB_PER_THREAD))
    )


@dataclass(frozen=True)
class Settings:
    """Every tunable setting, with its default.

    Precedence: environment variable ``CLOSEDLOOP_<FIELD>`` > the YAML file named by
    ``CLOSEDLOOP_CONFIG`` (keys are the field names) > the default here. Secrets
    (PII key, API keys, webhooks) are deliberately not settings: they come only from
    the environment or 0600 files, see ``pipelines.secrets``.
    """

    business_timezone: str = "UTC"  # a conversation's partition is its started_at day here
    recontact_days: int = 7  # durable-resolution window
    min_n: int = 30  # cells with a smaller denominator are flagged *_below_min_n
    quarantine_threshold: float = 0.05  # a partition with a larger bad share fails ingest
    # A source file whose bad share is above quarantine_threshold: "fail" the run (a
    # small source that vanished is not diluted by a large one) or only "warn".
    quarantine_file_threshold: Literal["fail", "warn"] = "fail"
    landing_lookback_days: int = (
        3  # late data: landing folders this many days after a partition are scanned
    )
    raw_retention_days: int = 30  # raw partitions and quarantine older than this are deleted
    # Keep each judged landing file (owner-only, in raw/ingest_cache) so the
    # next runs that read it skip judging it again; off: every run judges every file it
    # reads, and the cache is deleted (docs/ingestion.md, "Judged-file cache").
    ingest_cache: bool = True
    nightly_hour: int = 2  # nightly schedule hour in schedule_timezone
    schedule_timezone: str = "UTC"
    realtime_interval_seconds: int = 900  # the intraday sensor fires at most this often
    # YAML column map for flat exports (docs/ingestion.md); a run config's map wins.
    column_map: str | None = None
    # YAML of extra PII patterns (docs/pii.md); none: the packaged patterns only.
    pii_patterns: str | None = None
    # The first partition day (Dagster's partitions start here, runs refuse earlier days).
    # None: derived from the home, see first_partition_day(); `closedloop init` writes it.
    partitions_start: str | None = None
    # --- Judges (docs/judges.md). The judge whose verdict makes a durable resolution
    # `verified`; the signals judge runs always, as the baseline.
    judge: str = "signals"  # signals | learned | llm
    # A judge drives the headline only while the lower 95% bound of its AC1 with the
    # human consensus on `resolved` is above this.
    judge_trust_threshold: float = 0.6
    learned_min_labels: int = 200  # consensus labels before the learned judge is trained
    learned_min_new_labels: int = 100  # more labels than the model saw before it retrains
    # Optional OpenAI-compatible endpoint (".../v1"); the key is the secret
    # CLOSEDLOOP_LLM_API_KEY (pipelines.secrets), never a setting.
    llm_base_url: str | None = None
    llm_model: str | None = None
    # Share of each day's conversations (stratified by intent) the LLM judges as a
    # second opinion; 0 = off. judge=llm judges every conversation.
    llm_judge_sample_rate: float = 0.0
    llm_requests_per_minute: float = 60.0
    llm_timeout_seconds: float = 20.0
    llm_input_usd_per_million_tokens: float = 0.0
    llm_output_usd_per_million_tokens: float = 0.0
    # Memory a run is sized to: the batch sizes of ingest, scrub and the judges, and
    # DuckDB's memory_limit and threads (every connection of a run, dbt's too;
    # duckdb_limits) follow it, so peak memory does not grow with the day
    # (docs/performance.md).
    memory_budget_mb: int = DEFAULT_MEMORY_BUDGET_MB
    # The alert webhook (a secret, CLOSEDLOOP_ALERT_WEBHOOK) must be https; this allows
    # plain http to localhost only, for a relay on this machine.
    alert_webhook_allow_http_localhost: bool = False
    # The folder kb_articles reads (Markdown articles and help-center exports); none:
    # $CLOSEDLOOP_HOME/kb. See docs/knowledge-base.md.
    kb_path: str | None = None
    kb_readability_grade: float = 8.0  # Flesch-Kincaid grade above which an article is flagged
    # Who writes the FAQ drafts of the top gaps: "extractive" (offline, the agents'
    # replies verbatim) or "llm" (the llm_* endpoint rewrites them; grounding checked).
    kb_drafter: str = "extractive"
    # Where dbt builds the models: "duckdb" (the warehouse file, the default) or "spark"
    # (dbt-spark on pyspark; the marts come back into the same snapshot, docs/scale-out.md).
    engine: str = "duckdb"
    # The Spark master of the Python stages (ingest validation, the scrub and its gate)
    # with engine spark: empty uses a session already active in the process, else
    # local[*]; or local[N], spark://host:port, yarn, k8s://https://host:port.
    spark_master: str = ""
    # A Spark properties file (spark-defaults.conf lines: "key value") applied to the
    # session closedloop builds: executor memory, s3a credential providers... Its values
    # are never logged or shown (the UI shows this path): it may hold keys, keep it 0600.
    spark_conf: str | None = None
    # The base URI of the Spark stores (the scrubbed store and its staging): a local
    # folder, file://, or object storage (s3a://, abfss://, gs://, hdfs://); none:
    # $CLOSEDLOOP_HOME/spark.
    spark_store: str | None = None
    # A topic is a knowledge-base gap when no published article's coverage score (TF-IDF
    # cosine, 0..1) reaches this; calibrated on labelled topic-article pairs
    # (docs/knowledge-base.md, "Coverage").
    kb_coverage_threshold: float = 0.21
    # kb_topics assigns each run's days with the stored topic model and refits it on the
    # 28-day window (on a bounded sample) when it is this many days old, or earlier when
    # the new days fit it loosely; 0 refits every run (docs/knowledge-base.md,
    # "Nightly cost").
    kb_topic_refit_days: int = 7

    def __post_init__(self) -> None:
        # Fail where the setting is read, with its name, rather than deep inside a run.
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        for name in ("business_timezone", "schedule_timezone"):
            value = getattr(self, name)
            try:
                ZoneInfo(value)
            except (ZoneInfoNotFoundError, ValueError):
                raise ValueError(
                    f"setting {name}={value!r} is not an IANA time zone (e.g. America/New_York)"
                ) from None
        for name in (
            "recontact_days",
            "min_n",
            "landing_lookback_days",
            "raw_retention_days",
            "kb_topic_refit_days",
        ):
            if getattr(self, name) < 0:
                raise ValueError(f"setting {name} must be >= 0, got {getattr(self, name)}")
        if self.quarantine_file_threshold not in ("fail", "warn"):
            raise ValueError(
                "setting quarantine_file_threshold must be 'fail' or 'warn', got "
                f"{self.quarantine_file_threshold!r}"
            )
        if not 0 <= self.quarantine_threshold <= 1:
            raise ValueError(
                f"setting quarantine_threshold must be a share in 0..1, got {self.quarantine_threshold}"
            )
        if self.partitions_start is not None:
            try:
                date.fromisoformat(self.partitions_start)
            except ValueError:
                raise ValueError(
                    f"setting partitions_start={self.partitions_start!r} is not a YYYY-MM-DD date"
                ) from None
        if self.memory_budget_mb < MIN_MEMORY_BUDGET_MB:
            raise ValueError(
                f"setting memory_budget_mb must be >= {MIN_MEMORY_BUDGET_MB} (the interpreter, "
                f"Dagster and the PII detector alone need about that), got {self.memory_budget_mb}"
            )
        if self.kb_readability_grade <= 0:
            raise ValueError(
                f"setting kb_readability_grade must be > 0, got {self.kb_readability_grade}"
            )
        if not 0 < self.kb_coverage_threshold <= 1:
            raise ValueError(
                f"setting kb_coverage_threshold must be in (0, 1], got {self.kb_coverage_threshold}"
            )
        if self.kb_drafter not in KB_DRAFTERS:
            raise ValueError(
                f"setting kb_drafter={self.kb_drafter!r} is not one of {', '.join(KB_DRAFTERS)}"
            )
        if self.kb_drafter == "llm" and not (self.llm_base_url and self.llm_model):
            raise ValueError("kb_drafter=llm needs the settings llm_base_url and llm_model")
        if self.engine not in ENGINES:
            raise ValueError(
                f"setting engine={self.engine!r} is not one of {', '.join(ENGINES)} "
                "(docs/scale-out.md)"
            )
        _check_spark_master(self.spark_master)
        _check_spark_store(self.spark_store)
        if not 0 <= self.nightly_hour <= 23:
            raise ValueError(f"setting nightly_hour must be 0..23, got {self.nightly_hour}")
        self._check_judge_settings()

    def _check_judge_settings(self) -> None:
        if self.judge not in JUDGES:
            raise ValueError(f"setting judge={self.judge!r} is not one of {', '.join(JUDGES)}")
        for name in ("judge_trust_threshold", "llm_judge_sample_rate"):
            if not 0 <= getattr(self, name) <= 1:
                raise ValueError(f"setting {name} must be in 0..1, got {getattr(self, name)}")
        for name in ("learned_min_labels", "learned_min_new_labels"):
            if getattr(self, name) < 1:
                raise ValueError(f"setting {name} must be >= 1, got {getattr(self, name)}")
        for name in ("llm_requests_per_minute", "llm_timeout_seconds"):
            if getattr(self, name) <= 0:
                raise ValueError(f"setting {name} must be > 0, got {getattr(self, name)}")
        wants_llm = self.judge == "llm" or self.llm_judge_sample_rate > 0
        if wants_llm and not (self.llm_base_url and self.llm_model):
            raise ValueError(
                "the llm judge needs the settings llm_base_url and llm_model "
                f"(judge={self.judge}, llm_judge_sample_rate={self.llm_judge_sample_rate})"
            )
        if self.llm_base_url and not self.llm_base_url.startswith(("http://", "https://")):
            raise ValueError("setting llm_base_url must start with http:// or https://")


class HomeNotInitialized(ValueError):
    """The data home does not exist or holds nothing closedloop knows."""


def require_initialized(layout: Paths) -> Paths:
    """``layout`` if it is an existing home, else :class:`HomeNotInitialized` naming it."""
    if not layout.is_initialized:
        state = "does not exist" if not layout.home.exists() else "holds no landing/ folder"
        raise HomeNotInitialized(
            f"data home {layout.home} {state} and nothing from an earlier run; check "
            f"CLOSEDLOOP_HOME / --home for a typo, or create it with `closedloop init {layout.home}`"
        )
    return layout


def first_partition_day(loaded: Settings, layout: Paths, today: date | None = None) -> date:
    """The first partition day: the ``partitions_start`` setting, else derived from the home.

    Derived: the first landing folder's day minus ``landing_lookback_days`` (a file
    delivered on day D may hold conversations that started that many days earlier),
    or, with nothing landed yet, the first day tonight's nightly run covers."""
    if loaded.partitions_start is not None:
        return date.fromisoformat(loaded.partitions_start)
    landed = layout.landed_days()
    today = today or datetime.now(UTC).date()
    reference = landed[0] if landed else today - timedelta(days=1)
    return reference - timedelta(days=loaded.landing_lookback_days)


def _coerce(value: object, default: object) -> object:
    if isinstance(default, bool):
        return str(value).strip().lower() in {"1", "true", "yes", "on"}
    if isinstance(default, int):
        return int(value)  # type: ignore[arg-type]
    if isinstance(default, float):
        return float(value)  # type: ignore[arg-type]
    return str(value)


def settings(home: str | os.PathLike[str] | None = None) -> Settings:
    """Load and validate the settings from defaults, the YAML file and the environment.

    The YAML file is the one ``CLOSEDLOOP_CONFIG`` names, else the home's
    ``closedloop.yaml`` if there is one (``home`` as for :func:`paths`). Entry points
    call this once (the CLI command, the Dagster code location's loader) and hand the
    result down; domain code never calls it."""
    import dataclasses

    import yaml

    values: dict[str, object] = {}
    config_file = os.environ.get("CLOSEDLOOP_CONFIG")
    if not config_file and paths(home).settings_file.is_file():
        config_file = str(paths(home).settings_file)
    if config_file:
        loaded = yaml.safe_load(Path(config_file).read_text()) or {}
        if not isinstance(loaded, dict):
            raise ValueError(f"{config_file}: expected a mapping of setting names to values")
        known = {f.name for f in dataclasses.fields(Settings)}
        unknown = sorted(set(loaded) - known)
        if unknown:
            raise ValueError(f"{config_file}: unknown settings {unknown}; known: {sorted(known)}")
        values.update(loaded)
    for field in dataclasses.fields(Settings):
        env_value = os.environ.get(f"CLOSEDLOOP_{field.name.upper()}")
        if env_value is not None:
            values[field.name] = env_value
    coerced: dict[str, object] = {}
    for field in dataclasses.fields(Settings):
        if field.name not in values:
            continue
        try:
            coerced[field.name] = _coerce(values[field.name], field.default)
        except (TypeError, ValueError):
            kind = type(field.default).__name__
            raise ValueError(
                f"setting {field.name}={values[field.name]!r} is not a valid {kind}"
            ) from None
    return Settings(**coerced)
