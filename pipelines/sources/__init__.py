"""Transcript format adapters -> canonical records, quarantine, raw store (no Dagster)."""

from pipelines.sources.column_map import ColumnMap, ColumnMapError, load_column_map
from pipelines.sources.files import JudgedFile, judge_file
from pipelines.sources.ingest import (
    QUARANTINE_SCHEMA,
    RAW_CONVERSATION_SCHEMA,
    RAW_EVENT_SCHEMA,
    ingest_days,
    landing_files,
)
from pipelines.sources.landing import SUPPORTED_SUFFIXES
from pipelines.sources.report import (
    AuditRow,
    FileOutcome,
    FileThresholdMode,
    IngestReport,
    QuarantineThresholdExceeded,
)

__all__ = [
    "QUARANTINE_SCHEMA",
    "RAW_CONVERSATION_SCHEMA",
    "RAW_EVENT_SCHEMA",
    "SUPPORTED_SUFFIXES",
    "AuditRow",
    "ColumnMap",
    "ColumnMapError",
    "FileOutcome",
    "FileThresholdMode",
    "IngestReport",
    "JudgedFile",
    "QuarantineThresholdExceeded",
    "ingest_days",
    "judge_file",
    "landing_files",
    "load_column_map",
]
