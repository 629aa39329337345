from __future__ import annotations

from datetime import timedelta

from django.test import Client
from django.utils import timezone
from django_scopes import scopes_disabled

from kretsen.core.models import AuditEvent, Organisation, User
from kretsen.intake.models import Registration, Status
from tests.conftest import make_registration, sign_in_relative, sign_in_staff


def relative_client(relative: User) -> Client:
    client = Client()
    client.cookies["kretsen_language"] = "en"
    return sign_in_relative(client, relative)


def test_it_shows_relatives_what_is_stored_and_who_read_it(
    relative: User,
    registration_a: Registration,
    coordinator_a: User,
    org_b: Organisation,
) -> None:
    make_registration(org_b, display_name="Någon annan")
    sign_in_staff(Client(), coordinator_a).get(
        f"/staff/org-a/registrations/{registration_a.public_id}/"
    )
    page = relative_client(relative).get("/me/data/").content.decode()
    assert "Åby kommun" in page
    assert registration_a.display_name in page
    assert "Någon annan" not in page
    assert coordinator_a.email in page


def test_it_lets_relatives_correct_their_contact_details(
    relative: User, registration_a: Registration
) -> None:
    client = relative_client(relative)
    bad = client.post(
        f"/me/registrations/{registration_a.public_id}/contact/",
        {"display_name": "Eva", "phone": "abc", "contact_by_phone": "on"},
    )
    assert "does not look like a phone number" in bad.content.decode()
    client.post(
        f"/me/registrations/{registration_a.public_id}/contact/",
        {
            "display_name": "Eva B",
            "phone": "0709876543",
            "contact_by_sms": "on",
            "no_topic": "on",
        },
    )
    with scopes_disabled():
        found = Registration.objects.get(pk=registration_a.pk)
    assert found.display_name == "Eva B"
    assert found.phone == "+46709876543"
    assert found.no_topic is True
    event = AuditEvent.writer.get(action="intake.registration.contact_corrected_by_relative")
    assert "phone" in event.data["fields"]


def test_it_lets_relatives_withdraw_and_records_when_data_is_deleted(
    relative: User, registration_a: Registration, org_a: Organisation
) -> None:
    client = relative_client(relative)
    tomorrow = timezone.localdate() + timedelta(days=1)
    asked = client.get(f"/me/registrations/{registration_a.public_id}/withdraw/")
    # The page says exactly when: the next day (decision 0085), not the group period.
    assert f"deleted the next day, on {tomorrow:%-d %B %Y}" in asked.content.decode()
    client.post(f"/me/registrations/{registration_a.public_id}/withdraw/")
    with scopes_disabled():
        found = Registration.objects.get(pk=registration_a.pk)
    assert found.status == Status.WITHDRAWN
    assert found.delete_after == tomorrow
    page = client.get("/me/data/").content.decode()
    assert f"Your information is deleted on {tomorrow:%-d %B %Y}." in page
    # Withdrawing twice changes nothing.
    client.post(f"/me/registrations/{registration_a.public_id}/withdraw/")
    assert AuditEvent.writer.filter(action="intake.registration.withdrawn_by_relative").count() == 1
