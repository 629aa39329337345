"""Nothing a relative or a leader types into the listed fields is readable in the database.

Canary values go in through the real forms (interest form, intake conversation, run-sheet,
attendance, network documentation); then the raw database is searched for them: the bytes of
the SQLite database, or on PostgreSQL every row of every table as text (a dump cannot see the
test's open transaction). A control value in a field that is stored plainly (the phone number)
shows that the search does find what is there.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django_scopes import scopes_disabled

from kretsen.core.crypto import email_digest
from kretsen.groups.models import Group
from kretsen.intake.models import Registration
from tests.conftest import sign_in_staff
from tests.groups.factories import make_meeting

# Field -> the form field its canary goes in through.
FIELDS = (
    "Registration.display_name",
    "Registration.email",
    "Registration.contact_note",
    "Intake.next_step",
    "Intake.area",
    "Meeting.topic_title",
    "Attendance.visitor_name",
    "Answer.tags",
)


def canary() -> str:
    return "kanarie" + uuid.uuid4().hex[:12]


def raw_database() -> bytes:
    """The database as stored: the SQLite file's bytes, or every PostgreSQL row as text."""
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        return bytes(connection.connection.serialize())
    return "\n".join("\n".join(rows) for rows in _rows_by_table().values()).encode()


def _rows_by_table() -> dict[str, list[str]]:
    """Every row of every table, as text (PostgreSQL: the row's own text form)."""
    quote = connection.ops.quote_name
    found: dict[str, list[str]] = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            if connection.vendor == "postgresql":
                cursor.execute(f"SELECT t::text FROM {quote(table)} AS t")
                found[table] = [row[0] for row in cursor.fetchall()]
            else:
                cursor.execute(f"SELECT * FROM {quote(table)}")
                found[table] = [repr(row) for row in cursor.fetchall()]
    return found


def tables_holding(text: str) -> set[str]:
    return {table for table, rows in _rows_by_table().items() if any(text in r for r in rows)}


@pytest.fixture
def written(world: dict[str, Any]) -> dict[str, str]:
    """A canary in each listed field, written through the forms; returns field -> canary."""
    values = {field: canary() for field in FIELDS}
    values["Registration.email"] = f"{canary()}@example.org"
    phone = f"070-{uuid.uuid4().int % 10_000_000:07d}"

    visitor = Client()
    visitor.cookies["kretsen_language"] = "en"
    response = visitor.post(
        "/o/org-a/interest/",
        {
            "offer": "",
            "display_name": values["Registration.display_name"],
            "phone": phone,
            "email": values["Registration.email"],
            "contact_by_email": "on",
            "contact_note": values["Registration.contact_note"],
            "relation": "partner",
            "condition": "dementia",
            "language": "sv",
            "format_preference": "both",
            "consent": "on",
            "website": "",
            "submission_key": str(uuid.uuid4()),
        },
    )
    assert response.status_code == 302
    with scopes_disabled():
        registration = Registration.objects.get(
            email_hash=email_digest(values["Registration.email"])
        )
        values["control"] = registration.phone

    coordinator = sign_in_staff(Client(), world["users"]["coordinator"])
    response = coordinator.post(
        f"/staff/org-a/registrations/{registration.public_id}/intake/",
        {
            "relation": "partner",
            "condition": "dementia",
            "age_band": "45-64",
            "languages": ["sv"],
            "format_preference": "both",
            "availability": ["1-2"],
            "area": values["Intake.area"],
            "group_preference": "none",
            "readiness": "ready",
            "next_step": values["Intake.next_step"],
            "held_on": "2026-01-15",
            "next_status": "waiting_list",
        },
    )
    assert response.status_code == 302

    leader = sign_in_staff(Client(), world["users"]["leader"])
    group: Group = world["group"]
    with scopes_disabled():
        group.form = Group.Form.OPEN
        group.save()
        past = make_meeting(group, in_hours=-0.2)
    meetings = f"/staff/org-a/groups/{group.public_id}/meetings"
    response = leader.post(
        f"{meetings}/{world['meeting'].public_id}/run-sheet/",
        {"topic": "", "own_topic": values["Meeting.topic_title"], "note": ""},
    )
    assert response.status_code == 302
    response = leader.post(
        f"{meetings}/{past.public_id}/attendance/",
        {f"m_{world['member'].public_id}": "present", "drop_in": values["Attendance.visitor_name"]},
    )
    assert response.status_code == 302

    answer_url = reverse(
        "network:local-answer",
        kwargs={
            "network": world["network"].public_id,
            "local": world["local_network"].public_id,
            "round": world["open_round"].public_id,
            "question": world["open_question"].public_id,
        },
    )
    response = leader.post(
        answer_url,
        {
            "discussion": "Vi pratade om sömn.",
            "tags": values["Answer.tags"],
            "quotes-TOTAL_FORMS": "1",
            "quotes-INITIAL_FORMS": "0",
            "quotes-MIN_NUM_FORMS": "0",
            "quotes-MAX_NUM_FORMS": "200",
        },
    )
    assert response.status_code == 302
    return values


def test_it_wrote_every_canary_where_the_pages_read_it(written: dict[str, str]) -> None:
    """The fields hold the canaries after decryption, so the search below means something."""
    from kretsen.groups.models import Attendance, Meeting
    from kretsen.intake.models import Intake
    from kretsen.network.models import Answer

    with scopes_disabled():
        read = {
            "Registration.display_name": list(Registration.objects.values_list("display_name")),
            "Registration.email": list(Registration.objects.values_list("email")),
            "Registration.contact_note": list(Registration.objects.values_list("contact_note")),
            "Intake.next_step": list(Intake.objects.values_list("next_step")),
            "Intake.area": list(Intake.objects.values_list("area")),
            "Meeting.topic_title": list(Meeting.objects.values_list("topic_title")),
            "Attendance.visitor_name": list(Attendance.objects.values_list("visitor_name")),
            "Answer.tags": list(Answer.objects.values_list("tags")),
        }
    for field in FIELDS:
        assert (written[field],) in read[field], field


def test_it_leaves_no_listed_field_readable_in_the_raw_database(written: dict[str, str]) -> None:
    raw = raw_database()
    assert written["control"].encode() in raw  # the search finds a plainly stored value
    # The relative's sign-in identity (core.User.email) still holds the address; the e-mail
    # canary is checked table by table in the next test (decision 0100).
    readable = [
        field
        for field in FIELDS
        if field != "Registration.email" and written[field].encode() in raw
    ]
    assert readable == []


def test_it_keeps_the_address_only_in_the_sign_in_identity(written: dict[str, str]) -> None:
    assert tables_holding(written["control"]) == {"intake_registration"}
    assert tables_holding(written["Registration.email"]) <= {"core_user"}
