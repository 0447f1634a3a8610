from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest

from pipelines.stats.control import (
    ControlSettings,
    detect_anomalies,
    judge_days,
    stack_metrics,
)

START = date(2026, 1, 1)


def binomial_series(
    rng: np.random.Generator,
    days: int,
    rate: float,
    mean_n: int = 2000,
    slice_name: str = "overall",
    dimension: str = "overall",
) -> pd.DataFrame:
    n = rng.poisson(mean_n, size=days)
    return pd.DataFrame(
        {
            "date": [START + timedelta(days=offset) for offset in range(days)],
            "metric": "resolution_rate",
            "dimension": dimension,
            "slice": slice_name,
            "successes": rng.binomial(n, rate),
            "n": n,
            "is_final": True,
        }
    )


def test_planted_drop_is_critical_and_down() -> None:
    series = binomial_series(np.random.default_rng(1), 40, 0.55)
    last = series.index[-1]
    series.loc[last, "successes"] = int(series.loc[last, "n"] * 0.48)
    anomalies = detect_anomalies(series, days=[series.loc[last, "date"]])
    assert len(anomalies) == 1
    found = anomalies.iloc[0]
    assert (found["severity"], found["direction"]) == ("critical", "down")
    assert found["expected_low"] <= found["expected"] <= found["expected_high"]
    assert found["value"] < found["expected_low"]


@pytest.mark.parametrize(
    ("metric", "factor", "severity"),
    [
        ("resolution_rate", 1.12, "warn"),  # unusually good day: reported, nobody paged
        ("handoff_rate", 1.12, "critical"),  # handoffs spiking: bad news
        ("handoff_rate", 0.88, "warn"),
    ],
)
def test_only_moves_in_the_adverse_direction_are_critical(
    metric: str, factor: float, severity: str
) -> None:
    series = binomial_series(np.random.default_rng(2), 40, 0.5).assign(metric=metric)
    last = series.index[-1]
    series.loc[last, "successes"] = int(series.loc[last, "n"] * 0.5 * factor)
    anomalies = detect_anomalies(series, days=[series.loc[last, "date"]])
    assert list(anomalies["severity"]) == [severity]


@pytest.mark.parametrize(
    ("rates", "sizes"),
    [((0.05, 0.95), (50, 5000)), ((0.01, 0.05), (30, 200))],
    ids=["common-rates", "rare-events-small-slices"],
)
def test_stable_binomial_data_rarely_alarms(
    rates: tuple[float, float], sizes: tuple[int, int]
) -> None:
    """Over 150 series x 60 judged days of in-control data the warn rate stays near nominal."""
    rng = np.random.default_rng(2)
    series = pd.concat(
        [
            binomial_series(rng, 88, rate, mean_n=n, slice_name=f"s{index}", dimension="channel")
            for index, (rate, n) in enumerate(
                zip(rng.uniform(*rates, 150), rng.integers(*sizes, 150), strict=True)
            )
        ],
        ignore_index=True,
    )
    judged_days = [START + timedelta(days=offset) for offset in range(28, 88)]
    judged = judge_days(series, days=judged_days)
    assert len(judged) > 0.95 * 150 * 60  # only days below min_n are skipped
    anomalies = detect_anomalies(series, days=judged_days)
    warn_rate = len(anomalies) / len(judged)
    # Nominal two-sided 3-sigma rate is 0.27%; allow for the estimated baseline.
    assert warn_rate < 0.006
    assert (anomalies["severity"] == "critical").sum() <= 2


def test_fourteen_quiet_days_give_no_critical_overall_anomaly() -> None:
    rng = np.random.default_rng(3)
    rates = {"resolution_rate": 0.42, "containment_rate": 0.7, "handoff_rate": 0.3}
    frames = []
    for metric, rate in rates.items():
        frame = binomial_series(rng, 14, rate, mean_n=1500)
        frames.append(frame.assign(metric=metric))
    anomalies = detect_anomalies(pd.concat(frames, ignore_index=True))
    assert not (anomalies["severity"] == "critical").any()


def test_provisional_resolution_rises_are_not_alarms_but_drops_are() -> None:
    series = binomial_series(np.random.default_rng(7), 30, 0.5)
    last = series.index[-1]
    series.loc[last, "is_final"] = False
    day = [series.loc[last, "date"]]
    series.loc[last, "successes"] = int(series.loc[last, "n"] * 0.6)
    assert detect_anomalies(series, days=day).empty
    final = series.assign(is_final=True)
    assert detect_anomalies(final, days=day)["direction"].tolist() == ["up"]
    series.loc[last, "successes"] = int(series.loc[last, "n"] * 0.4)
    assert detect_anomalies(series, days=day)["direction"].tolist() == ["down"]


def test_minimum_history_and_minimum_n_are_required() -> None:
    series = binomial_series(np.random.default_rng(4), 10, 0.5)
    series.loc[9, "n"] = 20
    series.loc[9, "successes"] = 0
    judged = judge_days(series)
    # Days 0..6 lack 7 days of history; day 9 is below min_n.
    assert [d.day for d in judged["date"]] == [8, 9]
    judged = judge_days(series, settings=ControlSettings(min_n=10))
    assert [d.day for d in judged["date"]] == [8, 9, 10]


def test_overdispersed_history_widens_limits() -> None:
    rng = np.random.default_rng(5)
    calm = binomial_series(rng, 29, 0.5)
    wobbly = calm.copy()
    wobbly["successes"] = rng.binomial(wobbly["n"], rng.uniform(0.44, 0.56, 29))
    day = [calm["date"].iloc[-1]]
    width = {
        name: (row := judge_days(frame, days=day).iloc[0])["expected_high"] - row["expected_low"]
        for name, frame in (("calm", calm), ("wobbly", wobbly))
    }
    assert width["wobbly"] > 2 * width["calm"]


def test_stack_metrics_builds_overall_and_slices() -> None:
    daily = pd.DataFrame(
        {
            "date": [START],
            "is_final": [True],
            "bot_involved": [100],
            "durable_resolved": [40],
            "csat_responses": [10],
            "csat_top2": [7],
        }
    )
    by_dimension = daily.assign(dimension="channel", slice="web")
    from pipelines.stats.control import Metric

    metrics = (
        Metric("resolution_rate", "durable_resolved", "bot_involved"),
        Metric("csat_top2_rate", "csat_top2", "csat_responses"),
    )
    stacked = stack_metrics(daily, by_dimension, metrics)
    assert len(stacked) == 4
    csat = stacked.loc[(stacked["metric"] == "csat_top2_rate") & (stacked["slice"] == "overall")]
    assert (csat["successes"].item(), csat["n"].item()) == (7, 10)


def test_bad_input_is_rejected_with_a_clear_message() -> None:
    series = binomial_series(np.random.default_rng(6), 3, 0.5)
    with pytest.raises(ValueError, match="duplicate"):
        judge_days(pd.concat([series, series.iloc[:1]]))
    with pytest.raises(ValueError, match="missing columns"):
        judge_days(series.drop(columns="n"))


def test_provisional_days_stay_out_of_the_resolution_baseline() -> None:
    # 20 final days at 0.40, then 10 provisional days reading high (0.55) as they do
    # before their recontacts are seen: judged against a baseline of final days only,
    # a provisional day at 0.41 is ordinary; with the inflated days in the baseline
    # it would read as a drop.
    rng = np.random.default_rng(11)
    final = binomial_series(rng, 20, 0.40)
    provisional = binomial_series(rng, 11, 0.55).assign(
        date=lambda f: [START + timedelta(days=20 + i) for i in range(len(f))], is_final=False
    )
    series = pd.concat([final, provisional], ignore_index=True)
    last = series.index[-1]
    series.loc[last, "successes"] = int(series.loc[last, "n"] * 0.41)
    judged = judge_days(series, days=[series.loc[last, "date"]])
    assert abs(judged.iloc[0]["expected"] - 0.40) < 0.01
    assert detect_anomalies(series, days=[series.loc[last, "date"]]).empty
    # A metric that does not depend on recontacts keeps every day in its baseline.
    handoffs = series.assign(metric="handoff_rate")
    assert judge_days(handoffs, days=[series.loc[last, "date"]]).iloc[0]["expected"] > 0.45
