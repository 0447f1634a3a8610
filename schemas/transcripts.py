"""The ingest contract for canonical transcripts (pandera).

Adapters parse; this contract decides what may enter the raw store. Every check
is named after the quarantine reason it produces, so a failure maps straight back
to the records of the conversation it belongs to (see :func:`contract_violations`).
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import pandera.pandas as pa

from schemas.canonical import ACTORS, CHANNELS, EVENT_TYPES

# Whether a label value holds personal data. The PII engine decides that
# (pipelines.sources.labels.label_is_personal: every entity type, as for text); the
# contract receives it, because schemas depends on nothing in pipelines.
LooksPersonal = Callable[[str], bool]

MAX_TEXT_CHARS = 20_000
# Exports round or skew clocks a little; an event this close outside the
# conversation's [started_at, ended_at] is still accepted.
WINDOW_TOLERANCE = pd.Timedelta(seconds=1)
# BCP 47 language[-script][-region]: "en-US", "es-419", "zh-Hant-TW". Looser patterns
# let an export's mis-mapped column ("en-415-555-0177") into every locale drill-down.
LOCALE_PATTERN = r"^[A-Za-z]{2,3}(-[A-Za-z]{4})?(-(?:[A-Za-z]{2}|[0-9]{3}))?$"
MARKET_PATTERN = r"^[A-Z]{2}$"

UTC_TS = pd.DatetimeTZDtype(unit="us", tz="UTC")


def _isin(values: tuple[str, ...], reason: str) -> pa.Check:
    return pa.Check(lambda s: s.isna() | s.isin(values), name=reason)


def _matches(pattern: str, reason: str) -> pa.Check:
    return pa.Check(lambda s: s.isna() | s.str.fullmatch(pattern).fillna(False), name=reason)


def _no_personal_data(looks_personal: LooksPersonal) -> pa.Check:
    """Dimension labels become mart slices that everyone reads; one holding personal
    data (a mis-mapped export column, a card number typed into an intent, a person's
    name as a bot version) is quarantined, not published."""

    def free_of_personal_data(series: pd.Series) -> pd.Series:
        # Labels repeat a lot: judge each distinct value once.
        flagged = [value for value in series.dropna().unique() if looks_personal(str(value))]
        return series.isna() | ~series.isin(flagged)

    return pa.Check(free_of_personal_data, name="personal_data_in_label")


def conversation_schema(looks_personal: LooksPersonal, key: str = "gid") -> pa.DataFrameSchema:
    """One row per conversation (per delivery ``key``)."""
    return pa.DataFrameSchema(
        {
            key: pa.Column(nullable=False),
            "conversation_id": pa.Column(str, nullable=False),
            "source": pa.Column(str, _no_personal_data(looks_personal), nullable=False),
            "started_at": pa.Column(UTC_TS, nullable=False),
            "ended_at": pa.Column(UTC_TS, nullable=True),
            "channel": pa.Column(str, _isin(CHANNELS, "unknown_channel"), nullable=True),
            "locale": pa.Column(str, _matches(LOCALE_PATTERN, "invalid_locale"), nullable=True),
            "market": pa.Column(str, _matches(MARKET_PATTERN, "invalid_market"), nullable=True),
            "customer_id": pa.Column(str, nullable=True),
            "bot_version": pa.Column(str, _no_personal_data(looks_personal), nullable=True),
            "intent": pa.Column(str, _no_personal_data(looks_personal), nullable=True),
            "csat_score": pa.Column(
                "Int8",
                pa.Check(lambda s: s.isna() | s.between(1, 5), name="invalid_csat"),
                nullable=True,
            ),
            "csat_submitted_at": pa.Column(UTC_TS, nullable=True),
        },
        checks=[
            pa.Check(
                lambda df: df["ended_at"].isna() | (df["ended_at"] >= df["started_at"]),
                name="event_outside_conversation",
            )
        ],
        unique=[key],
        strict=False,
    )


def event_schema(key: str = "gid") -> pa.DataFrameSchema:
    """One row per event; ``conversation_started_at``/``_ended_at`` carry the header window.

    ``key`` is an integer id of the conversation delivery the event belongs to.
    """

    def seq_contiguous(df: pd.DataFrame) -> pd.Series:
        # seq must be exactly 0..n-1 per conversation; repeats are reported by the
        # uniqueness check (duplicate_event), gaps and offsets here.
        grouped = df.groupby(key, sort=False)["seq"]
        ok = (grouped.transform("min") == 0) & (
            grouped.transform("max") == grouped.transform("size") - 1
        )
        return ok

    def seq_unique(df: pd.DataFrame) -> pd.Series:
        # One int64 key instead of a two-column duplicated(): same answer, a
        # fraction of the cost on million-row files (ids and seq are < 2**31).
        combined = df[key].astype("int64") * (1 << 32) + df["seq"].astype("int64")
        return ~combined.duplicated(keep=False)

    def within_window(df: pd.DataFrame) -> pd.Series:
        after_start = df["sent_at"] >= df["conversation_started_at"] - WINDOW_TOLERANCE
        before_end = df["conversation_ended_at"].isna() | (
            df["sent_at"] <= df["conversation_ended_at"] + WINDOW_TOLERANCE
        )
        return after_start & before_end

    return pa.DataFrameSchema(
        {
            key: pa.Column(nullable=False),
            "conversation_id": pa.Column(str, nullable=False),
            "seq": pa.Column("int32", nullable=False),
            "sent_at": pa.Column(UTC_TS, nullable=False),
            "actor": pa.Column(str, _isin(ACTORS, "unknown_actor"), nullable=False),
            "event_type": pa.Column(str, _isin(EVENT_TYPES, "unknown_event_type"), nullable=False),
            "text": pa.Column(
                str,
                pa.Check(
                    lambda s: s.isna() | (s.str.len() <= MAX_TEXT_CHARS), name="oversize_text"
                ),
                nullable=True,
            ),
            "agent_id": pa.Column(str, nullable=True),
            "payload": pa.Column(str, nullable=True),
            "conversation_started_at": pa.Column(UTC_TS, nullable=False),
            "conversation_ended_at": pa.Column(UTC_TS, nullable=True),
        },
        checks=[
            pa.Check(seq_unique, name="duplicate_event"),
            pa.Check(seq_contiguous, name="invalid_sequence"),
            pa.Check(within_window, name="event_outside_conversation"),
        ],
        strict=False,
    )


# Built-in failures that are not named after a reason.
_BUILTIN_REASONS = {
    "not_nullable": "missing_required_field",
    "multiple_fields_uniqueness": "duplicate_event",
    "field_uniqueness": "duplicate_event",
}


def _failures(schema: pa.DataFrameSchema, frame: pd.DataFrame, key: str) -> pd.DataFrame:
    try:
        schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as errors:
        cases = errors.failure_cases
    else:
        return pd.DataFrame({key: [], "reason": [], "message": []})
    untied = cases[cases["index"].isna()]
    if not untied.empty:
        # A dtype or missing-column failure is a bug in the adapter, not bad
        # data: fail loudly rather than quarantine everything. Columns and checks
        # only: failure cases are record values.
        problems = sorted(
            set(zip(untied["column"].astype(str), untied["check"].astype(str), strict=True))
        )
        raise TypeError(f"ingest frame does not match the contract: {problems}")
    cases = cases.assign(
        reason=cases["check"].map(lambda c: _BUILTIN_REASONS.get(c, c)),
        row=cases["index"].astype("int64"),
    )
    cases = cases.drop_duplicates(["row", "reason"])
    keys = frame[key].to_numpy()[cases["row"].to_numpy()]
    return pd.DataFrame(
        {
            key: keys,
            "reason": cases["reason"].to_numpy(),
            # The column and the rule, never the failing value (a record value).
            "message": (
                "contract: "
                + cases["column"].fillna("conversation").astype(str)
                + " fails "
                + cases["reason"]
            ).to_numpy(),
        }
    )


def contract_violations(
    conversations: pd.DataFrame,
    events: pd.DataFrame,
    looks_personal: LooksPersonal,
    key: str = "gid",
) -> pd.DataFrame:
    """Validate lazily (every failure collected) and return ``key, reason, message`` rows.

    Frames must have a default RangeIndex: failures are mapped back by position.
    """
    return pd.concat(
        [
            _failures(conversation_schema(looks_personal, key), conversations, key),
            _failures(event_schema(key), events, key),
        ],
        ignore_index=True,
    )
