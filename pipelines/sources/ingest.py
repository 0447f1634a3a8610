"""Landing zone -> restricted raw store + quarantine, for a set of partition days.

See ``docs/ingestion.md`` for the rules (record, dedupe, late data, threshold).
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from pipelines.config import Paths, Settings, restricted_dir
from pipelines.pii.identifiers import safe_file_label
from pipelines.sources import reasons
from pipelines.sources.column_map import ColumnMap
from pipelines.sources.files import JudgedFile, judge_file, original_records
from pipelines.sources.landing import landing_day, landing_entries
from pipelines.sources.report import (
    AuditRow,
    FileThresholdMode,
    IngestReport,
    QuarantineThresholdExceeded,
    over_threshold,
)
from schemas.canonical import CONVERSATION_SCHEMA, EVENT_SCHEMA

PARTITION_FIELD = pa.field("partition_date", pa.date32(), nullable=False)
RAW_CONVERSATION_SCHEMA = CONVERSATION_SCHEMA.insert(0, PARTITION_FIELD)
RAW_EVENT_SCHEMA = EVENT_SCHEMA.insert(0, PARTITION_FIELD)
QUARANTINE_SCHEMA = pa.schema(
    [
        PARTITION_FIELD,
        pa.field("source_file", pa.string(), nullable=False),
        pa.field("record_number", pa.int64(), nullable=False),
        pa.field("reason_code", pa.string(), nullable=False),
        pa.field("message", pa.string(), nullable=False),
        pa.field("original_record", pa.string()),
    ]
)
# Landing folders are named by delivery day; a business timezone behind or ahead
# of UTC can put a conversation in the partition before its folder's day.
EARLY_DELIVERY_DAYS = 1


def landing_files(paths: Paths, days: Sequence[date], lookback_days: int) -> list[Path]:
    """The landing entries a run for ``days`` must read, in delivery order.

    Delivery order is modification time, then path: the last delivered copy of a
    conversation wins. Entries that are not regular files are included; reading
    refuses them (``not_a_regular_file``), so they are counted, never followed.
    """
    first = min(days) - timedelta(days=EARLY_DELIVERY_DAYS)
    last = max(days) + timedelta(days=lookback_days)
    folder_days = [first + timedelta(days=offset) for offset in range((last - first).days + 1)]
    return landing_entries(paths, folder_days)


def affected_partitions(
    paths: Paths, path: Path, settings: Settings, column_map: ColumnMap | None = None
) -> set[date]:
    """The partition days a landing file's records belong to (what a new file invalidates);
    none for a file outside the delivery day folders."""
    fallback = landing_day(paths, path)
    if fallback is None:
        return set()
    judged = judge_file(path, str(path.relative_to(paths.landing)), column_map or ColumnMap())
    anchors = pd.concat(
        [judged.conversations["started_at"], judged.quarantine["anchor_at"]], ignore_index=True
    )
    return set(_partition_dates(anchors, settings.business_timezone, fallback))


def _partition_dates(anchor: pd.Series, timezone: str, fallback: date) -> pd.Series:
    """The business-timezone day of each anchor; records without one use ``fallback``."""
    local = pd.to_datetime(anchor, utc=True).dt.tz_convert(timezone).dt.date
    return local.where(anchor.notna(), fallback)


def _atomic_write(table: pa.Table, target: Path) -> None:
    """Write then rename, so readers never see half a file and re-runs replace it."""
    tmp = target.with_name(f".{target.name}.tmp")
    pq.write_table(table, tmp, compression="zstd")
    os.replace(tmp, target)


@dataclass
class _Outcomes:
    """Everything judged in a run that belongs to its days, before it is written."""

    # Kept conversations of each file (with file_order), and each file's events
    # restricted to them; events are tied to their conversation by (file_order, gid).
    conversations: list[pd.DataFrame] = field(default_factory=list)
    events: list[pa.Table] = field(default_factory=list)
    quarantine: list[pd.DataFrame] = field(default_factory=list)
    loaded: Counter[tuple[date, str]] = field(default_factory=Counter)
    reasons: dict[tuple[date, str], Counter[str]] = field(default_factory=dict)


def _supersede(judged: list[JudgedFile]) -> dict[int, set[int]]:
    """Latest delivery wins: per file (by delivery order), the gids a later delivery replaced."""
    frames = [
        j.conversations[["gid", "source", "conversation_id"]].assign(file_order=i)
        for i, j in enumerate(judged)
    ]
    if not frames:
        return {}
    everything = pd.concat(frames, ignore_index=True)
    # Files are in delivery order; within a file a larger gid of the same
    # conversation is a later line.
    everything = everything.sort_values(["file_order", "gid"], kind="stable")
    losers = everything[everything.duplicated(["source", "conversation_id"], keep="last")]
    return {int(order): set(group["gid"]) for order, group in losers.groupby("file_order")}


def _valid_records_quarantine(
    file: JudgedFile, lost: pd.DataFrame, column_map: ColumnMap, reason: str, message: str
) -> pd.DataFrame:
    """Quarantine rows for every record of the valid conversations in ``lost`` (columns
    gid, conversation_id, partition_date), one per record so the audit still reconciles."""
    mask = pc.is_in(file.records["gid"], value_set=pa.array(lost["gid"], pa.int64()))
    replaced = file.records.filter(mask).to_pandas().merge(lost, on="gid")
    replaced = replaced.sort_values("record_number", kind="stable")
    return pd.DataFrame(
        {
            "record_number": replaced["record_number"].to_numpy(),
            "reason_code": reason,
            "message": message,
            "original_record": original_records(
                file.path, file.source_file, column_map, replaced["record_number"].tolist()
            ),
            "partition_date": replaced["partition_date"].to_numpy(),
        }
    )


def _collect(
    out: _Outcomes,
    file: JudgedFile,
    lost_gids: set[int],
    fallback: date,
    wanted: set[date],
    settings: Settings,
    column_map: ColumnMap,
) -> None:
    """Cut one judged file into this run's days; check it accounts for every record."""
    timezone = settings.business_timezone
    conversations = file.conversations.assign(
        partition_date=_partition_dates(file.conversations["started_at"], timezone, fallback)
    )
    lost = conversations["gid"].isin(lost_gids)
    quarantine = file.quarantine.assign(
        partition_date=_partition_dates(file.quarantine["anchor_at"], timezone, fallback)
    ).drop(columns=["anchor_at"])
    if lost.any():
        lost_rows = conversations.loc[lost, ["gid", "conversation_id", "partition_date"]]
        superseded = _valid_records_quarantine(
            file,
            lost_rows,
            column_map,
            reasons.DUPLICATE_SUPERSEDED,
            "replaced by a later delivery of the same conversation",
        )
        quarantine = pd.concat([quarantine, superseded], ignore_index=True)
    kept = conversations[~lost]
    # Runs for day P scan folders P-1 .. P+lookback (landing_files), so a conversation
    # of a day outside [folder-lookback, folder+1] would be read by no run that wants
    # it: quarantine it under the folder's day rather than lose it.
    lookback = settings.landing_lookback_days
    stranded = (kept["partition_date"] < fallback - timedelta(days=lookback)) | (
        kept["partition_date"] > fallback + timedelta(days=1)
    )
    if stranded.any():
        rows = kept.loc[stranded, ["gid", "conversation_id"]].assign(partition_date=fallback)
        late = _valid_records_quarantine(
            file,
            rows,
            column_map,
            reasons.OUTSIDE_LANDING_WINDOW,
            f"landed more than {lookback} days after (or 1 day before) its own day "
            f"(landing_lookback_days={lookback})",
        )
        quarantine = pd.concat([quarantine, late], ignore_index=True)
        kept = kept[~stranded]
    _reconcile(file, int(kept["n_records"].sum()), len(quarantine))

    kept = kept[kept["partition_date"].isin(wanted)]
    quarantine = quarantine[quarantine["partition_date"].isin(wanted)]
    for day, n in kept.groupby("partition_date")["n_records"].sum().items():
        out.loaded[(day, file.source_file)] += int(n)
    for (day, reason), n in quarantine.groupby(["partition_date", "reason_code"]).size().items():
        out.reasons.setdefault((day, file.source_file), Counter())[reason] += int(n)
    out.conversations.append(kept.assign(file_order=len(out.conversations)))
    # gids are dense (1..n per file), so a boolean lookup array replaces a join.
    gids = file.events["gid"].to_numpy()
    keep = np.zeros(int(gids.max(initial=0)) + 1, dtype=bool)
    keep[kept["gid"].to_numpy()] = True
    out.events.append(file.events.filter(pa.array(keep[gids])))
    out.quarantine.append(quarantine.assign(source_file=file.source_file))


def ingest_days(
    paths: Paths,
    days: Sequence[date],
    settings: Settings,
    column_map: ColumnMap | None = None,
    before_write: Callable[[dict[date, int]], None] | None = None,
    file_threshold: FileThresholdMode = "fail",
) -> IngestReport:
    """Ingest every landing file that may hold conversations of ``days``; see the module doc.

    ``before_write`` gets the number of conversations each day is about to be
    replaced with, before anything is written; raising there leaves the raw store,
    the quarantine and the audit as they were. After writing, a day whose bad share
    is above ``settings.quarantine_threshold`` raises QuarantineThresholdExceeded; so
    does a source file above it when ``file_threshold`` is "fail" ("warn": the report's
    ``files_over_threshold`` lists it for the caller to show).
    """
    if not days:
        raise ValueError("ingest_days needs at least one day")
    wanted = set(days)
    column_map = column_map or ColumnMap()
    files = landing_files(paths, days, settings.landing_lookback_days)
    judged = [judge_file(path, str(path.relative_to(paths.landing)), column_map) for path in files]
    superseded = _supersede(judged)
    out = _Outcomes()
    for order, (path, file) in enumerate(zip(files, judged, strict=True)):
        delivered = landing_day(paths, path)
        assert delivered is not None, "landing_files lists only delivery day folders"
        _collect(out, file, superseded.get(order, set()), delivered, wanted, settings, column_map)
    if before_write is not None:
        before_write(_conversations_per_day(out, sorted(wanted)))
    report = _write_partitions(paths, sorted(wanted), out, len(files))
    threshold = settings.quarantine_threshold
    report = replace(report, files_over_threshold=over_threshold(report, threshold))
    days_over = any(share > threshold for share in report.quarantined_share.values())
    if days_over or (file_threshold == "fail" and report.files_over_threshold):
        raise QuarantineThresholdExceeded(report, threshold)
    return report


def _conversations_per_day(out: _Outcomes, days: list[date]) -> dict[date, int]:
    counts: Counter[date] = Counter()
    for frame in out.conversations:
        counts.update(frame["partition_date"].value_counts().to_dict())
    return {day: int(counts[day]) for day in days}


def _reconcile(file: JudgedFile, loaded: int, quarantined: int) -> None:
    if loaded + quarantined != file.records_read:
        raise RuntimeError(
            f"{safe_file_label(file.source_file)}: {file.records_read} records read but {loaded} loaded + "
            f"{quarantined} quarantined; this is a bug in the adapter, nothing was written"
        )


def _frame_table(frames: list[pd.DataFrame], schema: pa.Schema, sort_keys: list[str]) -> pa.Table:
    non_empty = [f[schema.names] for f in frames if not f.empty]
    if not non_empty:
        return schema.empty_table()
    frame = pd.concat(non_empty, ignore_index=True).sort_values(sort_keys, kind="stable")
    return pa.Table.from_pandas(frame, schema=schema, preserve_index=False)


def _sorted_outputs(out: _Outcomes) -> tuple[pa.Table, pa.Table]:
    """Conversations and events ordered by (partition_date, source, conversation_id, seq).

    The canonical order makes re-runs byte-identical whatever the file order. The
    string sort runs on conversations only; events follow their conversation's rank
    (integer lexsort), which is far cheaper on millions of events.
    """
    frames = [f for f in out.conversations if not f.empty]
    if not frames:
        return RAW_CONVERSATION_SCHEMA.empty_table(), RAW_EVENT_SCHEMA.empty_table()
    conversations = pd.concat(frames, ignore_index=True).sort_values(
        ["partition_date", "source", "conversation_id"], kind="stable", ignore_index=True
    )
    rank_of: list[np.ndarray] = []
    for order, frame in enumerate(out.conversations):
        lookup = np.full(int(frame["gid"].max()) + 1 if not frame.empty else 1, -1, np.int64)
        mine = conversations[conversations["file_order"] == order]
        lookup[mine["gid"].to_numpy()] = mine.index.to_numpy()
        rank_of.append(lookup)
    ranks = np.concatenate([rank_of[o][t["gid"].to_numpy()] for o, t in enumerate(out.events)])
    events = pa.concat_tables(out.events)
    order = np.lexsort((events["seq"].to_numpy(), ranks))
    days = pa.array(conversations["partition_date"].to_numpy()[ranks[order]], pa.date32())
    events = events.take(pa.array(order)).append_column(PARTITION_FIELD, days)
    conversation_table = pa.Table.from_pandas(
        conversations[RAW_CONVERSATION_SCHEMA.names],
        schema=RAW_CONVERSATION_SCHEMA,
        preserve_index=False,
    )
    return conversation_table, events.select(RAW_EVENT_SCHEMA.names).cast(RAW_EVENT_SCHEMA)


def _day_slices(table: pa.Table, days: list[date]) -> dict[date, pa.Table]:
    """Each day's rows of a table sorted by partition_date, as zero-copy slices."""
    column = table["partition_date"].to_numpy()
    values, starts, counts = np.unique(column, return_index=True, return_counts=True)
    bounds = {
        day: (int(start), int(count))
        for day, start, count in zip(values, starts, counts, strict=True)
    }
    return {day: table.slice(*bounds.get(np.datetime64(day, "D"), (0, 0))) for day in days}


def _write_partitions(
    paths: Paths, days: list[date], out: _Outcomes, files_scanned: int
) -> IngestReport:
    conversations, events = _sorted_outputs(out)
    quarantine = _frame_table(
        out.quarantine, QUARANTINE_SCHEMA, ["partition_date", "source_file", "record_number"]
    )
    restricted_dir(paths.raw)
    restricted_dir(paths.quarantine)
    conversations_loaded: dict[date, int] = {}
    events_loaded: dict[date, int] = {}
    conversation_days = _day_slices(conversations, days)
    event_days = _day_slices(events, days)
    quarantine_days = _day_slices(quarantine, days)
    for day in days:
        day_conversations = conversation_days[day]
        day_events = event_days[day]
        day_quarantine = quarantine_days[day]
        raw_dir = restricted_dir(paths.raw_day(day))
        _atomic_write(day_conversations, raw_dir / "conversations.parquet")
        _atomic_write(day_events, raw_dir / "events.parquet")
        quarantine_dir = restricted_dir(paths.quarantine_day(day))
        _atomic_write(day_quarantine, quarantine_dir / "quarantine.parquet")
        conversations_loaded[day] = day_conversations.num_rows
        events_loaded[day] = day_events.num_rows
    audit = tuple(
        AuditRow(
            partition_date=day,
            source_file=source_file,
            records_read=out.loaded[(day, source_file)] + sum(counts.values()),
            records_loaded=out.loaded[(day, source_file)],
            records_quarantined=sum(counts.values()),
            reason_counts=dict(sorted(counts.items())),
        )
        for day, source_file in sorted(set(out.loaded) | set(out.reasons))
        for counts in [out.reasons.get((day, source_file), Counter())]
    )
    return IngestReport(
        days=tuple(days),
        audit=audit,
        conversations_loaded=conversations_loaded,
        events_loaded=events_loaded,
        files_scanned=files_scanned,
    )
