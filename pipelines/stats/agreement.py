"""Inter-labeler agreement per field and batch, per-labeler quality, and the gate.

Input everywhere is the long label frame (one row per item x annotator x field,
columns ``item_id, annotator_id, field, value`` plus optional ``is_adjudication``).
Not every labeler labels every item: missing ratings are simply absent rows.

Library use: Cohen's kappa is scikit-learn's ``cohen_kappa_score``, Fleiss' kappa is
statsmodels' ``fleiss_kappa``, Krippendorff's alpha is the ``krippendorff`` package.
Hand-written here, because no kept library offers them: Gwet's AC1 (Gwet 2008/2014,
multi-rater form with missing ratings), pairwise percent agreement (one line of
arithmetic), the bootstrap over items, and, for speed only, a vectorized copy of
Cohen's kappa used inside the bootstrap (tested equal to scikit-learn).
"""

from __future__ import annotations

import itertools
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import krippendorff
import numpy as np
import pandas as pd

STATISTICS = (
    "percent_agreement",
    "cohen_kappa",
    "fleiss_kappa",
    "krippendorff_alpha",
    "gwet_ac1",
)
LABEL_COLUMNS = ("item_id", "annotator_id", "field", "value")


# ---------------------------------------------------------------- coefficients
# All count-based coefficients take an items x categories matrix of rating counts
# (r_ik = raters who put item i in category k), so a bootstrap resample is a row index.


def percent_agreement(counts: np.ndarray) -> float:
    """Mean over items (with >= 2 ratings) of the share of agreeing rater pairs."""
    counts = np.asarray(counts, dtype=float)
    raters = counts.sum(axis=1)
    rated = raters >= 2
    if not rated.any():
        return float("nan")
    agreeing_pairs = (counts[rated] * (counts[rated] - 1)).sum(axis=1)
    return float(np.mean(agreeing_pairs / (raters[rated] * (raters[rated] - 1))))


def gwet_ac1(counts: np.ndarray) -> float:
    """Gwet's AC1 for any number of raters, with missing ratings (Gwet 2014, ch. 4).

    pa = mean over items with >= 2 ratings of sum_k r_ik (r_ik - 1) / (r_i (r_i - 1));
    pi_k = mean over rated items of r_ik / r_i; pe = sum_k pi_k (1 - pi_k) / (q - 1);
    AC1 = (pa - pe) / (1 - pe). Hand-written: no kept Python library implements it.
    """
    counts = np.asarray(counts, dtype=float)
    n_categories = counts.shape[1]
    if n_categories < 2:
        return float("nan")
    raters = counts.sum(axis=1)
    pa = percent_agreement(counts)
    rated = raters >= 1
    pi = (counts[rated] / raters[rated, None]).mean(axis=0)
    pe = float((pi * (1 - pi)).sum() / (n_categories - 1))
    return float((pa - pe) / (1 - pe)) if pe < 1 else float("nan")


def fleiss_kappa(counts: np.ndarray) -> float:
    """Fleiss' kappa via statsmodels; every row must have the same number of ratings."""
    # Deferred: kept out of the definitions' imports (pipelines/defs/preload.py).
    from statsmodels.stats.inter_rater import fleiss_kappa as sm_fleiss_kappa

    counts = np.asarray(counts)
    counts = counts[counts.sum(axis=1) > 0]  # items cut out by ``equal_raters_table``
    if len(counts) == 0 or counts.sum(axis=1).min() < 2:
        return float("nan")
    with np.errstate(divide="ignore", invalid="ignore"):
        return float(sm_fleiss_kappa(counts, method="fleiss"))


def krippendorff_alpha(counts: np.ndarray, level: str = "nominal") -> float:
    """Krippendorff's alpha from value counts (columns in category order, which is
    what the ordinal metric uses). NaN when the data show fewer than two values."""
    counts = np.asarray(counts)
    if (counts.sum(axis=0) > 0).sum() < 2:
        return float("nan")
    # Bootstrap resamples can show no disagreement at all (0/0): NaN, no warning.
    with np.errstate(divide="ignore", invalid="ignore"):
        return float(
            krippendorff.alpha(
                value_counts=counts,
                value_domain=np.arange(counts.shape[1]),
                level_of_measurement=level,
            )
        )


def _pairs(codes: np.ndarray) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """(item rows, codes of labeler a, codes of labeler b) for every labeler pair
    sharing at least two items; ``codes`` is items x annotators, -1 = missing."""
    pairs = []
    for a, b in itertools.combinations(range(codes.shape[1]), 2):
        rows = np.flatnonzero((codes[:, a] >= 0) & (codes[:, b] >= 0))
        if len(rows) >= 2:
            pairs.append((rows, codes[rows, a], codes[rows, b]))
    return pairs


def mean_cohen_kappa(codes: np.ndarray, n_categories: int) -> float:
    """Light's kappa: the mean of scikit-learn's Cohen's kappa over labeler pairs that
    share at least two items. Pairs whose kappa is undefined (both labelers used one
    and the same value throughout) are skipped. ``codes``: items x annotators, -1 missing."""
    # Deferred: kept out of the definitions' imports (pipelines/defs/preload.py).
    from sklearn.metrics import cohen_kappa_score

    kappas = []
    for _, first, second in _pairs(codes):
        with warnings.catch_warnings(), np.errstate(divide="ignore", invalid="ignore"):
            warnings.simplefilter("ignore")
            kappa = cohen_kappa_score(first, second, labels=np.arange(n_categories))
        if np.isfinite(kappa):
            kappas.append(kappa)
    return float(np.mean(kappas)) if kappas else float("nan")


def _bootstrap_mean_cohen_kappa(
    codes: np.ndarray, n_categories: int, item_weights: np.ndarray
) -> np.ndarray:
    """Mean pairwise Cohen's kappa for each bootstrap resample at once.

    Written out (same formula as scikit-learn: (po - pe) / (1 - pe) from the pair's
    weighted confusion matrix) because calling ``cohen_kappa_score`` for every pair
    and resample costs ~1 ms each in input validation, i.e. minutes per batch;
    ``tests/stats/test_agreement.py`` checks it equals scikit-learn.
    ``item_weights``: resamples x items multiplicities.
    """
    per_pair = []
    for rows, first, second in _pairs(codes):
        cell = np.eye(n_categories * n_categories)[first * n_categories + second]
        confusion = (item_weights[:, rows] @ cell).reshape(-1, n_categories, n_categories)
        total = confusion.sum(axis=(1, 2))
        with np.errstate(divide="ignore", invalid="ignore"):
            observed = np.trace(confusion, axis1=1, axis2=2) / total
            expected = (confusion.sum(axis=2) * confusion.sum(axis=1)).sum(axis=1) / total**2
            per_pair.append((observed - expected) / (1 - expected))
    if not per_pair:
        return np.full(len(item_weights), np.nan)
    stacked = np.vstack(per_pair)
    finite = np.isfinite(stacked)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(finite, stacked, 0).sum(axis=0) / finite.sum(axis=0)


# ---------------------------------------------------------------- data shaping


def rating_matrix(labels: pd.DataFrame, field: str) -> pd.DataFrame:
    """Items x annotators matrix of one field's values (NaN where not rated).
    Adjudication rows are excluded: they are the answer, not a rating."""
    rows = labels.loc[labels["field"] == field]
    if "is_adjudication" in rows.columns:
        rows = rows.loc[~rows["is_adjudication"].astype(bool)]
    duplicated = rows.duplicated(["item_id", "annotator_id"])
    if duplicated.any():
        example = rows.loc[duplicated, ["item_id", "annotator_id"]].iloc[0].tolist()
        raise ValueError(
            f"field {field!r}: more than one rating per item and annotator, e.g. {example}"
        )
    return rows.pivot(index="item_id", columns="annotator_id", values="value").sort_index(axis=0)


def count_table(matrix: pd.DataFrame, categories: Sequence[str]) -> np.ndarray:
    """Items x categories counts; a value outside ``categories`` is an error."""
    values = matrix.to_numpy(dtype=object)
    unknown = {v for v in values.ravel() if pd.notna(v)} - set(categories)
    if unknown:
        raise ValueError(f"values {sorted(unknown)} are not among categories {list(categories)}")
    return np.stack([(values == category).sum(axis=1) for category in categories], axis=1)


def equal_raters_table(matrix: pd.DataFrame, categories: Sequence[str]) -> np.ndarray:
    """Counts with every item cut to the same number of ratings, for Fleiss' kappa.

    Fleiss' kappa assumes a constant number of raters per item. Items with >= 2
    ratings are cut to the smallest such count, keeping their first ratings in
    annotator-id order (deterministic); items with one rating become zero rows so
    rows stay aligned with ``matrix``. With the usual fixed overlap nothing is cut.
    """
    present = matrix.notna()
    n_ratings = present.sum(axis=1)
    keep = n_ratings >= 2
    m = int(n_ratings[keep].min()) if keep.any() else 0
    trimmed = matrix.where(present.cumsum(axis=1) <= m).where(keep, axis=0)
    return count_table(trimmed, categories)


# ---------------------------------------------------------------- per-field report


@dataclass(frozen=True)
class FieldSpec:
    """A categorical field: its categories (in order when ordered) and alpha level."""

    name: str
    categories: tuple[str, ...]
    ordered: bool = False

    @property
    def alpha_level(self) -> str:
        return "ordinal" if self.ordered else "nominal"


def _percentile_ci(draws: np.ndarray) -> tuple[float, float]:
    """Percentile 95% interval of the finite bootstrap draws."""
    draws = draws[np.isfinite(draws)]
    if len(draws) == 0:
        return (float("nan"), float("nan"))
    low, high = np.percentile(draws, [2.5, 97.5])
    return (float(low), float(high))


def field_agreement(
    labels: pd.DataFrame,
    spec: FieldSpec,
    n_boot: int = 1000,
    seed: int = 0,
) -> dict[str, object]:
    """All agreement statistics for one field, each with a percentile bootstrap 95% CI
    over items (``n_boot`` resamples, seeded). ``n_items`` counts items with >= 2
    ratings, the ones agreement can be measured on; single-rated items still enter
    the category prevalences of AC1."""
    matrix = rating_matrix(labels, spec.name)
    matrix = matrix.loc[matrix.notna().any(axis=1)]
    counts = count_table(matrix, spec.categories)
    fleiss_counts = equal_raters_table(matrix, spec.categories)
    category_code = {category: code for code, category in enumerate(spec.categories)}
    codes = matrix.apply(lambda column: column.map(category_code)).fillna(-1).to_numpy(int)
    n_categories = len(spec.categories)

    statistics: dict[str, Callable[[np.ndarray], float]] = {
        "percent_agreement": lambda idx: percent_agreement(counts[idx]),
        "fleiss_kappa": lambda idx: fleiss_kappa(fleiss_counts[idx]),
        "krippendorff_alpha": lambda idx: krippendorff_alpha(counts[idx], spec.alpha_level),
        "gwet_ac1": lambda idx: gwet_ac1(counts[idx]),
    }
    n_rated = int((counts.sum(axis=1) >= 2).sum())
    row: dict[str, object] = {
        "field": spec.name,
        "n_items": n_rated,
        "n_annotators": int(matrix.notna().any(axis=0).sum()),
        "n_ratings": int(counts.sum()),
        "krippendorff_level": spec.alpha_level,
    }
    everything = np.arange(len(matrix))
    rng = np.random.default_rng(seed)
    resamples = (
        rng.integers(0, len(matrix), (n_boot, len(matrix)))
        if n_rated >= 2
        else np.empty((0, len(matrix)), dtype=int)
    )
    for name, statistic in statistics.items():
        row[name] = statistic(everything) if n_rated else float("nan")
        draws = np.array([statistic(idx) for idx in resamples], dtype=float)
        row[f"{name}_ci_low"], row[f"{name}_ci_high"] = _percentile_ci(draws)
    row["cohen_kappa"] = mean_cohen_kappa(codes, n_categories)
    # Per-resample item multiplicities, via one bincount over offset indices.
    offsets = np.arange(len(resamples))[:, None] * len(matrix)
    weights = np.bincount(
        (resamples + offsets).ravel(), minlength=len(resamples) * len(matrix)
    ).reshape(len(resamples), len(matrix))
    cohen_draws = _bootstrap_mean_cohen_kappa(codes, n_categories, weights)
    row["cohen_kappa_ci_low"], row["cohen_kappa_ci_high"] = _percentile_ci(cohen_draws)
    row["krippendorff_alpha_nominal"] = (
        krippendorff_alpha(counts, "nominal") if n_rated else float("nan")
    )
    return row


# ---------------------------------------------------------------- labelers


def majority_consensus(labels: pd.DataFrame) -> pd.DataFrame:
    """Consensus per item and field: the adjudicated value where there is one, else the
    strict plurality of ratings (ties have no consensus and go to adjudication).
    Columns: item_id, field, value, source ('adjudicated' | 'majority')."""
    is_adjudication = labels.get("is_adjudication", pd.Series(False, index=labels.index))
    is_adjudication = is_adjudication.fillna(False).astype(bool)
    adjudicated = (
        labels.loc[is_adjudication, ["item_id", "field", "value"]]
        .drop_duplicates(["item_id", "field"], keep="last")
        .assign(source="adjudicated")
    )
    ratings = labels.loc[~is_adjudication & labels["value"].notna()]
    tallies = ratings.groupby(["item_id", "field", "value"]).size().rename("votes").reset_index()
    tallies = tallies.sort_values(
        ["item_id", "field", "votes", "value"], ascending=[True, True, False, True]
    )
    tallies["rank"] = tallies.groupby(["item_id", "field"]).cumcount()
    first = tallies.loc[tallies["rank"] == 0].set_index(["item_id", "field"])
    runner_up = (
        tallies.loc[tallies["rank"] == 1]
        .set_index(["item_id", "field"])["votes"]
        .reindex(first.index)
        .fillna(0)
    )
    majority = first.loc[first["votes"] > runner_up, ["value"]].reset_index()
    majority = majority.assign(source="majority")
    majority = majority.loc[
        ~majority.set_index(["item_id", "field"]).index.isin(
            adjudicated.set_index(["item_id", "field"]).index
        )
    ]
    return pd.concat([adjudicated, majority], ignore_index=True)


def disagreements(labels: pd.DataFrame, fields: Sequence[str]) -> pd.DataFrame:
    """Items and fields where ratings differ and no adjudicated value exists yet."""
    consensus = majority_consensus(labels)
    adjudicated = consensus.loc[consensus["source"] == "adjudicated", ["item_id", "field"]]
    ratings = labels.loc[labels["field"].isin(fields)]
    if "is_adjudication" in ratings.columns:
        ratings = ratings.loc[~ratings["is_adjudication"].astype(bool)]
    distinct = ratings.groupby(["item_id", "field"])["value"].nunique().rename("n_values")
    split = distinct.loc[distinct > 1].reset_index()
    merged = split.merge(adjudicated, on=["item_id", "field"], how="left", indicator=True)
    return merged.loc[merged["_merge"] == "left_only", ["item_id", "field"]].reset_index(drop=True)


def _peer_agreement(ratings: pd.DataFrame) -> pd.DataFrame:
    """Per labeler: number of partners and the median over partners of the share of
    shared item-fields on which the two gave the same value."""
    pairs = ratings.merge(ratings, on=["item_id", "field"], suffixes=("", "_peer"))
    pairs = pairs.loc[pairs["annotator_id"] != pairs["annotator_id_peer"]]
    per_partner = (
        pairs.assign(agree=pairs["value"] == pairs["value_peer"])
        .groupby(["annotator_id", "annotator_id_peer"])["agree"]
        .mean()
    )
    return per_partner.groupby("annotator_id").agg(peer_agreement="median", n_peers="size")


def labeler_quality(
    labels: pd.DataFrame,
    fields: Sequence[str],
    gold: pd.DataFrame | None = None,
    min_agreement: float = 0.90,
    min_items: int = 10,
) -> pd.DataFrame:
    """Per labeler, with counts: agreement with the consensus of the *other* labelers
    (adjudicated values override), peer agreement (median over partners of pairwise
    agreement), and accuracy on gold items.

    Leave-one-out because with two labelers per item a consensus that includes the
    labeler's own vote would agree with them by construction. But with two labelers
    per item that consensus is just the partner, so one careless labeler drags down
    everyone paired with them; the median over partners does not. Hence
    ``below_bar`` when, on at least ``min_items`` ratings, *both* consensus and peer
    agreement are under ``min_agreement``, or gold accuracy is.
    """
    ratings = labels.loc[labels["field"].isin(fields) & labels["value"].notna()]
    if "is_adjudication" in ratings.columns:
        is_adjudication = ratings["is_adjudication"].astype(bool)
        adjudicated = ratings.loc[is_adjudication]
        ratings = ratings.loc[~is_adjudication]
    else:
        adjudicated = ratings.iloc[0:0]
    peers = _peer_agreement(ratings)
    rows = []
    for annotator, own in ratings.groupby("annotator_id", sort=True):
        others = ratings.loc[ratings["annotator_id"] != annotator]
        reference = majority_consensus(
            pd.concat(
                [others.assign(is_adjudication=False), adjudicated.assign(is_adjudication=True)]
            )
        )
        compared = own.merge(reference, on=["item_id", "field"], suffixes=("", "_consensus"))
        row: dict[str, object] = {
            "annotator_id": annotator,
            "n_ratings": len(own),
            "n_consensus": len(compared),
            "consensus_agreement": (
                float((compared["value"] == compared["value_consensus"]).mean())
                if len(compared)
                else float("nan")
            ),
        }
        row["n_peers"] = int(peers["n_peers"].get(annotator, 0))
        row["peer_agreement"] = float(peers["peer_agreement"].get(annotator, float("nan")))
        if gold is not None and len(gold):
            scored = own.merge(
                gold[["item_id", "field", "value"]], on=["item_id", "field"], suffixes=("", "_gold")
            )
            row["n_gold"] = len(scored)
            row["gold_accuracy"] = (
                float((scored["value"] == scored["value_gold"]).mean())
                if len(scored)
                else float("nan")
            )
        else:
            row["n_gold"], row["gold_accuracy"] = 0, float("nan")
        reasons = []
        if (
            row["n_consensus"] >= min_items
            and row["consensus_agreement"] < min_agreement
            and not row["peer_agreement"] >= min_agreement
        ):
            reasons.append(
                f"consensus agreement {row['consensus_agreement']:.2f} on {row['n_consensus']}, "
                f"peer agreement {row['peer_agreement']:.2f} over {row['n_peers']} partners"
            )
        if row["n_gold"] >= min_items and row["gold_accuracy"] < min_agreement:
            reasons.append(f"gold accuracy {row['gold_accuracy']:.2f} on {row['n_gold']}")
        row["below_bar"] = bool(reasons)
        row["reason"] = "; ".join(reasons)
        rows.append(row)
    columns = [
        "annotator_id", "n_ratings", "n_consensus", "consensus_agreement",
        "n_peers", "peer_agreement", "n_gold", "gold_accuracy", "below_bar", "reason",
    ]  # fmt: skip
    return pd.DataFrame(rows, columns=columns)


# ---------------------------------------------------------------- report and gate


@dataclass(frozen=True)
class AgreementReport:
    """One batch: per-field statistics and per-labeler quality."""

    batch_id: str
    fields: pd.DataFrame
    labelers: pd.DataFrame


@dataclass(frozen=True)
class GateResult:
    passed: bool
    message: str


def agreement_report(
    labels: pd.DataFrame,
    specs: Sequence[FieldSpec],
    *,
    batch_id: str = "",
    gold: pd.DataFrame | None = None,
    n_boot: int = 1000,
    seed: int = 0,
    min_labeler_agreement: float = 0.90,
) -> AgreementReport:
    """Agreement for every field in ``specs`` plus labeler quality, for one batch."""
    missing = [c for c in LABEL_COLUMNS if c not in labels.columns]
    if missing:
        raise ValueError(f"label frame lacks columns {missing}")
    # Only fields this batch labeled: a CSV with just ``resolved`` is not a failure
    # on the other fields.
    present = set(labels["field"])
    rows = [
        field_agreement(labels, spec, n_boot=n_boot, seed=seed)
        for spec in specs
        if spec.name in present
    ]
    fields = pd.DataFrame(rows)
    fields.insert(0, "batch_id", batch_id)
    labelers = labeler_quality(
        labels, [spec.name for spec in specs], gold=gold, min_agreement=min_labeler_agreement
    )
    labelers.insert(0, "batch_id", batch_id)
    return AgreementReport(batch_id=batch_id, fields=fields, labelers=labelers)


def agreement_gate(
    report: AgreementReport,
    min_percent: float = 0.90,
    min_alpha: float = 0.80,
) -> GateResult:
    """Pass when every field reaches ``min_percent`` pairwise agreement and
    ``min_alpha`` Krippendorff's alpha, and no labeler is below the bar.

    Both bars because percent agreement alone overstates consistency on skewed labels
    (see docs/annotation-qa.md). An alpha that cannot be computed (a single value in
    the whole batch) is reported but does not fail the gate.
    """
    problems = []
    for row in report.fields.itertuples(index=False):
        short = []
        if row.n_items == 0:
            problems.append(f"field {row.field}: no item has two ratings")
            continue
        if row.percent_agreement < min_percent:
            short.append(f"percent agreement {row.percent_agreement:.3f} < {min_percent}")
        if np.isfinite(row.krippendorff_alpha) and row.krippendorff_alpha < min_alpha:
            short.append(f"alpha {row.krippendorff_alpha:.3f} < {min_alpha}")
        if short:
            problems.append(f"field {row.field}: " + ", ".join(short))
    uncomputable = report.fields.loc[~np.isfinite(report.fields["krippendorff_alpha"]), "field"]
    flagged = report.labelers.loc[report.labelers["below_bar"]]
    problems.extend(
        f"labeler {r.annotator_id}: {r.reason}" for r in flagged.itertuples(index=False)
    )
    batch = f"batch {report.batch_id}: " if report.batch_id else ""
    if problems:
        return GateResult(False, batch + "below the agreement bar: " + "; ".join(problems))
    note = f" (alpha not computable for {', '.join(uncomputable)})" if len(uncomputable) else ""
    return GateResult(
        True,
        f"{batch}all {len(report.fields)} fields reach percent agreement >= {min_percent} "
        f"and alpha >= {min_alpha}; no labeler below the bar{note}",
    )
