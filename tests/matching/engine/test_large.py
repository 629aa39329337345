"""The large-pool path (heuristics + neighbourhood search) and the baselines."""

from __future__ import annotations

import time

import pytest

from kretsen.matching.baselines import constrained_kmeans, first_come_first_served
from kretsen.matching.engine import (
    Problem,
    Proposal,
    Status,
    check_proposal,
    form_groups,
    objective,
)
from kretsen.matching.synthetic import make_pool


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
    assert check_proposal(fcfs, problem) == []
    assert check_proposal(kmeans, problem) == []
    engine = proposal.objective
    assert engine > objective(problem, fcfs)
    assert engine > objective(problem, kmeans)


def test_it_generates_the_same_pool_for_a_seed() -> None:
    assert make_pool(50, 1) == make_pool(50, 1)
    assert make_pool(50, 1) != make_pool(50, 2)


def test_it_respects_the_time_limit() -> None:
    problem = make_pool(400, seed=5, time_limit=2.0)
    started = time.monotonic()
    proposal = form_groups(problem)
    assert time.monotonic() - started < 2.0 + 2.0  # index, bound and explanations on top
    assert check_proposal(list(proposal.groups), problem) == []
