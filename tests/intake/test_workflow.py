from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from kretsen.core import audit
from kretsen.core.errors import DomainError
from kretsen.core.models import AuditEvent, Organisation, User
from kretsen.core.vocabulary import Language, to_mask
from kretsen.intake.models import Registration, Status
from kretsen.intake.services import workflow
from tests.conftest import make_registration, sign_in_staff


@pytest.fixture
def coordinator_client(client: Client, coordinator_a: User) -> Client:
    client.cookies["kretsen_language"] = "en"
    return sign_in_staff(client, coordinator_a)


def reload(registration: Registration) -> Registration:
    with scopes_disabled():
        return Registration.objects.get(pk=registration.pk)


def url(registration: Registration, suffix: str = "") -> str:
    return f"/staff/org-a/registrations/{registration.public_id}/{suffix}"


def test_it_logs_every_read_of_a_relatives_record(
    coordinator_client: Client, registration_a: Registration, coordinator_a: User
) -> None:
    coordinator_client.get(url(registration_a))
    coordinator_client.get(url(registration_a, "intake/"))
    reads = audit.reads_naming([registration_a.public_id])
    assert sorted(event.action for event in reads) == [
        "intake.intake_form.viewed",
        "intake.registration.viewed",
    ]
    assert {event.object_id for event in reads} == {str(registration_a.public_id)}
    assert {event.actor for event in reads} == {coordinator_a}


def test_it_shows_the_discreet_wishes_prominently(
    coordinator_client: Client, org_a: Organisation
) -> None:
    registration = make_registration(org_a, no_messages=True, no_topic=True)
    page = coordinator_client.get(url(registration)).content.decode()
    assert 'class="discreet-banner"' in page
    assert "Never leave a message." in page
    inbox = coordinator_client.get("/staff/org-a/registrations/").content.decode()
    assert "tag-discreet" in inbox


def test_it_moves_a_new_registration_to_contacted_when_someone_is_reached(
    coordinator_client: Client, registration_a: Registration
) -> None:
    coordinator_client.post(
        url(registration_a, "contact/"), {"channel": "phone", "outcome": "reached", "note": "Bra"}
    )
    assert reload(registration_a).status == Status.CONTACTED
    change = AuditEvent.writer.get(action="intake.registration.status_changed")
    assert change.data == {"from": "new", "to": "contacted"}


def test_it_flags_someone_not_reached_after_the_set_number_of_attempts(
    coordinator_client: Client, registration_a: Registration, org_a: Organisation
) -> None:
    for _ in range(org_a.unreached_after_attempts - 1):
        coordinator_client.post(
            url(registration_a, "contact/"), {"channel": "phone", "outcome": "no_answer"}
        )
    assert "tag-warn" not in coordinator_client.get("/staff/org-a/registrations/").content.decode()
    coordinator_client.post(
        url(registration_a, "contact/"), {"channel": "sms", "outcome": "no_answer"}
    )
    assert "tag-warn" in coordinator_client.get("/staff/org-a/registrations/").content.decode()
    assert (
        "Not reached after 3 attempts"
        in coordinator_client.get(url(registration_a)).content.decode()
    )
    # Reaching them clears the flag.
    coordinator_client.post(
        url(registration_a, "contact/"), {"channel": "phone", "outcome": "reached"}
    )
    assert "tag-warn" not in coordinator_client.get("/staff/org-a/registrations/").content.decode()


def test_it_refuses_a_status_change_the_workflow_does_not_allow(
    coordinator_client: Client, registration_a: Registration
) -> None:
    response = coordinator_client.post(
        url(registration_a, "status/"), {"status": "waiting_list"}, follow=True
    )
    assert "cannot become" in response.content.decode()
    assert reload(registration_a).status == Status.NEW


def test_it_records_the_intake_conversation_and_puts_the_person_on_the_waiting_list(
    coordinator_client: Client, registration_a: Registration, org_a: Organisation
) -> None:
    sister = make_registration(org_a, display_name="Syster")
    response = coordinator_client.post(
        url(registration_a, "intake/"),
        {
            "relation": "adult_child",
            "condition": "dementia",
            "age_band": "45-64",
            "gender": "",
            "languages": ["sv", "fi"],
            "format_preference": "digital",
            "situation": "Tar hand om sin mamma varje kväll.",
            "availability": ["1-2", "3-2"],
            "area": "Centrum <b>norr</b>",
            "group_preference": "similar",
            "never_with": [str(sister.public_id)],
            "shared_pool": "on",
            "readiness": "ready",
            "readiness_reason": "Vill träffa andra.",
            "next_step": "Erbjud plats i höstens grupp.",
            "held_on": timezone.localdate().isoformat(),
            "next_status": "waiting_list",
        },
    )
    assert response.status_code == 302
    found = reload(registration_a)
    assert found.status == Status.WAITING_LIST
    assert found.waiting_since == timezone.localdate()
    assert found.relation == "adult_child"
    assert found.languages == to_mask(["sv", "fi"], Language)
    with scope(organisation=org_a):
        intake = found.intake
        assert intake.is_available(1, 2)
        assert intake.is_available(3, 2)
        assert not intake.is_available(0, 0)
        assert list(intake.never_with.all()) == [sister]
        assert intake.situation == "Tar hand om sin mamma varje kväll."
        assert intake.area == "Centrum norr"
        assert intake.shared_pool is True
    changes = list(
        AuditEvent.writer.filter(action="intake.registration.status_changed").order_by("id")
    )
    assert [c.data for c in changes] == [
        {"from": "new", "to": "intake_done"},
        {"from": "intake_done", "to": "waiting_list"},
    ]
    assert AuditEvent.writer.filter(action="intake.intake.recorded").exists()


def test_it_requires_a_readiness_assessment(
    coordinator_client: Client, registration_a: Registration
) -> None:
    response = coordinator_client.post(
        url(registration_a, "intake/"),
        {"relation": "partner", "condition": "dementia", "languages": ["sv"]},
    )
    assert response.status_code == 200
    assert "readiness" in response.context["form"].errors
    assert reload(registration_a).status == Status.NEW


def test_it_refuses_never_with_people_of_another_organisation(
    coordinator_client: Client, registration_a: Registration, org_b: Organisation
) -> None:
    stranger = make_registration(org_b)
    response = coordinator_client.post(
        url(registration_a, "intake/"),
        {
            "relation": "partner",
            "condition": "dementia",
            "languages": ["sv"],
            "format_preference": "both",
            "group_preference": "none",
            "never_with": [str(stranger.public_id)],
            "readiness": "ready",
            "held_on": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 200
    assert "never_with" in response.context["form"].errors


def test_it_assigns_only_coordinators_of_the_organisation(
    coordinator_client: Client,
    registration_a: Registration,
    coordinator_a: User,
    coordinator_b: User,
) -> None:
    coordinator_client.post(
        url(registration_a, "assign/"), {"coordinator": str(coordinator_b.public_id)}
    )
    assert reload(registration_a).assigned_to is None
    coordinator_client.post(
        url(registration_a, "assign/"), {"coordinator": str(coordinator_a.public_id)}
    )
    assert reload(registration_a).assigned_to == coordinator_a
    mine = coordinator_client.get("/staff/org-a/registrations/", {"mine": "on"})
    assert [r.pk for r in mine.context["page"]] == [registration_a.pk]


def test_it_does_not_contact_someone_who_withdrew(
    coordinator_client: Client, registration_a: Registration
) -> None:
    coordinator_client.post(url(registration_a, "status/"), {"status": "withdrawn"})
    found = reload(registration_a)
    assert found.status == Status.WITHDRAWN
    assert found.delete_after is not None
    response = coordinator_client.post(
        url(registration_a, "contact/"), {"channel": "phone", "outcome": "reached"}, follow=True
    )
    assert "do not contact them" in response.content.decode()


def test_it_lists_the_waiting_list_longest_first_with_counts(
    coordinator_client: Client, org_a: Organisation, org_b: Organisation
) -> None:
    today = timezone.localdate()
    old = make_registration(
        org_a,
        display_name="Gammal",
        status=Status.WAITING_LIST,
        waiting_since=today - timedelta(days=90),
    )
    new = make_registration(
        org_a,
        display_name="Ny",
        status=Status.WAITING_LIST,
        waiting_since=today - timedelta(days=5),
        condition="addiction",
        languages=to_mask(["sv", "ar"], Language),
        format_preference="digital",
    )
    make_registration(org_a, display_name="Inte väntande")
    make_registration(
        org_b, display_name="Annan kommun", status=Status.WAITING_LIST, waiting_since=today
    )
    response = coordinator_client.get("/staff/org-a/waiting-list/")
    assert [r.pk for r in response.context["page"]] == [old.pk, new.pk]
    page = response.content.decode()
    assert "Annan kommun" not in page
    assert ">90<" in page
    tables = dict(response.context["count_tables"])
    assert ("Addiction", 1) in tables["By condition"]
    assert ("Arabic", 1) in tables["By language"]
    filtered = coordinator_client.get(
        "/staff/org-a/waiting-list/", {"language": "ar", "format": "digital"}
    )
    assert [r.pk for r in filtered.context["page"]] == [new.pk]
    ignored = coordinator_client.get("/staff/org-a/waiting-list/", {"language": "klingon"})
    assert ignored.status_code == 200


def test_it_keeps_the_transition_rules_in_one_place(org_a: Organisation, rf: Any) -> None:
    registration = make_registration(org_a)
    request = rf.post("/")
    request.user = User.objects.create_relative("x@example.org")
    with scope(organisation=org_a), pytest.raises(DomainError):
        workflow.transition(request, registration, Status.WAITING_LIST)
    assert workflow.allowed_next(registration) == ["contacted", "intake_done", "withdrawn"]


def test_it_tells_the_coordinator_that_the_relative_reads_the_intake_notes(
    client: Client, coordinator_a: User, registration_a: Registration, relative: User
) -> None:
    from tests.conftest import sign_in_relative

    sign_in_staff(client, coordinator_a)
    client.cookies["kretsen_language"] = "sv"
    form = client.get(url(registration_a, "intake/")).content.decode()
    assert 'id="readable-by-relative"' in form
    assert registration_a.display_name in form.split('id="readable-by-relative"')[1][:200]
    written = {
        "situation": "Tar hand om sin mamma varje kväll.",
        "readiness_reason": "Vill gärna träffa andra.",
        "next_step": "Erbjud plats i höstens grupp.",
    }
    client.post(
        url(registration_a, "intake/"),
        {
            "relation": "adult_child",
            "condition": "dementia",
            "languages": ["sv"],
            "format_preference": "digital",
            "group_preference": "similar",
            "readiness": "ready",
            "held_on": timezone.localdate().isoformat(),
            **written,
        },
    )
    client.logout()
    sign_in_relative(client, relative)
    client.cookies["kretsen_language"] = "sv"
    data = client.get("/me/data/").content.decode()
    for text in written.values():
        assert text in data
