from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django_scopes import scope

from kretsen.core.access import as_organisation_request, signed_in_user, staff_gate
from kretsen.core.models import Organisation, StaffMembership

Handler = Callable[[HttpRequest], HttpResponse]

PRIVATE_PREFIXES = ("/me/", "/staff/", "/network/", "/admin/", "/sign-in/")


class HeadersMiddleware:
    """Permissions-Policy everywhere; no caching of any page that may show personal data."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        if request.path.startswith(PRIVATE_PREFIXES) or (
            user is not None and user.is_authenticated
        ):
            add_never_cache_headers(response)
            patch_cache_control(response, no_store=True, private=True)
        return response


class SessionLifetimeMiddleware:
    """Ends a signed-in session after an idle period and after an absolute lifetime."""

    STARTED = "kretsen_started"
    SEEN = "kretsen_seen"

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = int(time.time())
            started = request.session.get(self.STARTED)
            seen = request.session.get(self.SEEN)
            idle = settings.SESSION_IDLE_MINUTES * 60
            absolute = settings.SESSION_ABSOLUTE_HOURS * 3600
            if started is None or seen is None:
                request.session[self.STARTED] = started or now
                request.session[self.SEEN] = now
            elif now - seen > idle or now - started > absolute:
                logout(request)
                request.session["kretsen_session_ended"] = True
            elif now - seen >= 30:
                # Write at most every 30 seconds rather than on every request.
                request.session[self.SEEN] = now
        return self.get_response(request)


class OrganisationMiddleware:
    """Resolves ``/staff/<org>/...`` to the organisation and runs the request in its scope.

    Unknown organisation: 404. Not signed in as staff with both factors: redirect to sign in.
    No active role in this organisation: 403. Otherwise ``request.organisation`` and
    ``request.membership`` are set, the organisation's time zone is active, and every query on
    a scoped model is limited to this organisation.
    """

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path_info.startswith("/staff/"):
            return self.get_response(request)
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return self.get_response(request)
        slug = match.kwargs.get("org")
        if slug is None:
            return self.get_response(request)
        organisation = Organisation.objects.filter(slug=slug).first()
        if organisation is None:
            raise Http404
        gate = staff_gate(request)
        if gate is not None:
            return gate
        with scope(organisation=organisation):
            membership = StaffMembership.objects.filter(
                user=signed_in_user(request), is_active=True
            ).first()
            if membership is None:
                raise PermissionDenied
            as_organisation_request(request, organisation, membership)
            timezone.activate(organisation.zone)
            try:
                return self.get_response(request)
            finally:
                timezone.deactivate()
