"""The organisation admin's view of retention: what the next runs will remove (decision 0085).

Counts per rule and day only; no names, since the admin needs to know that the rules work,
not who is behind them.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_GET

from kretsen.care.services import retention
from kretsen.core.access import OrganisationRequest, organisation_view, signed_in_user
from kretsen.core.models import Organisation
from kretsen.core.roles import Role


@organisation_view(Role.ADMIN)
@require_GET
def retention_preview(request: OrganisationRequest, org: str) -> HttpResponse:
    organisation: Organisation = request.organisation
    next_run, planned = retention.plan(organisation)
    last = retention.last_run()
    return render(
        request,
        "care/staff/retention.html",
        {
            "next_run": next_run,
            "run_hour": retention.RUN_HOUR,
            "planned": planned,
            "last": last,
            "preview_days": retention.PREVIEW_DAYS,
        },
    )


def org_home_retention_section(request: HttpRequest, **context: Any) -> SafeString:
    """A link to the preview on an admin's start page."""
    membership = getattr(request, "membership", None)
    if membership is None or not membership.is_admin:
        return mark_safe("")
    return render_to_string("care/staff/retention_home_section.html", request=request)


def my_data_retention_section(request: HttpRequest, **context: Any) -> SafeString:
    """On a relative's "what we store" page: when each thing goes."""
    lines = retention.schedule_for(signed_in_user(request))
    return render_to_string("care/me/retention_section.html", {"lines": lines}, request=request)
