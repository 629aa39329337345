from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def kretsen(request: HttpRequest) -> dict[str, Any]:
    return {
        "organisation": getattr(request, "organisation", None),
        "membership": getattr(request, "membership", None),
        "kretsen_languages": settings.LANGUAGES,
    }
