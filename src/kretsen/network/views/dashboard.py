"""A network's figures: totals across the organisations of its local networks.

The figures and their page come from ``care`` through :mod:`kretsen.core.figures`, so the
network depends on ``core`` alone (decision 0121).
"""

from __future__ import annotations

import uuid

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from kretsen.core import figures
from kretsen.core.models import Organisation
from kretsen.core.roles import Role
from kretsen.network.access import network_view
from kretsen.network.models import LocalNetwork, Network
from kretsen.network.views.common import network_of


def _organisations(found: Network) -> list[Organisation]:
    ids = LocalNetwork.objects.filter(network=found).values_list("organisation", flat=True)
    return list(Organisation.objects.filter(pk__in=ids).order_by("name"))


@network_view(Role.NETWORK_COORDINATOR)
@require_GET
def dashboard(request: HttpRequest, network: uuid.UUID) -> HttpResponse:
    found = network_of(request)
    return figures.registered().page(request, _organisations(found), {"network": found})


@network_view(Role.NETWORK_COORDINATOR)
@require_GET
def dashboard_csv(request: HttpRequest, network: uuid.UUID) -> HttpResponse:
    found = network_of(request)
    return figures.registered().csv(request, _organisations(found))
