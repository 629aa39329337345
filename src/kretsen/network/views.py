from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from kretsen.core.roles import Role
from kretsen.network.access import network_view


@network_view(Role.NETWORK_COORDINATOR)
def network_home(request: HttpRequest, network: str) -> HttpResponse:
    return render(request, "network/home.html", {"network": request.network})  # type: ignore[attr-defined]
