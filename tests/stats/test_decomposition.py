from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest

from pipelines.stats.decomposition import COMPARISONS, MOVER_COLUMNS, movers, shift_share


def day_rows(day: date, dimension: str, cells: dict[str, tuple[int, int]]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "date": day,
                "dimension": dimension,
                "slice": name,
                "bot_involved": n,
                "durable_resolved": x,
            }
            for name, (n, x) in cells.items()
        ]
    )


def test_contributions_sum_exactly_and_planted_slice_ranks_first() -> None:
    rng = np.random.default_rng(11)
    slices = [f"intent_{i}" for i in range(12)]
    before = pd.DataFrame({"slice": slices, "n": rng.integers(100, 2000, 12)})
    before["successes"] = rng.binomial(before["n"], 0.5)
    after = before.copy()
    after["n"] = after["n"] + rng.integers(-50, 50, 12)
    after["successes"] = rng.binomial(after["n"], 0.5)
    after.loc[3, "successes"] = int(after.loc[3, "n"] * 0.1)  # intent_3 collapses
    result = shift_share(before, after)
    total = (
        after["successes"].sum() / after["n"].sum() - before["successes"].sum() / before["n"].sum()
    )
    assert result["contribution"].sum() == pytest.approx(total, abs=1e-12)
    assert (result["mix_effect"] + result["rate_effect"]).sum() == pytest.approx(total, abs=1e-12)
    assert result.loc[0, "slice"] == "intent_3"
    assert result.loc[0, "rate_effect"] < 0
    assert result["rank"].tolist() == list(range(1, 13))


def test_pure_mix_shift_has_no_rate_effect() -> None:
    before = pd.DataFrame({"slice": ["web", "email"], "n": [800, 200], "successes": [480, 40]})
    after = pd.DataFrame({"slice": ["web", "email"], "n": [400, 600], "successes": [240, 120]})
    result = shift_share(before, after).set_index("slice")
    assert result["rate_effect"].abs().max() == pytest.approx(0)
    assert result["contribution"].sum() == pytest.approx(0.36 - 0.52)


def test_slices_on_one_side_only_are_mix() -> None:
    before = pd.DataFrame({"slice": ["a", "gone"], "n": [100, 50], "successes": [50, 40]})
    after = pd.DataFrame({"slice": ["a", "new"], "n": [100, 100], "successes": [50, 10]})
    result = shift_share(before, after).set_index("slice")
    assert result["contribution"].sum() == pytest.approx(60 / 200 - 90 / 150)
    assert result.loc["new", "rate_effect"] == 0 and np.isnan(result.loc["new", "rate_before"])
    assert result.loc["new", "mix_effect"] == pytest.approx(0.5 * 0.1)
    assert result.loc["gone", "mix_effect"] == pytest.approx(-(50 / 150) * 0.8)


def test_movers_covers_previous_day_and_week() -> None:
    cells = {"web": (500, 250), "ios": (300, 120)}
    frames = [
        day_rows(date(2026, 3, 1), "channel", cells),
        day_rows(date(2026, 3, 7), "channel", cells),
        day_rows(date(2026, 3, 8), "channel", {"web": (500, 250), "ios": (300, 30)}),
    ]
    result = movers(pd.concat(frames), days=[date(2026, 3, 8)])
    assert list(result.columns) == list(MOVER_COLUMNS)
    assert set(result["comparison"]) == {"prev_day", "prev_week"}
    top = result.loc[result["rank"] == 1]
    assert set(top["slice"]) == {"ios"}
    assert top["total_change"].iloc[0] == pytest.approx(280 / 800 - 370 / 800)


def test_missing_columns_are_reported() -> None:
    with pytest.raises(ValueError, match="missing columns"):
        movers(pd.DataFrame({"date": [], "slice": []}), days=[])


def test_baseline_is_taken_as_observed_lag_days_earlier() -> None:
    """A baseline counted now reads low next to a 1-day-old day; its lag-7 counts do not."""
    day, baseline = date(2026, 4, 12), date(2026, 4, 5)
    frames = [
        day_rows(day, "channel", {"web": (50, 45), "ios": (50, 40)}).assign(
            lag_days=0, is_final=False
        ),
        # the baseline as observed now (window closed) and as it looked 7 days ago
        day_rows(baseline, "channel", {"web": (50, 35), "ios": (50, 35)}).assign(
            lag_days=0, is_final=True
        ),
        day_rows(baseline, "channel", {"web": (50, 45), "ios": (50, 45)}).assign(
            lag_days=7, is_final=False
        ),
    ]
    counts = pd.concat(frames)
    week = movers(counts, days=[day], comparisons={"prev_week": 7}).set_index("slice")
    assert week["total_change"].iloc[0] == pytest.approx(0.85 - 0.90)
    assert week.loc["ios", "rank"] == 1 and week.loc["ios", "rate_effect"] < 0
    assert not week["is_final"].any() and set(week["metric"]) == {"resolution_rate"}
    # Without lag_days every row is "as observed now": the drop reads as a rise.
    as_loaded = counts.loc[counts["lag_days"] == 0].drop(columns="lag_days")
    naive = movers(as_loaded, days=[day], comparisons={"prev_week": 7})
    assert naive["total_change"].iloc[0] == pytest.approx(0.85 - 0.70)


def test_duplicate_rows_are_rejected() -> None:
    rows = day_rows(date(2026, 3, 8), "channel", {"web": (10, 5)})
    with pytest.raises(ValueError, match="duplicate"):
        movers(pd.concat([rows, rows]), days=[date(2026, 3, 8)])


def _movers_group_by_group(by_dimension: pd.DataFrame, days: list[date]) -> pd.DataFrame:
    """The reference: one shift_share per (day, comparison, dimension), as movers
    computed them before it did all groups at once."""
    counts = by_dimension.rename(columns={"durable_resolved": "successes", "bot_involved": "n"})
    grouped = dict(iter(counts.groupby(["date", "lag_days", "dimension"], sort=False)))
    frames = []
    for day in days:
        for comparison, lag in COMPARISONS.items():
            for dimension in counts["dimension"].drop_duplicates():
                before = grouped.get((day - timedelta(days=lag), lag, dimension))
                after = grouped.get((day, 0, dimension))
                if before is None or after is None:
                    continue
                if before["n"].sum() <= 0 or after["n"].sum() <= 0:
                    continue
                decomposed = shift_share(before, after)
                decomposed.insert(0, "dimension", dimension)
                decomposed.insert(0, "is_final", bool(after["is_final"].all()))
                decomposed.insert(0, "metric", "resolution_rate")
                decomposed.insert(0, "comparison", comparison)
                decomposed.insert(0, "date", day)
                frames.append(decomposed)
    return pd.concat(frames, ignore_index=True).loc[:, list(MOVER_COLUMNS)]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_all_groups_at_once_equal_one_shift_share_per_group(seed: int) -> None:
    rng = np.random.default_rng(seed)
    first = date(2026, 3, 1)
    rows = []
    for offset in range(20):
        day = first + timedelta(days=offset)
        if offset == 9:
            continue  # a day with no data: the comparisons that need it yield nothing
        for lag in (0, 1, 7):
            for dimension, slices in (("intent", 9), ("channel", 3), ("locale", 4)):
                for index in range(slices):
                    if rng.random() < 0.15:
                        continue  # slices seen on one side only
                    n = int(rng.integers(0, 60)) if dimension != "channel" else 0
                    if dimension == "channel" and offset % 5:
                        n = int(rng.integers(1, 60))  # some days: no conversations at all
                    rows.append(
                        {
                            "date": day,
                            "lag_days": lag,
                            "dimension": dimension,
                            "slice": f"{dimension}-{index}" if index else "(none)",
                            "bot_involved": n,
                            "durable_resolved": int(rng.binomial(n, 0.5)) if n else 0,
                            "is_final": offset < 12 or bool(rng.random() < 0.2),
                        }
                    )
    by_dimension = pd.DataFrame(rows)
    days = [first + timedelta(days=offset) for offset in (19, 3, 10, 16, 17, 8, 0)]
    expected = _movers_group_by_group(by_dimension, days)
    found = movers(by_dimension, days)
    assert len(expected) > 100
    pd.testing.assert_frame_equal(found, expected, check_dtype=False)
