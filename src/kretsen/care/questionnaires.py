"""A small questionnaire engine: instruments described in data files, scored by rules.

An instrument file (``instruments/<key>.toml``) names its source and terms of use and holds
the title, the introduction, the items and the answer scale in each language, and the
scoring rule: the answers are added up and multiplied by ``multiplier``. Nothing here
knows about Django, so scoring is tested on its own.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

INSTRUMENTS_DIR = Path(__file__).resolve().parent / "instruments"
LANGUAGES = ("sv", "nb", "en")


class InvalidAnswers(ValueError):
    """The answers do not fit the instrument (an item missing, or a value off the scale)."""


@dataclass(frozen=True)
class Item:
    key: str
    text: dict[str, str]


@dataclass(frozen=True)
class Choice:
    value: int
    label: dict[str, str]


@dataclass(frozen=True)
class Score:
    raw: int
    percentage: int
    low: bool
    needs_follow_up: bool


@dataclass(frozen=True)
class Instrument:
    key: str
    source: str
    terms: str
    title: dict[str, str]
    intro: dict[str, str]
    items: tuple[Item, ...]
    scale: tuple[Choice, ...]
    multiplier: int
    low_at_most: int
    follow_up_at_most: int

    @property
    def max_raw(self) -> int:
        return len(self.items) * max(choice.value for choice in self.scale)

    def score(self, answers: dict[str, int]) -> Score:
        allowed = {choice.value for choice in self.scale}
        missing = [item.key for item in self.items if item.key not in answers]
        if missing:
            raise InvalidAnswers(f"unanswered: {', '.join(missing)}")
        extra = set(answers) - {item.key for item in self.items}
        if extra:
            raise InvalidAnswers(f"unknown items: {', '.join(sorted(extra))}")
        if any(value not in allowed for value in answers.values()):
            raise InvalidAnswers("a value is not on the scale")
        return self.judge(sum(answers.values()))

    def judge(self, raw: int) -> Score:
        """The score of a raw sum, with what it means for care."""
        percentage = raw * self.multiplier
        return Score(
            raw=raw,
            percentage=percentage,
            low=percentage <= self.low_at_most,
            needs_follow_up=percentage <= self.follow_up_at_most,
        )


def _texts(table: dict[str, Any]) -> dict[str, str]:
    return {code: str(table[code]) for code in LANGUAGES if code in table}


@cache
def load(key: str) -> Instrument:
    with (INSTRUMENTS_DIR / f"{key}.toml").open("rb") as handle:
        data = tomllib.load(handle)
    return Instrument(
        key=data["key"],
        source=data["source"],
        terms=data["terms"],
        title=_texts(data["title"]),
        intro=_texts(data["intro"]),
        items=tuple(Item(row["key"], _texts(row)) for row in data["items"]),
        scale=tuple(Choice(int(row["value"]), _texts(row)) for row in data["scale"]),
        multiplier=int(data["multiplier"]),
        low_at_most=int(data["low_at_most"]),
        follow_up_at_most=int(data["follow_up_at_most"]),
    )


def text(texts: dict[str, str], language: str) -> str:
    for code in (language, "en", *LANGUAGES):
        if texts.get(code):
            return texts[code]
    return ""
