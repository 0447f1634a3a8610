"""The annotation tables in the warehouse: the daily sample, the imported labels and the
Python-built marts (agreement, labelers, human-calibrated resolution)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import duckdb
import pandas as pd

from pipelines.annotation.qa import agreement_table, batch_reports
from pipelines.pii.pseudonym import PiiKey, record_or_verify_fingerprint
from pipelines.stats.agreement import GateResult
from pipelines.stats.calibration import calibrated_resolution
from pipelines.warehouse.io import (
    conform,
    ensure_table,
    replace_partitions,
    replace_table,
    replace_tables_from_frames,
)
from pipelines.warehouse.tables import ANNOTATION_LABELS, ANNOTATION_SAMPLE, FCT_CONVERSATIONS


def write_sample(con: duckdb.DuckDBPyConnection, days: Sequence[date], sample: pd.DataFrame) -> int:
    """Replace the window's batches of annotation.sample (idempotent re-runs)."""
    rows = (
        conform(sample, ANNOTATION_SAMPLE)
        if len(sample)
        else ANNOTATION_SAMPLE.columns.empty_table()
    )
    return replace_partitions(con, ANNOTATION_SAMPLE, rows, days)


def write_labels(con: duckdb.DuckDBPyConnection, labels: pd.DataFrame, key: PiiKey) -> int:
    """Replace annotation.labels with ``labels`` (already made safe for the warehouse);
    the key's fingerprint is recorded or checked in the same transaction."""
    return replace_table(
        con,
        ANNOTATION_LABELS,
        labels,
        pre_commit=lambda con: record_or_verify_fingerprint(con, key),
    )


def batch_gates(labels: pd.DataFrame) -> list[GateResult]:
    """The agreement gate of every batch in ``labels`` (pipelines.annotation.qa)."""
    return [gate for _, gate in batch_reports(labels)] if len(labels) else []


@dataclass(frozen=True)
class AnnotationMarts:
    agreement: pd.DataFrame
    calibrated: pd.DataFrame
    labelers: pd.DataFrame


def build_marts(con: duckdb.DuckDBPyConnection) -> AnnotationMarts:
    """Agreement per batch x field, labeler quality and calibrated resolution per week x
    intent, recomputed whole from annotation.labels and annotation.sample."""
    for table in (ANNOTATION_LABELS, ANNOTATION_SAMPLE):
        ensure_table(con, table)
    labels = con.execute(f"select * from {ANNOTATION_LABELS.name}").df()
    sample = con.execute(f"select * from {ANNOTATION_SAMPLE.name}").df()
    automated = con.execute(
        f"select conversation_id, durable_resolved from {FCT_CONVERSATIONS} "
        f"where conversation_id in (select conversation_id from {ANNOTATION_SAMPLE.name})"
    ).df()
    results = batch_reports(labels) if len(labels) else []
    return AnnotationMarts(
        agreement=agreement_table(results, labels),
        calibrated=(
            calibrated_resolution(sample, labels, automated)
            if len(labels) and len(sample)
            else pd.DataFrame()
        ),
        labelers=(
            pd.concat([report.labelers for report, _ in results], ignore_index=True)
            if results
            else pd.DataFrame()
        ),
    )


def write_marts(con: duckdb.DuckDBPyConnection, marts: AnnotationMarts) -> None:
    """Small, fully recomputed tables: replaced, not merged."""
    replace_tables_from_frames(
        con,
        {
            "main.mart_annotation_agreement": marts.agreement,
            "main.mart_resolution_calibrated": marts.calibrated,
            "main.mart_annotation_labelers": marts.labelers,
        },
    )
