"""The large-pool path (heuristics + neighbourhood search) and the baselines."""

from __future__ import annotations

import pytest

from benchmarks.formation.baselines import constrained_kmeans
from benchmarks.formation.synthetic import make_pool
from kretsen.matching.engine import (
    Problem,
    Proposal,
    Status,
    check_proposal,
    clock,
    first_come_first_served,
    form_groups,
    objective,
)


@pytest.fixture(scope="module")
def pool_and_proposal() -> tuple[Problem, Proposal]:
    problem = make_pool(120, seed=3, time_limit=4.0)
    return problem, form_groups(problem)


def test_it_forms_valid_groups_on_a_city_pool(pool_and_proposal: tuple[Problem, Proposal]) -> None:
    problem, proposal = pool_and_proposal
    assert check_proposal(list(proposal.groups), problem) == []
    assert proposal.status is Status.FEASIBLE
    assert proposal.upper_bound >= proposal.objective
    assert len(proposal.groups) > 5


def test_it_beats_both_baselines(pool_and_proposal: tuple[Problem, Proposal]) -> None:
    problem, proposal = pool_and_proposal
    fcfs = first_come_first_served(problem)
    kmeans = constrained_kmeans(problem, 0)
    assert check_proposal(list(fcfs), problem) == []
    assert check_proposal(kmeans, problem) == []
    engine = proposal.objective
    assert engine > objective(problem, fcfs)
    assert engine > objective(problem, kmeans)


def test_it_generates_the_same_pool_for_a_seed() -> None:
    assert make_pool(50, 1) == make_pool(50, 1)
    assert make_pool(50, 1) != make_pool(50, 2)


class SteppingClock:
    """A clock that moves on a fixed step each time it is read."""

    def __init__(self, step: float) -> None:
        self.step = step
        self.reads = 0
        self.t = 1000.0

    def __call__(self) -> float:
        self.reads += 1
        self.t += self.step
        return self.t


def test_it_stops_at_the_time_limit_and_returns_a_valid_proposal(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Every search phase watches the engine's clock: with a clock that runs fast, the engine
    stops by itself, long before its own search would end, with a valid proposal."""
    fast = SteppingClock(step=0.05)
    monkeypatch.setattr(clock, "now", fast)
    problem = make_pool(400, seed=5, time_limit=2.0)
    proposal = form_groups(problem)
    assert check_proposal(list(proposal.groups), problem) == []
    # The search ends on the clock: the last phase stops half a second before the limit.
    assert 2.0 - 0.5 <= fast.t - 1000.0 < 2.0 + 1.0
    assert fast.reads < 1_000


def test_pools_too_large_for_column_generation_go_to_the_neighbourhood_search(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Past ``COLUMN_GENERATION_LIMIT`` free people the engine skips column generation
    (decision 0128): local search and the neighbourhood search from the warm start still give
    valid groups, as fair as first come, first served and better than it."""
    from kretsen.matching.engine import colgen, solve
    from kretsen.matching.engine.fairness import fairness

    monkeypatch.setattr(solve, "COLUMN_GENERATION_LIMIT", 100)

    def no_generation(*args: object, **kwargs: object) -> None:
        raise AssertionError("column generation ran")

    monkeypatch.setattr(solve, "generate", no_generation)
    monkeypatch.setattr(colgen, "generate", no_generation)
    problem = make_pool(160, seed=4, time_limit=6.0, family="regions")
    proposal = form_groups(problem)
    fcfs = first_come_first_served(problem)
    assert check_proposal(list(proposal.groups), problem) == []
    assert proposal.objective > objective(problem, fcfs)
    assert proposal.upper_bound >= proposal.objective
    ours, theirs = fairness(problem, proposal.groups), fairness(problem, fcfs)
    assert ours.placed_share >= theirs.placed_share
    assert ours.longest_waiting_share >= theirs.longest_waiting_share
    assert not any(name == "cg_rounds" for name, _ in proposal.stats)
