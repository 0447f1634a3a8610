"""kb_topics night by night: the stored model assigns only the run's days, a fit sees a
bounded sample, refits come from age or drift, and the same warehouse gives the same
topics and assignments."""

from __future__ import annotations

import shutil
from datetime import timedelta
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from sklearn.cluster import KMeans

from pipelines.knowledge.gap_load import read_model, refresh_topics
from pipelines.knowledge.topics import TopicParams, clean

from .test_gap_load import DAYS, FIT_DAYS, START, _warehouse
from .topic_data import planted_openings, synthetic_openings

DAY = [START + timedelta(days=offset) for offset in range(DAYS)]
# ~200 conversations a day: a one-day vocabulary misses many of the next day's words, so
# the drift rule would refit often; tests of the other rules switch it off.
STEADY = TopicParams(refit_drift=1.0)


@pytest.fixture(scope="module")
def openings(tmp_path_factory: pytest.TempPathFactory) -> pd.DataFrame:
    root: Path = tmp_path_factory.mktemp("nightly")
    generated = synthetic_openings(root, START, days=DAYS, per_day=200, seed=11)
    # The duet topic only from day 8 on: something the first days' model never saw.
    planted = planted_openings("duet", 150, DAY[7], 3, seed=5)
    return pd.concat([generated, planted], ignore_index=True)


def _table(con: duckdb.DuckDBPyConnection, name: str, order: str) -> pd.DataFrame:
    return con.execute(f"select * from {name} order by {order}").df()


def _assignments(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    rows = _table(con, "main.kb_topic_assignments", "conversation_id")
    return rows.assign(conversation_date=rows["conversation_date"].dt.date)


def test_a_night_assigns_only_its_day_with_the_stored_model(
    tmp_path: Path, openings: pd.DataFrame
) -> None:
    con = _warehouse(tmp_path / "w.duckdb", openings)
    first = refresh_topics(con, [DAY[3]], STEADY)
    assert first.refit == "no model" and first.days[-1] == DAY[3] and len(first.days) == FIT_DAYS
    before = _assignments(con)
    model, fitted_on = read_model(con) or (None, None)
    assert model is not None and fitted_on == DAY[3]

    second = refresh_topics(con, [DAY[4]], STEADY)
    assert second.refit is None and second.days == [DAY[4]] and second.texts_fitted == 0
    after = _assignments(con)
    # The days already assigned are untouched; the new day is assigned by the model.
    old = after[after["conversation_date"] <= DAY[3]].reset_index(drop=True)
    pd.testing.assert_frame_equal(old, before)
    day = openings[openings["conversation_date"] == DAY[4]]
    assert second.conversations == len(day) == int((after["conversation_date"] == DAY[4]).sum())
    expected = model.assign([clean(text) for text in day["text"]])
    got = after.set_index("conversation_id").loc[day["conversation_id"]]
    assert list(got["topic_id"].fillna("-")) == list(expected["topic_id"].fillna("-"))
    assert got["similarity"].to_numpy() == pytest.approx(expected["similarity"].to_numpy())
    # An opening sent on both days has one topic and similarity: the model's, not the day's.
    both = (
        after.merge(openings[["conversation_id", "text"]], on="conversation_id")
        .groupby("text")[["topic_id", "similarity"]]
        .nunique(dropna=False)
    )
    assert (both <= 1).all().all()
    assert (read_model(con) or (None, None))[1] == DAY[3]  # no refit


def test_the_model_is_refitted_when_old_or_when_the_days_drift(
    tmp_path: Path, openings: pd.DataFrame
) -> None:
    con = _warehouse(tmp_path / "w.duckdb", openings)
    refresh_topics(con, [DAY[0]], STEADY, refit_days=3)
    assert refresh_topics(con, [DAY[1]], STEADY, refit_days=3).refit is None
    assert refresh_topics(con, [DAY[2]], STEADY, refit_days=3).refit is None
    aged = refresh_topics(con, [DAY[3]], STEADY, refit_days=3)
    assert aged.refit is not None and aged.refit.startswith("fitted on")
    model, fitted_on = read_model(con) or (None, None)
    assert model is not None and fitted_on == DAY[3]
    # Day 8 brings a topic the model never saw: its conversations fit loosely, so with a
    # margin that day 7 stays under, day 8 refits before the model is old, and the new
    # model describes the new texts better than the old one did.
    calm = refresh_topics(con, [DAY[6]], STEADY, refit_days=7)
    assert calm.refit is None and calm.days == DAY[4:7]  # days 5-6 never ran: assigned too
    margin = calm.loose_share - model.loose_share + 0.02
    drifted = refresh_topics(con, [DAY[7]], TopicParams(refit_drift=margin), refit_days=7)
    assert drifted.refit is not None and drifted.refit.startswith("drift")
    refitted, fitted_on = read_model(con) or (None, None)
    assert refitted is not None and fitted_on == DAY[7]
    duet = openings[
        openings["conversation_id"].str.startswith("duet")
        & (openings["conversation_date"] == DAY[7])
    ]
    texts = [clean(text) for text in duet["text"]]
    before, after = model.assign(texts)["similarity"], refitted.assign(texts)["similarity"]
    assert after.mean() > before.mean()
    # 0 days: every run refits.
    assert refresh_topics(con, [DAY[8]], STEADY, refit_days=0).refit is not None


def test_a_fit_sees_at_most_fit_sample_texts_whatever_the_window(
    tmp_path: Path, openings: pd.DataFrame, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[int] = []
    fit = KMeans.fit

    def spy(self: KMeans, matrix, *args, **kwargs):  # type: ignore[no-untyped-def]
        seen.append(matrix.shape[0])
        return fit(self, matrix, *args, **kwargs)

    monkeypatch.setattr(KMeans, "fit", spy)
    con = _warehouse(tmp_path / "w.duckdb", openings)
    params = TopicParams(fit_sample=300)
    for day, window in ((DAY[0], 1), (DAY[4], 5), (DAY[9], 10)):
        seen.clear()
        refreshed = refresh_topics(con, [day], params=params, refit_days=0)
        distinct = openings.loc[openings["conversation_date"].between(DAY[0], day), "text"].map(
            clean
        )
        assert refreshed.texts_fitted == min(params.fit_sample, distinct[distinct != ""].nunique())
        assert seen and max(seen) <= params.fit_sample, (window, seen)
    # The window's texts are still all assigned (the first night: every day of it).
    assert len(_assignments(con)) == len(openings)


def test_the_same_warehouse_gives_the_same_topics_and_assignments(
    tmp_path: Path, openings: pd.DataFrame
) -> None:
    con = _warehouse(tmp_path / "a.duckdb", openings)
    refresh_topics(con, [DAY[2]], params=TopicParams(fit_sample=400))
    con.close()
    shutil.copyfile(tmp_path / "a.duckdb", tmp_path / "b.duckdb")
    results = []
    for name in ("a", "b"):
        with duckdb.connect(str(tmp_path / f"{name}.duckdb")) as con:
            for day in DAY[3:9]:  # a refit by age on day 9 (7 days after day 3)
                refresh_topics(con, [day], params=TopicParams(fit_sample=400))
            results.append(
                [
                    _assignments(con),
                    _table(con, "main.kb_topics", "topic_id"),
                    _table(con, "main.kb_topic_model", "fitted_on"),
                ]
            )
    for left, right in zip(*results, strict=True):
        pd.testing.assert_frame_equal(left, right)
    # Running a night again changes nothing.
    with duckdb.connect(str(tmp_path / "a.duckdb")) as con:
        refresh_topics(con, [DAY[8]], params=TopicParams(fit_sample=400))
        pd.testing.assert_frame_equal(_assignments(con), results[0][0])
        pd.testing.assert_frame_equal(_table(con, "main.kb_topics", "topic_id"), results[0][1])


def test_runs_over_several_days_assign_all_of_them(tmp_path: Path, openings: pd.DataFrame) -> None:
    con = _warehouse(tmp_path / "w.duckdb", openings)
    refresh_topics(con, [DAY[5]])
    lookback = refresh_topics(con, DAY[6:9])
    assert lookback.days == DAY[6:9]
    per_day = _assignments(con).groupby("conversation_date").size()
    expected = openings[openings["conversation_date"] <= DAY[8]].groupby("conversation_date").size()
    assert list(per_day) == list(expected)  # days 1-9 once each, day 10 not yet
    assert list(per_day.index) == list(expected.index)
    # A night a month later, without data of its own: day 10, still in its window and
    # never assigned, is assigned now; the texts of the days that left the window are
    # dropped (a refit never reads them again).
    later = DAY[0] + timedelta(days=FIT_DAYS + 2)
    healed = refresh_topics(con, [later])
    assert healed.conversations == int((openings["conversation_date"] == DAY[9]).sum()) > 0
    assert len(_assignments(con)) == len(openings)
    kept = con.execute("select min(conversation_date) from main.kb_topic_texts").fetchone()
    assert kept == (later - timedelta(days=FIT_DAYS - 1),)
