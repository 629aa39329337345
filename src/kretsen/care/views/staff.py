"""Follow-ups in the back office, and the care sections of the start and group pages."""

from __future__ import annotations

import uuid
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from kretsen.care.forms import CloseForm, FlagForm
from kretsen.care.models import FollowUp
from kretsen.care.services import feedback as feedback_service
from kretsen.care.services import followups
from kretsen.core import audit
from kretsen.core.access import OrganisationRequest, organisation_view, signed_in_user
from kretsen.core.actions import perform
from kretsen.core.roles import Role
from kretsen.groups.models import Group, GroupMember, Meeting
from kretsen.groups.views.staff import get_group_for_request, get_member_for_request

GROUP_ROLES = (Role.COORDINATOR, Role.LEADER)


def _is_coordinator(request: OrganisationRequest) -> bool:
    return bool(request.membership.is_coordinator)


def get_follow_up_for_request(request: OrganisationRequest, public_id: uuid.UUID) -> FollowUp:
    return get_object_or_404(
        followups.visible_to(signed_in_user(request), _is_coordinator(request)),
        public_id=public_id,
    )


@organisation_view(*GROUP_ROLES)
@require_GET
def follow_up_list(request: OrganisationRequest, org: str) -> HttpResponse:
    found = followups.visible_to(signed_in_user(request), _is_coordinator(request))
    show_closed = request.GET.get("closed") == "1"
    if not show_closed:
        found = found.filter(outcome="")
    shown = list(found.order_by("outcome", "due_on")[:200])
    audit.read(request, "care.follow_ups.viewed", shown)
    return render(
        request,
        "care/staff/follow_ups.html",
        {
            "follow_ups": shown,
            "show_closed": show_closed,
            "today": timezone.localdate(),
        },
    )


@organisation_view(*GROUP_ROLES)
@require_http_methods(["GET", "POST"])
def follow_up_detail(request: OrganisationRequest, org: str, follow_up: uuid.UUID) -> HttpResponse:
    found = get_follow_up_for_request(request, follow_up)
    form = CloseForm(request.POST or None)
    if request.method == "POST":
        if not _is_coordinator(request):
            raise Http404
        if form.is_valid() and perform(
            request,
            lambda: followups.close(
                request,
                found,
                form.cleaned_data["outcome"],
                form.cleaned_data["note"],
                signed_in_user(request),
            ),
            success=_("The follow-up is closed."),
            form=form,
        ):
            return redirect("care:follow-ups", org=org)
    audit.read(request, "care.follow_up.viewed", [found], found)
    return render(
        request,
        "care/staff/follow_up.html",
        {
            "follow_up": found,
            "form": form,
            "can_close": _is_coordinator(request) and found.is_open,
            "is_coordinator": _is_coordinator(request),
            "today": timezone.localdate(),
        },
    )


@organisation_view(*GROUP_ROLES)
@require_http_methods(["GET", "POST"])
def flag(
    request: OrganisationRequest, org: str, group: uuid.UUID, member: uuid.UUID
) -> HttpResponse:
    found_group = get_group_for_request(request, group)
    found = get_member_for_request(request, found_group, member)
    if found.status != GroupMember.Status.ACTIVE:
        raise Http404
    meeting_id = request.GET.get("meeting") or request.POST.get("meeting") or ""
    meeting = None
    try:
        meeting = Meeting.objects.filter(group=found_group, public_id=uuid.UUID(meeting_id)).first()
    except ValueError:
        meeting = None
    initial = {"reason": request.GET.get("reason", "")}
    form = FlagForm(request.POST or None, initial=initial)
    if (
        request.method == "POST"
        and form.is_valid()
        and perform(
            request,
            lambda: followups.flag(
                request,
                found,
                form.cleaned_data["reason"],
                form.cleaned_data["note"],
                meeting=meeting,
                by=signed_in_user(request),
            ),
            success=_("The coordinator will follow up with %(name)s.")
            % {"name": found.display_name},
            form=form,
        )
    ):
        return redirect("groups:group", org=org, group=found_group.public_id)
    audit.read(request, "care.flag_form.viewed", [found], found)
    return render(
        request,
        "care/staff/flag.html",
        {"group": found_group, "member": found, "meeting": meeting, "form": form},
    )


def org_home_section(request: HttpRequest, **context: Any) -> SafeString:
    """Open and overdue follow-ups on the start page of coordinators and leaders."""
    membership = getattr(request, "membership", None)
    if membership is None or not (membership.is_coordinator or membership.is_leader):
        return mark_safe("")
    visible = followups.visible_to(signed_in_user(request), membership.is_coordinator).filter(
        outcome=""
    )
    today = timezone.localdate()
    overdue = list(visible.filter(due_on__lt=today)[:10])
    audit.read(request, "care.follow_ups.overdue_viewed", overdue)
    return render_to_string(
        "care/staff/org_home_section.html",
        {"open_count": visible.count(), "overdue": overdue, "today": today},
        request=request,
    )


def group_section(request: OrganisationRequest, group: Group, **context: Any) -> SafeString:
    """On a group's page: suggestions, open follow-ups and a way to flag a member."""
    membership = request.membership
    visible = followups.visible_to(signed_in_user(request), membership.is_coordinator)
    return render_to_string(
        "care/staff/group_section.html",
        {
            "group": group,
            "suggested": followups.repeated_absence(group),
            "open": list(visible.filter(member__group=group, outcome="")),
            "active": list(
                group.members.filter(status=GroupMember.Status.ACTIVE, anonymised_at__isnull=True)
            ),
            "feedback": feedback_service.recent_for_leaders(group),
        },
        request=request,
    )
