"""Part 2 on a small warehouse: planted unanswered topics become top gaps with drafts,
and a published draft gets its uplift row."""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa
import pytest

from pipelines.knowledge.demo import write_demo_kb
from pipelines.knowledge.drafts import review_items
from pipelines.knowledge.gap_load import (
    FIT_DAYS,
    conversations_with_openings,
    draft_top_gaps,
    read_topics,
    refresh_topics,
    rewrite_gaps,
    rewrite_uplift,
    topic_intents,
    topic_outcomes,
)
from pipelines.knowledge.gaps import coverage, gap_rows
from pipelines.knowledge.load import read_versions, refresh_articles
from pipelines.knowledge.topics import fit_topics
from pipelines.knowledge.versions import current_articles
from pipelines.warehouse.io import replace_partitions
from pipelines.warehouse.tables import SCRUBBED_EVENTS

from .topic_data import planted_openings, synthetic_openings

START = date(2026, 3, 1)
DAYS = 10
AS_OF = START + timedelta(days=DAYS - 1)
PLANTED_REPLIES = {
    "duet": "Duets are off for your videos: open Settings > Privacy > Duet and choose Everyone.",
    "family_pairing": "Open Settings > Family Pairing on both phones and scan the QR code to link them.",
}


@pytest.fixture(scope="module")
def openings(tmp_path_factory: pytest.TempPathFactory) -> pd.DataFrame:
    root: Path = tmp_path_factory.mktemp("gaps")
    generated = synthetic_openings(root, START, days=DAYS, per_day=200, seed=11)
    planted = [planted_openings(t, 90, START, DAYS, seed=5) for t in PLANTED_REPLIES]
    return pd.concat([generated, *planted], ignore_index=True)


def _warehouse(path: Path, openings: pd.DataFrame) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(str(path))
    planted = openings["conversation_id"].str.split("-").str[0].map(PLANTED_REPLIES)
    fct = pd.DataFrame(
        {
            "conversation_id": openings["conversation_id"],
            "conversation_date": openings["conversation_date"],
            "durable_resolved": openings["resolved"],
            "intent": openings["intent"],
            "locale": openings["locale"],
            "bot_involved": True,
            # Planted topics: the bot fails, a person answers and it stays solved.
            "handed_off": planted.notna() | ~openings["resolved"],
            "human_answered": planted.notna(),
            "recontacted": False,
            "last_feedback": None,
        }
    )
    con.register("fct_frame", fct)
    con.execute("create table main.fct_conversations as select * from fct_frame")
    con.unregister("fct_frame")
    events = []
    for row, reply in zip(openings.itertuples(index=False), planted, strict=True):
        at = datetime.combine(row.conversation_date, time(12), UTC)
        events.append((row.conversation_date, row.conversation_id, 0, at, "customer", row.text))
        events.append(
            (row.conversation_date, row.conversation_id, 1, at, "agent", "Hi, thanks for waiting.")
        )
        if isinstance(reply, str):
            events.append((row.conversation_date, row.conversation_id, 2, at, "agent", reply))
    frame = pd.DataFrame(
        events, columns=["partition_date", "conversation_id", "seq", "sent_at", "actor", "text"]
    ).assign(event_type="message", agent_key=None, payload=None)
    days = [START + timedelta(days=offset) for offset in range(DAYS)]
    table = pa.Table.from_pandas(frame, preserve_index=False)
    replace_partitions(con, SCRUBBED_EVENTS, table, days)
    return con


def test_planted_topics_are_top_gaps_with_grounded_drafts_and_uplift(
    tmp_path: Path, openings: pd.DataFrame, linter
) -> None:
    kb = tmp_path / "kb"
    write_demo_kb(kb)
    con = _warehouse(tmp_path / "warehouse.duckdb", openings)
    refresh_articles(con, kb, datetime.combine(START, time(1), UTC))
    refreshed = refresh_topics(con, [AS_OF])
    assert refreshed.outlier_share <= 0.10
    gaps = rewrite_gaps(con, AS_OF)
    month = gaps[gaps["window_days"] == FIT_DAYS].sort_values("rank")
    top5 = month.head(5)
    for topic in PLANTED_REPLIES:
        hits = [
            row
            for row in top5.itertuples(index=False)
            if sum(e.startswith(topic) for e in json.loads(row.example_conversation_ids)) >= 4
        ]
        assert hits, f"{topic} is not among the top 5 gaps: {top5[['label', 'is_gap']]}"
        assert hits[0].is_gap and hits[0].matched_by == "terms"
    # Topics of intents the demo KB tags are covered by those articles.
    assert (month["matched_by"] == "intent").sum() >= 5
    assert not month.loc[month["matched_by"] == "intent", "is_gap"].any()

    written = draft_top_gaps(con, AS_OF, kb, linter, datetime.combine(AS_OF, time(3), UTC))
    texts = {path: path.read_text() for path in written}
    for topic, reply in PLANTED_REPLIES.items():
        (path,) = [p for p, text in texts.items() if reply in text]
        item = next(i for i in review_items(kb) if i.path == path)
        assert item.status == "draft" and item.sources >= 5
        sources = texts[path].split("sources:")[1]
        assert f"{topic}-5-" in sources
    # A second run drafts nothing new for topics that already have a draft.
    again = draft_top_gaps(con, AS_OF, kb, linter, datetime.combine(AS_OF, time(4), UTC))
    assert not set(again) - set(written)

    # The reviewer publishes the duet draft on day 6; the next run versions it and
    # the uplift of its topic is measured from then.
    duet = next(p for p, text in texts.items() if PLANTED_REPLIES["duet"] in text)
    duet.write_text(duet.read_text().replace("status: draft", "status: published"))
    refresh_articles(con, kb, datetime.combine(START + timedelta(days=5), time(1), UTC))
    uplift = rewrite_uplift(con, AS_OF, window_days=28, min_n=30)
    (row,) = uplift.itertuples(index=False)
    assert row.article_id == duet.stem and row.window_days == 5
    assert row.n_before > 0 and row.n_after > 0
    assert row.inconclusive == (min(row.n_before, row.n_after) < 30)
    # ~9 duet conversations a day: 5-day windows are below a minimum n of 100.
    (strict,) = rewrite_uplift(con, AS_OF, window_days=28, min_n=100).itertuples(index=False)
    assert strict.inconclusive
    stored = con.execute("select count(*) from main.mart_kb_uplift").fetchone()
    assert stored == (1,)  # the as_of day was replaced, not appended


def test_the_assets_run_the_same_use_cases(tmp_path: Path, openings: pd.DataFrame) -> None:
    import dagster as dg

    from pipelines.config import paths
    from pipelines.defs import knowledge
    from pipelines.defs.resources import WarehouseResource

    home = paths(tmp_path).ensure()
    write_demo_kb(home.kb)
    _warehouse(home.warehouse, openings).close()
    result = dg.materialize(
        [
            knowledge.kb_articles,
            knowledge.kb_topics,
            knowledge.mart_kb_gaps,
            knowledge.kb_faq_drafts,
            knowledge.mart_kb_uplift,
        ],
        resources={"warehouse": WarehouseResource(home=str(tmp_path))},
        tags={
            "dagster/asset_partition_range_start": START.isoformat(),
            "dagster/asset_partition_range_end": AS_OF.isoformat(),
        },
    )
    assert result.success
    drafts = sorted((home.kb / "drafts").glob("faq-topic-*.md"))
    assert len(drafts) >= 2
    assert any(PLANTED_REPLIES["duet"] in path.read_text() for path in drafts)
    with duckdb.connect(str(home.warehouse), read_only=True) as con:
        (as_of,) = con.execute("select distinct as_of_date from main.mart_kb_gaps").fetchone()
        topics = con.execute("select count(*) from main.kb_topics").fetchone()[0]
    assert as_of == AS_OF and topics >= 10


def _echo_first_reply(body: dict) -> tuple[int, dict, dict]:
    """A model that restates the first reply it was given and cites its conversations."""
    from tests.llm.fake_llm import completion

    first = re.search(r"^\[([^\]]+)\] (.+)$", body["messages"][-1]["content"], re.M)
    assert first is not None
    draft = {
        "question": "How do I fix this?",
        "paragraphs": [{"text": first[2], "sources": first[1].split(", ")}],
    }
    return 200, completion(json.dumps(draft), 300, 60), {}


def test_the_llm_drafter_setting_drafts_through_the_endpoint_and_records_costs(
    tmp_path: Path, openings: pd.DataFrame
) -> None:
    import dagster as dg

    from pipelines.config import Settings, paths
    from pipelines.defs import knowledge
    from pipelines.defs.resources import SettingsConfig, WarehouseResource
    from tests.llm.fake_llm import FakeLLM

    home = paths(tmp_path).ensure()
    write_demo_kb(home.kb)
    _warehouse(home.warehouse, openings).close()
    fake = FakeLLM(respond=_echo_first_reply)
    settings = Settings(
        kb_drafter="llm",
        llm_base_url=fake.url,
        llm_model="tiny",
        llm_requests_per_minute=6000,
        llm_input_usd_per_million_tokens=1.0,
    )
    try:
        result = dg.materialize(
            [
                knowledge.kb_articles,
                knowledge.kb_topics,
                knowledge.mart_kb_gaps,
                knowledge.kb_faq_drafts,
            ],
            resources={
                "warehouse": WarehouseResource(
                    home=str(tmp_path), settings=SettingsConfig.of(settings)
                )
            },
            tags={
                "dagster/asset_partition_range_start": START.isoformat(),
                "dagster/asset_partition_range_end": AS_OF.isoformat(),
            },
        )
    finally:
        fake.close()
    assert result.success
    drafts = sorted((home.kb / "drafts").glob("faq-topic-*.md"))
    assert len(drafts) >= 2 and len(fake.requests) == len(drafts)
    assert all("drafted_by: llm:tiny|kb-faq-draft@1+" in path.read_text() for path in drafts)
    assert any(PLANTED_REPLIES["duet"] in path.read_text() for path in drafts)
    with duckdb.connect(str(home.warehouse), read_only=True) as con:
        usage = con.execute(
            "select conversation_id, prompt_tokens, cost_usd, partition_date "
            "from main.kb_draft_llm_usage order by conversation_id"
        ).fetchall()
    assert [row[0] for row in usage] == [path.stem for path in drafts]
    assert all(row[1:] == (300, pytest.approx(300 / 1e6), AS_OF) for row in usage)


def test_refresh_fits_the_distinct_texts_as_fit_topics_fits_the_rows(
    tmp_path: Path, openings: pd.DataFrame
) -> None:
    """refresh_topics counts the window's distinct openings in DuckDB and never holds a
    row per conversation in Python; the topics and assignments are fit_topics' on the
    rows (tied counts, a text's first sender and its representative included)."""
    con = _warehouse(tmp_path / "warehouse.duckdb", openings)
    rows = conversations_with_openings(con, AS_OF - timedelta(days=FIT_DAYS - 1), AS_OF)
    expected = fit_topics(rows)
    refreshed = refresh_topics(con, [AS_OF])
    assert [(t.topic_id, t.top_terms, t.representative, dict(t.centroid), t.conversations) for t in refreshed.topics] == [
        (t.topic_id, t.top_terms, t.representative, dict(t.centroid), t.conversations) for t in expected.topics
    ]  # fmt: skip
    written = con.execute(
        "select conversation_id, topic_id, similarity from main.kb_topic_assignments "
        "order by conversation_id"
    ).df()
    want = expected.assignments.sort_values("conversation_id", ignore_index=True)
    assert len(written) == len(rows) == refreshed.conversations > 0
    pd.testing.assert_frame_equal(written, want, check_dtype=False)
    assert refreshed.outlier_share == pytest.approx(expected.outlier_share)


def test_gap_rows_counted_in_the_warehouse_are_those_of_the_rows(
    tmp_path: Path, openings: pd.DataFrame
) -> None:
    """rewrite_gaps counts the window in DuckDB and reads only each topic's closest
    unresolved conversations; its rows are gap_rows' on one row per conversation."""
    kb = tmp_path / "kb"
    write_demo_kb(kb)
    con = _warehouse(tmp_path / "warehouse.duckdb", openings)
    refresh_articles(con, kb, datetime.combine(START, time(1), UTC))
    refresh_topics(con, [AS_OF])
    got = rewrite_gaps(con, AS_OF)
    topics, first_seen = read_topics(con)
    live = [topic for topic in topics if topic.conversations]
    first = AS_OF - timedelta(days=FIT_DAYS - 1)
    articles = [article for article, _ in current_articles(read_versions(con))]
    covered = coverage(live, articles, topic_intents(con, first, AS_OF))
    want = gap_rows(topic_outcomes(con, first, AS_OF), live, covered, first_seen, AS_OF)
    assert len(got) == len(want) > 0 and set(got["window_days"]) == {7, FIT_DAYS}
    pd.testing.assert_frame_equal(got.reset_index(drop=True), want.reset_index(drop=True))
