"""Retention (decision 0085): every rule, each run twice; a relative's data really gone from
every table; the dashboard counting the same before and after; the daily run."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.test import Client, RequestFactory
from django.utils import dateformat, timezone, translation
from django_scopes import scope, scopes_disabled
from django_tasks_db.models import DBTaskResult

from kretsen.care.models import FollowUp, MeetingFeedback, QuestionnaireRequest, RetentionRun
from kretsen.care.services import dashboard, retention
from kretsen.core import audit
from kretsen.core.models import AuditEvent, Organisation, SignInLink, User, hash_token
from kretsen.directory.models import Offer
from kretsen.groups.models import (
    AbsenceNotice,
    Attendance,
    CalendarToken,
    Group,
    GroupMember,
    Notice,
    PledgeSignature,
)
from kretsen.intake.models import ContactAttempt, Intake, Readiness, Registration, Status
from kretsen.matching.models import Proposal
from tests.care.year_of_work import YEAR
from tests.conftest import make_registration, sign_in_relative, sign_in_staff
from tests.groups.factories import make_group, make_meeting, make_member
from tests.words import SWEDISH_MONTHS

CANARY = "kanarie7q3zx"
CANARY_PHONE = "+46709990011"
CANARY_IP = "203.0.113.77"


def _yesterday() -> date:
    return timezone.localdate() - timedelta(days=1)


def _tomorrow() -> date:
    return timezone.localdate() + timedelta(days=1)


def _end(group: Group, days_ago: int) -> None:
    Group.objects.filter(pk=group.pk).update(
        state=Group.State.ENDED, state_changed_at=timezone.now() - timedelta(days=days_ago)
    )
    group.refresh_from_db()


def _withdrawn(registration: Registration, delete_after: date) -> None:
    Registration.objects.filter(pk=registration.pk).update(
        status=Status.WITHDRAWN, withdrawn_at=timezone.now(), delete_after=delete_after
    )


def _reload(obj: Any) -> Any:
    with scopes_disabled():
        return type(obj).objects.get(pk=obj.pk)


def _everything(
    org: Organisation, offer: Offer, leaders: list[User], group_ends: bool
) -> dict[str, Any]:
    """A relative with a canary in every text field of every record about them; when their
    group ends, in the group's meeting notes and a drop-in visitor's name too."""
    user = User.objects.create_relative(f"{CANARY}@example.org", display_name=CANARY)
    User.objects.filter(pk=user.pk).update(date_joined=timezone.now() - timedelta(days=30))
    registration = make_registration(
        org,
        user=user,
        display_name=CANARY,
        email=f"{CANARY}@example.org",
        phone=CANARY_PHONE,
        contact_note=CANARY,
        wish=CANARY,
        status=Status.IN_GROUP,
    )
    other = make_registration(org, display_name="Someone else")
    intake = Intake.objects.create(
        registration=registration,
        organisation=org,
        readiness=Readiness.READY,
        situation=CANARY,
        readiness_reason=CANARY,
        next_step=CANARY,
        area=CANARY,
    )
    intake.never_with.add(other)
    Intake.objects.create(
        registration=other, organisation=org, readiness=Readiness.READY
    ).never_with.add(registration)
    ContactAttempt.objects.create(
        registration=registration, organisation=org, channel="phone", outcome="reached", note=CANARY
    )
    group = make_group(org, offer, leaders)
    member = make_member(group, registration)
    GroupMember.objects.filter(pk=member.pk).update(leave_reason=CANARY)
    Group.objects.filter(pk=group.pk).update(contact_member=member)
    PledgeSignature.objects.create(
        member=member, organisation=org, version=1, language="sv", text=CANARY, signed_name=CANARY
    )
    past = make_meeting(group, in_hours=-48, note=CANARY if group_ends else "")
    AbsenceNotice.objects.create(meeting=past, member=member, organisation=org, message=CANARY)
    Attendance.objects.create(meeting=past, member=member, organisation=org, status="notified")
    if group_ends:
        Attendance.objects.create(
            meeting=past, organisation=org, status="drop_in", visitor_name=CANARY
        )
    FollowUp.objects.create(
        organisation=org,
        member=member,
        reason=FollowUp.Reason.BURDENED,
        note=CANARY,
        outcome_note=CANARY,
        due_on=timezone.localdate(),
    )
    QuestionnaireRequest.objects.create(
        organisation=org,
        member=member,
        timepoint="baseline",
        state="answered",
        answers={"1": 3, "comment": CANARY},
        raw_score=12,
        percentage=48,
    )
    QuestionnaireRequest.objects.create(organisation=org, member=member, timepoint="end")
    MeetingFeedback.objects.create(
        organisation=org,
        meeting=past,
        member=member,
        felt_safe="yes",
        enough_space="partly",
        takeaway=CANARY,
        show_name=True,
    )
    Notice.objects.create(
        organisation=org,
        key=f"reminder-{member.pk}",
        kind="reminder",
        channel="email",
        member=member,
    )
    SignInLink.objects.create(
        user=user, token_hash=hash_token("a"), expires_at=timezone.now() + timedelta(minutes=30)
    )
    CalendarToken.objects.create(user=user, token_hash=hash_token("b"))
    request = RequestFactory().post("/", REMOTE_ADDR=CANARY_IP)
    request.user = user
    audit.log(request, "intake.registration.withdrawn_by_relative", registration, organisation=org)
    DBTaskResult.objects.create(
        status="SUCCESSFUL",
        finished_at=timezone.now() - timedelta(days=2),
        args_kwargs={"args": [f"{CANARY}@example.org", "sv"], "kwargs": {}},
        task_path="kretsen.core.tasks.send_sign_in_link",
        backend_name="default",
        run_after=timezone.now() - timedelta(days=2),
        exception_class_path="",
        traceback="",
    )
    Proposal.objects.create(
        organisation=org,
        state=Proposal.State.DONE,
        problem={"people": [{"id": str(registration.public_id), "area": CANARY}]},
    )
    return {"user": user, "registration": registration, "member": member, "group": group}


ENCRYPTED = [
    ("intake_registration", "wish"),
    ("intake_intake", "situation"),
    ("intake_intake", "readiness_reason"),
    ("intake_contactattempt", "note"),
    ("groups_groupmember", "leave_reason"),
    ("groups_absencenotice", "message"),
    ("groups_meeting", "note"),
    ("care_followup", "note"),
    ("care_followup", "outcome_note"),
    ("care_meetingfeedback", "takeaway"),
]


def _ciphertexts() -> list[str]:
    """The stored (encrypted) form of every encrypted text, to search for like a canary."""
    found = []
    with connection.cursor() as cursor:
        for table, column in ENCRYPTED:
            cursor.execute(f"SELECT {column} FROM {table} WHERE {column} IS NOT NULL")
            found += [_text(value) for (value,) in cursor.fetchall() if value]
    return found


def _text(value: Any) -> str:
    if isinstance(value, memoryview):
        value = value.tobytes()
    if isinstance(value, bytes):
        return value.decode(errors="replace")
    return str(value)


def database_text() -> str:
    """Every row of every table as text (and SQLite's own dump), on SQLite and PostgreSQL."""
    parts: list[str] = []
    if connection.vendor == "sqlite":
        parts.extend(connection.connection.iterdump())
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            parts.extend(" ".join(_text(value) for value in row) for row in cursor.fetchall())
    return "\n".join(parts)


# --- a relative's data really gone ------------------------------------------------------


@pytest.mark.parametrize("how", ["withdrawn", "group_ended"])
def test_it_leaves_no_trace_of_a_relative_in_any_table(
    org_a: Organisation, offer_a: Offer, leader_a: User, how: str
) -> None:
    with scope(organisation=org_a):
        world = _everything(org_a, offer_a, [leader_a], group_ends=how == "group_ended")
        if how == "withdrawn":
            _withdrawn(world["registration"], _yesterday())
        else:
            _end(world["group"], org_a.retention_days + 1)
    canaries = [CANARY, CANARY_PHONE, CANARY_IP, *_ciphertexts()]
    assert len(canaries) == 3 + len(ENCRYPTED) - (how == "withdrawn")
    before = database_text()
    assert all(canary in before for canary in canaries)  # the search finds them

    retention.apply()

    after = database_text()
    left = [line for line in after.splitlines() if any(canary in line for canary in canaries)]
    assert left == []
    with scopes_disabled():
        assert not User.objects.filter(pk=world["user"].pk).exists()
        # The audit row stays, its actor pseudonymised.
        event = AuditEvent.writer.get(action="intake.registration.withdrawn_by_relative")
        assert event.actor_label.startswith(audit.PSEUDONYM_PREFIX)
        assert event.object_id == str(world["registration"].public_id)
        # What the figures need stays, without a name.
        member = _reload(world["member"])
        assert member.display_name == retention.ANONYMISED
        assert Attendance.objects.filter(member=member, status="notified").exists()
        answer = QuestionnaireRequest.objects.get(member=member)
        assert (answer.percentage, answer.answers) == (48, {})
        feedback = MeetingFeedback.objects.get(member=member)
        assert (feedback.felt_safe, feedback.show_name) == ("yes", False)
        assert Intake.objects.get(registration=world["registration"]).readiness == "ready"


# --- each rule, applied twice -----------------------------------------------------------


def test_it_deletes_a_withdrawn_registration_on_its_day_and_not_before(
    org_a: Organisation, registration_a: Registration, relative: User, in_org_a: None
) -> None:
    tomorrow = timezone.localdate() + timedelta(days=1)
    _withdrawn(registration_a, tomorrow)
    assert retention.apply()["withdrawn"] == 0
    assert _reload(registration_a).display_name == "Eva"

    later = timezone.now() + timedelta(days=1, hours=1)
    assert retention.apply(later)["withdrawn"] == 1
    found = _reload(registration_a)
    assert (found.display_name, found.phone, found.email, found.user) == ("–", "", "", None)
    assert found.anonymised_at is not None
    assert found.status == Status.WITHDRAWN
    assert found.relation == registration_a.relation
    assert retention.apply(later)["withdrawn"] == 0  # the second run changes nothing
    assert _reload(found).anonymised_at == found.anonymised_at


def test_it_keeps_members_of_an_ended_group_for_the_period_then_deletes_them(
    org_a: Organisation, group_a: Group, registration_a: Registration
) -> None:
    member = make_member(group_a, registration_a)
    Registration.objects.filter(pk=registration_a.pk).update(status=Status.IN_GROUP)
    _end(group_a, org_a.retention_days - 1)
    assert retention.apply()["ended_groups"] == 0
    assert _reload(member).display_name == "Eva"

    _end(group_a, org_a.retention_days)
    assert retention.apply()["ended_groups"] == 1
    assert _reload(member).display_name == retention.ANONYMISED
    assert _reload(registration_a).anonymised_at is not None
    assert retention.apply()["ended_groups"] == 0


def test_it_keeps_the_registration_of_someone_waiting_for_another_group(
    org_a: Organisation, group_a: Group, registration_a: Registration
) -> None:
    member = make_member(group_a, registration_a)
    Registration.objects.filter(pk=registration_a.pk).update(status=Status.WAITING_LIST)
    _end(group_a, org_a.retention_days + 5)
    assert retention.apply()["ended_groups"] == 1
    assert _reload(member).display_name == retention.ANONYMISED
    kept = _reload(registration_a)
    assert (kept.anonymised_at, kept.display_name) == (None, "Eva")


def test_it_keeps_a_registration_while_another_group_of_the_person_runs(
    org_a: Organisation,
    group_a: Group,
    registration_a: Registration,
    offer_a: Offer,
    leader_a: User,
) -> None:
    make_member(group_a, registration_a)
    running = make_group(org_a, offer_a, [leader_a], name="Torsdagsgruppen")
    make_member(running, registration_a)
    Registration.objects.filter(pk=registration_a.pk).update(status=Status.IN_GROUP)
    _end(group_a, org_a.retention_days + 5)
    retention.apply()
    assert _reload(registration_a).anonymised_at is None


def test_it_clears_what_memberships_of_deleted_people_still_hold(
    org_a: Organisation, group_a: Group, registration_a: Registration
) -> None:
    member = make_member(group_a, registration_a)
    past = make_meeting(group_a, in_hours=-24)
    MeetingFeedback.objects.create(
        organisation=org_a,
        meeting=past,
        member=member,
        felt_safe="yes",
        enough_space="yes",
        takeaway="Lugnet",
    )
    # Anonymised by an earlier run, the membership left over (e.g. a run interrupted).
    Registration.objects.filter(pk=registration_a.pk).update(anonymised_at=timezone.now())
    assert retention.apply()["deleted_people"] == 1
    assert MeetingFeedback.objects.get(member=member).takeaway is None
    assert retention.apply()["deleted_people"] == 0


def test_it_deletes_relatives_with_nothing_left_and_only_them(
    org_a: Organisation, registration_a: Registration, relative: User
) -> None:
    lonely = User.objects.create_relative("ensam@example.org")
    new = User.objects.create_relative("ny@example.org")
    User.objects.filter(pk__in=[lonely.pk, relative.pk]).update(
        date_joined=timezone.now() - timedelta(days=3)
    )
    assert retention.apply()["relatives"] == 1
    assert not User.objects.filter(pk=lonely.pk).exists()
    # Still has a registration; created a moment ago (its registration may be on its way).
    assert User.objects.filter(pk__in=[relative.pk, new.pk]).count() == 2
    assert retention.apply()["relatives"] == 0


def test_it_deletes_expired_sign_in_links_and_revoked_calendar_addresses(
    relative: User,
) -> None:
    now = timezone.now()
    SignInLink.objects.create(user=relative, token_hash="a" * 64, expires_at=now - timedelta(1))
    valid = SignInLink.objects.create(
        user=relative, token_hash="b" * 64, expires_at=now + timedelta(minutes=20)
    )
    CalendarToken.objects.create(user=relative, token_hash="c" * 64, revoked_at=now)
    kept = CalendarToken.objects.create(user=relative, token_hash="d" * 64)
    counts = retention.apply()
    assert (counts["sign_in_links"], counts["calendar_tokens"]) == (1, 1)
    assert list(SignInLink.objects.all()) == [valid]
    assert list(CalendarToken.objects.all()) == [kept]
    counts = retention.apply()
    assert (counts["sign_in_links"], counts["calendar_tokens"]) == (0, 0)


def test_it_deletes_proposals_after_30_days_or_when_they_name_a_deleted_person(
    org_a: Organisation, registration_a: Registration, in_org_a: None
) -> None:
    def proposal(state: str, days_old: int, people: list[Registration]) -> Proposal:
        made = Proposal.objects.create(
            organisation=org_a,
            state=state,
            problem={"people": [{"id": str(r.public_id), "area": "Norr"} for r in people]},
        )
        Proposal.objects.filter(pk=made.pk).update(
            created_at=timezone.now() - timedelta(days=days_old)
        )
        return made

    other = make_registration(org_a, display_name="Sara")
    old = proposal(Proposal.State.ACCEPTED, 31, [other])
    naming = proposal(Proposal.State.DONE, 1, [registration_a, other])
    in_review = proposal(Proposal.State.DONE, 29, [other])
    running = proposal(Proposal.State.RUNNING, 40, [registration_a])
    _withdrawn(registration_a, _yesterday())
    assert retention.apply()["proposals"] == 2
    left = set(Proposal.objects.values_list("pk", flat=True))
    assert left == {in_review.pk, running.pk}
    assert not {old.pk, naming.pk} & left
    assert retention.apply()["proposals"] == 0


def test_it_deletes_records_of_finished_background_work_after_a_day(db: None) -> None:
    def record(finished: datetime | None) -> DBTaskResult:
        return DBTaskResult.objects.create(
            status="SUCCESSFUL" if finished else "READY",
            finished_at=finished,
            args_kwargs={"args": ["someone@example.org", "sv"], "kwargs": {}},
            task_path="kretsen.core.tasks.send_sign_in_link",
            backend_name="default",
            run_after=timezone.now(),
            exception_class_path="",
            traceback="",
        )

    record(timezone.now() - timedelta(hours=25))
    recent = record(timezone.now() - timedelta(hours=1))
    waiting = record(None)
    assert retention.apply()["task_records"] == 1
    assert {r.pk for r in DBTaskResult.objects.all()} == {recent.pk, waiting.pk}
    assert retention.apply()["task_records"] == 0


# --- the audit trail stays append-only for everything else ------------------------------


def test_the_audit_trail_allows_only_pseudonymising_its_actor(relative: User) -> None:
    event = audit.log(None, "core.sign_in.used", relative, actor=relative)
    table = AuditEvent._meta.db_table
    for statement in (
        f"UPDATE {table} SET action = 'core.other.thing'",
        f"UPDATE {table} SET actor_label = 'someone@example.org'",
        f"UPDATE {table} SET actor_id = NULL, ip_address = NULL, "
        "actor_label = 'pseudonym:x', object_id = 'x'",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement)
    assert audit.pseudonymise_actor(relative) == 1
    found = AuditEvent.writer.get(pk=event.pk)
    assert found.actor_label.startswith("pseudonym:")
    assert found.actor_id is None
    assert (found.action, found.object_id) == (event.action, event.object_id)
    # Once pseudonymised, the label cannot be changed again.
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET actor_label = 'pseudonym:y'")
    with pytest.raises(PermissionError):
        AuditEvent.writer.all().update(actor_label="x")


# --- the figures survive -----------------------------------------------------------------


def test_the_dashboard_counts_the_same_after_retention(
    year_of_work: Organisation,
) -> None:
    org = year_of_work
    with scope(organisation=org):
        Registration.objects.filter(memberships__isnull=False).update(status=Status.IN_GROUP)
        for group in Group.objects.all():
            _end(group, org.retention_days + 30)
        for registration in Registration.objects.all():
            if registration.display_name in ("Kim", "Lo"):
                _withdrawn(registration, _yesterday())
    dimensions = list(dashboard.DIMENSIONS)
    before = [dashboard.build([org], YEAR, dimension) for dimension in dimensions]

    counts = retention.apply()

    assert counts["withdrawn"] == 2
    assert counts["ended_groups"] == 17
    with scopes_disabled():
        names = Registration.objects.values_list("display_name", flat=True)
        assert set(names) <= {retention.ANONYMISED}
    after = [dashboard.build([org], YEAR, dimension) for dimension in dimensions]
    assert after == before


# --- the daily run -------------------------------------------------------------------------


def test_the_scheduler_queues_the_run_once_a_day(
    db: None, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any
) -> None:
    monkeypatch.setattr(retention, "RUN_HOUR", 0)
    expired = SignInLink.objects.create(
        user=User.objects.create_relative("x@example.org"),
        token_hash="e" * 64,
        expires_at=timezone.now() - timedelta(hours=1),
    )
    with django_capture_on_commit_callbacks(execute=True):
        call_command("run_scheduler", "--once")
    with django_capture_on_commit_callbacks(execute=True) as second:
        call_command("run_scheduler", "--once")
    assert second == []
    run = RetentionRun.objects.get()
    assert run.day == timezone.localdate()
    assert run.finished_at is not None
    assert run.counts["sign_in_links"] == 1
    assert not SignInLink.objects.filter(pk=expired.pk).exists()


def test_it_waits_for_the_run_hour(db: None) -> None:
    early = timezone.localtime().replace(hour=retention.RUN_HOUR - 1, minute=59)
    assert retention.claim_daily_run(early) is None
    on_time = early + timedelta(minutes=1)
    assert retention.claim_daily_run(on_time) is not None
    assert retention.claim_daily_run(on_time) is None


def test_the_command_applies_the_rules(relative: User) -> None:
    SignInLink.objects.create(
        user=relative, token_hash="f" * 64, expires_at=timezone.now() - timedelta(hours=1)
    )
    out = StringIO()
    call_command("apply_retention", stdout=out)
    assert "sign_in_links: 1" in out.getvalue()
    out = StringIO()
    call_command("apply_retention", stdout=out)
    assert "sign_in_links: 0" in out.getvalue()


# --- what people see ---------------------------------------------------------------------


def test_an_admin_sees_what_the_next_runs_remove(
    client: Client,
    admin_a: User,
    org_a: Organisation,
    group_a: Group,
    registration_a: Registration,
) -> None:
    _withdrawn(registration_a, timezone.localdate())
    for name in ("Ada", "Bo"):
        make_member(group_a, make_registration(org_a, display_name=name))
    _end(group_a, org_a.retention_days - 10)
    client.cookies["kretsen_language"] = "sv"
    page = sign_in_staff(client, admin_a).get("/staff/org-a/retention/").content.decode()
    assert "Radering av personuppgifter" in page
    _next_run, planned = retention.plan(org_a)
    by_rule = {rule.key: rule for rule in planned}
    assert by_rule["withdrawn"].due == 1
    assert by_rule["ended_groups"].due == 0
    goes = timezone.localdate() + timedelta(days=10)
    assert by_rule["ended_groups"].upcoming == [(goes, 2)]
    assert "Ada" not in page
    assert "Eva" not in page
    # Swedish month names written out here, not taken from Django's formatting.
    assert f"{goes.day} {SWEDISH_MONTHS[goes.month - 1]}: 2" in page


def test_a_relative_sees_the_day_each_thing_goes(
    client: Client,
    relative: User,
    org_a: Organisation,
    group_a: Group,
    registration_a: Registration,
) -> None:
    make_member(group_a, registration_a)
    Registration.objects.filter(pk=registration_a.pk).update(status=Status.IN_GROUP)
    client.cookies["kretsen_language"] = "en"
    sign_in_relative(client, relative)
    page = client.get("/me/data/").content.decode()
    assert f"{org_a.retention_days} days after the group ends" in page

    _end(group_a, 10)
    goes = timezone.localdate() - timedelta(days=10) + timedelta(days=org_a.retention_days)
    page = client.get("/me/data/").content.decode()
    assert page.count(f"deleted on {goes:%-d %B %Y}") == 2  # the place and the registration

    # Past its day but not yet run: the page gives the day of the next run, not a past day.
    _end(group_a, org_a.retention_days + 3)
    page = client.get("/me/data/").content.decode()
    assert page.count(f"deleted on {timezone.localdate():%-d %B %Y}") == 2

    _withdrawn(registration_a, timezone.localdate() + timedelta(days=1))
    tomorrow = timezone.localdate() + timedelta(days=1)
    page = client.get("/me/data/").content.decode()
    # The registration's card says it too: "Your information is deleted on ...".
    assert page.count(f"deleted on {tomorrow:%-d %B %Y}") == 3


# --- the texts say what the code does ----------------------------------------------------


@pytest.mark.parametrize(
    ("language", "consent", "privacy"),
    [
        ("sv", "då raderas det dagen efter", "raderas deltagarnas uppgifter 90 dagar senare"),
        ("nb", "da slettes det dagen etter", "slettes deltakernes opplysninger 90 dager senere"),
        ("en", "then it is deleted the next day", "information is deleted 90 days later"),
    ],
)
def test_the_consent_and_privacy_texts_promise_what_the_rules_do(
    client: Client,
    org_a: Organisation,
    in_org_a: None,
    language: str,
    consent: str,
    privacy: str,
) -> None:
    client.cookies["kretsen_language"] = language
    form = client.get("/o/org-a/interest/").content.decode()
    assert consent in " ".join(form.split())
    page = " ".join(client.get("/o/org-a/privacy/").content.decode().split())
    assert privacy in page
    assert org_a.retention_days == 90
    # The rule behind the words (the 90 days: test_it_keeps_members_of_an_ended_group_...).
    registration = make_registration(org_a, display_name="Vera")
    _withdrawn(registration, Registration.deletion_day_if_withdrawn())
    assert retention.apply()["withdrawn"] == 0
    assert retention.apply(timezone.now() + timedelta(days=1))["withdrawn"] == 1


def test_the_coordinator_sees_the_day_a_withdrawn_person_is_deleted(
    client: Client, coordinator_a: User, registration_a: Registration, in_org_a: None
) -> None:
    client.cookies["kretsen_language"] = "sv"
    sign_in_staff(client, coordinator_a)
    client.post(
        f"/staff/org-a/registrations/{registration_a.public_id}/status/", {"status": "withdrawn"}
    )
    tomorrow = timezone.localdate() + timedelta(days=1)
    page = client.get(f"/staff/org-a/registrations/{registration_a.public_id}/").content.decode()
    with translation.override("sv"):
        assert f"Personuppgifterna raderas den {dateformat.format(tomorrow, 'Y-m-d')}" in page


def test_the_coordinators_list_no_longer_shows_people_who_were_deleted(
    client: Client, coordinator_a: User, org_a: Organisation, in_org_a: None
) -> None:
    gone = make_registration(org_a, display_name="Gunnel")
    kept = make_registration(org_a, display_name="Karin")
    for registration in (gone, kept):
        _withdrawn(registration, _yesterday() if registration is gone else _tomorrow())
    retention.apply()
    sign_in_staff(client, coordinator_a)
    listed = client.get("/staff/org-a/registrations/", {"status": "withdrawn"}).context["page"]
    assert [r.pk for r in listed] == [kept.pk]


def test_the_group_page_says_whose_information_was_deleted_and_offers_nothing_for_them(
    client: Client,
    coordinator_a: User,
    org_a: Organisation,
    group_a: Group,
    registration_a: Registration,
) -> None:
    make_member(group_a, registration_a)
    Registration.objects.filter(pk=registration_a.pk).update(status=Status.IN_GROUP)
    _end(group_a, org_a.retention_days)
    client.cookies["kretsen_language"] = "sv"
    sign_in_staff(client, coordinator_a)
    before = client.get(f"/staff/org-a/groups/{group_a.public_id}/").content.decode()
    assert "Har slutat" in before  # offered until the run
    retention.apply()
    sign_in_staff(client, coordinator_a)
    response = client.get(f"/staff/org-a/groups/{group_a.public_id}/")
    page = response.content.decode()
    assert "Uppgifterna raderade" in page
    # No pledge to sign, nobody to mark as left (that would change the figures), no follow-up.
    for offered in (
        "Inte underskrivet",
        "Undertecknat på papper",
        "Har slutat",
        "följa upp en medlem",
    ):
        assert offered not in page
