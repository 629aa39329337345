"""The back office of one organisation: start page, staff, audit trail."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from kretsen.core import audit, pages
from kretsen.core.access import (
    OrganisationRequest,
    organisation_view,
    signed_in_user,
    staff_required,
)
from kretsen.core.actions import perform
from kretsen.core.forms import AuditFilterForm, InviteStaffForm, RolesForm
from kretsen.core.models import AuditEvent, StaffMembership
from kretsen.core.roles import Role
from kretsen.core.services import staff as staff_service
from kretsen.core.services import twofactor


def get_membership_for_request(request: HttpRequest, public_id: str) -> StaffMembership:
    """A membership of the request's organisation; any other organisation's answers 404."""
    return get_object_or_404(StaffMembership.objects.select_related("user"), public_id=public_id)


@staff_required
def staff_home(request: HttpRequest) -> HttpResponse:
    memberships = staff_service.active_memberships(signed_in_user(request))
    # Places to work that higher apps add (the learning networks), without importing them.
    sections = [section for section in pages.sections("staff-home", request) if section]
    if len(memberships) == 1 and not sections:
        return redirect("core:org-home", org=memberships[0].organisation.slug)
    return render(
        request, "core/staff/home.html", {"memberships": memberships, "sections": sections}
    )


@organisation_view()
def org_home(request: HttpRequest, org: str) -> HttpResponse:
    return render(
        request, "core/staff/org_home.html", {"sections": pages.sections("org-home", request)}
    )


@organisation_view(Role.ADMIN)
def people(request: HttpRequest, org: str) -> HttpResponse:
    memberships = StaffMembership.objects.select_related("user").order_by(
        "-is_active", "user__display_name", "user__email"
    )
    enrolled = set(
        TOTPDevice.objects.filter(
            confirmed=True, user__in=[m.user_id for m in memberships]
        ).values_list("user_id", flat=True)
    )
    return render(
        request, "core/staff/people.html", {"memberships": memberships, "enrolled": enrolled}
    )


@organisation_view(Role.ADMIN)
@require_http_methods(["GET", "POST"])
def invite(request: OrganisationRequest, org: str) -> HttpResponse:
    organisation = request.organisation
    form = InviteStaffForm(
        request.POST or None, initial={"language": organisation.default_language}
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and perform(
            request,
            lambda: staff_service.invite(
                request,
                organisation,
                form.cleaned_data["email"],
                form.cleaned_data["display_name"],
                form.role_set(),
                form.cleaned_data["language"],
            ),
            success=_("An invitation has been sent to %(email)s.")
            % {"email": form.cleaned_data["email"]},
            form=form,
        )
    ):
        return redirect("core:people", org=org)
    return render(request, "core/staff/invite.html", {"form": form})


@organisation_view(Role.ADMIN)
@require_http_methods(["GET", "POST"])
def membership_detail(request: HttpRequest, org: str, membership: str) -> HttpResponse:
    member = get_membership_for_request(request, membership)
    form = RolesForm(request.POST or None, initial={"roles": [role.value for role in member.roles]})
    if (
        request.method == "POST"
        and form.is_valid()
        and perform(
            request,
            lambda: staff_service.change_roles(request, member, form.role_set()),
            success=_("The roles have been saved."),
            form=form,
        )
    ):
        return redirect("core:membership", org=org, membership=member.public_id)
    return render(
        request,
        "core/staff/membership.html",
        {
            "member": member,
            "form": form,
            "enrolled": twofactor.has_confirmed_totp(member.user),
            "is_self": member.user_id == request.user.pk,
        },
    )


@organisation_view(Role.ADMIN)
@require_POST
def membership_deactivate(request: HttpRequest, org: str, membership: str) -> HttpResponse:
    member = get_membership_for_request(request, membership)
    perform(
        request,
        lambda: staff_service.deactivate(request, member),
        success=_("%(name)s no longer has access, and has been signed out.")
        % {"name": member.user},
    )
    return redirect("core:membership", org=org, membership=member.public_id)


@organisation_view(Role.ADMIN)
@require_POST
def membership_reactivate(request: HttpRequest, org: str, membership: str) -> HttpResponse:
    member = get_membership_for_request(request, membership)
    staff_service.reactivate(request, member)
    messages.success(request, _("%(name)s has access again.") % {"name": member.user})
    return redirect("core:membership", org=org, membership=member.public_id)


@organisation_view(Role.ADMIN)
def audit_log(request: HttpRequest, org: str) -> HttpResponse:
    form = AuditFilterForm(request.GET or None)
    events = AuditEvent.objects.all()
    if form.is_valid():
        events = form.filter(events)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    audit.read(request, "core.audit.viewed", audit.records_of_actors(page))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "core/staff/audit.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )
