"""The warehouse's record of the PII key its pseudonyms were made with.

Only fingerprints are stored (``pipelines.pii.pseudonym.key_fingerprint``), never a
key. Every row is kept, newest last, as the history of keys; the newest is the key in
force. :func:`pipelines.pii.pseudonym.guarded_key` refuses a run with any other key.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol

import duckdb
import pyarrow as pa

from pipelines.warehouse.io import ensure_table, record_changes, table_exists
from pipelines.warehouse.tables import PII_KEY_FINGERPRINT, SCRUBBED_CONVERSATIONS


class KeyIdentity(Protocol):
    """What is recorded of a key: its fingerprint and where it came from."""

    @property
    def fingerprint(self) -> str: ...

    @property
    def source(self) -> str: ...


@dataclass(frozen=True)
class RecordedFingerprint:
    """The warehouse's record of the key its pseudonyms were made with."""

    fingerprint: str
    key_source: str
    reason: str
    recorded_at: datetime


def recorded_fingerprint(con: duckdb.DuckDBPyConnection) -> RecordedFingerprint | None:
    """The latest fingerprint recorded in the warehouse; None before the first scrub."""
    if not table_exists(con, PII_KEY_FINGERPRINT.name):
        return None
    row = con.execute(
        f"select fingerprint, key_source, reason, recorded_at from {PII_KEY_FINGERPRINT.name} "
        "order by recorded_at desc limit 1"
    ).fetchone()
    return RecordedFingerprint(*row) if row else None


def holds_pseudonyms(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the warehouse has scrubbed conversations (whose ``customer_key`` are
    pseudonyms), e.g. made before key fingerprints were recorded."""
    if not table_exists(con, SCRUBBED_CONVERSATIONS.name):
        return False
    (rows,) = con.execute(
        f"select exists (select 1 from {SCRUBBED_CONVERSATIONS.name})"
    ).fetchone() or (False,)
    return bool(rows)


def record_fingerprint(con: duckdb.DuckDBPyConnection, key: KeyIdentity, reason: str) -> None:
    """Append ``key``'s fingerprint (never the key); earlier rows stay as the history of
    keys. Runs in the caller's transaction, if any."""
    ensure_table(con, PII_KEY_FINGERPRINT)
    record_changes(con, [PII_KEY_FINGERPRINT.name])
    row = pa.Table.from_pylist(
        [
            {
                "fingerprint": key.fingerprint,
                "key_source": key.source,
                "reason": reason,
                "recorded_at": datetime.now(UTC),
            }
        ],
        schema=PII_KEY_FINGERPRINT.columns,
    )
    con.register("_fingerprint_row", row)
    try:
        con.execute(f"insert into {PII_KEY_FINGERPRINT.name} select * from _fingerprint_row")
    finally:
        con.unregister("_fingerprint_row")
