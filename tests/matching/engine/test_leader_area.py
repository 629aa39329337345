"""A leader leads in-person groups in any of its areas (none recorded: any area)."""

from __future__ import annotations

from kretsen.matching.engine import IN_PERSON, Leader, Person, Problem, Reason, form_groups

EVENING = 1 << 5
MONDAY_EVENING = 1 << 2


def _people(area: str, slot: int = EVENING, first: int = 0) -> tuple[Person, ...]:
    return tuple(
        Person(
            id=f"p{number}",
            condition="dementia",
            relation="partner",
            age_band="65-79",
            gender=None,
            languages=frozenset({"sv"}),
            format=IN_PERSON,
            area=area,
            availability=slot,
        )
        for number in range(first, first + 5)
    )


def test_leaders_without_an_area_lead_in_person_groups_in_any_area() -> None:
    leaders = (Leader(id="a", availability=EVENING), Leader(id="b", availability=EVENING))
    result = form_groups(Problem(people=_people("Norr"), leaders=leaders, time_limit=2))
    (group,) = result.groups
    assert (group.area, sorted(group.leaders)) == ("Norr", ["a", "b"])


def test_leaders_of_other_areas_do_not() -> None:
    leaders = (
        Leader(id="a", availability=EVENING, areas=frozenset({"Söder", "Väster"})),
        Leader(id="b", availability=EVENING, areas=frozenset({"Söder"})),
    )
    result = form_groups(Problem(people=_people("Norr"), leaders=leaders, time_limit=2))
    assert result.groups == ()
    assert {left.code for left in result.left_out} == {Reason.NO_LEADERS}


def test_a_leader_with_two_areas_leads_in_both_at_different_slots() -> None:
    both = frozenset({"Norr", "Söder"})
    leaders = (
        Leader(id="a", availability=EVENING | MONDAY_EVENING, areas=both),
        Leader(id="b", availability=EVENING | MONDAY_EVENING, areas=both),
    )
    people = _people("Norr", EVENING) + _people("Söder", MONDAY_EVENING, first=5)
    result = form_groups(Problem(people=people, leaders=leaders, time_limit=2))
    assert sorted((g.area, g.slot, g.leaders) for g in result.groups) == [
        ("Norr", 5, ("a", "b")),
        ("Söder", 2, ("a", "b")),
    ]


def test_a_leader_with_two_areas_still_leads_one_group_per_slot() -> None:
    both = frozenset({"Norr", "Söder"})
    leaders = tuple(Leader(id=name, availability=EVENING, areas=both) for name in "ab")
    people = _people("Norr") + _people("Söder", first=5)
    result = form_groups(Problem(people=people, leaders=leaders, time_limit=2))
    assert len(result.groups) == 1
