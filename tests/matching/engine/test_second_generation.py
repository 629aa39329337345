"""Column generation on pools past the exact limit: progress, the bound against the
baselines, and the fairness rule on small seeded pools of every benchmark family."""

from __future__ import annotations

import itertools

import pytest

from benchmarks.formation.baselines import constrained_kmeans
from benchmarks.formation.synthetic import FAMILIES, make_pool
from kretsen.matching.engine import (
    Problem,
    Progress,
    Proposal,
    check_proposal,
    fairness,
    first_come_first_served,
    form_groups,
    objective,
)


@pytest.fixture(scope="module", params=FAMILIES)
def run(request: pytest.FixtureRequest) -> tuple[Problem, Proposal, list[Progress]]:
    problem = make_pool(60, seed=2, time_limit=3.0, family=request.param)
    reports: list[Progress] = []
    return problem, form_groups(problem, reports.append), reports


def test_it_forms_valid_groups(run: tuple[Problem, Proposal, list[Progress]]) -> None:
    problem, proposal, _ = run
    assert check_proposal(list(proposal.groups), problem) == []
    assert proposal.groups


def test_its_bound_is_never_below_a_baseline(
    run: tuple[Problem, Proposal, list[Progress]],
) -> None:
    problem, proposal, _ = run
    assert proposal.upper_bound >= objective(problem, first_come_first_served(problem))
    assert proposal.upper_bound >= objective(problem, constrained_kmeans(problem, 0))
    assert proposal.upper_bound >= proposal.objective


def test_it_keeps_the_fairness_rule_and_beats_first_come_first_served(
    run: tuple[Problem, Proposal, list[Progress]],
) -> None:
    problem, proposal, _ = run
    baseline = first_come_first_served(problem)
    engine, fcfs = fairness(problem, proposal.groups), fairness(problem, baseline)
    assert engine.placed_share >= fcfs.placed_share
    assert engine.longest_waiting_share >= fcfs.longest_waiting_share
    assert proposal.objective > objective(problem, baseline)


def test_it_reports_progress_that_closes_in(
    run: tuple[Problem, Proposal, list[Progress]],
) -> None:
    _, proposal, reports = run
    assert len(reports) >= 2
    assert reports[-1].objective == pytest.approx(proposal.objective)
    assert reports[-1].upper_bound == pytest.approx(proposal.upper_bound)
    for earlier, later in itertools.pairwise(reports):
        assert later.objective >= earlier.objective - 1e-9
        assert later.upper_bound <= earlier.upper_bound + 1e-9
        assert later.elapsed >= earlier.elapsed
    assert all(r.objective <= r.upper_bound + 1e-9 for r in reports)
