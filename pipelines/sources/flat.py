"""Flat event-table adapter: CSV (optionally gzipped) or Parquet, one row per event.

A record is one data row. Record numbers are CSV row numbers with the header as
row 1 (the line number when no value spans lines); for Parquet, the 1-based row
index. DuckDB's native CSV reader does the parsing: it is multi-threaded, keeps
the file's row order, and with ``store_rejects`` reports every malformed,
non-UTF-8 or over-long row with its row number instead of failing the file or
decoding with replacement characters.
"""

from __future__ import annotations

import csv
import gzip
from collections.abc import Iterator
from contextlib import contextmanager
from typing import BinaryIO

import duckdb
import pyarrow as pa

from pipelines.sources import reasons
from pipelines.sources.column_map import ColumnMap
from pipelines.sources.landing import LandingFile
from pipelines.sources.staging import (
    STAGED_SCHEMA,
    STAGED_TABLE,
    UNREADABLE_PREFIX_BYTES,
    Reject,
    StagedFile,
    prefix_text,
    rejected_file,
)
from pipelines.warehouse.io import sql_identifier, sql_literal

_ENCODING_ERRORS = {"INVALID ENCODING", "INVALID UNICODE"}
_LINE_TOO_LONG = "LINE SIZE OVER MAXIMUM"
# Without these a row cannot be an event; a file lacking one says so in every message.
_REQUIRED_COLUMNS = ("conversation_id", "sent_at", "actor")
# DuckDB's own limit for one row (2 MB) stays the limit for reading; only the dialect
# sniffer gets more room, so that one over-long row in its sample rejects that row
# (and its conversation) instead of the whole file. Longer rows than this in the
# sample leave the file unreadable.
_SNIFF_MAX_LINE_BYTES = 256 * 1024 * 1024
# Nested Parquet columns (a struct payload) are rendered as JSON, not DuckDB's
# {'key': value} literal syntax.
_NESTED_TYPES = {"struct", "map", "list", "array", "union"}


def _stage_columns(
    con: duckdb.DuckDBPyConnection, column_map: ColumnMap, number_sql: str, joins: str = ""
) -> tuple[str, ...]:
    """Define ``staged`` over ``raw_rows``: canonical names, staging columns added.

    Returns the required canonical columns the file does not have.
    """
    described = con.sql("select * from raw_rows limit 0")
    by_name: dict[str, str] = {}
    for name, column_type in zip(described.columns, described.types, strict=True):
        canonical = column_map.canonical_name(name)
        if canonical is not None and canonical not in by_name:
            column = f"r.{sql_identifier(name)}"
            if column_type.id in _NESTED_TYPES:
                column = f"to_json({column})"
            by_name[canonical] = f"cast({column} as varchar)"
    missing = tuple(name for name in _REQUIRED_COLUMNS if name not in by_name)
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


def _candidate_ids(
    line: str, dialect: tuple[str, str], width: int, index: int, truncated: bool
) -> set[str]:
    """The conversation ids a rejected raw line may belong to (empty: not recoverable).

    A row with too many or too few fields is misaligned somewhere; the id is read
    both counting from the start and from the end of the row, so it is found when
    the extra/missing fields are all after or all before the id column; if either
    reading is empty the id counts as unrecoverable. Rejecting a
    second, wrong candidate only costs a conversation; missing the right one would
    load a conversation without one of its events. A ``truncated`` line (DuckDB keeps
    the start of an over-long row) is read from the start only.
    """
    delimiter, quote = dialect
    # The csv module splits the one line exactly as DuckDB's dialect does; DuckDB
    # reports rejected rows only as text. Its text of a row of a CRLF file starts
    # with the LF of the line before.
    reader = csv.reader(
        [line.strip("\r\n")],
        delimiter=delimiter,
        quotechar=quote or '"',
        quoting=csv.QUOTE_MINIMAL if quote else csv.QUOTE_NONE,
    )
    try:
        fields = next(reader, [])
    except csv.Error:
        return set()
    positions = {index} if truncated else {index, index + len(fields) - width}
    # A position outside the row is an impossible reading (e.g. fields missing
    # before the first column), not an ambiguous one.
    readings = {fields[i] for i in positions if 0 <= i < len(fields)}
    # An empty reading may be where the real id was: not recoverable.
    return readings if readings and all(value.strip() for value in readings) else set()


def _physical_lines(stream: BinaryIO, positions: list[int]) -> dict[int, bytes]:
    """The raw line holding each byte position (of the decompressed text).

    DuckDB reports a non-UTF-8 row with its bad bytes replaced by "?"; quarantine
    keeps the bytes themselves (escaped), so they are read back from the file.
    Streams once through the file, holding one line at a time.
    """
    found: dict[int, bytes] = {}
    wanted = sorted(set(positions))
    offset = 0
    for line in stream:
        end = offset + len(line)
        while wanted and wanted[0] < end:
            found[wanted.pop(0)] = line.rstrip(b"\r\n")
        if not wanted:
            break
        offset = end
    return found


def _reject_reason(error_type: str) -> tuple[str, str]:
    """Reason code and a value-free description for one of DuckDB's CSV error types."""
    if error_type in _ENCODING_ERRORS:
        return reasons.INVALID_UTF8, "holds bytes that are not UTF-8 (kept escaped)"
    if error_type == _LINE_TOO_LONG:
        return (
            reasons.OVERSIZE_TEXT,
            "is longer than the 2 MB a row may have (its first 10,000 characters are kept)",
        )
    return (
        reasons.MALFORMED_ROW,
        f"cannot be split into the header's columns ({error_type.lower()})",
    )


def _file_rejects(
    con: duckdb.DuckDBPyConnection, file: LandingFile, column_map: ColumnMap, width: int
) -> list[Reject]:
    """DuckDB's rejected rows, each tied to the conversation(s) it may belong to."""
    # One row can be reported once per error; keep its first error.
    reject_rows = con.execute(
        "select line, arg_min(error_type, c), arg_min(csv_line, c), arg_min(byte_position, c) "
        "from (select *, coalesce(column_idx, -1) as c from reject_errors) "
        "group by line order by line"
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
        set()
        if index is None
        else _candidate_ids(csv_line or "", dialect, width, index, error == _LINE_TOO_LONG)
        for _, error, csv_line, _ in reject_rows
    ]
    # Only ids that name a conversation of the file's good rows have siblings to reject.
    present: set[str] = set()
    if index is not None and any(candidates):
        column = sql_identifier(con.sql("select * from raw_rows").columns[index])
        present = {
            value
            for (value,) in con.execute(
                f"select distinct {column} from raw_rows where {column} in (select unnest(?))",
                [sorted(set().union(*candidates))],
            ).fetchall()
        }
    raw = {}
    encoding = [int(p) for _, error, _, p in reject_rows if error in _ENCODING_ERRORS]
    if encoding:
        with _decompressed(file) as stream:
            raw = _physical_lines(stream, encoding)
    rejects = []
    for (line, error, csv_line, position), found in zip(reject_rows, candidates, strict=True):
        ids = found & present
        if ids:
            tie = "; its conversation is rejected with it"
        elif found:
            tie = "; no other row of its conversation is in the file"
        else:
            tie = (
                "; its conversation_id cannot be recovered, so every conversation of this "
                "file is rejected (any of them may be missing this row)"
            )
        reason, problem = _reject_reason(error)
        original = csv_line or ""
        if error in _ENCODING_ERRORS and int(position) in raw:
            original = raw[int(position)].decode("utf-8", errors="backslashreplace")
        rejects.append(
            Reject(
                int(line),
                reason,
                f"row {line} {problem}{tie}",
                original.strip("\r\n"),
                conversation_ids=tuple(sorted(ids)),
                any_conversation=not found,
            )
        )
    return rejects


@contextmanager
def _decompressed(file: LandingFile) -> Iterator[BinaryIO]:
    """The file's text bytes from the start (gunzipped for .gz)."""
    with file.stream() as stream:
        if file.name.lower().endswith(".gz"):
            with gzip.GzipFile(fileobj=stream) as unzipped:
                yield unzipped  # type: ignore[misc]
        else:
            yield stream


def _header_problem(file: LandingFile) -> str | None:
    """Why the header row cannot be read, else None.

    DuckDB skips a header row that is not UTF-8 and takes the first data row as the
    header instead, which would name the columns after one record's values.
    """
    with _decompressed(file) as stream:
        header = stream.readline(1024 * 1024)
    try:
        header.decode("utf-8")
    except UnicodeDecodeError:
        return "its header row is not UTF-8 (export the file as UTF-8)"
    return None


def _read_csv_sql(file: LandingFile, options: str) -> str:
    compression = "gzip" if file.name.lower().endswith(".gz") else "none"
    # The path is the open descriptor, never the file's name: DuckDB would expand
    # [ab].csv or *.csv as a pattern; hive_partitioning off so the dt=... folder does
    # not become a column of the file.
    return (
        f"select * from read_csv({sql_literal(file.reader_path)}, all_varchar = true, "
        f"header = true, store_rejects = true, hive_partitioning = false, "
        f"compression = {sql_literal(compression)}{options})"
    )


def _sniffed_options(con: duckdb.DuckDBPyConnection, file: LandingFile) -> str | None:
    """read_csv options for a file whose dialect DuckDB's sniffer found only with room
    for over-long rows; None when even then it finds none."""
    compression = "gzip" if file.name.lower().endswith(".gz") else "none"
    try:
        [(delimiter, quote, escape, newline, skip, columns)] = con.execute(
            "select Delimiter, Quote, Escape, NewLineDelimiter, SkipRows, Columns "
            f"from sniff_csv({sql_literal(file.reader_path)}, "
            f"max_line_size = {_SNIFF_MAX_LINE_BYTES}, "
            f"compression = {sql_literal(compression)}, header = true)"
        ).fetchall()
    except duckdb.Error:
        return None
    names = ", ".join(f"{sql_literal(column['name'])}: 'varchar'" for column in columns)
    settings = {
        "delim": delimiter,
        "quote": "" if quote == "(empty)" else quote,
        "escape": "" if escape == "(empty)" else escape,
        "new_line": newline,
    }
    return (
        ", auto_detect = false, "
        + ", ".join(f"{key} = {sql_literal(value)}" for key, value in settings.items())
        + f", skip = {int(skip)}, columns = {{{names}}}"
    )


def read_csv(
    con: duckdb.DuckDBPyConnection, file: LandingFile, source_file: str, column_map: ColumnMap
) -> StagedFile:
    """Stage a CSV export into ``con``; malformed, non-UTF-8 and over-long rows become
    rejects, each taking its conversation with it."""
    problem = _header_problem(file)
    if problem is not None:
        return _unreadable(con, file, source_file, problem)
    try:
        con.execute(f"create or replace temp table raw_rows as {_read_csv_sql(file, '')}")
    except duckdb.Error:
        # Most often one row over 2 MB inside the sniffer's sample.
        options = _sniffed_options(con, file)
        if options is None:
            return _unreadable(con, file, source_file, "it cannot be read as CSV")
        try:
            con.execute(f"create or replace temp table raw_rows as {_read_csv_sql(file, options)}")
        except duckdb.Error:
            return _unreadable(con, file, source_file, "it cannot be read as CSV")
    file_columns = tuple(con.sql("select * from raw_rows").columns)
    rejects = _file_rejects(con, file, column_map, len(file_columns))
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
    con: duckdb.DuckDBPyConnection, file: LandingFile, source_file: str, column_map: ColumnMap
) -> StagedFile:
    """Stage a Parquet export; typed columns are cast to text and parsed like CSV.

    Casting in DuckDB renders timestamps as ISO text (naive ones stay naive and
    are read as UTC, the same rule as for CSV); nested columns become JSON.
    """
    try:
        con.execute(
            "create or replace temp table raw_rows as select * from "
            f"read_parquet({sql_literal(file.reader_path)}, hive_partitioning = false)"
        )
    except duckdb.Error:
        return _unreadable(con, file, source_file, "it cannot be read as Parquet")
    [(n_rows,)] = con.execute("select count(*) from raw_rows").fetchall()
    missing = _stage_columns(con, column_map, "r.rowid + 1")
    return StagedFile(
        source_file,
        int(n_rows),
        "event row",
        missing_columns=missing,
        file_columns=tuple(con.sql("select * from raw_rows").columns),
    )


def _unreadable(
    con: duckdb.DuckDBPyConnection, file: LandingFile, source_file: str, why: str
) -> StagedFile:
    """A file DuckDB cannot read is one quarantined record, so the run goes on. DuckDB's
    own message is not kept: it quotes the offending line."""
    return rejected_file(
        con,
        source_file,
        "event row",
        reasons.UNREADABLE_FILE,
        f"the file is unreadable: {why}",
        prefix_text(file.head(UNREADABLE_PREFIX_BYTES)),
    )
