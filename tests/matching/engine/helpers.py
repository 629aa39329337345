"""Tiny problems for property tests, and an independent brute force to compare with."""

from __future__ import annotations

import itertools
from dataclasses import replace

from hypothesis import strategies as st

from kretsen.matching.engine import (
    BOTH,
    DIGITAL,
    IN_PERSON,
    Group,
    Leader,
    Person,
    Problem,
    Rules,
    check_group,
    fairness,
    first_come_first_served,
    objective,
)

SLOTS = (0, 1, 2)  # three slots keep brute force small and still force slot choices
TINY_RULES = Rules(min_size=2, max_size=3, digital_min_size=2, digital_max_size=3)


def mask(slots: list[int]) -> int:
    out = 0
    for s in slots:
        out |= 1 << s
    return out


@st.composite
def people_st(draw: st.DrawFn, low: int = 0, high: int = 6) -> list[Person]:
    count = draw(st.integers(low, high))
    out = []
    for k in range(count):
        out.append(
            Person(
                id=f"p{k}",
                condition=draw(st.sampled_from(["dementia", "addiction", "other"])),
                relation=draw(st.sampled_from(["partner", "parent"])),
                age_band=draw(st.sampled_from(["u18", "18-29", "45-64", "80+"])),
                gender=draw(st.sampled_from(["woman", "man", None])),
                languages=frozenset(draw(st.sets(st.sampled_from(["sv", "ar"]), min_size=1))),
                format=draw(st.sampled_from([IN_PERSON, DIGITAL, BOTH])),
                area=draw(st.sampled_from(["north", "south", None])),
                availability=mask(draw(st.lists(st.sampled_from(SLOTS), min_size=1))),
                days_waiting=draw(st.integers(0, 500)),
            )
        )
    return out


@st.composite
def leaders_st(draw: st.DrawFn, high: int = 4) -> list[Leader]:
    count = draw(st.integers(0, high))
    return [
        Leader(
            id=f"l{k}",
            availability=mask(draw(st.lists(st.sampled_from(SLOTS), min_size=1))),
            format=draw(st.sampled_from([IN_PERSON, DIGITAL, BOTH])),
            areas=frozenset(draw(st.sets(st.sampled_from(["north", "south"])))),
            languages=frozenset(),
            qualifications=frozenset(draw(st.sets(st.sampled_from(["children"])))),
        )
        for k in range(count)
    ]


@st.composite
def rules_st(draw: st.DrawFn) -> Rules:
    return Rules(
        min_size=2,
        max_size=draw(st.integers(2, 3)),
        digital_min_size=2,
        digital_max_size=draw(st.integers(2, 3)),
        gender=draw(st.sampled_from([None, None, "woman"])),
        max_age_span=draw(st.sampled_from([None, None, 1])),
        leader_qualification=draw(st.sampled_from([None, None, "children"])),
        relations=draw(st.sampled_from([frozenset(), frozenset(), frozenset({"partner"})])),
        conditions=draw(st.sampled_from([frozenset(), frozenset({"dementia", "other"})])),
    )


@st.composite
def problems_st(draw: st.DrawFn, high: int = 6, pins: bool = True, dense: bool = False) -> Problem:
    people = draw(people_st(low=3 if dense else 0, high=high))
    leaders = draw(leaders_st())
    if dense:
        # Most people can meet: the brute-force comparison then has real choices to make.
        people = [
            replace(p, languages=p.languages | {"sv"}, format=BOTH, area="north") for p in people
        ]
        leaders = [
            Leader(
                f"l{k}",
                mask(list(SLOTS)),
                BOTH,
                frozenset({"north"}),
                frozenset(),
                frozenset({"children"}),
            )
            for k in range(draw(st.integers(2, 4)))
        ]
    ids = [p.id for p in people]
    pairs = [(a, b) for a, b in itertools.combinations(ids, 2)]
    never = draw(st.sets(st.sampled_from(pairs), max_size=2)) if pairs else set()
    together = draw(st.sets(st.sampled_from(pairs), max_size=1)) if pairs and pins else set()
    apart = draw(st.sets(st.sampled_from(pairs), max_size=1)) if pairs and pins else set()
    included = draw(st.sets(st.sampled_from(ids), max_size=1)) if ids else set()
    return Problem(
        people=tuple(people),
        leaders=tuple(leaders),
        rules=draw(rules_st()),
        never_together=frozenset(never),
        together=frozenset(together),
        apart=frozenset(apart),
        included=frozenset(included),
        seed=draw(st.integers(0, 3)),
        time_limit=5.0,
    )


def candidate_groups(problem: Problem, members: tuple[str, ...]) -> list[Group]:
    """Every valid way (slot, language, format, area, leaders) to seat ``members``."""
    by_id = {p.id: p for p in problem.people}
    languages = sorted({lang for m in members for lang in by_id[m].languages})
    areas = sorted({a for m in members if (a := by_id[m].area) is not None})
    leaders = [leader.id for leader in problem.leaders]
    out = []
    for slot in range(21):
        for lang in languages:
            for fmt, area in [(DIGITAL, None)] + [(IN_PERSON, a) for a in areas]:
                for pair in itertools.combinations(leaders, problem.rules.leaders_per_group):
                    group = Group(members, pair, slot, lang, fmt, area)
                    if not check_group(group, problem):
                        out.append(group)
    return out


def brute_force(problem: Problem, fair: bool = False) -> float:
    """Best objective over every set of disjoint valid groups (leaders one group per slot);
    with ``fair``, only over those that place as many people, and as many of the
    longest-waiting quarter, as first come, first served."""
    floor = fairness(problem, first_come_first_served(problem))
    ids = sorted(p.id for p in problem.people)
    low = min(problem.rules.min_size, problem.rules.digital_min_size)
    high = max(problem.rules.max_size, problem.rules.digital_max_size)
    options: dict[tuple[str, ...], list[Group]] = {}
    for size in range(low, high + 1):
        for members in itertools.combinations(ids, size):
            groups = candidate_groups(problem, members)
            if groups:
                options[members] = groups

    best = 0.0

    def search(rest: list[str], chosen: list[Group]) -> None:
        nonlocal best
        if not rest:
            violations = [
                v
                for k, g in enumerate(chosen)
                for v in check_group(g, problem, chosen[:k] + chosen[k + 1 :])
            ]
            figures = fairness(problem, chosen)
            unfair = figures.placed < floor.placed or (
                figures.longest_waiting_placed < floor.longest_waiting_placed
            )
            if not violations and not (fair and unfair):
                best = max(best, objective(problem, chosen))
            return
        first, others = rest[0], rest[1:]
        search(others, chosen)  # first stays on the list
        for members, groups in options.items():
            if members[0] != first or not set(members[1:]) <= set(others):
                continue
            remaining = [m for m in others if m not in members]
            for group in groups:
                used = {(g.slot, leader) for g in chosen for leader in g.leaders}
                if any((group.slot, leader) in used for leader in group.leaders):
                    continue
                search(remaining, [*chosen, group])
                # Any valid leader/slot choice gives the same value; one that fits is enough
                # unless leaders clash later, so keep trying the others too.

    search(ids, [])
    return best
