"""The pure suggestion code: the theme count rule, names from key phrases, representative
sentences, quotes tied to their prose, order independence, "sort the rest", the command."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from kretsen.network import suggest
from kretsen.network.stopwords import NAME_STOP_WORDS, STOP_WORDS

DATA = Path(__file__).resolve().parents[2] / "benchmarks" / "network_suggest"


def _load(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((DATA / f"{name}.json").read_text(encoding="utf-8"))
    return loaded


def _passages(data: dict[str, Any]) -> list[suggest.Passage]:
    return [
        suggest.Passage(item["text"], item["is_quote"], item["group"]) for item in data["passages"]
    ]


def _partition(labels: list[int]) -> set[frozenset[int]]:
    groups: dict[int, set[int]] = {}
    for index, label in enumerate(labels):
        groups.setdefault(label, set()).add(index)
    return {frozenset(group) for group in groups.values()}


@pytest.mark.parametrize(
    ("passages", "themes"),
    [(3, 1), (10, 2), (18, 3), (20, 3), (40, 4), (60, 5), (100, 7), (500, 7)],
)
def test_the_number_of_themes_follows_one_rule(passages: int, themes: int) -> None:
    assert suggest.theme_count(passages) == themes


def test_a_first_suggestion_never_collapses_to_two_themes() -> None:
    data = _load("sv-hinder")
    result = suggest.first_suggestion(_passages(data))
    assert len(set(result.labels)) == 5  # 44 passages: round(sqrt(22))
    assert len(result.names) == 5


def test_names_are_key_phrases_without_function_words() -> None:
    result = suggest.first_suggestion(_passages(_load("nb-trygghet")))
    assert all(result.names)
    for phrases in result.key_phrases:
        assert phrases
        for phrase in phrases:
            for word in phrase.split():
                assert word not in STOP_WORDS
                assert word not in NAME_STOP_WORDS
    # A name is "first phrase and second phrase" in the material's language.
    assert any(" og " in name for name in result.names)


def test_each_theme_shows_two_of_its_own_sentences() -> None:
    data = _load("sv-hinder")
    passages = _passages(data)
    result = suggest.first_suggestion(passages)
    for theme, sentences in enumerate(result.sentences):
        assert len(sentences) == 2
        own = " ".join(
            p.text for p, label in zip(passages, result.labels, strict=True) if label == theme
        )
        for sentence in sentences:
            assert sentence in own


def test_it_does_not_depend_on_the_input_order() -> None:
    passages = _passages(_load("sv-digitalt"))
    first = suggest.first_suggestion(passages)
    again = suggest.first_suggestion(passages)
    assert first.labels == again.labels
    order = list(range(len(passages)))
    random.Random(7).shuffle(order)
    shuffled = suggest.first_suggestion([passages[i] for i in order])
    back = [0] * len(order)
    for position, index in enumerate(order):
        back[index] = shuffled.labels[position]
    assert _partition(back) == _partition(first.labels)
    assert sorted(shuffled.names) == sorted(first.names)


def test_a_quote_goes_where_the_talk_around_it_goes() -> None:
    respite = "Avlösning och korttidsboende i kommunen gav {} timmar av vila varje vecka."
    secrecy = "Tystnadsplikten och löftet att det stannar i rummet gör {} tryggare."
    words = [
        "mamma",
        "pappa",
        "syster",
        "bror",
        "granne",
        "vän",
        "make",
        "maka",
        "dotter",
        "son",
        "moster",
        "farbror",
    ]
    passages = [suggest.Passage(respite.format(w), False, "a") for w in words]
    passages += [suggest.Passage(secrecy.format(w), False, "b") for w in words]
    # Shares no word with either topic: only its documentation ties it to the talk.
    passages.append(suggest.Passage("Jag somnade på soffan för första gången på år.", True, "b"))
    result = suggest.first_suggestion(passages)
    assert result.labels[-1] in set(result.labels[12:24])
    assert result.labels[-1] not in set(result.labels[:12])


def test_sort_the_rest_proposes_three_candidates_and_keeps_the_examples() -> None:
    data = _load("sv-hinder")
    passages = _passages(data)
    gold = [item["theme"] for item in data["passages"]]
    examples = [[i for i, g in enumerate(gold) if g == t][:2] for t in range(5)]
    result = suggest.sort_rest(passages, examples)
    held = {i for members in examples for i in members}
    for theme, members in enumerate(examples):
        for index in members:
            assert result.labels[index] == theme
            assert result.sure[index]
    rest = [i for i in range(len(passages)) if i not in held]
    for index in rest:
        candidates = result.candidates[index]
        assert len(candidates) == 3
        assert candidates[0].theme == result.labels[index]
        assert candidates[0].score >= candidates[1].score >= candidates[2].score
        assert 0 <= result.confidence[index] <= 1
    right = sum(result.labels[i] == gold[i] for i in rest)
    assert right / len(rest) >= 0.45
    assert not all(result.sure[i] for i in rest)  # unsure ones stay "not sorted"


def test_sort_the_rest_without_examples_proposes_nothing() -> None:
    result = suggest.sort_rest(_passages(_load("sv-ger")), [[], []])
    assert set(result.labels) == {-1}


def test_the_evaluation_command_runs_the_same_code(tmp_path: Path) -> None:
    data = _load("nb-trygghet")
    gold = [item["theme"] for item in data["passages"]]
    payload = {
        "passages": [
            {"text": item["text"], "is_quote": item["is_quote"]} for item in data["passages"]
        ],
        "themes": [
            {"title": theme["title"], "examples": [i for i, g in enumerate(gold) if g == t][:1]}
            for t, theme in enumerate(data["themes"])
        ],
    }
    source = tmp_path / "input.json"
    source.write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
    command = [sys.executable, "-m", "kretsen.network.suggest", str(source)]
    first = json.loads(subprocess.run(command, capture_output=True, check=True).stdout)
    expected = suggest.run(payload, use_examples=False).as_json()
    assert first == json.loads(json.dumps(expected))
    assert len(first["labels"]) == len(gold) == len(first["confidence"])
    sorted_ = json.loads(
        subprocess.run([*command, "--examples"], capture_output=True, check=True).stdout
    )
    assert sorted_["names"] == [theme["title"] for theme in payload["themes"]]
    for theme, item in enumerate(payload["themes"]):
        assert sorted_["labels"][item["examples"][0]] == theme
