"""Which adapter reads which file, and the per-file judgement: loaded vs quarantined."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from pipelines.sources import reasons
from pipelines.sources.column_map import ColumnMap
from pipelines.sources.flat import read_csv, read_parquet
from pipelines.sources.jsonl import read_jsonl
from pipelines.sources.normalize import normalize
from pipelines.sources.platforms import read_platform_json
from pipelines.sources.staging import STAGED_TABLE, TEXT_COLUMNS, StagedFile
from schemas.transcripts import contract_violations

SUPPORTED_SUFFIXES = (".jsonl", ".jsonl.gz", ".csv", ".csv.gz", ".parquet", ".json")

# Nullable integers stay integers (csat_score) instead of turning into floats.
_NULLABLE_INTEGERS = {pa.int8(): pd.Int8Dtype()}.get


def is_supported(path: Path) -> bool:
    return path.is_file() and path.name.lower().endswith(SUPPORTED_SUFFIXES)


def stage_file(
    con: duckdb.DuckDBPyConnection, path: Path, source_file: str, column_map: ColumnMap
) -> StagedFile:
    """Split a file into staged records in ``con`` with the adapter its name calls for."""
    name = path.name.lower()
    if name.endswith((".jsonl", ".jsonl.gz")):
        return read_jsonl(con, path, source_file)
    if name.endswith((".csv", ".csv.gz")):
        return read_csv(con, path, source_file, column_map)
    if name.endswith(".parquet"):
        return read_parquet(con, path, source_file, column_map)
    if name.endswith(".json"):
        return read_platform_json(con, path, source_file)
    raise ValueError(f"{path}: unsupported file type; supported: {', '.join(SUPPORTED_SUFFIXES)}")


@dataclass(frozen=True)
class JudgedFile:
    """One file's records, each either accepted (in a conversation) or quarantined.

    ``conversations``: accepted conversation deliveries (canonical columns plus
    ``gid``, ``n_records``). ``events``: their events (pyarrow, canonical columns plus
    ``gid``). ``quarantine``: one row per rejected record plus ``anchor_at``, the
    started_at used to pick its partition (NaT if unknown). ``records``: the
    ``(gid, record_number)`` of accepted conversations, to quarantine them if a
    later delivery supersedes them.
    """

    path: Path
    source_file: str
    record_kind: str
    records_read: int
    conversations: pd.DataFrame
    events: pa.Table
    quarantine: pd.DataFrame
    records: pa.Table


def originals(con: duckdb.DuckDBPyConnection, record_numbers: Sequence[int]) -> list[str]:
    """The original text of staged records: kept verbatim (JSONL), else rebuilt as JSON."""
    wanted = pa.table({"record_number": pa.array(sorted(set(record_numbers)), pa.int64())})
    con.register("wanted_records", wanted)
    picked = con.sql(
        f"select * from {STAGED_TABLE} s semi join wanted_records w using (record_number) "
        "order by record_number, event_index"
    ).to_arrow_table()
    con.unregister("wanted_records")
    text: dict[int, str] = {}
    for row in picked.to_pylist():
        number = row["record_number"]
        if number in text:
            continue
        if row["original"] is not None:
            text[number] = row["original"]
        else:
            fields = {k: row[k] for k in TEXT_COLUMNS if row[k] is not None}
            text[number] = json.dumps(fields, ensure_ascii=False, sort_keys=True)
    return [text.get(n, "") for n in record_numbers]


def _rejected_records(
    records: pa.Table, record_reasons: pd.DataFrame, rejected: pd.DataFrame
) -> pd.DataFrame:
    """One quarantine row per record of every rejected conversation.

    A conversation rejected because of one bad row takes its other rows with it;
    those rows are counted as ``sibling_rejected`` so that reason counts show the
    root causes. Conversation-level failures (sequence, duplicates, contract)
    are charged to every record of the conversation.
    """
    if rejected.empty:
        records = records.schema.empty_table()
    else:
        records = records.filter(
            pc.is_in(records["gid"], value_set=pa.array(rejected["gid"], pa.int64()))
        )
    joined = (
        records.to_pandas()
        .merge(rejected, on="gid")
        .merge(record_reasons, on=["gid", "record_number"], how="left")
        .sort_values("record_number", kind="stable")
    )
    own = joined["reason_own"].notna().to_numpy()
    sibling = ~own & joined["row_level"].to_numpy(dtype=bool)
    reason = np.select(
        [own, sibling], [joined["reason_own"], reasons.SIBLING_REJECTED], joined["reason"]
    )
    message = np.select(
        [own, sibling],
        [
            joined["message_own"],
            "conversation "
            + joined["conversation_id"].astype(str)
            + " rejected: "
            + joined["message"],
        ],
        joined["message"],
    )
    joined = joined.reset_index(drop=True)
    return pd.DataFrame(
        {
            "record_number": joined["record_number"].astype("int64"),
            "reason_code": reason,
            "message": message,
            "anchor_at": joined["started_at"].reset_index(drop=True),
        }
    )


def _apply_contract(conversations: pd.DataFrame, events: pa.Table) -> pd.DataFrame:
    """Run the pandera contract on accepted conversations; mark violators rejected."""
    accepted = conversations[conversations["reason"].isna()].reset_index(drop=True)
    violations = contract_violations(accepted, events.to_pandas(), key="gid")
    if violations.empty:
        return conversations
    first = violations.sort_values(["gid", "reason"]).drop_duplicates("gid").set_index("gid")
    hit = conversations["gid"].isin(first.index)
    conversations = conversations.copy()
    conversations.loc[hit, "reason"] = conversations.loc[hit, "gid"].map(first["reason"])
    conversations.loc[hit, "message"] = conversations.loc[hit, "gid"].map(first["message"])
    conversations.loc[hit, "row_level"] = False
    return conversations


def judge_file(path: Path, source_file: str, column_map: ColumnMap) -> JudgedFile:
    """Stage, normalize and contract-check one file; split its records into outcomes."""
    con = duckdb.connect()
    try:
        # Naive timestamps are UTC: the session zone decides how they are read.
        con.execute("set TimeZone = 'UTC'")
        staged = stage_file(con, path, source_file, column_map)
        normalized = normalize(
            con,
            column_map,
            default_source=staged.default_source,
            one_row_records=staged.record_kind == "event row",
        )
        conversations = normalized.conversations.to_pandas(types_mapper=_NULLABLE_INTEGERS)
        conversations = _apply_contract(conversations, normalized.events)
        is_rejected = conversations["reason"].notna()
        rejected = conversations.loc[
            is_rejected,
            ["gid", "conversation_id", "reason", "message", "row_level", "n_records", "started_at"],
        ]
        # A record spanning several events reports its first event's reason.
        record_reasons = normalized.record_reasons.to_pandas().drop_duplicates(
            ["gid", "record_number"]
        )
        quarantine = _rejected_records(normalized.records, record_reasons, rejected)
        quarantine["original_record"] = originals(con, quarantine["record_number"].tolist())
    finally:
        con.close()
    if staged.rejects:
        file_level = pd.DataFrame(
            {
                "record_number": [r.record_number for r in staged.rejects],
                "reason_code": [r.reason for r in staged.rejects],
                "message": [r.message for r in staged.rejects],
                "original_record": [r.original for r in staged.rejects],
                "anchor_at": pd.Series([pd.NaT] * len(staged.rejects), dtype="datetime64[us, UTC]"),
            }
        )
        quarantine = pd.concat([quarantine, file_level], ignore_index=True)
    kept = conversations.loc[~is_rejected].drop(columns=["reason", "message", "row_level"])
    events, records = normalized.events, normalized.records
    if is_rejected.any():  # the contract rejected some: drop their events and records
        kept_gids = pa.array(kept["gid"], pa.int64())
        events = events.filter(pc.is_in(events["gid"], value_set=kept_gids))
        records = records.filter(pc.is_in(records["gid"], value_set=kept_gids))
    return JudgedFile(
        path=path,
        source_file=source_file,
        record_kind=staged.record_kind,
        records_read=staged.records_read,
        conversations=kept.reset_index(drop=True),
        events=events.drop_columns(["conversation_started_at", "conversation_ended_at"]),
        quarantine=quarantine,
        records=records,
    )


def original_records(
    path: Path, source_file: str, column_map: ColumnMap, record_numbers: Sequence[int]
) -> list[str]:
    """Re-read a file for the original text of some records (superseded deliveries)."""
    con = duckdb.connect()
    try:
        con.execute("set TimeZone = 'UTC'")
        stage_file(con, path, source_file, column_map)
        return originals(con, record_numbers)
    finally:
        con.close()
