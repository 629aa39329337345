"""The offer's target group is a hard rule; people included by hand are the exception."""

from __future__ import annotations

from dataclasses import replace

from kretsen.matching.engine import (
    IN_PERSON,
    Group,
    Leader,
    Person,
    Problem,
    Reason,
    Rules,
    check_group,
    fairness,
    form_groups,
)

EVENING = 1 << 5


def _person(number: int, relation: str, condition: str = "dementia") -> Person:
    return Person(
        id=f"p{number}",
        condition=condition,
        relation=relation,
        age_band="65-79",
        gender=None,
        languages=frozenset({"sv"}),
        format=IN_PERSON,
        area="Norr",
        availability=EVENING,
        days_waiting=400 - number,
    )


PEOPLE = (
    *(_person(k, "partner") for k in range(4)),
    _person(4, "adult_child"),
    _person(5, "adult_child"),
    _person(6, "parent", "ageing"),
)
LEADERS = (Leader(id="a", availability=EVENING), Leader(id="b", availability=EVENING))
FOR_PARTNERS = Rules(relations=frozenset({"partner"}), conditions=frozenset({"dementia"}))


def test_it_leaves_out_people_outside_the_offers_target_group() -> None:
    result = form_groups(Problem(PEOPLE, LEADERS, FOR_PARTNERS, time_limit=2))
    (group,) = result.groups
    assert group.members == ("p0", "p1", "p2", "p3")
    reasons = {left.person: left for left in result.left_out}
    assert {reasons[p].code for p in ("p4", "p5", "p6")} == {Reason.TARGET_GROUP}
    assert "partner" in reasons["p4"].detail


def test_it_places_people_the_coordinator_included_by_hand() -> None:
    problem = Problem(PEOPLE, LEADERS, FOR_PARTNERS, included=frozenset({"p4"}), time_limit=2)
    (group,) = form_groups(problem).groups
    assert "p4" in group.members
    assert not {"p5", "p6"} & set(group.members)


def test_a_group_with_someone_outside_the_target_group_breaks_a_rule() -> None:
    problem = Problem(PEOPLE, LEADERS, FOR_PARTNERS)
    group = Group(("p0", "p1", "p2", "p4"), ("a", "b"), 5, "sv", IN_PERSON, "Norr")
    codes = [v.code for v in check_group(group, problem)]
    assert codes == [Reason.TARGET_GROUP]
    assert check_group(group, replace(problem, included=frozenset({"p4"}))) == []
    assert check_group(group, replace(problem, rules=Rules())) == []


def test_fairness_counts_only_people_the_run_could_place() -> None:
    problem = Problem(PEOPLE, LEADERS, FOR_PARTNERS)
    group = Group(("p0", "p1", "p2", "p3"), ("a", "b"), 5, "sv", IN_PERSON, "Norr")
    figures = fairness(problem, [group])
    assert (figures.placed, figures.people, figures.placed_share) == (4, 4, 1.0)
    assert (figures.longest_waiting_placed, figures.longest_waiting) == (1, 1)
