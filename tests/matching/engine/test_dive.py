"""Whole groups from column generation (decision 0127): the dive fixes leaders with the groups
they lead, and the repair places the longest-waiting people a dive left out."""

from __future__ import annotations

from collections.abc import Iterator

from benchmarks.formation.synthetic import make_pool
from kretsen.matching.engine import check_proposal, clock
from kretsen.matching.engine.colgen import dive, generate
from kretsen.matching.engine.fairness import FairShare
from kretsen.matching.engine.heuristic import GroupState, State, repair
from kretsen.matching.engine.index import Context, Index, build_index
from kretsen.matching.engine.partition import solve_columns
from kretsen.matching.engine.solve import (
    _graft,
    _place_missing,
    _state_from,
    _to_group,
    _transplant,
)


def _placed(state: State) -> set[int]:
    return {i for i, k in enumerate(state.where) if k >= 0}


def _invalid(index: Index, state: State) -> list[str]:
    groups = [_to_group(index, g) for g in state.groups]
    return [v.detail for _, v in check_proposal(groups, index.problem)]


def test_every_group_the_dive_keeps_can_be_seated_with_its_own_leaders() -> None:
    """The LP may share a leader between two contexts at one slot; the dive fixes leaders
    with each group, so CP-SAT seats every group it returns, and none shares a person."""
    index = build_index(make_pool(200, 1, family="regions"))
    fair = FairShare.of(index)
    start = [(g.context, tuple(sorted(g.members))) for g in fair.baseline.groups]
    generated = generate(index, start, clock.now() + 8, 0, None, 1)
    dived = dive(index, generated, (), clock.now() + 20)
    assert dived
    members = [i for _, group in dived for i in group]
    assert len(members) == len(set(members))
    seated = solve_columns(index, dived, index.leader_free, [], 10, 0, 1)
    assert seated.groups is not None
    assert len(seated.groups) == len(dived)
    assert _invalid(index, _state_from(index, seated.groups)) == []


def _without_longest_waiting(index: Index, fair: FairShare, count: int) -> tuple[State, list[int]]:
    """First come, first served with ``count`` of its longest-waiting people sent back to the
    list, from groups that stay large enough."""
    state = fair.baseline.copy()
    taken: list[int] = []
    for group in state.groups:
        low = index.bounds(group.context[0])[0]
        quarter = [
            i
            for i in group.members
            if i in fair.quarter and len(index.blocks[index.block_of[i]]) == 1
        ]
        if quarter and len(group.members) > low and len(taken) < count:
            group.members.remove(quarter[0])
            state.where[quarter[0]] = -1
            taken.append(quarter[0])
    assert len(taken) == count
    assert not fair.holds(state)
    return state, taken


def test_repair_places_the_longest_waiting_again_and_keeps_every_group_valid() -> None:
    index = build_index(make_pool(200, 2, family="city"))
    fair = FairShare.of(index)
    state, _ = _without_longest_waiting(index, fair, 4)
    repaired = repair(index, state, fair.floors)
    assert fair.holds(repaired)
    assert _invalid(index, repaired) == []
    # Nobody placed before who counts towards a floor was sent back.
    assert _placed(state) & fair.quarter <= _placed(repaired)


def test_an_exact_neighbourhood_places_the_longest_waiting_again() -> None:
    """Where no single move is tried, re-solving the groups around a waiting person with a
    floor of one more longest-waiting person places them, and every group stays valid."""
    index = build_index(make_pool(200, 4, family="regions"))
    fair = FairShare.of(index)
    state, _ = _without_longest_waiting(index, fair, 1)
    placed = _place_missing(index, state, fair, clock.now() + 20)
    assert fair.holds(placed)
    assert _invalid(index, placed) == []


def test_a_new_group_is_formed_around_a_longest_waiting_person_whose_places_have_none() -> None:
    """Decision 0131: where a floor fails because a longest-waiting person's contexts have no
    group left, ``_graft`` forms one there with leaders still free at its slot, waiting people
    and people from groups that stay large enough; every group stays valid and nobody of the
    quarter placed before is sent back."""
    index = build_index(make_pool(200, 4, family="regions"))
    fair = FairShare.of(index)
    # Dissolve the first group of first come, first served that holds someone of the quarter
    # and has no group beside it in that person's contexts: their places then have none.
    lonely = next(_alone_in_their_places(index, fair), None)
    assert lonely is not None, "no such group in this pool"
    state = _state_from(index, [g for g in fair.baseline.groups if g is not lonely[0]])
    assert not fair.holds(state)
    before = _placed(state) & fair.quarter
    grafted = _graft(index, state, fair)
    assert fair.holds(grafted)
    assert _invalid(index, grafted) == []
    assert before <= _placed(grafted)


def _alone_in_their_places(
    index: Index, fair: FairShare
) -> Iterator[tuple[GroupState, set[Context]]]:
    """First come, first served's groups that hold someone of the longest-waiting quarter
    whose contexts have no other group, with those contexts."""
    groups = fair.baseline.groups
    for g in groups:
        quarter = [i for i in g.members if i in fair.quarter]
        if not quarter:
            continue
        contexts = set(index.block_contexts[index.block_of[quarter[0]]])
        if not any(h.context in contexts for h in groups if h is not g):
            yield g, contexts


def _leader_taken_away(index: Index, fair: FairShare) -> tuple[State, Context]:
    """First come, first served without a group that holds someone of the quarter whose
    contexts have no other group, and with one of its leaders moved into another group at
    its slot: too few leaders are left there for a new group."""
    base = fair.baseline
    need = index.problem.rules.leaders_per_group
    for g, contexts in _alone_in_their_places(index, fair):
        for h in base.groups:
            if h is g or h.context[1] != g.context[1]:
                continue
            for leader in g.leaders:
                if leader not in index.pool_leaders.get(h.context[0], []):
                    continue
                groups = [x for x in base.groups if x is not g and x is not h]
                groups.append(GroupState(h.context, h.members, [leader, *h.leaders[1:]]))
                state = _state_from(index, groups)
                if all(len(index.leaders_for(c, state.busy)) < need for c in contexts):
                    return state, g.context
    raise AssertionError("no such group in this pool")


def test_first_come_first_served_s_own_group_is_put_back_where_no_new_group_can_be_led() -> None:
    """Decision 0138: a longest-waiting person whose only places have no group and too few
    free leaders; ``_graft`` cannot form a group there, ``_transplant`` puts first come, first
    served's group back with its leaders, finds the group it takes a leader from another one
    or dissolves it, and places those that sends to the list again. Every group stays valid
    and the quarter loses nobody in number."""
    index = build_index(make_pool(200, 1, family="regions"))
    fair = FairShare.of(index)
    state, context = _leader_taken_away(index, fair)
    assert not fair.holds(state)
    assert not fair.holds(_graft(index, state, fair))
    moved = _transplant(index, state, fair)
    assert fair.holds(moved)
    assert _invalid(index, moved) == []
    assert any(g.context == context for g in moved.groups)
    assert len(_placed(moved) & fair.quarter) > len(_placed(state) & fair.quarter)
