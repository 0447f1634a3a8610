"""Stratified sampling of conversations for human annotation.

Design: strata are intent x outcome by default (``SamplingPlan.strata`` may add
channel). Each stratum gets a floor of
``min_per_stratum`` items (so rare intents and rare failure modes are always seen),
and the rest of the sample is allocated in proportion to the stratum size, with
failure outcomes up-weighted by ``failure_oversample`` because failures are where
labels are most informative. Inside a stratum the draw is simple random sampling
without replacement, so every sampled row's inclusion probability is exactly
``n_h / N_h``; estimators weight by its inverse (see ``pipelines.stats.calibration``).

Gold items (conversations with an adjudicated answer) are mixed in on top of the
probability sample; they carry no inclusion probability and never enter population
estimates. Every item is then assigned to ``overlap`` distinct labelers.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

OUTCOMES = ("durable_resolved", "not_resolved", "handed_off", "abandoned")
FAILURE_OUTCOMES = frozenset({"not_resolved", "handed_off", "abandoned"})
UNKNOWN = "unknown"
REQUIRED_COLUMNS = (
    "conversation_id",
    "conversation_date",
    "intent",
    "channel",
    "handed_off",
    "abandoned",
    "durable_resolved",
)
STRATUM_COLUMNS = ("intent", "outcome", "channel")
# Channel is not a default stratum: with ~25 intents, 4 outcomes and 4 channels a day
# has ~280 non-empty cells, so floors of 2 would need ~500 items, well past a daily
# batch of 200; intent x outcome (~95 cells on the demo's days, floors ~180 items)
# keeps every floor inside the batch.
DEFAULT_STRATA = ("intent", "outcome")


@dataclass(frozen=True)
class SamplingPlan:
    """How to draw one batch."""

    sample_size: int
    min_per_stratum: int = 2
    failure_oversample: float = 2.0  # weight of failure strata relative to resolved ones
    gold_rate: float = 0.05  # share of the final batch that is gold items
    overlap: int = 2  # labelers per item (use more for a calibration batch)
    seed: int = 0
    strata: tuple[str, ...] = DEFAULT_STRATA  # columns whose combinations are the strata

    def __post_init__(self) -> None:
        unknown = [column for column in self.strata if column not in STRATUM_COLUMNS]
        if not self.strata or unknown or len(set(self.strata)) != len(self.strata):
            raise ValueError(
                f"strata must be distinct columns among {STRATUM_COLUMNS}, got {self.strata}"
            )
        if self.sample_size < 1:
            raise ValueError(f"sample_size must be >= 1, got {self.sample_size}")
        if self.min_per_stratum < 0:
            raise ValueError(f"min_per_stratum must be >= 0, got {self.min_per_stratum}")
        if self.failure_oversample <= 0:
            raise ValueError(f"failure_oversample must be > 0, got {self.failure_oversample}")
        if not 0 <= self.gold_rate < 1:
            raise ValueError(f"gold_rate must be in [0, 1), got {self.gold_rate}")
        if self.overlap < 1:
            raise ValueError(f"overlap must be >= 1, got {self.overlap}")


@dataclass
class SampleResult:
    """The batch plus what the caller should know about how it was drawn."""

    items: pd.DataFrame
    allocation: pd.DataFrame  # one row per stratum: population, allocated
    notes: list[str] = field(default_factory=list)


def outcome_of(frame: pd.DataFrame) -> pd.Series:
    """Each conversation's outcome stratum; handoff and abandonment take precedence
    because a handed-off or abandoned conversation is never a bot resolution."""
    handed_off = frame["handed_off"].fillna(False).astype(bool)
    abandoned = frame["abandoned"].fillna(False).astype(bool)
    # durable_resolved is null while the recontact window is open: not (yet) resolved.
    durable = frame["durable_resolved"].fillna(False).astype(bool)
    outcome = np.select(
        [handed_off, abandoned, durable],
        ["handed_off", "abandoned", "durable_resolved"],
        default="not_resolved",
    )
    return pd.Series(outcome, index=frame.index, name="outcome")


def allocate(
    population: pd.Series,
    weights: pd.Series,
    sample_size: int,
    min_per_stratum: int,
) -> tuple[pd.Series, list[str]]:
    """Per-stratum sample sizes: a floor of ``min_per_stratum`` (capped by the stratum
    size), the remainder proportional to ``population * weights`` with largest-remainder
    rounding, never more than a stratum holds.

    If the floors alone exceed ``sample_size`` the floors win (coverage is their
    purpose) and a note says how far the sample grew.
    """
    notes: list[str] = []
    floors = np.minimum(population.to_numpy(), min_per_stratum)
    allocated = floors.astype(np.int64)
    target = min(sample_size, int(population.sum()))
    if allocated.sum() > target:
        notes.append(
            f"min_per_stratum={min_per_stratum} over {len(population)} strata needs "
            f"{int(allocated.sum())} items, more than sample_size={sample_size}; the floors win"
        )
    capacity = population.to_numpy() - allocated
    share = population.to_numpy() * weights.to_numpy()
    remaining = target - int(allocated.sum())
    # Iterate because capping a small stratum frees items for the others.
    while remaining > 0 and capacity.sum() > 0:
        open_share = np.where(capacity > 0, share, 0.0)
        if open_share.sum() == 0:
            break
        exact = remaining * open_share / open_share.sum()
        take = np.minimum(np.floor(exact).astype(np.int64), capacity)
        leftover = remaining - int(take.sum())
        if leftover > 0:
            fractional = np.where(capacity - take > 0, exact - np.floor(exact), -1.0)
            # Stable order on ties keeps the allocation deterministic.
            for index in np.argsort(-fractional, kind="stable")[:leftover]:
                if capacity[index] - take[index] > 0:
                    take[index] += 1
        if take.sum() == 0:
            break
        allocated += take
        capacity -= take
        remaining -= int(take.sum())
    return pd.Series(allocated, index=population.index, name="allocated"), notes


def stratified_sample(
    conversations: pd.DataFrame,
    plan: SamplingPlan,
    *,
    exclude_ids: Collection[str] = (),
    gold_ids: Sequence[str] = (),
    labelers: Sequence[str] = (),
    batch_id: str,
) -> SampleResult:
    """Draw one annotation batch from a fct_conversations-shaped frame.

    ``exclude_ids``: conversations already labeled; they are removed from the
    population before sampling (inclusion probabilities are relative to the rest).
    ``gold_ids``: conversations with an adjudicated answer, mixed in at
    ``plan.gold_rate``. ``labelers``: the pool items are assigned to (empty: no
    assignment). Deterministic for ``plan.seed``.
    """
    missing = [column for column in REQUIRED_COLUMNS if column not in conversations.columns]
    if missing:
        raise ValueError(f"conversations frame lacks columns {missing}; needs {REQUIRED_COLUMNS}")
    if conversations["conversation_id"].duplicated().any():
        duplicated = conversations.loc[
            conversations["conversation_id"].duplicated(), "conversation_id"
        ]
        raise ValueError(f"duplicate conversation_id values, e.g. {list(duplicated[:3])}")
    rng = np.random.default_rng(plan.seed)
    excluded = set(exclude_ids)
    frame = conversations.loc[~conversations["conversation_id"].isin(excluded)].copy()
    frame["intent"] = frame["intent"].fillna(UNKNOWN).astype(str)
    frame["channel"] = frame["channel"].fillna(UNKNOWN).astype(str)
    frame["outcome"] = outcome_of(frame)
    frame["stratum"] = frame[plan.strata[0]]
    for column in plan.strata[1:]:
        frame["stratum"] = frame["stratum"] + "|" + frame[column]
    # Sorting first makes the draw independent of the input row order.
    frame = frame.sort_values(["stratum", "conversation_id"], kind="stable")

    population = frame.groupby("stratum", sort=True).size().rename("population")
    outcome_by_stratum = frame.groupby("stratum", sort=True)["outcome"].first()
    weights = pd.Series(
        np.where(outcome_by_stratum.isin(FAILURE_OUTCOMES), plan.failure_oversample, 1.0),
        index=population.index,
    )
    allocated, notes = allocate(population, weights, plan.sample_size, plan.min_per_stratum)

    picked = []
    for stratum, rows in frame.groupby("stratum", sort=True):
        n_h = int(allocated[stratum])
        if n_h == 0:
            continue
        chosen = rows.iloc[np.sort(rng.choice(len(rows), size=n_h, replace=False))].copy()
        chosen["stratum_population"] = len(rows)
        chosen["stratum_sample_size"] = n_h
        chosen["inclusion_prob"] = n_h / len(rows)
        picked.append(chosen)
    columns = [
        "conversation_id",
        "conversation_date",
        "intent",
        "channel",
        "outcome",
        "stratum",
        "stratum_population",
        "stratum_sample_size",
        "inclusion_prob",
    ]
    extra = [c for c in ("bot_version",) if c in frame.columns]
    sample = (
        pd.concat(picked, ignore_index=True)[columns + extra]
        if picked
        else pd.DataFrame(columns=columns + extra)
    )
    sample["is_gold"] = False

    gold = _gold_items(gold_ids, set(sample["conversation_id"]), len(sample), plan, rng)
    # Gold items come from adjudication: before the first adjudicated item there is no
    # pool to fall short of, only later is a shortfall worth saying.
    if len(gold_ids) > 0 and len(gold) < _gold_count(len(sample), plan.gold_rate):
        notes.append(
            f"gold_rate={plan.gold_rate} wants {_gold_count(len(sample), plan.gold_rate)} "
            f"gold items; only {len(gold)} available"
        )
    items = pd.concat([sample, gold], ignore_index=True) if len(gold) else sample
    # Shuffle so labelers cannot tell gold items or strata from their position.
    items = items.iloc[rng.permutation(len(items))].reset_index(drop=True)
    items.insert(0, "batch_id", batch_id)
    if labelers:
        items["assigned_labelers"] = assign_labelers(len(items), labelers, plan.overlap, rng)
    allocation = pd.concat([population, allocated], axis=1).reset_index()
    return SampleResult(items=items, allocation=allocation, notes=notes)


def _gold_count(n_sampled: int, gold_rate: float) -> int:
    """Gold items so that they are ``gold_rate`` of the final batch."""
    return round(n_sampled * gold_rate / (1 - gold_rate))


def _gold_items(
    gold_ids: Sequence[str],
    already: set[str],
    n_sampled: int,
    plan: SamplingPlan,
    rng: np.random.Generator,
) -> pd.DataFrame:
    candidates = sorted(set(gold_ids) - already)
    n_gold = min(_gold_count(n_sampled, plan.gold_rate), len(candidates))
    chosen = [candidates[i] for i in np.sort(rng.choice(len(candidates), n_gold, replace=False))]
    # Gold items are outside the probability sample: no stratum, no inclusion probability.
    return pd.DataFrame(
        {
            "conversation_id": chosen,
            "inclusion_prob": pd.Series([np.nan] * n_gold, dtype="float64"),
            "is_gold": True,
        }
    )


def assign_labelers(
    n_items: int,
    labelers: Sequence[str],
    overlap: int,
    rng: np.random.Generator,
) -> list[str]:
    """For each item, ``overlap`` distinct labelers, comma-joined.

    Greedy least-loaded assignment with random tie-breaking: loads differ by at most
    one item, and the random ties vary who is paired with whom, which pairwise
    statistics (Cohen's kappa per pair) need.
    """
    pool = list(dict.fromkeys(labelers))
    if overlap > len(pool):
        raise ValueError(f"overlap={overlap} needs at least {overlap} labelers, got {len(pool)}")
    load = np.zeros(len(pool), dtype=np.int64)
    assigned = []
    for _ in range(n_items):
        tiebreak = rng.random(len(pool))
        order = np.lexsort((tiebreak, load))[:overlap]
        load[order] += 1
        assigned.append(",".join(sorted(pool[i] for i in order)))
    return assigned
