"""What a proposal's snapshot takes from leader profiles and the offer's own rules."""

from __future__ import annotations

from typing import Any

from django.utils import translation
from django_scopes import scope, scopes_disabled

from kretsen.core.models import Organisation, StaffMembership, User
from kretsen.core.vocabulary import ALL_SLOTS, Condition, Format, Language, Relation, to_mask
from kretsen.groups.models import LeaderProfile
from kretsen.matching.services.pool import build_problem, to_problem
from kretsen.matching.services.target_group import describe
from tests.conftest import make_offer


def test_leader_profiles_and_offer_rules_reach_the_engine(
    org_a: Organisation, leader_a: User, coordinator_a: User
) -> None:
    with scopes_disabled():
        membership = StaffMembership.objects.get(user=leader_a)
    LeaderProfile.objects.create(
        membership=membership,
        organisation=org_a,
        availability=0b110,
        format=Format.DIGITAL,
        areas=["Söder", "Norr"],
        languages=to_mask(["sv", "fi"], Language),
        qualified_for_children=True,
    )
    offer = make_offer(
        org_a, gender_specific="woman", max_age_span=1, needs_children_qualification=True
    )
    with scope(organisation=org_a):
        snapshot = build_problem(org_a, offer, seconds=5, seed=1)
    leaders = {leader["id"]: leader for leader in snapshot["leaders"]}
    mine = leaders[str(leader_a.public_id)]
    assert mine["availability"] == 0b110
    assert mine["format"] == "digital"
    assert mine["areas"] == ["Söder", "Norr"]
    assert sorted(mine["languages"]) == ["fi", "sv"]
    assert mine["qualifications"] == ["children"]
    # Without a profile: every time, both formats, no training recorded.
    theirs = leaders[str(coordinator_a.public_id)]
    assert theirs["availability"] == ALL_SLOTS
    assert theirs["qualifications"] == []
    assert theirs["areas"] == []  # any area
    assert snapshot["rules"]["gender"] == "woman"
    assert snapshot["rules"]["max_age_span"] == 1
    assert snapshot["rules"]["leader_qualification"] == "children"

    problem = to_problem(snapshot)
    leader = next(p for p in problem.leaders if p.id == str(leader_a.public_id))
    assert leader.format == "digital"
    assert leader.areas == frozenset({"Söder", "Norr"})
    assert leader.languages == frozenset({"sv", "fi"})
    assert leader.qualifications == frozenset({"children"})
    assert problem.rules.gender == "woman"
    assert problem.rules.max_age_span == 1
    assert problem.rules.leader_qualification == "children"


def test_a_snapshot_from_before_leader_profiles_still_reads(db: None) -> None:
    old: dict[str, Any] = {
        "people": [],
        "leaders": [{"id": "x", "availability": 3}],
        "never_together": [],
        "rules": {
            "min_size": 4,
            "max_size": 8,
            "digital_min_size": 4,
            "digital_max_size": 6,
            "formats": ["digital"],
        },
        "seconds": 5,
        "seed": 1,
    }
    problem = to_problem(old)
    (leader,) = problem.leaders
    assert (leader.format, leader.areas, leader.languages) == ("both", frozenset(), frozenset())
    assert problem.rules.gender is None
    assert problem.rules.leader_qualification is None


def test_the_offers_target_group_is_in_the_snapshot(org_a: Organisation) -> None:
    offer = make_offer(
        org_a,
        relations=to_mask([Relation.PARTNER, Relation.ADULT_CHILD], Relation),
        conditions=to_mask([Condition.DEMENTIA], Condition),
        age_min=40,
        age_max=70,
    )
    with scope(organisation=org_a):
        snapshot = build_problem(org_a, offer, seconds=5, seed=1)
    rules = snapshot["rules"]
    assert sorted(rules["relations"]) == ["adult_child", "partner"]
    assert rules["conditions"] == ["dementia"]
    # Every age band that overlaps 40 to 70 years.
    assert rules["age_bands"] == ["30-44", "45-64", "65-79"]
    assert snapshot["included"] == []
    problem = to_problem(snapshot)
    assert problem.rules.relations == frozenset({"partner", "adult_child"})
    assert problem.rules.age_bands == frozenset({"30-44", "45-64", "65-79"})


def test_an_offer_for_everyone_restricts_nothing(org_a: Organisation) -> None:
    # Every relation ticked is no restriction; no ages means no age bands; none ticked is none.
    offer = make_offer(org_a, relations=to_mask(list(Relation.values), Relation), conditions=0)
    with scope(organisation=org_a):
        rules = build_problem(org_a, offer, seconds=5, seed=1)["rules"]
    assert (rules["relations"], rules["conditions"], rules["age_bands"]) == ([], [], [])
    with scope(organisation=org_a):
        everyone = build_problem(org_a, None, seconds=5, seed=1)["rules"]
    assert (everyone["relations"], everyone["conditions"], everyone["age_bands"]) == ([], [], [])


def test_the_target_group_is_told_in_plain_words() -> None:
    rules = {"relations": ["partner", "adult_child"], "conditions": ["dementia"]}
    with translation.override("en"):
        assert describe(rules) == "partner or adult child of someone with dementia"
        assert describe({"conditions": ["dementia"], "age_bands": ["65-79", "80+"]}) == (
            "relatives of someone with dementia, aged 65–79 or 80 or older"
        )
    with translation.override("sv"):
        assert describe(rules) == "partner eller vuxet barn till någon med demens"
    with translation.override("nb"):
        assert "demens" in describe(rules)
