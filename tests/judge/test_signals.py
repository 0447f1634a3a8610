"""The signals judge on conversations whose outcome a reader can see."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest

from pipelines.judge.base import JUDGEMENT_SCHEMA, Judge, judge_one, judge_partition
from pipelines.judge.signals import REASON_CODES, SignalsJudge
from tests.judge.judge_data import DAY, tables

CASES = {
    "failure": [
        ("customer", "Can you book a table for two at 7?"),
        ("bot", "Please confirm: a table for 2 at 7 pm today."),
        ("customer", "Yes."),
        ("bot", "Sorry, I was unable to make the reservation. Shall I try 7:30 instead?"),
        ("customer", "No, thank you anyway."),
        ("bot", "Have a good day."),
    ],
    "recovered": [
        ("customer", "Can you book a table for two at 7?"),
        ("bot", "Sorry, that time is fully booked. Shall I try 7:30 instead?"),
        ("customer", "Yes please."),
        ("bot", "Your table has been reserved for 7:30 pm."),
        ("customer", "Great, thanks!"),
        ("bot", "Have a good day."),
    ],
    "answered_and_thanked": [
        ("customer", "how do I reset my password"),
        ("bot", "Tap 'Forgot password?' on the login screen and follow the link we email you."),
        ("customer", "that worked, thanks!"),
        ("bot", "Glad I could help! Anything else?"),
        ("customer", "no that's it"),
    ],
    "handoff": [
        ("customer", "my account was hacked"),
        ("bot", "This needs our security team. Let me transfer you to an agent."),
        ("bot", "handoff_requested", {"reason": "policy_required"}),
        ("agent", "Hi, I'm looking into it now."),
    ],
    "still_broken": [
        ("customer", "the app crashes when I open it"),
        ("bot", "Please update the app and restart your phone."),
        ("customer", "I already tried that, it still doesn't work"),
    ],
    "never_answered": [
        ("bot", "Hi! How can I help?"),
        ("customer", "where is my refund"),
    ],
    "left_after_question": [
        ("customer", "I need to change my flight"),
        ("bot", "Sure. What is your booking reference?"),
    ],
    "bot_loop": [
        ("customer", "I want to cancel my order"),
        ("bot", "Sorry, I didn't quite get that. Could you rephrase?"),
        ("customer", "cancel. my. order."),
        ("bot", "Sorry, I didn't quite get that. Could you rephrase?"),
        ("customer", "forget it"),
    ],
    "system_only": [("system", "Chat session created")],
    "spanish_thanks": [
        ("customer", "no puedo iniciar sesión"),
        ("bot", "Toca 'Probar otro método' y elige tu correo para recibir el código."),
        ("customer", "ya funcionó, mil gracias"),
    ],
    "feedback_down": [
        ("customer", "when does my order arrive"),
        ("bot", "Your order is on its way with UPS and arrives Friday."),
        ("customer", "feedback", {"value": "negative"}),
    ],
}
EXPECTED = {
    "failure": ("unresolved", "failure_notice"),
    "recovered": ("resolved", "recovered_after_failure"),
    "answered_and_thanked": ("resolved", "customer_signed_off"),
    "handoff": ("unresolved", "handed_off"),
    "still_broken": ("unresolved", "still_not_working"),
    "never_answered": ("unresolved", "bot_never_answered"),
    "left_after_question": ("unresolved", "left_after_bot_question"),
    "bot_loop": ("unresolved", "bot_repeated_itself"),
    "system_only": ("unsure", "no_customer_message"),
    "spanish_thanks": ("resolved", "customer_thanked"),
    "feedback_down": ("unresolved", "negative_feedback"),
}


@pytest.fixture(scope="module")
def judged() -> dict[str, dict]:
    conversations, events = tables(CASES)
    rows = judge_partition(SignalsJudge(), conversations, events)
    return {row["conversation_id"]: row for row in rows.to_pylist()}


@pytest.mark.parametrize("case", sorted(CASES))
def test_verdict_and_reason(judged, case):
    verdict, reason = EXPECTED[case]
    row = judged[case]
    assert row["verdict"] == verdict, row
    assert reason in row["reasons"], row
    assert 0.0 <= row["score"] <= 1.0


def test_scores_order_resolved_above_unresolved(judged):
    resolved = [r["score"] for r in judged.values() if r["verdict"] == "resolved"]
    unresolved = [r["score"] for r in judged.values() if r["verdict"] == "unresolved"]
    assert min(resolved) > max(unresolved)


def test_evidence_points_at_the_deciding_events(judged):
    assert 3 in judged["failure"]["evidence"]  # the failure notice
    assert 4 in judged["failure"]["evidence"]  # the customer's decline
    assert 3 in judged["recovered"]["evidence"]  # the confirmation
    assert judged["system_only"]["evidence"] == []


def test_polite_no_to_anything_else_is_not_a_complaint(judged):
    assert "customer_unhappy_last_turn" not in judged["answered_and_thanked"]["reasons"]


def test_rows_follow_the_table_contract(judged):
    conversations, events = tables(CASES)
    rows = judge_partition(SignalsJudge(), conversations, events)
    assert rows.schema == JUDGEMENT_SCHEMA
    assert rows["conversation_id"].to_pylist() == list(CASES)
    assert set(rows["partition_date"].to_pylist()) == {DAY}
    assert set(rows["judge"].to_pylist()) == {"signals"}
    assert all(set(r) <= set(REASON_CODES) for r in rows["reasons"].to_pylist())
    assert isinstance(SignalsJudge(), Judge)


def test_batch_equals_one_at_a_time_and_ignores_event_order():
    conversations, events = tables(CASES)
    shuffled = events.take(pa.array(np.random.default_rng(3).permutation(events.num_rows)))
    batch = judge_partition(SignalsJudge(), conversations, shuffled).to_pylist()
    for row in batch:
        single = judge_one(
            SignalsJudge(),
            row["conversation_id"],
            events.filter(pa.compute.equal(events["conversation_id"], row["conversation_id"]))
            .drop_columns(["conversation_id"])
            .to_pylist(),
        )
        assert single is not None
        assert (single.verdict, single.score, list(single.reasons), list(single.evidence)) == (
            row["verdict"],
            row["score"],
            row["reasons"],
            row["evidence"],
        )


def test_conversation_without_events_is_unsure():
    conversations, events = tables({"a": [("customer", "hi"), ("bot", "Hello!")], "empty": []})
    rows = {
        r["conversation_id"]: r
        for r in judge_partition(SignalsJudge(), conversations, events).to_pylist()
    }
    assert rows["empty"]["verdict"] == "unsure"
    assert rows["empty"]["reasons"] == ["no_customer_message"]


def test_curly_apostrophes_read_like_straight_ones():
    straight, curly = (
        [("customer", "book it please"), ("bot", f"Sorry, I wasn{q}t able to book it.")]
        for q in ("'", "\u2019")
    )
    conversations, events = tables({"straight": straight, "curly": curly})
    rows = judge_partition(SignalsJudge(), conversations, events).to_pylist()
    assert rows[0]["reasons"] == rows[1]["reasons"]
    assert "failure_notice" in rows[0]["reasons"]


def test_events_of_unlisted_conversations_are_an_error():
    conversations, events = tables({"a": [("customer", "hi")], "b": [("customer", "hey")]})
    with pytest.raises(ValueError, match="not in the conversations table"):
        judge_partition(SignalsJudge(), conversations.slice(0, 1), events)
