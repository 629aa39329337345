"""A leader with no area recorded may lead in-person groups anywhere; one with an area only
there."""

from __future__ import annotations

from kretsen.matching.engine import IN_PERSON, Leader, Person, Problem, Reason, form_groups

EVENING = 1 << 5


def _people(area: str) -> tuple[Person, ...]:
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
            availability=EVENING,
        )
        for number in range(5)
    )


def test_leaders_without_an_area_lead_in_person_groups_in_any_area() -> None:
    leaders = (Leader(id="a", availability=EVENING), Leader(id="b", availability=EVENING))
    result = form_groups(Problem(people=_people("Norr"), leaders=leaders, time_limit=2))
    (group,) = result.groups
    assert (group.area, sorted(group.leaders)) == ("Norr", ["a", "b"])


def test_leaders_of_another_area_do_not() -> None:
    leaders = (
        Leader(id="a", availability=EVENING, area="Söder"),
        Leader(id="b", availability=EVENING, area="Söder"),
    )
    result = form_groups(Problem(people=_people("Norr"), leaders=leaders, time_limit=2))
    assert result.groups == ()
    assert {left.code for left in result.left_out} == {Reason.NO_LEADERS}
