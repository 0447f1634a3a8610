"""Where closedloop keeps its data and how it is configured.

Everything derives from one root, ``CLOSEDLOOP_HOME`` (default ``./data``), so a
run never writes outside it and a test can point the whole platform at a tmp dir.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path

RESTRICTED_MODE = 0o700
# Dagster's daily partitions start here. It is code, not a setting: Dagster needs the
# partitions definition when the asset modules are imported, before any setting is read.
FIRST_PARTITION_DAY = "2025-01-01"


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
    def kb(self) -> Path:
        """The knowledge base's default folder (the ``kb_path`` setting overrides it)."""
        return self.home / "kb"

    @property
    def dagster_home(self) -> Path:
        return self.home / "dagster"

    @property
    def pii_key_file(self) -> Path:
        return self.raw / "pii.key"

    def landing_day(self, day: date) -> Path:
        return self.landing / f"dt={day.isoformat()}"

    def raw_day(self, day: date) -> Path:
        return self.raw / f"dt={day.isoformat()}"

    def quarantine_day(self, day: date) -> Path:
        return self.quarantine / f"dt={day.isoformat()}"

    def ensure(self) -> Paths:
        """Create the layout; the raw area is created (and kept) owner-only."""
        for directory in (
            self.warehouse_dir,
            self.exports,
            self.reports,
            self.dagster_home,
        ):
            directory.mkdir(parents=True, exist_ok=True)
        # Landing holds the exports as delivered, raw holds validated unscrubbed
        # records: both owner-only. chmod after mkdir: mkdir's mode is filtered by the umask.
        for restricted in (self.landing, self.raw):
            restricted.mkdir(parents=True, exist_ok=True)
            restricted.chmod(RESTRICTED_MODE)
        return self


def paths(home: str | os.PathLike[str] | None = None) -> Paths:
    """Resolve the data home from the argument, ``CLOSEDLOOP_HOME``, or ``./data``."""
    root = home if home is not None else os.environ.get("CLOSEDLOOP_HOME", "data")
    return Paths(Path(root).expanduser().resolve())


def kb_dir(data: Paths, loaded: Settings) -> Path:
    """The knowledge-base folder: the ``kb_path`` setting, else ``<home>/kb``."""
    return Path(loaded.kb_path).expanduser().resolve() if loaded.kb_path else data.kb


def restricted_dir(path: Path) -> Path:
    """Create ``path`` (and parents) with owner-only permissions."""
    path.mkdir(parents=True, exist_ok=True)
    path.chmod(RESTRICTED_MODE)
    return path


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
    landing_lookback_days: int = (
        3  # late data: landing folders this many days after a partition are scanned
    )
    raw_retention_days: int = 30  # raw partitions and quarantine older than this are deleted
    nightly_hour: int = 2  # nightly schedule hour in schedule_timezone
    schedule_timezone: str = "UTC"
    realtime_interval_seconds: int = 900  # the intraday sensor fires at most this often
    # YAML column map for flat exports (docs/ingestion.md); a run config's map wins.
    column_map: str | None = None
    # YAML of extra PII patterns (docs/pii.md); none: the packaged patterns only.
    pii_patterns: str | None = None
    # The first day this deployment loads; Dagster's partitions start at FIRST_PARTITION_DAY
    # (pipelines/defs/partitions.py), so this may be later than that, not earlier.
    partitions_start: str = FIRST_PARTITION_DAY
    # The folder kb_articles reads (Markdown articles and help-center exports); none:
    # $CLOSEDLOOP_HOME/kb. See docs/knowledge-base.md.
    kb_path: str | None = None
    kb_readability_grade: float = 8.0  # Flesch-Kincaid grade above which an article is flagged

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
        for name in ("recontact_days", "min_n", "landing_lookback_days", "raw_retention_days"):
            if getattr(self, name) < 0:
                raise ValueError(f"setting {name} must be >= 0, got {getattr(self, name)}")
        if not 0 <= self.quarantine_threshold <= 1:
            raise ValueError(
                f"setting quarantine_threshold must be a share in 0..1, got {self.quarantine_threshold}"
            )
        try:
            start = date.fromisoformat(self.partitions_start)
        except ValueError:
            raise ValueError(
                f"setting partitions_start={self.partitions_start!r} is not a YYYY-MM-DD date"
            ) from None
        if start < date.fromisoformat(FIRST_PARTITION_DAY):
            raise ValueError(
                f"setting partitions_start={self.partitions_start} is before the first "
                f"partition the code defines ({FIRST_PARTITION_DAY}); to load older history, "
                "lower FIRST_PARTITION_DAY in pipelines/config.py"
            )
        if self.kb_readability_grade <= 0:
            raise ValueError(
                f"setting kb_readability_grade must be > 0, got {self.kb_readability_grade}"
            )
        if not 0 <= self.nightly_hour <= 23:
            raise ValueError(f"setting nightly_hour must be 0..23, got {self.nightly_hour}")


def _coerce(value: object, default: object) -> object:
    if isinstance(default, bool):
        return str(value).strip().lower() in {"1", "true", "yes", "on"}
    if isinstance(default, int):
        return int(value)  # type: ignore[arg-type]
    if isinstance(default, float):
        return float(value)  # type: ignore[arg-type]
    return str(value)


def settings() -> Settings:
    """Load and validate the settings from defaults, the optional YAML file and the
    environment. Entry points call this once (the CLI command, the Dagster code
    location's loader) and hand the result down; domain code never calls it."""
    import dataclasses

    import yaml

    values: dict[str, object] = {}
    config_file = os.environ.get("CLOSEDLOOP_CONFIG")
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
