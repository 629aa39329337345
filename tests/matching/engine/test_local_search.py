"""Local search with its sums per group (decision 0137): the figures it moves by are the
objective's, and it stops only where no move or swap it may make would gain."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings

from benchmarks.formation.synthetic import make_pool
from kretsen.matching.engine.heuristic import (
    State,
    _fits,
    _Sums,
    _worth,
    construct,
    local_search,
)
from kretsen.matching.engine.index import Index, build_index

from .helpers import problems_st

FAR = float("inf")


def _gains(index: Index, state: State, keep: frozenset[int]) -> list[tuple[float, str]]:
    """Every move local search may make, with its gain by ``Index.value`` alone."""
    by_context: dict[object, list[int]] = {}
    for k, g in enumerate(state.groups):
        by_context.setdefault(g.context, []).append(k)
    out: list[tuple[float, str]] = []
    for b, block in enumerate(index.blocks):
        targets = [k for c in index.block_contexts[b] for k in by_context.get(c, ())]
        home = state.where[block[0]]
        for k in targets:
            g = state.groups[k]
            old = index.value(g.members)
            low = index.bounds(g.context[0])[0]
            if home < 0:
                if _fits(index, state, k, block, []):
                    out.append((index.value(g.members + block) - old, f"insert {b} in {k}"))
                for m in g.members:
                    gone = index.blocks[index.block_of[m]]
                    if len(gone) > len(block) or keep.intersection(gone):
                        continue
                    if len(g.members) - len(gone) + len(block) < low:
                        continue
                    if _fits(index, state, k, block, gone):
                        new = [x for x in g.members if x not in gone] + block
                        out.append((index.value(new) - old, f"swap {b} in {k}"))
                continue
            if k == home:
                continue
            src = state.groups[home]
            rest = [x for x in src.members if x not in block]
            before = index.value(src.members) + old
            if len(rest) >= index.bounds(src.context[0])[0] and _fits(index, state, k, block, []):
                after = index.value(rest) + index.value(g.members + block)
                out.append((after - before, f"move {b} to {k}"))
            for m in g.members:
                other = index.blocks[index.block_of[m]]
                if len(other) != len(block) or not _fits(index, state, k, block, other):
                    continue
                if src.context not in index.block_contexts[index.block_of[m]]:
                    continue
                if not index.compatible(rest, other):
                    continue
                new = [x for x in g.members if x not in other] + block
                after = index.value(rest + other) + index.value(new)
                out.append((after - before, f"swap {b} with {m}"))
    return out


def _check(index: Index, seed: int) -> None:
    state = construct(index, random.Random(seed))
    sums = _Sums(index, state)
    for k, g in enumerate(state.groups):
        mine = sums.of(k)
        assert _worth(mine.total, mine.pairs, len(g.members)) == pytest.approx(
            index.value(g.members)
        )
        for i in index.context_people[g.context]:
            if i not in g.members:
                assert sums.toward(mine, i) == pytest.approx(sums.link(i, g.members))
    start = state.value()
    keep = frozenset(i for i in range(len(index.people)) if i % 5 == 0)
    for _ in range(200):  # a pass at a time: no pass may lose value
        before = state.value()
        state = local_search(index, state, FAR, max_passes=1, keep=keep)
        assert state.value() >= before - 1e-9
        if state.value() <= before + 1e-9:
            break
    assert state.value() >= start - 1e-9
    left = [(gain, what) for gain, what in _gains(index, state, keep) if gain > 1e-6]
    assert not left, left[:3]


@pytest.mark.parametrize(
    ("family", "seed"), [("city", 0), ("regions", 1), ("offer", 2), ("regions", 3)]
)
def test_local_search_stops_where_nothing_gains(family: str, seed: int) -> None:
    _check(build_index(make_pool(150, seed, family=family)), seed)


@settings(max_examples=60, deadline=None)
@given(problems_st(high=8))
def test_local_search_on_tiny_pools_with_pins(problem: object) -> None:
    _check(build_index(problem), 0)  # type: ignore[arg-type]
