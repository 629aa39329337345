"""Theme suggestions: group passages and quotes by what they talk about.

Pure code (no Django): units of text in, clusters with key words out.

Method: two TF-IDF views of each text after our own Swedish, Norwegian and English stop words
are removed: word unigrams and bigrams, and character 4-5-grams inside words. The character
view is what makes it language-agnostic: inflections and compounds ("skam", "skammen",
"skamkänslor"; "video", "videomøter") share features without a stemmer per language. Both
are stacked and reduced with truncated SVD (latent semantic analysis). For each k in
2..``max_themes``, k-means groups the rows in the first k latent dimensions (normalised, so
cosine similarity); the k with the best silhouette score wins (on a sample for large rounds),
ignoring solutions with clusters too small to be a theme. Key words of a cluster are the words whose
weight is highest inside it compared with outside it. Deterministic: fixed random states.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from sklearn.cluster import KMeans
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import silhouette_score
from sklearn.preprocessing import normalize

from kretsen.network.stopwords import STOP_WORDS

TOKEN_PATTERN = r"(?u)\b[^\W\d_]{3,}\b"
WORD = re.compile(TOKEN_PATTERN)
CHAR_WEIGHT = 1.0
CHAR_NGRAMS = (4, 5)
SILHOUETTE_SAMPLE = 1000


@dataclass(frozen=True)
class Unit:
    key: str
    text: str


@dataclass(frozen=True)
class Cluster:
    keywords: list[str]
    keys: list[str]


def suggest(units: Sequence[Unit], max_themes: int = 8, keywords: int = 4) -> list[Cluster]:
    """Clusters of ``units``, largest first; an empty list when there is too little text."""
    units = [unit for unit in units if unit.text.strip()]
    if len(units) < 3:
        return []
    vectorizer = TfidfVectorizer(
        lowercase=True,
        token_pattern=TOKEN_PATTERN,
        stop_words=sorted(STOP_WORDS),
        ngram_range=(1, 2),
        sublinear_tf=True,
        min_df=1 if len(units) < 50 else 2,
        max_df=0.6,
        max_features=20_000,
    )
    try:
        tfidf = vectorizer.fit_transform([unit.text for unit in units])
    except ValueError:  # nothing left after the stop words
        return []
    if tfidf.shape[1] < 2:
        return []
    characters = TfidfVectorizer(
        analyzer="char_wb",
        ngram_range=CHAR_NGRAMS,
        sublinear_tf=True,
        min_df=1 if len(units) < 50 else 2,
        max_df=0.6,
        max_features=40_000,
    ).fit_transform([_without_stop_words(unit.text) for unit in units])
    combined = normalize(sparse.hstack([tfidf, characters * CHAR_WEIGHT]).tocsr())
    labels = _best_labels(combined, min(max_themes, len(units) - 1), max(2, len(units) // 50))
    terms = vectorizer.get_feature_names_out()
    clusters: list[Cluster] = []
    for label in np.unique(labels):
        inside = labels == label
        clusters.append(
            Cluster(
                keywords=_keywords(tfidf, inside, terms, keywords),
                keys=[unit.key for unit, flag in zip(units, inside, strict=True) if flag],
            )
        )
    clusters.sort(key=lambda cluster: -len(cluster.keys))
    return clusters


def _without_stop_words(text: str) -> str:
    return " ".join(w for w in WORD.findall(text.lower()) if w not in STOP_WORDS)


def _best_labels(features: sparse.csr_matrix, max_themes: int, smallest: int) -> np.ndarray:
    """For each k, k-means with k clusters in the first k latent dimensions; the k with the
    best silhouette wins. One SVD serves every k (its components are ordered)."""
    n = features.shape[0]
    dimensions = min(max_themes, features.shape[1] - 1, n - 1)
    if dimensions < 2:
        return np.zeros(n, dtype=int)
    latent = TruncatedSVD(n_components=dimensions, random_state=0).fit_transform(features)
    best: tuple[float, np.ndarray] | None = None
    for k in range(2, dimensions + 1):
        space = normalize(latent[:, :k])
        labels = KMeans(n_clusters=k, n_init=4, random_state=0).fit_predict(space)
        if len(set(labels.tolist())) < 2 or np.bincount(labels).min() < smallest:
            continue
        score = float(
            silhouette_score(
                space,
                labels,
                metric="cosine",
                sample_size=min(n, SILHOUETTE_SAMPLE),
                random_state=0,
            )
        )
        if best is None or score > best[0] + 1e-9:
            best = (score, labels)
    if best is None:
        return np.zeros(n, dtype=int)
    return best[1]


def _keywords(
    tfidf: sparse.csr_matrix, inside: np.ndarray, terms: np.ndarray, count: int
) -> list[str]:
    mean_in = np.asarray(tfidf[inside].mean(axis=0)).ravel()
    outside = ~inside
    mean_out = (
        np.asarray(tfidf[outside].mean(axis=0)).ravel() if outside.any() else np.zeros_like(mean_in)
    )
    score = mean_in - mean_out
    chosen: list[str] = []
    for index in np.argsort(-score):
        if score[index] <= 0 or len(chosen) >= count:
            break
        term = str(terms[index])
        # Skip a term that overlaps a chosen one (a bigram and its own words).
        if any(term in kept.split() or kept in term.split() for kept in chosen):
            continue
        chosen.append(term)
    return chosen
