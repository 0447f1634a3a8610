"""What an ingest run records in the warehouse, and what it refuses to do to it.

``main.ingest_audit`` says, per partition day and source file, how many records were
read, loaded and quarantined (and why), so every record is accounted for.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import duckdb
import pyarrow as pa

from pipelines.pii.identifiers import safe_file_label
from pipelines.sources.report import IngestReport
from pipelines.warehouse.io import replace_partitions, table_exists
from pipelines.warehouse.tables import INGEST_AUDIT, SCRUBBED_CONVERSATIONS


def write_audit(con: duckdb.DuckDBPyConnection, days: Sequence[date], report: IngestReport) -> int:
    """Replace the window's audit rows in one transaction (idempotent re-runs)."""
    rows = pa.Table.from_pylist(
        [
            {
                "partition_date": row.partition_date,
                # A file name is typed by a person and may name a customer: the warehouse
                # gets a digest for such names (the raw quarantine keeps the real path).
                "source_file": safe_file_label(row.source_file),
                "records_read": row.records_read,
                "records_loaded": row.records_loaded,
                "records_quarantined": row.records_quarantined,
                "reason_counts": json.dumps(row.reason_counts, sort_keys=True),
            }
            for row in report.audit
        ],
        schema=INGEST_AUDIT.columns,
    )
    return replace_partitions(con, INGEST_AUDIT, rows, days)


@dataclass(frozen=True)
class AuditReconciliation:
    """The audit rows of a window, and those whose counts do not add up."""

    rows: int
    records_read: int
    unreconciled: list[tuple[str, str, int, int, int]]

    @property
    def reconciles(self) -> bool:
        return not self.unreconciled


def reconcile_audit(con: duckdb.DuckDBPyConnection, days: Sequence[date]) -> AuditReconciliation:
    """Every record read is either loaded or quarantined, per audit row of ``days``."""
    if not table_exists(con, INGEST_AUDIT.name):
        return AuditReconciliation(0, 0, [])
    window = [min(days), max(days)]
    broken = con.execute(
        "select partition_date::varchar, source_file, records_read, records_loaded, "
        f"records_quarantined from {INGEST_AUDIT.name} where partition_date between ? and ? "
        "and records_read <> records_loaded + records_quarantined order by all",
        window,
    ).fetchall()
    [(rows, read)] = con.execute(
        f"select count(*), coalesce(sum(records_read), 0) from {INGEST_AUDIT.name} "
        "where partition_date between ? and ?",
        window,
    ).fetchall()
    return AuditReconciliation(int(rows), int(read), [tuple(row) for row in broken])


class HistoryWouldBeErased(RuntimeError):
    """A re-run would replace days the warehouse holds with nothing."""


def refuse_to_erase_history(
    con: duckdb.DuckDBPyConnection, conversations_per_day: dict[date, int], retention_days: int
) -> None:
    """A day with no input now but scrubbed conversations in the warehouse lost its
    landing files (raw retention, a cleanup, a wrong CLOSEDLOOP_HOME). Going on would
    replace its history with nothing downstream, so stop, before anything is written,
    and say so (``HistoryWouldBeErased``)."""
    empty = [day for day, n in conversations_per_day.items() if n == 0]
    if not empty or not table_exists(con, SCRUBBED_CONVERSATIONS.name):
        return
    kept = con.execute(
        f"select partition_date, count(*) from {SCRUBBED_CONVERSATIONS.name} "
        "where partition_date in (select unnest(?::date[])) group by 1 order by 1",
        [empty],
    ).fetchall()
    if kept:
        listing = ", ".join(f"{day} ({n} conversations)" for day, n in kept)
        raise HistoryWouldBeErased(
            f"no landing input for {listing}, which the warehouse already holds: the "
            f"landing files are gone (raw retention deletes them after {retention_days} "
            "days). Not re-running these days keeps their data; to really empty them, "
            "delete their rows first."
        )
