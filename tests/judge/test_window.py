"""judge_window judges a day in batches of whole conversations: any batch size writes the
same judgements and LLM usage as one batch of the whole day."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa
import pytest

from pipelines.judge.load import judge_batch_size, judge_window
from pipelines.judge.signals import SignalsJudge
from pipelines.warehouse.io import replace_partitions
from pipelines.warehouse.tables import SCRUBBED_CONVERSATIONS, SCRUBBED_EVENTS
from tests.judge.test_llm_judge import answer, judge_for
from tests.llm.fake_llm import FakeLLM

DAY = date(2026, 1, 5)
TURNS = [
    [
        ("customer", "my card payment failed"),
        ("bot", "I reset the card limit, try again now."),
        ("customer", "thanks, that fixed it"),
    ],
    [
        ("customer", "book a table for two"),
        ("bot", "Sorry, I'm unable to make that reservation."),
        ("customer", "ok"),
    ],
    [("customer", "agent please"), ("bot", "Let me get a human for you.")],
    [
        ("customer", "where is my order"),
        ("bot", "It arrives Friday."),
        ("customer", "where is my order"),
    ],
]
INTENTS = ("billing", "booking", "orders")


def _warehouse(path: Path, n: int = 23) -> Path:
    """``n`` conversations on DAY (ids out of order in the table), a few intents."""
    start = datetime(2026, 1, 5, 9, tzinfo=UTC)
    ids = [f"c{(i * 7) % n:03d}" for i in range(n)]
    headers = [
        {"partition_date": DAY, "conversation_id": cid, "source": "t", "started_at": start,
         "intent": INTENTS[i % 3] if i % 5 else None}
        for i, cid in enumerate(ids)
    ]  # fmt: skip
    events = [
        {"partition_date": DAY, "conversation_id": cid, "seq": seq, "actor": actor,
         "event_type": "message", "text": text, "sent_at": start + timedelta(seconds=seq)}
        for i, cid in enumerate(ids)
        for seq, (actor, text) in reversed(list(enumerate(TURNS[i % len(TURNS)])))
    ]  # fmt: skip
    with duckdb.connect(str(path)) as con:
        replace_partitions(
            con, SCRUBBED_CONVERSATIONS, pa.Table.from_pylist(headers, schema=SCRUBBED_CONVERSATIONS.columns), [DAY]
        )  # fmt: skip
        replace_partitions(
            con, SCRUBBED_EVENTS, pa.Table.from_pylist(events, schema=SCRUBBED_EVENTS.columns), [DAY]
        )  # fmt: skip
    return path


def _judged(tmp_path: Path, name: str, judges: list, batch: int) -> tuple[pd.DataFrame, ...]:
    path = _warehouse(tmp_path / f"{name}.duckdb")
    scratch = tmp_path / f"scratch-{name}"
    scratch.mkdir()
    with duckdb.connect(str(path)) as con:
        summary = judge_window(con, [DAY], judges, scratch=scratch, batch_conversations=batch)
        judgements = con.execute("select * from main.conversation_judgements").df()
        # Which calls were served from the cache (cost 0) depends on timing: the judge's
        # threads may send two identical prompts before either answer is cached. The
        # calls themselves (who, which model and prompt, tokens) do not.
        usage = con.execute(
            "select * exclude (conversation_id, cost_usd, cached) from main.llm_usage order by all"
        ).df()
    assert summary.rows == len(judgements)
    assert list(scratch.iterdir()) == []  # the batches' file is removed once inserted
    return judgements, usage, pd.DataFrame(summary.verdicts)


def test_signals_in_batches_equal_one_batch(tmp_path: Path) -> None:
    whole = _judged(tmp_path, "whole", [SignalsJudge()], batch=1_000)
    assert len(whole[0]) == 23 and whole[0]["conversation_id"].is_monotonic_increasing
    for batch in (1, 4, 22):
        for got, expected in zip(_judged(tmp_path, f"b{batch}", [SignalsJudge()], batch), whole, strict=True):  # fmt: skip
            pd.testing.assert_frame_equal(got, expected)


@pytest.fixture
def server():
    fake = FakeLLM(respond=answer)
    yield fake
    fake.close()


def test_sampled_llm_judge_draws_its_sample_from_the_whole_day(server, tmp_path: Path) -> None:
    """The sample is the day's (per intent), not each batch's: batches give the same rows."""

    def judges(name: str) -> list:  # a cache of its own: cached answers cost nothing
        (tmp_path / name).mkdir()
        return [SignalsJudge(), judge_for(server.url, tmp_path / name, sample_rate=0.3)]

    whole = _judged(tmp_path, "whole", judges("whole"), batch=1_000)
    llm = whole[0].loc[whole[0]["judge"] == "llm"]
    # ceil(0.3 x n) per intent stratum: 4 + 2 + 2 + 2 of 4 / 7 / 6 / 6 conversations
    assert 0 < len(llm) < 23 and len(whole[1]) == len(llm)
    for got, expected in zip(_judged(tmp_path, "b2", judges("b2"), batch=2), whole, strict=True):
        pd.testing.assert_frame_equal(got, expected)


def test_batch_size_follows_the_memory_budget() -> None:
    assert judge_batch_size(4096) > judge_batch_size(2048) > judge_batch_size(1024)
    assert judge_batch_size(512) >= 10_000
