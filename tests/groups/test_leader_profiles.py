"""Leader profiles (decision 0040): the form, the engine's input and who may edit which profile."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import translation
from django_scopes import scope, scopes_disabled

from kretsen.core.models import AuditEvent, Organisation, StaffMembership, User
from kretsen.core.roles import Role
from kretsen.core.vocabulary import ALL_SLOTS, Format, Language, slot_index, to_mask
from kretsen.groups.forms import LeaderProfileForm
from kretsen.groups.leaders import leaders_for_matching
from kretsen.groups.models import LeaderProfile
from tests.conftest import make_staff, sign_in_staff

LEADERS = "/staff/org-a/groups/leaders/"
MINE = "/staff/org-a/groups/leaders/me/"

# Monday morning, Wednesday evening.
MONDAY_MORNING = 1 << slot_index(0, 0)
WEDNESDAY_EVENING = 1 << slot_index(2, 2)
VALID: dict[str, Any] = {
    "availability": ["0-0", "2-2"],
    "format": "digital",
    "other_area": "  <b>Söder</b>  ",
    "languages": ["sv", "ar"],
    "qualified_for_children": "on",
}


def membership_of(user: User, organisation: Organisation) -> StaffMembership:
    with scopes_disabled():
        return StaffMembership.objects.select_related("user").get(
            user=user, organisation=organisation
        )


def profile_url(membership: StaffMembership, org: str = "org-a") -> str:
    return f"/staff/{org}/groups/leaders/{membership.public_id}/"


def make_profile(membership: StaffMembership, **extra: object) -> LeaderProfile:
    with scopes_disabled():
        return LeaderProfile.objects.create(
            membership=membership, organisation=membership.organisation, **extra
        )


def profiles() -> list[LeaderProfile]:
    with scopes_disabled():
        return list(LeaderProfile.objects.select_related("membership__user").order_by("pk"))


def profile_events() -> list[AuditEvent]:
    return list(AuditEvent.writer.filter(action="groups.leader_profile.update").order_by("pk"))


# The form and the model


def test_the_form_turns_ticks_into_the_profiles_masks() -> None:
    form = LeaderProfileForm(VALID)
    assert form.is_valid(), form.errors
    assert form.profile_values() == {
        "availability": MONDAY_MORNING | WEDNESDAY_EVENING,
        "format": "digital",
        "areas": ["Söder"],
        "languages": to_mask(["sv", "ar"], Language),
        "qualified_for_children": True,
    }
    assert MONDAY_MORNING | WEDNESDAY_EVENING == 0b1_0000_0001


def test_the_form_shows_a_saved_profile_as_ticks(org_a: Organisation, leader_a: User) -> None:
    profile = LeaderProfile(
        membership=membership_of(leader_a, org_a),
        organisation=org_a,
        availability=MONDAY_MORNING | WEDNESDAY_EVENING,
        format=Format.IN_PERSON,
        areas=["Norr", "Centrum"],
        languages=to_mask(["en"], Language),
        qualified_for_children=True,
    )
    assert LeaderProfileForm.initial_from(profile) == {
        "availability": ["0-0", "2-2"],
        "format": "in_person",
        "areas": ["Norr", "Centrum"],
        "languages": ["en"],
        "qualified_for_children": True,
    }
    rows = LeaderProfileForm(initial=LeaderProfileForm.initial_from(profile)).availability_rows()
    assert [day for day, _boxes in rows] == [
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
    ]
    assert all(len(boxes) == 3 for _day, boxes in rows)
    checked = [
        (day, index)
        for day, boxes in rows
        for index, box in enumerate(boxes)
        if box.data["selected"]
    ]
    assert checked == [("Monday", 0), ("Wednesday", 2)]


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"availability": []}, "availability", "Tick at least one time when a group can be led."),
        ({"availability": ["7-0"]}, "availability", "Select a valid choice. 7-0 is not one"),
        ({"availability": ["0-3"]}, "availability", "Select a valid choice. 0-3 is not one"),
        ({"availability": ["monday"]}, "availability", "Select a valid choice. monday is not"),
        ({"languages": ["xx"]}, "languages", "Select a valid choice. xx is not one"),
        ({"format": "teleport"}, "format", "Select a valid choice. teleport is not one"),
        ({"format": ""}, "format", "This field is required."),
        ({"other_area": "x" * 81}, "other_area", "at most 80 characters (it has 81)"),
        ({"areas": ["Atlantis"]}, "areas", "Select a valid choice. Atlantis is not one"),
    ],
)
def test_bad_input_is_a_form_error_not_an_exception(
    change: dict[str, Any], field: str, message: str
) -> None:
    with translation.override("en"):
        form = LeaderProfileForm({**VALID, **change})
        assert not form.is_valid()
        assert list(form.errors) == [field]
        assert message in str(form.errors[field])


def test_the_form_errors_speak_the_users_language() -> None:
    with translation.override("sv"):
        form = LeaderProfileForm({**VALID, "languages": ["xx"]})
        assert not form.is_valid()
        assert "Välj ett giltigt alternativ" in str(form.errors["languages"])


def test_markup_alone_is_no_area() -> None:
    form = LeaderProfileForm({**VALID, "other_area": "<script></script>   "})
    assert form.is_valid(), form.errors
    assert form.profile_values()["areas"] == []


def test_the_model_refuses_impossible_values(org_a: Organisation, leader_a: User) -> None:
    profile = LeaderProfile(
        membership=membership_of(leader_a, org_a),
        organisation=org_a,
        availability=ALL_SLOTS + 1,
        format="teleport",
    )
    with scope(organisation=org_a):
        with pytest.raises(ValidationError) as caught:
            profile.full_clean()
        assert set(caught.value.message_dict) == {"availability", "format"}
        profile.availability = ALL_SLOTS
        profile.format = Format.BOTH
        profile.full_clean()  # the default values are valid


def test_the_model_describes_itself_for_the_list(org_a: Organisation, leader_a: User) -> None:
    profile = LeaderProfile(
        membership=membership_of(leader_a, org_a),
        organisation=org_a,
        availability=MONDAY_MORNING | WEDNESDAY_EVENING | (1 << slot_index(2, 0)),
        languages=to_mask(["sv", "ar"], Language),
    )
    with translation.override("en"):
        assert profile.availability_summary() == ["Monday: Morning", "Wednesday: Morning, Evening"]
        assert profile.language_labels() == ["Swedish", "Arabic"]
    assert profile.language_values() == ["sv", "ar"]
    assert profile.is_available(2, 2)
    assert not profile.is_available(2, 1)
    assert profile.format == Format.BOTH  # the default stands for "either"


# The engine's input


@pytest.fixture
def two_organisations(
    org_a: Organisation,
    org_b: Organisation,
    admin_a: User,
    coordinator_a: User,
    leader_a: User,
    second_leader_a: User,
    coordinator_b: User,
) -> dict[str, User]:
    """Organisation A's staff, some not possible leaders, and a leader of organisation B."""
    make_profile(
        membership_of(leader_a, org_a),
        availability=MONDAY_MORNING | WEDNESDAY_EVENING,
        format=Format.DIGITAL,
        areas=["Söder", "Centrum"],
        languages=to_mask(["sv", "ar"], Language),
        qualified_for_children=True,
    )
    make_profile(membership_of(second_leader_a, org_a), format=Format.IN_PERSON, areas=[])
    gone = make_staff("gone@a.example", org_a, {Role.LEADER})
    with scopes_disabled():
        StaffMembership.objects.filter(user=gone).update(is_active=False)
    leader_b = make_staff("leader@b.example", org_b, {Role.LEADER})
    make_profile(membership_of(leader_b, org_b), areas=["Bøfjord sentrum"])
    # Someone who leads in both organisations has one profile per organisation.
    both = make_staff("both@a.example", org_b, {Role.LEADER})
    with scopes_disabled():
        StaffMembership.objects.create(user=both, organisation=org_a, is_leader=True)
    make_profile(membership_of(both, org_b), areas=["Bøfjord"], qualified_for_children=True)
    return {"gone": gone, "leader_b": leader_b, "both": both}


def test_the_engine_gets_only_the_organisations_active_leaders(
    two_organisations: dict[str, User],
    org_a: Organisation,
    coordinator_a: User,
    leader_a: User,
    second_leader_a: User,
) -> None:
    both = two_organisations["both"]
    found = leaders_for_matching(org_a)
    # By e-mail address; the admin (no leader role) and the deactivated leader are left out.
    assert [row["id"] for row in found] == [
        str(both.public_id),
        str(coordinator_a.public_id),
        str(leader_a.public_id),
        str(second_leader_a.public_id),
    ]
    everyone = {row["id"]: row for row in found}
    any_leader = {
        "availability": ALL_SLOTS,
        "format": "both",
        "areas": [],
        "languages": [],
        "qualifications": [],
    }
    # No profile here: the organisation B profile of the same person does not count.
    assert everyone[str(both.public_id)] == {"id": str(both.public_id), **any_leader}
    assert everyone[str(coordinator_a.public_id)] == {
        "id": str(coordinator_a.public_id),
        **any_leader,
    }
    assert everyone[str(leader_a.public_id)] == {
        "id": str(leader_a.public_id),
        "availability": 0b1_0000_0001,
        "format": "digital",
        "areas": ["Söder", "Centrum"],
        "languages": ["sv", "ar"],
        "qualifications": ["children"],
    }
    assert everyone[str(second_leader_a.public_id)] == {
        "id": str(second_leader_a.public_id),
        "availability": ALL_SLOTS,
        "format": "in_person",
        "areas": [],
        "languages": [],
        "qualifications": [],
    }


def test_the_other_organisation_gets_its_own_leaders(
    two_organisations: dict[str, User], org_b: Organisation, coordinator_b: User
) -> None:
    found = {row["id"]: row for row in leaders_for_matching(org_b)}
    assert set(found) == {
        str(two_organisations["both"].public_id),
        str(two_organisations["leader_b"].public_id),
        str(coordinator_b.public_id),
    }
    assert found[str(two_organisations["both"].public_id)]["areas"] == ["Bøfjord"]
    assert found[str(two_organisations["both"].public_id)]["qualifications"] == ["children"]
    assert found[str(two_organisations["leader_b"].public_id)]["areas"] == ["Bøfjord sentrum"]


def test_an_organisation_without_leaders_gives_the_engine_no_one(
    org_a: Organisation, admin_a: User
) -> None:
    assert leaders_for_matching(org_a) == []


# The pages


def test_a_leader_records_their_own_profile(
    client: Client, org_a: Organisation, leader_a: User
) -> None:
    sign_in_staff(client, leader_a)
    page = client.get(MINE)
    assert page.status_code == 200
    assert "My availability as a leader" in page.content.decode()
    assert "Not recorded yet" in page.content.decode()
    # Until saved, the form stands for the defaults: every time, both formats.
    assert len(page.context["form"].initial["availability"]) == 21
    response = client.post(MINE, VALID)
    assert response.status_code == 302
    assert response["Location"] == MINE
    [profile] = profiles()
    assert profile.membership == membership_of(leader_a, org_a)
    assert profile.organisation == org_a
    assert profile.availability == MONDAY_MORNING | WEDNESDAY_EVENING
    assert profile.format == "digital"
    assert profile.areas == ["Söder"]
    assert profile.language_values() == ["sv", "ar"]
    assert profile.qualified_for_children is True
    [event] = profile_events()
    assert event.actor == leader_a
    assert event.organisation == org_a
    assert event.data == {
        "membership": str(profile.membership.public_id),
        "created": True,
        "fields": ["areas", "availability", "format", "languages", "qualified_for_children"],
    }
    again = client.get(MINE)
    assert "Not recorded yet" not in again.content.decode()
    assert again.context["form"].initial["availability"] == ["0-0", "2-2"]


def test_a_leader_sees_bad_input_explained_and_nothing_is_saved(
    client: Client, leader_a: User
) -> None:
    sign_in_staff(client, leader_a)
    response = client.post(MINE, {**VALID, "availability": [], "languages": ["xx"]})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Tick at least one time when a group can be led." in page
    assert "Select a valid choice. xx is not one of the available choices." in page
    assert profiles() == []
    assert profile_events() == []


def test_saving_twice_keeps_one_profile(
    client: Client, org_a: Organisation, leader_a: User
) -> None:
    sign_in_staff(client, leader_a)
    assert client.post(MINE, VALID).status_code == 302
    # The area typed in is now in the list of areas to tick.
    assert client.get(MINE).context["form"].fields["areas"].choices == [("Söder", "Söder")]
    ticked = {**VALID, "other_area": "", "areas": ["Söder"]}
    assert client.post(MINE, ticked).status_code == 302
    [profile] = profiles()
    assert profile.availability == MONDAY_MORNING | WEDNESDAY_EVENING
    assert profile.areas == ["Söder"]
    first, second = profile_events()
    assert first.data["created"] is True
    assert second.data["created"] is False
    assert second.data["fields"] == []  # nothing changed the second time
    client.post(MINE, {**ticked, "other_area": "Norr"})
    [profile] = profiles()
    assert profile.areas == ["Norr", "Söder"]
    assert profile_events()[-1].data["fields"] == ["areas"]


def test_a_coordinator_changes_a_leaders_profile(
    client: Client, org_a: Organisation, admin_a: User, coordinator_a: User, leader_a: User
) -> None:
    membership = membership_of(leader_a, org_a)
    make_profile(membership, areas=["Norr"])
    sign_in_staff(client, coordinator_a)
    listing = client.get(LEADERS)
    assert listing.status_code == 200
    text = listing.content.decode()
    assert "Norr" in text
    assert profile_url(membership) in text
    assert profile_url(membership_of(coordinator_a, org_a)) in text
    assert profile_url(membership_of(admin_a, org_a)) not in text  # no leader role
    assert "Not recorded yet" in text  # the coordinator's own profile
    form = client.get(profile_url(membership))
    assert form.status_code == 200
    assert form.context["own"] is False
    assert form.context["form"].initial["areas"] == ["Norr"]
    response = client.post(profile_url(membership), VALID)
    assert response.status_code == 302
    assert response["Location"] == LEADERS
    [profile] = profiles()
    assert profile.membership == membership  # the leader's, not the coordinator's
    assert profile.areas == ["Söder"]
    assert profile.format == "digital"
    [event] = profile_events()
    assert event.actor == coordinator_a
    assert event.data["created"] is False
    assert "areas" in event.data["fields"]


def test_an_admin_changes_a_leaders_profile_but_has_none_of_their_own(
    client: Client, org_a: Organisation, admin_a: User, leader_a: User
) -> None:
    sign_in_staff(client, admin_a)
    assert client.get(MINE).status_code == 403
    membership = membership_of(leader_a, org_a)
    assert client.post(profile_url(membership), VALID).status_code == 302
    [profile] = profiles()
    assert profile.membership == membership
    # The admin is no possible leader: their own membership has no profile page.
    assert client.get(profile_url(membership_of(admin_a, org_a))).status_code == 404


def test_a_leader_cannot_change_another_leaders_profile(
    client: Client, org_a: Organisation, leader_a: User, second_leader_a: User
) -> None:
    sign_in_staff(client, leader_a)
    other = profile_url(membership_of(second_leader_a, org_a))
    assert client.get(other).status_code == 403
    assert client.post(other, VALID).status_code == 403
    # Not even their own through the coordinators' address, nor the list.
    assert client.post(profile_url(membership_of(leader_a, org_a)), VALID).status_code == 403
    assert client.get(LEADERS).status_code == 403
    assert profiles() == []


def test_another_organisations_leader_answers_404(
    client: Client,
    org_a: Organisation,
    org_b: Organisation,
    coordinator_a: User,
    coordinator_b: User,
    leader_a: User,
) -> None:
    leader_b = make_staff("leader@b.example", org_b, {Role.LEADER})
    sign_in_staff(client, coordinator_a)
    theirs = profile_url(membership_of(leader_b, org_b))
    assert client.get(theirs).status_code == 404
    assert client.post(theirs, VALID).status_code == 404
    client.logout()
    sign_in_staff(client, coordinator_b)
    ours_via_b = profile_url(membership_of(leader_a, org_a), org="org-b")
    assert client.get(ours_via_b).status_code == 404
    assert client.post(ours_via_b, VALID).status_code == 404
    assert client.get(profile_url(membership_of(leader_a, org_a))).status_code == 403
    assert profiles() == []


def test_a_deactivated_leader_has_no_profile_page(
    client: Client, org_a: Organisation, coordinator_a: User, leader_a: User
) -> None:
    membership = membership_of(leader_a, org_a)
    with scopes_disabled():
        StaffMembership.objects.filter(pk=membership.pk).update(is_active=False)
    sign_in_staff(client, coordinator_a)
    assert client.get(profile_url(membership)).status_code == 404
    assert client.post(profile_url(membership), VALID).status_code == 404
    assert profiles() == []


# Several areas (decision 0095)


def test_a_leader_ticks_up_to_three_known_areas_and_may_add_one(
    client: Client, org_a: Organisation, leader_a: User, second_leader_a: User
) -> None:
    make_profile(membership_of(second_leader_a, org_a), areas=["Norr", "Centrum", "Väster"])
    sign_in_staff(client, leader_a)
    page = client.get(MINE)
    # Areas other leaders use are offered as boxes to tick, in alphabetical order.
    assert page.context["form"].fields["areas"].choices == [
        ("Centrum", "Centrum"),
        ("Norr", "Norr"),
        ("Väster", "Väster"),
    ]
    assert 'type="checkbox" name="areas" value="Norr"' in page.content.decode()
    response = client.post(MINE, {**VALID, "areas": ["Norr", "Centrum"], "other_area": "Söder"})
    assert response.status_code == 302
    [_other, profile] = profiles()
    assert profile.areas == ["Centrum", "Norr", "Söder"]
    # The same name typed again in another spelling is one area, not two.
    client.post(MINE, {**VALID, "areas": ["Norr"], "other_area": "norr"})
    assert profiles()[1].areas == ["Norr"]


def test_four_areas_are_refused_with_a_clear_message(
    client: Client, org_a: Organisation, leader_a: User, second_leader_a: User
) -> None:
    make_profile(membership_of(second_leader_a, org_a), areas=["Norr", "Centrum", "Väster"])
    sign_in_staff(client, leader_a)
    with translation.override("en"):
        response = client.post(
            MINE, {**VALID, "areas": ["Norr", "Centrum", "Väster"], "other_area": "Söder"}
        )
    assert response.status_code == 200
    assert "Choose at most three areas." in response.content.decode()
    assert len(profiles()) == 1  # only the other leader's


def test_the_leader_list_shows_every_area(
    client: Client, org_a: Organisation, coordinator_a: User, leader_a: User
) -> None:
    make_profile(membership_of(leader_a, org_a), areas=["Centrum", "Norr"])
    sign_in_staff(client, coordinator_a)
    assert "Centrum, Norr" in client.get(LEADERS).content.decode()
