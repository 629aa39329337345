"""Validity of a group and the objective, shared by the engine, the baselines and the UI.

The objective is exactly the issue's formula: the sum over placed people i of
w_i * (1 + h_i), with w_i = 1 + min(days waiting, 365) / 365 and h_i the weighted share of i's
group-mates who match i on condition, relation and age band.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from .model import (
    AGE_BANDS,
    BOTH,
    DIGITAL,
    IN_PERSON,
    Group,
    Leader,
    Person,
    Problem,
    Reason,
    Violation,
    Weights,
)

# Every slot a context can use, in bit order: 7 weekdays x morning, afternoon, evening.
SLOTS: tuple[int, ...] = tuple(range(21))
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
PART_NAMES = ("morning", "afternoon", "evening")


def slot_name(slot: int) -> str:
    return f"{DAY_NAMES[slot // 3]} {PART_NAMES[slot % 3]}"


def wait_weight(days_waiting: int) -> float:
    return 1.0 + min(max(days_waiting, 0), 365) / 365.0


def age_step(band: str) -> int:
    # An unknown band counts as its own position past the end, so it never matches silently.
    return AGE_BANDS.index(band) if band in AGE_BANDS else len(AGE_BANDS)


Profile = tuple[str, str, str]  # condition, relation, age band


def profile(person: Person) -> Profile:
    return (person.condition, person.relation, person.age_band)


def profile_likeness(a: Profile, b: Profile, weights: Weights) -> float:
    """The one likeness formula: weighted matches on condition, relation and age band."""
    return (
        weights.condition * (a[0] == b[0])
        + weights.relation * (a[1] == b[1])
        + weights.age_band * (a[2] == b[2])
    )


def likeness(a: Person, b: Person, problem: Problem) -> float:
    return profile_likeness(profile(a), profile(b), problem.rules.weights)


def accepts(person_format: str, group_format: str) -> bool:
    return person_format in (BOTH, group_format)


def pair(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a <= b else (b, a)


def forbidden_pairs(problem: Problem) -> frozenset[tuple[str, str]]:
    return frozenset(pair(a, b) for a, b in (*problem.never_together, *problem.apart))


def group_value(people: Sequence[Person], problem: Problem) -> float:
    """The objective contribution of one group: sum of w_i * (1 + h_i) over its members."""
    size = len(people)
    total = 0.0
    for i, person in enumerate(people):
        h = 0.0
        if size > 1:
            h = sum(likeness(person, other, problem) for j, other in enumerate(people) if j != i)
            h /= size - 1
        total += wait_weight(person.days_waiting) * (1.0 + h)
    return total


def objective(problem: Problem, groups: Iterable[Group | Sequence[str]]) -> float:
    """The issue's objective for any assignment: groups as ``Group`` or as member-id lists.

    Unknown ids are ignored (the assignment is evaluated, not validated: use ``check_group``).
    Locked groups count only if they are passed in.
    """
    by_id = {p.id: p for p in problem.people}
    total = 0.0
    for group in groups:
        members = group.members if isinstance(group, Group) else group
        total += group_value([by_id[m] for m in members if m in by_id], problem)
    return total


def person_h(person_id: str, members: Sequence[str], problem: Problem) -> float:
    """h_i of one member of a group (0 for a group of one)."""
    by_id = {p.id: p for p in problem.people}
    me = by_id[person_id]
    others = [by_id[m] for m in members if m != person_id and m in by_id]
    if not others:
        return 0.0
    return sum(likeness(me, o, problem) for o in others) / len(others)


def outside_target(person: Person, problem: Problem) -> str | None:
    """Why ``person`` is outside the offer's target group (English), or None when inside or
    included by hand."""
    rules = problem.rules
    if person.id in problem.included:
        return None
    for wanted, value, label in (
        (rules.relations, person.relation, "relations"),
        (rules.conditions, person.condition, "conditions"),
        (rules.age_bands, person.age_band, "age bands"),
    ):
        if wanted and value not in wanted:
            return f"the offer is for {label} {', '.join(sorted(wanted))}"
    return None


def leader_serves(leader: Leader, fmt: str, area: str | None) -> bool:
    """Whether ``leader`` may lead a group of this format in this area (areas empty: any)."""
    if not accepts(leader.format, fmt):
        return False
    return fmt != IN_PERSON or not leader.areas or area in leader.areas


def check_group(
    group: Group, problem: Problem, other_groups: Sequence[Group] = ()
) -> list[Violation]:
    """Every rule ``group`` breaks (empty list: valid).

    ``other_groups`` are the rest of the proposal: a leader may lead only one group per slot,
    and a person may be in one group only. Pins together count as broken when a pinned partner
    is placed elsewhere or left out while the other is in this group.
    """
    rules = problem.rules
    out: list[Violation] = []
    people = {p.id: p for p in problem.people}
    leaders = {leader.id: leader for leader in problem.leaders}

    def add(code: Reason, detail: str) -> None:
        out.append(Violation(code, detail))

    unknown = [m for m in group.members if m not in people]
    for m in unknown:
        add(Reason.UNKNOWN_PERSON, f"{m} is not in the pool")
    if len(set(group.members)) != len(group.members):
        add(Reason.SIZE, "a person appears twice in the group")
    members = [people[m] for m in dict.fromkeys(group.members) if m in people]

    if group.format not in (IN_PERSON, DIGITAL) or group.format not in rules.formats:
        add(Reason.FORMAT, f"the offer does not run {group.format} groups")
    low, high = rules.size_bounds(group.format)
    if not low <= len(group.members) <= high:
        add(Reason.SIZE, f"{len(group.members)} members, the offer allows {low}-{high}")
    if not 0 <= group.slot < 21:
        add(Reason.NO_SHARED_SLOT, f"slot {group.slot} does not exist")
    bit = 1 << group.slot if 0 <= group.slot < 21 else 0

    for p in members:
        if not p.availability & bit:
            add(Reason.NO_SHARED_SLOT, f"{p.id} is not available {slot_name(group.slot)}")
        if group.language not in p.languages:
            add(Reason.LANGUAGE, f"{p.id} does not speak {group.language}")
        if not accepts(p.format, group.format):
            add(Reason.FORMAT, f"{p.id} does not accept {group.format} groups")
        if group.format == IN_PERSON and (group.area is None or p.area != group.area):
            add(Reason.AREA, f"{p.id} lives outside the group's area")
        if rules.gender is not None and p.gender != rules.gender:
            add(Reason.GENDER, f"{p.id} is not a {rules.gender} (gender-specific offer)")
        outside = outside_target(p, problem)
        if outside is not None:
            add(Reason.TARGET_GROUP, f"{p.id}: {outside}")

    forbidden = forbidden_pairs(problem)
    ids = [p.id for p in members]
    for i, a in enumerate(ids):
        for b in ids[i + 1 :]:
            if pair(a, b) in forbidden:
                add(Reason.NEVER_TOGETHER, f"{a} and {b} must not be in one group")
    inside = set(ids)
    for a, b in problem.together:
        if (a in inside) != (b in inside):
            add(Reason.PINNED, f"{a} and {b} are pinned together")

    if rules.max_age_span is not None and members:
        steps = [age_step(p.age_band) for p in members]
        if max(steps) - min(steps) > rules.max_age_span:
            add(Reason.AGE_SPAN, f"age span over {rules.max_age_span} band steps")

    if len(group.leaders) != rules.leaders_per_group or len(set(group.leaders)) != len(
        group.leaders
    ):
        add(Reason.NO_LEADERS, f"a group needs {rules.leaders_per_group} different leaders")
    busy = {leader_id for g in other_groups if g.slot == group.slot for leader_id in g.leaders}
    for leader_id in group.leaders:
        leader = leaders.get(leader_id)
        if leader is None:
            add(Reason.LEADER, f"leader {leader_id} is unknown")
            continue
        if not leader.availability & bit:
            add(Reason.LEADER, f"leader {leader_id} is not available {slot_name(group.slot)}")
        if not accepts(leader.format, group.format):
            add(Reason.LEADER, f"leader {leader_id} does not lead {group.format} groups")
        if group.format == IN_PERSON and leader.areas and group.area not in leader.areas:
            add(Reason.LEADER, f"leader {leader_id} works outside the group's area")
        if leader.languages and group.language not in leader.languages:
            add(Reason.LEADER, f"leader {leader_id} does not speak {group.language}")
        if rules.leader_qualification and rules.leader_qualification not in leader.qualifications:
            add(Reason.LEADER, f"leader {leader_id} lacks {rules.leader_qualification}")
        if leader_id in busy:
            add(Reason.LEADER, f"leader {leader_id} leads another group at that slot")
    placed_elsewhere = {m for g in other_groups for m in g.members}
    for m in ids:
        if m in placed_elsewhere:
            add(Reason.SIZE, f"{m} is also in another group")
    return out


def check_proposal(groups: Sequence[Group], problem: Problem) -> list[tuple[int, Violation]]:
    """Violations of every group against the rest; (group index, violation) pairs."""
    out: list[tuple[int, Violation]] = []
    for k, group in enumerate(groups):
        others = [g for j, g in enumerate(groups) if j != k]
        out.extend((k, v) for v in check_group(group, problem, others))
    return out
