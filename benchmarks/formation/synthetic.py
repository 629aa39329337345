"""Realistic synthetic waiting lists for the benchmark, fixed by a seed.

Mixes are skewed the way relatives' groups are: dementia and mental illness dominate, partners
and adult children are most relations and the age band follows the relation, about three
quarters are women, most speak Swedish with several minority languages, 3-8 available slots
each with an evening bias, a share in person only spread over several areas of unequal size,
about one never-together pair per hundred people (neighbours in one area), and one leader per
seven people. Those are the "city" pools; ``SHAPES`` holds the other families (issue 15).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

from kretsen.matching.engine import BOTH, DIGITAL, IN_PERSON, Leader, Person, Problem, Rules

CONDITIONS = (
    ("dementia", 35),
    ("mental_illness", 22),
    ("addiction", 12),
    ("serious_illness", 10),
    ("disability", 10),
    ("ageing", 8),
    ("other", 3),
)
RELATIONS = (
    ("partner", 35),
    ("adult_child", 30),
    ("parent", 20),
    ("sibling", 5),
    ("young", 5),
    ("other", 5),
)
AGES_BY_RELATION: dict[str, tuple[tuple[str, int], ...]] = {
    "partner": (("45-64", 25), ("65-79", 50), ("80+", 25)),
    "adult_child": (("30-44", 45), ("45-64", 45), ("18-29", 10)),
    "parent": (("30-44", 50), ("45-64", 40), ("18-29", 10)),
    "sibling": (("18-29", 25), ("30-44", 40), ("45-64", 35)),
    "young": (("u18", 60), ("18-29", 40)),
    "other": (("30-44", 30), ("45-64", 40), ("65-79", 30)),
}
MINORITIES = (("ar", 4), ("fa", 2), ("so", 1.5), ("uk", 1.5), ("pl", 1), ("fi", 1), ("ti", 1))
FORMATS = ((IN_PERSON, 30), (DIGITAL, 25), (BOTH, 45))


def _pick(rng: random.Random, choices: Sequence[tuple[str, float]]) -> str:
    values = [value for value, _ in choices]
    weights = [weight for _, weight in choices]
    return rng.choices(values, weights)[0]


def _availability(rng: random.Random, low: int, high: int) -> int:
    weights = []
    for slot in range(21):
        day, part = divmod(slot, 3)
        weight = (1.0, 1.2, 3.0)[part] * (0.6 if day >= 5 else 1.0)
        weights.append(weight)
    count = rng.randint(low, high)
    chosen: set[int] = set()
    while len(chosen) < count:
        chosen.add(rng.choices(range(21), weights)[0])
    mask = 0
    for slot in chosen:
        mask |= 1 << slot
    return mask


FAMILIES = ("city", "regions", "offer")


@dataclass(frozen=True)
class Family:
    """How one family of pools differs from the city pools of decision 0037."""

    areas_per_person: int  # people per area (at least 2 areas)
    max_areas: int
    formats: tuple[tuple[str, float], ...]
    people_per_leader: int
    leader_areas: tuple[int, int]  # each leader covers between these many areas
    slots: tuple[int, int]  # available slots per person
    conditions: tuple[tuple[str, float], ...]
    relations: tuple[tuple[str, float], ...]


SHAPES = {
    "city": Family(150, 12, FORMATS, 7, (1, 1), (3, 8), CONDITIONS, RELATIONS),
    # Hard like real life (issue 15): many areas, most people in person only, leaders scarce
    # and covering one to three areas each.
    "regions": Family(
        40,
        40,
        ((IN_PERSON, 60), (DIGITAL, 10), (BOTH, 30)),
        12,
        (1, 3),
        (3, 8),
        CONDITIONS,
        RELATIONS,
    ),
    # One offer's own waiting list, where first come, first served places well: a narrow
    # target group, broad availability, enough leaders.
    "offer": Family(
        150,
        6,
        ((IN_PERSON, 20), (DIGITAL, 30), (BOTH, 50)),
        6,
        (1, 2),
        (6, 12),
        (("dementia", 80), ("ageing", 20)),
        (("partner", 70), ("adult_child", 30)),
    ),
}


def make_pool(
    size: int,
    seed: int,
    time_limit: float = 10.0,
    num_workers: int = 1,
    family: str = "city",
) -> Problem:
    """A waiting list of ``size`` people with leaders, for one seed and family."""
    shape = SHAPES[family]
    salt = FAMILIES.index(family) * 7_919
    rng = random.Random(seed * 100_003 + size + salt)  # noqa: S311 - reproducible synthetic data
    area_count = max(2, min(shape.max_areas, size // shape.areas_per_person))
    areas = [f"area-{k}" for k in range(area_count)]
    area_weights = [1.0 / (k + 1) for k in range(area_count)]
    people: list[Person] = []
    for k in range(size):
        relation = _pick(rng, shape.relations)
        minority = rng.random() < 0.12
        if minority:
            language = _pick(rng, MINORITIES)
            languages = {language} | ({"sv"} if rng.random() < 0.5 else set())
        else:
            languages = {"sv"} | ({"en"} if rng.random() < 0.1 else set())
        gender_roll = rng.random()
        gender = (
            "woman"
            if gender_roll < 0.74
            else "man"
            if gender_roll < 0.97
            else "other"
            if gender_roll < 0.98
            else None
        )
        people.append(
            Person(
                id=f"p{k:05d}",
                condition=_pick(rng, shape.conditions),
                relation=relation,
                age_band=_pick(rng, AGES_BY_RELATION[relation]),
                gender=gender,
                languages=frozenset(languages),
                format=_pick(rng, shape.formats),
                area=rng.choices(areas, area_weights)[0],
                availability=_availability(rng, *shape.slots),
                days_waiting=min(720, int(rng.expovariate(1 / 120))),
            )
        )
    never: set[tuple[str, str]] = set()
    by_area: dict[str | None, list[str]] = {}
    for p in people:
        by_area.setdefault(p.area, []).append(p.id)
    target = max(1, round(size / 100))
    while len(never) < target:
        area = rng.choices(areas, area_weights)[0]
        members = by_area.get(area, [])
        if len(members) < 2:
            continue
        a, b = rng.sample(members, 2)
        never.add((min(a, b), max(a, b)))
    leaders: list[Leader] = []
    for k in range(max(6, round(size / shape.people_per_leader))):
        fmt = _pick(rng, ((IN_PERSON, 35), (DIGITAL, 25), (BOTH, 40)))
        languages = {"sv", "en"}
        if rng.random() < 0.15:
            languages.add(_pick(rng, MINORITIES))
        leaders.append(
            Leader(
                id=f"l{k:04d}",
                availability=_availability(rng, 4, 8),
                format=fmt,
                areas=frozenset(
                    rng.choices(areas, area_weights, k=rng.randint(*shape.leader_areas))
                ),
                languages=frozenset(languages),
            )
        )
    return Problem(
        people=tuple(people),
        leaders=tuple(leaders),
        rules=Rules(),
        never_together=frozenset(never),
        seed=seed,
        time_limit=time_limit,
        num_workers=num_workers,
    )
