"""The resource every asset gets: the data home, its settings and the warehouse file.

The settings are part of the resource's config, so the Dagster UI shows the values a
code location was loaded with (Deployment -> the location -> Resources -> warehouse).
"""

from __future__ import annotations

import dataclasses
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cached_property
from pathlib import Path
from typing import Literal

import dagster as dg
import duckdb

from pipelines.config import Paths, Settings, duckdb_limits, paths, settings, spark_store_uri
from pipelines.spark_session import SparkTarget


class SettingsConfig(dg.Config):
    """:class:`pipelines.config.Settings` as Dagster config (same fields, same meaning)."""

    business_timezone: str
    recontact_days: int
    min_n: int
    quarantine_threshold: float
    quarantine_file_threshold: Literal["fail", "warn"]
    landing_lookback_days: int
    raw_retention_days: int
    ingest_cache: bool
    nightly_hour: int
    schedule_timezone: str
    realtime_interval_seconds: int
    column_map: str | None
    pii_patterns: str | None
    partitions_start: str | None
    judge: str
    judge_trust_threshold: float
    learned_min_labels: int
    learned_min_new_labels: int
    llm_base_url: str | None
    llm_model: str | None
    llm_judge_sample_rate: float
    llm_requests_per_minute: float
    llm_timeout_seconds: float
    llm_input_usd_per_million_tokens: float
    llm_output_usd_per_million_tokens: float
    memory_budget_mb: int
    alert_webhook_allow_http_localhost: bool
    kb_path: str | None
    kb_readability_grade: float
    kb_drafter: str
    engine: str
    spark_master: str
    spark_conf: str | None
    spark_store: str | None
    kb_coverage_threshold: float
    kb_topic_refit_days: int

    @classmethod
    def of(cls, loaded: Settings) -> SettingsConfig:
        return cls(**dataclasses.asdict(loaded))

    def to_settings(self) -> Settings:
        """Validated again: config edited by hand gets the same errors as the loader's."""
        return Settings(**self.model_dump())


class WarehouseResource(dg.ConfigurableResource):
    """The data home under ``home`` and the pipeline's DuckDB warehouse in it.

    ``settings`` None (tests, ad-hoc use) loads them from the environment once per
    resource instance. Only one process may hold a DuckDB file for writing, so
    connections are opened per step and closed immediately; writers also share the
    ``warehouse`` pool.
    """

    home: str | None = None
    settings: SettingsConfig | None = None

    @property
    def paths(self) -> Paths:
        return paths(self.home).ensure()

    @cached_property
    def loaded_settings(self) -> Settings:
        return self.settings.to_settings() if self.settings is not None else settings()

    @contextmanager
    def scratch(self, name: str) -> Iterator[Path]:
        """An owner-only scratch folder in the data home, removed when the block ends
        (a step's files too large to hold in memory: batches written, then inserted)."""
        folder = Path(tempfile.mkdtemp(prefix=f".{name}-scratch-", dir=self.paths.home))
        try:
            yield folder
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    @contextmanager
    def connect(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """The warehouse, with DuckDB's memory_limit and threads from memory_budget_mb
        (``duckdb_limits``: half of the budget above the process's own ~0.5 GB, as for
        ingest's and scrub's DuckDB; a step's Python batches get the other half). DuckDB
        spills beyond it to ``<warehouse>.tmp`` next to the file, in the data home."""
        con = duckdb.connect(
            str(self.paths.warehouse),
            config=duckdb_limits(self.loaded_settings.memory_budget_mb).settings,
        )
        try:
            yield con
        finally:
            con.close()

    # The Spark session of the Python stages comes from this resource's settings
    # (spark_master, spark_conf; built by pipelines.spark_session only when an engine
    # spark asset asks), not from dagster-pyspark's PySparkResource, although that installs
    # cleanly here (0.29.27 with dagster-spark): it takes the Spark conf as resource config,
    # which the UI and the run's config show (s3a keys can be in it), hands back whatever
    # session getOrCreate finds (a session on another master included) and never stops it,
    # and has none of what a stage needs (the owner-only spill folder, the Python workers'
    # interpreter). The master and the conf file's path are already settings shown here.
    @property
    def spark_target(self) -> SparkTarget:
        """Where the Python stages run on Spark (``engine: spark``, docs/scale-out.md)."""
        return SparkTarget.of(self.loaded_settings)

    @property
    def spark_store(self) -> str:
        """The Spark stores' base URI: the spark_store setting, else ``<home>/spark``."""
        return spark_store_uri(self.paths, self.loaded_settings)
