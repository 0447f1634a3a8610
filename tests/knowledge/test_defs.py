"""The knowledge assets materialize on a small data home: versions, lint mart, checks, bot answers."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import dagster as dg
import duckdb
import pandas as pd
import pyarrow as pa

from pipelines.config import Settings, paths
from pipelines.defs import knowledge
from pipelines.defs.resources import SettingsConfig, WarehouseResource
from pipelines.knowledge.demo import write_demo_kb
from pipelines.knowledge.load import kb_lint_summary
from pipelines.warehouse.io import replace_partitions
from pipelines.warehouse.tables import SCRUBBED_CONVERSATIONS, SCRUBBED_EVENTS

DAY = date(2026, 3, 8)
ASSETS = [knowledge.kb_articles, knowledge.mart_kb_lint, knowledge.published_articles_meet_us_norms]


def _resource(home: Path, kb: Path | None = None) -> WarehouseResource:
    loaded = Settings(kb_path=str(kb) if kb else None)
    return WarehouseResource(home=str(home), settings=SettingsConfig.of(loaded))


def _checks(result: dg.ExecuteInProcessResult) -> dict[str, dg.AssetCheckEvaluation]:
    return {
        evaluation.check_name: evaluation for evaluation in result.get_asset_check_evaluations()
    }


def _query(home: Path, sql: str) -> pd.DataFrame:
    with duckdb.connect(str(paths(home).warehouse), read_only=True) as con:
        return con.execute(sql).df()


def test_articles_are_versioned_linted_and_checked(tmp_path: Path) -> None:
    home = tmp_path / "home"
    kb = paths(home).kb
    write_demo_kb(kb)
    (kb / "broken.md").write_text("---\nid: [unclosed\n---\nbody\n")
    resource = _resource(home)

    first = dg.materialize(ASSETS, partition_key=DAY.isoformat(), resources={"warehouse": resource})
    assert first.success
    checks = _checks(first)
    # The broken file fails the load check and names itself; the others still load.
    assert not checks[knowledge.LOAD_CHECK].passed
    assert "broken.md" in (checks[knowledge.LOAD_CHECK].description or "")
    # The demo KB has non-US articles with error findings.
    assert not checks[knowledge.NORMS_CHECK].passed
    versions = _query(home, "select * from kb_article_versions")
    assert len(versions) == 20 and set(versions["version"]) == {1}
    lint = _query(home, "select * from mart_kb_lint")
    assert {"spelling", "date", "currency"} <= set(lint["category"])
    assert set(lint["article_id"]) <= set(versions["article_id"])

    # An edit makes version 2 of that article only; the old version keeps its findings.
    article = kb / "password-reset.md"
    article.write_text(article.read_text() + "\nEnter the postcode on your account.\n")
    (kb / "broken.md").unlink()
    second = dg.materialize(
        ASSETS, partition_key=DAY.isoformat(), resources={"warehouse": resource}
    )
    assert second.success and _checks(second)[knowledge.LOAD_CHECK].passed
    versions = _query(home, "select * from kb_article_versions order by article_id, version")
    assert len(versions) == 21
    edited = versions[versions["article_id"] == "kb-password-reset"]
    assert list(edited["version"]) == [1, 2]
    assert list(edited["is_current"]) == [False, True]
    assert edited["content_hash"].nunique() == 2
    unchanged = versions[versions["article_id"] != "kb-password-reset"]
    assert (unchanged["last_seen"] > unchanged["first_seen"]).all()
    lint = _query(home, "select * from mart_kb_lint where article_id = 'kb-password-reset'")
    assert "address" in set(lint[lint["version"] == 2]["category"])
    assert "address" not in set(lint[lint["version"] == 1]["category"])
    with duckdb.connect(str(paths(home).warehouse), read_only=True) as con:
        summary = kb_lint_summary(con)
    assert summary["findings"].sum() == len(
        _query(
            home,
            "select * from mart_kb_lint join kb_article_versions using (article_id, version) "
            "where is_current",
        )
    )


def test_kb_path_setting_and_a_missing_folder_keep_the_table(tmp_path: Path) -> None:
    home, elsewhere = tmp_path / "home", tmp_path / "team-kb"
    write_demo_kb(elsewhere)
    assert dg.materialize(
        ASSETS, partition_key=DAY.isoformat(), resources={"warehouse": _resource(home, elsewhere)}
    ).success
    assert len(_query(home, "select * from kb_article_versions where is_current")) == 20
    # The folder disappears (an unmounted share): nothing is marked deleted.
    result = dg.materialize(
        ASSETS,
        partition_key=DAY.isoformat(),
        resources={"warehouse": _resource(home, tmp_path / "missing")},
    )
    assert result.success
    assert len(_query(home, "select * from kb_article_versions where is_current")) == 20


def _scrubbed_day(resource: WarehouseResource) -> None:
    conversations = pa.table(
        {
            "partition_date": [DAY, DAY, DAY],
            "conversation_id": ["c1", "c2", "c3"],
            "source": ["synth"] * 3,
            "started_at": [datetime(2026, 3, 8, 10, tzinfo=UTC)] * 3,
            "locale": ["en-US", "en-US", "es-US"],
        }
    )
    texts = [
        ("c1", "bot", "Ring us on 0345 600 1234 to cancel."),
        ("c2", "bot", "Ring us on 0345 600 1234 to cancel."),
        ("c2", "bot", "Your refund arrives in 5 business days."),
        ("c2", "customer", "my colour setting is broken"),
        ("c3", "bot", "Llámenos al 0345 600 1234."),
    ]
    events = pa.table(
        {
            "partition_date": [DAY] * len(texts),
            "conversation_id": [c for c, _, _ in texts],
            "seq": list(range(len(texts))),
            "sent_at": [datetime(2026, 3, 8, 10, tzinfo=UTC)] * len(texts),
            "actor": [a for _, a, _ in texts],
            "event_type": ["message"] * len(texts),
            "text": [t for _, _, t in texts],
        }
    )
    with resource.connect() as con:
        for table, rows in ((SCRUBBED_CONVERSATIONS, conversations), (SCRUBBED_EVENTS, events)):
            missing = [f for f in table.columns if f.name not in rows.column_names]
            for field in missing:
                rows = rows.append_column(field, pa.nulls(rows.num_rows, field.type))
            replace_partitions(con, table, rows, [DAY])


def test_bot_answers_are_linted_per_day_with_times_sent(tmp_path: Path) -> None:
    resource = _resource(tmp_path)
    _scrubbed_day(resource)
    for _ in range(2):  # idempotent: the day is replaced
        result = dg.materialize(
            [knowledge.mart_bot_answer_lint],
            partition_key=DAY.isoformat(),
            resources={"warehouse": resource},
        )
        assert result.success
    rows = _query(tmp_path, "select * from mart_bot_answer_lint")
    # Only the English bot answer with non-US conventions; customer text and the
    # Spanish answer are not linted, the clean answer has no finding.
    assert set(rows["answer_text"]) == {"Ring us on 0345 600 1234 to cancel."}
    assert set(rows["times_sent"]) == {2}
    assert {"phone", "vocabulary"} <= set(rows["category"])
    assert (pd.to_datetime(rows["partition_date"]).dt.date == DAY).all()
