"""Leaders' profiles: each leader records their own times, area and languages; coordinators
and admins see every leader's profile and may change it."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from kretsen.core.access import OrganisationRequest, organisation_view, signed_in_user
from kretsen.core.models import StaffMembership
from kretsen.core.roles import Role
from kretsen.groups import leaders
from kretsen.groups.forms import LeaderProfileForm

# Who has a profile of their own: the people the groups app offers as leaders.
OWN_PROFILE_ROLES = (Role.COORDINATOR, Role.LEADER)
# Who sees and edits every leader's profile.
ALL_PROFILES_ROLES = (Role.COORDINATOR, Role.ADMIN)


def get_leader_for_request(request: OrganisationRequest, public_id: uuid.UUID) -> StaffMembership:
    """A possible leader of the request's organisation; anyone else answers 404."""
    organisation = request.organisation
    return get_object_or_404(leaders.leader_memberships(organisation), public_id=public_id)


@organisation_view(*ALL_PROFILES_ROLES)
@require_GET
def leader_list(request: OrganisationRequest, org: str) -> HttpResponse:
    organisation = request.organisation
    rows = [
        (membership, leaders.profile_of(membership))
        for membership in leaders.leader_memberships(organisation).order_by(
            "user__display_name", "user__email"
        )
    ]
    membership = request.membership
    return render(
        request,
        "groups/staff/leaders.html",
        {"rows": rows, "has_own_profile": membership.is_leader or membership.is_coordinator},
    )


@organisation_view(*OWN_PROFILE_ROLES)
@require_http_methods(["GET", "POST"])
def my_leader_profile(request: OrganisationRequest, org: str) -> HttpResponse:
    # The middleware's membership is the signed-in user's own, in this organisation.
    membership = get_leader_for_request(request, request.membership.public_id)
    return _edit(request, membership, own=True)


@organisation_view(*ALL_PROFILES_ROLES)
@require_http_methods(["GET", "POST"])
def leader_profile(request: OrganisationRequest, org: str, membership: uuid.UUID) -> HttpResponse:
    return _edit(request, get_leader_for_request(request, membership), own=False)


def _edit(request: OrganisationRequest, membership: StaffMembership, *, own: bool) -> HttpResponse:
    profile = leaders.profile_for_editing(membership)
    form = LeaderProfileForm(
        request.POST or None,
        initial=LeaderProfileForm.initial_from(profile),
        known_areas=leaders.known_areas(request.organisation),
    )
    if request.method == "POST" and form.is_valid():
        leaders.save_profile(request, membership, form.profile_values(), form.changed_fields())
        messages.success(request, _("Saved."))
        organisation = request.organisation
        return redirect(
            "groups:my-leader-profile" if own else "groups:leaders", org=organisation.slug
        )
    return render(
        request,
        "groups/staff/leader_profile.html",
        {
            "form": form,
            "leader": membership.user,
            "own": own or membership.user == signed_in_user(request),
            "recorded": profile.pk is not None,
        },
    )
