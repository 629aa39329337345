"""Messages to members and leaders, sent by the background worker.

Planning a message creates one ``Notice`` row with a unique key, so planning it twice (two
scheduler runs, a double press) creates nothing new. Sending claims the row first by moving
it from *pending* to *sending* in one UPDATE: a task run twice, or a worker restarted
mid-run, can never send it twice. A failure puts it back to *pending* with a later
``next_attempt_at``; the scheduler retries it, up to ``MAX_ATTEMPTS``, then it is *failed* and
waits for an operator (the operator's notices page, ``/healthz``).

The moment the mail server (or the SMS gateway) accepts the message is written to
``accepted_at`` before the row is marked *sent*. A worker killed mid-send leaves the row in
*sending*; after ``SEND_TIMEOUT`` the scheduler's sweep marks it *sent* if the server had
accepted it, and otherwise puts it back to *pending* to be sent again (or *failed* when its
attempts are used up). Only a kill in the instant between the server's accept and our write
of ``accepted_at`` can still send a message twice.

Wording is neutral for everyone and minimal for people who asked for discretion: then a
message only says that the organisation has news and links to the site.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from kretsen.core import audit, mail, sms
from kretsen.core.errors import DomainError
from kretsen.groups.models import Group, GroupMember, GroupSettings, Meeting, Notice

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
RESEND_AFTER = timedelta(minutes=10)
LONGEST_REMINDER = timedelta(hours=168)
# Far beyond the mail server's time-out (EMAIL_TIMEOUT): a notice in *sending* this long was
# left by a worker that stopped.
SEND_TIMEOUT_MINUTES = 10
SEND_TIMEOUT = timedelta(minutes=SEND_TIMEOUT_MINUTES)
INTERRUPTED = "Interrupted"


def _channel(member: GroupMember) -> str | None:
    registration = member.registration
    if registration.contact_by_email and registration.email:
        return Notice.Channel.EMAIL
    if registration.contact_by_sms and registration.phone:
        return Notice.Channel.SMS
    if registration.email:
        return Notice.Channel.EMAIL
    return None


def _enqueue(notice_ids: list[int]) -> None:
    if not notice_ids:
        return
    from kretsen.groups.tasks import send_notice

    def enqueue() -> None:
        for notice_id in notice_ids:
            send_notice.enqueue(notice_id)

    transaction.on_commit(enqueue)


def _plan(key: str, **fields: object) -> Notice | None:
    notice, created = Notice.objects.get_or_create(
        key=key, defaults={**fields, "queued_at": timezone.now()}
    )
    if not created:
        return None
    _enqueue([notice.pk])
    return notice


def invitation(member: GroupMember) -> Notice | None:
    channel = _channel(member)
    if channel is None:
        return None
    return _plan(
        f"invitation:{member.pk}:{int(member.invited_at.timestamp())}",
        organisation=member.organisation,
        kind=Notice.Kind.INVITATION,
        channel=channel,
        member=member,
    )


def meeting_changed(meeting: Meeting, kind: str) -> None:
    members = meeting.group.members.filter(status=GroupMember.Status.ACTIVE).select_related(
        "registration"
    )
    for member in members:
        channel = _channel(member)
        if channel is not None:
            _plan(
                f"{kind}:{meeting.pk}:{member.pk}:{meeting.sequence}",
                organisation=meeting.organisation,
                kind=kind,
                channel=channel,
                member=member,
                meeting=meeting,
            )


def to_leaders(group: Group, event: str) -> None:
    """Tell the leaders that something waits for them on the site (never what it is)."""
    for leadership in group.leaderships.select_related("user"):
        if leadership.user.is_active:
            _plan(
                f"leaders:{event}:{leadership.user_id}",
                organisation=group.organisation,
                kind=Notice.Kind.TO_LEADERS,
                channel=Notice.Channel.EMAIL,
                staff=leadership.user,
            )


def plan_reminders(now: datetime) -> int:
    """Plan a reminder for every active member (who wants them) of every meeting that
    starts within its organisation's reminder time. Runs outside any organisation scope."""
    planned = 0
    with scopes_disabled():
        hours = dict(GroupSettings.objects.values_list("organisation_id", "reminder_hours"))
        meetings = (
            Meeting.objects.filter(
                state=Meeting.State.SCHEDULED,
                starts_at__gt=now,
                starts_at__lte=now + LONGEST_REMINDER,
            )
            .exclude(group__state=Group.State.ENDED)
            .select_related("group", "organisation")
        )
        for meeting in meetings:
            lead = timedelta(hours=hours.get(meeting.organisation_id, 24))
            if meeting.starts_at - lead > now:
                continue
            absent = set(meeting.absences.values_list("member_id", flat=True))
            members = meeting.group.members.filter(
                status=GroupMember.Status.ACTIVE, reminders=True
            ).select_related("registration")
            for member in members:
                channel = _channel(member)
                if member.pk in absent or channel is None:
                    continue
                if _plan(
                    f"reminder:{meeting.pk}:{member.pk}:{meeting.sequence}",
                    organisation=meeting.organisation,
                    kind=Notice.Kind.REMINDER,
                    channel=channel,
                    member=member,
                    meeting=meeting,
                ):
                    planned += 1
    return planned


def enqueue_due(now: datetime) -> int:
    """Queue pending notices whose time has come and that no task is about to send."""
    with scopes_disabled():
        due = Notice.objects.filter(state=Notice.State.PENDING, next_attempt_at__lte=now).filter(
            Q(queued_at__isnull=True) | Q(queued_at__lt=now - RESEND_AFTER)
        )
        ids = list(due.values_list("pk", flat=True)[:500])
        if ids:
            Notice.objects.filter(pk__in=ids).update(queued_at=now)
            _enqueue(ids)
    return len(ids)


def _stuck(now: datetime) -> Q:
    return Q(state=Notice.State.SENDING, claimed_at__lt=now - SEND_TIMEOUT)


def sweep_stuck(now: datetime) -> tuple[int, int, int]:
    """Settle notices left in *sending* longer than ``SEND_TIMEOUT`` by a stopped worker:
    (marked sent because the server had accepted them, put back to be sent again, given up
    for an operator). Each is one conditional UPDATE, so two schedulers settle a row once."""
    with scopes_disabled():
        stuck = Notice.objects.filter(_stuck(now))
        accepted = stuck.filter(accepted_at__isnull=False).update(
            state=Notice.State.SENT, sent_at=F("accepted_at"), error=""
        )
        not_accepted = stuck.filter(accepted_at__isnull=True)
        given_up = not_accepted.filter(attempts__gte=MAX_ATTEMPTS).update(
            state=Notice.State.FAILED, error=INTERRUPTED
        )
        retried = not_accepted.update(
            state=Notice.State.PENDING, next_attempt_at=now, queued_at=None, error=INTERRUPTED
        )
    if given_up:
        logger.warning("Notices given up after an interrupted send: %s", given_up)
    return accepted, retried, given_up


def needing_attention(now: datetime | None = None) -> dict[str, int]:
    """How many notices wait for an operator (failed) or hang in *sending* (stuck)."""
    now = now or timezone.now()
    with scopes_disabled():
        return {
            "failed": Notice.objects.filter(state=Notice.State.FAILED).count(),
            "stuck": Notice.objects.filter(_stuck(now)).count(),
        }


def for_operator(now: datetime | None = None) -> list[Notice]:
    """Failed and stuck notices of every organisation, for the platform operator's page.

    Cross-tenant on purpose: the operator looks after the platform, not one organisation."""
    now = now or timezone.now()
    with scopes_disabled():
        return list(
            Notice.objects.filter(Q(state=Notice.State.FAILED) | _stuck(now))
            .select_related("organisation")
            .order_by("created_at")[:500]
        )


def send_again(request: HttpRequest, notice_id: int) -> None:
    """An operator sends a failed notice again (after mending the mail settings, say): it
    gets a fresh set of attempts and the scheduler queues it on its next round."""
    with scopes_disabled():
        again = Notice.objects.filter(pk=notice_id, state=Notice.State.FAILED).update(
            state=Notice.State.PENDING,
            attempts=0,
            next_attempt_at=timezone.now(),
            queued_at=None,
            claimed_at=None,
            accepted_at=None,
            error="",
        )
        if not again:
            raise DomainError(_("This message is not waiting to be sent again."))
        notice = Notice.objects.select_related("organisation").get(pk=notice_id)
    audit.log(request, "groups.notice.sent_again", notice, data={"kind": notice.kind})


def health_facts(now: datetime) -> dict[str, object]:
    """For ``/healthz``: counts only, no recipient and no organisation."""
    counts = needing_attention(now)
    return {"ok": not any(counts.values()), **counts}


def tick(now: datetime | None = None) -> tuple[int, int]:
    """One round of the scheduler: plan reminders, settle stuck notices, queue what is due."""
    now = now or timezone.now()
    with transaction.atomic():
        planned = plan_reminders(now)
    with transaction.atomic():
        sweep_stuck(now)
        queued = enqueue_due(now)
    return planned, queued


def deliver(notice_id: int) -> bool:
    """Send one notice unless it was sent or is being sent. True when it was sent now.

    Runs inside the notice's organisation scope (``send_notice`` opens it)."""
    now = timezone.now()
    claimed = Notice.objects.filter(
        pk=notice_id, state=Notice.State.PENDING, next_attempt_at__lte=now
    ).update(state=Notice.State.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    if not claimed:
        return False
    notice = Notice.objects.select_related(
        "organisation",
        "member__registration",
        "member__group",
        "staff",
        "meeting",
    ).get(pk=notice_id)
    # Later writes name this claim, so a worker that outlived the sweep changes nothing.
    this_claim = Notice.objects.filter(pk=notice.pk, state=Notice.State.SENDING, claimed_at=now)
    try:
        _send(notice)
    except Exception as error:
        failed = notice.attempts >= MAX_ATTEMPTS
        this_claim.update(
            state=Notice.State.FAILED if failed else Notice.State.PENDING,
            next_attempt_at=now + timedelta(minutes=2**notice.attempts),
            queued_at=None,
            error=type(error).__name__[:200],
        )
        logger.warning(
            "Notice %s not sent (attempt %s): %s",
            notice.pk,
            notice.attempts,
            type(error).__name__,
        )
        return False
    this_claim.update(accepted_at=timezone.now())
    this_claim.update(state=Notice.State.SENT, sent_at=F("accepted_at"), error="")
    return True


def _send(notice: Notice) -> None:
    organisation = notice.organisation
    if notice.staff is not None:
        language = notice.staff.language
        address = notice.staff.email
        discreet = True
        link = settings.SITE_URL + reverse("core:staff-home")
    else:
        assert notice.member is not None
        registration = notice.member.registration
        language = registration.ui_language or organisation.default_language
        address = (
            registration.email if notice.channel == Notice.Channel.EMAIL else registration.phone
        )
        discreet = registration.is_discreet
        link = settings.SITE_URL + reverse("core:me")
    when = ""
    if notice.meeting is not None:
        with translation.override(language):
            when = formats.date_format(
                timezone.localtime(notice.meeting.starts_at, organisation.zone), "DATETIME_FORMAT"
            )
    context = {
        "organisation": organisation.name,
        "kind": notice.kind,
        "discreet": discreet,
        "when": when,
        "link": link,
    }
    if notice.channel == Notice.Channel.SMS:
        with translation.override(language):
            text = render_to_string("groups/sms/notice.txt", context).strip()
        sms.send(address, " ".join(text.split()))
    else:
        mail.send(address, language, "groups/mail/notice", context)
