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


def test_pools_too_large_for_column_generation_are_formed_in_parts(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Past ``COLUMN_GENERATION_LIMIT`` free people the engine splits the pool into parts of
    about ``PART_SIZE`` and forms each on its own (decision 0129): every free person is in
    exactly one part, no part is split again, and the joined answer is valid, as fair as first
    come, first served and better than it."""
    from kretsen.matching.engine import solve
    from kretsen.matching.engine.fairness import fairness

    monkeypatch.setattr(solve, "COLUMN_GENERATION_LIMIT", 100)
    monkeypatch.setattr(solve, "PART_SIZE", 60)
    parts: list[tuple[str, ...]] = []
    form = solve._form

    def spy(problem: Problem, progress: object, part: object = None) -> Proposal:
        if part is not None:
            parts.append(tuple(p.id for p in problem.people))
        return form(problem, None, part)  # type: ignore[arg-type]

    monkeypatch.setattr(solve, "_form", spy)
    problem = make_pool(220, seed=4, time_limit=8.0, family="regions")
    proposal = form_groups(problem)
    assert len(parts) >= 3
    people = [person for part in parts for person in part]
    assert len(people) == len(set(people))
    assert set(people) <= {p.id for p in problem.people}
    assert len(people) > 0.9 * len(problem.people)
    fcfs = first_come_first_served(problem)
    assert check_proposal(list(proposal.groups), problem) == []
    assert proposal.objective > objective(problem, fcfs)
    assert proposal.upper_bound >= proposal.objective
    ours, theirs = fairness(problem, proposal.groups), fairness(problem, fcfs)
    assert ours.placed_share >= theirs.placed_share
    assert ours.longest_waiting_share >= theirs.longest_waiting_share


@pytest.mark.parametrize(("family", "seed"), [("city", 1), ("regions", 2), ("offer", 3)])
def test_the_parts_keep_the_fairness_rule_of_the_whole_pool(
    monkeypatch: pytest.MonkeyPatch, family: str, seed: int
) -> None:
    """Each part keeps the whole pool's rule inside it, so the joined answer keeps it without
    any repair: it places at least as many, and as many of the longest-waiting quarter, as
    first come, first served; no leader leads two groups at one slot."""
    from kretsen.matching.engine import solve
    from kretsen.matching.engine.fairness import FairShare
    from kretsen.matching.engine.index import build_index

    monkeypatch.setattr(solve, "PART_SIZE", 45)
    problem = make_pool(150, seed=seed, time_limit=6.0, family=family)
    index = build_index(problem)
    fair = FairShare.of(index)
    parts = solve._split(index, fair.baseline, [p.area for p in problem.people])
    assert len(parts) >= 3
    assert sorted(i for part in parts for i in part) == list(range(len(index.people)))
    part_of = {i: k for k, part in enumerate(parts) for i in part}
    for g in fair.baseline.groups:
        assert len({part_of[i] for i in g.members}) == 1  # first come, first served's groups
    own = solve._allot(index, parts, fair.baseline)
    for leader, masks in enumerate(own):
        mask = 0
        for part_mask in masks.values():
            assert mask & part_mask == 0  # no slot in two parts
            mask |= part_mask
        assert mask & ~index.leader_free[leader] == 0
    state = solve._by_parts(index, fair, clock.now() + 4.0)
    assert fair.holds(state)
    groups = [solve._to_group(index, g) for g in state.groups]
    assert check_proposal(groups, problem) == []
    assert state.value() > fair.baseline.value()


def test_a_part_takes_the_whole_pools_rule_not_its_own(monkeypatch: pytest.MonkeyPatch) -> None:
    """A part's floors come from first come, first served on the whole pool: its groups that
    lie in the part, and the part's people among the whole pool's longest-waiting quarter
    (a part's own longest-waiting quarter is another set of people)."""
    import dataclasses

    from kretsen.matching.engine import solve
    from kretsen.matching.engine.fairness import FairShare
    from kretsen.matching.engine.index import build_index

    monkeypatch.setattr(solve, "PART_SIZE", 60)
    problem = make_pool(200, seed=2, family="city")
    index = build_index(problem)
    fair = FairShare.of(index)
    part = solve._split(index, fair.baseline, [p.area for p in problem.people])[0]
    members = set(part)
    groups = tuple(
        solve._to_group(index, g) for g in fair.baseline.groups if members.issuperset(g.members)
    )
    quarter = frozenset(index.people[i] for i in fair.quarter)
    sub = dataclasses.replace(problem, people=tuple(problem.people[i] for i in part))
    sub_index = build_index(sub)
    given = FairShare.of(sub_index, (groups, quarter))
    own = FairShare.of(sub_index)
    ids = {sub_index.people[i] for i in given.quarter}
    assert ids == {index.people[i] for i in fair.quarter & members}
    assert ids != {sub_index.people[i] for i in own.quarter}
    placed = {m for g in groups for m in g.members}
    assert [minimum for _, minimum in given.floors] == [len(placed), len(placed & ids)]
    assert given.holds(given.baseline)


@pytest.mark.parametrize("workers", [1, 2])
def test_the_progress_goes_on_while_the_parts_of_a_large_pool_are_formed(
    monkeypatch: pytest.MonkeyPatch, workers: int
) -> None:
    """While the parts run, the best value and the bound of the whole pool do not change
    (the parts' own figures are not the whole pool's), but the time searched is still
    reported, so the coordinator's page shows that the search goes on: one part after
    another here, or in two processes at once (decision 0135)."""
    from kretsen.matching.engine import solve
    from kretsen.matching.engine.model import Progress

    monkeypatch.setattr(solve, "COLUMN_GENERATION_LIMIT", 100)
    monkeypatch.setattr(solve, "PART_SIZE", 60)
    limit = 8.0
    problem = make_pool(220, seed=4, time_limit=limit, family="regions", num_workers=workers)
    reports: list[Progress] = []
    proposal = form_groups(problem, progress=reports.append)
    during = [r.elapsed for r in reports if 0.2 * limit < r.elapsed < 0.7 * limit]
    assert len(during) >= 3
    assert during == sorted(during)
    # Never a figure that is not the whole pool's: no value above the answer, no bound below it.
    assert all(r.objective <= proposal.objective + 1e-6 for r in reports)
    assert all(r.upper_bound >= proposal.objective - 1e-6 for r in reports)
