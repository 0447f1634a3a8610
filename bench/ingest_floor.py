"""The floor under JSONL ingest: what parsing and writing a day's file alone cost here.

Run one measurement per process (so each one's CPU and peak RSS are its own):
  .venv/bin/python bench/ingest_floor.py FILE duckdb-count     # read_ndjson, count(*) of the unnested events
  .venv/bin/python bench/ingest_floor.py FILE duckdb-typed     # read_ndjson with ingest's typed structure, count(*)
  .venv/bin/python bench/ingest_floor.py FILE duckdb-arrow     # read_ndjson, the unnested events as one Arrow table
  .venv/bin/python bench/ingest_floor.py FILE duckdb-parquet   # read_ndjson, the unnested events COPYed to Parquet
  .venv/bin/python bench/ingest_floor.py FILE duckdb-onepass   # one streaming pass: typed, cast, checked per row, two Parquet files
  .venv/bin/python bench/ingest_floor.py FILE pyarrow          # pyarrow.json.read_json, the events flattened
  .venv/bin/python bench/ingest_floor.py FILE pyarrow-parquet  # pyarrow.json.read_json, the events written to Parquet
  .venv/bin/python bench/ingest_floor.py FILE python-json      # json.loads of every line (the old Python path)
  .venv/bin/python bench/ingest_floor.py CSV duckdb-csv         # read_csv (all varchar), the rows as one Arrow table
  .venv/bin/python bench/ingest_floor.py CSV duckdb-csv-parquet # read_csv (all varchar), the rows COPYed to Parquet

FILE is a day's JSONL file (``closedloop generate --format jsonl``), CSV the same day
as a flat CSV (``--format csv``). Prints the events
counted, CPU seconds (user + sys of the process: DuckDB's and Arrow's threads
included), wall seconds, events per CPU-second and per wall second, peak RSS, and the
load average before and after. Nothing of ingest's checks or quarantine is done: these
are upper bounds for an ingest that reads the same file with the same reader.

``duckdb-onepass`` is the least an ingest that checks anything does: the file read twice
by DuckDB's typed reader, each pass streaming straight into a Parquet file. The events
get ``seq`` as an integer, ``sent_at`` as a timestamp (NULL if either does not parse),
the payload as JSON text and one boolean per row (actor and event type canonical, the
UTC offset within +/-14:00); the conversations get their timestamps and score cast. What
it leaves out is what ingest's guarantees cost: a line that is not JSON fails the whole
read, nothing is quarantined (no reason, no original line), unknown and repeated keys
pass unseen, there is no per-conversation check, no synonym, no sort and no proof that
the values are the ones Python's json reads.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.json as pj
import pyarrow.parquet as pq

from pipelines.sources.jsonl_fast import _STRUCTURE
from pipelines.warehouse.io import sql_literal
from schemas.canonical import ACTORS, EVENT_TYPES

_EVENTS = "select unnest(events, recursive := true) from read_ndjson({path}{columns})"


def _duckdb(path: Path, mode: str, out: Path) -> int:
    con = duckdb.connect()
    if mode.startswith("duckdb-csv"):
        rows = (
            f"select * from read_csv({sql_literal(str(path))}, all_varchar = true, header = true)"
        )
        if mode == "duckdb-csv":
            return con.sql(rows).to_arrow_table().num_rows
        con.execute(f"copy ({rows}) to {sql_literal(str(out))} (format parquet, compression zstd)")
        return pq.ParquetFile(out).metadata.num_rows
    if mode == "duckdb-onepass":
        return _one_pass(con, path, out)
    columns = ""
    if mode != "duckdb-count":
        # The structure ingest's fast path parses into: every field text, payload JSON.
        columns = f", columns = {_columns()}"
    sql = _EVENTS.format(path=sql_literal(str(path)), columns=columns)
    if mode in ("duckdb-count", "duckdb-typed"):
        return int(con.execute(f"select count(*) from ({sql})").fetchone()[0])  # type: ignore[index]
    if mode == "duckdb-arrow":
        return con.sql(sql).to_arrow_table().num_rows
    con.execute(f"copy ({sql}) to {sql_literal(str(out))} (format parquet, compression zstd)")
    return pq.ParquetFile(out).metadata.num_rows


def _one_pass(con: duckdb.DuckDBPyConnection, path: Path, out: Path) -> int:
    read = f"read_ndjson({sql_literal(str(path))}, columns = {_columns()})"
    actors = ", ".join(sql_literal(a) for a in ACTORS)
    kinds = ", ".join(sql_literal(k) for k in EVENT_TYPES)
    events = f"""
        select conversation_id, e.seq, e.sent_at, e.actor, e.event_type, e.text, e.agent_id,
            e.payload::varchar as payload
        from (select conversation_id, unnest(events) as e from {read})"""
    con.execute(
        f"""copy (
            select conversation_id, try_cast(seq as bigint) as seq,
                try_cast(sent_at as timestamptz) as sent_at, actor, event_type, text,
                agent_id, payload,
                coalesce(actor in ({actors}) and event_type in ({kinds})
                    and abs(epoch(try_cast(sent_at as timestamp))
                        - epoch(try_cast(sent_at as timestamptz))) <= 14 * 3600, false) as ok
            from ({events})
        ) to {sql_literal(str(out))} (format parquet, compression zstd)"""
    )
    conversations = out.with_name("conversations.parquet")
    con.execute(
        f"""copy (
            select conversation_id, source, try_cast(started_at as timestamptz) as started_at,
                try_cast(ended_at as timestamptz) as ended_at, channel, locale, market,
                customer_id, bot_version, intent, try_cast(csat_score as double) as csat_score,
                try_cast(csat_submitted_at as timestamptz) as csat_submitted_at,
                len(events) as events
            from {read}
        ) to {sql_literal(str(conversations))} (format parquet, compression zstd)"""
    )
    return pq.ParquetFile(out).metadata.num_rows


def _columns() -> str:
    structure = json.loads(_STRUCTURE)
    events = structure.pop("events")[0]
    fields = [f"{sql_literal(name)}: 'VARCHAR'" for name in structure]
    inner = ", ".join(f"{name} {kind}" for name, kind in events.items())
    fields.append(f"'events': 'STRUCT({inner})[]'")
    return "{" + ", ".join(fields) + "}"


def _pyarrow(path: Path, mode: str, out: Path) -> int:
    table = pj.read_json(path, read_options=pj.ReadOptions(block_size=16 << 20))
    events = pc.list_flatten(table["events"])
    if mode == "pyarrow-parquet":
        flat = pa.Table.from_struct_array(events)
        pq.write_table(flat, out, compression="zstd")
    return len(events)


def _python(path: Path) -> int:
    events = 0
    with path.open("rb") as lines:
        for line in lines:
            if line.strip():
                events += len(json.loads(line)["events"])
    return events


def main(path: Path, mode: str) -> None:
    print(f"load average before: {os.getloadavg()[0]:.2f}")
    cpu, wall = time.process_time(), time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "events.parquet"
        if mode.startswith("duckdb"):
            events = _duckdb(path, mode, out)
        elif mode.startswith("pyarrow"):
            events = _pyarrow(path, mode, out)
        elif mode == "python-json":
            events = _python(path)
        else:
            raise SystemExit(f"unknown mode {mode}")
        written = out.stat().st_size / 1e6 if out.exists() else 0.0
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"{mode}: {events:,} events, cpu {cpu:.2f} s, wall {wall:.2f} s, "
        f"{events / cpu:,.0f} events/CPU-s, {events / wall:,.0f} events/s wall, "
        f"peak {peak:.0f} MB" + (f", parquet {written:.0f} MB" if written else "")
    )
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2])
