from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django_scopes import scopes_disabled

from kretsen.core.models import AuditEvent, Organisation, User
from kretsen.directory.models import Offer
from kretsen.intake import consent
from kretsen.intake.models import Registration
from tests.conftest import make_org


def answers(**change: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "offer": "",
        "display_name": "Eva",
        "phone": "070-123 45 67",
        "email": "",
        "contact_by_phone": "on",
        "contact_times": ["weekday_evening"],
        "no_messages": "on",
        "relation": "partner",
        "condition": "dementia",
        "language": "sv",
        "format_preference": "both",
        "wish": "Jag orkar inte längre",
        "consent": "on",
        "website": "",
        "submission_key": str(uuid.uuid4()),
    }
    data.update(change)
    return {key: value for key, value in data.items() if value is not None}


def registrations() -> list[Registration]:
    with scopes_disabled():
        return list(Registration.objects.all())


@pytest.fixture
def english(client: Client) -> Client:
    client.cookies["kretsen_language"] = "en"
    return client


def test_it_stores_a_registration_on_the_relatives_terms(
    english: Client, org_a: Organisation, offer_a: Offer
) -> None:
    response = english.post(
        "/o/org-a/interest/", answers(offer=str(offer_a.public_id), no_topic="on")
    )
    assert response.headers["Location"] == f"/o/org-a/interest/received/?offer={offer_a.public_id}"
    [registration] = registrations()
    assert registration.organisation == org_a
    assert registration.offer == offer_a
    assert registration.phone == "+46701234567"
    assert registration.no_messages is True
    assert registration.no_topic is True
    assert registration.contact_times == ["weekday_evening"]
    assert registration.language_values() == ["sv"]
    assert registration.consent_version == consent.VERSION
    assert registration.status == "new"
    assert registration.wish == "Jag orkar inte längre"
    assert AuditEvent.writer.filter(action="intake.registration.created").count() == 1


def test_it_keeps_the_free_text_encrypted_in_the_database(
    english: Client, org_a: Organisation
) -> None:
    english.post("/o/org-a/interest/", answers())
    with connection.cursor() as cursor:
        cursor.execute("SELECT wish FROM intake_registration")
        (stored,) = cursor.fetchone()
    assert "orkar" not in stored
    assert registrations()[0].wish == "Jag orkar inte längre"


def test_it_creates_one_registration_from_a_double_submission(
    english: Client, org_a: Organisation
) -> None:
    data = answers()
    first = english.post("/o/org-a/interest/", data)
    second = english.post("/o/org-a/interest/", data)
    assert first.headers["Location"] == second.headers["Location"]
    assert len(registrations()) == 1


def test_it_quietly_drops_what_a_program_sends(english: Client, org_a: Organisation) -> None:
    response = english.post("/o/org-a/interest/", answers(website="http://spam.example"))
    assert response.headers["Location"] == "/o/org-a/interest/received/"
    assert registrations() == []


def test_it_limits_registrations_from_one_connection(english: Client, org_a: Organisation) -> None:
    for n in range(10):
        english.post("/o/org-a/interest/", answers(display_name=f"P{n}"), REMOTE_ADDR="203.0.113.9")
    response = english.post("/o/org-a/interest/", answers(), REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 200
    assert "Please wait an hour" in response.content.decode()
    assert len(registrations()) == 10


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"phone": "", "email": ""}, "phone", "Give a phone number or an e-mail address"),
        ({"phone": "12"}, "phone", "does not look like a phone number"),
        (
            {"phone": "", "email": "eva@example.org", "contact_by_sms": "on"},
            "phone",
            "Give the phone number",
        ),
        ({"contact_by_phone": None}, "contact_by_phone", "Choose at least one way"),
        ({"contact_by_email": "on"}, "email", "Give the e-mail address"),
        ({"email": "not-an-address"}, "email", "Enter a valid email address"),
        ({"consent": None}, "consent", "This field is required"),
        ({"relation": "cousin"}, "relation", "Select a valid choice"),
        ({"wish": "x" * 2001}, "wish", "at most 2000 characters"),
        ({"display_name": "<b></b>"}, "display_name", "Write a name we may use"),
    ],
)
def test_it_explains_what_to_fix_and_keeps_the_answers(
    english: Client, org_a: Organisation, change: dict[str, Any], field: str, message: str
) -> None:
    response = english.post("/o/org-a/interest/", answers(**change))
    assert response.status_code == 200
    assert message in str(response.context["form"].errors[field])
    assert "Jag orkar inte längre" in response.content.decode() or field == "wish"
    assert registrations() == []


def test_it_strips_markup_from_names_and_text(english: Client, org_a: Organisation) -> None:
    english.post(
        "/o/org-a/interest/",
        answers(display_name="<i>Eva</i>", wish="<script>x()</script>Hjälp"),
    )
    [registration] = registrations()
    assert registration.display_name == "Eva"
    assert "<script>" not in registration.wish


@pytest.mark.parametrize(
    ("country", "typed", "stored"),
    [
        ("SE", "070-123 45 67", "+46701234567"),
        ("SE", "+46 70 123 45 67", "+46701234567"),
        ("NO", "412 34 567", "+4741234567"),
        ("NO", "+47 412 34 567", "+4741234567"),
        ("SE", "+44 20 7946 0958", "+442079460958"),
    ],
)
def test_it_understands_swedish_norwegian_and_international_numbers(
    client: Client, db: None, country: str, typed: str, stored: str
) -> None:
    make_org("here", "Här kommun", country=country)
    response = client.post("/o/here/interest/", answers(phone=typed))
    assert response.status_code == 302
    assert registrations()[0].phone == stored


def test_it_confirms_by_mail_only_when_mail_was_chosen_and_says_nothing_of_the_topic(
    english: Client, org_a: Organisation, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        english.post("/o/org-a/interest/", answers())
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        english.post(
            "/o/org-a/interest/",
            answers(email="Eva@Example.org", contact_by_email="on", contact_by_phone=None),
        )
    assert len(mail.outbox) == 1
    text = (str(mail.outbox[0].subject) + str(mail.outbox[0].body)).lower()
    assert "åby kommun" in text
    for word in ("dementia", "demens", "relative", "anhörig", "support group", "orkar"):
        assert word not in text


def test_it_gives_a_relative_with_an_address_a_sign_in_identity(
    english: Client, org_a: Organisation
) -> None:
    english.post(
        "/o/org-a/interest/",
        answers(email="eva@example.org", contact_by_email="on"),
    )
    user = User.objects.relatives().get(email="eva@example.org")
    assert registrations()[0].user == user
    assert not user.has_usable_password()


def test_it_shows_the_organisations_crisis_contacts_after_registering(
    english: Client, org_a: Organisation
) -> None:
    org_a.crisis_en = "Call the **helpline** on 0771-00 00 00."
    org_a.save()
    # From <main> on: the head holds random nonces in which "112" may stand by chance.
    page = english.get("/o/org-a/interest/received/").content.decode().split("<main", 1)[1]
    assert "<strong>helpline</strong>" in page
    # The national numbers still follow the organisation's own contact.
    assert page.index("helpline") < page.index("112") < page.index("1177")


@pytest.mark.parametrize(
    ("language", "country", "emergency"), [("sv", "SE", "112"), ("nb", "NO", "113")]
)
def test_it_puts_the_offers_contact_before_the_national_numbers(
    client: Client, db: None, language: str, country: str, emergency: str
) -> None:
    from tests.conftest import make_offer

    organisation = make_org("org-n", "Nesby", country=country, default_language=language)
    offer = make_offer(organisation, contact_phone="+4791234567")
    client.cookies["kretsen_language"] = language
    data = answers(
        offer=str(offer.public_id),
        phone=None,
        contact_by_phone=None,
        email="eva@example.org",
        contact_by_email="on",
        language=language,
    )
    received = client.post("/o/org-n/interest/", data)
    page = client.get(received["Location"]).content.decode().split("<main", 1)[1]
    assert page.index("tel:+4791234567") < page.index(emergency)


def test_it_takes_the_form_sent_again_after_back_as_the_same_registration(
    english: Client, org_a: Organisation, offer_a: Offer, django_capture_on_commit_callbacks: Any
) -> None:
    """Back after sending renders the form afresh, with a new submission key."""
    data = answers(offer=str(offer_a.public_id), email="eva@example.org", contact_by_email="on")
    with django_capture_on_commit_callbacks(execute=True):
        english.post("/o/org-a/interest/", data)
    again = {**data, "submission_key": str(uuid.uuid4()), "wish": "Att få prata."}
    with django_capture_on_commit_callbacks(execute=True):
        english.post("/o/org-a/interest/", again)
    found = registrations()
    assert len(found) == 1
    assert found[0].wish == "Att få prata."
    assert len(mail.outbox) == 1
    # Someone else, or the same person for another offer, is a registration of their own.
    english.post(
        "/o/org-a/interest/",
        {
            **again,
            "submission_key": str(uuid.uuid4()),
            "display_name": "Kim",
            "email": "kim@example.org",
        },
    )
    assert len(registrations()) == 2


def test_it_offers_help_to_choose_among_the_organisations_offers(
    english: Client, org_a: Organisation, offer_a: Offer, org_b: Organisation
) -> None:
    from tests.conftest import make_offer

    make_offer(org_b, title_en="Somewhere else entirely")
    page = english.get("/o/org-a/interest/").content.decode()
    assert "Help me choose" in page
    assert "Conversation group for relatives" in page
    assert "Somewhere else entirely" not in page


def test_it_asks_nothing_that_could_reach_the_person_cared_for(
    english: Client, org_a: Organisation
) -> None:
    """No address, number or name of the person cared for is asked or stored, so nothing
    Kretsen sends can reach them: the only ways to contact are the relative's own."""
    from django import forms as django_forms

    from kretsen.intake.forms import InterestForm

    form = InterestForm(offers=[], country="SE", language="en")
    contact_fields = {
        name
        for name, field in form.fields.items()
        if not isinstance(field, django_forms.BooleanField)
        and (
            isinstance(field, django_forms.EmailField)
            or "phone" in name
            or "address" in name
            or "name" in name
        )
    }
    assert contact_fields == {"display_name", "phone", "email"}
    stored = {f.name for f in Registration._meta.get_fields()}
    assert not {name for name in stored if "cared" in name or "patient" in name}
    page = english.get("/o/org-a/privacy/").content.decode()
    assert "We never tell the person you support that you have contacted us." in page
