"""A complete read trail: every page that shows a relative to staff leaves a row naming them.

The world of the permission table gets relatives with canary names: the world's member (in
the inbox, in leader A's group, with a follow-up) and a second person on the waiting list,
ready for a group. Every route of the table is asked by every staff persona; each response
that contains a canary name must have written an audit row whose subjects name that person.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django_scopes import scopes_disabled

from kretsen.care.models import FollowUp
from kretsen.core import audit
from kretsen.core.audit_actions import ACTIONS, READS_OF_A_RECORD
from kretsen.core.models import AuditEvent, User
from kretsen.core.roles import Role
from kretsen.groups.models import AbsenceNotice, Attendance, GroupMember, Meeting
from kretsen.groups.services import live
from kretsen.intake.models import Intake, Readiness, Registration, Status
from tests.conftest import make_registration
from tests.groups.factories import make_member
from tests.world import TABLE, client_for

STAFF = ("leader", "coordinator", "admin", "other_org", "network")
# Pages first, then the changes (which may end a membership), never the sign-out.
WALK = [row for row in TABLE if row.method == "GET"] + [
    row for row in TABLE if row.method == "POST" and "sign-out" not in row.route
]


def _canaries(world: dict[str, Any]) -> dict[str, Registration]:
    """Give the world's relatives names found nowhere else; name -> their registration.

    Zuleika is the world's member: in the inbox, in leader A's group, present at the meeting
    that is going on now (with the live panel open) and with an overdue follow-up. Ottilie,
    in the same group, said she cannot come to it. Quirinus waits for a group, ready for one.
    Zuleika's sign-in address is in the admin's audit trail as the actor of her sign-in.
    """
    registration: Registration = world["registration"]
    member: GroupMember = world["member"]
    meeting: Meeting = world["meeting"]
    Registration.objects.filter(pk=registration.pk).update(
        display_name="Zuleika Canary", email="zuleika@canary.example"
    )
    relative = world["users"]["relative"]
    User.objects.filter(pk=relative.pk).update(email="zuleika@canary.example")
    relative.refresh_from_db()
    # The admin's audit trail shows a relative's address as the actor of their own steps.
    audit.log(None, "core.auth.relative_signed_in", actor=relative, organisation=world["org_a"])
    GroupMember.objects.filter(pk=member.pk).update(display_name="Zuleika")
    FollowUp.objects.filter(pk=world["follow_up"].pk).update(
        due_on=timezone.localdate() - timedelta(days=1)
    )
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() - timedelta(minutes=30))
    meeting.refresh_from_db()
    Attendance.objects.create(
        meeting=meeting,
        member=member,
        organisation=member.organisation,
        status=Attendance.Status.PRESENT,
    )
    live.start(None, meeting)  # type: ignore[arg-type]
    absent = make_member(
        member.group, make_registration(world["org_a"], display_name="Ottilie Canary")
    )
    AbsenceNotice.objects.create(meeting=meeting, member=absent, organisation=meeting.organisation)
    waiting = make_registration(
        world["org_a"],
        offer=world["offer"],
        display_name="Quirinus Canary",
        status=Status.WAITING_LIST,
        waiting_since=timezone.localdate() - timedelta(days=30),
    )
    Intake.objects.create(
        registration=waiting, organisation=waiting.organisation, readiness=Readiness.READY
    )
    return {
        "Zuleika": registration,
        "zuleika@canary.example": registration,
        "Ottilie": absent.registration,
        "Quirinus": waiting,
    }


def _last_event_id() -> int:
    with scopes_disabled():
        last = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first()
    return last or 0


@pytest.mark.parametrize("persona", STAFF)
def test_every_page_that_shows_a_relative_names_them_in_the_audit_trail(
    persona: str, world: dict[str, Any]
) -> None:
    with scopes_disabled():
        canaries = _canaries(world)
    client = client_for(persona, world)
    unlogged = []
    shown = 0
    for row in WALK:
        url = reverse(row.route, kwargs=row.kwargs(world))
        before = _last_event_id()
        # A change is followed to the page it leads to, which may name whom it changed.
        response = client.post(url, follow=True) if row.method == "POST" else client.get(url)
        body = b"".join(response) if response.streaming else response.content
        for name, registration in canaries.items():
            if name.encode() not in body:
                continue
            shown += 1
            rows = audit.reads_naming([registration.public_id]).filter(pk__gt=before)
            if not rows.exists():
                unlogged.append(f"{row.method} {row.route} shows {name}")
    assert unlogged == [], f"Pages that show a relative without a row naming them: {unlogged}"
    if persona in ("leader", "coordinator"):
        # The walk must reach the pages it is about, or it proves nothing.
        assert shown > 0


@pytest.mark.parametrize("language", ["sv", "nb", "en"])
def test_the_relative_sees_who_looked_at_them_and_where_in_plain_words(
    language: str, world: dict[str, Any]
) -> None:
    users = world["users"]
    org = world["org_a"].slug
    group = world["group"].public_id
    client_for("coordinator", world).get(reverse("intake:inbox", kwargs={"org": org}))
    client_for("leader", world).get(reverse("groups:group", kwargs={"org": org, "group": group}))
    client_for("other_org", world).get(reverse("intake:inbox", kwargs={"org": org}))
    relative = client_for("relative", world)
    relative.cookies["kretsen_language"] = language
    page = relative.get(reverse("intake:my-data")).content.decode()
    looked = page.split('id="looked-title"')[1]
    with translation.override(language):
        inbox = str(READS_OF_A_RECORD["intake.inbox.viewed"])
        group_page = str(READS_OF_A_RECORD["groups.group.viewed"])
        coordinator = str(Role.COORDINATOR.label).lower()
        leader = str(Role.LEADER.label).lower()
    assert f"{users['coordinator'].email} ({coordinator}) {inbox}" in looked
    assert f"{users['leader'].email} ({leader}) {group_page}" in looked
    # Organisation B's coordinator was refused and saw nothing.
    assert users["other_org"].email not in looked


@pytest.mark.parametrize("language", ["sv", "nb"])
def test_every_read_has_words_for_the_relative_in_every_language(language: str) -> None:
    assert set(READS_OF_A_RECORD) <= set(ACTIONS)
    with translation.override("en"):
        english = {code: str(text) for code, text in READS_OF_A_RECORD.items()}
    with translation.override(language):
        same = [code for code, text in READS_OF_A_RECORD.items() if str(text) == english[code]]
    assert same == []


def test_a_list_that_shows_nobody_writes_no_row(world: dict[str, Any]) -> None:
    with scopes_disabled():
        Registration.objects.filter(pk=world["registration"].pk).update(status=Status.WITHDRAWN)
    before = _last_event_id()
    client_for("coordinator", world).get(
        reverse("intake:waiting-list", kwargs={"org": world["org_a"].slug})
    )
    with scopes_disabled():
        assert not AuditEvent.objects.filter(pk__gt=before, action__startswith="intake.").exists()


def test_the_people_a_row_names_cannot_be_changed(world: dict[str, Any]) -> None:
    # The column was added without rebuilding the table: the append-only trigger still holds.
    relative = world["users"]["relative"]
    event = audit.log(None, "core.auth.relative_signed_in", actor=relative, subjects=["a"])
    table = AuditEvent._meta.db_table
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET subjects = '[]'")
    with pytest.raises(PermissionError):
        AuditEvent.writer.all().update(subjects=[])
    with scopes_disabled():
        assert AuditEvent.objects.get(pk=event.pk).subjects == ["a"]


def test_repeated_reads_of_one_page_on_one_day_are_one_line_with_a_count(
    world: dict[str, Any],
) -> None:
    # The live panel asks for its state every few seconds; each ask is a read.
    coordinator = client_for("coordinator", world)
    for _time in range(3):
        coordinator.get(reverse("intake:inbox", kwargs={"org": world["org_a"].slug}))
    coordinator.get(reverse("intake:waiting-list", kwargs={"org": world["org_a"].slug}))
    relative = client_for("relative", world)
    relative.cookies["kretsen_language"] = "en"
    looked = relative.get(reverse("intake:my-data")).content.decode().split('id="looked-title"')[1]
    assert looked.count("saw you in the list of registrations (3 times that day)") == 1
    # Nothing else read here names this person: the waiting list did not show them.
    assert looked.count("<li>") == 1
