"""`closedloop demo`'s publish-and-measure step on small sizes: the first half of the
days runs, the planted duet topic's draft is published as a reviewer would, the later
days (on which the generator's bot answers that topic) run, and the article's
``mart_kb_uplift`` row is printed and stored."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import pytest

from pipelines.config import paths

pytestmark = pytest.mark.e2e
CLI = Path(sys.executable).with_name("closedloop")
DAYS = 6


def test_the_demo_publishes_a_draft_and_measures_its_uplift(tmp_path: Path) -> None:
    home = tmp_path / "demo"
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLOSEDLOOP_")}
    result = subprocess.run(
        [
            str(CLI),
            "demo",
            "--days",
            str(DAYS),
            "--per-day",
            "500",
            "--no-incident",
            "--home",
            str(home),
        ],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    terminal = result.stdout + result.stderr
    assert result.returncode == 0, terminal[-3000:]
    assert "1/4 generating" in terminal and "4/4 done" in terminal
    assert "no draft answers the planted" not in terminal, terminal[-3000:]
    end = datetime.now(UTC).date() - timedelta(days=1)
    publish_day = end - timedelta(days=DAYS // 2 - 1)
    drafts = list((home / "kb" / "drafts").glob("faq-*.md"))
    published = [path for path in drafts if "status: published" in path.read_text()]
    assert len(published) == 1, terminal[-3000:]
    article_id = published[0].stem
    assert article_id in terminal and "mart_kb_uplift" in terminal
    con = duckdb.connect(str(paths(home).analytics), read_only=True)
    try:
        rows = con.execute(
            "select published_date, window_days, n_before, n_after, rate_before, rate_after, "
            "diff_in_diff from main.mart_kb_uplift where article_id = ? "
            "and as_of_date = (select max(as_of_date) from main.mart_kb_uplift)",
            [article_id],
        ).fetchall()
    finally:
        con.close()
    ((published_date, window, n_before, n_after, before, after, diff_in_diff),) = rows
    assert published_date == publish_day and window == DAYS // 2
    assert n_before > 0 and n_after > 0
    # The generator's bot answers the topic from the publish day: its rate rises, more
    # than the other topics' (the planted refund incident is off).
    assert after > before and diff_in_diff > 0
