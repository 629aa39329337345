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
``proposals``      group proposals (snapshots of the waiting list: areas, times) 30 days
                   after they were made, or at once when they name a deleted person.
``task_records``   finished background-task records older than a day (they hold e-mail
                   addresses of sign-in requests).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable
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
from kretsen.matching.models import Proposal

# What an anonymised person is called where a name is required (lists of members).
ANONYMISED = "–"
# The daily run is queued at this hour (the organisation's local time) or as soon after.
RUN_HOUR = 3
# Group proposals (snapshots of the waiting list) are kept this long.
PROPOSAL_DAYS = 30
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
    "proposals": _("Group proposals that are finished or name deleted people"),
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


def schedule_for(user: User) -> list[Goes]:
    """When each thing stored about ``user`` goes, in the order of the data page. A day
    already past shows as the day of the next run, when it will really go."""
    next_run = next_run_day()

    def shown(day: date | None) -> date:
        return max(day or next_run, next_run)

    lines: list[Goes] = []
    with scopes_disabled():
        own = Registration.objects.filter(user=user, anonymised_at__isnull=True).select_related(
            "organisation"
        )
        for registration in own.order_by("created_at"):
            organisation = registration.organisation
            days = organisation.retention_days
            withdrawn = registration.status == Status.WITHDRAWN
            memberships = registration.memberships.filter(anonymised_at__isnull=True)
            ends: list[date | None] = []
            for member in memberships.select_related("group__organisation"):
                day = group_deletion_day(member.group)
                ends.append(day)
                what = str(
                    _("%(group)s: your place, pledge, absences, answers and feedback")
                    % {"group": member.group.name}
                )
                if withdrawn:
                    lines.append(Goes(what, shown(registration.delete_after)))
                elif day is not None:
                    lines.append(Goes(what, shown(day)))
                else:
                    lines.append(Goes(what, None, _after_the_group(days)))
            what = str(
                _("%(organisation)s: your registration, contact details and intake notes")
                % {"organisation": organisation.name}
            )
            if withdrawn:
                lines.append(Goes(what, shown(registration.delete_after)))
            elif registration.status in LIVE_STATUSES or not ends:
                lines.append(Goes(what, None, str(_("the day after you withdraw"))))
            elif all(ends):
                lines.append(Goes(what, shown(max(day for day in ends if day))))
            else:
                lines.append(Goes(what, None, _after_the_group(days)))
    lines.append(
        Goes(
            str(_("Your e-mail address for signing in")),
            None,
            str(_("when the last of the above is deleted")),
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
# Each works on a set of ids with a fixed number of queries, so a night with many people due
# costs little more than one with a few (docs/benchmarks.md).


def anonymise_registrations(ids: Collection[int], now: datetime) -> int:
    """Remove everything that identifies the people or that they or staff wrote about them;
    keep relation, condition, format, dates, status and the intake outcome for the figures."""
    if not ids:
        return 0
    Registration.objects.filter(pk__in=ids).update(
        display_name=ANONYMISED,
        phone="",
        email="",
        email_hash="",
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
    ContactAttempt.objects.filter(registration__in=ids).delete()
    # Their own lists of people to keep apart, and others' lists naming them.
    never_with = Intake.never_with.through.objects
    never_with.filter(Q(intake__registration__in=ids) | Q(registration__in=ids)).delete()
    Intake.objects.filter(registration__in=ids).update(
        situation=None,
        readiness_reason=None,
        next_step="",
        area="",
        availability=0,
        shared_pool=False,
        held_by=None,
    )
    return len(ids)


def anonymise_members(ids: Collection[int], now: datetime) -> int:
    """Remove what the memberships hold about the people; keep status, dates and attendance,
    the questionnaire scores and the feedback answers for the figures."""
    if not ids:
        return 0
    GroupMember.objects.filter(pk__in=ids).update(
        display_name=ANONYMISED, leave_reason=None, reminders=False, anonymised_at=now
    )
    Group.objects.filter(contact_member__in=ids).update(contact_member=None)
    PledgeSignature.objects.filter(member__in=ids).delete()
    AbsenceNotice.objects.filter(member__in=ids).delete()
    FollowUp.objects.filter(member__in=ids).delete()
    Notice.objects.filter(member__in=ids).delete()
    questionnaires = QuestionnaireRequest.objects.filter(member__in=ids)
    questionnaires.exclude(state=QuestionnaireRequest.State.ANSWERED).delete()
    questionnaires.update(answers={})
    MeetingFeedback.objects.filter(member__in=ids).update(takeaway=None, show_name=False)
    return len(ids)


# --- the rules -----------------------------------------------------------------------------


def _apply_withdrawn(organisation: Organisation, today: date, now: datetime) -> int:
    due = _withdrawn(organisation).filter(Q(delete_after__lte=today) | Q(delete_after=None))
    return anonymise_registrations(list(due.values_list("pk", flat=True)), now)


def _apply_ended_groups(organisation: Organisation, today: date, now: datetime) -> int:
    groups = Group.objects.filter(organisation=organisation, state=Group.State.ENDED)
    due = [
        group.pk
        for group in groups.select_related("organisation")
        if (day := group_deletion_day(group)) is not None and day <= today
    ]
    if not due:
        return 0
    Meeting.objects.filter(group__in=due).exclude(note=None).update(note=None)
    Attendance.objects.filter(meeting__group__in=due, visitor_name__isnull=False).update(
        visitor_name=""
    )
    members = GroupMember.objects.filter(group__in=due, anonymised_at__isnull=True)
    member_ids = list(members.values_list("pk", flat=True))
    candidates = set(
        Registration.objects.filter(memberships__in=member_ids, anonymised_at__isnull=True)
        .exclude(status__in=LIVE_STATUSES)
        .values_list("pk", flat=True)
    )
    # Still in a group that runs, or one whose period has not run out (every group of the
    # organisation that is not due now).
    elsewhere = set(
        GroupMember.objects.filter(registration__in=candidates)
        .exclude(group__in=due)
        .values_list("registration", flat=True)
    )
    anonymise_members(member_ids, now)
    anonymise_registrations(candidates - elsewhere, now)
    return len(member_ids)


def _apply_deleted_people(organisation: Organisation, now: datetime) -> int:
    return anonymise_members(
        list(_leftover_members(organisation).values_list("pk", flat=True)), now
    )


def _apply_relatives(now: datetime) -> int:
    # A day's margin: the interest form creates the identity just before the registration.
    lonely = list(
        User.objects.relatives().filter(
            registrations__isnull=True, date_joined__lt=now - timedelta(days=1)
        )
    )
    for user in lonely:
        audit.pseudonymise_actor(user)
    User.objects.filter(pk__in=[user.pk for user in lonely]).delete()
    return len(lonely)


def _apply_sign_in_links(now: datetime) -> int:
    return SignInLink.objects.filter(expires_at__lt=now).delete()[0]


def _apply_calendar_tokens() -> int:
    return CalendarToken.objects.filter(revoked_at__isnull=False).delete()[0]


def _apply_proposals(now: datetime) -> int:
    """Proposals hold a snapshot of the people on the waiting list (area, times, age band):
    gone 30 days after they were made, and at once when they name a deleted person."""
    working = (Proposal.State.QUEUED, Proposal.State.RUNNING)
    proposals = Proposal.objects.exclude(state__in=working)
    gone = {
        str(public_id)
        for public_id in Registration.objects.filter(anonymised_at__isnull=False).values_list(
            "public_id", flat=True
        )
    }
    naming = [
        pk
        for pk, problem in proposals.values_list("pk", "problem")
        if any(person.get("id") in gone for person in problem.get("people", []))
    ]
    stale = proposals.filter(created_at__lt=now - timedelta(days=PROPOSAL_DAYS))
    _total, deleted = proposals.filter(Q(pk__in=naming) | Q(pk__in=stale.values("pk"))).delete()
    return deleted.get(Proposal._meta.label, 0)


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
        counts["proposals"] = _apply_proposals(now)
        counts["task_records"] = _apply_task_records(now)
    return counts


# --- the daily run -------------------------------------------------------------------------


def last_run() -> RetentionRun | None:
    """The last finished run. Runs are the whole installation's, one a day, not an
    organisation's: they hold counts only."""
    with scopes_disabled():
        return RetentionRun.objects.filter(finished_at__isnull=False).first()


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
