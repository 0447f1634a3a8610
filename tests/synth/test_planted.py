"""Planted unanswered topics: opt-in, unanswered by the bot, answered by people."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from pipelines.synth import generate
from pipelines.synth.planted import PLANTED_RESOLUTIONS, PLANTED_SHARE, PLANTED_TOPICS

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
