"""Speaking balance, without Django: who is far above the group, who is quieter, the summary.

Plain numbers in, plain numbers out, so the rules can be read and tested alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from statistics import median

# Someone is "far above" the group when they have spoken more than twice the median time
# and at least this many seconds more than the median (so one long check-in early on does
# not mark anyone).
FAR_ABOVE_MARGIN_SECONDS = 180


@dataclass(frozen=True)
class Speaker:
    key: int
    turns: int
    seconds: int


def far_above(speakers: list[Speaker]) -> set[int]:
    """Keys of those who have spoken far above the group's median time."""
    if len(speakers) < 2:
        return set()
    middle = median(s.seconds for s in speakers)
    limit = max(2 * middle, middle + FAR_ABOVE_MARGIN_SECONDS)
    return {s.key for s in speakers if s.seconds > limit}


@dataclass(frozen=True)
class Hand:
    key: int
    raised_at: datetime
    turns: int
    seconds: int


def queue_order(hands: list[Hand], quieter_first: bool) -> list[int]:
    """Raised hands by the time they went up; with ``quieter_first``, fewest turns first,
    then least speaking time, then the time the hand went up."""
    if quieter_first:
        ordered = sorted(hands, key=lambda h: (h.turns, h.seconds, h.raised_at, h.key))
    else:
        ordered = sorted(hands, key=lambda h: (h.raised_at, h.key))
    return [h.key for h in ordered]


@dataclass(frozen=True)
class Summary:
    people: int
    spoke: int
    turns: int
    seconds: int
    top_third_time_share: int
    top_third_turn_share: int


def _top_third_share(values: list[int]) -> int:
    total = sum(values)
    if total == 0:
        return 0
    # The most talkative third, at least one person.
    count = max(1, round(len(values) / 3))
    top = sum(sorted(values, reverse=True)[:count])
    return round(100 * top / total)


def summarise(speakers: list[Speaker]) -> Summary:
    """How evenly turns and time were spread, with no names in it."""
    return Summary(
        people=len(speakers),
        spoke=sum(1 for s in speakers if s.turns > 0),
        turns=sum(s.turns for s in speakers),
        seconds=sum(s.seconds for s in speakers),
        top_third_time_share=_top_third_share([s.seconds for s in speakers]),
        top_third_turn_share=_top_third_share([s.turns for s in speakers]),
    )
