"""Kretsen's URLs and, for the load test only, an empty page: every middleware, no work."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, path

from kretsen.core.access import public
from kretsen.urls import urlpatterns as kretsen_urlpatterns

FLOOR_PATH = "load-floor/"


@public
def floor(request: HttpRequest) -> HttpResponse:
    return HttpResponse(b"", content_type="text/plain")


urlpatterns: list[URLPattern | URLResolver] = [path(FLOOR_PATH, floor)]
urlpatterns += kretsen_urlpatterns  # type: ignore[arg-type]
