"""Members: places offered from the waiting list, answers, the pledge, absences, leaving."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from kretsen.core import audit
from kretsen.core.errors import DomainError
from kretsen.core.formatting import plain
from kretsen.core.models import User
from kretsen.groups import signals, texts
from kretsen.groups.models import (
    AbsenceNotice,
    Group,
    GroupMember,
    GroupText,
    Meeting,
    Notice,
    PledgeSignature,
)
from kretsen.groups.services import notices
from kretsen.intake.models import Intake, Readiness, Registration, Status

MESSAGE_MAX = 1000


def candidates(group: Group) -> QuerySet[Registration]:
    """People on the waiting list who were assessed ready and hold no place in this group."""
    taken = GroupMember.objects.filter(group=group).values("registration_id")
    ready = Intake.objects.filter(readiness=Readiness.READY).values("registration_id")
    return (
        Registration.objects.filter(status=Status.WAITING_LIST, pk__in=ready)
        .exclude(pk__in=taken)
        .select_related("offer")
        .order_by("waiting_since", "created_at", "pk")
    )


def places_taken(group: Group) -> int:
    return GroupMember.objects.filter(group=group, status__in=GroupMember.TAKING_A_PLACE).count()


@transaction.atomic
def invite(request: HttpRequest, group: Group, people: list[Registration]) -> list[GroupMember]:
    """Offer each person a place; each gets an invitation through a channel they allow."""
    if group.state == Group.State.ENDED:
        raise DomainError(_("This group has ended."))
    # Lock the group row so that two coordinators cannot both fill the last place.
    Group.objects.select_for_update().filter(pk=group.pk).first()
    free = group.max_size - places_taken(group)
    if len(people) > free:
        raise DomainError(
            ngettext(
                "The group has room for %(count)d more person.",
                "The group has room for %(count)d more people.",
                free,
            )
            % {"count": free}
        )
    invited = []
    for registration in people:
        existing = GroupMember.objects.filter(group=group, registration=registration).first()
        if existing is not None and existing.takes_a_place:
            raise DomainError(
                _("%(name)s is already in this group.") % {"name": registration.display_name}
            )
        if registration.status == Status.WITHDRAWN:
            raise DomainError(_("%(name)s has withdrawn.") % {"name": registration.display_name})
        if existing is None:
            try:
                with transaction.atomic():
                    member = GroupMember.objects.create(
                        group=group,
                        organisation=group.organisation,
                        registration=registration,
                        display_name=registration.display_name,
                    )
            except IntegrityError as error:
                raise DomainError(
                    _("%(name)s is already in this group.") % {"name": registration.display_name}
                ) from error
        else:
            member = existing
            member.status = GroupMember.Status.INVITED
            member.invited_at = timezone.now()
            member.left_on = None
            member.save(update_fields=["status", "invited_at", "left_on"])
        notices.invitation(member)
        audit.log(request, "groups.member.invited", member, data={"group": str(group.public_id)})
        invited.append(member)
    return invited


def _accept(member: GroupMember) -> None:
    member.status = GroupMember.Status.ACTIVE
    member.joined_on = member.joined_on or timezone.localdate()
    member.save(update_fields=["status", "joined_on"])
    signals.member_activated.send(sender=GroupMember, member=member)
    registration = member.registration
    if registration.status == Status.WAITING_LIST:
        registration.status = Status.IN_GROUP
        registration.status_changed_at = timezone.now()
        registration.waiting_since = None
        registration.save(update_fields=["status", "status_changed_at", "waiting_since"])


@transaction.atomic
def answer(request: HttpRequest, member: GroupMember, accept: bool) -> None:
    """The invited person's answer, given by them or recorded by the coordinator."""
    if member.status == (GroupMember.Status.ACTIVE if accept else GroupMember.Status.DECLINED):
        return  # the same answer twice (a double press) changes nothing
    if member.status != GroupMember.Status.INVITED:
        raise DomainError(_("This invitation has already been answered."))
    if accept:
        if member.group.state == Group.State.ENDED:
            raise DomainError(_("This group has ended."))
        _accept(member)
    else:
        member.status = GroupMember.Status.DECLINED
        member.save(update_fields=["status"])
    audit.log(
        request,
        "groups.member.accepted" if accept else "groups.member.declined",
        member,
        organisation=member.organisation,
    )


@transaction.atomic
def leave(request: HttpRequest, member: GroupMember, reason: str, *, by_member: bool) -> None:
    if member.status == GroupMember.Status.LEFT:
        return
    if member.status not in GroupMember.TAKING_A_PLACE:
        raise DomainError(_("This person is not a member of the group."))
    member.status = GroupMember.Status.LEFT
    member.left_on = timezone.localdate()
    member.leave_reason = plain(reason)[:MESSAGE_MAX] or None
    member.save(update_fields=["status", "left_on", "leave_reason"])
    if member.group.contact_member_id == member.pk:
        member.group.contact_member = None
        member.group.save(update_fields=["contact_member"])
    audit.log(
        request,
        "groups.member.left",
        member,
        organisation=member.organisation,
        data={"by_member": by_member},
    )
    if by_member:
        notices.to_leaders(member.group, f"left:{member.pk}")


@transaction.atomic
def sign_pledge(request: HttpRequest, member: GroupMember, signed_name: str, language: str) -> None:
    if member.status not in GroupMember.TAKING_A_PLACE:
        raise DomainError(_("Only members of the group sign its pledge."))
    current = texts.text_for(member.organisation, GroupText.Kind.PLEDGE, language)
    if has_signed(member, current.version):
        return
    PledgeSignature.objects.create(
        member=member,
        organisation=member.organisation,
        version=current.version,
        language=current.language,
        text=current.text,
        signed_name=plain(signed_name)[:80],
        method=PledgeSignature.Method.ONLINE,
    )
    audit.log(
        request,
        "groups.pledge.signed",
        member,
        organisation=member.organisation,
        data={"version": current.version},
    )


@transaction.atomic
def record_paper_pledge(request: HttpRequest, member: GroupMember, recorded_by: User) -> None:
    if member.status not in GroupMember.TAKING_A_PLACE:
        raise DomainError(_("Only members of the group sign its pledge."))
    organisation = member.organisation
    current = texts.text_for(organisation, GroupText.Kind.PLEDGE, organisation.default_language)
    if has_signed(member, current.version):
        return
    PledgeSignature.objects.create(
        member=member,
        organisation=organisation,
        version=current.version,
        language=current.language,
        text=current.text,
        signed_name=member.display_name,
        method=PledgeSignature.Method.PAPER,
        recorded_by=recorded_by,
    )
    audit.log(request, "groups.pledge.recorded_on_paper", member, data={"version": current.version})


def has_signed(member: GroupMember, version: int | None = None) -> bool:
    """Signed the pledge in force (or, without a version, any version)."""
    signatures = PledgeSignature.objects.filter(member=member)
    if version is not None:
        signatures = signatures.filter(version=version)
    return signatures.exists()


def signed_member_ids(group: Group) -> set[int]:
    """Members who signed the pledge now in force."""
    version = texts.text_for(group.organisation, GroupText.Kind.PLEDGE, "sv").version
    return set(
        PledgeSignature.objects.filter(member__group=group, version=version).values_list(
            "member_id", flat=True
        )
    )


@transaction.atomic
def notify_absence(
    request: HttpRequest, member: GroupMember, meeting: Meeting, message: str
) -> AbsenceNotice:
    if meeting.group_id != member.group_id or member.status != GroupMember.Status.ACTIVE:
        raise DomainError(_("This meeting is not one of yours."))
    if meeting.is_cancelled:
        raise DomainError(_("This meeting is cancelled."))
    if meeting.has_started():
        raise DomainError(_("This meeting has already started."))
    notice, created = AbsenceNotice.objects.get_or_create(
        meeting=meeting, member=member, defaults={"organisation": member.organisation}
    )
    cleaned = plain(message)[:MESSAGE_MAX]
    if cleaned or created:
        notice.message = cleaned or notice.message
        notice.save()
    audit.log(
        request,
        "groups.absence.notified",
        member,
        organisation=member.organisation,
        data={"meeting": str(meeting.public_id)},
    )
    if cleaned:
        notices.to_leaders(member.group, f"absence:{notice.pk}:{int(timezone.now().timestamp())}")
    # A reminder for a meeting they will not come to is only noise.
    Notice.objects.filter(
        meeting=meeting, member=member, kind=Notice.Kind.REMINDER, state=Notice.State.PENDING
    ).delete()
    return notice


@transaction.atomic
def withdraw_absence(request: HttpRequest, member: GroupMember, meeting: Meeting) -> bool:
    """ "I can come after all": the absence notice goes, until the meeting starts.

    Returns whether there was a notice to take back; a second press changes nothing. The
    leaders hear of it only if they had been sent the first notice's message."""
    if meeting.group_id != member.group_id or member.status != GroupMember.Status.ACTIVE:
        raise DomainError(_("This meeting is not one of yours."))
    if meeting.has_started():
        raise DomainError(_("This meeting has already started."))
    notice = AbsenceNotice.objects.filter(meeting=meeting, member=member).first()
    if notice is None:
        return False
    had_message = bool(notice.message)
    notice.delete()
    audit.log(
        request,
        "groups.absence.withdrawn",
        member,
        organisation=member.organisation,
        data={"meeting": str(meeting.public_id)},
    )
    if had_message:
        notices.to_leaders(
            member.group, f"absence-withdrawn:{member.pk}:{int(timezone.now().timestamp())}"
        )
    return True


@transaction.atomic
def set_reminders(request: HttpRequest, member: GroupMember, on: bool) -> None:
    member.reminders = on
    member.save(update_fields=["reminders"])
    audit.log(
        request,
        "groups.member.reminders",
        member,
        organisation=member.organisation,
        data={"on": on},
    )
