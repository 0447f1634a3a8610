"""Planted unanswered topics: opt-in, unanswered by the bot, answered by people."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from pipelines.synth import generate, read_truth
from pipelines.synth.planted import (
    PLANTED_PHRASES,
    PLANTED_RESOLUTIONS,
    PLANTED_SHARE,
    PLANTED_TOPICS,
)

START, END = date(2026, 2, 1), date(2026, 2, 4)


def _conversations(root: Path) -> list[dict[str, object]]:
    return [
        json.loads(line)
        for path in sorted((root / "landing").rglob("*.jsonl"))
        for line in path.read_text().splitlines()
    ]


def test_planted_topics_are_opt_in_and_unanswered(tmp_path: Path) -> None:
    plain, planted = tmp_path / "plain", tmp_path / "planted"
    generate(START, END, 400, 3, plain / "landing", plain / "truth")
    generate(START, END, 400, 3, planted / "landing", planted / "truth", planted=PLANTED_TOPICS)
    names = {topic.name for topic in PLANTED_TOPICS}
    assert not names & {c["intent"] for c in _conversations(plain)}
    conversations = _conversations(planted)
    ours = [c for c in conversations if c["intent"] in names]
    share = len(ours) / len(conversations)
    assert 0.5 * PLANTED_SHARE * 2 < share < 2 * PLANTED_SHARE * 2
    handed = [c for c in ours if any(e["event_type"] == "handoff_requested" for e in c["events"])]
    assert len(handed) >= 0.7 * len(ours)  # the bot cannot answer them
    replies = {
        e["text"] for c in ours for e in c["events"] if e["actor"] == "agent" and e.get("text")
    }
    known = {reply for topic in PLANTED_RESOLUTIONS.values() for reply in topic}
    assert replies & known  # people answer them with the topic's replies


def _bot_resolved(conversation: dict[str, object], truth: dict[str, dict[str, object]]) -> bool:
    return bool(truth[str(conversation["conversation_id"])]["truly_resolved"])


def test_an_answered_topic_is_solved_by_the_bot_from_its_day_on(tmp_path: Path) -> None:
    """The demo's publish step: from the given day on, the bot answers the planted topic
    (more solved, with the topic's answer); the other planted topic and the days
    before stay as they were."""
    start, end, published = date(2026, 2, 1), date(2026, 2, 8), date(2026, 2, 5)
    root = tmp_path / "answered"
    generate(
        start,
        end,
        400,
        3,
        root / "landing",
        root / "truth",
        planted=PLANTED_TOPICS,
        answered={"duet_settings": published},
    )
    truth = {row["conversation_id"]: row for row in read_truth(root / "truth")}
    conversations = _conversations(root)

    def rate(intent: str, after: bool) -> float:
        chosen = [
            c
            for c in conversations
            if c["intent"] == intent
            and (datetime.fromisoformat(str(c["started_at"])).astimezone(UTC).date() >= published)
            == after
        ]
        assert chosen
        return sum(_bot_resolved(c, truth) for c in chosen) / len(chosen)

    assert rate("duet_settings", after=True) > rate("duet_settings", after=False) + 0.3
    assert rate("family_pairing", after=True) < 0.2
    answers = {
        e["text"]
        for c in conversations
        if c["intent"] == "duet_settings"
        for e in c["events"]
        if e["actor"] == "bot" and e.get("text")
    }
    assert answers & set(PLANTED_PHRASES["duet_settings"]["en"]["answered"])
    # The days before the publish day are those of a run that never answers it.
    before = tmp_path / "before"
    generate(start, end, 400, 3, before / "landing", before / "truth", planted=PLANTED_TOPICS)
    for day in ("2026-02-01", "2026-02-04"):
        name = f"dt={day}/synthetic.jsonl"
        assert (root / "landing" / name).read_bytes() == (before / "landing" / name).read_bytes()


def test_answered_must_name_a_planted_topic(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="refund"):
        generate(START, END, 10, 3, tmp_path / "l", tmp_path / "t", answered={"refund": START})
