"""Checks on the default group texts shipped in ``kretsen/groups/default_texts.toml``."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest

import kretsen

TEXTS_PATH = Path(kretsen.__file__).parent / "groups" / "default_texts.toml"

LANGUAGES = ("sv", "nb", "en")
RULE_TEXTS = ("pledge", "conversation_rules", "digital_rules", "practical_rules")
RUNSHEET_STEPS = (
    "arrival",
    "pledge_and_rules",
    "check_in",
    "topic",
    "break",
    "check_out",
    "practicalities",
)
MIN_TOPICS = 12
MAX_TITLE_LENGTH = 60
SNAKE_CASE = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)*")


@cache
def load_texts() -> dict[str, Any]:
    with TEXTS_PATH.open("rb") as handle:
        return tomllib.load(handle)


def assert_translated(texts: Any, where: str) -> None:
    """``texts`` must hold a non-empty string for every language."""
    assert isinstance(texts, dict), f"{where}: expected a table of languages"
    for language in LANGUAGES:
        value = texts.get(language)
        assert isinstance(value, str), f"{where}: missing {language}"
        assert value.strip(), f"{where}: empty {language}"


def iter_strings(value: Any, where: str = "") -> Iterator[tuple[str, str]]:
    """Yield (location, text) for every string anywhere in the loaded data."""
    if isinstance(value, str):
        yield where, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from iter_strings(item, f"{where}.{key}" if where else key)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from iter_strings(item, f"{where}[{index}]")


def test_file_loads() -> None:
    assert TEXTS_PATH.is_file()
    assert isinstance(load_texts(), dict)


@pytest.mark.parametrize("name", RULE_TEXTS)
def test_rule_text_in_all_languages(name: str) -> None:
    assert_translated(load_texts().get(name), name)


@pytest.mark.parametrize("step", RUNSHEET_STEPS)
def test_runsheet_step_in_all_languages(step: str) -> None:
    entry = load_texts()["runsheet"].get(step)
    assert isinstance(entry, dict), f"runsheet.{step} is missing"
    assert_translated(entry.get("title"), f"runsheet.{step}.title")
    assert_translated(entry.get("guidance"), f"runsheet.{step}.guidance")


def test_runsheet_steps_in_order() -> None:
    assert tuple(load_texts()["runsheet"]) == RUNSHEET_STEPS


def test_enough_topics() -> None:
    assert len(load_texts()["topics"]) >= MIN_TOPICS


def test_topic_keys_unique_snake_case() -> None:
    keys = [topic.get("key") for topic in load_texts()["topics"]]
    for key in keys:
        assert isinstance(key, str), f"topic key {key!r} is not a string"
        assert SNAKE_CASE.fullmatch(key), f"topic key {key!r} is not snake_case"
    assert len(keys) == len(set(keys)), "topic keys must be unique"


def test_topics_in_all_languages() -> None:
    for topic in load_texts()["topics"]:
        key = topic.get("key")
        assert_translated(topic.get("title"), f"topics.{key}.title")
        assert_translated(topic.get("summary"), f"topics.{key}.summary")
        for language in LANGUAGES:
            title = topic["title"][language]
            assert len(title) <= MAX_TITLE_LENGTH, f"topics.{key}.title.{language} is too long"


def test_no_raw_html() -> None:
    for where, text in iter_strings(load_texts()):
        assert "<" not in text, f"{where} contains '<'"
