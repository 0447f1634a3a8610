"""Which adapter reads which file, and the per-file judgement: loaded vs quarantined."""

from __future__ import annotations

import json
import tempfile
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from pipelines.config import DEFAULT_MEMORY_BUDGET_MB
from pipelines.pii.identifiers import safe_file_label
from pipelines.sources import reasons
from pipelines.sources.column_map import ColumnMap
from pipelines.sources.flat import read_csv, read_parquet
from pipelines.sources.jsonl import read_jsonl
from pipelines.sources.labels import label_is_personal
from pipelines.sources.landing import (
    SUPPORTED_SUFFIXES,
    LandingFile,
    NotARegularFile,
    open_landing_file,
)
from pipelines.sources.normalize import (
    EVENT_OUTPUT_COLUMNS,
    Normalized,
    gid_batches,
    normalize,
    normalized_batch,
)
from pipelines.sources.platforms import read_platform_json
from pipelines.sources.scratch import IngestBudget, fits_in_memory, scratch_connection
from pipelines.sources.staging import (
    DEFAULT_SOURCE,
    STAGED_TABLE,
    TEXT_COLUMNS,
    UNREADABLE_PREFIX_BYTES,
    Reject,
    StagedFile,
    prefix_text,
    rejected_file,
)
from schemas.transcripts import contract_violations

# Nullable integers stay integers (csat_score) instead of turning into floats.
_NULLABLE_INTEGERS = {pa.int8(): pd.Int8Dtype()}.get

# Leading bytes of binary formats that are sometimes delivered under a text name.
_BINARY_SIGNATURES = {
    b"\x1f\x8b": "gzip data (name it .csv.gz / .jsonl.gz)",
    b"PK\x03\x04": "a zip archive (an .xlsx workbook? export it as CSV)",
    b"PAR1": "a Parquet file (name it .parquet)",
    b"\xd0\xcf\x11\xe0": "an OLE2 document (an .xls workbook? export it as CSV)",
    b"BZh": "bzip2 data (only gzip is supported)",
    b"\xfd7zXZ\x00": "xz data (only gzip is supported)",
    b"\x28\xb5\x2f\xfd": "zstd data (only gzip is supported)",
    b"\xff\xfe": "UTF-16 text (export it as UTF-8)",
    b"\xfe\xff": "UTF-16 text (export it as UTF-8)",
}
# Errors that mean the file as a whole cannot be read: not gzip, truncated gzip,
# corrupt Parquet, unreadable bytes. Anything else is a bug and should surface.
_UNREADABLE_ERRORS = (OSError, EOFError, zlib.error, duckdb.Error)


def _record_kind(name: str) -> str:
    return "event row" if name.lower().endswith((".csv", ".csv.gz", ".parquet")) else "conversation"


def _binary_content(file: LandingFile) -> str | None:
    """What a text-named file really holds when it is binary, else None.

    DuckDB's CSV sniffer reads a gzip or xlsx file as a one-column header with no
    rows, which would lose the file silently. Only well-known signatures count: a
    stray NUL in a text field is a bad row (quarantined on its own), not a bad file.
    """
    name = file.name.lower()
    if name.endswith((".gz", ".parquet")):
        return None  # compressed or binary on purpose; the readers check them
    head = file.head(8)
    return next((what for sig, what in _BINARY_SIGNATURES.items() if head.startswith(sig)), None)


def _stage_open_file(
    con: duckdb.DuckDBPyConnection,
    file: LandingFile,
    source_file: str,
    column_map: ColumnMap,
    budget: IngestBudget,
) -> StagedFile:
    name = file.name.lower()
    try:
        binary = _binary_content(file)
        if binary is not None:
            return rejected_file(
                con,
                source_file,
                _record_kind(name),
                reasons.UNREADABLE_FILE,
                f"the file is unreadable: it holds {binary}",
                prefix_text(file.head(UNREADABLE_PREFIX_BYTES)),
            )
        if name.endswith((".jsonl", ".jsonl.gz")):
            return read_jsonl(con, file, source_file, budget.batch_bytes)
        if name.endswith((".csv", ".csv.gz")):
            return read_csv(con, file, source_file, column_map)
        if name.endswith(".parquet"):
            return read_parquet(con, file, source_file, column_map)
        if name.endswith(".json"):
            return read_platform_json(con, file, source_file)
    except _UNREADABLE_ERRORS as error:
        # The error's own text is not kept: readers' messages can quote file content.
        return rejected_file(
            con,
            source_file,
            _record_kind(name),
            reasons.UNREADABLE_FILE,
            f"the file is unreadable ({type(error).__name__}): corrupt, truncated or not "
            "what its name says",
            prefix_text(file.head(UNREADABLE_PREFIX_BYTES)),
        )
    raise ValueError(
        f"unsupported file type ({name.rsplit('.', 1)[-1]}); supported: "
        f"{', '.join(SUPPORTED_SUFFIXES)}"
    )


def stage_file(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    source_file: str,
    column_map: ColumnMap,
    budget: IngestBudget,
) -> StagedFile:
    """Split a landing file into staged records in ``con`` with the adapter its name
    calls for.

    A file that cannot be read at all is one quarantined record numbered 0
    (``unreadable_file``), and so is an entry that is not a regular file
    (``not_a_regular_file``: a symlink, FIFO, socket, device), which is never opened
    or followed; so one bad delivery never stops the others.
    """
    kind = _record_kind(path.name)
    try:
        with open_landing_file(path) as file:
            return _stage_open_file(con, file, source_file, column_map, budget)
    except NotARegularFile as refused:
        return rejected_file(
            con,
            source_file,
            kind,
            reasons.NOT_A_REGULAR_FILE,
            f"the landing entry is {refused.strerror}: only regular files are read, "
            "links are never followed",
            "",
        )
    except OSError as error:
        return rejected_file(
            con,
            source_file,
            kind,
            reasons.UNREADABLE_FILE,
            f"the file cannot be opened: {error.strerror}",
            "",
        )


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
        [joined["message_own"], "rejected with its conversation: " + joined["message"]],
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
    violations = contract_violations(accepted, events.to_pandas(), label_is_personal, key="gid")
    if violations.empty:
        return conversations
    first = violations.sort_values(["gid", "reason"]).drop_duplicates("gid").set_index("gid")
    hit = conversations["gid"].isin(first.index)
    conversations = conversations.copy()
    conversations.loc[hit, "reason"] = conversations.loc[hit, "gid"].map(first["reason"])
    conversations.loc[hit, "message"] = conversations.loc[hit, "gid"].map(first["message"])
    conversations.loc[hit, "row_level"] = False
    return conversations


def _reject_row_conversations(conversations: pd.DataFrame, rejects: list[Reject]) -> pd.DataFrame:
    """Reject the conversations a rejected flat-table row may belong to.

    Loading the rest of a conversation without one of its rows would corrupt its
    metrics (a dropped thumbs-down reads as resolved), so its other rows become
    ``sibling_rejected``. A row whose conversation_id could not be recovered may
    belong to any conversation of the file: all of them are rejected, which is loud
    (the quarantine threshold trips) where loading them could be silently wrong.
    """
    tied = [r for r in rejects if r.conversation_ids or r.any_conversation]
    if not tied:
        return conversations
    free = conversations["reason"].isna()
    untied = next((r for r in tied if r.any_conversation), None)
    if untied is not None:
        cause = pd.Series(untied, index=conversations.index[free], dtype=object)
    else:
        by_id: dict[str, Reject] = {}
        for reject in tied:
            for conversation_id in reject.conversation_ids:
                by_id.setdefault(conversation_id, reject)
        hit = free & conversations["conversation_id"].isin(list(by_id))
        cause = conversations.loc[hit, "conversation_id"].map(by_id)
    if cause.empty:
        return conversations
    conversations = conversations.copy()
    conversations.loc[cause.index, "reason"] = [r.reason for r in cause]
    conversations.loc[cause.index, "message"] = [r.message for r in cause]
    conversations.loc[cause.index, "row_level"] = True
    return conversations


def _explain_missing_columns(quarantine: pd.DataFrame, staged: StagedFile) -> None:
    """Say a required column is absent from the file, not that each row's value is empty."""
    if not staged.missing_columns:
        return
    note = (
        f"the file has no {' / '.join(staged.missing_columns)} column (its columns: "
        f"{', '.join(staged.file_columns)}); rename it, or map it with a column map "
        "(--column-map, CLOSEDLOOP_COLUMN_MAP; see docs/ingestion.md)"
    )
    quarantine.loc[quarantine["reason_code"] == reasons.MISSING_REQUIRED_FIELD, "message"] = note


class IngestBug(RuntimeError):
    """Judging a file failed in a way no input should cause: a bug, reported without the
    error's own text, which may quote a record (DuckDB's conversion errors do), because
    the message reaches run logs, the Dagster database and the terminal."""


# Arrow schemas of the spilled outcomes that do not come straight from DuckDB.
_RECORDS_SCHEMA = pa.schema([("gid", pa.int64()), ("record_number", pa.int64())])
_QUARANTINE_SCHEMA = pa.schema(
    [
        ("record_number", pa.int64()),
        ("reason_code", pa.string()),
        ("message", pa.string()),
        ("anchor_at", pa.timestamp("us", tz="UTC")),
        ("original_record", pa.string()),
    ]
)
_REJECTION_COLUMNS = ["reason", "message", "row_level"]
_WINDOW_COLUMNS = ["conversation_started_at", "conversation_ended_at"]


@dataclass(frozen=True)
class SpilledFile:
    """One judged file whose outcomes are Parquet files in ``folder`` (see JudgedFile for
    what each holds): ``conversations``, ``events``, ``quarantine``, ``records``."""

    path: Path
    source_file: str
    record_kind: str
    records_read: int
    folder: Path

    def part(self, name: str) -> Path:
        return self.folder / f"{name}.parquet"

    def load(self) -> JudgedFile:
        """Everything in memory: for one file's report, not for a day."""
        return JudgedFile(
            path=self.path,
            source_file=self.source_file,
            record_kind=self.record_kind,
            records_read=self.records_read,
            conversations=pq.read_table(self.part("conversations")).to_pandas(
                types_mapper=_NULLABLE_INTEGERS
            ),
            events=pq.read_table(self.part("events")),
            quarantine=pq.read_table(self.part("quarantine")).to_pandas(),
            records=pq.read_table(self.part("records")),
        )


class _Spill:
    """One outcome written batch by batch to a Parquet file of a fixed schema.

    Uncompressed (dictionary encoding only): the file lives until the run's settle reads
    it once, and zstd cost ~0.2-0.3 CPU s of a 100k day (docs/performance.md); the raw
    store itself stays zstd."""

    def __init__(self, path: Path, schema: pa.Schema) -> None:
        self._writer = pq.ParquetWriter(path, schema, compression="none")
        self._schema = schema

    def write(self, table: pa.Table) -> None:
        if table.num_rows:
            self._writer.write_table(table.select(self._schema.names).cast(self._schema))

    def close(self) -> None:
        self._writer.close()


def judge_file(
    path: Path, source_file: str, column_map: ColumnMap, budget: IngestBudget | None = None
) -> JudgedFile:
    """Stage, normalize and contract-check one file; split its records into outcomes.

    Bad input never raises: it is quarantined. Anything that does raise is a bug and
    surfaces as IngestBug naming the file (digested if personal) and the error type.
    """
    with tempfile.TemporaryDirectory(prefix="closedloop-judge-") as folder:
        return judge_to_folder(
            path,
            source_file,
            column_map,
            Path(folder),
            budget or IngestBudget.from_budget(DEFAULT_MEMORY_BUDGET_MB),
        ).load()


def judge_to_folder(
    path: Path, source_file: str, column_map: ColumnMap, folder: Path, budget: IngestBudget
) -> SpilledFile:
    """:func:`judge_file`, writing the outcomes to Parquet in ``folder`` a batch at a
    time, so a file of any size is judged within ``budget``."""
    try:
        return _judge(path, source_file, column_map, folder, budget)
    except Exception as error:  # re-raised below, without its text
        failure = type(error).__name__
    # Raised outside the except block so the original is not even attached as context.
    raise IngestBug(
        f"{safe_file_label(source_file)}: judging the file failed with {failure} (a bug; "
        "its message is withheld because it may quote record values)"
    )


def _judge_batch(
    con: duckdb.DuckDBPyConnection, normalized: Normalized, staged: StagedFile
) -> tuple[pa.Table, pa.Table, pd.DataFrame, pa.Table]:
    """One batch's kept conversations, their events and records, and its quarantine."""
    conversations = normalized.conversations.to_pandas(types_mapper=_NULLABLE_INTEGERS)
    conversations = _apply_contract(conversations, normalized.events)
    conversations = _reject_row_conversations(conversations, staged.rejects)
    is_rejected = conversations["reason"].notna()
    rejected = conversations.loc[
        is_rejected,
        ["gid", "conversation_id", "reason", "message", "row_level", "n_records", "started_at"],
    ]
    # A record spanning several events reports its first event's reason.
    record_reasons = normalized.record_reasons.to_pandas().drop_duplicates(["gid", "record_number"])
    quarantine = _rejected_records(normalized.records, record_reasons, rejected)
    _explain_missing_columns(quarantine, staged)
    quarantine["original_record"] = originals(con, quarantine["record_number"].tolist())
    kept_conversations = normalized.conversations.drop_columns(_REJECTION_COLUMNS)
    events, records = normalized.events, normalized.records
    if is_rejected.any():  # the contract or a rejected row hit some: drop their events and records
        kept_gids = pa.array(conversations.loc[~is_rejected, "gid"], pa.int64())
        kept_conversations = kept_conversations.filter(
            pc.is_in(kept_conversations["gid"], value_set=kept_gids)
        )
        events = events.filter(pc.is_in(events["gid"], value_set=kept_gids))
        records = records.filter(pc.is_in(records["gid"], value_set=kept_gids))
    return kept_conversations, events.drop_columns(_WINDOW_COLUMNS), quarantine, records


def _judge(
    path: Path, source_file: str, column_map: ColumnMap, folder: Path, budget: IngestBudget
) -> SpilledFile:
    folder.mkdir(parents=True, exist_ok=True)
    con = scratch_connection(
        folder,
        budget.duckdb_memory_mb,
        budget.duckdb_threads,
        checkpoints=not fits_in_memory(path, budget.duckdb_memory_mb),
    )
    try:
        staged = stage_file(con, path, source_file, column_map, budget)
        normalize(
            con,
            column_map,
            default_source=staged.platform or column_map.source or DEFAULT_SOURCE,
            one_record_per_delivery=staged.record_kind == "conversation",
        )
        one_row_records = staged.record_kind == "event row"
        conversations_schema = (
            con.sql("select * from conv limit 0").to_arrow_table().drop_columns(_REJECTION_COLUMNS)
        ).schema
        events_schema = (
            con.sql(f"select {', '.join(EVENT_OUTPUT_COLUMNS)} from judged_rows limit 0")
            .to_arrow_table()
            .drop_columns(_WINDOW_COLUMNS)
            .schema
        )
        spills = {
            "conversations": _Spill(folder / "conversations.parquet", conversations_schema),
            "events": _Spill(folder / "events.parquet", events_schema),
            "quarantine": _Spill(folder / "quarantine.parquet", _QUARANTINE_SCHEMA),
            "records": _Spill(folder / "records.parquet", _RECORDS_SCHEMA),
        }
        try:
            for first, last in gid_batches(con, budget.batch_rows):
                batch = normalized_batch(con, first, last, one_row_records)
                conversations, events, quarantine, records = _judge_batch(con, batch, staged)
                spills["conversations"].write(conversations)
                spills["events"].write(events)
                spills["quarantine"].write(_quarantine_table(quarantine))
                spills["records"].write(records)
            if staged.rejects:
                spills["quarantine"].write(_file_level_quarantine(staged.rejects))
        finally:
            for spill in spills.values():
                spill.close()
    finally:
        con.close()
    return SpilledFile(
        path=path,
        source_file=source_file,
        record_kind=staged.record_kind,
        records_read=staged.records_read,
        folder=folder,
    )


def _quarantine_table(quarantine: pd.DataFrame) -> pa.Table:
    return pa.Table.from_pandas(
        quarantine[_QUARANTINE_SCHEMA.names], schema=_QUARANTINE_SCHEMA, preserve_index=False
    )


def _file_level_quarantine(rejects: list[Reject]) -> pa.Table:
    """Records rejected before they could be split into fields (no partition anchor)."""
    return pa.table(
        {
            "record_number": pa.array([r.record_number for r in rejects], pa.int64()),
            "reason_code": pa.array([r.reason for r in rejects], pa.string()),
            "message": pa.array([r.message for r in rejects], pa.string()),
            "anchor_at": pa.nulls(len(rejects), pa.timestamp("us", tz="UTC")),
            "original_record": pa.array([r.original for r in rejects], pa.string()),
        }
    )


def original_records(
    path: Path,
    source_file: str,
    column_map: ColumnMap,
    record_numbers: Sequence[int],
    budget: IngestBudget,
    spill_dir: Path,
) -> list[str]:
    """Re-read a file for the original text of some records (superseded deliveries)."""
    con = scratch_connection(spill_dir, budget.duckdb_memory_mb, budget.duckdb_threads)
    try:
        stage_file(con, path, source_file, column_map, budget)
        return originals(con, record_numbers)
    finally:
        con.close()
