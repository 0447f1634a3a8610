"""Transcript format adapters -> canonical records, quarantine, raw store (no Dagster)."""

from pipelines.sources.column_map import ColumnMap, ColumnMapError, load_column_map
from pipelines.sources.files import SUPPORTED_SUFFIXES, JudgedFile, judge_file
from pipelines.sources.ingest import (
    QUARANTINE_SCHEMA,
    RAW_CONVERSATION_SCHEMA,
    RAW_EVENT_SCHEMA,
    AuditRow,
    IngestReport,
    QuarantineThresholdExceeded,
    ingest_days,
    landing_files,
)

__all__ = [
    "QUARANTINE_SCHEMA",
    "RAW_CONVERSATION_SCHEMA",
    "RAW_EVENT_SCHEMA",
    "SUPPORTED_SUFFIXES",
    "AuditRow",
    "ColumnMap",
    "ColumnMapError",
    "IngestReport",
    "JudgedFile",
    "QuarantineThresholdExceeded",
    "ingest_days",
    "judge_file",
    "landing_files",
    "load_column_map",
]
