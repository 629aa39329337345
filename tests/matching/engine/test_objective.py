"""The objective formula, group checks and explanations, on hand-made examples."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from kretsen.matching.engine import (
    DIGITAL,
    IN_PERSON,
    Group,
    Leader,
    Person,
    Problem,
    Reason,
    Rules,
    Status,
    check_group,
    form_groups,
    objective,
    person_h,
    wait_weight,
)

EVENING_MONDAY = 1 << 2


def person(
    pid: str, condition: str = "dementia", relation: str = "partner", **kw: object
) -> Person:
    values: dict[str, object] = {
        "age_band": "65-79",
        "gender": "woman",
        "languages": frozenset({"sv"}),
        "format": "both",
        "area": "north",
        "availability": EVENING_MONDAY,
        "days_waiting": 0,
    }
    values.update(kw)
    return Person(pid, condition, relation, **values)  # type: ignore[arg-type]


LEADERS = (Leader("l1", EVENING_MONDAY), Leader("l2", EVENING_MONDAY))


def test_it_weighs_waiting_up_to_a_year() -> None:
    assert wait_weight(0) == 1
    assert wait_weight(365) == 2
    assert wait_weight(1000) == 2
    assert wait_weight(73) == pytest.approx(1.2)


def test_it_computes_the_issues_formula() -> None:
    people = (
        person("a", days_waiting=365),
        person("b"),
        person("c", relation="parent"),
        person("d", condition="addiction", relation="parent", age_band="30-44"),
    )
    problem = Problem(people=people, leaders=LEADERS)
    # h_a: b matches on all (1.0), c on condition and age (0.7), d on nothing (0).
    assert person_h("a", ["a", "b", "c", "d"], problem) == pytest.approx(1.7 / 3)
    # h_d: c matches on relation (0.3).
    assert person_h("d", ["a", "b", "c", "d"], problem) == pytest.approx(0.3 / 3)
    expected = (
        2 * (1 + 1.7 / 3)  # a waited a year: w = 2
        + 1 * (1 + 1.7 / 3)  # b like a
        + 1 * (1 + 1.7 / 3)  # c: a 0.7, b 0.7, d 0.3
        + 1 * (1 + 0.3 / 3)
    )
    assert objective(problem, [["a", "b", "c", "d"]]) == pytest.approx(expected)
    group = Group(("a", "b", "c", "d"), ("l1", "l2"), 2, "sv", DIGITAL)
    assert objective(problem, [group]) == pytest.approx(expected)


def test_it_finds_every_broken_rule() -> None:
    people = (
        person("a", gender="man"),
        person("b", languages=frozenset({"ar"})),
        person("c", format=DIGITAL, area="south"),
        person("d", availability=1, age_band="u18"),
    )
    rules = Rules(min_size=5, gender="woman", max_age_span=1, leader_qualification="children")
    problem = Problem(
        people=people, leaders=LEADERS, rules=rules, never_together=frozenset({("a", "b")})
    )
    group = Group(("a", "b", "c", "d"), ("l1", "l1"), 2, "sv", IN_PERSON, "north")
    codes = {v.code for v in check_group(group, problem)}
    assert codes >= {
        Reason.SIZE,
        Reason.GENDER,
        Reason.LANGUAGE,
        Reason.FORMAT,
        Reason.AREA,
        Reason.NO_SHARED_SLOT,
        Reason.NEVER_TOGETHER,
        Reason.AGE_SPAN,
        Reason.NO_LEADERS,
        Reason.LEADER,
    }


def test_it_sees_a_leader_twice_at_one_slot() -> None:
    people = tuple(person(f"p{k}") for k in range(8))
    problem = Problem(people=people, leaders=LEADERS)
    one = Group(("p0", "p1", "p2", "p3"), ("l1", "l2"), 2, "sv", DIGITAL)
    two = Group(("p4", "p5", "p6", "p7"), ("l1", "l2"), 2, "sv", DIGITAL)
    assert check_group(one, problem) == []
    assert {v.code for v in check_group(two, problem, [one])} == {Reason.LEADER}


def test_it_forms_the_obvious_group_and_explains_it() -> None:
    people = (*(person(f"p{k}") for k in range(4)), person("x", languages=frozenset({"fi"})))
    proposal = form_groups(Problem(people=people, leaders=LEADERS, time_limit=2))
    assert proposal.status is Status.OPTIMAL
    assert [g.members for g in proposal.groups] == [("p0", "p1", "p2", "p3")]
    explanation = proposal.explanations[0]
    assert (explanation.condition, explanation.relation, explanation.likeness) == (
        "dementia",
        "partner",
        1.0,
    )
    assert [(item.person, item.code) for item in proposal.left_out] == [("x", Reason.LANGUAGE)]
    assert proposal.upper_bound == pytest.approx(proposal.objective)


def test_it_explains_an_empty_pool() -> None:
    proposal = form_groups(Problem(people=(), leaders=()))
    assert proposal.status is Status.EMPTY
    assert proposal.groups == ()
    assert proposal.messages


def test_it_explains_bad_input_without_raising() -> None:
    people = (person("a"), person("a"))
    proposal = form_groups(Problem(people=people, leaders=LEADERS, rules=Rules(min_size=1)))
    assert proposal.status is Status.EMPTY
    assert "duplicate person ids" in proposal.messages


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"availability": 1}, Reason.NO_SHARED_SLOT),
        ({"format": IN_PERSON, "area": "south"}, Reason.AREA),
        ({"gender": "man"}, Reason.GENDER),
    ],
)
def test_it_names_why_someone_stays_on_the_list(changes: dict[str, Any], code: Reason) -> None:
    rules = Rules(gender="woman")
    people = (*(person(f"p{k}") for k in range(4)), replace(person("x"), **changes))
    proposal = form_groups(Problem(people=people, leaders=LEADERS, rules=rules, time_limit=2))
    assert [(item.person, item.code) for item in proposal.left_out] == [("x", code)]


def test_it_keeps_someone_pinned_to_a_locked_group_on_the_list() -> None:
    people = tuple(person(f"p{k}") for k in range(9))
    locked = Group(("p0", "p1", "p2", "p3"), ("l1", "l2"), 2, "sv", DIGITAL)
    leaders = (*LEADERS, Leader("l3", EVENING_MONDAY), Leader("l4", EVENING_MONDAY))
    problem = Problem(
        people=people,
        leaders=leaders,
        locked=(locked,),
        together=frozenset({("p0", "p8")}),
        time_limit=2,
    )
    proposal = form_groups(problem)
    assert proposal.groups[0] == locked
    assert [(item.person, item.code) for item in proposal.left_out] == [("p8", Reason.PINNED)]
    assert [g.members for g in proposal.groups[1:]] == [("p4", "p5", "p6", "p7")]
    assert [g.leaders for g in proposal.groups[1:]] == [("l3", "l4")]
