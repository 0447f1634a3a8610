"""Flat event-table adapter: CSV (optionally gzipped) or Parquet, one row per event.

A record is one data row. Record numbers are CSV row numbers with the header as
row 1 (the line number when no value spans lines); for Parquet, the 1-based row
index. DuckDB's native CSV reader does the parsing: it is multi-threaded, keeps
the file's row order, and with ``store_rejects`` reports every malformed or
non-UTF-8 row with its row number instead of failing the file or decoding with
replacement characters.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow as pa

from pipelines.sources import reasons
from pipelines.sources.column_map import ColumnMap
from pipelines.sources.staging import STAGED_SCHEMA, STAGED_TABLE, Reject, StagedFile, load_staged

_ENCODING_ERRORS = {"INVALID ENCODING", "INVALID UNICODE"}
# An unreadable file is one record (we cannot know how many rows it had); this
# many leading characters are kept in quarantine as its original record.
_UNREADABLE_PREFIX_CHARS = 10_000


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _stage_columns(
    con: duckdb.DuckDBPyConnection, column_map: ColumnMap, number_sql: str, joins: str = ""
) -> None:
    """Define ``staged`` over ``raw_rows``: canonical names, staging columns added."""
    raw_columns = con.sql("select * from raw_rows").columns
    by_name: dict[str, str] = {}
    for name in raw_columns:
        canonical = column_map.canonical_name(name)
        if canonical is not None and canonical not in by_name:
            by_name[canonical] = f"cast(r.{_quote(name)} as varchar)"
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


def _unreadable(
    con: duckdb.DuckDBPyConnection, path: Path, source_file: str, error: Exception
) -> StagedFile:
    prefix = path.read_bytes()[: _UNREADABLE_PREFIX_CHARS * 4]
    reject = Reject(
        0,
        reasons.MALFORMED_ROW,
        f"file could not be read as CSV: {error}",
        prefix.decode("utf-8", errors="backslashreplace")[:_UNREADABLE_PREFIX_CHARS],
    )
    load_staged(con, STAGED_SCHEMA.empty_table())
    return StagedFile(source_file, 1, "event row", [reject])


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


def read_csv(
    con: duckdb.DuckDBPyConnection, path: Path, source_file: str, column_map: ColumnMap
) -> StagedFile:
    """Stage a CSV export into ``con``; malformed and non-UTF-8 rows become rejects."""
    try:
        con.execute(
            "create or replace temp table raw_rows as select * from read_csv("
            f"{_literal(str(path))}, all_varchar = true, header = true, store_rejects = true, "
            "compression = 'auto')"
        )
    except duckdb.Error as error:
        return _unreadable(con, path, source_file, error)
    # One row can be reported once per error; keep its first error.
    reject_rows = con.execute(
        "select line, arg_min(error_type, column_idx), arg_min(error_message, column_idx), "
        "arg_min(csv_line, column_idx) from reject_errors group by line order by line"
    ).fetchall()
    rejects = [
        Reject(
            int(line),
            reasons.INVALID_UTF8 if error_type in _ENCODING_ERRORS else reasons.MALFORMED_ROW,
            f"row {line}: {message}",
            csv_line or "",
        )
        for line, error_type, message, csv_line in reject_rows
    ]
    [(n_good,)] = con.execute("select count(*) from raw_rows").fetchall()
    if rejects:
        con.register("shifts", _reject_shifts([r.record_number for r in rejects]))
        # Materialized so the as-of join below does not depend on the Arrow view.
        con.execute("create or replace temp table reject_shifts as select * from shifts")
        _stage_columns(
            con,
            column_map,
            "r.rowid + 2 + coalesce(j.shift, 0)",
            "asof left join reject_shifts j on r.rowid >= j.good_before",
        )
    else:
        _stage_columns(con, column_map, "r.rowid + 2")
    return StagedFile(source_file, int(n_good) + len(rejects), "event row", rejects)


def read_parquet(
    con: duckdb.DuckDBPyConnection, path: Path, source_file: str, column_map: ColumnMap
) -> StagedFile:
    """Stage a Parquet export; typed columns are cast to text and parsed like CSV.

    Casting in DuckDB renders timestamps as ISO text (naive ones stay naive and
    are read as UTC, the same rule as for CSV).
    """
    con.execute(
        f"create or replace temp table raw_rows as select * from read_parquet({_literal(str(path))})"
    )
    [(n_rows,)] = con.execute("select count(*) from raw_rows").fetchall()
    _stage_columns(con, column_map, "r.rowid + 1")
    return StagedFile(source_file, int(n_rows), "event row")
