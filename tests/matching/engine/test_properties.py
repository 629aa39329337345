"""Property tests of the engine on small random pools (no database)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kretsen.matching.engine import (
    Problem,
    Proposal,
    Reason,
    Status,
    check_proposal,
    fairness,
    first_come_first_served,
    form_groups,
    objective,
)

from .helpers import brute_force, problems_st

FAST = settings(
    deadline=None,
    max_examples=40,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)


def assert_sound(problem: Problem, proposal: Proposal) -> None:
    assert check_proposal(list(proposal.groups), problem) == []
    assert proposal.objective == pytest.approx(objective(problem, proposal.groups))
    assert proposal.upper_bound >= proposal.objective - 1e-6
    placed = {m for g in proposal.groups for m in g.members}
    left = {item.person for item in proposal.left_out}
    assert placed.isdisjoint(left)
    assert placed | left == {p.id for p in problem.people}
    assert all(isinstance(item.code, Reason) and item.detail for item in proposal.left_out)


@FAST
@given(problems_st())
def test_it_proposes_only_valid_groups(problem: Problem) -> None:
    assert_sound(problem, form_groups(problem))


@FAST
@given(problems_st())
def test_it_respects_pins(problem: Problem) -> None:
    proposal = form_groups(problem)
    home = {m: k for k, g in enumerate(proposal.groups) for m in g.members}
    for a, b in problem.together:
        assert home.get(a) == home.get(b)
    for a, b in problem.apart | problem.never_together:
        assert a not in home or home.get(a) != home.get(b)


@FAST
@given(problems_st(), st.data())
def test_it_keeps_locked_groups(problem: Problem, data: st.DataObject) -> None:
    first = form_groups(problem)
    if not first.groups:
        return
    locked = data.draw(st.sampled_from(first.groups))
    again = Problem(
        people=problem.people,
        leaders=problem.leaders,
        rules=problem.rules,
        never_together=problem.never_together,
        together=problem.together,
        apart=problem.apart,
        locked=(locked,),
        seed=problem.seed + 1,
        time_limit=problem.time_limit,
    )
    proposal = form_groups(again)
    assert proposal.groups[0] == locked
    assert_sound(again, proposal)
    # Locking a group of an optimal proposal never helps, and the rest is still optimised.
    assert proposal.objective <= first.objective + 1e-6 or first.status is not Status.OPTIMAL


@settings(deadline=None, max_examples=30, derandomize=True)
@given(st.one_of(problems_st(high=6), problems_st(high=6, dense=True)))
def test_it_matches_brute_force_on_tiny_pools(problem: Problem) -> None:
    """The engine finds the best assignment that keeps the fairness rule; its bound is never
    below the best assignment without it."""
    proposal = form_groups(problem)
    best = brute_force(problem)
    fair_best = brute_force(problem, fair=True)
    assert proposal.objective == pytest.approx(fair_best, abs=1e-6)
    assert proposal.fair_optimal  # and it says it has proved so (decision 0137)
    assert proposal.upper_bound >= best - 1e-6
    if fair_best >= best - 1e-9:
        assert proposal.status in (Status.OPTIMAL, Status.EMPTY)


@FAST
@given(problems_st())
def test_it_places_as_many_as_first_come_first_served(problem: Problem) -> None:
    proposal = form_groups(problem)
    engine = fairness(problem, proposal.groups)
    baseline = fairness(problem, first_come_first_served(problem))
    assert engine.placed >= baseline.placed
    assert engine.longest_waiting_placed >= baseline.longest_waiting_placed
    assert proposal.objective >= objective(problem, first_come_first_served(problem)) - 1e-6


@FAST
@given(problems_st())
def test_it_gives_the_same_answer_for_the_same_seed(problem: Problem) -> None:
    first = form_groups(problem)
    second = form_groups(problem)
    assert first.groups == second.groups
    assert first.left_out == second.left_out
    assert first.objective == second.objective


@FAST
@given(problems_st(pins=False))
def test_it_explains_infeasible_pools(problem: Problem) -> None:
    without_leaders = Problem(people=problem.people, leaders=(), rules=problem.rules)
    proposal = form_groups(without_leaders)
    assert proposal.groups == ()
    assert proposal.objective == 0
    assert {item.person for item in proposal.left_out} == {p.id for p in problem.people}
    assert proposal.status is Status.EMPTY
    assert proposal.messages
    for item in proposal.left_out:
        assert item.code in set(Reason)


@FAST
@given(problems_st())
def test_it_never_places_anyone_outside_the_target_group(problem: Problem) -> None:
    proposal = form_groups(problem)
    placed = {m for g in proposal.groups for m in g.members}
    rules = problem.rules
    for person in problem.people:
        outside = (rules.relations and person.relation not in rules.relations) or (
            rules.conditions and person.condition not in rules.conditions
        )
        if outside and person.id not in problem.included:
            assert person.id not in placed
