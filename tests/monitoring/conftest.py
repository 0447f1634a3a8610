from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest

from pipelines.monitoring.movers import EQUAL_HORIZON_METRIC
from pipelines.monitoring.report import ReportData
from pipelines.stats.control import detect_anomalies, stack_metrics
from pipelines.stats.decomposition import movers
from pipelines.stats.versions import compare_versions

DAY = date(2026, 3, 8)


def daily_counts(rng: np.random.Generator, days: int, last: date) -> pd.DataFrame:
    """Synthetic mart_resolution_daily counts with a resolution drop on the last day."""
    rows = []
    for offset in range(days):
        day = last - timedelta(days=days - 1 - offset)
        bot = int(rng.poisson(3000))
        contained = int(rng.binomial(bot, 0.68))
        assumed = int(rng.binomial(contained, 0.85))
        durable_rate = 0.8 if day != last else 0.68
        durable = int(rng.binomial(assumed, durable_rate))
        csat = int(rng.binomial(bot, 0.2))
        rows.append(
            {
                "date": day,
                "conversations": bot + 200,
                "bot_involved": bot,
                "contained": contained,
                "assumed_resolved": assumed,
                "confirmed_resolved": int(rng.binomial(assumed, 0.3)),
                "durable_resolved": durable,
                "handed_off": bot - contained,
                "abandoned": int(rng.binomial(bot, 0.08)),
                "csat_responses": csat,
                "csat_top2": int(rng.binomial(csat, 0.7)),
                "is_final": day < last - timedelta(days=7),
            }
        )
    return pd.DataFrame(rows)


def by_channel(daily: pd.DataFrame) -> pd.DataFrame:
    """Split each day into two channels; on the last day the whole drop sits in 'ios'."""
    frames = []
    for share, name in ((0.7, "web"), (0.3, "ios")):
        part = daily.copy()
        count_columns = [c for c in part.columns if c not in ("date", "is_final")]
        part[count_columns] = (part[count_columns] * share).round().astype(int)
        part["dimension"], part["slice"] = "channel", name
        frames.append(part)
    frame = pd.concat(frames, ignore_index=True)
    last = frame["date"] == frame["date"].max()
    web, ios = last & (frame["slice"] == "web"), last & (frame["slice"] == "ios")
    frame.loc[web, "durable_resolved"] = (
        (frame.loc[web, "assumed_resolved"] * 0.8).round().astype(int)
    )
    frame.loc[ios, "durable_resolved"] = (
        (frame.loc[ios, "assumed_resolved"] * 0.4).round().astype(int)
    )
    return frame


@pytest.fixture
def marts() -> tuple[pd.DataFrame, pd.DataFrame]:
    """(daily counts, per-channel counts) for 36 days ending DAY, with the drop on DAY in ios."""
    daily = daily_counts(np.random.default_rng(5), 36, DAY)
    return daily, by_channel(daily)


@pytest.fixture
def report_data(marts: tuple[pd.DataFrame, pd.DataFrame]) -> ReportData:
    rng = np.random.default_rng(6)
    daily, slices = marts
    anomalies = detect_anomalies(stack_metrics(daily, slices), days=[DAY])
    return ReportData(
        day=DAY,
        daily=daily.loc[daily["date"] > DAY - timedelta(days=28)],
        anomalies=anomalies,
        movers=movers(slices, days=[DAY], metric=EQUAL_HORIZON_METRIC),
        handoff_reasons=pd.DataFrame(
            {
                "handoff_reason": ["customer_request", "bot_fallback", "policy_required", None],
                "conversations": [420, 310, 90, 12],
            }
        ),
        csat_scores=pd.DataFrame(
            {"csat_score": [1, 2, 3, 4, 5], "conversations": [40, 30, 60, 150, 320]}
        ),
        intents=pd.DataFrame(
            {
                "intent": [f"intent <{i}>" for i in range(14)],
                "n": rng.integers(20, 900, 14),
                "durable_resolved": 0,
            }
        ).assign(durable_resolved=lambda f: rng.binomial(f["n"], rng.uniform(0.2, 0.7, 14))),
        version_tests=compare_versions(
            pd.DataFrame(
                {
                    "intent": ["creator_payout", "creator_payout", "refund", "refund"],
                    "bot_version": ["v1", "v2", "v1", "v2"],
                    "n": [900, 900, 800, 800],
                    "durable_resolved": [450, 369, 320, 330],
                    "handed_off": [300, 310, 250, 240],
                }
            ),
            ["v1", "v2"],
        ),
    )
