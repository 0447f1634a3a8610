"""The staging layout every adapter produces before normalization.

Adapters only split a file into *records* and records into text fields; they do
not judge values. Keeping every field as text until one shared, vectorized
normalization step (``normalize.py``) means every format gets the same parsing
rules (timestamps, actor synonyms, ...) and the same quarantine reasons.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb
import pyarrow as pa

from schemas.canonical import CONVERSATION_COLUMNS, EVENT_COLUMNS

# Text fields: the canonical columns, each still a raw string.
TEXT_COLUMNS: tuple[str, ...] = CONVERSATION_COLUMNS + tuple(
    name for name in EVENT_COLUMNS if name != "conversation_id"
)

STAGED_SCHEMA = pa.schema(
    [pa.field(name, pa.string()) for name in TEXT_COLUMNS]
    + [
        # The record (JSONL line, CSV row, platform conversation) the row came from.
        pa.field("record_number", pa.int64(), nullable=False),
        # Position of the event inside its record (JSONL / platform exports).
        pa.field("event_index", pa.int32(), nullable=False),
        # Rows with the same (conversation_id, delivery) form one conversation:
        # a flat table groups rows by conversation_id alone (delivery 0), while a
        # JSONL line is a complete delivery of its conversation on its own.
        pa.field("delivery", pa.int64(), nullable=False),
        # False for the placeholder row of a conversation whose events list is empty.
        pa.field("has_event", pa.bool_(), nullable=False),
        # The record as read (JSONL line); None when it is rebuilt from the fields.
        pa.field("original", pa.string()),
    ]
)


@dataclass(frozen=True)
class Reject:
    """A record rejected before it could be split into fields."""

    record_number: int
    reason: str
    message: str
    original: str
    # Flat tables spread a conversation over many rows, so a rejected row takes its
    # conversation with it (the other rows become sibling_rejected): the ids it may
    # belong to, or ``any_conversation`` when its id could not be recovered.
    conversation_ids: tuple[str, ...] = ()
    any_conversation: bool = False


STAGED_TABLE = "staged"

# `source` of conversations whose records name none and whose column map gives none.
# The same for every file format, so that the same conversation delivered once as CSV
# and later as JSONL is one conversation, and the later delivery wins.
DEFAULT_SOURCE = "default"


@dataclass
class StagedFile:
    """One input file split into records; its rows are in the connection's ``staged`` table.

    Rows live in DuckDB rather than in Python so a million-row export never
    leaves native code between the reader and the typed output.
    ``records_read`` is counted by the reader itself, independently of the rows,
    so the reconciliation ``read = loaded + quarantined`` is a real check.
    """

    source_file: str
    records_read: int
    record_kind: str  # what one record is: "conversation" or "event row"
    rejects: list[Reject] = field(default_factory=list)
    # The platform of a platform export (intercom, zendesk): the `source` of its
    # conversations. Other formats leave it to the column map, else DEFAULT_SOURCE.
    platform: str | None = None
    # Required columns the file lacks (after the column map), e.g. ("actor",).
    missing_columns: tuple[str, ...] = ()
    # The file's own column names, to explain a missing column.
    file_columns: tuple[str, ...] = ()


# A file that cannot be split into records is one record (how many it had is unknown);
# this many leading characters are kept in quarantine as its original record.
UNREADABLE_PREFIX_CHARS = 10_000


# Enough leading bytes for that many characters of any UTF-8 text.
UNREADABLE_PREFIX_BYTES = 4 * UNREADABLE_PREFIX_CHARS


def prefix_text(head: bytes) -> str:
    """The original record kept for a whole-file reject: bytes that are not UTF-8 escaped."""
    return head.decode("utf-8", errors="backslashreplace")[:UNREADABLE_PREFIX_CHARS]


def rejected_file(
    con: duckdb.DuckDBPyConnection,
    source_file: str,
    record_kind: str,
    reason: str,
    message: str,
    original: str,
) -> StagedFile:
    """A file that cannot be split into records: one quarantined record numbered 0."""
    load_staged(con, STAGED_SCHEMA.empty_table())
    return StagedFile(source_file, 1, record_kind, [Reject(0, reason, message, original)])


def staged_table(columns: dict[str, list[object]]) -> pa.Table:
    """Build a staged table from Python lists, filling absent text columns with nulls."""
    n_rows = len(columns["record_number"])
    arrays = []
    for fld in STAGED_SCHEMA:
        values = columns.get(fld.name)
        if values is None:
            arrays.append(pa.nulls(n_rows, fld.type))
        else:
            arrays.append(pa.array(values, type=fld.type))
    return pa.Table.from_arrays(arrays, schema=STAGED_SCHEMA)


def load_staged(con: duckdb.DuckDBPyConnection, table: pa.Table) -> None:
    """Put rows built in Python (JSONL, platform exports) into the ``staged`` table."""
    con.register("staged_arrow", table)
    con.execute(f"create or replace temp table {STAGED_TABLE} as select * from staged_arrow")
    con.unregister("staged_arrow")


def append_staged(con: duckdb.DuckDBPyConnection, table: pa.Table) -> None:
    """Add one batch of rows built in Python to the ``staged`` table."""
    if not table.num_rows:
        return
    # A temp table of the file's own in-memory connection, never the warehouse.
    con.from_arrow(table).insert_into(STAGED_TABLE)
