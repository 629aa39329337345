"""The live meeting panel: the leaders' page, the participant's page and their JSON state.

The pages work without JavaScript (every button is a form; a reload shows the state). With
JavaScript, ``live.js`` keeps a WebSocket on ``.../live/state/`` and falls back to polling the
same address over HTTP.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_scopes import scope

from kretsen.core import audit
from kretsen.core.access import (
    OrganisationRequest,
    organisation_view,
    relative_required,
    signed_in_user,
)
from kretsen.core.errors import DomainError
from kretsen.groups.live import access
from kretsen.groups.models import GroupMember, LiveSeat, LiveSummary, Meeting
from kretsen.groups.services import live
from kretsen.groups.views.staff import GROUP_ROLES, get_meeting_for_request

# Fewer people than this: the summary's shares would point at one person (DOMAIN.md).
SUMMARY_MIN_PEOPLE = 5


def get_live_meeting_for_request(
    request: OrganisationRequest, group: uuid.UUID, meeting: uuid.UUID
) -> Meeting:
    """The meeting, for one of its group's leaders. Another group's meeting is 404; a
    coordinator who does not lead this group may not run its panel (403)."""
    found = get_meeting_for_request(request, group, meeting)
    if not access.leads(signed_in_user(request), found):
        raise PermissionDenied
    return found


def _fields(request: HttpRequest) -> dict[str, Any]:
    return {key: request.POST.get(key) for key in ("seat", "speaker", "section", "shuffled", "on")}


def _leader_post(request: HttpRequest, meeting: Meeting) -> str:
    """Carry out a posted leader action; returns an error message or ""."""
    action = request.POST.get("action", "")
    try:
        if action == "start":
            live.start(request, meeting)
        elif action == "end":
            live.end(request, meeting)
        else:
            live.act(meeting, action, _fields(request))
    except DomainError as error:
        return error.message
    live.notify(meeting)
    return ""


def _log_read(request: HttpRequest, meeting: Meeting) -> None:
    """The panel and its state show the members by name, as every poll does."""
    audit.read(
        request, "groups.live.viewed", LiveSeat.objects.filter(session__meeting=meeting), meeting
    )


@organisation_view(*GROUP_ROLES)
@require_http_methods(["GET", "POST"])
def live_panel(
    request: OrganisationRequest, org: str, group: uuid.UUID, meeting: uuid.UUID
) -> HttpResponse:
    found = get_live_meeting_for_request(request, group, meeting)
    if request.method == "POST":
        error = _leader_post(request, found)
        if error:
            messages.error(request, error)
        return redirect(
            "groups:live", org=org, group=found.group.public_id, meeting=found.public_id
        )
    state = live.leader_state(found)
    _log_read(request, found)
    summary = LiveSummary.objects.filter(meeting=found).first()
    seats = {seat["id"]: seat for seat in state.get("seats", [])}
    template = (
        "groups/staff/live_panel.html" if request.GET.get("part") else "groups/staff/live.html"
    )
    return render(
        request,
        template,
        {
            "meeting": found,
            "group": found.group,
            "state": state,
            "queue": [seats[key] for key in state.get("queue", [])],
            "speaker": seats.get(state.get("speaker") or 0),
            "round_next": seats.get((state.get("round") or {}).get("next") or 0),
            "is_open": live.is_open(found, timezone.now()),
            "summary": summary,
            "summary_shares": summary is not None and summary.people >= SUMMARY_MIN_PEOPLE,
            "state_url": reverse(
                "groups:live-state",
                kwargs={"org": org, "group": found.group.public_id, "meeting": found.public_id},
            ),
        },
    )


@organisation_view(*GROUP_ROLES)
@require_http_methods(["GET", "POST"])
def live_state(
    request: OrganisationRequest, org: str, group: uuid.UUID, meeting: uuid.UUID
) -> HttpResponse:
    """The panel's state as JSON (polling), and its actions without a WebSocket."""
    found = get_live_meeting_for_request(request, group, meeting)
    if request.method == "POST":
        if request.POST.get("action") in ("start", "end"):
            return JsonResponse(
                {"type": "error", "message": _("Use the buttons on the page.")}, status=400
            )
        error = _leader_post(request, found)
        if error:
            return JsonResponse({"type": "error", "message": error}, status=400)
    _log_read(request, found)
    return JsonResponse({"type": "state", "state": live.leader_state(found)})


def _own(
    request: HttpRequest, member: uuid.UUID, meeting: uuid.UUID
) -> tuple[GroupMember, Meeting]:
    """The relative's own membership and meeting (else 404); marked absent: 403."""
    found = access.own_member_and_meeting(signed_in_user(request), member, meeting)
    if found is None:
        raise Http404
    with scope(organisation=found[1].organisation):
        if not access.is_present_or_unmarked(*found):
            raise PermissionDenied
    return found


def _participant_post(request: HttpRequest, member: GroupMember, meeting: Meeting) -> str:
    action = request.POST.get("action", "")
    if action not in live.PARTICIPANT_ACTIONS:
        return _("Only the leaders can do that.")
    try:
        live.set_own_hand(meeting, member, action == "raise")
    except DomainError as error:
        return error.message
    live.notify(meeting)
    return ""


@relative_required
@require_http_methods(["GET", "POST"])
def my_live(request: HttpRequest, member: uuid.UUID, meeting: uuid.UUID) -> HttpResponse:
    own_member, found = _own(request, member, meeting)
    with scope(organisation=found.organisation):
        if request.method == "POST":
            error = _participant_post(request, own_member, found)
            if error:
                messages.error(request, error)
            return redirect("groups:my-live", member=own_member.public_id, meeting=found.public_id)
        state = live.participant_state(found, own_member)
    template = "groups/me/live_panel.html" if request.GET.get("part") else "groups/me/live.html"
    return render(
        request,
        template,
        {
            "member": own_member,
            "meeting": found,
            "group": found.group,
            "organisation": found.organisation,
            "state": state,
            "state_url": reverse(
                "groups:my-live-state",
                kwargs={"member": own_member.public_id, "meeting": found.public_id},
            ),
        },
    )


@relative_required
@require_http_methods(["GET", "POST"])
def my_live_state(request: HttpRequest, member: uuid.UUID, meeting: uuid.UUID) -> HttpResponse:
    own_member, found = _own(request, member, meeting)
    with scope(organisation=found.organisation):
        if request.method == "POST":
            error = _participant_post(request, own_member, found)
            if error:
                return JsonResponse({"type": "error", "message": error}, status=400)
        state = live.participant_state(found, own_member)
    return JsonResponse({"type": "state", "state": state})
