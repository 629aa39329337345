"""The bound finished beside the search (decision 0136): the LP relaxation of exact pricing
and the person prices that tighten a context's ceiling, checked against enumeration."""

from __future__ import annotations

import dataclasses
import math
import random

import numpy as np
import pytest
from scipy.optimize import Bounds, LinearConstraint, milp

from benchmarks.formation.synthetic import make_pool
from kretsen.matching.engine import clock, finish, first_come_first_served, form_groups, solve
from kretsen.matching.engine.colgen import (
    Generated,
    Place,
    Priced,
    build_places,
    context_ceiling,
    exact_pricing,
)
from kretsen.matching.engine.index import Index, build_index
from kretsen.matching.engine.lp_pricing import lp_ceiling
from kretsen.matching.engine.partition import enumerate_columns
from kretsen.matching.engine.rules import objective


def groups_of(index: Index, place: Place, pi: np.ndarray) -> list[tuple[frozenset[int], float]]:
    """Every valid group of ``place`` with v(S) - pi(S) (``pi`` local), by enumeration."""
    local = {int(i): k for k, i in enumerate(place.people)}
    out = []
    for context, members in enumerate_columns(index, set(local), index.problem.rules.max_age_span):
        if context == place.context:
            worth = index.value(list(members)) - sum(pi[local[i]] for i in members)
            out.append((frozenset(members), worth))
    return out


def best_disjoint(groups: list[tuple[frozenset[int], float]], k: int) -> float:
    """The most that at most k groups sharing nobody are worth together (HiGHS)."""
    people = sorted(set().union(*(members for members, _ in groups)))
    row = {person: r for r, person in enumerate(people)}
    matrix = np.zeros((len(people) + 1, len(groups)))
    for column, (members, _) in enumerate(groups):
        matrix[[row[i] for i in members], column] = 1.0
    matrix[-1, :] = 1.0
    result = milp(
        -np.array([worth for _, worth in groups]),
        constraints=LinearConstraint(matrix, 0.0, [1.0] * len(people) + [float(k)]),
        integrality=np.ones(len(groups)),
        bounds=Bounds(0, 1),
    )
    assert result.status == 0
    return -float(result.fun)


def trials(
    seed: int, sizes: tuple[int, ...], several: bool
) -> list[tuple[Index, Place, np.ndarray, float]]:
    """Contexts of 6-14 people of synthetic pools (that can hold several groups, if
    ``several``), with prices near what people earn there."""
    rng = random.Random(seed)
    out = []
    for size in sizes:
        for family in ("city", "regions", "offer"):
            for pool in range(4 if several else 1):
                index = build_index(make_pool(size, seed + pool, family=family))
                for place in build_places(index):
                    if not 6 <= len(place.people) <= 14 or (several and place.cap < 2):
                        continue
                    for _ in range(2):
                        pi = np.array([rng.uniform(1.5, 2.1) * w for w in place.w])
                        out.append((index, place, pi, rng.uniform(0.0, 0.3)))
    return out


@pytest.mark.parametrize("seed", [1, 4])
def test_the_relaxation_never_bounds_below_the_best_group(seed: int) -> None:
    checked = 0
    for index, place, pi, mu in trials(seed, (30,), several=False):
        truth = max((worth for _, worth in groups_of(index, place, pi)), default=-math.inf)
        truth -= index.problem.rules.leaders_per_group * mu
        bound, x = lp_ceiling(index, place, pi, mu, clock.now() + 10)
        assert bound >= truth - 1e-9
        if truth > 1e-3:
            assert x is not None
            assert x.sum() >= place.low - 1e-6
            checked += 1
    assert checked >= 5


@pytest.mark.parametrize("relaxed", [False, True], ids=["exact", "lp"])
def test_person_prices_lower_a_ceiling_and_never_below_what_disjoint_groups_are_worth(
    relaxed: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``tighten``'s ceiling of a context that can hold several groups stays at or above
    the most that k groups sharing nobody are worth, for every k, and falls below k times
    the best group where that is loose, with exact pricing and with the relaxation."""
    if relaxed:
        monkeypatch.setattr(finish, "LP_PEOPLE", 0)
    need = 2
    lowered = 0
    checked = 0
    for index, place, pi, mu in trials(0, (60, 80), several=True):
        groups = groups_of(index, place, pi)
        most = min(place.cap, len(place.leaders) // need)
        packed = max(best_disjoint(groups, k) for k in range(1, most + 1))
        proven, x = finish.ceiling_of(index, place, pi, mu, clock.now() + 10, 0)
        if proven <= 1e-6 or x is None:
            continue
        everyone = np.zeros(len(index.people))
        everyone[place.people] = pi
        plain = context_ceiling(place, pi, {}, proven + need * mu, need)
        priced = Priced(everyone, {}, {place.context: plain}, 0.0, {place.context: mu})
        members = {place.context: (proven, x)}
        finish.tighten(index, [place], priced, members, clock.now() + 30, 0)
        tightened = priced.ceilings[place.context]
        assert tightened <= plain + 1e-9
        assert tightened >= packed - 1e-6
        checked += 1
        if tightened < plain - 1e-3:
            lowered += 1
    assert checked >= 4
    assert lowered >= 2


def test_exact_pricing_agrees_that_the_relaxation_bounds_a_large_context() -> None:
    """In the large contexts the relaxation is used for, its ceiling is at least the
    reduced cost of the best group exact pricing finds there, and close to its bound."""
    index = build_index(make_pool(1000, 0, family="regions"))
    places = sorted(build_places(index), key=lambda place: -len(place.people))[:3]
    rng = random.Random(2)
    for place in places:
        assert len(place.people) > finish.LP_PEOPLE
        pi = np.array([rng.uniform(1.7, 2.0) * w for w in place.w])
        bound, _ = lp_ceiling(index, place, pi, 0.1, clock.now() + 30)
        exact, group = exact_pricing(index, place, pi, 0.1, clock.now() + 60, 0)
        assert group is not None
        local = [place.local[i] for i in group]
        found = index.value(list(group)) - float(pi[local].sum()) - 2 * 0.1
        assert bound >= found - 1e-9
        assert bound <= exact + 0.5


def test_the_engine_finishes_its_bound_beside_the_search(monkeypatch: pytest.MonkeyPatch) -> None:
    """With two workers, a pool that takes column generation gets the finished bound: lower
    than column generation's own, and never below the engine's answer or the baselines'."""
    calls: list[tuple[float, float]] = []
    real = finish.finish_bound

    def spy(index: Index, generated: Generated, deadline: float, seed: int, beat: float) -> float:
        value = real(index, generated, deadline, seed, beat)
        calls.append((generated.bound, value))
        return value

    monkeypatch.setattr(solve, "finish_bound", spy)
    problem = dataclasses.replace(
        make_pool(160, 1, family="regions"), time_limit=12.0, num_workers=2
    )
    proposal = form_groups(problem)
    assert len(calls) == 1
    own, finished = calls[0]
    assert finished <= own
    assert proposal.upper_bound <= finished + 1e-6 or proposal.upper_bound == proposal.objective
    baseline = objective(problem, list(first_come_first_served(problem)))
    assert proposal.upper_bound >= max(proposal.objective, baseline) - 1e-9
