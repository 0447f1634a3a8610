"""`closedloop kb gaps` and `closedloop kb review`."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import pandas as pd
from typer.testing import CliRunner

from pipelines.cli.main import app
from pipelines.config import paths
from pipelines.knowledge.drafts import Draft, Reply, write_draft
from pipelines.knowledge.gaps import GAP_COLUMNS
from pipelines.warehouse.io import conform, replace_partitions
from pipelines.warehouse.tables import KB_GAPS


def _gap(as_of: date, window: int, rank: int, topic: str, is_gap: bool) -> dict[str, object]:
    return {
        "as_of_date": as_of,
        "window_days": window,
        "rank": rank,
        "topic_id": topic,
        "label": f"label of {topic}",
        "representative_utterance": "why can't people duet my videos",
        "conversations": 100 * (3 - rank),
        "unresolved": 80,
        "resolution_rate": 0.2,
        "resolution_points_lost": 30.0 / rank,
        "best_article_id": "kb-live-streams",
        "best_article_score": 0.02 if is_gap else 0.4,
        "is_gap": is_gap,
        "matched_by": "terms",
        "example_conversation_ids": json.dumps(["c1", "c2"]),
        "first_seen": date(2026, 3, 1),
        "trend": 0.5,
    }


def test_gaps_prints_the_newest_run_of_a_window(tmp_path: Path) -> None:
    home = paths(tmp_path).ensure()
    with duckdb.connect(str(home.analytics)) as con:
        for as_of in (date(2026, 3, 9), date(2026, 3, 10)):
            rows = pd.DataFrame(
                [_gap(as_of, w, r, f"topic-{r}", r == 1) for w in (7, 28) for r in (1, 2)],
                columns=GAP_COLUMNS,
            )
            replace_partitions(con, KB_GAPS, conform(rows, KB_GAPS), [as_of])
    runner = CliRunner()
    result = runner.invoke(app, ["kb", "gaps", "--window", "7", "--json", "--home", str(tmp_path)])
    assert result.exit_code == 0, result.output
    found = json.loads(result.stdout)
    assert [row["topic_id"] for row in found] == ["topic-1", "topic-2"]
    assert {row["as_of_date"][:10] for row in found} == {"2026-03-10"}
    assert found[0]["is_gap"] and found[0]["example_conversation_ids"] == ["c1", "c2"]
    table = runner.invoke(app, ["kb", "gaps", "--home", str(tmp_path)])
    assert table.exit_code == 0 and "label of topic-1" in table.stdout and "gap" in table.stdout
    bad = runner.invoke(app, ["kb", "gaps", "--window", "14", "--home", str(tmp_path)])
    assert bad.exit_code == 2


def test_gaps_without_a_snapshot_says_what_to_do(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["kb", "gaps", "--home", str(tmp_path)])
    assert result.exit_code == 1 and "run the pipeline first" in result.output


def test_review_lists_drafts_with_their_evidence(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv("CLOSEDLOOP_KB_PATH", raising=False)
    draft = Draft(
        "topic-0031",
        "Why can't people duet my videos?",
        (Reply("Open Settings > Privacy > Duet.", 4, ("c1", "c2")),),
        duplicate_of="kb-live-streams",
        llm_rejected="ungrounded: number 7",
    )
    path = write_draft(paths(tmp_path).kb, draft, datetime(2026, 3, 10, tzinfo=UTC))
    rejected = path.with_name("faq-topic-0040.md")
    rejected.write_text(
        path.read_text()
        .replace("topic-0031", "topic-0040")
        .replace("status: draft", "status: retired\nrejected_reason: wrong policy")
    )
    result = CliRunner().invoke(app, ["kb", "review", "--home", str(tmp_path)], terminal_width=250)
    assert result.exit_code == 0, result.output
    assert "topic-0031" in result.stdout and "duplicate of kb-live-streams" in result.stdout
    assert "rejected: wrong policy" in result.stdout
    assert "the LLM's was rejected (ungrounded: number 7)" in result.stdout
