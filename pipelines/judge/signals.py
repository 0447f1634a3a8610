"""The `signals` judge: deterministic, offline, vectorized over a whole day.

It reads the conversation the way a reviewer skims it — did the bot say it failed,
did it confirm the thing was done, did it go round in circles, did the customer
leave on a question or a complaint, did they thank it — and adds up fixed
log-odds weights per signal (:data:`REASONS`). ``score`` is the logistic of that
sum; ``resolved`` at ``score >= 0.6``, ``unresolved`` at ``<= 0.4``, else
``unsure``. A conversation in which the customer never wrote is ``unsure``: there
is nothing to judge. The fired signals are the reason codes, and the ``seq`` of
the event behind each one is the evidence.

Speed: every text pattern is one RE2 pass over the day's messages (Arrow
``match_substring_regex``); everything per conversation is a numpy segment
reduction over events sorted by (conversation, seq). No Python loop per event or
per conversation.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from pipelines.judge import lexicon
from pipelines.judge.base import Grouped, Verdicts, group_events, list_array, verdict_from_score

NAME = "signals"
# Bump whenever a pattern, a weight or a threshold changes: verdicts are versioned.
VERSION = "signals-1"
RESOLVED_AT = 0.6
UNRESOLVED_AT = 0.4
# Messages shorter than this (normalized) are not loop evidence: "yes", "ok", "no"
# repeat naturally.
MIN_REPEAT_CHARS = 12

# Reason code -> log-odds weight (positive: evidence of resolution). Order is the
# order reasons are listed in a judgement.
REASONS: dict[str, float] = {
    "handed_off": -5.0,  # a human took over (or was asked to): not a bot resolution
    "bot_never_answered": -5.0,  # the customer wrote and no reply followed
    "failure_notice": -4.0,  # the service said it could not do it, and never confirmed later
    "customer_unhappy_last_turn": -2.5,  # last customer turn: complaint, "still broken", "no"
    "unanswered_question": -3.0,  # the customer's last message got no reply
    "left_after_bot_question": -2.5,  # the bot asked for something; the customer never answered
    "negative_feedback": -4.5,  # the customer's own thumbs-down outweighs a confirmation
    "low_csat": -2.0,
    "asked_for_human": -2.0,
    "unfulfilled_request": -1.5,  # an action was proposed, declined or left, never confirmed
    "still_not_working": -1.5,
    "bot_repeated_itself": -1.5,
    "customer_repeated_itself": -1.5,
    "bot_did_not_understand": -1.0,  # per fallback turn, at most two
    "customer_frustrated": -1.0,
    "recovered_after_failure": 0.0,  # informational: a failure notice, then a confirmation
    "success_confirmed": 3.0,  # the service confirmed the action happened
    "customer_thanked": 1.5,
    "positive_feedback": 1.5,
    "high_csat": 1.0,
    "customer_signed_off": 0.8,  # "that's all", "bye" without thanks
    "answered_without_objection": 0.8,  # the bot had the last word and nobody complained
    "no_customer_message": 0.0,  # nothing to judge: verdict unsure
}
REASON_CODES = tuple(REASONS)
_WEIGHTS = np.array(list(REASONS.values()))
_FALLBACK_CAP = 2


@dataclass(frozen=True)
class Signals:
    """Per conversation: which reasons fired, their weight multiplier, and the row (in
    the grouped events) of the event behind each (-1 when none)."""

    grouped: Grouped
    fired: np.ndarray  # conversations x reasons, bool
    multiplier: np.ndarray  # conversations x reasons, float (1.0, or the fallback count)
    evidence_row: np.ndarray  # conversations x reasons, int64

    @property
    def logit(self) -> np.ndarray:
        return (self.fired * self.multiplier * _WEIGHTS).sum(axis=1)

    @property
    def no_customer(self) -> np.ndarray:
        return self.fired[:, REASON_CODES.index("no_customer_message")]


class _Segments:
    """Segment reductions over the grouped events (rows sorted by conversation, seq)."""

    def __init__(self, grouped: Grouped) -> None:
        self.n = grouped.n_conversations
        self.nonempty = grouped.counts > 0
        self.starts = grouped.starts[self.nonempty]
        self.rows = np.arange(grouped.events.num_rows)
        self.group = grouped.group

    def last(self, mask: np.ndarray) -> np.ndarray:
        """Row of the last event matching ``mask`` per conversation; -1 when none."""
        out = np.full(self.n, -1, dtype=np.int64)
        if len(self.starts):
            out[self.nonempty] = np.maximum.reduceat(np.where(mask, self.rows, -1), self.starts)
        return out

    def first(self, mask: np.ndarray) -> np.ndarray:
        """Row of the first event matching ``mask``; -1 when none."""
        out = np.full(self.n, -1, dtype=np.int64)
        if len(self.starts):
            big = len(self.rows)
            first = np.minimum.reduceat(np.where(mask, self.rows, big), self.starts)
            out[self.nonempty] = np.where(first == big, -1, first)
        return out

    def count(self, mask: np.ndarray) -> np.ndarray:
        out = np.zeros(self.n, dtype=np.int64)
        if len(self.starts):
            out[self.nonempty] = np.add.reduceat(mask.astype(np.int64), self.starts)
        return out

    def at(self, flags: np.ndarray, rows: np.ndarray) -> np.ndarray:
        """``flags`` of the event at ``rows`` (False where the row is -1)."""
        return np.where(rows >= 0, flags[np.maximum(rows, 0)], False)


def _matches(text: pa.Array, candidates: np.ndarray, pattern: str) -> np.ndarray:
    """Boolean per event: ``pattern`` matches the text, evaluated only on candidate rows
    (a boolean mask, or row numbers; -1 entries are ignored)."""
    out = np.zeros(len(text), dtype=bool)
    if candidates.dtype != bool:  # row numbers -> mask (faster than np.unique)
        mask = np.zeros(len(text), dtype=bool)
        mask[candidates[candidates >= 0]] = True
        candidates = mask
    rows = np.flatnonzero(candidates)
    if len(rows):
        hits = pc.match_substring_regex(text.take(pa.array(rows)), pattern, ignore_case=True)
        out[rows] = hits.to_numpy(zero_copy_only=False)
    return out


def _match_family(
    text: pa.Array, candidates: np.ndarray, patterns: dict[str, str]
) -> dict[str, np.ndarray]:
    """Each pattern's matches on the candidate rows. One pass of their union over all
    candidates, then each pattern on the (few) rows the union matched: a regex pass
    costs about the same however selective it is, so this saves passes."""
    hits = _matches(text, candidates, lexicon.any_of(*patterns.values()))
    return {name: _matches(text, hits, pattern) for name, pattern in patterns.items()}


def _repeats(group: np.ndarray, text: pa.Array, candidates: np.ndarray) -> np.ndarray:
    """Events whose text (case and surrounding punctuation aside) equals an earlier
    candidate event's text in the same conversation (rows are in conversation order)."""
    out = np.zeros(len(text), dtype=bool)
    rows = np.flatnonzero(candidates)
    if not len(rows):
        return out
    normalized = pc.utf8_trim(pc.utf8_lower(text.take(pa.array(rows))), " .,!?¿¡\n\t")
    keep = pc.greater_equal(pc.utf8_length(normalized), MIN_REPEAT_CHARS).to_numpy(
        zero_copy_only=False
    )
    codes = pc.dictionary_encode(normalized).indices.to_numpy(zero_copy_only=False)
    rows, codes = rows[keep], codes[keep].astype(np.int64)
    if not len(rows):
        return out
    keys = group[rows] * (int(codes.max()) + 1) + codes
    _, first_index = np.unique(keys, return_index=True)
    repeated = np.ones(len(rows), dtype=bool)
    repeated[first_index] = False
    out[rows[repeated]] = True
    return out


def compute_signals(conversations: pa.Table, events: pa.Table) -> Signals:
    """Every signal of every conversation in ``conversations``."""
    grouped = group_events(conversations, events)
    ev = grouped.events
    seg = _Segments(grouped)
    text = pc.fill_null(ev["text"].combine_chunks(), "")
    actor = ev["actor"].combine_chunks()
    kind = ev["event_type"].combine_chunks()
    payload = pc.fill_null(ev["payload"].combine_chunks(), "")

    def equals(column: pa.Array, value: str) -> np.ndarray:
        return pc.fill_null(pc.equal(column, value), False).to_numpy(zero_copy_only=False)

    has_text = pc.greater(pc.utf8_length(text), 0).to_numpy(zero_copy_only=False)
    message = equals(kind, "message") & has_text
    customer = message & equals(actor, "customer")
    bot = message & equals(actor, "bot")
    agent = message & equals(actor, "agent")
    replier = bot | agent  # who answers the customer
    service = replier | (message & equals(actor, "system"))  # system errors count too

    # Patterns every service / customer message is checked for.
    said = _match_family(
        text,
        service,
        {
            "failure": lexicon.FAILURE,
            "success": lexicon.SUCCESS,
            "offer": lexicon.OFFER,
            "not_understood": lexicon.NOT_UNDERSTOOD,
            "handoff": lexicon.HANDOFF_TEXT,
            "explanation": lexicon.EXPLANATION,
        },
    )
    not_understood = said["not_understood"] & bot
    failure = said["failure"] & ~not_understood & ~said["explanation"]
    offer = said["offer"] & replier
    success = said["success"] & ~failure & ~offer
    handoff_text = said["handoff"] & replier
    wrote = _match_family(
        text,
        customer,
        {
            "frustration": lexicon.FRUSTRATION,
            "still_broken": lexicon.STILL_BROKEN,
            "ask_human": lexicon.ASK_HUMAN,
            "rephrase": lexicon.REPHRASE,
            "hypothetical": lexicon.HYPOTHETICAL,
        },
    )
    # Complaints count once the bot has answered (a reply that is not a question): an
    # opening "it's still broken since last week", or "tried everything" in reply to a
    # clarifying question, describes the problem, not how this conversation went.
    first_customer = seg.first(customer)
    after_first_customer = seg.rows > np.repeat(first_customer, grouped.counts)
    # A plain substring test first: most replies hold no question mark at all.
    marked = pc.match_substring_regex(text, "[?¿]").to_numpy(zero_copy_only=False)
    asks = _matches(text, replier & marked, lexicon.QUESTION)
    first_reply = seg.first(
        replier & after_first_customer & (first_customer >= 0).repeat(grouped.counts)
    )
    first_answer = seg.first(replier & ~asks & after_first_customer)
    answered_yet = (first_answer >= 0).repeat(grouped.counts) & (
        seg.rows > np.repeat(first_answer, grouped.counts)
    )
    frustration = wrote["frustration"] & answered_yet
    still_broken = wrote["still_broken"] & ~wrote["hypothetical"] & answered_yet

    feedback = equals(kind, "feedback")
    # The value is in the payload ({"value": "negative"}) or, for some sources, the text.
    down, up = r"negative|thumbs?[ _-]?down|\bno\b", r"positive|thumbs?[ _-]?up|\byes\b"
    negative_fb = _matches(payload, feedback, down) | _matches(text, feedback, down)
    positive_fb = (_matches(payload, feedback, up) | _matches(text, feedback, up)) & ~negative_fb
    csat = equals(kind, "csat")
    low_csat = _matches(payload, csat, r'"score"\s*:\s*"?[12]\b')
    high_csat = _matches(payload, csat, r'"score"\s*:\s*"?[45]\b')
    handoff = (
        equals(kind, "handoff_requested") | equals(kind, "handoff_accepted") | agent | handoff_text
    )

    # Positions per conversation.
    last_customer = seg.last(customer)
    last_replier = seg.last(replier)
    last_message = seg.last(message)
    last_failure = seg.last(failure)
    last_success = seg.last(success)
    last_offer = seg.last(offer)
    last_feedback = seg.last(negative_fb | positive_fb)
    last_csat = seg.last(low_csat | high_csat)
    n_fallback = seg.count(not_understood)
    spoke = last_customer >= 0
    # The customer's first message after the last offer: a decline, or nothing at all.
    after_offer = customer & (seg.rows > np.repeat(last_offer, grouped.counts))
    reply_after_offer = seg.first(after_offer)

    # Turn-level patterns, only on the turns that decide something.
    turns = np.concatenate([last_customer, reply_after_offer])
    thanks = _matches(text, turns, lexicon.THANKS)
    goodbye = _matches(text, turns, lexicon.GOODBYE)
    negation = _matches(text, turns, lexicon.NEGATION)
    # The service's message before the customer's last turn: "no" to "anything else?"
    # is a sign-off, "no" to "did that help?" or to an offer is not.
    before_last_turn = seg.last(replier & (seg.rows < np.repeat(last_customer, grouped.counts)))
    closing = _matches(
        text, np.concatenate([last_message, last_replier, before_last_turn]), lexicon.CLOSING
    )
    helped = _matches(text, before_last_turn, lexicon.DID_IT_HELP)

    bot_repeat = _repeats(grouped.group, text, bot)
    bot_repeat &= ~_matches(text, bot_repeat, lexicon.CLOSING)  # "anything else?" twice is fine
    customer_repeat = _repeats(grouped.group, text, customer)
    # "Yes, that would be great" twice is a customer confirming two details, not a loop.
    polite = lexicon.any_of(lexicon.AFFIRM, lexicon.THANKS, lexicon.GOODBYE, lexicon.NEGATION)
    customer_repeat &= ~_matches(text, customer_repeat, polite)

    sign_off = seg.at(closing & ~helped, before_last_turn).repeat(grouped.counts)
    declining = negation & ~thanks & ~goodbye & ~sign_off
    unhappy_turn = (frustration | still_broken | declining) & answered_yet
    # A substantive reply after the customer's last turn answers it; a sign-off does not.
    answered_last = (last_replier > last_customer) & ~seg.at(closing, last_replier)
    last_unhappy = seg.at(unhappy_turn, last_customer) & ~answered_last
    last_thanks = seg.at(thanks, last_customer) & ~last_unhappy
    last_goodbye = seg.at(goodbye | (negation & sign_off), last_customer)
    last_goodbye &= ~last_unhappy & ~last_thanks
    declined = (reply_after_offer < 0) | seg.at(negation, reply_after_offer)
    unanswered = spoke & (last_customer > last_replier)
    last_is_bot_question = seg.at(replier & asks & ~closing & ~failure, last_message)

    rows: dict[str, tuple[np.ndarray, np.ndarray]] = {
        "handed_off": (seg.first(handoff) >= 0, seg.first(handoff)),
        "bot_never_answered": (spoke & (first_reply < 0), first_customer),
        "failure_notice": (last_failure > last_success, last_failure),
        "customer_unhappy_last_turn": (spoke & last_unhappy, last_customer),
        "unanswered_question": (
            unanswered & (first_reply >= 0) & ~last_thanks & ~last_goodbye,
            last_customer,
        ),
        "left_after_bot_question": (spoke & last_is_bot_question, last_message),
        "negative_feedback": (seg.at(negative_fb, last_feedback), last_feedback),
        "low_csat": (seg.at(low_csat, last_csat), last_csat),
        "asked_for_human": (seg.count(wrote["ask_human"]) > 0, seg.first(wrote["ask_human"])),
        "unfulfilled_request": (
            (last_offer >= 0) & (last_offer > last_success) & declined & (seg.count(success) == 0),
            last_offer,
        ),
        "still_not_working": (seg.count(still_broken) > 0, seg.last(still_broken)),
        "bot_repeated_itself": (seg.count(bot_repeat) > 0, seg.last(bot_repeat)),
        "customer_repeated_itself": (
            seg.count(customer_repeat | wrote["rephrase"]) > 0,
            seg.last(customer_repeat | wrote["rephrase"]),
        ),
        "bot_did_not_understand": (n_fallback > 0, seg.last(not_understood)),
        "customer_frustrated": (seg.count(frustration) > 0, seg.last(frustration)),
        "recovered_after_failure": (
            (last_failure >= 0) & (last_success > last_failure),
            last_failure,
        ),
        "success_confirmed": (last_success > last_failure, last_success),
        "customer_thanked": (spoke & last_thanks, last_customer),
        "positive_feedback": (seg.at(positive_fb, last_feedback), last_feedback),
        "high_csat": (seg.at(high_csat, last_csat), last_csat),
        "customer_signed_off": (spoke & last_goodbye, last_customer),
        "answered_without_objection": (
            spoke & answered_last & ~seg.at(failure | asks, last_replier),
            last_replier,
        ),
        "no_customer_message": (~spoke, np.full(seg.n, -1, dtype=np.int64)),
    }
    assert tuple(rows) == REASON_CODES
    fired = np.column_stack([flag for flag, _ in rows.values()])
    evidence = np.column_stack([row for _, row in rows.values()])
    multiplier = np.ones_like(fired, dtype=float)
    multiplier[:, REASON_CODES.index("bot_did_not_understand")] = np.minimum(
        n_fallback, _FALLBACK_CAP
    )
    return Signals(grouped=grouped, fired=fired, multiplier=multiplier, evidence_row=evidence)


def verdicts_from(signals: Signals, conversation_ids: pa.Array, score: np.ndarray) -> Verdicts:
    """Verdicts with the signals' reasons and evidence and the given score; conversations
    the customer never wrote in are ``unsure`` whatever the score."""
    verdict = verdict_from_score(score, RESOLVED_AT, UNRESOLVED_AT)
    verdict = np.where(signals.no_customer, "unsure", verdict)
    seq = signals.grouped.events["seq"].to_numpy(zero_copy_only=False).astype(np.int64)
    evidence_seq = np.where(signals.evidence_row >= 0, seq[np.maximum(signals.evidence_row, 0)], -1)
    has_evidence = signals.fired & (signals.evidence_row >= 0)
    return Verdicts(
        conversation_id=conversation_ids,
        verdict=pa.array(verdict, pa.string()),
        score=pa.array(score, pa.float64()),
        reasons=list_array(signals.fired, np.array(REASON_CODES, dtype=object), pa.string()),
        evidence=_unique_sorted_lists(has_evidence, evidence_seq),
    )


def _unique_sorted_lists(mask: np.ndarray, values: np.ndarray) -> pa.Array:
    """Per row, the sorted distinct ``values`` where ``mask`` is true, as list<int32>."""
    masked = np.where(mask, values, np.iinfo(np.int64).max)
    ordered = np.sort(masked, axis=1)
    keep = ordered != np.iinfo(np.int64).max
    keep[:, 1:] &= ordered[:, 1:] != ordered[:, :-1]
    return list_array(keep, ordered, pa.int32())


class SignalsJudge:
    """The default judge; see the module docstring."""

    name = NAME
    version = VERSION

    def judge_table(self, conversations: pa.Table, events: pa.Table) -> Verdicts:
        signals = compute_signals(conversations, events)
        score = np.where(signals.no_customer, 0.5, 1.0 / (1.0 + np.exp(-signals.logit)))
        ids = conversations["conversation_id"].combine_chunks().cast(pa.string())
        return verdicts_from(signals, ids, score)
