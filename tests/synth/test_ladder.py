"""The resolution ladder and recontact definitions on hand-written cases."""

from __future__ import annotations

from pipelines.synth import expected_outcomes, ladder


def _event(actor: str, kind: str = "message", payload: object = None) -> dict:
    return {"actor": actor, "event_type": kind, "payload": payload}


def test_answered_contained_conversation_with_changed_feedback_is_confirmed() -> None:
    outcome = ladder(
        [
            _event("customer"),
            _event("bot"),
            _event("customer", "feedback", {"value": "negative"}),
            _event("customer", "feedback", '{"value": "positive"}'),
        ],
        csat_score=None,
    )
    assert outcome.contained and outcome.bot_answered and not outcome.abandoned
    assert outcome.last_feedback == "positive"
    assert outcome.assumed_resolved and outcome.confirmed_resolved


def test_greeting_only_is_abandoned_not_answered() -> None:
    outcome = ladder([_event("bot"), _event("customer"), _event("system", "closed")], csat_score=5)
    assert outcome.bot_involved and outcome.abandoned and not outcome.bot_answered
    assert not outcome.assumed_resolved and not outcome.confirmed_resolved


def test_negative_last_feedback_blocks_resolution_and_csat_confirms() -> None:
    negative = ladder(
        [_event("customer"), _event("bot"), _event("customer", "feedback", {"value": "negative"})],
        5,
    )
    assert negative.contained and not negative.assumed_resolved
    by_csat = ladder([_event("customer"), _event("bot")], csat_score=4)
    assert by_csat.confirmed_resolved
    assert not ladder([_event("customer"), _event("bot")], csat_score=3).confirmed_resolved


def test_handoff_signals_and_first_reason() -> None:
    outcome = ladder(
        [
            _event("customer"),
            _event("bot"),
            _event("bot", "handoff_requested", {"reason": "bot_fallback"}),
            _event("bot", "handoff_requested", {"reason": "customer_request"}),
        ],
        None,
    )
    assert outcome.handed_off and outcome.handoff_reason == "bot_fallback" and not outcome.contained
    agent_only = ladder([_event("customer"), _event("bot"), _event("agent")], None)
    assert agent_only.handed_off and agent_only.handoff_reason is None
    system_only = ladder([_event("system"), _event("system", "closed")], None)
    assert not system_only.bot_involved and not system_only.contained and not system_only.abandoned


def test_recontact_window_is_strictly_after_start_and_strictly_within_n_days() -> None:
    def row(cid: str, customer: str, started: str) -> dict:
        return {
            "conversation_id": cid,
            "customer_id": customer,
            "started_at": started,
            "assumed_resolved": True,
        }

    derived = expected_outcomes(
        [
            row("a1", "a", "2026-01-01T10:00:00+00:00"),
            row("a2", "a", "2026-01-08T09:59:59+00:00"),  # 6d 23:59:59 after a1
            row("b1", "b", "2026-01-01T10:00:00+00:00"),
            row("b2", "b", "2026-01-08T05:00:00-05:00"),  # exactly 7 days after b1
            row("c1", "c", "2026-01-01T10:00:00+00:00"),
            row("c2", "c", "2026-01-01T10:00:00+00:00"),  # same instant is not "after"
        ],
        recontact_days=7,
    )
    assert derived["a1"].recontacted and not derived["a1"].durable_resolved
    assert not derived["b1"].recontacted and derived["b1"].durable_resolved
    assert not derived["c1"].recontacted and not derived["c2"].recontacted
    assert not derived["a2"].recontacted
