"""The back office of groups: coordinators see the organisation's groups, leaders their own."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from django.contrib import messages
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kretsen.core import audit, localise, pages
from kretsen.core.access import OrganisationRequest, organisation_view, signed_in_user
from kretsen.core.actions import perform
from kretsen.core.errors import DomainError
from kretsen.core.formatting import render as render_markdown
from kretsen.core.roles import Role
from kretsen.directory.models import Offer
from kretsen.groups import runsheet, texts, video
from kretsen.groups.forms import (
    AddMembersForm,
    AttendanceForm,
    GroupForm,
    HandoverForm,
    MeetingForm,
    RunSheetForm,
    SeriesForm,
    StateForm,
)
from kretsen.groups.models import (
    AbsenceNotice,
    Attendance,
    Group,
    GroupMember,
    GroupText,
    Meeting,
)
from kretsen.groups.services import attendance as attendance_service
from kretsen.groups.services import groups as group_service
from kretsen.groups.services import meetings as meeting_service
from kretsen.groups.services import members as member_service
from kretsen.groups.services.meetings import Overlap

GROUP_ROLES = (Role.COORDINATOR, Role.LEADER)


def visible_groups(request: OrganisationRequest) -> QuerySet[Group]:
    """Coordinators see every group of the organisation; leaders only the groups they lead."""
    groups = Group.objects.select_related("offer")
    if request.membership.is_coordinator:
        return groups
    return group_service.groups_led_by(signed_in_user(request), groups)


def get_group_for_request(request: OrganisationRequest, public_id: uuid.UUID) -> Group:
    return get_object_or_404(visible_groups(request), public_id=public_id)


def get_meeting_for_request(
    request: OrganisationRequest, group_id: uuid.UUID, meeting_id: uuid.UUID
) -> Meeting:
    group = get_group_for_request(request, group_id)
    return get_object_or_404(
        Meeting.objects.select_related("group__offer", "organisation"),
        group=group,
        public_id=meeting_id,
    )


def get_member_for_request(request: HttpRequest, group: Group, member_id: uuid.UUID) -> GroupMember:
    return get_object_or_404(
        GroupMember.objects.select_related("registration", "group"),
        group=group,
        public_id=member_id,
    )


def _require_coordinator(request: OrganisationRequest) -> None:
    if not request.membership.is_coordinator:
        raise Http404


def _warn_overlaps(request: OrganisationRequest, overlaps: list[Overlap]) -> None:
    zone = request.organisation.zone
    for overlap in overlaps[:5]:
        messages.warning(
            request,
            _("%(leader)s also leads “%(group)s” at %(when)s.")
            % {
                "leader": overlap.leader.display_name or overlap.leader.email,
                "group": overlap.meeting.group.name,
                "when": meeting_service.local_label(overlap.meeting.starts_at, zone),
            },
        )


def _holiday_list(days: list[tuple[date, str]]) -> str:
    return ", ".join(
        f"{localise.local_date(day, 'DAY_MONTH_YEAR_FORMAT')} ({name})" for day, name in days
    )


def _tell_about_holidays(request: HttpRequest, plan: meeting_service.SeriesPlan) -> None:
    if plan.skipped:
        messages.info(
            request,
            _("Skipped because of public holidays: %(dates)s.")
            % {"dates": _holiday_list(plan.skipped)},
        )
    kept = [(m.day, m.holiday) for m in plan.on_holidays]
    if kept:
        messages.warning(
            request,
            ngettext(
                "One meeting falls on a public holiday: %(dates)s.",
                "%(count)d meetings fall on public holidays: %(dates)s.",
                len(kept),
            )
            % {"count": len(kept), "dates": _holiday_list(kept)},
        )


@organisation_view(*GROUP_ROLES)
@require_GET
def group_list(request: OrganisationRequest, org: str) -> HttpResponse:
    now = timezone.now()
    groups = (
        visible_groups(request)
        .annotate(
            member_count=Count("members", filter=Q(members__status=GroupMember.Status.ACTIVE)),
            invited_count=Count(
                "members", filter=Q(members__status=GroupMember.Status.INVITED), distinct=True
            ),
        )
        .prefetch_related(
            Prefetch(
                "meetings",
                queryset=Meeting.objects.filter(starts_at__gte=now, state=Meeting.State.SCHEDULED),
                to_attr="upcoming",
            ),
            "leaderships__user",
        )
    )
    show_ended = request.GET.get("ended") == "1"
    if not show_ended:
        groups = groups.exclude(state=Group.State.ENDED)
    return render(request, "groups/staff/list.html", {"groups": groups, "show_ended": show_ended})


def _group_form(request: OrganisationRequest, instance: Group | None) -> GroupForm:
    organisation = request.organisation
    offers = Offer.objects.exclude(state=Offer.State.ARCHIVED).exclude(form=Offer.Form.INDIVIDUAL)
    initial: dict[str, object] = {}
    if instance is not None and instance.pk:
        leaders = group_service.leaders_of(instance)
        initial = {f"leader_{i + 1}": str(u.public_id) for i, u in enumerate(leaders)}
    elif (offer_id := request.GET.get("offer")) and (
        offer := offers.filter(public_id__in=[offer_id] if _is_uuid(offer_id) else []).first()
    ):
        initial = {"offer": offer, **group_service.defaults_from_offer(offer)}
    return GroupForm(
        request.POST or None,
        instance=instance,
        initial=initial,
        leaders=group_service.possible_leaders(organisation),
        offers=offers,
    )


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


@organisation_view(Role.COORDINATOR)
@require_http_methods(["GET", "POST"])
def group_new(request: OrganisationRequest, org: str) -> HttpResponse:
    form = _group_form(request, None)
    if request.method == "POST" and form.is_valid():
        group = form.save(commit=False)
        group.organisation = request.organisation
        if perform(
            request,
            lambda: group_service.save(request, group, form.chosen_leaders(), created=True),
            success=_("The group is created. Now plan its meetings."),
            form=form,
        ):
            return redirect("groups:series", org=org, group=group.public_id)
    return render(request, "groups/staff/group_form.html", {"form": form, "group": None})


@organisation_view(Role.COORDINATOR)
@require_http_methods(["GET", "POST"])
def group_edit(request: OrganisationRequest, org: str, group: uuid.UUID) -> HttpResponse:
    found = get_group_for_request(request, group)
    form = _group_form(request, found)
    if (
        request.method == "POST"
        and form.is_valid()
        and perform(
            request,
            lambda: group_service.save(
                request, form.save(commit=False), form.chosen_leaders(), created=False
            ),
            success=_("Saved."),
            form=form,
        )
    ):
        return redirect("groups:group", org=org, group=found.public_id)
    return render(request, "groups/staff/group_form.html", {"form": form, "group": found})


@organisation_view(*GROUP_ROLES)
@require_GET
def group_detail(request: OrganisationRequest, org: str, group: uuid.UUID) -> HttpResponse:
    found = get_group_for_request(request, group)
    now = timezone.now()
    members = list(found.members.select_related("registration").order_by("status", "display_name"))
    audit.read(request, "groups.group.viewed", members, found)
    meetings = list(
        found.meetings.select_related("opens_by", "presents_by", "technique_by", "closes_by")
    )
    upcoming = [m for m in meetings if m.ends_at >= now]
    absences = AbsenceNotice.objects.filter(
        meeting__in=[m for m in upcoming if not m.is_cancelled]
    ).select_related("member", "meeting")
    taking_place = [m for m in members if m.takes_a_place]
    return render(
        request,
        "groups/staff/group.html",
        {
            "group": found,
            "leaders": group_service.leaders_of(found),
            "members": members,
            "signed": member_service.signed_member_ids(found),
            "places_taken": len(taking_place),
            "below_minimum": len(taking_place) < found.min_size,
            "upcoming": upcoming,
            "past": [m for m in meetings if m.ends_at < now][-10:],
            "absences": absences,
            "next_states": [(s, Group.State(s).label) for s in group_service.allowed_states(found)],
            "is_coordinator": request.membership.is_coordinator,
            "sections": pages.sections("group", request, group=found),
        },
    )


@organisation_view(Role.COORDINATOR)
@require_POST
def group_state(request: OrganisationRequest, org: str, group: uuid.UUID) -> HttpResponse:
    found = get_group_for_request(request, group)
    form = StateForm(request.POST)
    if form.is_valid():
        perform(
            request,
            lambda: group_service.change_state(request, found, form.cleaned_data["state"]),
            success=_("Saved."),
        )
    else:
        messages.error(request, _("Choose a state."))
    return redirect("groups:group", org=org, group=found.public_id)


@organisation_view(Role.COORDINATOR)
@require_http_methods(["GET", "POST"])
def members_add(request: OrganisationRequest, org: str, group: uuid.UUID) -> HttpResponse:
    found = get_group_for_request(request, group)
    candidates = list(member_service.candidates(found)[:200])
    form = AddMembersForm(request.POST or None, candidates=candidates)
    if (
        request.method == "POST"
        and form.is_valid()
        and (
            outcome := perform(
                request, lambda: member_service.invite(request, found, form.chosen()), form=form
            )
        )
    ):
        invited = outcome.result
        unreachable = [m.display_name for m in invited if not m.notices.exists()]
        messages.success(request, _("The invitations are on their way."))
        if unreachable:
            messages.warning(
                request,
                _("Tell these people by phone; they gave no e-mail or text contact: %(names)s")
                % {"names": ", ".join(unreachable)},
            )
        return redirect("groups:group", org=org, group=found.public_id)
    today = timezone.localdate()
    audit.read(request, "groups.candidates.viewed", candidates, found)
    return render(
        request,
        "groups/staff/members_add.html",
        {
            "group": found,
            "form": form,
            "candidates": candidates,
            "free": found.max_size - member_service.places_taken(found),
            "today": today,
        },
    )


@organisation_view(Role.COORDINATOR)
@require_POST
def member_answer(
    request: OrganisationRequest, org: str, group: uuid.UUID, member: uuid.UUID
) -> HttpResponse:
    found = get_group_for_request(request, group)
    chosen = get_member_for_request(request, found, member)
    answer = request.POST.get("answer")
    if answer not in ("accept", "decline"):
        messages.error(request, _("Choose yes or no."))
    else:
        perform(
            request,
            lambda: member_service.answer(request, chosen, answer == "accept"),
            success=_("The answer is recorded."),
        )
    return redirect("groups:group", org=org, group=found.public_id)


@organisation_view(Role.COORDINATOR)
@require_POST
def member_leave(
    request: OrganisationRequest, org: str, group: uuid.UUID, member: uuid.UUID
) -> HttpResponse:
    found = get_group_for_request(request, group)
    chosen = get_member_for_request(request, found, member)
    perform(
        request,
        lambda: member_service.leave(request, chosen, "", by_member=False),
        success=_("%(name)s has left the group.") % {"name": chosen.display_name},
    )
    return redirect("groups:group", org=org, group=found.public_id)


@organisation_view(*GROUP_ROLES)
@require_POST
def member_paper_pledge(
    request: OrganisationRequest, org: str, group: uuid.UUID, member: uuid.UUID
) -> HttpResponse:
    found = get_group_for_request(request, group)
    chosen = get_member_for_request(request, found, member)
    perform(
        request,
        lambda: member_service.record_paper_pledge(request, chosen, signed_in_user(request)),
        success=_("Recorded: %(name)s signed on paper.") % {"name": chosen.display_name},
    )
    return redirect("groups:group", org=org, group=found.public_id)


@organisation_view(Role.COORDINATOR)
@require_http_methods(["GET", "POST"])
def series(request: OrganisationRequest, org: str, group: uuid.UUID) -> HttpResponse:
    found = get_group_for_request(request, group)
    minutes = meeting_service.default_minutes(found)
    initial = {
        "minutes": minutes,
        "break_minutes": meeting_service.default_break(minutes, found.is_digital),
        "count": found.offer.meeting_count or 8,
        "every_weeks": "2" if found.offer.frequency == Offer.Frequency.FORTNIGHTLY else "1",
        "first_day": found.offer.start_date
        if found.offer.start_date and found.offer.start_date > timezone.localdate()
        else None,
    }
    # A proposal from group formation passes the first day and the time of its slot.
    for key in ("first_day", "at"):
        if request.GET.get(key):
            initial[key] = request.GET[key][:10]
    form = SeriesForm(request.POST or None, initial=initial)
    plan = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if "preview" in request.POST:
            plan = meeting_service.plan_series(
                data["first_day"],
                data["at"],
                data["count"],
                int(data["every_weeks"]),
                found.organisation,
                data["on_holidays"],
            )
        else:
            try:
                created, overlaps, plan = meeting_service.create_series(
                    request,
                    found,
                    first_day=data["first_day"],
                    at=data["at"],
                    count=data["count"],
                    every_weeks=int(data["every_weeks"]),
                    minutes=data["minutes"],
                    break_minutes=data["break_minutes"],
                    on_holidays=data["on_holidays"],
                )
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(
                    request,
                    ngettext(
                        "%(count)d meeting is planned.",
                        "%(count)d meetings are planned.",
                        len(created),
                    )
                    % {"count": len(created)},
                )
                _tell_about_holidays(request, plan)
                _warn_overlaps(request, overlaps)
                return redirect("groups:group", org=org, group=found.public_id)
    return render(request, "groups/staff/series.html", {"group": found, "form": form, "plan": plan})


@organisation_view(Role.COORDINATOR)
@require_http_methods(["GET", "POST"])
def handover(request: OrganisationRequest, org: str, group: uuid.UUID) -> HttpResponse:
    found = get_group_for_request(request, group)
    active = list(found.members.filter(status=GroupMember.Status.ACTIVE))
    form = HandoverForm(request.POST or None, members=active)
    if (
        request.method == "POST"
        and form.is_valid()
        and perform(
            request,
            lambda: group_service.hand_over(request, found, form.chosen()),
            success=_("The group carries on as a self-run group."),
            form=form,
        )
    ):
        return redirect("groups:group", org=org, group=found.public_id)
    audit.read(request, "groups.handover.viewed", active, found)
    return render(request, "groups/staff/handover.html", {"group": found, "form": form})


@organisation_view(*GROUP_ROLES)
@require_http_methods(["GET", "POST"])
def meeting_edit(
    request: OrganisationRequest, org: str, group: uuid.UUID, meeting: uuid.UUID
) -> HttpResponse:
    found = get_meeting_for_request(request, group, meeting)
    zone = found.organisation.zone
    local = timezone.localtime(found.starts_at, zone)
    leaders = group_service.leaders_of(found.group)
    initial = {
        "day": local.date(),
        "at": local.time().replace(second=0, microsecond=0),
        "minutes": found.minutes,
        "break_minutes": found.break_minutes,
        **{
            role: str(getattr(found, role).public_id) if getattr(found, role) else ""
            for role in MeetingForm.ROLES
        },
    }
    form = MeetingForm(request.POST or None, initial=initial, leaders=leaders)
    if (
        request.method == "POST"
        and form.is_valid()
        and (
            outcome := perform(
                request,
                lambda: meeting_service.change(
                    request,
                    found,
                    starts_at=form.starts_at(zone),
                    minutes=form.cleaned_data["minutes"],
                    break_minutes=form.cleaned_data["break_minutes"],
                    roles=form.roles(),
                ),
                success=_("Saved."),
                form=form,
            )
        )
    ):
        overlaps = outcome.result
        _warn_overlaps(request, overlaps)
        return redirect("groups:group", org=org, group=found.group.public_id)
    return render(
        request,
        "groups/staff/meeting_form.html",
        {"meeting": found, "group": found.group, "form": form},
    )


@organisation_view(*GROUP_ROLES)
@require_POST
def meeting_cancel(
    request: OrganisationRequest, org: str, group: uuid.UUID, meeting: uuid.UUID
) -> HttpResponse:
    found = get_meeting_for_request(request, group, meeting)
    perform(
        request,
        lambda: meeting_service.cancel(request, found),
        success=_("The meeting is cancelled; the members are told."),
    )
    return redirect("groups:group", org=org, group=found.group.public_id)


@organisation_view(*GROUP_ROLES)
@require_http_methods(["GET", "POST"])
def meeting_runsheet(
    request: OrganisationRequest, org: str, group: uuid.UUID, meeting: uuid.UUID
) -> HttpResponse:
    found = get_meeting_for_request(request, group, meeting)
    organisation = found.organisation
    language = get_language() or organisation.default_language
    library = texts.topic_library(organisation, language)
    form = RunSheetForm(
        request.POST or None,
        library=library,
        initial={
            "topic": found.topic_key,
            "own_topic": "" if found.topic_key else found.topic_title,
            "note": found.note or "",
        },
    )
    if request.method == "POST" and form.is_valid():
        key, title = form.chosen_topic()
        meeting_service.save_topic_and_note(
            request, found, topic_key=key, topic_title=title, note=form.cleaned_data["note"]
        )
        messages.success(request, _("Saved."))
        return redirect(
            "groups:runsheet", org=org, group=found.group.public_id, meeting=found.public_id
        )
    audit.read(request, "groups.meeting.runsheet_viewed", found.absences.all(), found)
    rule_kinds = [GroupText.Kind.PLEDGE, GroupText.Kind.CONVERSATION_RULES]
    if found.group.is_digital:
        rule_kinds.append(GroupText.Kind.DIGITAL_RULES)
    rule_kinds.append(GroupText.Kind.PRACTICAL_RULES)
    rules = [
        (
            GroupText.Kind(kind).label,
            render_markdown(texts.text_for(organisation, kind, language).text),
        )
        for kind in rule_kinds
    ]
    topic = next((c for c in library if c.key == found.topic_key), None)
    return render(
        request,
        "groups/staff/runsheet.html",
        {
            "meeting": found,
            "group": found.group,
            "steps": runsheet.build(
                found.minutes, found.break_minutes, language, organisation.default_language
            ),
            "rules": rules,
            "topic": topic,
            "topic_summary": render_markdown(topic.summary) if topic else "",
            "library": library,
            "form": form,
            "absences": found.absences.select_related("member"),
            "members": found.group.members.filter(status=GroupMember.Status.ACTIVE),
            "is_leader": found.group.leaderships.filter(user=signed_in_user(request)).exists(),
        },
    )


@organisation_view(*GROUP_ROLES)
@require_http_methods(["GET", "POST"])
def meeting_attendance(
    request: OrganisationRequest, org: str, group: uuid.UUID, meeting: uuid.UUID
) -> HttpResponse:
    found = get_meeting_for_request(request, group, meeting)
    if not attendance_service.can_be_taken(found):
        # A meeting that has not happened has no attendance: say when it can be taken.
        return render(
            request,
            "groups/staff/attendance_not_yet.html",
            {
                "meeting": found,
                "group": found.group,
                "when": attendance_service.starts_label(found),
            },
        )
    members = attendance_service.expected_members(found)
    recorded = attendance_service.recorded(found)
    notified = set(found.absences.values_list("member_id", flat=True))
    # Until attendance is saved, those who said they cannot come are marked so already.
    initial: dict[str, object] = {
        f"m_{m.public_id}": Attendance.Status.NOTIFIED_ABSENCE for m in members if m.pk in notified
    }
    initial |= {f"m_{m.public_id}": status for m, status in recorded.items()}
    form = AttendanceForm(
        request.POST or None,
        members=members,
        initial=initial | {"drop_in": "\n".join(attendance_service.visitor_names(found))},
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and perform(
            request,
            lambda: attendance_service.record(request, found, form.statuses(), form.visitors()),
            success=_("Attendance is saved."),
            form=form,
        )
    ):
        return redirect("groups:group", org=org, group=found.group.public_id)
    audit.read(request, "groups.attendance.viewed", members, found)
    return render(
        request,
        "groups/staff/attendance.html",
        {
            "meeting": found,
            "group": found.group,
            "form": form,
            "rows": [
                (field, member.pk in notified)
                for field, member in zip(form.member_fields(), members, strict=True)
            ],
        },
    )


@organisation_view(*GROUP_ROLES)
@require_GET
def meeting_video(
    request: OrganisationRequest, org: str, group: uuid.UUID, meeting: uuid.UUID
) -> HttpResponse:
    found = get_meeting_for_request(request, group, meeting)
    user = signed_in_user(request)
    url = video.join_url(
        found.group,
        group_service.settings_for(found.organisation),
        display_name=user.display_name or user.email.split("@")[0],
        user_key=str(user.public_id),
        moderator=True,
        now=timezone.now(),
    )
    if url is None:
        raise Http404
    audit.log(request, "groups.meeting.video_joined", found)
    return HttpResponseRedirect(url)


def upcoming_for_leader(request: HttpRequest, days: int = 14) -> list[Meeting]:
    """The next meetings of the groups the signed-in staff user leads (for the start page)."""
    now = timezone.now()
    return list(
        Meeting.objects.filter(
            group__leaderships__user=signed_in_user(request),
            starts_at__gte=now - timedelta(hours=3),
            starts_at__lte=now + timedelta(days=days),
            state=Meeting.State.SCHEDULED,
        )
        .select_related("group")
        .distinct()[:10]
    )
