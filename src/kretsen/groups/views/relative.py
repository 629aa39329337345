"""A relative's group pages under ``/me/``, and their calendar feed."""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kretsen.core.access import public, relative_required, relative_scope, signed_in_user
from kretsen.core.actions import perform
from kretsen.core.errors import DomainError
from kretsen.core.formatting import render as render_markdown
from kretsen.core.models import User
from kretsen.groups import calendar, texts, video
from kretsen.groups.forms import AbsenceForm, LeaveForm, PledgeForm
from kretsen.groups.models import Group, GroupMember, GroupText, LiveSession, Meeting
from kretsen.groups.services import groups as group_service
from kretsen.groups.services import members as member_service
from kretsen.groups.services import own


def _video_open(meeting: Meeting, minutes_before: int) -> bool:
    now = timezone.now()
    return (
        not meeting.is_cancelled
        and meeting.starts_at - timedelta(minutes=minutes_before) <= now <= meeting.ends_at
    )


def my_meetings_section(request: HttpRequest) -> SafeString:
    """The groups part of a relative's start page."""
    rows = [(place, own.next_meeting(place)) for place in own.memberships(signed_in_user(request))]
    return render_to_string("groups/me/section.html", {"rows": rows}, request=request)


def my_data_section(request: HttpRequest) -> SafeString:
    """What the groups app stores about the relative, for their "what we store" page."""
    user = signed_in_user(request)
    memberships = list(
        GroupMember.objects.filter(registration__user=user)
        .select_related("group__organisation")
        .prefetch_related("signatures", "absences__meeting", "attendance__meeting")
    )
    return render_to_string(
        "groups/me/data_section.html", {"memberships": memberships}, request=request
    )


def _still_a_member(member: GroupMember) -> bool:
    """Whether the member pages still apply: invited or active, in a group that has not ended."""
    return member.status in GroupMember.TAKING_A_PLACE and member.group.state != Group.State.ENDED


def _back_to_group(member: GroupMember) -> HttpResponse:
    """Pages for members only, reached after leaving (an old tab, Back): the group page says
    how things stand instead."""
    return redirect("groups:my-group", member=member.public_id)


@relative_required
@require_GET
def my_group(request: HttpRequest, member: uuid.UUID) -> HttpResponse:
    found = own.member(signed_in_user(request), member)
    group = found.group
    organisation = group.organisation
    language = get_language() or organisation.default_language
    if not _still_a_member(found):
        return render(
            request,
            "groups/me/group_past.html",
            {"member": found, "group": group, "organisation": organisation},
        )
    settings = group_service.settings_for(organisation)
    meetings = own.upcoming(found)
    absent = set(found.absences.values_list("meeting_id", flat=True))
    signed = member_service.has_signed(
        found, texts.text_for(organisation, GroupText.Kind.PLEDGE, language).version
    )
    leaders = group_service.leaders_of(group)
    rule_kinds = [GroupText.Kind.CONVERSATION_RULES, GroupText.Kind.PRACTICAL_RULES]
    if group.is_digital:
        rule_kinds.insert(1, GroupText.Kind.DIGITAL_RULES)
    rules = [
        (
            GroupText.Kind(kind).label,
            render_markdown(texts.text_for(organisation, kind, language).text),
        )
        for kind in rule_kinds
    ]
    contact = group.contact_member if group.state == Group.State.SELF_RUN else None
    all_meetings = list(
        Meeting.objects.filter(group=group, state=Meeting.State.SCHEDULED).order_by("starts_at")
    )
    live_ids = set(
        LiveSession.objects.filter(meeting__in=meetings).values_list("meeting_id", flat=True)
    )
    return render(
        request,
        "groups/me/group.html",
        {
            "member": found,
            "group": group,
            "organisation": organisation,
            "meetings": [
                (
                    m,
                    m.pk in absent,
                    group.is_digital and _video_open(m, settings.video_link_minutes),
                )
                for m in meetings
            ],
            "video_minutes": settings.video_link_minutes,
            "signed": signed,
            "leaders": leaders,
            "rules": rules,
            "contact": contact,
            "offer_title": group.offer.title(language),
            "planned_meetings": [m for m in all_meetings if m.starts_at >= timezone.now()],
            "live_ids": live_ids,
        },
    )


@relative_required
@require_POST
def my_answer(request: HttpRequest, member: uuid.UUID) -> HttpResponse:
    found = own.member(signed_in_user(request), member)
    answer = request.POST.get("answer")
    if answer not in ("accept", "decline"):
        messages.error(request, _("Choose yes or no."))
        return redirect("groups:my-group", member=found.public_id)
    try:
        member_service.answer(request, found, answer == "accept")
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("groups:my-group", member=found.public_id)
    if answer == "accept":
        messages.success(request, _("Welcome to the group. Please read and sign the pledge."))
        return redirect("groups:my-pledge", member=found.public_id)
    messages.success(request, _("Thank you for letting us know. You stay on the waiting list."))
    return redirect("core:me")


@relative_required
@require_http_methods(["GET", "POST"])
def my_pledge(request: HttpRequest, member: uuid.UUID) -> HttpResponse:
    found = own.member(signed_in_user(request), member)
    if not _still_a_member(found):
        return _back_to_group(found)
    organisation = found.group.organisation
    language = get_language() or organisation.default_language
    pledge = texts.text_for(organisation, GroupText.Kind.PLEDGE, language)
    signed = member_service.has_signed(found, pledge.version)
    form = PledgeForm(request.POST or None, initial={"signed_name": found.display_name})
    if (
        request.method == "POST"
        and not signed
        and form.is_valid()
        and perform(
            request,
            lambda: member_service.sign_pledge(
                request, found, form.cleaned_data["signed_name"], language
            ),
            success=_("Thank you. The pledge is signed."),
            form=form,
        )
    ):
        return redirect("groups:my-group", member=found.public_id)
    return render(
        request,
        "groups/me/pledge.html",
        {"member": found, "pledge": render_markdown(pledge.text), "signed": signed, "form": form},
    )


@relative_required
@require_http_methods(["GET", "POST"])
def my_absence(request: HttpRequest, member: uuid.UUID, meeting: uuid.UUID) -> HttpResponse:
    found = own.member(signed_in_user(request), member)
    chosen = own.meeting(found, meeting)
    if found.status != GroupMember.Status.ACTIVE or not _still_a_member(found):
        return _back_to_group(found)
    if request.method == "POST" and request.POST.get("action") == "withdraw":
        if outcome := perform(
            request, lambda: member_service.withdraw_absence(request, found, chosen)
        ):
            withdrawn = outcome.result
            if withdrawn:
                messages.success(request, _("Good to hear. You are expected at the meeting."))
        return _back_to_group(found)
    already = found.absences.filter(meeting=chosen).exists()
    if already and request.method == "GET":
        messages.info(request, _("You have already said that you cannot come to this meeting."))
        return _back_to_group(found)
    form = AbsenceForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and perform(
            request,
            lambda: member_service.notify_absence(
                request, found, chosen, form.cleaned_data["message"]
            ),
            success=_("Thank you for telling us. The leaders know you cannot come."),
            form=form,
        )
    ):
        return _back_to_group(found)
    return render(
        request,
        "groups/me/absence.html",
        {
            "member": found,
            "meeting": chosen,
            "form": form,
            "organisation": found.group.organisation,
        },
    )


@relative_required
@require_GET
def my_video(request: HttpRequest, member: uuid.UUID, meeting: uuid.UUID) -> HttpResponse:
    found = own.member(signed_in_user(request), member)
    chosen = own.meeting(found, meeting)
    settings = group_service.settings_for(found.group.organisation)
    if found.status != GroupMember.Status.ACTIVE or not _video_open(
        chosen, settings.video_link_minutes
    ):
        return render(
            request,
            "groups/me/video_not_open.html",
            {"member": found, "meeting": chosen, "minutes": settings.video_link_minutes},
            status=403,
        )
    url = video.join_url(
        found.group,
        settings,
        display_name=found.display_name,
        user_key=str(found.public_id),
        moderator=False,
        now=timezone.now(),
    )
    if url is None:
        raise Http404
    return HttpResponseRedirect(url)


@relative_required
@require_http_methods(["GET", "POST"])
def my_leave(request: HttpRequest, member: uuid.UUID) -> HttpResponse:
    found = own.member(signed_in_user(request), member)
    if not _still_a_member(found):
        return _back_to_group(found)
    form = LeaveForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and perform(
            request,
            lambda: member_service.leave(
                request, found, form.cleaned_data["reason"], by_member=True
            ),
            success=_("You have left the group. The leaders are told. Take care of yourself."),
            form=form,
        )
    ):
        return redirect("core:me")
    return render(request, "groups/me/leave.html", {"member": found, "form": form})


@relative_required
@require_POST
def my_reminders(request: HttpRequest, member: uuid.UUID) -> HttpResponse:
    found = own.member(signed_in_user(request), member)
    if not _still_a_member(found):
        return _back_to_group(found)
    on = request.POST.get("reminders") == "on"
    member_service.set_reminders(request, found, on)
    messages.success(
        request,
        _("You will get reminders before meetings.") if on else _("You will not get reminders."),
    )
    return redirect("groups:my-group", member=found.public_id)


@relative_required
@require_http_methods(["GET", "POST"])
def my_calendar(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    new_address = None
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            calendar.revoke(user.pk)
            messages.success(request, _("The calendar address no longer works."))
            return redirect("groups:my-calendar")
        token = calendar.create_token(user.pk)
        new_address = request.build_absolute_uri(f"/calendar/{token}.ics")
    has_active = user.calendar_tokens.filter(revoked_at__isnull=True).exists()
    return render(
        request,
        "groups/me/calendar.html",
        {"new_address": new_address, "has_active": has_active},
    )


@public
@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    owner = calendar.token_owner(token)
    if owner is None:
        raise Http404
    user = User.objects.get(pk=owner)
    with relative_scope(user):
        meetings = list(
            Meeting.objects.filter(
                group__members__registration__user=user,
                group__members__status=GroupMember.Status.ACTIVE,
                starts_at__gte=timezone.now() - timedelta(days=60),
            )
            .select_related("group")
            .distinct()
        )
    response = HttpResponse(
        calendar.feed(meetings, user.language), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = 'inline; filename="meetings.ics"'
    add_never_cache_headers(response)
    return response
