"""Who may use a view. Every view in Kretsen carries one of these decorators.

The permission-table test walks the URL resolver and fails for a view without a declaration.
Organisation views are additionally guarded by ``OrganisationMiddleware``, which has already
resolved the organisation, checked that the user holds an active role there and opened the
django-scopes scope before the view runs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import TYPE_CHECKING, Any, TypeVar, cast
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from kretsen.core.roles import Role

if TYPE_CHECKING:
    from kretsen.core.models import Organisation, StaffMembership, User

V = TypeVar("V", bound=Callable[..., Any])


class OrganisationRequest(HttpRequest):
    """A request under ``/staff/<org>/``: ``OrganisationMiddleware`` has checked the user's role
    there and set these before any view runs. Views annotate their request with it."""

    organisation: Organisation
    membership: StaffMembership


def as_organisation_request(
    request: HttpRequest, organisation: Organisation, membership: StaffMembership
) -> OrganisationRequest:
    """The middleware's one place of setting the organisation on a request."""
    typed = cast(OrganisationRequest, request)
    typed.organisation = organisation
    typed.membership = membership
    return typed


def signed_in_user(request: HttpRequest) -> User:
    """The request's user, for views whose decorator has already required a sign-in."""
    assert request.user.is_authenticated
    return request.user


def declare_access(view: Any, access: str) -> None:
    """Mark a view with who may use it, for the permission-table test."""
    view.kretsen_access = access


def public(view: V) -> V:
    """Anyone, signed in or not."""
    declare_access(view, "public")
    return view


def _redirect_with_next(url_name: str, request: HttpRequest) -> HttpResponseRedirect:
    return HttpResponseRedirect(
        f"{reverse(url_name)}?{urlencode({'next': request.get_full_path()})}"
    )


def staff_gate(request: HttpRequest) -> HttpResponse | None:
    """None when the request comes from a staff user who has passed the second factor.

    Otherwise the response to give: a redirect to sign in, to verify the second factor or
    to set it up, or 403 for a signed-in relative.
    """
    user = request.user
    if not user.is_authenticated:
        return _redirect_with_next("core:staff-sign-in", request)
    if getattr(user, "is_relative", False):
        raise PermissionDenied
    if not user.is_verified():  # type: ignore[attr-defined]
        from kretsen.core.services.twofactor import has_confirmed_totp

        if has_confirmed_totp(user):
            return _redirect_with_next("core:staff-verify", request)
        return _redirect_with_next("core:staff-two-factor-setup", request)
    return None


def staff_required(view: V) -> V:
    """A staff user signed in with both factors (any organisation, or none yet)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        gate = staff_gate(request)
        if gate is not None:
            return gate
        return view(request, *args, **kwargs)

    declare_access(wrapper, "staff")
    return cast(V, wrapper)


def operator_required(view: V) -> V:
    """A platform operator (``create_operator``) signed in with both factors."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        gate = staff_gate(request)
        if gate is not None:
            return gate
        if not signed_in_user(request).is_superuser:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    declare_access(wrapper, "operator")
    return cast(V, wrapper)


def password_step_required(view: V) -> V:
    """A staff user who has given the right password but not yet the second factor."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        if not user.is_authenticated:
            return _redirect_with_next("core:staff-sign-in", request)
        if getattr(user, "is_relative", False):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    declare_access(wrapper, "staff-password")
    return cast(V, wrapper)


def relative_organisations(user: User) -> list[int]:
    """The organisations in which ``user`` has records as a relative.

    The one query of the relative's side that crosses tenants, and its rule is in the query:
    registrations whose user is this user. Group places, answers and follow-ups all hang on a
    registration, so these organisations hold every record of the person's own.
    """
    with scopes_disabled():
        return sorted(set(user.registrations.values_list("organisation_id", flat=True)))


@contextmanager
def relative_scope(user: User) -> Iterator[None]:
    """A django-scopes scope over the organisations that hold ``user``'s own records.

    Views inside it still filter by the person (``registration__user``); the scope makes sure
    that no query, forgotten filter or related lookup reaches an organisation the person has
    nothing to do with.
    """
    with scope(organisation=relative_organisations(user)):
        yield


def relative_required(view: V) -> V:
    """A relative signed in through a sign-in link; the view runs inside ``relative_scope``."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        if not user.is_authenticated:
            return _redirect_with_next("core:sign-in", request)
        if not getattr(user, "is_relative", False):
            raise PermissionDenied
        with relative_scope(user):
            return view(request, *args, **kwargs)

    declare_access(wrapper, "relative")
    return cast(V, wrapper)


def organisation_view(*roles: Role) -> Callable[[V], V]:
    """A view under ``/staff/<org>/`` for holders of any of ``roles`` (no roles: any role)."""
    wanted = set(roles)

    def decorator(view: V) -> V:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            membership = getattr(request, "membership", None)
            if membership is None:
                # The middleware did not run for this URL: a configuration error, fail closed.
                raise PermissionDenied
            if wanted and not (membership.roles & wanted):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        declare_access(wrapper, "organisation:" + ",".join(sorted(r.value for r in wanted)))
        return cast(V, wrapper)

    return decorator
