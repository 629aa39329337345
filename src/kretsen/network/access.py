from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django_scopes import scope

from kretsen.core.access import signed_in_user, staff_gate
from kretsen.core.roles import Role
from kretsen.network.models import Network, NetworkMembership

V = TypeVar("V", bound=Callable[..., HttpResponse])


def network_view(*roles: Role) -> Callable[[V], V]:
    """A view under ``/network/<network>/``: resolves the network (404), checks the role (403)
    and runs the view in the network's scope."""
    wanted = {role.value for role in roles}

    def decorator(view: V) -> V:
        @wraps(view)
        def wrapper(request: HttpRequest, network: str, *args: Any, **kwargs: Any) -> HttpResponse:
            found = get_object_or_404(Network, public_id=network)
            gate = staff_gate(request)
            if gate is not None:
                return gate
            held = set(
                NetworkMembership.objects.filter(
                    network=found, user=signed_in_user(request)
                ).values_list("role", flat=True)
            )
            if not held or (wanted and not held & wanted):
                raise PermissionDenied
            request.network = found  # type: ignore[attr-defined]
            with scope(network=found):
                return view(request, network, *args, **kwargs)

        wrapper.kretsen_access = "network:" + ",".join(sorted(wanted))  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return decorator
