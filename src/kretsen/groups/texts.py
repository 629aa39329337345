"""The pledge, the rules and the topic library: our defaults, and each organisation's own.

The defaults are in ``default_texts.toml`` (written for Kretsen, in sv, nb and en). An
organisation's own version of a text is a ``GroupText`` row; the newest version is in force.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from kretsen.core.models import Organisation
from kretsen.groups.models import GroupText, Topic

DEFAULTS_FILE = Path(__file__).resolve().parent / "default_texts.toml"
LANGUAGES = ("sv", "nb", "en")
RUNSHEET_STEPS = (
    "arrival",
    "pledge_and_rules",
    "check_in",
    "topic",
    "break",
    "check_out",
    "practicalities",
)


@cache
def defaults() -> dict[str, Any]:
    with DEFAULTS_FILE.open("rb") as handle:
        return tomllib.load(handle)


def in_language(texts: dict[str, str], language: str, fallback: str = "sv") -> str:
    for code in (language, fallback, *LANGUAGES):
        if texts.get(code):
            return texts[code]
    return ""


@dataclass(frozen=True)
class VersionedText:
    kind: str
    version: int
    language: str
    text: str


def current_version(organisation: Organisation, kind: str) -> GroupText | None:
    return (
        GroupText.objects.filter(organisation=organisation, kind=kind).order_by("-version").first()
    )


def text_for(organisation: Organisation, kind: str, language: str) -> VersionedText:
    """The text in force, in ``language`` if it exists, else the organisation's language."""
    own = current_version(organisation, kind)
    if own is not None:
        by_language = {code: getattr(own, f"text_{code}") for code in LANGUAGES}
        version = own.version
    else:
        by_language = dict(defaults()[kind])
        version = 0
    chosen = next(
        (
            code
            for code in (language, organisation.default_language, *LANGUAGES)
            if by_language.get(code)
        ),
        language,
    )
    return VersionedText(kind, version, chosen, by_language.get(chosen, ""))


def all_languages(organisation: Organisation, kind: str) -> dict[str, str]:
    own = current_version(organisation, kind)
    if own is not None:
        return {code: getattr(own, f"text_{code}") for code in LANGUAGES}
    return {code: defaults()[kind].get(code, "") for code in LANGUAGES}


@dataclass(frozen=True)
class TopicChoice:
    key: str
    title: str
    summary: str
    own: bool


def topic_library(organisation: Organisation, language: str) -> list[TopicChoice]:
    """The organisation's own active topics first, then our default set."""
    choices = [
        TopicChoice(
            key=f"own:{topic.public_id}",
            title=in_language(
                {code: getattr(topic, f"title_{code}") for code in LANGUAGES},
                language,
                organisation.default_language,
            ),
            summary=in_language(
                {code: getattr(topic, f"summary_{code}") for code in LANGUAGES},
                language,
                organisation.default_language,
            ),
            own=True,
        )
        for topic in Topic.objects.filter(organisation=organisation, is_active=True)
    ]
    for topic in defaults()["topics"]:
        choices.append(
            TopicChoice(
                key=f"default:{topic['key']}",
                title=in_language(topic["title"], language, organisation.default_language),
                summary=in_language(topic["summary"], language, organisation.default_language),
                own=False,
            )
        )
    return choices
