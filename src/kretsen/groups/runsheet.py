"""The run-sheet of one meeting: the steps of DOMAIN.md's meeting shape with suggested minutes.

The minutes follow fixed shares of the time that is not break, rounded so that the steps add
up to exactly the meeting's length (largest remainder first).
"""

from __future__ import annotations

from dataclasses import dataclass

from kretsen.groups.texts import RUNSHEET_STEPS, defaults, in_language

# Shares of the meeting's time without the break. Check-in and topic carry the meeting.
SHARES = {
    "arrival": 10,
    "pledge_and_rules": 5,
    "check_in": 30,
    "topic": 30,
    "check_out": 15,
    "practicalities": 10,
}


@dataclass(frozen=True)
class Step:
    key: str
    title: str
    guidance: str
    minutes: int
    starts_after: int


def suggested_minutes(total: int, break_minutes: int) -> dict[str, int]:
    """Minutes per step, summing to ``total``; the break keeps its own length."""
    break_minutes = max(0, min(break_minutes, total))
    rest = total - break_minutes
    weight = sum(SHARES.values())
    exact = {key: rest * share / weight for key, share in SHARES.items()}
    minutes = {key: int(value) for key, value in exact.items()}
    leftover = rest - sum(minutes.values())
    for key in sorted(exact, key=lambda k: exact[k] - minutes[k], reverse=True)[:leftover]:
        minutes[key] += 1
    if break_minutes:
        minutes["break"] = break_minutes
    return minutes


def build(total: int, break_minutes: int, language: str, fallback: str) -> list[Step]:
    minutes = suggested_minutes(total, break_minutes)
    texts = defaults()["runsheet"]
    steps = []
    elapsed = 0
    for key in RUNSHEET_STEPS:
        if key not in minutes:
            continue
        steps.append(
            Step(
                key=key,
                title=in_language(texts[key]["title"], language, fallback),
                guidance=in_language(texts[key]["guidance"], language, fallback),
                minutes=minutes[key],
                starts_after=elapsed,
            )
        )
        elapsed += minutes[key]
    return steps
