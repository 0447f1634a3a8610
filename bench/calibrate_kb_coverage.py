"""Calibrate the KB coverage score and threshold on labelled topic-article pairs.

Reads the labelled topics of ``tests/knowledge/fixtures/coverage_topics.json`` (built by
``bench/kb_coverage_labels.py``: generated topics, incl. the planted unanswered ones,
labelled against the demo KB by intent tags) and scores every topic against every demo
article with each candidate scorer:

- ``share``: the share of the topic's IDF-weighted centroid terms that occur in the
  article (the scorer before calibration, threshold 0.1);
- ``tfidf``: scikit-learn TF-IDF cosine between the topic's centroid words
  (re-weighted by the articles' IDF) and each article: ``gaps.coverage_scores``, the
  production scorer;
- ``bm25``: Okapi BM25 (the ``bm25s`` package when installed) of the centroid's words,
  weighted by their centroid weight, normalised by its maximum (0..1).

Gap decisions are judged in two KBs: the full demo KB (a topic whose article exists
must be covered; Spanish and planted topics must be gaps) and, for every covered
topic, the KB without its covering article(s) (then it must be a gap). The threshold
of each scorer is chosen on one half of the topics (two of the four generator seeds) to maximise
F1 of "is a gap", then precision and recall are reported on the other half, both
ways round. Also reported: pair-level ROC AUC and how often the best-scoring article
is a covering one.

Run: ``.venv/bin/python bench/calibrate_kb_coverage.py``
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
from sklearn.metrics import roc_auc_score

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipelines.knowledge.article import Article  # noqa: E402
from pipelines.knowledge.demo import DEMO_KB  # noqa: E402
from pipelines.knowledge.gaps import GapParams, article_text, coverage_scores  # noqa: E402
from pipelines.knowledge.sources import load_kb  # noqa: E402
from pipelines.knowledge.topics import Topic  # noqa: E402

FIXTURE = ROOT / "tests" / "knowledge" / "fixtures" / "coverage_topics.json"
OLD_THRESHOLD = 0.1  # the share scorer's uncalibrated threshold
Scorer = Callable[[Sequence[Topic], Sequence[Article]], np.ndarray]


def load_fixture(path: Path = FIXTURE) -> tuple[list[Topic], list[dict]]:
    rows = json.loads(path.read_text())
    topics = [
        Topic(r["topic_id"], tuple(r["top_terms"]), r["representative"], r["centroid"])
        for r in rows
    ]
    return topics, rows


def share_scores(topics: Sequence[Topic], articles: Sequence[Article]) -> np.ndarray:
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer(stop_words="english", ngram_range=(1, 2), binary=True)
    present = (vectorizer.fit_transform([article_text(a) for a in articles]) > 0).tocsc()
    index = {t: i for i, t in enumerate(vectorizer.get_feature_names_out())}
    idf = vectorizer.idf_
    scores = np.zeros((len(topics), len(articles)))
    for row, topic in enumerate(topics):
        total = 0.0
        for term, weight in topic.centroid.items():
            column = index.get(term)
            weighted = weight * (idf[column] if column is not None else idf.max())
            total += weighted
            if column is not None:
                scores[row, present[:, column].indices] += weighted
        scores[row] /= total or 1.0
    return scores


def bm25_scores(topics: Sequence[Topic], articles: Sequence[Article]) -> np.ndarray:
    import bm25s

    corpus = bm25s.tokenize(
        [article_text(a) for a in articles], stopwords="en", show_progress=False
    )
    retriever = bm25s.BM25(k1=1.2, b=0.75)
    retriever.index(corpus, show_progress=False)
    vocab = corpus.vocab
    k1 = 1.2
    n_docs = len(articles)
    # idf of a word no article uses: as if in half a document (the largest idf, bounded)
    unseen_idf = float(np.log(1 + (n_docs - 0.5 + 0.5) / (0.5 + 0.5)))
    scores = np.zeros((len(topics), len(articles)))
    for row, topic in enumerate(topics):
        words: dict[str, float] = {}
        for term, weight in topic.centroid.items():
            for word in term.split():
                words[word] = words.get(word, 0.0) + weight
        total = 0.0
        for word, weight in words.items():
            if word in vocab:
                per_doc = retriever.get_scores([word])
                df = int((per_doc > 0).sum())
                idf = float(np.log(1 + (n_docs - df + 0.5) / (df + 0.5)))
                scores[row] += weight * per_doc
                total += weight * idf * (k1 + 1)
            else:
                total += weight * unseen_idf * (k1 + 1)
        scores[row] /= total or 1.0
    return scores


SCORERS: dict[str, Scorer] = {
    "share": share_scores,
    "tfidf": lambda topics, articles: coverage_scores(topics, articles),
}
try:
    import bm25s  # noqa: F401

    SCORERS["bm25"] = bm25_scores
except ImportError:  # optional: the bench reports what is installed
    pass


def decisions(
    scores: np.ndarray, rows: list[dict], articles: list[Article]
) -> tuple[list[float], list[bool], list[int]]:
    """Per judged case (topic x KB): the best score, whether it must be a gap, its half."""
    ids = [a.article_id for a in articles]
    best, gap, half = [], [], []
    halves = sorted({r["fit"] for r in rows})
    for i, row in enumerate(rows):
        covering = [ids.index(a) for a in row["covered_by"]]
        best.append(float(scores[i].max()))
        gap.append(not covering)
        half.append(halves.index(row["fit"]) % 2)
        if covering:  # the same topic in a KB without its article(s)
            others = np.delete(scores[i], covering)
            best.append(float(others.max()))
            gap.append(True)
            half.append(halves.index(row["fit"]) % 2)
    return best, gap, half


def prf(best: np.ndarray, gap: np.ndarray, threshold: float) -> tuple[float, float, float]:
    predicted = best < threshold
    tp = float((predicted & gap).sum())
    precision = tp / max(predicted.sum(), 1)
    recall = tp / max(gap.sum(), 1)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def calibrate(best: np.ndarray, gap: np.ndarray) -> float:
    """The threshold (midpoint between adjacent scores) with the best F1 of "is a gap"."""
    values = np.unique(best)
    candidates = np.concatenate([[values[0] - 1e-6], (values[:-1] + values[1:]) / 2])
    f1 = [prf(best, gap, t)[2] for t in candidates]
    return float(candidates[int(np.argmax(f1))])


def main() -> None:
    topics, rows = load_fixture()
    articles = [a for a in load_kb([DEMO_KB]).articles if a.status == "published"]
    ids = [a.article_id for a in articles]
    n_covered = sum(bool(r["covered_by"]) for r in rows)
    print(
        f"{len(rows)} labelled topics ({n_covered} covered by an article, "
        f"{len(rows) - n_covered} not: {sum(r['planted'] for r in rows)} planted, "
        f"{sum(r['english_share'] < 0.5 for r in rows)} Spanish) x {len(articles)} articles"
    )
    for name, scorer in SCORERS.items():
        scores = scorer(topics, articles)
        labels = np.array(
            [[article in r["covered_by"] for article in ids] for r in rows], dtype=bool
        )
        auc = roc_auc_score(labels.ravel(), scores.ravel())
        covered = [i for i, r in enumerate(rows) if r["covered_by"]]
        top1 = np.mean([labels[i, scores[i].argmax()] for i in covered])
        best, gap, half = (np.array(x) for x in decisions(scores, rows, articles))
        print(f"\n{name}: pair ROC AUC {auc:.3f}; best article is a covering one {top1:.1%}")
        for calib in (0, 1):
            fit, test = half == calib, half != calib
            threshold = calibrate(best[fit], gap[fit])
            p_fit, r_fit, f_fit = prf(best[fit], gap[fit], threshold)
            p, r, f = prf(best[test], gap[test], threshold)
            print(
                f"  calibrated on half {calib} ({fit.sum()} cases): threshold {threshold:.3f} "
                f"(there P {p_fit:.2f} R {r_fit:.2f} F1 {f_fit:.2f}); held-out half "
                f"({test.sum()} cases, {gap[test].sum()} gaps): gap precision {p:.2f}, "
                f"recall {r:.2f}, F1 {f:.2f}"
            )
        if name == "share":
            p, r, f = prf(best, gap, OLD_THRESHOLD)
            print(f"  at the old threshold {OLD_THRESHOLD}: P {p:.2f} R {r:.2f} F1 {f:.2f} (all)")
        if name == "tfidf":  # the production scorer, at the setting's default
            threshold = GapParams().coverage_threshold
            for part in (0, 1):
                p, r, f = prf(best[half == part], gap[half == part], threshold)
                print(
                    f"  at the setting kb_coverage_threshold={threshold}: half {part} "
                    f"P {p:.2f} R {r:.2f} F1 {f:.2f}"
                )


if __name__ == "__main__":
    main()
