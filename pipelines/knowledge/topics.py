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
- **A fit is a model that assigns any text.** It is fitted on at most ``fit_sample``
  distinct texts (drawn by weight, seeded), and a text's topic is then a pure function
  of the :class:`TopicModel` (vocabulary, IDF, centres, ids, outlier bar): the centre
  with the highest cosine, an outlier below the bar. So a stored model assigns a new
  day's texts exactly as it assigned the texts it was fitted on, and a nightly pays
  for the new day, not for the window (``gap_load.refresh_topics``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from scipy.sparse import csr_matrix
    from sklearn.feature_extraction.text import TfidfVectorizer

# Placeholders of the PII scrubber (<PERSON_1>, <EMAIL_2>) and numbers say nothing
# about the topic.
_NOISE = re.compile(r"<[A-Z_]+_\d+>|\b\d[\d.,:/-]*\b")
TOPIC_PREFIX = "topic-"
OUTLIER = None  # topic_id of a conversation no topic fits
# Names what shapes an assignment (the vectorizer's analysis, cosine to unit centres,
# the outlier bar). A stored model of another version is not used: the next run fits.
MODEL_VERSION = "tfidf12-english-sublinear-cosine@2"
# Rows of texts whose similarities to the centres are computed at once (bounds memory).
_ASSIGN_CHUNK = 50_000


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
    # A fit (vocabulary, k-means, new topics, labels) sees at most this many distinct
    # texts, drawn by how often each was sent and kept with their weights; every text
    # is then assigned by the fitted model. Bounds a fit's cost whatever the window: at
    # 28 days x 100k a refit costs ~9-12 CPU-s with 50,000 against 20-24 with 150,000,
    # and both planted gap topics stay in the top 5 (docs/knowledge-base.md, "Nightly
    # cost").
    fit_sample: int = 50_000
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
    # A stored model is refitted early when the share of a run's conversations that fit
    # their topic below ``new_topic_similarity`` exceeds the fit's own share by this
    # much: the new days hold something the topics do not describe.
    refit_drift: float = 0.05


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
class TopicModel:
    """What assigns a text to a topic: the vectorizer's vocabulary and IDF, one unit
    centre per topic with its id, and the outlier bar (a text whose best cosine is below
    it is an outlier). ``loose_share`` is the share of the fitted conversations whose
    best cosine was below ``new_topic_similarity`` (the drift reference)."""

    terms: tuple[str, ...]
    idf: np.ndarray = field(repr=False)
    centers: np.ndarray = field(repr=False)
    topic_ids: tuple[str, ...]
    outlier_bar: float
    loose_share: float
    version: str = MODEL_VERSION

    def similarities(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """Per cleaned text, the index of its closest centre and the cosine to it."""
        if not len(texts):
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        vectorizer = _vectorizer(vocabulary={term: i for i, term in enumerate(self.terms)})
        vectorizer.idf_ = self.idf
        labels, similarity = [], []
        for start in range(0, len(texts), _ASSIGN_CHUNK):
            matrix = vectorizer.transform(list(texts[start : start + _ASSIGN_CHUNK]))
            scores = np.asarray(matrix @ self.centers.T)
            best = scores.argmax(axis=1)
            labels.append(best)
            similarity.append(scores[np.arange(len(best)), best])
        return np.concatenate(labels), np.concatenate(similarity)

    def assign(self, texts: Sequence[str]) -> pd.DataFrame:
        """``clean, topic_id, similarity`` of each cleaned text (None: outlier)."""
        labels, similarity = self.similarities(texts)
        ids = np.asarray(self.topic_ids, dtype=object)
        topic = np.where(similarity < self.outlier_bar, OUTLIER, ids[labels] if len(ids) else None)
        return pd.DataFrame(
            {"clean": np.asarray(texts, dtype=object), "topic_id": topic, "similarity": similarity}
        )


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
    model: TopicModel | None = None


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
    each) and name the topics, reusing ``previous`` ids; every text is assigned by the
    fitted model and each topic counts its conversations among all of them."""
    model, topics, k = fit_model(openings, previous, params)
    if model is None:
        return TextFit([], pd.DataFrame(columns=["clean", "topic_id", "similarity"]), 0)
    by_text = model.assign(openings.texts.index)
    counts = openings.texts.groupby(by_text["topic_id"].to_numpy()).sum()
    topics = [replace(t, conversations=int(counts.get(t.topic_id, 0))) for t in topics]
    return TextFit(topics=topics, by_text=by_text, k=k, model=model)


def fit_model(
    openings: OpeningTexts,
    previous: Sequence[Topic] = (),
    params: TopicParams | None = None,
) -> tuple[TopicModel | None, list[Topic], int]:
    """The model, its topics (counted and labelled on the texts it was fitted on) and k.

    The fit sees at most ``params.fit_sample`` of the distinct texts, drawn by weight
    with a fixed seed: its cost is bounded whatever the window. None with fewer than
    three texts."""
    # Deferred: kept out of the definitions' imports (pipelines/defs/preload.py).
    from sklearn.cluster import KMeans
    from sklearn.preprocessing import normalize

    params = params or TopicParams()
    every = openings.texts
    if len(every) < 3:
        return None, [], 0
    sample, inclusion = _fit_sample(every.to_numpy(dtype=float), params)
    texts = every.iloc[sample]
    vectorizer = _vectorizer(min_df=2 if len(texts) >= 200 else 1)
    matrix = vectorizer.fit_transform(texts.index)
    terms = vectorizer.get_feature_names_out()
    weights = texts.to_numpy(dtype=float)
    seeds = _project(previous, terms)
    k = _choose_k(matrix, weights, params, previous_k=len(previous))
    init = _initial_centers(matrix, seeds, k, params.seed)
    # A first fit tries several k-means++ starts (one bad start leaves a mixed "junk"
    # cluster); a refit starts once, from the previous centroids, to keep the topics.
    model = KMeans(
        n_clusters=k,
        init=init,
        n_init=params.first_fit_starts if isinstance(init, str) else 1,
        random_state=params.seed,
    ).fit(matrix, sample_weight=weights)
    centers = _with_new_topics(
        matrix, weights, normalize(model.cluster_centers_), model.labels_, params
    )
    # A text belongs to the centre it is most similar to; centres nobody is closest
    # to are dropped (removing them moves no text).
    scores = np.asarray(matrix @ centers.T)
    centers = centers[np.unique(scores.argmax(axis=1))]
    scores = np.asarray(matrix @ centers.T)
    labels = scores.argmax(axis=1)
    similarity = scores[np.arange(len(labels)), labels]
    # The bar is set for the whole window, not the sample: each sampled text stands for
    # its weight over its chance of being drawn (Horvitz-Thompson), since drawing by
    # weight over-represents the frequent, central texts.
    bar = _outlier_bar(similarity, weights / inclusion, params)
    outlier = similarity < bar
    ids = _stable_ids(centers, terms, previous, params)
    topics = _describe(
        centers, terms, labels, outlier, similarity, weights, texts, openings.original, ids, params
    )
    loose = float(weights[similarity < params.new_topic_similarity].sum() / weights.sum())
    fitted = TopicModel(
        terms=tuple(str(term) for term in terms),
        idf=vectorizer.idf_.copy(),
        centers=centers,
        topic_ids=tuple(ids),
        outlier_bar=bar,
        loose_share=loose,
    )
    return fitted, topics, k


def centroid_similarity(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    """Cosine of two term -> weight maps (terms missing on one side weigh 0)."""
    dot = sum(weight * b.get(term, 0.0) for term, weight in a.items())
    norm_a = np.sqrt(sum(w * w for w in a.values()))
    norm_b = np.sqrt(sum(w * w for w in b.values()))
    return float(dot / (norm_a * norm_b)) if norm_a and norm_b else 0.0


# ----------------------------------------------------------------------- internals
def _vectorizer(**fit: object) -> TfidfVectorizer:
    """The TF-IDF of a fit (``fit``: min_df) or of a stored model (``vocabulary``); the
    analysis (words, bigrams, stop words, sublinear tf) is :data:`MODEL_VERSION`'s."""
    # Deferred: kept out of the definitions' imports (pipelines/defs/preload.py).
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(
        stop_words="english",
        sublinear_tf=True,
        ngram_range=(1, 2),
        max_df=0.5 if "vocabulary" not in fit else 1.0,
        max_features=30_000 if "vocabulary" not in fit else None,
        **fit,  # type: ignore[arg-type]
    )


def _fit_sample(weights: np.ndarray, params: TopicParams) -> tuple[np.ndarray, np.ndarray]:
    """Positions of the texts a fit sees, in their original order, and each one's
    chance of being drawn: all of them (chance 1) up to ``fit_sample``, else that many
    drawn without replacement by weight (seeded), the chance approximated as
    ``min(1, c * w)`` with ``c`` such that the chances add up to ``fit_sample``."""
    rows = len(weights)
    if rows <= params.fit_sample:
        return np.arange(rows), np.ones(rows)
    rng = np.random.default_rng(params.seed)
    share = weights / weights.sum()
    sample = np.sort(rng.choice(rows, size=params.fit_sample, replace=False, p=share))
    low, high = float(params.fit_sample), float(params.fit_sample / share.min())
    for _ in range(60):  # bisection on c; the sum grows with c
        middle = (low + high) / 2
        low, high = (
            (middle, high)
            if np.minimum(1, middle * share).sum() < params.fit_sample
            else (low, middle)
        )
    return sample, np.minimum(1.0, high * share[sample])


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
    # Deferred: kept out of the definitions' imports (pipelines/defs/preload.py).
    from sklearn.cluster import KMeans
    from sklearn.metrics import silhouette_score

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
    # Deferred: kept out of the definitions' imports (pipelines/defs/preload.py).
    from sklearn.preprocessing import normalize

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


def _with_new_topics(
    matrix: csr_matrix,
    weights: np.ndarray,
    centers: np.ndarray,
    labels: np.ndarray,
    params: TopicParams,
) -> np.ndarray:
    """Centers with dense groups among the poorly fitting texts added."""
    # Deferred: kept out of the definitions' imports (pipelines/defs/preload.py).
    from sklearn.cluster import KMeans
    from sklearn.preprocessing import normalize

    similarity = np.asarray(matrix @ centers.T)[np.arange(len(labels)), labels]
    loose = np.flatnonzero(similarity < params.new_topic_similarity)
    groups = int(weights[loose].sum() // params.new_topic_size)
    if groups < 1 or len(loose) <= groups:
        return centers
    residual = KMeans(n_clusters=min(groups, 8), n_init=3, random_state=params.seed).fit(
        matrix[loose], sample_weight=weights[loose]
    )
    added = []
    for group, center in enumerate(normalize(residual.cluster_centers_)):
        members = loose[residual.labels_ == group]
        closer = members[np.asarray(matrix[members] @ center).ravel() > similarity[members]]
        if weights[closer].sum() >= params.new_topic_size:
            added.append(center)
    return np.vstack([centers, *added]) if added else centers


def _outlier_bar(similarity: np.ndarray, weights: np.ndarray, params: TopicParams) -> float:
    """The cosine below which a text is an outlier: ``min_similarity``, raised no
    higher and lowered until at most ``max_outlier_share`` of the fitted conversations
    (not distinct texts) are below it, least similar first."""
    order = np.argsort(similarity, kind="stable")
    budget = params.max_outlier_share * weights.sum()
    used = np.cumsum(weights[order])
    taken = int(np.searchsorted(used, budget, side="right"))
    taken = min(taken, int((similarity < params.min_similarity).sum()))
    if taken >= len(order):
        return float(params.min_similarity)
    # Strictly below the first text kept: ties at the bar stay in their topic.
    return float(min(params.min_similarity, similarity[order[taken]]))


def _centroid_map(center: np.ndarray, terms: np.ndarray, size: int) -> dict[str, float]:
    top = np.argsort(-center, kind="stable")[:size]
    return {str(terms[i]): round(float(center[i]), 6) for i in top if center[i] > 0}


def _stable_ids(
    centers: np.ndarray, terms: np.ndarray, previous: Sequence[Topic], params: TopicParams
) -> list[str]:
    # Deferred: kept out of the definitions' imports (pipelines/defs/preload.py).
    from scipy.optimize import linear_sum_assignment

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
        # Every centre has a text closest to it; a topic whose texts are all outliers
        # still names one (it has no conversations, and may get some on later days).
        closest_to = np.flatnonzero(labels == cluster)
        members = closest_to[~outlier[closest_to]]
        closest = closest_to[np.argmax(similarity[closest_to])]
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
