import numpy as np
import pandas as pd
import pytest

from pipelines.stats.versions import compare_versions, release_order


def version_counts(rng: np.random.Generator) -> pd.DataFrame:
    rows = []
    for index in range(30):
        intent = f"intent_{index:02d}"
        for version, resolved in (("v1", 0.45), ("v2", 0.45)):
            if intent == "intent_07" and version == "v2":
                resolved = 0.30  # the regression planted in one intent only
            n = int(rng.integers(400, 800))
            rows.append(
                {
                    "intent": intent,
                    "bot_version": version,
                    "n": n,
                    "durable_resolved": rng.binomial(n, resolved),
                    "handed_off": rng.binomial(n, 0.3),
                }
            )
    return pd.DataFrame(rows)


def test_flags_the_intent_specific_regression_only() -> None:
    result = compare_versions(version_counts(np.random.default_rng(21)), ["v1", "v2"])
    resolution = result.loc[result["metric"] == "resolution_rate"].set_index("intent")
    assert resolution["significant"].sum() == 1
    flagged = resolution.loc["intent_07"]
    assert flagged["significant"] and flagged["difference"] < 0
    assert (flagged["version_latest"], flagged["version_previous"]) == ("v2", "v1")
    assert flagged["p_adjusted"] >= flagged["p_value"]
    handoff = result.loc[result["metric"] == "handoff_rate"]
    assert not handoff["significant"].any()


def test_untestable_intents_are_kept_but_not_tested() -> None:
    counts = pd.DataFrame(
        {
            "intent": ["billing", "billing", "refund", "refund"],
            "bot_version": ["v1", "v2", "v2", "v1"],
            "n": [500, 10, 300, 0],
            "durable_resolved": [200, 2, 150, 0],
            "handed_off": [100, 5, 90, 0],
        }
    )
    result = compare_versions(counts, ["v1", "v2"])
    assert len(result) == 4
    assert not result["tested"].any() and not result["significant"].any()
    refund = result.loc[result["intent"] == "refund"].iloc[0]
    assert pd.isna(refund["version_previous"]) and refund["version_latest"] == "v2"


def test_release_order_follows_first_appearance() -> None:
    first_seen = pd.DataFrame(
        {
            "bot_version": ["2.0", "10.0", "9.1"],
            "first_seen": ["2026-01-05", "2026-03-01", "2026-02-01"],
        }
    )
    assert release_order(first_seen) == ["2.0", "9.1", "10.0"]


def test_unknown_version_is_rejected() -> None:
    counts = version_counts(np.random.default_rng(1))
    with pytest.raises(ValueError, match="v2"):
        compare_versions(counts, ["v1"])
