"""The engine says when its answer is proven the best that keeps the fairness rule, also where
an answer that breaks the rule could be worth more (decision 0137)."""

from __future__ import annotations

import pytest

from benchmarks.formation.synthetic import make_pool
from kretsen.matching.engine import (
    BOTH,
    Leader,
    Person,
    Problem,
    Rules,
    Status,
    form_groups,
)

from .helpers import brute_force


def _pair_for_three() -> Problem:
    """Three people free at one slot, two leaders, groups of exactly two. The two most alike
    are not the one who waited longest: the best pair leaves them out, the fair one cannot."""

    def person(pid: str, age: str, days: int) -> Person:
        return Person(
            pid, "dementia", "partner", age, None, frozenset({"sv"}), BOTH, "north", 1, days
        )

    leaders = tuple(
        Leader(f"l{k}", 1, BOTH, frozenset({"north"}), frozenset(), frozenset()) for k in range(2)
    )
    return Problem(
        people=(person("p0", "18-29", 40), person("p1", "80+", 10), person("p2", "80+", 10)),
        leaders=leaders,
        rules=Rules(min_size=2, max_size=2, digital_min_size=2, digital_max_size=2),
        time_limit=5.0,
    )


def test_a_fair_optimum_below_the_bound_is_proven() -> None:
    problem = _pair_for_three()
    proposal = form_groups(problem)
    best, fair_best = brute_force(problem), brute_force(problem, fair=True)
    assert fair_best < best - 0.1  # the rule costs something here
    assert proposal.status is Status.FEASIBLE
    assert proposal.fair_optimal
    assert proposal.objective == pytest.approx(fair_best)
    assert proposal.upper_bound >= best - 1e-6
    assert "p0" in proposal.groups[0].members


def test_no_proof_is_claimed_where_there_is_none() -> None:
    proposal = form_groups(make_pool(200, 0, time_limit=3.0, family="regions"))
    assert proposal.status is Status.FEASIBLE
    assert not proposal.fair_optimal
