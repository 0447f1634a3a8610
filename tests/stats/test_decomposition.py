from datetime import date

import numpy as np
import pandas as pd
import pytest

from pipelines.stats.decomposition import MOVER_COLUMNS, movers, shift_share


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
