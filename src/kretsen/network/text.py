"""Pasted text made safe and short enough, and a warning when a quote seems to name someone.

Pure functions with no Django models: the services call them and turn the findings into
messages in the user's language.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

import nh3

from kretsen.network.names import AMBIGUOUS_AT_SENTENCE_START, FIRST_NAMES

WORD = re.compile(r"[^\W\d_][\w'-]*", re.UNICODE)
SENTENCE_END = re.compile(r"[.!?:…]\s*$")
BLANK_LINES = re.compile(r"\n\s*\n")


@dataclass(frozen=True)
class Cleaned:
    text: str
    was_capped: bool
    had_markup: bool


def clean(value: str | None, limit: int) -> Cleaned:
    """Plain text: tags removed (their content kept, scripts and styles dropped), entities
    decoded, line ends normalised, trailing space trimmed, and cut at ``limit`` characters."""
    raw = (value or "").replace("\r\n", "\n").replace("\r", "\n")
    stripped = html.unescape(nh3.clean(raw, tags=set())) if "<" in raw else raw
    had_markup = stripped != raw
    text = "\n".join(line.rstrip() for line in stripped.split("\n")).strip()
    text = re.sub(r"\n{3,}", "\n\n", text)
    if len(text) <= limit:
        return Cleaned(text, False, had_markup)
    cut = text[:limit]
    # Cut at the last whitespace so that no word is split in half.
    space = cut.rfind(" ")
    if space > limit * 0.9:
        cut = cut[:space]
    return Cleaned(cut.rstrip(), True, had_markup)


def possible_names(text: str) -> list[str]:
    """Capitalised words that are common Swedish or Norwegian first names.

    A name that is also an everyday word (``Per``, ``Liv``) counts only inside a sentence,
    where its capital letter cannot come from the sentence start.
    """
    found: list[str] = []
    for match in WORD.finditer(text or ""):
        word = match.group(0)
        if not word[0].isupper() or (word.isupper() and len(word) > 1):
            continue
        base = word.split("'")[0].removesuffix("s") if word.endswith("s") else word
        candidates = {word, base}
        hit = next((c for c in candidates if c in FIRST_NAMES), None)
        if hit is None:
            continue
        before = text[: match.start()]
        at_start = not before.strip() or bool(SENTENCE_END.search(before))
        if at_start and hit in AMBIGUOUS_AT_SENTENCE_START:
            continue
        if hit not in found:
            found.append(hit)
    return found


def paragraphs(text: str, longest: int = 120) -> list[str]:
    """A discussion split into passages: paragraphs, long ones cut at sentence ends."""
    pieces: list[str] = []
    for block in BLANK_LINES.split(text or ""):
        for para in block.split("\n"):
            para = para.strip()
            if not para:
                continue
            words = para.split()
            if len(words) <= longest:
                pieces.append(para)
                continue
            current: list[str] = []
            for sentence in re.split(r"(?<=[.!?])\s+", para):
                current.append(sentence)
                if sum(len(s.split()) for s in current) >= longest * 0.6:
                    pieces.append(" ".join(current))
                    current = []
            if current:
                pieces.append(" ".join(current))
    return pieces


def normalise_space(text: str) -> str:
    return " ".join((text or "").split())


def mark_shortened(text: str) -> str:
    """A shortened quote shows where words were cut: ``[…]`` is added when no mark is there."""
    text = text.strip()
    if "[…]" in text or "[...]" in text:
        return text.replace("[...]", "[…]")
    return f"{text} […]"
