"""Materialize the judge assets against a small data home: the judgements of a
partition, the optional LLM second opinion, and the trust gate behind the verified rung."""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import dagster as dg
import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipelines.config import Settings, paths
from pipelines.defs.judge import conversation_judgements, judge_marts, learned_judge_model
from pipelines.defs.partitions import daily_partitions
from pipelines.defs.resources import SettingsConfig, WarehouseResource
from pipelines.monitoring.report import ReportData, judge_status, render_report
from pipelines.warehouse.io import replace_partitions, replace_table
from pipelines.warehouse.tables import (
    ANNOTATION_LABELS,
    ANNOTATION_SAMPLE,
    CONVERSATION_JUDGEMENTS,
    SCRUBBED_CONVERSATIONS,
    SCRUBBED_EVENTS,
)
from tests.judge.test_learned import corpus, human_labels
from tests.llm.fake_llm import FakeLLM, completion

DAY1, DAY2 = date(2026, 1, 5), date(2026, 1, 6)
RESOLVED = [("customer", "my card payment failed"), ("bot", "I reset the card limit, please try again now."), ("customer", "thanks, that fixed it")]  # fmt: skip
FAILED = [("customer", "book a table for two tonight"), ("bot", "Sorry, I'm unable to make that reservation, the restaurant is fully booked."), ("customer", "ok")]  # fmt: skip
EMAIL = [("customer", "send the receipt to <EMAIL_1> please"), ("bot", "Done, the receipt has been sent successfully."), ("customer", "great, thank you")]  # fmt: skip
SCRUBBED = {DAY1: {"c_fixed": RESOLVED, "c_failed": FAILED, "c_email": EMAIL}, DAY2: {"c_day2": RESOLVED}}  # fmt: skip
# What the restricted raw store holds for the same conversations: were it read,
# c_fixed would read unresolved, and the real address would reach the LLM.
RAW_TEXT = {"c_fixed": "still not working, this is useless", "c_email": "ana.perez@example.com"}
UPSTREAM = [
    dg.AssetSpec(key, partitions_def=daily_partitions)
    for key in (["scrubbed", "conversations"], ["scrubbed", "events"])
]


def _tables(
    day: date, conversations: dict[str, list[tuple[str, str]]]
) -> tuple[pa.Table, pa.Table]:
    start = datetime(day.year, day.month, day.day, 9, tzinfo=UTC)
    headers = [
        {"partition_date": day, "conversation_id": cid, "source": "test", "started_at": start, "intent": "billing"}
        for cid in conversations
    ]  # fmt: skip
    events = [
        {"partition_date": day, "conversation_id": cid, "seq": seq, "actor": actor,
         "event_type": "message", "text": text, "sent_at": start + timedelta(seconds=10 * seq)}
        for cid, turns in conversations.items()
        for seq, (actor, text) in enumerate(turns)
    ]  # fmt: skip
    return (
        pa.Table.from_pylist(headers, schema=SCRUBBED_CONVERSATIONS.columns),
        pa.Table.from_pylist(events, schema=SCRUBBED_EVENTS.columns),
    )


def make_home(tmp_path: Path) -> Path:
    """Scrubbed tables in the warehouse, and a raw store with the unscrubbed text."""
    home = paths(tmp_path).ensure()
    with duckdb.connect(str(home.warehouse)) as con:
        for day, conversations in SCRUBBED.items():
            headers, events = _tables(day, conversations)
            replace_partitions(con, SCRUBBED_CONVERSATIONS, headers, [day])
            replace_partitions(con, SCRUBBED_EVENTS, events, [day])
    raw = home.raw_day(DAY1)
    raw.mkdir(parents=True)
    _, events = _tables(DAY1, SCRUBBED[DAY1])
    texts = [
        RAW_TEXT.get(cid, text) if actor == "customer" else text
        for cid, actor, text in zip(
            events["conversation_id"].to_pylist(), events["actor"].to_pylist(), events["text"].to_pylist(), strict=True
        )
    ]  # fmt: skip
    pq.write_table(events.set_column(6, "text", pa.array(texts)), raw / "events.parquet")
    return tmp_path


def resource(home: Path, **settings: object) -> WarehouseResource:
    return WarehouseResource(home=str(home), settings=SettingsConfig.of(Settings(**settings)))  # type: ignore[arg-type]


@dataclasses.dataclass
class Run:
    success: bool
    log: str  # every log line and event of the run, Dagster's and the asset's own


def judge_day(warehouse: WarehouseResource, day: date) -> Run:
    instance = dg.DagsterInstance.ephemeral()
    result = dg.materialize(
        [*UPSTREAM, learned_judge_model, conversation_judgements],
        selection=[conversation_judgements],
        partition_key=day.isoformat(),
        resources={"warehouse": warehouse},
        instance=instance,
    )
    log = "\n".join(
        f"{entry.user_message} {entry.dagster_event or ''}"  # materialization metadata too
        for entry in instance.all_logs(result.run_id)
    )
    return Run(result.success, log)


def rows(home: Path, table: str = "main.conversation_judgements") -> pd.DataFrame:
    with duckdb.connect(str(paths(home).warehouse), read_only=True) as con:
        return con.execute(f"select * from {table} order by all").df()


def test_judgements_per_partition_from_scrubbed_text_and_idempotent(tmp_path: Path) -> None:
    home = make_home(tmp_path)
    warehouse = resource(home)
    assert judge_day(warehouse, DAY1).success
    first = rows(home)
    assert judge_day(warehouse, DAY1).success  # a re-run replaces the partition
    pd.testing.assert_frame_equal(rows(home), first)
    assert judge_day(warehouse, DAY2).success
    judged = rows(home).set_index("conversation_id")
    assert sorted(judged.index) == ["c_day2", "c_email", "c_failed", "c_fixed"]
    assert set(judged["judge"]) == {"signals"} and set(judged["judge_version"]) == {"signals-1"}
    # The scrubbed text decides: the raw store's complaint for c_fixed was never read.
    assert judged.loc["c_fixed", "verdict"] == "resolved"
    assert judged.loc["c_failed", "verdict"] == "unresolved"
    assert "failure_notice" in list(judged.loc["c_failed", "reasons"])
    assert str(judged.loc["c_day2", "partition_date"])[:10] == DAY2.isoformat()
    # the first day's rows survived the second day's run untouched
    day1 = rows(home).query("conversation_id != 'c_day2'").reset_index(drop=True)
    pd.testing.assert_frame_equal(day1, first)


def test_learned_judge_configured_but_untrained_leaves_a_warning_not_a_failure(
    tmp_path: Path,
) -> None:
    home = make_home(tmp_path)
    warehouse = resource(home, judge="learned")
    trained = dg.materialize([*UPSTREAM, dg.AssetSpec("annotations"), learned_judge_model],
                             selection=[learned_judge_model], resources={"warehouse": warehouse},
                             partition_key=DAY1.isoformat())  # fmt: skip
    (materialization,) = trained.asset_materializations_for_node("learned_judge_model")
    assert "not trained" in materialization.metadata["status"].value
    result = judge_day(warehouse, DAY1)
    assert result.success
    assert set(rows(home)["judge"]) == {"signals"}  # no learned verdicts, hence none verified
    assert "learned judge unavailable" in result.log


@pytest.fixture
def fake_llm() -> FakeLLM:
    answer = {"verdict": "resolved", "confidence": 0.8, "reasons": ["customer_confirmed"], "evidence": [2]}  # fmt: skip
    server = FakeLLM(lambda body: (200, completion(json.dumps(answer)), {}))
    yield server
    server.close()


def test_llm_second_opinion_sees_only_scrubbed_text_and_records_cost(
    tmp_path: Path, fake_llm: FakeLLM, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = make_home(tmp_path)
    monkeypatch.setenv("CLOSEDLOOP_LLM_API_KEY", "sk-test-secret-key")
    warehouse = resource(
        home,
        llm_base_url=fake_llm.url,
        llm_model="test-model",
        llm_judge_sample_rate=1.0,
        llm_requests_per_minute=6000.0,
        llm_input_usd_per_million_tokens=1.0,
        llm_output_usd_per_million_tokens=2.0,
    )
    result = judge_day(warehouse, DAY1)
    assert result.success
    judged = rows(home)
    assert judged.groupby("judge").size().to_dict() == {"llm": 3, "signals": 3}
    sent = json.dumps(fake_llm.requests)
    assert "<EMAIL_1>" in sent and "example.com" not in sent and "useless" not in sent
    assert fake_llm.headers[0]["Authorization"] == "Bearer sk-test-secret-key"
    assert "test-model" in result.log and "sk-test-secret-key" not in result.log
    usage = rows(home, "main.llm_usage")
    assert len(usage) == 3 and not usage["cached"].any()
    assert usage["cost_usd"].tolist() == pytest.approx([(120 * 1.0 + 30 * 2.0) / 1e6] * 3)

    assert judge_day(warehouse, DAY1).success  # re-run: answers come from the cache
    assert len(fake_llm.requests) == 3
    usage = rows(home, "main.llm_usage")
    assert len(usage) == 3 and usage["cached"].all() and usage["cost_usd"].sum() == 0
    assert len(rows(home)) == 6


def test_unreachable_llm_is_skipped_with_a_warning(tmp_path: Path) -> None:
    home = make_home(tmp_path)
    closed = FakeLLM(lambda body: (200, {}, {}))
    url = closed.url
    closed.close()  # nothing listens there any more
    warehouse = resource(home, llm_base_url=url, llm_model="m", llm_judge_sample_rate=1.0,
                         llm_timeout_seconds=1.0)  # fmt: skip
    result = judge_day(warehouse, DAY1)
    assert result.success
    assert set(rows(home)["judge"]) == {"signals"}
    assert "llm judge: skipped 3 of 3" in result.log


# ---------------------------------------------------------------- trust gate


def _labeled_warehouse(home: Path, human_agrees: bool) -> None:
    """60 judged conversations with two labelers each; humans agree with the signals
    judge on every one, or on none."""
    ids = [f"c{i:02d}" for i in range(60)]
    said = ["resolved" if i % 3 else "unresolved" for i in range(60)]
    judgements = pd.DataFrame(
        {
            "partition_date": DAY1, "conversation_id": ids, "judge": "signals",
            "judge_version": "signals-1", "verdict": said, "score": 0.5,
            "reasons": [[] for _ in ids], "evidence": [[] for _ in ids],
        }
    )  # fmt: skip
    human = [("yes" if (verdict == "resolved") == human_agrees else "no") for verdict in said]
    labels = pd.DataFrame(
        [
            {"batch_id": "b1", "guideline_version": "1", "item_id": cid, "annotator_id": who,
             "field": "resolved", "value": value, "is_gold": False, "is_adjudication": False,
             "imported_at": datetime(2026, 1, 7, tzinfo=UTC)}
            for cid, value in zip(ids, human, strict=True)
            for who in ("a1", "a2")
        ]
    )  # fmt: skip
    fct = pd.DataFrame(
        {"conversation_id": ids, "conversation_date": DAY1, "intent": "billing",
         "locale": "en-US", "bot_version": "v1"}
    )  # fmt: skip
    daily = pd.DataFrame({"conversation_date": [DAY1], "verified_resolved": [33], "bot_involved": [60]})  # fmt: skip
    with duckdb.connect(str(paths(home).ensure().warehouse)) as con:
        replace_partitions(con, CONVERSATION_JUDGEMENTS, pa.Table.from_pandas(judgements), [DAY1])
        replace_table(con, ANNOTATION_LABELS, labels)
        replace_table(con, ANNOTATION_SAMPLE, ANNOTATION_SAMPLE.columns.empty_table())
        con.register("fct", fct)
        con.register("daily", daily)
        con.execute("create table main.fct_conversations as select * from fct")
        con.execute("create table main.mart_resolution_daily as select * from daily")


def _marts(home: Path) -> dg.ExecuteInProcessResult:
    specs = [dg.AssetSpec(k) for k in ("annotations", "annotation_sample", "fct_conversations")]
    return dg.materialize(
        [*specs, *UPSTREAM, learned_judge_model, conversation_judgements, judge_marts],
        selection=[judge_marts],
        partition_key=DAY1.isoformat(),
        resources={"warehouse": resource(home)},
    )


def _report(home: Path) -> str:
    with duckdb.connect(str(paths(home).warehouse), read_only=True) as con:
        status = judge_status(con, DAY1)

    def empty(*columns: str) -> pd.DataFrame:
        return pd.DataFrame(columns=list(columns))

    data = ReportData(
        day=DAY1,
        daily=empty("date", "is_final"),
        anomalies=pd.DataFrame(),
        movers=pd.DataFrame(),
        handoff_reasons=empty("handoff_reason", "conversations"),
        csat_scores=empty("csat_score", "conversations"),
        intents=empty("intent", "n", "durable_resolved"),
        judge=status,
    )
    return render_report(data)


def test_verified_rung_is_shown_only_while_the_judge_is_trusted(tmp_path: Path) -> None:
    trusted_home, untrusted_home = tmp_path / "agree", tmp_path / "disagree"
    for home, agrees in ((trusted_home, True), (untrusted_home, False)):
        _labeled_warehouse(home, agrees)
        result = _marts(home)
        (check,) = result.get_asset_check_evaluations()
        assert check.passed is agrees
        trust = rows(home, "main.judge_trust")
        assert trust[["judge", "in_force", "trusted", "n"]].values.tolist() == [
            ["signals", True, agrees, 60]
        ]
        agreement = rows(home, "main.mart_judge_agreement")
        pooled = agreement.loc[agreement["week"].isna() & (agreement["slice"] == "all")]
        assert pooled["accuracy"].tolist() == [1.0 if agrees else 0.0]
    shown, hidden = _report(trusted_home), _report(untrusted_home)
    assert "Verified resolution" in shown and "55.0%" in shown  # 33 / 60
    assert "Verified resolution is not shown" not in shown
    assert "Verified resolution is not shown" in hidden and "is not trusted" in hidden
    assert "55.0%" not in hidden


def test_learned_judge_trains_judges_and_is_trusted_by_its_cross_validation(
    tmp_path: Path,
) -> None:
    conversations, truth = corpus(260)
    home = paths(tmp_path).ensure()
    labels = human_labels(truth)
    labels = labels.assign(imported_at=datetime(2026, 1, 7, tzinfo=UTC))
    with duckdb.connect(str(home.warehouse)) as con:
        headers, events = _tables(DAY1, conversations)
        replace_partitions(con, SCRUBBED_CONVERSATIONS, headers, [DAY1])
        replace_partitions(con, SCRUBBED_EVENTS, events, [DAY1])
        replace_table(con, ANNOTATION_LABELS, labels)
        replace_table(con, ANNOTATION_SAMPLE, ANNOTATION_SAMPLE.columns.empty_table())
        fct = pd.DataFrame({"conversation_id": list(conversations), "conversation_date": DAY1,
                            "intent": "billing", "locale": "en-US", "bot_version": "v1"})  # fmt: skip
        con.register("fct", fct)
        con.execute("create table main.fct_conversations as select * from fct")
    warehouse = resource(tmp_path, judge="learned", learned_min_labels=200)
    specs = [dg.AssetSpec(k) for k in ("annotations", "annotation_sample", "fct_conversations")]
    assets = [*specs, *UPSTREAM, learned_judge_model, conversation_judgements, judge_marts]
    trained = dg.materialize(assets, selection=[learned_judge_model], resources={"warehouse": warehouse},
                             partition_key=DAY1.isoformat())  # fmt: skip
    (materialization,) = trained.asset_materializations_for_node("learned_judge_model")
    version = materialization.metadata["version"].value
    assert materialization.metadata["trained_now"].value is True
    assert judge_day(warehouse, DAY1).success
    judged = rows(tmp_path)
    assert judged.groupby("judge").size().to_dict() == {"learned": 260, "signals": 260}
    assert set(judged.loc[judged["judge"] == "learned", "judge_version"]) == {version}
    assert dg.materialize(
        assets,
        selection=[judge_marts],
        partition_key=DAY1.isoformat(),
        resources={"warehouse": warehouse},
    ).success
    trust = rows(tmp_path, "main.judge_trust").set_index("judge")
    learned = trust.loc["learned"]
    assert bool(learned["in_force"]) and learned["judge_version"] == version
    assert "cross-validated" in learned["message"]  # not its verdicts on its training labels
    assert learned["n"] == materialization.metadata["n_labels"].value
    assert learned["gwet_ac1_ci_low"] == pytest.approx(
        materialization.metadata["cv_gwet_ac1_ci_low"].value
    )
    assert not bool(trust.loc["signals", "in_force"])
    # The agreement mart measures it on its out-of-fold verdicts too, so it reports the
    # cross-validated agreement, not the one on the labels it was fitted to.
    agreement = rows(tmp_path, "main.mart_judge_agreement")
    pooled = agreement.loc[
        agreement["week"].isna() & (agreement["slice"] == "all") & (agreement["judge"] == "learned")
    ].iloc[0]
    assert pooled["n_cross_validated"] == pooled["n"] == learned["n"]
    assert pooled["gwet_ac1"] == pytest.approx(materialization.metadata["cv_gwet_ac1"].value)
    assert pooled["cohen_kappa"] == pytest.approx(materialization.metadata["cv_cohen_kappa"].value)
    # retraining on unchanged labels is a no-op
    again = dg.materialize(assets, selection=[learned_judge_model], resources={"warehouse": warehouse},
                             partition_key=DAY1.isoformat())  # fmt: skip
    (second,) = again.asset_materializations_for_node("learned_judge_model")
    assert second.metadata["trained_now"].value is False
    assert second.metadata["version"].value == version
