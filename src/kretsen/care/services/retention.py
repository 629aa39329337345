"""Retention: what the organisation's rules and the pages' texts say goes, goes (decision 0085).

A daily run (``manage.py apply_retention``, queued every morning by the scheduler) applies
the rules below. A person's rows are anonymised rather than deleted where the dashboard
counts them (registration, intake outcome, membership, attendance, questionnaire scores,
feedback answers), so that its figures stay the same; everything that could identify the
person or that they wrote is removed. Every rule selects only what it has not yet done, so
a second run on the same day changes nothing.

The rules, in the order they run:

``withdrawn``      registrations withdrawn, on their ``delete_after`` day (the day after the
                   withdrawal): contact details, what they wrote, the intake notes, contact
                   attempts; the sign-in identity when nothing else needs it.
``ended_groups``   members of groups that ended ``retention_days`` ago, and the groups'
                   meeting notes and drop-in visitors' names; the registration too when the
                   person is not waiting for or taking part in anything else.
``deleted_people`` what the memberships of anonymised registrations still hold: the pledge,
                   absence messages, follow-ups, questionnaire items, feedback texts, notices.
``relatives``      sign-in identities of relatives with no registration left: the audit trail
                   keeps their rows under a pseudonym, then the identity is deleted.
``sign_in_links``  sign-in links past their expiry.
``calendar_tokens`` revoked calendar addresses.
``task_records``   finished background-task records older than a day (they hold e-mail
                   addresses of sign-in requests).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_scopes import scope, scopes_disabled
from django_tasks_db.models import DBTaskResult

from kretsen.care.models import FollowUp, MeetingFeedback, QuestionnaireRequest, RetentionRun
from kretsen.core import audit
from kretsen.core.models import Organisation, SignInLink, User
from kretsen.groups.models import (
    AbsenceNotice,
    Attendance,
    CalendarToken,
    Group,
    GroupMember,
    Meeting,
    Notice,
    PledgeSignature,
)
from kretsen.intake.models import ContactAttempt, Intake, Registration, Status

# What an anonymised person is called where a name is required (lists of members).
ANONYMISED = "–"
# The daily run is queued at this hour (the organisation's local time) or as soon after.
RUN_HOUR = 3
# How far ahead the admin's preview lists what is coming.
PREVIEW_DAYS = 60
# Statuses of a registration that still wait for or take part in something.
LIVE_STATUSES = (
    Status.NEW,
    Status.CONTACTED,
    Status.INTAKE_DONE,
    Status.WAITING_LIST,
    Status.INDIVIDUAL_SUPPORT,
)

RULES: dict[str, Promise] = {
    "withdrawn": _("People who withdrew"),
    "ended_groups": _("Members of groups that ended"),
    "deleted_people": _("Group records of people whose information was deleted"),
    "relatives": _("Sign-in identities with nothing left to sign in to"),
    "sign_in_links": _("Expired sign-in links"),
    "calendar_tokens": _("Calendar addresses that were switched off"),
    "task_records": _("Records of finished background work"),
}


# --- dates ---------------------------------------------------------------------------------


def ended_on(group: Group) -> date:
    return timezone.localtime(group.state_changed_at, group.organisation.zone).date()


def group_deletion_day(group: Group) -> date | None:
    """The day the members' information goes, or None while the group has not ended."""
    if group.state != Group.State.ENDED:
        return None
    return ended_on(group) + timedelta(days=group.organisation.retention_days)


def next_run_day(now: datetime | None = None) -> date:
    """The day of the next daily run: today until it has run, else tomorrow."""
    today = timezone.localtime(now or timezone.now()).date()
    with scopes_disabled():
        ran_today = RetentionRun.objects.filter(day=today).exists()
    return today + timedelta(days=1) if ran_today else today


@dataclass
class Planned:
    """What one rule will remove for one organisation: due at the next run, then by day."""

    key: str
    label: str
    due: int = 0
    upcoming: list[tuple[date, int]] = field(default_factory=list)


def _by_day(days: Iterable[date | None], next_run: date, until: date) -> tuple[int, list]:
    counted = Counter(day for day in days if day is not None)
    due = sum(count for day, count in counted.items() if day <= next_run)
    later = sorted((day, count) for day, count in counted.items() if next_run < day <= until)
    return due, later


def plan(organisation: Organisation, now: datetime | None = None) -> tuple[date, list[Planned]]:
    """The admin's preview: per rule of the organisation, how many people the next run
    removes and on which days the following ones fall. Counts only, no names."""
    next_run = next_run_day(now)
    until = next_run + timedelta(days=PREVIEW_DAYS)
    with scope(organisation=organisation.pk):
        withdrawn = _withdrawn(organisation).values_list("delete_after", flat=True)
        ended_members = _ended_members(organisation).select_related("group__organisation")
        leftovers = _leftover_members(organisation).count()
        withdrawn_due, withdrawn_later = _by_day(
            [day or next_run for day in withdrawn], next_run, until
        )
        ended_due, ended_later = _by_day(
            [group_deletion_day(member.group) for member in ended_members], next_run, until
        )
    return next_run, [
        Planned("withdrawn", str(RULES["withdrawn"]), withdrawn_due, withdrawn_later),
        Planned("ended_groups", str(RULES["ended_groups"]), ended_due, ended_later),
        Planned("deleted_people", str(RULES["deleted_people"]), leftovers, []),
    ]


@dataclass
class Goes:
    """One line of a relative's "what we store" page: what goes, and when."""

    what: str
    on: date | None
    until: str = ""


def _after_the_group(days: int) -> str:
    return ngettext(
        "%(days)s day after the group ends", "%(days)s days after the group ends", days
    ) % {"days": days}


def schedule_for(user: User, today: date | None = None) -> list[Goes]:
    """When each thing stored about ``user`` goes, in the order of the data page."""
    today = today or timezone.localdate()
    lines: list[Goes] = []
    with scopes_disabled():
        own = Registration.objects.filter(user=user, anonymised_at__isnull=True).select_related(
            "organisation"
        )
        for registration in own.order_by("created_at"):
            organisation = registration.organisation
            days = organisation.retention_days
            memberships = registration.memberships.filter(anonymised_at__isnull=True)
            ends: list[date | None] = []
            for member in memberships.select_related("group__organisation"):
                day = group_deletion_day(member.group)
                ends.append(day)
                lines.append(
                    Goes(
                        str(
                            _("%(group)s: your place, pledge, absences, answers and feedback")
                            % {"group": member.group.name}
                        ),
                        registration.delete_after
                        if registration.status == Status.WITHDRAWN
                        else day,
                        ""
                        if day or registration.status == Status.WITHDRAWN
                        else _after_the_group(days),
                    )
                )
            what = str(
                _("%(organisation)s: your registration, contact details and intake notes")
                % {"organisation": organisation.name}
            )
            if registration.status == Status.WITHDRAWN:
                lines.append(Goes(what, registration.delete_after))
            elif registration.status in LIVE_STATUSES or not ends:
                lines.append(Goes(what, None, str(_("the day after you withdraw"))))
            elif all(ends):
                lines.append(Goes(what, max(day for day in ends if day)))
            else:
                lines.append(Goes(what, None, _after_the_group(days)))
    lines.append(
        Goes(
            str(_("Your e-mail address for signing in")),
            None,
            str(_("the day after nothing else is stored about you")),
        )
    )
    return lines


# --- selections ----------------------------------------------------------------------------


def _withdrawn(organisation: Organisation) -> QuerySet[Registration]:
    return Registration.objects.filter(
        organisation=organisation, status=Status.WITHDRAWN, anonymised_at__isnull=True
    )


def _ended_members(organisation: Organisation) -> QuerySet[GroupMember]:
    return GroupMember.objects.filter(
        organisation=organisation, group__state=Group.State.ENDED, anonymised_at__isnull=True
    )


def _leftover_members(organisation: Organisation) -> QuerySet[GroupMember]:
    return GroupMember.objects.filter(
        organisation=organisation,
        registration__anonymised_at__isnull=False,
        anonymised_at__isnull=True,
    )


# --- anonymising ---------------------------------------------------------------------------


def anonymise_registration(registration: Registration, now: datetime) -> None:
    """Remove everything that identifies the person or that they or staff wrote about them;
    keep relation, condition, format, dates, status and the intake outcome for the figures."""
    Registration.objects.filter(pk=registration.pk).update(
        display_name=ANONYMISED,
        phone="",
        email="",
        contact_by_phone=False,
        contact_by_sms=False,
        contact_by_email=False,
        contact_times=[],
        contact_note="",
        no_messages=False,
        no_topic=False,
        age_band="",
        gender="",
        languages=0,
        wish=None,
        user=None,
        assigned_to=None,
        anonymised_at=now,
    )
    ContactAttempt.objects.filter(registration=registration).delete()
    intake = Intake.objects.filter(registration=registration).first()
    if intake is not None:
        intake.never_with.clear()
        Intake.objects.filter(pk=intake.pk).update(
            situation=None,
            readiness_reason=None,
            next_step="",
            area="",
            availability=0,
            shared_pool=False,
            held_by=None,
        )
    # Others' lists of people to keep apart from this one.
    Intake.never_with.through.objects.filter(registration_id=registration.pk).delete()


def anonymise_member(member: GroupMember, now: datetime) -> None:
    """Remove what a membership holds about the person; keep status, dates and attendance,
    the questionnaire scores and the feedback answers for the figures."""
    GroupMember.objects.filter(pk=member.pk).update(
        display_name=ANONYMISED, leave_reason=None, reminders=False, anonymised_at=now
    )
    Group.objects.filter(contact_member=member).update(contact_member=None)
    PledgeSignature.objects.filter(member=member).delete()
    AbsenceNotice.objects.filter(member=member).delete()
    FollowUp.objects.filter(member=member).delete()
    Notice.objects.filter(member=member).delete()
    QuestionnaireRequest.objects.filter(member=member).exclude(
        state=QuestionnaireRequest.State.ANSWERED
    ).delete()
    QuestionnaireRequest.objects.filter(member=member).update(answers={})
    MeetingFeedback.objects.filter(member=member).update(takeaway=None, show_name=False)


# --- the rules -----------------------------------------------------------------------------


def _apply_withdrawn(organisation: Organisation, today: date, now: datetime) -> int:
    due = _withdrawn(organisation).filter(Q(delete_after__lte=today) | Q(delete_after=None))
    count = 0
    for registration in due:
        anonymise_registration(registration, now)
        count += 1
    return count


def _apply_ended_groups(organisation: Organisation, today: date, now: datetime) -> int:
    count = 0
    groups = Group.objects.filter(organisation=organisation, state=Group.State.ENDED)
    for group in groups.select_related("organisation"):
        day = group_deletion_day(group)
        if day is None or day > today:
            continue
        Meeting.objects.filter(group=group).exclude(note=None).update(note=None)
        Attendance.objects.filter(meeting__group=group).exclude(visitor_name="").update(
            visitor_name=""
        )
        for member in group.members.filter(anonymised_at__isnull=True).select_related(
            "registration"
        ):
            anonymise_member(member, now)
            count += 1
            registration = member.registration
            if registration.anonymised_at is None and not _still_needed(registration, today):
                anonymise_registration(registration, now)
    return count


def _still_needed(registration: Registration, today: date) -> bool:
    """True while the person waits for or takes part in something, or has a group whose
    period has not run out."""
    if registration.status in LIVE_STATUSES:
        return True
    for member in registration.memberships.select_related("group__organisation"):
        day = group_deletion_day(member.group)
        if day is None or day > today:
            return True
    return False


def _apply_deleted_people(organisation: Organisation, now: datetime) -> int:
    count = 0
    for member in _leftover_members(organisation):
        anonymise_member(member, now)
        count += 1
    return count


def _apply_relatives(now: datetime) -> int:
    # A day's margin: the interest form creates the identity just before the registration.
    lonely = User.objects.relatives().filter(
        registrations__isnull=True, date_joined__lt=now - timedelta(days=1)
    )
    count = 0
    for user in lonely:
        audit.pseudonymise_actor(user)
        user.delete()
        count += 1
    return count


def _apply_sign_in_links(now: datetime) -> int:
    return SignInLink.objects.filter(expires_at__lt=now).delete()[0]


def _apply_calendar_tokens() -> int:
    return CalendarToken.objects.filter(revoked_at__isnull=False).delete()[0]


def _apply_task_records(now: datetime) -> int:
    finished = DBTaskResult.objects.filter(finished_at__lt=now - timedelta(days=1))
    return finished.delete()[0]


def apply(now: datetime | None = None) -> dict[str, int]:
    """Apply every rule once; returns the number of people or rows per rule."""
    now = now or timezone.now()
    counts = dict.fromkeys(RULES, 0)
    with scopes_disabled():
        organisations = list(Organisation.objects.all())
    for organisation in organisations:
        today = timezone.localtime(now, organisation.zone).date()
        with transaction.atomic(), scope(organisation=organisation.pk):
            counts["withdrawn"] += _apply_withdrawn(organisation, today, now)
            counts["ended_groups"] += _apply_ended_groups(organisation, today, now)
            counts["deleted_people"] += _apply_deleted_people(organisation, now)
    with transaction.atomic(), scopes_disabled():
        counts["relatives"] = _apply_relatives(now)
        counts["sign_in_links"] = _apply_sign_in_links(now)
        counts["calendar_tokens"] = _apply_calendar_tokens()
        counts["task_records"] = _apply_task_records(now)
    return counts


# --- the daily run -------------------------------------------------------------------------


def claim_daily_run(now: datetime | None = None) -> RetentionRun | None:
    """The scheduler's part: from RUN_HOUR on, claim today's run once (a unique day)."""
    local = timezone.localtime(now or timezone.now())
    if local.time() < time(RUN_HOUR):
        return None
    with scopes_disabled():
        run, created = RetentionRun.objects.get_or_create(day=local.date())
    return run if created else None


def run_daily(run_id: int) -> dict[str, int]:
    counts = apply()
    with scopes_disabled():
        RetentionRun.objects.filter(pk=run_id).update(finished_at=timezone.now(), counts=counts)
    return counts


def queue_daily_run() -> bool:
    """Registered with :mod:`kretsen.core.periodic`: queue today's run once it is due."""
    run = claim_daily_run()
    if run is None:
        return False
    from kretsen.care.tasks import apply_retention  # the tasks module imports this one

    run_id = run.pk
    transaction.on_commit(lambda: apply_retention.enqueue(run_id))
    return True
