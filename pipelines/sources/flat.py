"""Flat event-table adapter: CSV (optionally gzipped) or Parquet, one row per event.

A record is one data row. Record numbers are CSV row numbers with the header as
row 1 (the line number when no value spans lines); for Parquet, the 1-based row
index. DuckDB's native CSV reader does the parsing: it is multi-threaded, keeps
the file's row order, and with ``store_rejects`` reports every malformed or
non-UTF-8 row with its row number instead of failing the file or decoding with
replacement characters.
"""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import pyarrow as pa

from pipelines.sources import reasons
from pipelines.sources.column_map import ColumnMap
from pipelines.sources.staging import (
    STAGED_SCHEMA,
    STAGED_TABLE,
    Reject,
    StagedFile,
    unreadable_file,
)

_ENCODING_ERRORS = {"INVALID ENCODING", "INVALID UNICODE"}
# Without these a row cannot be an event; a file lacking one says so in every message.
_REQUIRED_COLUMNS = ("conversation_id", "sent_at", "actor")


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _stage_columns(
    con: duckdb.DuckDBPyConnection, column_map: ColumnMap, number_sql: str, joins: str = ""
) -> tuple[str, ...]:
    """Define ``staged`` over ``raw_rows``: canonical names, staging columns added.

    Returns the required canonical columns the file does not have.
    """
    raw_columns = con.sql("select * from raw_rows").columns
    by_name: dict[str, str] = {}
    for name in raw_columns:
        canonical = column_map.canonical_name(name)
        if canonical is not None and canonical not in by_name:
            by_name[canonical] = f"cast(r.{_quote(name)} as varchar)"
    missing = tuple(name for name in _REQUIRED_COLUMNS if name not in by_name)
    if "source" not in by_name and column_map.source is not None:
        by_name["source"] = _literal(column_map.source)
    fixed = {
        "record_number": number_sql,
        "event_index": "0::integer",
        "delivery": "0::bigint",
        "has_event": "true",
    }
    select = ", ".join(
        f"{by_name.get(f.name) or fixed.get(f.name) or 'null::varchar'} as {f.name}"
        for f in STAGED_SCHEMA
    )
    # A view, not a copy: the rows are read once more by normalization anyway.
    con.execute(
        f"create or replace temp view {STAGED_TABLE} as select {select} from raw_rows r {joins}"
    )
    return missing


def _reject_shifts(lines: list[int]) -> pa.Table:
    """How many rejected rows precede each good row, as an as-of lookup table.

    Good rows keep their order, so good row k (0-based) sits at row number
    ``k + 2 + (rejects before it)``. The i-th rejected row (sorted, 0-based) has
    ``line - 2 - i`` good rows before it; every good row from that index on is
    shifted by ``i + 1``.
    """
    shift: dict[int, int] = {}
    for i, line in enumerate(sorted(lines)):
        shift[line - 2 - i] = i + 1
    return pa.table(
        {
            "good_before": pa.array(list(shift), pa.int64()),
            "shift": pa.array(list(shift.values()), pa.int64()),
        }
    )


def _conversation_index(con: duckdb.DuckDBPyConnection, column_map: ColumnMap) -> int | None:
    """Position of the (mapped) conversation_id column in the file's header."""
    for index, name in enumerate(con.sql("select * from raw_rows").columns):
        if column_map.canonical_name(name) == "conversation_id":
            return index
    return None


def _candidate_ids(line: str, dialect: tuple[str, str], width: int, index: int) -> set[str]:
    """The conversation ids a rejected raw line may belong to (empty: not recoverable).

    A row with too many or too few fields is misaligned somewhere; the id is read
    both counting from the start and from the end of the row, so it is found when
    the extra/missing fields are all after or all before the id column; if either
    reading is empty the id counts as unrecoverable. Rejecting a
    second, wrong candidate only costs a conversation; missing the right one would
    load a conversation without one of its events.
    """
    delimiter, quote = dialect
    # The csv module splits the one line exactly as DuckDB's dialect does; DuckDB
    # reports rejected rows only as text.
    reader = csv.reader(
        [line],
        delimiter=delimiter,
        quotechar=quote or '"',
        quoting=csv.QUOTE_MINIMAL if quote else csv.QUOTE_NONE,
    )
    try:
        fields = next(reader, [])
    except csv.Error:
        return set()
    # A position outside the row is an impossible reading (e.g. fields missing
    # before the first column), not an ambiguous one.
    readings = {fields[i] for i in {index, index + len(fields) - width} if 0 <= i < len(fields)}
    # An empty reading may be where the real id was: not recoverable.
    return readings if readings and all(value.strip() for value in readings) else set()


def _file_rejects(
    con: duckdb.DuckDBPyConnection, column_map: ColumnMap, width: int
) -> list[Reject]:
    """DuckDB's rejected rows, each tied to the conversation(s) it may belong to."""
    # One row can be reported once per error; keep its first error.
    reject_rows = con.execute(
        "select line, arg_min(error_type, column_idx), arg_min(error_message, column_idx), "
        "arg_min(csv_line, column_idx) from reject_errors group by line order by line"
    ).fetchall()
    if not reject_rows:
        return []
    [(delimiter, quote)] = con.execute(
        "select delimiter, quote from reject_scans order by scan_id desc limit 1"
    ).fetchall()
    # reject_scans writes an absent quote character as "(empty)".
    dialect = (delimiter, "" if quote in (None, "(empty)") else quote)
    index = _conversation_index(con, column_map)
    candidates = [
        set() if index is None else _candidate_ids(csv_line or "", dialect, width, index)
        for _, _, _, csv_line in reject_rows
    ]
    # Only ids that name a conversation of the file's good rows have siblings to reject.
    present: set[str] = set()
    if index is not None and any(candidates):
        column = _quote(con.sql("select * from raw_rows").columns[index])
        present = {
            value
            for (value,) in con.execute(
                f"select distinct {column} from raw_rows where {column} in (select unnest(?))",
                [sorted(set().union(*candidates))],
            ).fetchall()
        }
    rejects = []
    for (line, error_type, message, csv_line), found in zip(reject_rows, candidates, strict=True):
        ids = found & present
        if ids:
            tie = f"; conversation {' / '.join(sorted(ids))} is rejected with it"
        elif found:
            tie = f"; no other row of conversation {' / '.join(sorted(found))} in the file"
        else:
            tie = (
                "; its conversation_id cannot be recovered, so every conversation of this "
                "file is rejected (any of them may be missing this row)"
            )
        rejects.append(
            Reject(
                int(line),
                reasons.INVALID_UTF8 if error_type in _ENCODING_ERRORS else reasons.MALFORMED_ROW,
                f"row {line}: {message}{tie}",
                csv_line or "",
                conversation_ids=tuple(sorted(ids)),
                any_conversation=not found,
            )
        )
    return rejects


def read_csv(
    con: duckdb.DuckDBPyConnection, path: Path, source_file: str, column_map: ColumnMap
) -> StagedFile:
    """Stage a CSV export into ``con``; malformed and non-UTF-8 rows become rejects."""
    unreadable = _create_raw_rows(
        con,
        path,
        source_file,
        "CSV",
        f"select * from read_csv({_literal(str(path))}, all_varchar = true, header = true, "
        "store_rejects = true, compression = 'auto')",
    )
    if unreadable is not None:
        return unreadable
    file_columns = tuple(con.sql("select * from raw_rows").columns)
    rejects = _file_rejects(con, column_map, len(file_columns))
    [(n_good,)] = con.execute("select count(*) from raw_rows").fetchall()
    if rejects:
        con.register("shifts", _reject_shifts([r.record_number for r in rejects]))
        # Materialized so the as-of join below does not depend on the Arrow view.
        con.execute("create or replace temp table reject_shifts as select * from shifts")
        missing = _stage_columns(
            con,
            column_map,
            "r.rowid + 2 + coalesce(j.shift, 0)",
            "asof left join reject_shifts j on r.rowid >= j.good_before",
        )
    else:
        missing = _stage_columns(con, column_map, "r.rowid + 2")
    return StagedFile(
        source_file,
        int(n_good) + len(rejects),
        "event row",
        rejects,
        missing_columns=missing,
        file_columns=file_columns,
    )


def read_parquet(
    con: duckdb.DuckDBPyConnection, path: Path, source_file: str, column_map: ColumnMap
) -> StagedFile:
    """Stage a Parquet export; typed columns are cast to text and parsed like CSV.

    Casting in DuckDB renders timestamps as ISO text (naive ones stay naive and
    are read as UTC, the same rule as for CSV).
    """
    unreadable = _create_raw_rows(
        con, path, source_file, "Parquet", f"select * from read_parquet({_literal(str(path))})"
    )
    if unreadable is not None:
        return unreadable
    [(n_rows,)] = con.execute("select count(*) from raw_rows").fetchall()
    missing = _stage_columns(con, column_map, "r.rowid + 1")
    return StagedFile(
        source_file,
        int(n_rows),
        "event row",
        missing_columns=missing,
        file_columns=tuple(con.sql("select * from raw_rows").columns),
    )


def _create_raw_rows(
    con: duckdb.DuckDBPyConnection, path: Path, source_file: str, what: str, select_sql: str
) -> StagedFile | None:
    """Create the temp table ``raw_rows`` from ``select_sql``; a file DuckDB cannot read
    becomes one quarantined record (returned) instead of failing the whole run."""
    try:
        con.execute(f"create or replace temp table raw_rows as {select_sql}")
    except duckdb.Error as error:
        return unreadable_file(
            con,
            path,
            source_file,
            "event row",
            reasons.UNREADABLE_FILE,
            f"file could not be read as {what}: {error}",
        )
    return None
