"""``/healthz`` for the service manager, the load balancer and monitoring (decision 0111)."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from kretsen.core import health
from kretsen.core.access import public


@public
@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    status, checks = health.report()
    return JsonResponse(
        {"status": status, "checks": checks}, status=503 if status == "failing" else 200
    )
