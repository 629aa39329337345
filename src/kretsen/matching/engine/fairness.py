"""First come, first served, and the fairness figures a proposal is compared on.

``first_come_first_served`` is what a coordinator does by hand with a spreadsheet: take the
longest-waiting person still on the list, try their possible meeting places in weekday order,
and fill a group with the next compatible people in waiting order; if no group reaches the
minimum size (or no leaders are free), that person stays on the list. It is the baseline of the
fairness rule (decision 0091) and of the benchmark.

``fairness`` counts who is placed among the people a run could place: everyone not in a locked
group who is inside the offer's target group or included by hand. The longest-waiting quarter
is the ceil(n / 4) of them with the most days waiting, ties broken by id.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from .exact import Floor
from .heuristic import State
from .index import Context, Index, build_index
from .model import Fairness, Group, Problem
from .rules import outside_target


def eligible_ids(problem: Problem) -> list[str]:
    locked = {m for g in problem.locked for m in g.members}
    return [
        p.id for p in problem.people if p.id not in locked and outside_target(p, problem) is None
    ]


def longest_waiting(problem: Problem) -> list[str]:
    """The ceil(n / 4) eligible people who waited longest (ties by id)."""
    days = {p.id: p.days_waiting for p in problem.people}
    ids = sorted(eligible_ids(problem), key=lambda pid: (-days[pid], pid))
    return ids[: math.ceil(len(ids) / 4)]


def fairness(problem: Problem, groups: Iterable[Group]) -> Fairness:
    placed = {m for g in groups for m in g.members}
    ids = eligible_ids(problem)
    longest = longest_waiting(problem)
    count = sum(1 for pid in ids if pid in placed)
    top = sum(1 for pid in longest if pid in placed)
    return Fairness(
        placed=count,
        people=len(ids),
        placed_share=count / len(ids) if ids else 1.0,
        longest_waiting_placed=top,
        longest_waiting=len(longest),
        longest_waiting_share=top / len(longest) if longest else 1.0,
    )


def group_of(index: Index, context: Context, members: list[int], leaders: list[int]) -> Group:
    (fmt, area, language), slot = context
    return Group(
        members=tuple(sorted(index.people[i] for i in members)),
        leaders=tuple(sorted(index.leader_ids[k] for k in leaders)),
        slot=slot,
        language=language,
        format=fmt,
        area=area,
    )


def add_groups(
    state: State,
    groups: Iterable[Group],
    position: dict[str, int],
    leader_at: dict[str, int],
) -> None:
    """Add ``groups`` (people and leaders by id) to ``state`` (by index position), the
    reverse of ``group_of``; ``position`` and ``leader_at`` map ids to positions."""
    for g in groups:
        state.add_group(
            ((g.format, g.area, g.language), g.slot),
            sorted(position[m] for m in g.members),
            sorted(leader_at[leader] for leader in g.leaders),
        )


def fcfs_groups(index: Index) -> list[tuple[Context, list[int], list[int]]]:
    """First come, first served on the index: (context, members, leaders) per new group."""
    need = index.problem.rules.leaders_per_group
    order = sorted(range(len(index.people)), key=lambda i: (-index.w[i], index.people[i]))
    rank = {i: k for k, i in enumerate(order)}
    placed = [False] * len(index.people)
    busy = [0] * len(index.leader_ids)
    out: list[tuple[Context, list[int], list[int]]] = []
    for i in order:
        if placed[i]:
            continue
        block = index.blocks[index.block_of[i]]
        # A coordinator reads the spreadsheet row: slots in weekday order, first language.
        for context in sorted(index.block_contexts[index.block_of[i]], key=lambda c: (c[1], c[0])):
            low, high = index.bounds(context[0])
            free = index.leaders_for(context, busy)
            if len(free) < need or len(block) > high:
                continue
            members = list(block)
            for j in sorted(index.context_people[context], key=rank.__getitem__):
                other = index.blocks[index.block_of[j]]
                if len(members) + len(other) > high:
                    continue
                if placed[j] or j in members or rank[j] < rank[i]:
                    continue
                if context in index.block_contexts[index.block_of[j]] and index.compatible(
                    members, other
                ):
                    members.extend(other)
            if len(members) >= low:
                for j in members:
                    placed[j] = True
                for leader in free[:need]:
                    busy[leader] |= 1 << context[1]
                out.append((context, members, free[:need]))
                break
    return out


def first_come_first_served(problem: Problem) -> tuple[Group, ...]:
    """The locked groups, then first come, first served for everyone else (valid groups)."""
    index = build_index(problem)
    return tuple(problem.locked) + tuple(
        group_of(index, context, members, leaders)
        for context, members, leaders in fcfs_groups(index)
    )


@dataclass
class FairShare:
    """The fairness rule of a run (decision 0091): a proposal places at least as many people,
    and as many of the longest-waiting quarter, as first come, first served does."""

    baseline: State
    quarter: frozenset[int]
    floors: tuple[Floor, ...]

    @classmethod
    def of(
        cls, index: Index, given: tuple[tuple[Group, ...], frozenset[str]] | None = None
    ) -> FairShare:
        """First come, first served on ``index``; or, for one part of a split pool, ``given``:
        the groups first come, first served forms for the whole pool inside this part, and
        the part's people in the whole pool's longest-waiting quarter."""
        position = {pid: k for k, pid in enumerate(index.people)}
        baseline = State.empty(index)
        if given is None:
            for context, members, leaders in fcfs_groups(index):
                baseline.add_group(context, members, leaders)
            quarter = frozenset(
                position[pid] for pid in longest_waiting(index.problem) if pid in position
            )
        else:
            leader_at = {leader_id: k for k, leader_id in enumerate(index.leader_ids)}
            add_groups(baseline, given[0], position, leader_at)
            quarter = frozenset(position[pid] for pid in given[1] if pid in position)
        placed = [i for i, k in enumerate(baseline.where) if k >= 0]
        floors = (
            (frozenset(range(len(index.people))), len(placed)),
            (quarter, len(quarter.intersection(placed))),
        )
        return cls(baseline, quarter, floors)

    def holds(self, state: State) -> bool:
        placed = {i for i, k in enumerate(state.where) if k >= 0}
        return all(len(placed & wanted) >= minimum for wanted, minimum in self.floors)
