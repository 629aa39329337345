"""Who may use a network view.

- ``network_view(Role.NETWORK_COORDINATOR)``: the network's coordinators.
- ``local_leader_view``: the local leader of the local network in the URL, who must still
  hold an active staff role in that local network's organisation. A leader asking for a
  local network they do not lead (in this network) gets 404; someone who leads none, 403.
- ``report_view``: a round's report. Coordinators always (to preview); after publication the
  network's local leaders too; anyone when the coordinator made it public.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django_scopes import scope

from kretsen.core.access import declare_access, signed_in_user, staff_gate
from kretsen.core.models import StaffMembership, User
from kretsen.core.roles import Role
from kretsen.network.models import LocalNetwork, Network, NetworkMembership, Round

V = TypeVar("V", bound=Callable[..., HttpResponse])


class NetworkRequest(HttpRequest):
    """A request under ``/network/<network>/``; the decorators below set what the view needs."""

    network: Network
    local_network: LocalNetwork
    round: Round


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
            cast(NetworkRequest, request).network = found
            with scope(network=found):
                return view(request, network, *args, **kwargs)

        declare_access(wrapper, "network:" + ",".join(sorted(wanted)))
        return cast(V, wrapper)

    return decorator


def is_coordinator(network: Network, user: User) -> bool:
    return NetworkMembership.objects.filter(
        network=network, user=user, role=Role.NETWORK_COORDINATOR.value
    ).exists()


def active_in_organisation(user: User, local_network: LocalNetwork) -> bool:
    with scope(organisation=local_network.organisation):
        return StaffMembership.objects.filter(user=user, is_active=True).exists()


def led_local_networks(network: Network, user: User) -> list[LocalNetwork]:
    """The local networks of ``network`` that ``user`` leads and may still work for."""
    with scope(network=network):
        led = LocalNetwork.objects.filter(leader=user).select_related("organisation")
        return [local for local in led if active_in_organisation(user, local)]


def local_leader_view(view: V) -> V:
    """A view under ``/network/<network>/local/<local>/`` for that local network's leader."""

    @wraps(view)
    def wrapper(
        request: HttpRequest, network: str, local: uuid.UUID, *args: Any, **kwargs: Any
    ) -> HttpResponse:
        found = get_object_or_404(Network, public_id=network)
        gate = staff_gate(request)
        if gate is not None:
            return gate
        led = led_local_networks(found, signed_in_user(request))
        if not led:
            raise PermissionDenied
        local_network = next((item for item in led if item.public_id == local), None)
        if local_network is None:
            raise Http404
        cast(NetworkRequest, request).network = found
        cast(NetworkRequest, request).local_network = local_network
        with scope(network=found):
            return view(request, network, local, *args, **kwargs)

    declare_access(wrapper, "network:local_leader")
    return cast(V, wrapper)


def report_view(view: V) -> V:
    """A view under ``/network/<network>/rounds/<round>/report...``."""

    @wraps(view)
    def wrapper(
        request: HttpRequest, network: str, round: uuid.UUID, *args: Any, **kwargs: Any
    ) -> HttpResponse:
        found = get_object_or_404(Network, public_id=network)
        with scope(network=found):
            the_round = get_object_or_404(Round, public_id=round)
        if not (the_round.is_published and the_round.is_public):
            gate = staff_gate(request)
            if gate is not None:
                return gate
            user = signed_in_user(request)
            if not is_coordinator(found, user):
                if not led_local_networks(found, user):
                    raise PermissionDenied
                if not the_round.is_published:
                    raise Http404
        cast(NetworkRequest, request).network = found
        cast(NetworkRequest, request).round = the_round
        with scope(network=found):
            return view(request, network, round, *args, **kwargs)

    declare_access(wrapper, "network:report")
    return cast(V, wrapper)
