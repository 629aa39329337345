"""Exact pricing and reduced-cost filtering (decision 0126), checked against enumeration."""

from __future__ import annotations

import itertools
import math
import random

import numpy as np
import pytest

from benchmarks.formation.synthetic import make_pool
from kretsen.matching.engine import clock
from kretsen.matching.engine.colgen import (
    CONVERGED,
    Generated,
    Master,
    Place,
    Priced,
    build_places,
    exact_pricing,
    generate,
    greedy_pricing,
    lagrangian_base,
    price,
    undominated,
)
from kretsen.matching.engine.fairness import FairShare
from kretsen.matching.engine.finish import finish_bound
from kretsen.matching.engine.index import Index, build_index
from kretsen.matching.engine.partition import enumerate_columns
from kretsen.matching.engine.reduced import solve_filtered, solve_milp


def best_reduced_cost(index: Index, place: Place, pi: np.ndarray, mu: float) -> float:
    """The best reduced cost of any valid group of ``place``, by trying every one."""
    need = index.problem.rules.leaders_per_group
    local = {int(i): k for k, i in enumerate(place.people)}
    best = -math.inf
    for context, members in enumerate_columns(index, set(local), index.problem.rules.max_age_span):
        if context != place.context:
            continue
        cost = sum(pi[local[i]] for i in members)
        best = max(best, index.value(list(members)) - cost - need * mu)
    return best


@pytest.mark.parametrize("family", ["city", "offer"])
def test_exact_pricing_finds_the_best_group_and_never_bounds_below_it(family: str) -> None:
    index = build_index(make_pool(30, 3, family=family))
    rng = random.Random(7)
    places = [place for place in build_places(index) if len(place.people) <= 12][:6]
    assert places
    checked = 0
    for place in places:
        for _ in range(3):
            # Prices around what people are worth, so that some groups improve and some not.
            pi = np.array([rng.uniform(0.8, 2.6) * w for w in place.w])
            mu = rng.uniform(0.0, 0.5)
            truth = best_reduced_cost(index, place, pi, mu)
            bound, column = exact_pricing(index, place, pi, mu, clock.now() + 10, 0)
            assert bound >= truth - 1e-6
            if truth > 1e-3:
                assert column is not None
                local = {int(i): k for k, i in enumerate(place.people)}
                found = index.value(list(column)) - sum(pi[local[i]] for i in column) - 2 * mu
                assert found == pytest.approx(truth, abs=1e-6)
                checked += 1
            else:
                assert column is None
    assert checked > 0


def test_dominance_drops_only_people_who_can_be_swapped_for_no_worse() -> None:
    index = build_index(make_pool(200, 1, family="offer"))
    place = max(build_places(index), key=lambda p: len(p.people))
    pi = np.zeros(len(place.people))
    keep = undominated(place, pi, 4)
    # With no prices, only the four longest-waiting of each profile (and the special) stay.
    for value in np.unique(place.profile):
        members = np.flatnonzero((place.profile == value) & ~place.special)
        kept = members[keep[members]]
        assert len(kept) == min(4, len(members))
        if len(members) > 4:
            assert place.w[kept].min() >= place.w[members[~keep[members]]].max()


@pytest.mark.parametrize(("family", "seed"), [("city", 2), ("offer", 1)])
def test_filtering_keeps_the_fair_optimum_of_every_valid_group(family: str, seed: int) -> None:
    index = build_index(make_pool(30, seed, family=family))
    fair = FairShare.of(index)
    everyone = list(range(len(index.people)))
    filtered = solve_filtered(
        index, everyone, fair.baseline.groups, fair.floors, clock.now() + 20, 0
    )
    assert filtered is not None
    assert filtered.result is not None
    every = enumerate_columns(index, set(everyone), index.problem.rules.max_age_span)
    # HiGHS over every valid group, without filtering, is the independent answer.
    full = solve_milp(index, every, fair.floors, clock.now() + 60)
    unfair = solve_milp(index, every, (), clock.now() + 60)
    assert full.optimal
    assert unfair.optimal
    assert filtered.result.value == pytest.approx(full.value, abs=1e-6)
    assert filtered.bound >= unfair.value - 1e-6
    placed = {i for g in filtered.result.groups or [] for i in g.members}
    assert all(len(placed & wanted) >= minimum for wanted, minimum in fair.floors)


def test_the_set_partitioning_bound_closes_on_the_lp_at_200_people() -> None:
    """With exact pricing the Lagrangian bound reaches the LP value (decision 0126), and it
    may fall below it: charging each group's leaders their own prices counts whole leaders,
    where the LP may share them (decision 0128). Column generation stops when the two are
    within ``CONVERGED`` (decision 0130). The bound is never below a valid answer."""
    index = build_index(make_pool(200, 0, family="regions"))
    fair = FairShare.of(index)
    start = [(g.context, tuple(sorted(g.members))) for g in fair.baseline.groups]
    generated = generate(index, start, clock.now() + 60, 0, None, 2)
    assert generated.bound <= generated.lp_value * (1 + CONVERGED)
    answer = solve_milp(index, generated.columns, (), clock.now() + 10)
    assert answer.groups is not None
    assert generated.bound >= answer.value - 1e-6
    assert list(itertools.islice(generated.reduced, 1))  # reduced costs kept for filtering


@pytest.mark.parametrize("family", ["city", "regions"])
def test_greedy_pricing_finds_the_best_group_of_one_profile(family: str) -> None:
    """Exact pricing showed that a context's best group is often of one profile, with none
    of its members among the people with the highest ceilings (decision 0130). In a large
    context greedy pricing finds the best such group, checked against every group of each
    profile's people."""
    index = build_index(make_pool(400, 1, family=family))
    place = max(build_places(index), key=lambda p: len(p.people))
    sim = np.array(index.sim)
    rng = random.Random(3)
    by_profile: dict[int, list[int]] = {}
    for k in np.flatnonzero(place.single & ~place.special).tolist():
        by_profile.setdefault(int(place.profile[k]), []).append(k)
    sizes = range(place.low, place.high + 1)
    groups = [
        list(members)
        for people in by_profile.values()
        if len(people) <= 12
        for n in sizes
        for members in itertools.combinations(people, n)
    ]
    assert len(groups) > 20
    checked = 0
    for _ in range(20):
        # Prices near what a person earns among mates of their own profile.
        pi = np.array([rng.uniform(1.6, 2.1) * w for w in place.w])
        mu = rng.uniform(0.0, 0.3)
        truth = max(
            index.value([int(place.people[k]) for k in m]) - float(pi[m].sum()) - 2 * mu
            for m in groups
        )
        found = greedy_pricing(index, place, pi, mu, sim)
        if truth > 1e-3:
            assert found
            assert found[0][0] >= truth - 1e-6
            best = [place.local[i] for i in found[0][1]]
            value = index.value(list(found[0][1])) - float(pi[best].sum()) - 2 * mu
            assert value == pytest.approx(found[0][0], abs=1e-6)
            checked += 1
    assert checked >= 5


def test_the_last_round_is_finished_and_tightened_beside_the_search() -> None:
    """When column generation's deadline leaves the last round's contexts proven by greedy
    pricing's ceilings only, ``finish_bound`` prices them beside the search for an answer
    (decisions 0130 and 0136). Its bound is tighter than those ceilings at the same prices
    and never below a valid answer; without time for it, those ceilings are the bound."""
    index = build_index(make_pool(80, 2, family="regions"))
    fair = FairShare.of(index)
    start = [(g.context, tuple(sorted(g.members))) for g in fair.baseline.groups]
    master = Master(index)
    for column in start:
        master.add(column)
    assert master.solve(clock.now() + 10)
    pi, mu, rho = master.duals()
    places = build_places(index)
    sim = np.array(index.sim)
    _, ceilings, pending = price(index, master, places, pi, mu, rho, sim, clock.now() + 10)
    assert pending
    base = lagrangian_base(pi, rho, master)
    greedy = Priced(pi, rho, dict(ceilings), base).bound
    before = dict(ceilings)
    cut = Generated(master, places, greedy, 0.0, 1, last=Priced(pi, rho, ceilings, base, mu))
    assert finish_bound(index, cut, clock.now() - 1, 0) == pytest.approx(greedy)
    finished = finish_bound(index, cut, clock.now() + 60, 0)
    assert finished < greedy - 1e-3
    assert cut.last is not None
    assert cut.last.ceilings == before  # column generation's own round is not changed
    none = Generated(master, places, math.inf, 0.0, 1)
    assert math.isinf(finish_bound(index, none, clock.now() + 1, 0))
    whole = generate(index, start, clock.now() + 60, 0, None, 2)
    answer = solve_milp(index, whole.columns, (), clock.now() + 20)
    assert answer.groups is not None
    assert finished >= answer.value - 1e-6


@pytest.mark.parametrize(("family", "seed"), [("city", 1), ("regions", 2), ("offer", 3)])
def test_every_bound_column_generation_reports_holds_at_smoothed_prices_too(
    family: str, seed: int
) -> None:
    """Greedy pricing at smoothed person prices (decision 0138): each round's Lagrangian bound
    is read at the prices its ceilings were priced at, so every bound reported on the way is
    at least the optimum over every valid group (HiGHS, without the floors). Smoothed here
    though the pools are small, where it is off by default."""
    index = build_index(make_pool(30, seed, family=family))
    fair = FairShare.of(index)
    start = [(g.context, tuple(sorted(g.members))) for g in fair.baseline.groups]
    bounds: list[float] = []
    generated = generate(index, start, clock.now() + 60, 0, bounds.append, 1, smooth=True)
    everyone = set(range(len(index.people)))
    every = enumerate_columns(index, everyone, index.problem.rules.max_age_span)
    best = solve_milp(index, every, (), clock.now() + 60)
    assert best.optimal
    assert generated.rounds >= 2  # prices smoothed from the second round on
    assert bounds
    assert min(bounds) >= best.value - 1e-6
