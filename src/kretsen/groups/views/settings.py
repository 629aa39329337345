"""The organisation's texts for groups, its topic library, reminders and video settings."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from kretsen.core.access import OrganisationRequest, organisation_view, signed_in_user
from kretsen.core.roles import Role
from kretsen.groups import texts
from kretsen.groups.forms import GroupSettingsForm, GroupTextForm, TopicForm
from kretsen.groups.models import GroupText, Topic
from kretsen.groups.services import groups as group_service
from kretsen.groups.services import library

TEXT_ROLES = (Role.ADMIN, Role.COORDINATOR)


@organisation_view(*TEXT_ROLES)
@require_GET
def text_list(request: OrganisationRequest, org: str) -> HttpResponse:
    organisation = request.organisation
    rows = [
        (kind, label, texts.current_version(organisation, kind))
        for kind, label in GroupText.Kind.choices
    ]
    return render(request, "groups/staff/texts.html", {"rows": rows})


@organisation_view(*TEXT_ROLES)
@require_http_methods(["GET", "POST"])
def text_edit(request: OrganisationRequest, org: str, kind: str) -> HttpResponse:
    if kind not in GroupText.Kind.values:
        raise Http404
    organisation = request.organisation
    current = texts.all_languages(organisation, kind)
    form = GroupTextForm(
        request.POST or None, initial={f"text_{code}": text for code, text in current.items()}
    )
    if request.method == "POST" and form.is_valid():
        version = library.save_text(
            request, organisation, kind, form.cleaned_data, signed_in_user(request)
        )
        messages.success(request, _("Saved as version %(version)d.") % {"version": version.version})
        return redirect("groups:texts", org=org)
    return render(
        request,
        "groups/staff/text_form.html",
        {
            "form": form,
            "label": GroupText.Kind(kind).label,
            "current": texts.current_version(organisation, kind),
        },
    )


@organisation_view(*TEXT_ROLES)
@require_http_methods(["GET", "POST"])
def topic_list(request: OrganisationRequest, org: str) -> HttpResponse:
    organisation = request.organisation
    form = TopicForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        topic = form.save(commit=False)
        topic.organisation = organisation
        library.save_topic(request, topic, created=True)
        messages.success(request, _("The topic is in the library."))
        return redirect("groups:topics", org=org)
    return render(
        request,
        "groups/staff/topics.html",
        {
            "form": form,
            "own": Topic.objects.all(),
            "defaults": [
                c for c in texts.topic_library(organisation, request.LANGUAGE_CODE) if not c.own
            ],
        },
    )


@organisation_view(*TEXT_ROLES)
@require_http_methods(["GET", "POST"])
def topic_edit(request: HttpRequest, org: str, topic: uuid.UUID) -> HttpResponse:
    found = get_object_or_404(Topic, public_id=topic)
    form = TopicForm(request.POST or None, instance=found)
    if request.method == "POST" and form.is_valid():
        library.save_topic(request, form.save(commit=False), created=False)
        messages.success(request, _("Saved."))
        return redirect("groups:topics", org=org)
    return render(request, "groups/staff/topic_form.html", {"form": form, "topic": found})


@organisation_view(Role.ADMIN)
@require_http_methods(["GET", "POST"])
def group_settings(request: OrganisationRequest, org: str) -> HttpResponse:
    found = group_service.settings_for(request.organisation)
    form = GroupSettingsForm(request.POST or None, instance=found)
    if request.method == "POST" and form.is_valid():
        group_service.save_settings(
            request,
            form.save(commit=False),
            form.changed_data,
            new_secret=form.cleaned_data.get("jitsi_app_secret") or "",
        )
        messages.success(request, _("Saved."))
        return redirect("groups:settings", org=org)
    return render(
        request,
        "groups/staff/settings.html",
        {"form": form, "has_secret": bool(found.jitsi_app_secret)},
    )
