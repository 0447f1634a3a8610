"""The `learned` judge: a scikit-learn model trained on the team's own human labels.

Target: the human consensus on the ``resolved`` field (the adjudicated value where
there is one, else the strict majority; "partially" counts as not resolved), via
``pipelines.stats.calibration.human_resolved``. Features: TF-IDF word 1-2-grams of
the customer's last turn, plus the signals judge's per-reason signals and its score
(so the model starts from the rules and learns where the team's labelers disagree).
Model: class-balanced logistic regression, because labeled samples are small and
skewed and its coefficients can be read.

:func:`train` cross-validates (stratified k-fold, out-of-fold predictions scored
against the labels with kappa and AC1 and their CIs), fits on all labels and stores
the model with its model card under ``<model_dir>/<version>/``; ``current.json``
names the version in force. The version is a hash of the training labels and the
feature code, so retraining on the same labels is a no-op. Below ``min_labels``
labels (or with too few of either class) there is no model:
:class:`LearnedJudgeUnavailable` says how many labels exist and how many are needed.

The model file is a pickle (scikit-learn's own persistence format): only load model
directories the pipeline wrote (the data home is the pipeline's own storage).
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import tempfile
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from pipelines.judge.agreement import binary_agreement
from pipelines.judge.base import Grouped, Verdicts, verdict_from_score
from pipelines.judge.signals import (
    REASON_CODES,
    RESOLVED_AT,
    UNRESOLVED_AT,
    Signals,
    compute_signals,
    verdicts_from,
)
from pipelines.judge.signals import VERSION as SIGNALS_VERSION
from pipelines.stats.calibration import human_resolved

if TYPE_CHECKING:
    from sklearn.pipeline import Pipeline

NAME = "learned"
FEATURES_VERSION = "learned-features-2"  # bump when the features below change
DEFAULT_MIN_LABELS = 200
DEFAULT_FOLDS = 5
# Text: the customer's last turn only. TF-IDF of the whole customer and bot text was
# tried on simulated labels of a generated day: no better agreement (kappa 0.81 vs
# 0.82 against the truth), and sklearn's Python tokenizer made judging 4x slower.
TEXT_COLUMNS = ("last_customer_text",)
SIGNAL_COLUMNS = (*(f"signal_{code}" for code in REASON_CODES), "signals_logit")
MODEL_FILE = "model.pkl"
CARD_FILE = "model_card.json"
# Each training conversation's out-of-fold verdict: what the model said about it while
# it was held out. The agreement mart measures the learned judge on these, not on its
# verdicts for labels it was fitted to.
CV_VERDICTS_FILE = "cv_verdicts.json"
CURRENT_FILE = "current.json"


class LearnedJudgeUnavailable(RuntimeError):
    """No trained model: too few labels, or none trained yet in this model directory."""


@dataclass(frozen=True)
class ModelCard:
    """What a trained model is and how well it agreed with humans out of sample."""

    judge: str
    version: str
    trained_at: str
    n_labels: int
    n_resolved: int
    n_not_resolved: int
    min_labels: int
    cv_folds: int
    cv: dict[str, float]  # out-of-fold agreement with the human consensus (+ _ci_low/_ci_high)
    signals_on_same_labels: dict[str, float]  # the signals judge on the same items
    features: str
    sklearn_version: str
    label_source: str

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=1, sort_keys=True)


def feature_frame(conversations: pa.Table, events: pa.Table) -> tuple[pd.DataFrame, Signals]:
    """One row per conversation (in ``conversations`` order): the text columns and the
    signal columns, plus the computed signals (for reasons and evidence)."""
    signals = compute_signals(conversations, events)
    grouped = signals.grouped
    text = np.asarray(
        pc.fill_null(grouped.events["text"].combine_chunks(), "").to_numpy(zero_copy_only=False),
        dtype=object,
    )
    kind = pc.fill_null(grouped.events["event_type"].combine_chunks(), "")
    actor = pc.fill_null(grouped.events["actor"].combine_chunks(), "")
    message = pc.equal(kind, "message").to_numpy(zero_copy_only=False) & (text != "")
    is_customer = pc.equal(actor, "customer").to_numpy(zero_copy_only=False)
    frame = pd.DataFrame({"last_customer_text": _last_text(grouped, text, message & is_customer)})
    values = signals.fired * signals.multiplier
    for index, code in enumerate(REASON_CODES):
        frame[f"signal_{code}"] = values[:, index]
    frame["signals_logit"] = signals.logit
    return frame, signals


def _last_text(grouped: Grouped, text: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Per conversation, the text of its last event matching ``mask`` ("" when none)."""
    last = np.full(grouped.n_conversations, -1)
    rows = np.flatnonzero(mask)
    last[grouped.group[rows]] = rows  # rows ascend, so the last write per group wins
    return np.where(last >= 0, text[np.maximum(last, 0)], "")


def _pipeline(seed: int) -> Pipeline:
    # Deferred: kept out of the definitions' imports (pipelines/defs/preload.py).
    from sklearn.compose import ColumnTransformer
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import StandardScaler

    def words() -> TfidfVectorizer:
        return TfidfVectorizer(ngram_range=(1, 2), min_df=2, max_features=20_000, sublinear_tf=True)

    columns = ColumnTransformer(
        [
            *((name, words(), name) for name in TEXT_COLUMNS),
            ("signals", StandardScaler(), list(SIGNAL_COLUMNS)),
        ]
    )
    model = LogisticRegression(class_weight="balanced", max_iter=2000, random_state=seed)
    return Pipeline([("features", columns), ("model", model)])


def labeled_items(labels: pd.DataFrame) -> pd.DataFrame:
    """conversation_id, human_resolved: one row per conversation with a consensus."""
    resolved = labels.loc[labels["field"] == "resolved"]
    if resolved.empty:
        return pd.DataFrame({"conversation_id": [], "human_resolved": []})
    return human_resolved(resolved).drop_duplicates("conversation_id", keep="last")


def _version(items: pd.DataFrame) -> str:
    # Deferred: kept out of the definitions' imports (pipelines/defs/preload.py).
    import sklearn

    digest = hashlib.sha256()
    for cid, value in sorted(zip(items["conversation_id"], items["human_resolved"], strict=True)):
        digest.update(f"{cid}\t{bool(value)}\n".encode())
    for part in (FEATURES_VERSION, SIGNALS_VERSION, sklearn.__version__):
        digest.update(part.encode())
    return f"{NAME}-{digest.hexdigest()[:12]}"


def _check_enough(items: pd.DataFrame, min_labels: int, folds: int) -> None:
    n = len(items)
    positives = int(items["human_resolved"].sum())
    smallest = min(positives, n - positives)
    if n < min_labels or smallest < 2 * folds:
        raise LearnedJudgeUnavailable(
            f"learned judge unavailable: {n} conversations have a human consensus on "
            f"'resolved' ({positives} resolved, {n - positives} not), it needs at least "
            f"{min_labels} and {2 * folds} of each; label more conversations or use "
            "judge=signals"
        )


def _agreement_summary(predicted: np.ndarray, truth: np.ndarray) -> dict[str, float]:
    agreement = binary_agreement(predicted, truth)
    summary: dict[str, float] = {"n": agreement.n}
    for name, value in agreement.statistics.items():
        summary[name] = value
        summary[f"{name}_ci_low"] = agreement.ci_low[name]
        summary[f"{name}_ci_high"] = agreement.ci_high[name]
    return summary


def train(
    labels: pd.DataFrame,
    conversations: pa.Table,
    events: pa.Table,
    model_dir: Path,
    *,
    min_labels: int = DEFAULT_MIN_LABELS,
    folds: int = DEFAULT_FOLDS,
    seed: int = 0,
) -> ModelCard:
    """Train (or find already trained) the model for the labeled conversations.

    ``labels``: the long label frame (annotation store / ``annotation.labels``);
    ``conversations`` / ``events``: scrubbed tables holding at least the labeled
    conversations (others are ignored). Labeled conversations missing from them are
    left out of training (they may be outside the loaded window).
    """
    # Deferred: kept out of the definitions' imports (pipelines/defs/preload.py).
    import sklearn
    from sklearn.model_selection import StratifiedKFold, cross_val_predict

    items = labeled_items(labels)
    known = set(conversations["conversation_id"].to_pylist())
    items = items.loc[items["conversation_id"].isin(known)].sort_values("conversation_id")
    _check_enough(items, min_labels, folds)
    version = _version(items)
    existing = _read_card(model_dir / version)
    if existing is not None:
        _point_current(model_dir, version)
        return existing
    subset = pc.is_in(conversations["conversation_id"], pa.array(items["conversation_id"]))
    chosen = conversations.filter(subset).select(["conversation_id"])
    order = {cid: i for i, cid in enumerate(chosen["conversation_id"].to_pylist())}
    features, signals = feature_frame(
        chosen, events.filter(pc.is_in(events["conversation_id"], chosen["conversation_id"]))
    )
    positions = items["conversation_id"].map(order).to_numpy()
    x = features.iloc[positions].reset_index(drop=True)
    y = items["human_resolved"].to_numpy(dtype=bool)
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    out_of_fold = cross_val_predict(_pipeline(seed), x, y, cv=splitter, method="predict_proba")[
        :, 1
    ]
    held_out = verdict_from_score(out_of_fold, RESOLVED_AT, UNRESOLVED_AT)
    predicted = held_out == "resolved"
    signals_score = 1 / (1 + np.exp(-signals.logit[positions]))
    signals_said = verdict_from_score(signals_score, RESOLVED_AT, UNRESOLVED_AT) == "resolved"
    model = _pipeline(seed).fit(x, y)
    card = ModelCard(
        judge=NAME,
        version=version,
        trained_at=datetime.now(UTC).isoformat(timespec="seconds"),
        n_labels=len(y),
        n_resolved=int(y.sum()),
        n_not_resolved=int((~y).sum()),
        min_labels=min_labels,
        cv_folds=folds,
        cv=_agreement_summary(predicted, y),
        signals_on_same_labels=_agreement_summary(signals_said, y),
        features=(
            "tf-idf 1-2-grams of the customer's last turn; "
            f"signals judge reasons and score ({SIGNALS_VERSION}); {FEATURES_VERSION}"
        ),
        sklearn_version=sklearn.__version__,
        label_source="human consensus on 'resolved' (adjudicated, else strict majority); "
        "'partially' counts as not resolved",
    )
    cv_verdicts = dict(zip(items["conversation_id"], held_out.tolist(), strict=True))
    _save(model_dir, version, model, card, cv_verdicts)
    return card


def _read_card(directory: Path) -> ModelCard | None:
    card = directory / CARD_FILE
    if not (card.exists() and (directory / MODEL_FILE).exists()):
        return None
    return ModelCard(**json.loads(card.read_text()))


def _atomic_write(target: Path, content: bytes) -> None:
    fd, partial = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    with os.fdopen(fd, "wb") as handle:
        handle.write(content)
    os.replace(partial, target)


def _save(
    model_dir: Path, version: str, model: Pipeline, card: ModelCard, cv_verdicts: dict[str, str]
) -> None:
    directory = model_dir / version
    directory.mkdir(parents=True, exist_ok=True)
    _atomic_write(directory / MODEL_FILE, pickle.dumps(model, protocol=pickle.HIGHEST_PROTOCOL))
    _atomic_write(directory / CV_VERDICTS_FILE, json.dumps(cv_verdicts, sort_keys=True).encode())
    _atomic_write(directory / CARD_FILE, card.to_json().encode())  # last: marks it complete
    _point_current(model_dir, version)


def _point_current(model_dir: Path, version: str) -> None:
    _atomic_write(model_dir / CURRENT_FILE, json.dumps({"version": version}).encode())


def current_card(model_dir: Path) -> ModelCard | None:
    """The model card of the model in force, or None when none was trained."""
    pointer = model_dir / CURRENT_FILE
    if not pointer.exists():
        return None
    return _read_card(model_dir / json.loads(pointer.read_text())["version"])


def cross_validated_verdicts(model_dir: Path, version: str) -> dict[str, str]:
    """conversation_id -> out-of-fold verdict of each conversation the model ``version``
    was trained on; empty for a model saved before these were kept."""
    path = model_dir / version / CV_VERDICTS_FILE
    return json.loads(path.read_text()) if path.exists() else {}


def should_retrain(
    model_dir: Path, labels: pd.DataFrame, *, min_labels: int, min_new_labels: int
) -> bool:
    """True when there is no model yet and enough labels exist, or at least
    ``min_new_labels`` more conversations have a consensus than the model was trained on."""
    n = len(labeled_items(labels))
    card = current_card(model_dir)
    if card is None:
        return n >= min_labels
    return n - card.n_labels >= min_new_labels


class LearnedJudge:
    """The trained model in force under ``model_dir``; reasons and evidence are the
    signals judge's, the score is the model's probability of "resolved"."""

    name = NAME

    def __init__(self, model_dir: Path) -> None:
        card = current_card(model_dir)
        if card is None:
            raise LearnedJudgeUnavailable(
                f"learned judge unavailable: no trained model under {model_dir}; it is "
                "trained once enough human labels exist (see docs/judges.md), use "
                "judge=signals until then"
            )
        self.card = card
        self.version = card.version
        # A pickle: safe only because the pipeline itself wrote it (see the module doc).
        self._model: Pipeline = pickle.loads((model_dir / card.version / MODEL_FILE).read_bytes())

    def judge_table(self, conversations: pa.Table, events: pa.Table) -> Verdicts:
        features, signals = feature_frame(conversations, events)
        score = (
            self._model.predict_proba(features)[:, 1] if len(features) else np.zeros(0, dtype=float)
        )
        score = np.where(signals.no_customer, 0.5, score)
        ids = conversations["conversation_id"].combine_chunks().cast(pa.string())
        return verdicts_from(signals, ids, score)
