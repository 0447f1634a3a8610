"""Rows of ``mart_judge_agreement`` and ``mart_intent_accuracy``, and the trust gate.

Pure functions over pandas frames the caller reads from the warehouse:

* ``judgements``: ``conversation_judgements`` rows (conversation_id, judge,
  judge_version, verdict);
* ``labels``: the long label frame (``annotation.labels``); the human answer per
  conversation and field is the consensus of ``pipelines.stats.agreement.majority_consensus``
  (adjudicated value where there is one, else the strict majority);
* ``conversations``: one row per conversation with ``conversation_id``,
  ``conversation_date`` and the slice columns ``intent``, ``locale``,
  ``bot_version`` (``fct_conversations``);
* ``sample``: ``annotation.sample`` (``inclusion_prob``, ``is_gold``).

Agreement is measured on every labeled conversation, unweighted (it describes the
judge on the items humans saw; the sample over-represents failures, which is where
a judge errs). Intent accuracy additionally gives population estimates weighted by
1 / inclusion probability over the probability sample (gold items excluded).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from pipelines.judge.agreement import DEFAULT_TRUST_THRESHOLD, binary_agreement
from pipelines.stats.agreement import majority_consensus
from pipelines.stats.calibration import human_resolved
from pipelines.stats.wilson import wilson_interval

SLICES = ("intent", "locale", "bot_version")
ALL = "(all)"
TOP_CONFUSIONS = 5


def _week(dates: pd.Series) -> pd.Series:
    days = pd.to_datetime(dates)
    return (days - pd.to_timedelta(days.dt.weekday, unit="D")).dt.date


def _labeled_judgements(
    judgements: pd.DataFrame, labels: pd.DataFrame, conversations: pd.DataFrame
) -> pd.DataFrame:
    humans = human_resolved(labels.loc[labels["field"] == "resolved"])
    columns = ["conversation_id", "judge", "judge_version", "verdict", "cross_validated"]
    # ``cross_validated``: the verdict is a learned judge's out-of-fold one (optional).
    merged = judgements.reindex(columns=columns).fillna({"cross_validated": False})
    merged = merged.merge(humans, on="conversation_id")
    merged = merged.merge(
        conversations[["conversation_id", "conversation_date", *SLICES]],
        on="conversation_id",
        how="left",
    )
    merged["week"] = _week(merged["conversation_date"])
    for column in SLICES:
        merged[column] = merged[column].fillna("(none)")
    return merged


def _agreement_row(frame: pd.DataFrame, n_boot: int, seed: int) -> dict[str, object]:
    said = frame["verdict"].to_numpy() == "resolved"
    truth = frame["human_resolved"].to_numpy(dtype=bool)
    row = binary_agreement(said, truth, n_boot=n_boot, seed=seed).as_row()
    row["n_unsure"] = int((frame["verdict"] == "unsure").sum())
    row["n_cross_validated"] = int(frame["cross_validated"].astype(bool).sum())
    return row


def judge_agreement(
    judgements: pd.DataFrame,
    labels: pd.DataFrame,
    conversations: pd.DataFrame,
    *,
    min_n: int = 30,
    n_boot: int = 2000,
    seed: int = 0,
) -> pd.DataFrame:
    """``mart_judge_agreement``: one row per judge version, week and slice
    (``slice`` in all/intent/locale/bot_version with its ``slice_value``), plus rows
    with ``week`` null pooling every labeled week. Columns: n, confusion counts
    (both_resolved, judge_only_resolved, reference_only_resolved, neither_resolved),
    n_unsure, n_cross_validated (verdicts that are a learned judge's out-of-fold
    ones), accuracy, balanced_accuracy, cohen_kappa, gwet_ac1 (each with
    _ci_low/_ci_high), false_verified_rate (+ Wilson CI) and below_min_n."""
    merged = _labeled_judgements(judgements, labels, conversations)
    rows = []
    for (judge, version), by_judge in merged.groupby(["judge", "judge_version"], sort=True):
        periods = [(None, by_judge), *by_judge.groupby("week", sort=True)]
        for week, in_period in periods:
            slices = [("all", ALL, in_period)]
            for column in SLICES:
                slices += [(column, value, part) for value, part in in_period.groupby(column)]
            for slice_name, value, part in slices:
                row = {
                    "judge": judge,
                    "judge_version": version,
                    "week": week,
                    "slice": slice_name,
                    "slice_value": value,
                    **_agreement_row(part, n_boot, seed),
                }
                row["below_min_n"] = row["n"] < min_n
                rows.append(row)
    return pd.DataFrame(rows)


@dataclass(frozen=True)
class TrustDecision:
    """Whether a judge may drive the headline ``verified`` rung."""

    judge: str
    judge_version: str
    trusted: bool
    n: int
    gwet_ac1: float
    gwet_ac1_ci_low: float
    threshold: float
    message: str


def trust_gate(
    judgements: pd.DataFrame,
    labels: pd.DataFrame,
    conversations: pd.DataFrame,
    *,
    judge: str,
    judge_version: str,
    threshold: float = DEFAULT_TRUST_THRESHOLD,
    since: date | None = None,
    n_boot: int = 2000,
    seed: int = 0,
) -> TrustDecision:
    """Trusted while the lower 95% bound of Gwet's AC1 between the judge version and
    the human consensus on ``resolved`` (conversations from ``since`` on, all when
    None) is above ``threshold``. No labeled conversation: not trusted."""
    merged = _labeled_judgements(judgements, labels, conversations)
    merged = merged.loc[(merged["judge"] == judge) & (merged["judge_version"] == judge_version)]
    if since is not None:
        merged = merged.loc[pd.to_datetime(merged["conversation_date"]).dt.date >= since]
    if merged.empty:
        return TrustDecision(
            judge, judge_version, False, 0, float("nan"), float("nan"), threshold,
            f"judge {judge} ({judge_version}) is not trusted: no conversation has both its "
            "verdict and a human consensus on 'resolved' yet",
        )  # fmt: skip
    row = _agreement_row(merged, n_boot, seed)
    ac1, low = float(row["gwet_ac1"]), float(row["gwet_ac1_ci_low"])
    trusted = bool(np.isfinite(low) and low > threshold)
    verb = "is trusted" if trusted else "is not trusted"
    return TrustDecision(
        judge,
        judge_version,
        trusted,
        int(row["n"]),
        ac1,
        low,
        threshold,
        f"judge {judge} ({judge_version}) {verb}: AC1 {ac1:.3f} with 95% CI lower bound "
        f"{low:.3f} vs threshold {threshold} on {row['n']} labeled conversations",
    )


# ---------------------------------------------------------------- intent routing


def human_intents(labels: pd.DataFrame, bot_intent: pd.Series) -> pd.DataFrame:
    """Per conversation with a consensus on ``intent_correct``: ``human_intent`` (the
    bot's intent when correct, the consensus ``corrected_intent`` when not, null when
    wrong but not corrected) and ``intent_correct``. ``bot_intent``: conversation_id ->
    intent."""
    consensus = majority_consensus(
        labels.loc[labels["field"].isin(["intent_correct", "corrected_intent"])]
    )
    wide = consensus.pivot(index="item_id", columns="field", values="value")
    if "intent_correct" not in wide.columns:
        return pd.DataFrame(columns=["conversation_id", "intent_correct", "human_intent"])
    wide = wide.loc[wide["intent_correct"].notna()]
    corrected = wide.get("corrected_intent", pd.Series(index=wide.index, dtype=object))
    correct = wide["intent_correct"] == "yes"
    bot = bot_intent.reindex(wide.index)
    human = np.where(correct, bot, corrected.where(corrected.astype(str).str.strip() != ""))
    return pd.DataFrame(
        {
            "conversation_id": wide.index,
            "intent_correct": correct.to_numpy(),
            "human_intent": pd.Series(human, dtype=object).to_numpy(),
        }
    )


def _weighted_share(hit: pd.Series, weights: pd.Series) -> float:
    total = float(weights.sum())
    return float(weights[hit].sum()) / total if total else float("nan")


def intent_accuracy(
    sample: pd.DataFrame, labels: pd.DataFrame, conversations: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(``mart_intent_accuracy``, confusion pairs).

    Accuracy: one row per week and bot intent (plus ``(all)``): n_routed (labeled
    conversations the bot routed to the intent), n_correct, precision with Wilson CI;
    n_human (labeled conversations humans put in the intent), n_found (of those, the
    bot's intent matched), recall with Wilson CI; population estimates over the
    probability sample weighted by 1 / inclusion_prob: est_precision, est_recall,
    est_misrouted (conversations); and the top confusion (human intent, weighted).

    Pairs: one row per week, bot intent and human intent that differ: n and
    est_conversations, the ``TOP_CONFUSIONS`` costliest per week.
    """
    meta = conversations[["conversation_id", "conversation_date", "intent"]].rename(
        columns={"intent": "bot_intent"}
    )
    humans = human_intents(labels, meta.set_index("conversation_id")["bot_intent"])
    frame = humans.merge(meta, on="conversation_id", how="left")
    weights = sample.loc[~sample["is_gold"].astype(bool), ["conversation_id", "inclusion_prob"]]
    weights = weights.drop_duplicates("conversation_id")
    frame = frame.merge(weights, on="conversation_id", how="left")
    frame["weight"] = 1.0 / frame["inclusion_prob"]  # NaN outside the probability sample
    frame["week"] = _week(frame["conversation_date"])
    frame["bot_intent"] = frame["bot_intent"].fillna("(none)")
    rows, pairs = [], []
    for week, in_week in frame.groupby("week", sort=True):
        weighted = in_week.loc[in_week["weight"].notna()]
        intents = sorted(set(in_week["bot_intent"]) | set(in_week["human_intent"].dropna()))
        for intent in [ALL, *intents]:
            if intent == ALL:
                routed = in_week
                human_side = in_week.loc[in_week["human_intent"].notna()]
            else:
                routed = in_week.loc[in_week["bot_intent"] == intent]
                human_side = in_week.loc[in_week["human_intent"] == intent]
            routed_w = weighted.loc[weighted.index.isin(routed.index)]
            human_w = weighted.loc[weighted.index.isin(human_side.index)]
            n_correct = int(routed["intent_correct"].sum())
            n_found = int((human_side["bot_intent"] == human_side["human_intent"]).sum())
            wrong = routed.loc[~routed["intent_correct"] & routed["human_intent"].notna()]
            top = (
                wrong.assign(w=wrong["weight"].fillna(0))
                .groupby("human_intent")["w"]
                .agg(["size", "sum"])
                .sort_values(["sum", "size"], ascending=False)
            )
            p_low, p_high = wilson_interval(n_correct, len(routed))
            r_low, r_high = wilson_interval(n_found, len(human_side))
            rows.append(
                {
                    "week": week,
                    "intent": intent,
                    "n_routed": len(routed),
                    "n_correct": n_correct,
                    "precision": n_correct / len(routed) if len(routed) else np.nan,
                    "precision_ci_low": float(p_low),
                    "precision_ci_high": float(p_high),
                    "n_human": len(human_side),
                    "n_found": n_found,
                    "recall": n_found / len(human_side) if len(human_side) else np.nan,
                    "recall_ci_low": float(r_low),
                    "recall_ci_high": float(r_high),
                    "est_precision": _weighted_share(
                        routed_w["intent_correct"].astype(bool), routed_w["weight"]
                    ),
                    "est_recall": _weighted_share(
                        human_w["bot_intent"] == human_w["human_intent"], human_w["weight"]
                    ),
                    "est_misrouted": float(
                        routed_w.loc[~routed_w["intent_correct"].astype(bool), "weight"].sum()
                    ),
                    "top_confusion": top.index[0] if len(top) else None,
                    "top_confusion_n": int(top["size"].iloc[0]) if len(top) else 0,
                }
            )
        confused = in_week.loc[~in_week["intent_correct"] & in_week["human_intent"].notna()]
        grouped = (
            confused.assign(w=confused["weight"].fillna(0))
            .groupby(["bot_intent", "human_intent"])["w"]
            .agg(n="size", est_conversations="sum")
            .reset_index()
            .sort_values(["est_conversations", "n"], ascending=False)
            .head(TOP_CONFUSIONS)
        )
        pairs.append(grouped.assign(week=week))
    pair_columns = ["week", "bot_intent", "human_intent", "n", "est_conversations"]
    pair_frame = (
        pd.concat(pairs, ignore_index=True)[pair_columns]
        if pairs
        else pd.DataFrame(columns=pair_columns)
    )
    return pd.DataFrame(rows), pair_frame
