"""What customers ask about: topics of their opening turns, with ids that survive refits.

The default needs no model download: TF-IDF (scikit-learn) of the customer's first
message, spherical k-means on the distinct texts weighted by how often each was sent,
k chosen by silhouette on a sample. Resolved and unresolved conversations are
clustered together so every topic has a resolution rate.

Where open-source topic models fall short for a nightly job, this module is explicit:

- **Outliers are capped.** A conversation is an outlier only when its cosine to its
  topic's centroid is below ``min_similarity``, and never more than
  ``max_outlier_share`` of conversations are (the least similar first).
- **Ids are stable.** Each topic keeps its centroid as a term -> weight map (the
  vocabulary changes between refits, terms do not). A refit starts k-means from the
  previous centroids, then matches new clusters to old ones one-to-one (Hungarian
  assignment on centroid cosine); a match at or above ``match_similarity`` keeps the
  old id, anything else is a new topic with a new id.
- **Labels are readable**: the top terms of the centroid and the member utterance
  closest to it (scrubbed text, since only scrubbed text reaches the warehouse).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy.optimize import linear_sum_assignment
from scipy.sparse import csr_matrix
from sklearn.cluster import KMeans
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import silhouette_score
from sklearn.preprocessing import normalize

# Placeholders of the PII scrubber (<PERSON_1>, <EMAIL_2>) and numbers say nothing
# about the topic.
_NOISE = re.compile(r"<[A-Z_]+_\d+>|\b\d[\d.,:/-]*\b")
TOPIC_PREFIX = "topic-"
OUTLIER = None  # topic_id of a conversation no topic fits


@dataclass(frozen=True)
class TopicParams:
    """Tuning of :func:`fit_topics`; the defaults are what the tests and the demo use."""

    candidate_k: tuple[int, ...] = (8, 12, 16, 20, 24, 28, 32)
    max_outlier_share: float = 0.10
    min_similarity: float = 0.2
    match_similarity: float = 0.5
    # A refit moves to another k only when its silhouette beats the previous k's by
    # this much: small wobbles in k would split or merge topics between nights.
    k_change_margin: float = 0.02
    silhouette_sample: int = 3000
    # k-means runs on at most this many distinct texts (drawn by how often each was
    # sent); every text is then assigned to its nearest centre. Lloyd's iterations on
    # all distinct texts were 70% of the time at 2.8M conversations; a 60k sample merged
    # a planted topic into a neighbour there, 150k kept it (docs/knowledge-base.md).
    fit_sample: int = 150_000
    first_fit_starts: int = 5
    # A refit starts from the previous k centroids, so a topic that did not exist
    # before would be swallowed by a neighbour. Texts fitting their topic worse than
    # this are clustered again; a group of at least ``new_topic_size`` conversations
    # whose members sit closer to it than to their old topic becomes a new topic.
    new_topic_similarity: float = 0.3
    new_topic_size: int = 30
    centroid_terms: int = 60
    label_terms: int = 4
    seed: int = 0


@dataclass(frozen=True)
class Topic:
    topic_id: str
    top_terms: tuple[str, ...]
    representative: str
    centroid: Mapping[str, float] = field(repr=False)
    conversations: int = 0

    @property
    def label(self) -> str:
        return ", ".join(self.top_terms)


@dataclass(frozen=True)
class TopicFit:
    """Topics and, per conversation, its ``topic_id`` (None: outlier) and ``similarity``."""

    topics: list[Topic]
    assignments: pd.DataFrame
    k: int

    @property
    def outlier_share(self) -> float:
        if self.assignments.empty:
            return 0.0
        return float(self.assignments["topic_id"].isna().mean())


def clean(text: str) -> str:
    """The text the vectorizer sees: placeholders and numbers removed, lowercased."""
    return " ".join(_NOISE.sub(" ", text).lower().split())


@dataclass(frozen=True)
class OpeningTexts:
    """The distinct cleaned openings a fit clusters: ``texts`` maps each non-empty
    cleaned text to the conversations that opened with it, most sent first (ties in
    order of first appearance: ``value_counts`` of the conversations' cleaned texts);
    ``original`` maps it to the first raw (scrubbed) text that cleans to it, and
    ``raw`` every distinct raw text to its cleaned text."""

    texts: pd.Series
    original: pd.Series
    raw: pd.Series


def opening_texts(distinct: pd.DataFrame) -> OpeningTexts:
    """:class:`OpeningTexts` from ``text, n, first`` rows: each distinct raw text, how
    many conversations opened with it, and where the first of them is in conversation
    order (any sortable key). Only the distinct texts are held, never a row per
    conversation: the warehouse aggregates a window of any size into these rows."""
    frame = pd.DataFrame(
        {
            "text": distinct["text"].fillna("").to_numpy(dtype=object),
            "n": distinct["n"].to_numpy(dtype=np.int64),
            "first": distinct["first"].to_numpy(),
        }
    )
    frame["clean"] = np.array([clean(text) for text in frame["text"]], dtype=object)
    frame = frame.sort_values("first", kind="stable")
    kept = frame.loc[frame["clean"] != ""]
    grouped = kept.groupby("clean", sort=False)
    texts = grouped["n"].sum().sort_values(ascending=False, kind="stable")
    original = kept.drop_duplicates("clean").set_index("clean")["text"]
    return OpeningTexts(
        texts=texts,
        original=original,
        raw=pd.Series(frame["clean"].to_numpy(), index=frame["text"].to_numpy()),
    )


@dataclass(frozen=True)
class TextFit:
    """Topics and, per cleaned text of :class:`OpeningTexts`, ``topic_id`` (None:
    outlier) and ``similarity`` (``clean, topic_id, similarity``)."""

    topics: list[Topic]
    by_text: pd.DataFrame
    k: int


def fit_topics(
    openings: pd.DataFrame,
    previous: Sequence[Topic] = (),
    params: TopicParams | None = None,
) -> TopicFit:
    """Cluster ``openings`` (``conversation_id, text``: each conversation's first
    customer message, scrubbed) and name the topics, reusing ``previous`` ids."""
    frame = openings[["conversation_id", "text"]].copy()
    codes, distinct = pd.factorize(frame["text"].fillna(""))
    counts = np.bincount(codes, minlength=len(distinct))
    first = np.full(len(distinct), len(codes), dtype=np.int64)
    np.minimum.at(first, codes, np.arange(len(codes)))
    texts = opening_texts(
        pd.DataFrame({"text": np.asarray(distinct, dtype=object), "n": counts, "first": first})
    )
    fitted = fit_texts(texts, previous, params)
    frame["clean"] = texts.raw.reindex(frame["text"].fillna("")).to_numpy()
    assignments = frame[["conversation_id", "clean"]].merge(fitted.by_text, on="clean", how="left")
    assignments["similarity"] = assignments["similarity"].fillna(0.0)
    return TopicFit(
        topics=fitted.topics,
        assignments=assignments[["conversation_id", "topic_id", "similarity"]],
        k=fitted.k,
    )


def fit_texts(
    openings: OpeningTexts,
    previous: Sequence[Topic] = (),
    params: TopicParams | None = None,
) -> TextFit:
    """Cluster the distinct cleaned openings (weighted by the conversations that sent
    each) and name the topics, reusing ``previous`` ids."""
    params = params or TopicParams()
    texts = openings.texts
    if len(texts) < 3:
        return TextFit([], pd.DataFrame(columns=["clean", "topic_id", "similarity"]), 0)
    vectorizer = TfidfVectorizer(
        stop_words="english",
        sublinear_tf=True,
        ngram_range=(1, 2),
        min_df=2 if len(texts) >= 200 else 1,
        max_df=0.5,
        max_features=30_000,
    )
    matrix = vectorizer.fit_transform(texts.index)
    terms = vectorizer.get_feature_names_out()
    weights = texts.to_numpy(dtype=float)
    seeds = _project(previous, terms)
    k = _choose_k(matrix, weights, params, previous_k=len(previous))
    init = _initial_centers(matrix, seeds, k, params.seed)
    # A first fit tries several k-means++ starts (one bad start leaves a mixed "junk"
    # cluster); a refit starts once, from the previous centroids, to keep the topics.
    model = _fit_kmeans(
        KMeans(
            n_clusters=k,
            init=init,
            n_init=params.first_fit_starts if isinstance(init, str) else 1,
            random_state=params.seed,
        ),
        matrix,
        weights,
        params,
    )
    centers, labels = _with_new_topics(
        matrix, weights, normalize(model.cluster_centers_), model.predicted, params
    )
    similarity = np.asarray(matrix @ centers.T)[np.arange(len(labels)), labels]
    outlier = _outliers(similarity, weights, params)
    ids = _stable_ids(centers, terms, previous, params)
    by_text = pd.DataFrame(
        {
            "clean": texts.index,
            "topic_id": [
                OUTLIER if out else ids[label] for label, out in zip(labels, outlier, strict=True)
            ],
            "similarity": similarity,
        }
    )
    topics = _describe(
        centers, terms, labels, outlier, similarity, weights, texts, openings.original, ids, params
    )
    return TextFit(topics=topics, by_text=by_text, k=k)


def centroid_similarity(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    """Cosine of two term -> weight maps (terms missing on one side weigh 0)."""
    dot = sum(weight * b.get(term, 0.0) for term, weight in a.items())
    norm_a = np.sqrt(sum(w * w for w in a.values()))
    norm_b = np.sqrt(sum(w * w for w in b.values()))
    return float(dot / (norm_a * norm_b)) if norm_a and norm_b else 0.0


# ----------------------------------------------------------------------- internals
def _project(previous: Sequence[Topic], terms: np.ndarray) -> np.ndarray:
    """Previous centroids in this fit's term space (rows may be zero: vocabulary moved)."""
    index = {term: position for position, term in enumerate(terms)}
    seeds = np.zeros((len(previous), len(terms)))
    for row, topic in enumerate(previous):
        for term, weight in topic.centroid.items():
            if term in index:
                seeds[row, index[term]] = weight
    return seeds[np.abs(seeds).sum(axis=1) > 0]


def _choose_k(matrix: csr_matrix, weights: np.ndarray, params: TopicParams, previous_k: int) -> int:
    """The candidate k with the best silhouette (cosine) on a weighted sample; a refit
    keeps the previous k unless another beats it by ``k_change_margin``."""
    rows = matrix.shape[0]
    candidates = sorted({k for k in (*params.candidate_k, previous_k) if 2 <= k < rows})
    if not candidates:
        return max(1, min(rows - 1, 2))
    rng = np.random.default_rng(params.seed)
    size = min(rows, params.silhouette_sample)
    sample = rng.choice(rows, size=size, replace=False, p=weights / weights.sum())
    sub, sub_weights = matrix[sample], weights[sample]
    scores: dict[int, float] = {}
    for k in candidates:
        if k >= size:
            continue
        labels = KMeans(n_clusters=k, n_init=2, random_state=params.seed).fit_predict(
            sub, sample_weight=sub_weights
        )
        if len(set(labels)) < 2:
            continue
        scores[k] = float(silhouette_score(sub, labels, metric="cosine", random_state=params.seed))
    if not scores:
        return candidates[0]
    best = max(scores, key=scores.__getitem__)
    if previous_k in scores and scores[best] - scores[previous_k] < params.k_change_margin:
        return previous_k
    return best


def _initial_centers(matrix: csr_matrix, seeds: np.ndarray, k: int, seed: int) -> np.ndarray | str:
    """Previous centroids first, then the texts farthest from every center chosen so far."""
    if not len(seeds):
        return "k-means++"
    seeds = normalize(seeds)
    if len(seeds) >= k:
        return seeds[:k]
    centers = list(seeds)
    best = np.asarray((matrix @ seeds.T).max(axis=1)).ravel()
    while len(centers) < k:
        far = int(np.argmin(best))
        center = matrix[far].toarray().ravel()
        centers.append(center)
        best = np.maximum(best, np.asarray(matrix @ center).ravel())
        best[far] = np.inf
    return np.vstack(centers)


class _Fitted:
    """A fitted k-means and the cluster of every row it was asked to cluster."""

    def __init__(self, model: KMeans, predicted: np.ndarray) -> None:
        self.cluster_centers_ = model.cluster_centers_
        self.predicted = predicted


def _fit_kmeans(
    model: KMeans, matrix: csr_matrix, weights: np.ndarray, params: TopicParams
) -> _Fitted:
    """``model`` fitted on ``matrix`` or, above ``params.fit_sample`` rows, on a sample
    drawn by weight (kept with its weights); every row then goes to its nearest centre."""
    rows = matrix.shape[0]
    if rows <= params.fit_sample:
        model.fit(matrix, sample_weight=weights)
        return _Fitted(model, model.labels_)
    rng = np.random.default_rng(params.seed)
    sample = np.sort(
        rng.choice(rows, size=params.fit_sample, replace=False, p=weights / weights.sum())
    )
    model.fit(matrix[sample], sample_weight=weights[sample])
    return _Fitted(model, model.predict(matrix))


def _with_new_topics(
    matrix: csr_matrix,
    weights: np.ndarray,
    centers: np.ndarray,
    labels: np.ndarray,
    params: TopicParams,
) -> tuple[np.ndarray, np.ndarray]:
    """Centers and labels with dense groups among the poorly fitting texts added."""
    similarity = np.asarray(matrix @ centers.T)[np.arange(len(labels)), labels]
    loose = np.flatnonzero(similarity < params.new_topic_similarity)
    groups = int(weights[loose].sum() // params.new_topic_size)
    if groups < 1 or len(loose) <= groups:
        return centers, labels
    residual = _fit_kmeans(
        KMeans(n_clusters=min(groups, 8), n_init=3, random_state=params.seed),
        matrix[loose],
        weights[loose],
        params,
    )
    labels = labels.copy()
    added = []
    for group, center in enumerate(normalize(residual.cluster_centers_)):
        members = loose[residual.predicted == group]
        closer = members[np.asarray(matrix[members] @ center).ravel() > similarity[members]]
        if weights[closer].sum() >= params.new_topic_size:
            labels[closer] = len(centers) + len(added)
            added.append(center)
    if not added:
        return centers, labels
    return np.vstack([centers, *added]), labels


def _outliers(similarity: np.ndarray, weights: np.ndarray, params: TopicParams) -> np.ndarray:
    """Texts below ``min_similarity``, least similar first, up to the outlier cap
    (counted in conversations, not distinct texts)."""
    outlier = np.zeros(len(similarity), dtype=bool)
    budget = params.max_outlier_share * weights.sum()
    used = 0.0
    for index in np.argsort(similarity, kind="stable"):
        if similarity[index] >= params.min_similarity or used + weights[index] > budget:
            break
        outlier[index] = True
        used += weights[index]
    return outlier


def _centroid_map(center: np.ndarray, terms: np.ndarray, size: int) -> dict[str, float]:
    top = np.argsort(-center, kind="stable")[:size]
    return {str(terms[i]): round(float(center[i]), 6) for i in top if center[i] > 0}


def _stable_ids(
    centers: np.ndarray, terms: np.ndarray, previous: Sequence[Topic], params: TopicParams
) -> list[str]:
    maps = [_centroid_map(center, terms, params.centroid_terms) for center in centers]
    ids: list[str | None] = [None] * len(maps)
    if previous:
        cost = np.array(
            [[1.0 - centroid_similarity(new, old.centroid) for old in previous] for new in maps]
        )
        for row, column in zip(*linear_sum_assignment(cost), strict=True):
            if 1.0 - cost[row, column] >= params.match_similarity:
                ids[row] = previous[column].topic_id
    used = [int(t.topic_id.removeprefix(TOPIC_PREFIX)) for t in previous]
    next_number = max(used, default=0) + 1
    for row, topic_id in enumerate(ids):
        if topic_id is None:
            ids[row] = f"{TOPIC_PREFIX}{next_number:04d}"
            next_number += 1
    return [str(topic_id) for topic_id in ids]


def _describe(
    centers: np.ndarray,
    terms: np.ndarray,
    labels: np.ndarray,
    outlier: np.ndarray,
    similarity: np.ndarray,
    weights: np.ndarray,
    texts: pd.Series,
    original: pd.Series,
    ids: list[str],
    params: TopicParams,
) -> list[Topic]:
    # The representative is shown as the customer wrote it (scrubbed), not lowercased.
    topics = []
    for cluster, center in enumerate(centers):
        members = np.flatnonzero((labels == cluster) & ~outlier)
        if not len(members):
            continue
        closest = members[np.argmax(similarity[members])]
        topics.append(
            Topic(
                topic_id=ids[cluster],
                top_terms=_label_terms(center, terms, params.label_terms),
                representative=str(original[texts.index[closest]]),
                centroid=_centroid_map(center, terms, params.centroid_terms),
                conversations=int(weights[members].sum()),
            )
        )
    return sorted(topics, key=lambda topic: topic.topic_id)


def _label_terms(center: np.ndarray, terms: np.ndarray, size: int) -> tuple[str, ...]:
    """The heaviest terms, skipping a word already inside a chosen bigram (and vice versa)."""
    chosen: list[str] = []
    for index in np.argsort(-center, kind="stable"):
        term = str(terms[index])
        words = set(term.split())
        if any(words & set(other.split()) for other in chosen):
            continue
        chosen.append(term)
        if len(chosen) == size:
            break
    return tuple(chosen)
