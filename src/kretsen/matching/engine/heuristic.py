"""Fast heuristics: greedy construction per context, then local search with moves and swaps.

Construction takes blocks (people, or people pinned together) longest-waiting first; for each
context the seed can meet in, it grows a group greedily by the exact marginal objective among
the most alike waiting people there, and keeps the context whose group adds most. Local search
then inserts people left out, swaps them with members, and moves or swaps members between
groups whenever the objective strictly rises. Nothing here is exact; it is the warm start for
CP-SAT and the whole answer for pools too large for it.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field

from . import clock
from .index import Context, Index

CANDIDATES = 40  # people considered when growing one group; enough to find the alike ones


@dataclass
class GroupState:
    context: Context
    members: list[int]
    leaders: list[int]


@dataclass
class State:
    index: Index
    groups: list[GroupState] = field(default_factory=list)
    where: list[int] = field(default_factory=list)  # group of each person, -1 on the list
    busy: list[int] = field(default_factory=list)  # slots each leader already leads

    @classmethod
    def empty(cls, index: Index) -> State:
        return cls(index, [], [-1] * len(index.people), [0] * len(index.leader_ids))

    def add_group(self, context: Context, members: list[int], leaders: list[int]) -> None:
        k = len(self.groups)
        self.groups.append(GroupState(context, list(members), list(leaders)))
        for i in members:
            self.where[i] = k
        for leader in leaders:
            self.busy[leader] |= 1 << context[1]

    def value(self) -> float:
        return sum(self.index.value(g.members) for g in self.groups)

    def copy(self) -> State:
        return State(
            self.index,
            [GroupState(g.context, list(g.members), list(g.leaders)) for g in self.groups],
            list(self.where),
            list(self.busy),
        )


def _pick_leaders(index: Index, context: Context, busy: list[int]) -> list[int] | None:
    free = index.leaders_for(context, busy)
    need = index.problem.rules.leaders_per_group
    if len(free) < need:
        return None
    # Leaders who can serve few contexts go first, so flexible ones stay free for later groups.
    free.sort(key=lambda leader: (bin(index.leader_free[leader]).count("1"), leader))
    return free[:need]


def _grow(
    index: Index, seed: list[int], candidates: list[list[int]], low: int, high: int
) -> list[int]:
    """Greedy growth of a group from ``seed`` by the exact marginal objective."""
    members = list(seed)
    current = index.value(members)
    pool = list(candidates)
    while pool and len(members) < high:
        best_gain = float("-inf")
        best_k = -1
        for k, block in enumerate(pool):
            if len(members) + len(block) > high or not index.compatible(members, block):
                continue
            gain = index.value(members + block) - current
            if gain > best_gain:
                best_gain, best_k = gain, k
        if best_k < 0 or (best_gain <= 0 and len(members) >= low):
            break
        members += pool.pop(best_k)
        current += best_gain
    return members


def construct(index: Index, rng: random.Random, state: State | None = None) -> State:
    """Greedy groups, longest-waiting blocks first (ties broken by the seeded ``rng``)."""
    state = state or State.empty(index)
    order = sorted(
        range(len(index.blocks)),
        key=lambda b: (-max(index.w[i] for i in index.blocks[b]), rng.random()),
    )
    for b in order:
        block = index.blocks[b]
        if state.where[block[0]] >= 0 or not index.block_contexts[b]:
            continue
        best: tuple[float, Context, list[int], list[int]] | None = None
        for context in index.block_contexts[b]:
            low, high = index.bounds(context[0])
            if len(block) > high:
                continue
            leaders = _pick_leaders(index, context, state.busy)
            if leaders is None:
                continue
            seen: set[int] = {b}
            others: list[list[int]] = []
            for i in index.context_people[context]:
                ob = index.block_of[i]
                if ob in seen or state.where[i] >= 0:
                    continue
                seen.add(ob)
                if context in index.block_contexts[ob]:
                    others.append(index.blocks[ob])
            if len(others) + len(block) < low:
                continue
            seed_profile = index.sim[index.profile[block[0]]]
            others.sort(key=lambda o: (-seed_profile[index.profile[o[0]]], -index.w[o[0]], o[0]))
            members = _grow(index, block, others[:CANDIDATES], low, high)
            if len(members) < low:
                continue
            value = index.value(members)
            if best is None or value > best[0] + 1e-12:
                best = (value, context, members, leaders)
        if best is not None:
            state.add_group(best[1], best[2], best[3])
    return state


def _fits(index: Index, state: State, k: int, block: list[int], leaving: list[int]) -> bool:
    group = state.groups[k]
    b = index.block_of[block[0]]
    if group.context not in index.block_contexts[b]:
        return False
    rest = [m for m in group.members if m not in leaving]
    high = index.bounds(group.context[0])[1]
    return len(rest) + len(block) <= high and index.compatible(rest, block)


def local_search(
    index: Index,
    state: State,
    deadline: float,
    max_passes: int = 50,
    keep: frozenset[int] = frozenset(),
) -> State:
    """First-improvement moves until none improves (or the pass cap or deadline is reached).

    The pass cap, not the clock, ends the search on normal inputs, so results stay
    deterministic; the deadline only protects the time limit on huge pools. No move sends a
    placed person back to the list unless another takes their place, and people in ``keep``
    are never sent back (so the fairness figures never fall).
    """
    groups_by_context: dict[Context, list[int]] = {}
    for k, g in enumerate(state.groups):
        groups_by_context.setdefault(g.context, []).append(k)

    def targets(block: list[int]) -> list[int]:
        out: list[int] = []
        for context in index.block_contexts[index.block_of[block[0]]]:
            out.extend(groups_by_context.get(context, ()))
        return out

    sums = _Sums(index, state)
    for _ in range(max_passes):
        improved = False
        for b, block in enumerate(index.blocks):
            if clock.now() > deadline:
                return state
            if not index.block_contexts[b]:
                continue
            home = state.where[block[0]]
            if home < 0:
                improved |= _place_waiting(index, state, block, targets(block), keep, sums)
            else:
                improved |= _move_member(index, state, block, home, targets(block), sums)
        if not improved:
            break
    return state


def _worth(total: float, pairs: float, n: int) -> float:
    """``Index.value`` of a group from its weight total and pair sum."""
    return total if n < 2 else total + pairs / (n - 1)


@dataclass
class _GroupSums:
    members: list[int]  # the list these sums are for
    total: float  # W
    pairs: float  # P
    part: dict[int, float]  # each member's link to the others
    by_profile: dict[int, tuple[float, float]]  # profile -> (likeness sum, weighted sum)


class _Sums:
    """Per group while one local search runs: its weight total W, its pair sum P (over
    pairs, (w_i + w_j) times their likeness) and each member's part of P, so that a group's
    value with one person swapped for another costs O(1) instead of ``Index.value``'s O(n^2)
    (decision 0137); and, per profile met, what a newcomer of that profile would add to P.
    A group's sums are recomputed when its member list is replaced, which every move does."""

    def __init__(self, index: Index, state: State) -> None:
        self.index = index
        self.state = state
        self.cached: dict[int, _GroupSums] = {}

    def of(self, k: int) -> _GroupSums:
        members = self.state.groups[k].members
        hit = self.cached.get(k)
        if hit is None or hit.members is not members:
            w = self.index.w
            part = {i: self.link(i, members) for i in members}
            total = sum(w[i] for i in members)
            hit = _GroupSums(members, total, sum(part.values()) / 2, part, {})
            self.cached[k] = hit
        return hit

    def toward(self, group: _GroupSums, i: int) -> float:
        """``link(i, group.members)`` for i outside the group."""
        profile = self.index.profile
        p = profile[i]
        sums = group.by_profile.get(p)
        if sums is None:
            w = self.index.w
            row = self.index.sim[p]
            sums = (
                sum(row[profile[m]] for m in group.members),
                sum(w[m] * row[profile[m]] for m in group.members),
            )
            group.by_profile[p] = sums
        return self.index.w[i] * sums[0] + sums[1]

    def adding(
        self, k: int, block: list[int], weight: float, inner: float
    ) -> tuple[_GroupSums, float, float, float]:
        """Group k's sums, its value, ``block``'s link to its members, and the gain of adding
        ``block`` (whose weight total and pair sum are given)."""
        there = self.of(k)
        n = len(there.members)
        old = _worth(there.total, there.pairs, n)
        cross = sum(self.toward(there, i) for i in block)
        new = _worth(there.total + weight, there.pairs + inner + cross, n + len(block))
        return there, old, cross, new - old

    def link(self, i: int, members: list[int]) -> float:
        """Sum over ``members`` other than i of (w_i + w_m) times their likeness to i."""
        w = self.index.w
        profile = self.index.profile
        row = self.index.sim[profile[i]]
        wi = w[i]
        return sum((wi + w[m]) * row[profile[m]] for m in members if m != i)

    def inner(self, block: list[int]) -> float:
        return sum(self.link(i, block[a + 1 :]) for a, i in enumerate(block))


def _place_waiting(
    index: Index,
    state: State,
    block: list[int],
    targets: list[int],
    keep: frozenset[int],
    sums: _Sums,
) -> bool:
    """The best way to place the waiting ``block`` in one of its contexts' groups: added, or
    in the place of a block no larger (never one of ``keep``). Every gain is computed before
    the rules are checked, so the rules are checked only for a move that would be kept."""
    w = index.w
    weight = sum(w[i] for i in block)
    inner = sums.inner(block)
    bar = 1e-9  # the gain to beat
    best: tuple[float, int, list[int]] | None = None
    for k in targets:
        g = state.groups[k]
        there, old, cross, gain = sums.adding(k, block, weight, inner)
        total, pairs, part = there.total, there.pairs, there.part
        n = len(g.members)
        if gain > bar and _fits(index, state, k, block, []):
            best, bar = (gain, k, []), gain
        low = index.bounds(g.context[0])[0]
        for m in g.members:
            out = index.blocks[index.block_of[m]]
            if len(out) > len(block) or len(g.members) - len(out) + len(block) < low:
                continue
            if len(block) == 1 and len(out) == 1:
                new = _worth(
                    total - w[m] + weight, pairs - part[m] + cross - sums.link(m, block), n
                )
            else:
                new = index.value([x for x in g.members if x not in out] + block)
            gain = new - old
            if gain > bar and not keep.intersection(out) and _fits(index, state, k, block, out):
                best, bar = (gain, k, out), gain
    if best is None:
        return False
    _, k, out = best
    _swap_in(state, k, block, out)
    return True


def _swap_in(state: State, k: int, block: list[int], out: list[int]) -> None:
    """Group k takes ``block`` in and sends ``out`` back to the list."""
    g = state.groups[k]
    g.members = [x for x in g.members if x not in out] + block
    for i in out:
        state.where[i] = -1
    for i in block:
        state.where[i] = k


def _move_member(
    index: Index,
    state: State,
    block: list[int],
    home: int,
    targets: list[int],
    sums: _Sums,
) -> bool:
    """The best move of ``block`` from its group into another of its contexts' groups, or
    swap with a member there; every gain is computed before the rules are checked, so the
    rules are checked only for a move that would be kept."""
    w = index.w
    profile = index.profile
    src = state.groups[home]
    low_src = index.bounds(src.context[0])[0]
    rest = [x for x in src.members if x not in block]
    here = sums.of(home)
    src_total, src_pairs, src_part = here.total, here.pairs, here.part
    src_old = _worth(src_total, src_pairs, len(src.members))
    weight = sum(w[i] for i in block)
    inner = sums.inner(block)
    single = len(block) == 1
    rest_total = src_total - weight
    if single:
        rest_pairs = src_pairs - src_part[block[0]]
    else:
        rest_pairs = src_pairs - inner - sum(sums.link(i, rest) for i in block)
    src_new = _worth(rest_total, rest_pairs, len(rest))
    row = index.sim[profile[block[0]]]
    back = 1 / len(rest) if rest else 0.0  # a swap leaves the source group its size
    bar = 1e-9  # the gain to beat
    best: tuple[float, int, list[int]] | None = None
    for k in targets:
        if k == home:
            continue
        g = state.groups[k]
        there, old, cross, gain = sums.adding(k, block, weight, inner)
        total, pairs, part = there.total, there.pairs, there.part
        n = len(g.members)
        gain += src_new - src_old
        if gain > bar and len(rest) >= low_src and _fits(index, state, k, block, []):
            best, bar = (gain, k, []), gain
        share = 1 / (n - 1) if n > 1 else 0.0
        for m in g.members:
            other = index.blocks[index.block_of[m]]
            if len(other) != len(block):
                continue
            if single:
                wm = w[m]
                pair = (wm + weight) * row[profile[m]]
                new_g = total - wm + weight + (pairs - part[m] + cross - pair) * share
                new_src = rest_total + wm + (rest_pairs + sums.toward(here, m) - pair) * back
            else:
                new_g = index.value([x for x in g.members if x not in other] + block)
                new_src = index.value(rest + other)
            gain = new_g - old + new_src - src_old
            if gain <= bar or not _fits(index, state, k, block, other):
                continue
            if src.context in index.block_contexts[index.block_of[m]] and index.compatible(
                rest, other
            ):
                best, bar = (gain, k, other), gain
    if best is None:
        return False
    _, k, other = best
    g = state.groups[k]
    g.members = [x for x in g.members if x not in other] + block
    src.members = rest + other
    for i in block:
        state.where[i] = k
    for i in other:
        state.where[i] = home
    return True


def repair(index: Index, state: State, floors: Sequence[tuple[frozenset[int], int]]) -> State:
    """Place waiting people until every floor (at least ``minimum`` of ``wanted`` placed) holds,
    or no change helps. A waiting block with someone the first unmet floor wants goes into a
    group of its contexts with room, or takes the place of a block that floor does not want
    and that counts no more than it towards any floor; of the changes possible, the one that
    costs least; where there is none, new groups from the waiting people (``construct``).
    Groups stay valid and no floor's count falls, so the loop ends."""

    def unmet() -> frozenset[int] | None:
        placed = {i for i, k in enumerate(state.where) if k >= 0}
        return next((w for w, minimum in floors if len(placed & w) < minimum), None)

    def counts(people: list[int]) -> list[int]:
        return [len(wanted.intersection(people)) for wanted, _ in floors]

    state = state.copy()
    groups_by_context: dict[Context, list[int]] = {}
    for k, g in enumerate(state.groups):
        groups_by_context.setdefault(g.context, []).append(k)
    while (wanted := unmet()) is not None:
        best: tuple[float, int, list[int], list[int]] | None = None
        for b, block in enumerate(index.blocks):
            if state.where[block[0]] >= 0 or not wanted.intersection(block):
                continue
            gives = counts(block)
            for context in index.block_contexts[b]:
                for k in groups_by_context.get(context, ()):
                    g = state.groups[k]
                    old = index.value(g.members)
                    outs: list[list[int]] = [[]] + [
                        index.blocks[index.block_of[m]] for m in g.members
                    ]
                    for out in outs:
                        if wanted.intersection(out) or len(out) > len(block):
                            continue
                        if any(o > n for o, n in zip(counts(out), gives, strict=True)):
                            continue
                        if not _fits(index, state, k, block, out):
                            continue
                        loss = old - index.value([x for x in g.members if x not in out] + block)
                        if best is None or loss < best[0]:
                            best = (loss, k, block, out)
        if best is None:
            # No room anywhere: new groups from the waiting people, with leaders still free.
            before = sum(1 for i in wanted if state.where[i] >= 0)
            state = construct(index, random.Random(0), state)  # noqa: S311 - tie-breaking
            if sum(1 for i in wanted if state.where[i] >= 0) <= before:
                return state
            groups_by_context = {}
            for k, g in enumerate(state.groups):
                groups_by_context.setdefault(g.context, []).append(k)
            continue
        _, k, block, out = best
        _swap_in(state, k, block, out)
    return state
