"""Theme suggestions for one question of a round, as a compiler works.

Pure code (no Django): passages in, labels, names and confidences out. The compile page and
the evaluation command below run exactly these functions.

- ``first_suggestion``: the first grouping. Passages are stemmed (Snowball, Swedish,
  Norwegian or English, chosen from the material's function words) and described by TF-IDF
  of word stems and stem pairs plus character 4-5-grams, reduced by latent semantic analysis.
  A quote is tied to the prose around it: its vector is joined with the most similar prose
  passage of the same documentation. The number of themes follows one rule,
  ``theme_count``: the square root of half the number of passages, at least three and at most
  seven from 20 passages on, so a round never collapses to two themes. Spherical k-means
  (fixed seed, many starts) groups the rows.
- ``sort_rest``: the compiler's own themes with one or two example passages each; every other
  passage gets its three most likely themes with a confidence. Centroids start at the
  examples and take in the passages that are closest to them (seeded k-means with the
  examples held); a passage is "sure" only when its best theme clearly beats the second.
- Names are the passages' own key phrases: runs of content words (no function words, no
  words used as verbs), counted by their stems, the ones most typical of the theme compared
  with the rest, shown in their most common written form.

Deterministic and independent of input order: every computation runs on the passages sorted
by their content, and the result is mapped back.

Evaluate: ``python -m kretsen.network.suggest INPUT.json [--examples]``.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import snowballstemmer  # type: ignore[import-untyped]
from scipy import sparse
from sklearn.cluster import KMeans
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

from kretsen.network import lexicon
from kretsen.network.stopwords import NAME_STOP_WORDS, STOP_WORDS, VERB_CUES

WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*", re.UNICODE)
CLAUSE = re.compile(r"[.!?;:,()\"“”«»–—]+|\s-\s")
SENTENCE = re.compile(r"(?<=[.!?…])\s+")
LATENT_DIMENSIONS = 10
CHARACTER_WEIGHT = 0.5
CONCEPT_WEIGHT = 1.0
# How much of a quote's vector comes from the prose it is tied to (its own words count 1).
QUOTE_CONTEXT = 1.0
SURE_MARGIN = 0.3
# How sharply the shown confidence follows the similarities: a margin of 0.3 between two
# themes (the "sure" rule) reads as about 77 %.
CONFIDENCE_SHARPNESS = 4.0
SURE_SCORE = 0.2
MOST_THEMES = 7
REPRESENTATIVE_POOL = 12
FEWEST_THEMES = 3

_MARKERS = {
    "swedish": "och inte är jag hur vad också mycket från någon några när det",
    "norwegian": "og ikke er jeg hva hvordan også mye fra noen når ble være",
    "english": "and not is the what how also much from some when was be",
}
MARKERS = {language: frozenset(words.split()) for language, words in _MARKERS.items()}


@dataclass(frozen=True)
class Passage:
    text: str
    is_quote: bool = False
    group: str = ""  # the documentation it comes from; quotes are tied to prose of their group


@dataclass(frozen=True)
class Candidate:
    theme: int
    score: float


@dataclass
class Result:
    """One label per passage (-1: not sorted) and, per theme, a name and two sentences."""

    labels: list[int]
    confidence: list[float]
    sure: list[bool]
    candidates: list[list[Candidate]]
    names: list[str] = field(default_factory=list)
    key_phrases: list[list[str]] = field(default_factory=list)
    sentences: list[list[str]] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "labels": self.labels,
            "names": self.names,
            "confidence": [round(value, 3) for value in self.confidence],
            "sure": self.sure,
        }


def theme_count(passages: int) -> int:
    """How many themes to propose: ``round(sqrt(n / 2))``, within 3-7 from 20 passages on
    (2-3 below that; one theme under six passages). Compiled reports use four to seven
    sub-headings per question; 40 passages give 4, 100 give 7."""
    if passages < 6:
        return 1
    wanted = round(math.sqrt(passages / 2))
    if passages < 20:
        return max(2, min(3, wanted))
    return max(FEWEST_THEMES, min(MOST_THEMES, wanted))


def language_of(texts: Sequence[str]) -> str:
    counts = Counter(word for text in texts for word in WORD.findall(text.lower()))
    scores = {language: sum(counts[w] for w in words) for language, words in MARKERS.items()}
    return max(sorted(scores), key=lambda name: scores[name])


class _Analyser:
    """Words of a text: lower case, stop words out, stemmed; remembers the written forms."""

    def __init__(self, language: str) -> None:
        self.stemmer = snowballstemmer.stemmer(language)
        self.cache: dict[str, str] = {}

    def stem(self, word: str) -> str:
        found = self.cache.get(word)
        if found is None:
            found = self.stemmer.stemWord(word)
            self.cache[word] = found
        return found

    def tokens(self, text: str) -> list[str]:
        return [
            self.stem(word)
            for word in WORD.findall(text.lower())
            if len(word) > 2 and word not in STOP_WORDS
        ]


@dataclass
class _Space:
    """The passages in canonical order, their vectors, and how to embed new text."""

    order: list[int]  # canonical position -> input index
    rows: np.ndarray  # unit vectors in canonical order
    analyser: _Analyser
    words: TfidfVectorizer
    characters: TfidfVectorizer
    svd: TruncatedSVD | None
    concepts: TfidfVectorizer

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        matrix = _stack(self, texts)
        if self.svd is not None:
            return np.asarray(normalize(self.svd.transform(matrix)))
        return np.asarray(normalize(matrix.toarray()))


def _stack(space: _Space, texts: Sequence[str]) -> sparse.csr_matrix:
    analysed = [" ".join(space.analyser.tokens(text)) for text in texts]
    parts = [
        space.words.transform(analysed),
        CHARACTER_WEIGHT * space.characters.transform(analysed),
    ]
    if CONCEPT_WEIGHT:
        concepts = [" ".join(lexicon.concepts_of(text)) for text in texts]
        parts.append(CONCEPT_WEIGHT * normalize(space.concepts.transform(concepts)))
    return normalize(sparse.hstack(parts).tocsr())


def _canonical(passages: Sequence[Passage]) -> list[int]:
    return sorted(
        range(len(passages)),
        key=lambda i: (passages[i].text, passages[i].is_quote, passages[i].group),
    )


def _space(passages: Sequence[Passage]) -> _Space | None:
    order = _canonical(passages)
    texts = [passages[i].text for i in order]
    analyser = _Analyser(language_of(texts))
    analysed = [" ".join(analyser.tokens(text)) for text in texts]
    if sum(1 for text in analysed if text) < 2:
        return None
    words = TfidfVectorizer(
        analyzer="word", token_pattern=r"\S+", ngram_range=(1, 2), sublinear_tf=True, min_df=1
    )
    characters = TfidfVectorizer(
        analyzer="char_wb", ngram_range=(4, 5), sublinear_tf=True, min_df=2, max_df=0.5
    )
    words.fit(analysed)
    try:
        characters.fit(analysed)
    except ValueError:  # too little text for shared character n-grams
        characters = TfidfVectorizer(analyzer="char_wb", ngram_range=(4, 5)).fit(analysed)
    concepts = TfidfVectorizer(token_pattern=r"\S+", lowercase=False, sublinear_tf=True)
    concepts.fit([" ".join(lexicon.concepts_of(text)) + " §none" for text in texts])
    space = _Space(order, np.zeros((0, 0)), analyser, words, characters, None, concepts)
    matrix = _stack(space, texts)
    dimensions = min(LATENT_DIMENSIONS, matrix.shape[0] - 1, matrix.shape[1] - 1)
    if dimensions >= 2:
        # More power iterations settle a question's few dozen passages; a large round's
        # spectrum is clear after fewer.
        iterations = 7 if matrix.shape[0] <= 400 else 3
        space.svd = TruncatedSVD(n_components=dimensions, random_state=0, n_iter=iterations)
        rows = space.svd.fit_transform(matrix)
    else:
        rows = matrix.toarray()
    rows = np.asarray(normalize(rows))
    word_rows = space.words.transform(analysed)
    space.rows = _tie_quotes(rows, word_rows, [passages[i] for i in order])
    return space


def _tie_quotes(
    rows: np.ndarray, word_rows: sparse.csr_matrix, passages: Sequence[Passage]
) -> np.ndarray:
    """A quote's vector joined with the most similar prose passage of its own documentation
    (of all prose when the quote has no group): a quote lands where the talk around it does."""
    tied = rows.copy()
    prose = [i for i, p in enumerate(passages) if not p.is_quote]
    if not prose:
        return tied
    for i, passage in enumerate(passages):
        if not passage.is_quote:
            continue
        own = [j for j in prose if passage.group and passages[j].group == passage.group]
        near = own or prose
        similarities = rows[near] @ rows[i]
        best = near[int(np.argmax(similarities))]
        # Within its own documentation a quote always follows the closest prose; among all
        # prose only when something is actually shared.
        if own and not (word_rows[own] @ word_rows[i].T).nnz:
            tied[i] = rows[best]  # the quote shares no word: its context is all we know
        elif own or similarities.max() > 0:
            tied[i] = rows[i] + QUOTE_CONTEXT * rows[best]
    return np.asarray(normalize(tied))


def _from_canonical(values: Sequence[Any], order: Sequence[int]) -> list[Any]:
    result: list[Any] = [None] * len(order)
    for position, index in enumerate(order):
        result[index] = values[position]
    return result


def _scores(rows: np.ndarray, labels: np.ndarray, themes: int) -> np.ndarray:
    centroids = np.zeros((themes, rows.shape[1]))
    for theme in range(themes):
        members = rows[labels == theme]
        if len(members):
            centroids[theme] = members.mean(axis=0)
    return np.asarray(rows @ normalize(centroids).T)


def _candidates(scores: np.ndarray) -> tuple[list[list[Candidate]], list[float], list[bool]]:
    """Top three themes per row; confidence is a softmax over the themes' similarities."""
    candidates: list[list[Candidate]] = []
    confidence: list[float] = []
    sure: list[bool] = []
    for row in scores:
        weights = np.exp((row - row.max()) * CONFIDENCE_SHARPNESS)
        probabilities = weights / weights.sum()
        ranked = sorted(range(len(row)), key=lambda t: (-row[t], t))
        candidates.append([Candidate(t, round(float(probabilities[t]), 3)) for t in ranked[:3]])
        confidence.append(float(probabilities[ranked[0]]))
        margin = row[ranked[0]] - (row[ranked[1]] if len(ranked) > 1 else 0.0)
        sure.append(bool(margin >= SURE_MARGIN and row[ranked[0]] >= SURE_SCORE))
    return candidates, confidence, sure


def first_suggestion(passages: Sequence[Passage]) -> Result:
    """Themes proposed from the material alone."""
    n = len(passages)
    space = _space(passages) if n else None
    count = theme_count(n)
    if space is None or count == 1 or len(np.unique(space.rows.round(6), axis=0)) < count:
        labels = [0] * n
        return _finish(passages, space, np.zeros(n, dtype=int), 1 if n else 0, labels)
    # Many starts find a better grouping of a question's few dozen passages; a large round
    # has enough passages for fewer starts to settle the same way.
    kmeans = KMeans(n_clusters=count, n_init=20 if n <= 400 else 6, random_state=0)
    labels_canonical = kmeans.fit_predict(space.rows)
    # Themes numbered by size, then by their first passage in canonical order.
    sizes = Counter(labels_canonical.tolist())
    first = {label: int(np.argmax(labels_canonical == label)) for label in sizes}
    renumber = {
        label: rank
        for rank, label in enumerate(sorted(sizes, key=lambda lab: (-sizes[lab], first[lab])))
    }
    labels_canonical = np.array([renumber[label] for label in labels_canonical.tolist()])
    return _finish(passages, space, labels_canonical, count, None)


def _finish(
    passages: Sequence[Passage],
    space: _Space | None,
    labels_canonical: np.ndarray,
    count: int,
    fixed: list[int] | None,
) -> Result:
    n = len(passages)
    if space is None or count == 0:
        labels = fixed if fixed is not None else [0] * n
        themes = max(labels, default=-1) + 1
        return Result(
            labels=labels,
            confidence=[1.0] * n,
            sure=[True] * n,
            candidates=[[Candidate(label, 1.0)] for label in labels],
            names=[""] * themes,
            key_phrases=[[] for _ in range(themes)],
            sentences=[[] for _ in range(themes)],
        )
    scores = _scores(space.rows, labels_canonical, count)
    candidates, confidence, sure = _candidates(scores)
    ordered = [passages[i] for i in space.order]
    phrases = _all_key_phrases(ordered, labels_canonical, count, space.analyser)
    return Result(
        labels=_from_canonical(labels_canonical.tolist(), space.order),
        confidence=_from_canonical(confidence, space.order),
        sure=_from_canonical(sure, space.order),
        candidates=_from_canonical(candidates, space.order),
        names=[_name(found, language_of([p.text for p in passages])) for found in phrases],
        key_phrases=phrases,
        sentences=[
            _representative(space, ordered, labels_canonical, theme) for theme in range(count)
        ],
    )


def sort_rest(passages: Sequence[Passage], examples: Sequence[Sequence[int]]) -> Result:
    """Proposals for every passage that is not an example, from the compiler's themes.

    ``examples[t]`` lists the indexes of the passages the compiler put under theme ``t``.
    Examples keep their theme; the others get a label (the best candidate), a confidence and
    ``sure``; the page leaves the unsure ones in "not sorted".
    """
    n = len(passages)
    themes = len(examples)
    fixed = [-1] * n
    for theme, members in enumerate(examples):
        for index in members:
            if 0 <= index < n:
                fixed[index] = theme
    space = _space(passages) if n else None
    if space is None or themes == 0 or not any(label >= 0 for label in fixed):
        return Result(
            labels=[-1 if label < 0 else label for label in fixed],
            confidence=[0.0 if label < 0 else 1.0 for label in fixed],
            sure=[label >= 0 for label in fixed],
            candidates=[[] for _ in fixed],
            names=[""] * themes,
            key_phrases=[[] for _ in range(themes)],
            sentences=[[] for _ in range(themes)],
        )
    rows = space.rows
    held = np.array([fixed[i] for i in space.order])
    seeds = np.zeros((themes, rows.shape[1]))
    for theme in range(themes):
        members = rows[held == theme]
        if len(members):
            seeds[theme] = normalize(members.mean(axis=0, keepdims=True))[0]
    labels = held.copy()
    free = held < 0
    for _step in range(10):
        centroids = seeds * 2.0
        for theme in range(themes):
            taken = rows[(labels == theme) & free]
            if len(taken):
                centroids[theme] = centroids[theme] + taken.mean(axis=0)
        scores = rows @ normalize(centroids).T
        scores[:, ~seeds.any(axis=1)] = -1.0
        proposal = np.where(free, np.argmax(scores, axis=1), held)
        if np.array_equal(proposal, labels):
            break
        labels = proposal
    candidates, confidence, sure = _candidates(scores)
    for position in np.flatnonzero(~free):
        confidence[position] = 1.0
        sure[position] = True
    ordered = [passages[i] for i in space.order]
    language = language_of([p.text for p in passages])
    phrases = _all_key_phrases(ordered, labels, themes, space.analyser)
    return Result(
        labels=_from_canonical(labels.tolist(), space.order),
        confidence=_from_canonical(confidence, space.order),
        sure=_from_canonical(sure, space.order),
        candidates=_from_canonical(candidates, space.order),
        names=[_name(found, language) for found in phrases],
        key_phrases=phrases,
        sentences=[_representative(space, ordered, labels, theme) for theme in range(themes)],
    )


Phrase = tuple[tuple[str, ...], str]


def _phrases_of(text: str, analyser: _Analyser) -> list[Phrase]:
    """Runs of content words inside a clause, as (stems, written form): single words and
    pairs. A word right after a subject, a modal or an infinitive mark is taken for a verb
    and ends the run."""
    found: list[Phrase] = []
    for clause in CLAUSE.split(text):
        run: list[str] = []
        previous = ""
        for word in WORD.findall(clause):
            lower = word.lower()
            content = (
                len(lower) > 2
                and lower not in STOP_WORDS
                and lower not in NAME_STOP_WORDS
                and lower not in VERB_CUES
                and previous not in VERB_CUES
                and not lower.endswith(NOT_NOUN_ENDINGS)
            )
            if content:
                run.append(lower)
            else:
                _add_runs(run, analyser, found)
                run = []
            previous = lower
        _add_runs(run, analyser, found)
    return found


def _add_runs(
    run: list[str], analyser: _Analyser, found: list[tuple[tuple[str, ...], str]]
) -> None:
    for i, word in enumerate(run):
        found.append(((analyser.stem(word),), word))
        if i + 1 < len(run):
            pair = (analyser.stem(word), analyser.stem(run[i + 1]))
            found.append((pair, f"{word} {run[i + 1]}"))


def _all_key_phrases(
    passages: Sequence[Passage], labels: np.ndarray, themes: int, analyser: _Analyser
) -> list[list[str]]:
    found = [_phrases_of(passage.text, analyser) for passage in passages]
    return [_key_phrases(found, labels, theme) for theme in range(themes)]


def _key_phrases(
    found: Sequence[list[Phrase]], labels: np.ndarray, theme: int, count: int = 4
) -> list[str]:
    inside = labels == theme
    size_in = int(inside.sum())
    size_out = max(1, len(found) - size_in)
    if size_in == 0:
        return []
    df_in: Counter[tuple[str, ...]] = Counter()
    df_out: Counter[tuple[str, ...]] = Counter()
    written: dict[tuple[str, ...], Counter[str]] = defaultdict(Counter)
    for phrases, flag in zip(found, inside, strict=True):
        seen = set()
        for stems, form in phrases:
            if flag:
                written[stems][form] += 1
            seen.add(stems)
        for stems in seen:
            (df_in if flag else df_out)[stems] += 1
    scored: list[tuple[float, str, tuple[str, ...]]] = []
    least = 2 if size_in > 3 and max(df_in.values(), default=0) >= 2 else 1
    for stems, hits in df_in.items():
        if hits < least:
            continue
        typical = hits / size_in - df_out[stems] / size_out
        # A pair is a better heading than its words when it is nearly as typical.
        bonus = 1.15 if len(stems) > 1 else 1.0
        if typical > 0:
            form = sorted(written[stems].items(), key=lambda item: (-item[1], item[0]))[0][0]
            scored.append((-typical * bonus, form, stems))
    scored.sort()
    chosen: list[tuple[str, ...]] = []
    forms: list[str] = []
    for _score, form, stems in scored:
        if any(set(stems) & set(kept) for kept in chosen):
            continue
        chosen.append(stems)
        forms.append(form)
        if len(forms) >= count:
            break
    return forms


# Adverbs, participles and past tenses: "ofantligt", "kommande", "nämndes", "fortalte".
NOT_NOUN_ENDINGS = ("ligt", "igt", "lige", "ende", "ande", "ade", "ades", "des", "tes", "alte")

AND = {"swedish": "och", "norwegian": "og", "english": "and"}


def _name(phrases: Sequence[str], language: str) -> str:
    if not phrases:
        return ""
    name = phrases[0] if len(phrases) == 1 else f"{phrases[0]} {AND[language]} {phrases[1]}"
    return name[:1].upper() + name[1:]


def _representative(
    space: _Space, passages: Sequence[Passage], labels: np.ndarray, theme: int, count: int = 2
) -> list[str]:
    """The sentences of the theme's passages closest to its centre."""
    inside = np.flatnonzero(labels == theme)
    if not len(inside):
        return []
    centre = normalize(space.rows[inside].mean(axis=0, keepdims=True))[0]
    # Sentences of the passages nearest the centre only: a theme of a large round holds
    # thousands, and the nearest passages hold the most typical sentences.
    closeness = space.rows[inside] @ centre
    nearest = sorted(range(len(inside)), key=lambda i: (-closeness[i], int(inside[i])))
    sentences = sorted(
        {
            sentence.strip()
            for i in nearest[:REPRESENTATIVE_POOL]
            for sentence in SENTENCE.split(passages[int(inside[i])].text)
            if len(sentence.split()) >= 4
        }
    )
    if not sentences:
        return []
    similarity = space.embed(sentences) @ centre
    ranked = sorted(range(len(sentences)), key=lambda i: (-similarity[i], sentences[i]))
    return [sentences[i] for i in ranked[:count]]


def run(payload: dict[str, Any], use_examples: bool) -> Result:
    """The evaluation input (see the module docstring of the command) through the product's code."""
    passages = [
        Passage(
            text=str(item.get("text", "")),
            is_quote=bool(item.get("is_quote", False)),
            group=str(item.get("group", "")),
        )
        for item in payload.get("passages", [])
    ]
    themes = payload.get("themes") or []
    if use_examples:
        result = sort_rest(passages, [list(theme.get("examples", [])) for theme in themes])
        result.names = [str(theme.get("title", "")) for theme in themes]
        return result
    return first_suggestion(passages)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m kretsen.network.suggest",
        description="Theme suggestions for one question, as the compile page makes them.",
    )
    parser.add_argument("input", help='JSON: {"passages": [{"text", "is_quote"}], "themes": [...]}')
    parser.add_argument(
        "--examples",
        action="store_true",
        help="sort the rest like the themes' example passages instead of a first suggestion",
    )
    options = parser.parse_args(argv)
    with open(options.input, encoding="utf-8") as source:
        payload = json.load(source)
    json.dump(run(payload, options.examples).as_json(), sys.stdout, ensure_ascii=False)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
