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
