"""Start-up checks (Django's system check framework) for settings that only go wrong together."""

from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Warning, register


def behind_proxy() -> bool:
    """Kretsen knows it is behind a proxy when it trusts the proxy's HTTPS header
    (``BEHIND_TLS_PROXY``) or uvicorn is told to trust forwarded headers
    (``FORWARDED_ALLOW_IPS``)."""
    return bool(getattr(settings, "SECURE_PROXY_SSL_HEADER", None)) or bool(
        os.environ.get("FORWARDED_ALLOW_IPS", "").strip()
    )


@register("security")
def proxy_count_check(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    if behind_proxy() and settings.AXES_IPWARE_PROXY_COUNT == 0:
        return [
            Warning(
                "Kretsen is behind a proxy but PROXY_COUNT is 0.",
                hint=(
                    "Every visitor then seems to come from the proxy's address: one person's "
                    "wrong passwords pause sign-in for everyone, the limits per address count "
                    "all visitors together, and the audit trail records the proxy. Set "
                    "PROXY_COUNT to the number of proxies in front of Kretsen "
                    "(docs/operations.md)."
                ),
                id="kretsen.W001",
            )
        ]
    return []
