"""Staged text rows -> typed canonical conversations and events, in DuckDB.

Every parsing rule lives here, once, as vectorized SQL: timestamps, synonyms,
csat, feedback values, payload JSON, seq assignment. A row that cannot be mapped
gets a reason code; a conversation with any such row is rejected whole (see
``docs/ingestion.md``: a conversation missing an event would get wrong ladder
flags, so it is safer not to load it at all).

Speed matters (a flat export can hold millions of rows), so per-row work is kept
to what is per-row by nature: conversation-level columns are normalized once per
conversation after grouping, and synonym tables are applied to the few distinct
raw values (mapped in Python) rather than with string functions on every row.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from pipelines.sources.column_map import ColumnMap
from pipelines.sources.vocabulary import (
    ACTOR_SYNONYMS,
    CHANNEL_SYNONYMS,
    EVENT_TYPE_SYNONYMS,
    FEEDBACK_SYNONYMS,
)
from schemas.canonical import CONVERSATION_COLUMNS

# UTC offsets in use run from -12:00 to +14:00; DuckDB accepts any ("+99:00"), which
# would move a conversation by days.
_MAX_OFFSET_SECONDS = 14 * 3600

_MACROS = f"""
create or replace temp macro iso_ts(x, aware) as (
    -- The offset is the difference between the wall time as written (a cast to a naive
    -- timestamp ignores the offset) and the instant.
    case when abs(epoch(try_cast(x as timestamp)) - epoch(aware)) <= {_MAX_OFFSET_SECONDS}
        then aware end
);
create or replace temp macro parse_ts(x) as (
    -- ISO-8601 with offset, or naive (read as UTC: the session time zone is UTC),
    -- else epoch seconds (integer or fractional).
    coalesce(iso_ts(x, try_cast(x as timestamptz)), try(to_timestamp(try_cast(x as double))))
);
create or replace temp macro ts_ok(t) as (
    -- Chat transcripts before 2000 or after 2100 are parse accidents (e.g. a
    -- yyyymmdd number read as epoch seconds, or epoch milliseconds).
    t is not null and t >= timestamptz '2000-01-01' and t < timestamptz '2100-01-01'
);
create or replace temp macro bad_score(x) as (
    coalesce(x not between 1 and 5 or x <> floor(x), true)
);
"""

# Messages name the field and the problem, never the value: they are printed by
# `ingest check` and summarised in run logs, while the value itself stays in the
# quarantine's original_record inside the restricted area.
_TS_RULE = "is neither ISO-8601 (offset within +/-14:00) nor epoch seconds, within 2000..2100"

# Per row: only what is per-row by nature. IDs are taken verbatim (not trimmed).
_EXPLAINED_SQL = """
with parsed as (
    select
        s.record_number,
        s.event_index,
        s.delivery,
        s.has_event,
        -- Cheap per-row emptiness (nullif); whitespace-only ids are caught per conversation.
        nullif(s.conversation_id, '') as conversation_id,
        s.source, s.started_at as started_raw, s.ended_at as ended_raw,
        s.channel as channel_raw, s.locale, s.market, s.customer_id, s.bot_version, s.intent,
        s.csat_score as csat_raw, s.csat_submitted_at as csat_at_raw,
        nullif(s.seq, '') as seq_raw,
        nullif(s.sent_at, '') as sent_raw,
        nullif(s.actor, '') as actor_raw,
        s.event_type as event_type_raw,
        nullif(s.text, '') as text,
        nullif(s.agent_id, '') as agent_id,
        nullif(s.payload, '') as payload_raw,
        parse_ts(s.sent_at) as sent_at,
        a.canonical as actor,
        case when nullif(s.event_type, '') is null then 'message' else et.canonical end
            as event_type,
        try_cast(s.seq as bigint) as seq_given
    from staged s
    left join vocab a on a.field = 'actor' and a.raw = s.actor
    left join vocab et on et.field = 'event_type' and et.raw = s.event_type
),
feedback_rows as (
    -- Lower-cased candidates only where they matter: on feedback events.
    select
        *,
        case when event_type = 'feedback' then lower(trim(text)) end as feedback_text,
        case when event_type = 'feedback' then lower(trim(json_extract_string(
            try(json(payload_raw)), '$.value'))) end as feedback_payload
    from parsed
),
valued as (
    select
        p.*,
        case when p.payload_raw is not null then try(json(p.payload_raw)) end as payload_json,
        coalesce(ft.canonical, fp.canonical) as feedback_value,
        case when p.event_type = 'csat' then coalesce(
            try_cast(json_extract_string(try(json(p.payload_raw)), '$.score') as double),
            try_cast(p.text as double),
            try_cast(p.csat_raw as double)
        ) end as event_score
    from feedback_rows p
    left join vocab ft on ft.field = 'feedback' and ft.raw = p.feedback_text
    left join vocab fp on fp.field = 'feedback' and fp.raw = p.feedback_payload
),
judged as (
    select
        v.*,
        case
            when not has_event then 'conversation_without_events'
            when conversation_id is null or sent_raw is null or actor_raw is null
                then 'missing_required_field'
            when not ts_ok(sent_at) then 'unparseable_timestamp'
            when actor is null then 'unknown_actor'
            when event_type is null then 'unknown_event_type'
            when payload_raw is not null
                and coalesce(json_type(payload_json) <> 'OBJECT', true) then 'invalid_payload'
            when event_type = 'csat' and bad_score(event_score) then 'invalid_csat'
            when event_type = 'feedback' and feedback_value is null then 'invalid_feedback'
            when seq_raw is not null and coalesce(seq_given not between 0 and 2147483647, true)
                then 'invalid_sequence'
        end as reason
    from valued v
)
select
    conversation_id, delivery,
    -- Rows without a conversation_id cannot be grouped: each is its own unit.
    case when conversation_id is null then record_number else 0 end as nk,
    record_number, event_index,
    -- Record order then event order, as one key for cheap arg_min aggregates.
    record_number * 1048576 + event_index as sort_key,
    source, started_raw, ended_raw, channel_raw, locale, market, customer_id, bot_version,
    intent, csat_raw, csat_at_raw, seq_raw, seq_given, sent_at, actor, event_type, text,
    agent_id, payload_json, feedback_value, event_score,
    reason,
    case reason
        when 'conversation_without_events' then 'the events list is empty'
        when 'missing_required_field' then case
            when conversation_id is null then 'conversation_id is empty'
            when sent_raw is null then 'sent_at is empty'
            else 'actor is empty' end
        when 'unparseable_timestamp' then 'sent_at {ts_rule}'
        when 'unknown_actor' then 'actor is not a known actor or synonym'
        when 'unknown_event_type' then 'event_type is not a known type or synonym'
        when 'invalid_payload' then 'payload is not a JSON object'
        when 'invalid_csat' then 'csat score is not an integer 1..5'
        when 'invalid_feedback' then 'feedback carries no positive/negative value'
        when 'invalid_sequence' then 'seq is not an integer 0..2147483647'
    end as message
from judged
"""

# Conversation-level columns: one value per conversation (rows may repeat it or
# leave it empty); different non-empty values are a conflict.
_CONVERSATION_TEXT_FIELDS = (
    "source",
    "started_raw",
    "ended_raw",
    "channel_raw",
    "locale",
    "market",
    "customer_id",
    "bot_version",
    "intent",
    "csat_raw",
    "csat_at_raw",
)

# One row per conversation delivery, whatever the format: rows of a flat table are grouped
# by conversation_id (delivery 0); the rows of a JSONL line or platform conversation
# share their delivery (the record's number).
# The per-row aggregates of a conversation delivery, the same in both groupings below.
_ROW_AGGREGATES = """
        count(seq_raw) as n_seq_given,
        count(*) as n_events,
        arg_min(reason, sort_key) filter (where reason is not null) as row_reason,
        arg_min(message, sort_key) filter (where reason is not null) as row_message,
        arg_min(record_number, sort_key) filter (where reason is not null) as reason_record,
        min(sent_at) filter (where ts_ok(sent_at)) as first_sent,
        max(sent_at) filter (where ts_ok(sent_at)) as last_sent,
        -- A customer who answers the survey twice changed their mind: the last answer counts.
        arg_max(event_score, (sent_at, sort_key)) filter (where event_score is not null)
            as csat_event,
        max(sent_at) filter (where event_score is not null) as csat_event_at"""

_GROUPS_SQL = f"""
    select
        conversation_id, delivery, nk,
        -- Every record has exactly one row with event_index 0.
        count(*) filter (where event_index = 0) as n_records,{_ROW_AGGREGATES},
        {{values}},
        {{conflicts}}
    from explained
    group by conversation_id, delivery, nk
"""

# The same rows as _GROUPS_SQL when every record is a delivery of its own (JSONL lines,
# platform conversations): the staged rows of one record share its conversation_id and
# its delivery (= its record_number), and only its first row (event_index 0) holds the
# other conversation fields, so each group is one record, its fields are its first row's
# (no conflict is possible) and only the per-row aggregates need a group-by, on one
# integer. `normalize` checks that layout on the staged rows before taking this path.
_RECORD_GROUPS_SQL = f"""
    select
        h.conversation_id, h.delivery, h.nk,
        1::bigint as n_records,
        r.n_seq_given, r.n_events, r.row_reason, r.row_message, r.reason_record,
        r.first_sent, r.last_sent, r.csat_event, r.csat_event_at,
        h.source, h.started_raw, h.ended_raw, h.channel_raw, h.locale, h.market, h.customer_id,
        h.bot_version, h.intent, h.csat_raw, h.csat_at_raw,
        null::varchar as conflict_field
    from (
        select
            delivery,{_ROW_AGGREGATES}
        from explained
        group by delivery
    ) r
    join (
        select
            nullif(conversation_id, '') as conversation_id, delivery,
            case when nullif(conversation_id, '') is null then record_number else 0 end as nk,
            source, started_at as started_raw, ended_at as ended_raw, channel as channel_raw,
            locale, market, customer_id, bot_version, intent, csat_score as csat_raw,
            csat_submitted_at as csat_at_raw
        from staged
        where event_index = 0
    ) h using (delivery)
"""

_CONV_SQL = """
with groups as (
    {groups}
),
duplicates as (
    -- Identical rows of one conversation (when no seq is given) are a duplicated
    -- export, not two messages: reject the conversation rather than guess.
    -- Read from the staged text (cheaper than re-deriving the typed rows); rows
    -- compare by their raw sent_at, actor, event_type and a 64-bit hash of text.
    -- Candidates first: rows whose delivery and one hash of the five values repeat (a
    -- group-by on two integers instead of four strings over every row); equal rows hash
    -- equally, so the exact group-by over the candidates finds the same repeats.
    select conversation_id, delivery, 0 as nk, min(first_record) as first_record,
        min(repeat_record) as repeat_record
    from (
        select conversation_id, delivery, min(record_number) as first_record,
            max(record_number) as repeat_record
        from staged s
        semi join (
            select delivery, hash(conversation_id, sent_at, actor, event_type, text) as row_hash
            from staged
            where nullif(conversation_id, '') is not null and nullif(seq, '') is null
                and has_event
            group by all
            having count(*) > 1
        ) c on c.delivery = s.delivery
            and c.row_hash = hash(s.conversation_id, s.sent_at, s.actor, s.event_type, s.text)
        where nullif(conversation_id, '') is not null and nullif(seq, '') is null and has_event
        group by conversation_id, delivery, sent_at, actor, event_type, hash(text)
        having count(*) > 1
    )
    group by conversation_id, delivery
),
headers as (
    select
        g.*,
        coalesce(g.source, $default_source) as source_value,
        parse_ts(g.started_raw) as started_ts,
        parse_ts(g.ended_raw) as ended_ts,
        parse_ts(g.csat_at_raw) as csat_at_ts,
        ch.canonical as channel,
        -- BCP 47 canonical case (en_us, EN-US -> en-US; zh_hant_tw -> zh-Hant-TW) so one
        -- locale is one slice in the marts: language lower, script Title, region upper.
        array_to_string(list_transform(
            string_split(replace(trim(g.locale), '_', '-'), '-'),
            lambda part, i: case
                when i = 1 then lower(part)
                when length(part) = 4 then upper(part[1]) || lower(part[2:])
                else upper(part) end
        ), '-') as locale_value,
        upper(trim(g.market)) as market_value,
        try_cast(g.csat_raw as double) as csat_num,
        d.first_record as dup_first,
        d.repeat_record as dup_repeat
    from groups g
    left join vocab ch on ch.field = 'channel' and ch.raw = g.channel_raw
    left join duplicates d
        on d.conversation_id is not distinct from g.conversation_id
        and d.delivery = g.delivery and d.nk = g.nk
),
judged as (
    select
        h.*,
        case
            when row_reason is not null then row_reason
            when trim(conversation_id) = '' then 'missing_required_field'
            when conflict_field is not null then 'conflicting_conversation_field'
            when started_raw is not null and not ts_ok(started_ts) then 'unparseable_timestamp'
            when ended_raw is not null and not ts_ok(ended_ts) then 'unparseable_timestamp'
            when csat_at_raw is not null and not ts_ok(csat_at_ts) then 'unparseable_timestamp'
            when channel_raw is not null and channel is null then 'unknown_channel'
            when csat_raw is not null and bad_score(csat_num) then 'invalid_csat'
            when n_seq_given not in (0, n_events) then 'invalid_sequence'
            when dup_first is not null and n_seq_given = 0 then 'duplicate_event'
        end as reason
    from headers h
)
select
    row_number() over (order by conversation_id nulls last, delivery, nk) as gid,
    conversation_id, delivery, nk,
    source_value as source,
    coalesce(started_ts, first_sent) as started_at,
    coalesce(ended_ts, last_sent) as ended_at,
    channel,
    locale_value as locale,
    market_value as market,
    customer_id, bot_version, intent,
    -- Rejected conversations may hold any number here (4155550143, nan, 1e300).
    case when reason is null then cast(coalesce(csat_num, csat_event) as tinyint) end
        as csat_score,
    coalesce(csat_at_ts, csat_event_at) as csat_submitted_at,
    n_records, n_seq_given,
    row_reason is not null as row_level,
    reason,
    case
        when row_reason is not null then 'record ' || reason_record || ': ' || row_message
        when trim(conversation_id) = '' then 'conversation_id is blank'
        when conflict_field is not null then
            conflict_field || ' has different values across rows of the conversation'
        when reason = 'unparseable_timestamp' then coalesce(
            if(not ts_ok(started_ts), 'started_at', null),
            if(not ts_ok(ended_ts), 'ended_at', null),
            'csat_submitted_at') || ' {ts_rule}'
        when reason = 'unknown_channel' then 'channel is not a known channel or synonym'
        when reason = 'invalid_csat' then 'csat_score is not an integer 1..5'
        when reason = 'invalid_sequence' then
            'seq given on ' || n_seq_given || ' of ' || n_events || ' events'
        when reason = 'duplicate_event' then
            'record ' || dup_repeat || ' repeats record ' || dup_first
    end as message
from judged
"""

# Every row with its conversation delivery's gid (rows without a conversation_id
# match their own nk = record_number group), the canonical event columns and the
# row's own reason. seq is assigned by (sent_at, record order) when not given.
_ROWS_SQL = """
WITH_SQL
select
    g.gid,
    g.reason is null as accepted,
    e.record_number,
    e.event_index,
    e.reason as reason_own,
    e.message as message_own,
    e.conversation_id,
    -- A row with a reason of its own may hold any number (seq 3000000000, csat 1e300):
    -- its conversation is rejected, and nothing of it is cast.
    case when e.reason is null then cast(SEQ_SQL as integer) end as seq,
    e.sent_at,
    e.actor,
    e.event_type,
    e.text,
    e.agent_id,
    cast(case
        when e.reason is not null then null
        when e.event_type = 'feedback' then json_merge_patch(
            coalesce(e.payload_json, '{}'), json_object('value', e.feedback_value))
        when e.event_type = 'csat' then json_merge_patch(
            coalesce(e.payload_json, '{}'), json_object('score', cast(e.event_score as integer)))
        when e.event_type = 'handoff_requested'
            and json_extract_string(e.payload_json, '$.reason') is null then json_merge_patch(
            coalesce(e.payload_json, '{}'), json_object('reason', 'unspecified'))
        else e.payload_json
    end as varchar) as payload,
    g.started_at as conversation_started_at,
    g.ended_at as conversation_ended_at
from explained e
join conv g on JOIN_SQL
NUMBERED_JOIN
"""
# seq when some conversation gives none: numbered by (sent_at, record order); when every
# conversation gives seq (n_seq_given > 0 everywhere) the window is skipped, same values.
# The window runs over the few columns it needs, joined back on the row's (record_number,
# event_index): a window moves every column it carries, and the rows are wide.
_NUMBERED_WITH = """with numbered as (
    select e.record_number, e.event_index,
        row_number() over (partition by g.gid order by e.sent_at, e.sort_key) - 1 as seq_num
    from (
        select record_number, event_index, delivery, conversation_id, nk, sort_key, sent_at
        from explained
    ) e
    join conv g on JOIN_SQL
    where g.n_seq_given = 0
)"""
_NUMBERED_JOIN = (
    "left join numbered n on n.record_number = e.record_number and n.event_index = e.event_index"
)
_NUMBERED_SEQ = "case when g.n_seq_given = 0 then n.seq_num else e.seq_given end"
_GIVEN_SEQ = "e.seq_given"
# A row's delivery: its conversation_id, delivery and nk, or (one record per delivery)
# its delivery alone.
_GROUP_JOIN = (
    "g.conversation_id is not distinct from e.conversation_id "
    "and g.delivery = e.delivery and g.nk = e.nk"
)
_RECORD_JOIN = "g.delivery = e.delivery"

EVENT_OUTPUT_COLUMNS = (
    "gid",
    "conversation_id",
    "seq",
    "sent_at",
    "actor",
    "event_type",
    "text",
    "agent_id",
    "payload",
    "conversation_started_at",
    "conversation_ended_at",
)


def _values() -> str:
    # any_value skips nulls; when values conflict the conversation is rejected anyway.
    return ",\n        ".join(f"any_value({name}) as {name}" for name in _CONVERSATION_TEXT_FIELDS)


def _conflicts() -> str:
    # Comparing 64-bit hashes instead of strings: same answer, far cheaper.
    checks = " ".join(
        f"when min(hash({name})) filter (where {name} is not null) "
        f"<> max(hash({name})) filter (where {name} is not null) "
        f"then '{name.removesuffix('_raw')}'"
        for name in _CONVERSATION_TEXT_FIELDS
    )
    return f"case {checks} end as conflict_field"


def _vocabulary(con: duckdb.DuckDBPyConnection, column_map: ColumnMap) -> pa.Table:
    """Map the distinct raw actor/event_type/channel values of ``staged`` to canonical ones.

    Matching is case- and whitespace-insensitive; done in Python on the handful
    of distinct values instead of lower(trim()) on every row.
    """
    rows: list[tuple[str, str, str]] = []
    for field, synonyms, column in (
        ("actor", ACTOR_SYNONYMS, "actor"),
        ("event_type", EVENT_TYPE_SYNONYMS, "event_type"),
        ("channel", CHANNEL_SYNONYMS, "channel"),
    ):
        merged = {**synonyms, **column_map.values.get(field, {})}
        distinct = con.execute(
            f"select distinct {column} from staged where {column} is not null"
        ).fetchall()
        for (raw,) in distinct:
            canonical = merged.get(raw.strip().lower())
            if canonical is not None:
                rows.append((field, raw, canonical))
    # Feedback values are matched after lower(trim()) in SQL: only feedback rows pay.
    rows.extend(("feedback", raw, canonical) for raw, canonical in FEEDBACK_SYNONYMS.items())
    return pa.table(
        {
            "field": pa.array([r[0] for r in rows], pa.string()),
            "raw": pa.array([r[1] for r in rows], pa.string()),
            "canonical": pa.array([r[2] for r in rows], pa.string()),
        }
    )


@dataclass(frozen=True)
class Normalized:
    """One batch of a file's conversation deliveries (a ``gid`` range), typed.

    ``conversations``: one row per conversation delivery (``gid``) with its
    canonical header, ``started_at`` (the partition anchor), ``n_records``, and
    ``reason``/``message``/``row_level`` when it is rejected. ``events``: events of
    the accepted ones, with their conversation's window. ``records``: every
    ``(gid, record_number)``; ``record_reasons``: records that have a reason of
    their own (``reason_own``, ``message_own``).
    """

    conversations: pa.Table
    events: pa.Table
    records: pa.Table
    record_reasons: pa.Table


# The shortcuts of `normalize` (per-record grouping, no seq window when every conversation
# gives seq); off, every file takes the general SQL: the reference the tests compare with.
FAST_SQL = True


def _one_record_per_delivery(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the staged rows have the layout :data:`_RECORD_GROUPS_SQL` relies on: each
    record is a delivery of its own (delivery = record_number) with exactly one first row
    (event_index 0), and only a record's first row holds conversation fields. The JSONL
    and platform adapters stage exactly that, and copy the record's conversation_id to
    each of its rows (``jsonl.conversation_rows``, ``jsonl_fast.stage_lines``), which is
    not checked again here."""
    others = " or ".join(f"{name} is not null" for name in _STAGED_HEADER_FIELDS)
    bad, firsts, with_first, deliveries = con.execute(
        f"""
        select
            count(*) filter (where delivery <> record_number
                or (event_index > 0 and ({others}))),
            count(*) filter (where event_index = 0),
            count(distinct delivery) filter (where event_index = 0),
            count(distinct delivery)
        from staged
        """
    ).fetchone()  # type: ignore[misc]
    return bad == 0 and firsts == with_first == deliveries


# The staged columns _RECORD_GROUPS_SQL reads from a record's first row only: the
# conversation fields but its id (which every row of a record carries).
_STAGED_HEADER_FIELDS = tuple(name for name in CONVERSATION_COLUMNS if name != "conversation_id")


def normalize(
    con: duckdb.DuckDBPyConnection,
    column_map: ColumnMap,
    default_source: str,
    one_record_per_delivery: bool = False,
) -> None:
    """Parse and judge the ``staged`` rows of ``con`` into its tables ``conv`` (one row
    per conversation delivery, ``gid`` 1..n) and ``judged_rows`` (every staged row with
    its ``gid``); read them a batch at a time with :func:`gid_batches` and
    :func:`normalized_batch`. Both stay in DuckDB, which spills beyond its memory limit.

    ``one_record_per_delivery``: the file's records are whole conversations (JSONL,
    platform exports); when the staged rows check out (:func:`_one_record_per_delivery`)
    the conversations are grouped per record, with the same result.
    """
    # Staged rows carry their record numbers; later steps need no insertion order,
    # which lets DuckDB parallelise freely.
    con.execute("set preserve_insertion_order = false")
    con.execute(_MACROS)
    con.register("vocab", _vocabulary(con, column_map))
    explained_sql = _EXPLAINED_SQL.format(ts_rule=_TS_RULE)
    con.execute(f"create or replace temp view explained as {explained_sql}")
    per_record = FAST_SQL and one_record_per_delivery and _one_record_per_delivery(con)
    groups = (
        _RECORD_GROUPS_SQL
        if per_record
        else _GROUPS_SQL.format(values=_values(), conflicts=_conflicts())
    )
    conv_sql = _CONV_SQL.format(groups=groups, ts_rule=_TS_RULE)
    con.execute(
        f"create or replace temp table conv as {conv_sql}", {"default_source": default_source}
    )
    (unnumbered,) = con.execute("select count(*) from conv where n_seq_given = 0").fetchone()  # type: ignore[misc]
    numbered = unnumbered or not FAST_SQL
    rows_sql = (
        _ROWS_SQL.replace("WITH_SQL", _NUMBERED_WITH if numbered else "")
        .replace("NUMBERED_JOIN", _NUMBERED_JOIN if numbered else "")
        .replace("SEQ_SQL", _NUMBERED_SEQ if numbered else _GIVEN_SEQ)
        .replace("JOIN_SQL", _RECORD_JOIN if per_record else _GROUP_JOIN)
    )
    con.execute(f"create or replace temp table judged_rows as {rows_sql}")


def gid_batches(con: duckdb.DuckDBPyConnection, batch_rows: int) -> list[tuple[int, int]]:
    """Inclusive ``gid`` ranges of whole conversations, about ``batch_rows`` rows each
    (a conversation with more rows is a batch of its own)."""
    return [
        (int(first), int(last))
        for first, last in con.execute(
            """
            select min(gid), max(gid) from (
                select gid, (sum(n) over (order by gid) - n) // $batch_rows as batch
                from (select gid, count(*) as n from judged_rows group by gid)
            ) group by batch order by 1
            """,
            {"batch_rows": max(int(batch_rows), 1)},
        ).fetchall()
    ]


def normalized_batch(
    con: duckdb.DuckDBPyConnection, first_gid: int, last_gid: int, one_row_records: bool
) -> Normalized:
    """The conversations ``first_gid..last_gid`` of :func:`normalize`'s tables.

    ``one_row_records``: every record is exactly one row (flat tables), so the
    record list needs no de-duplication.
    """
    between = f"gid between {int(first_gid)} and {int(last_gid)}"
    rows = con.sql(f"select * from judged_rows where {between}").to_arrow_table()
    records = rows.select(["gid", "record_number"])
    if not one_row_records:
        records = records.group_by(["gid", "record_number"]).aggregate([])
    accepted = (
        rows if pc.all(rows["accepted"]).as_py() is not False else rows.filter(rows["accepted"])
    )
    own = rows.filter(pc.is_valid(rows["reason_own"])).sort_by(
        [("gid", "ascending"), ("record_number", "ascending"), ("event_index", "ascending")]
    )
    return Normalized(
        conversations=con.sql(f"select * from conv where {between} order by gid").to_arrow_table(),
        events=accepted.select(list(EVENT_OUTPUT_COLUMNS)),
        records=records,
        record_reasons=own.select(["gid", "record_number", "reason_own", "message_own"]),
    )
