"""Strict readers for configuration in the environment.

Every setting of Kretsen comes from an environment variable read by one of these helpers.
A value that cannot be understood stops the start-up with a message naming the variable,
rather than being silently replaced by a default.
"""

from __future__ import annotations

import os
import zoneinfo
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


class Env:
    """Reads typed values from a mapping (``os.environ`` unless another is given)."""

    def __init__(self, source: Mapping[str, str] | None = None) -> None:
        self.source = os.environ if source is None else source

    def _raw(self, name: str) -> str | None:
        value = self.source.get(name)
        if value is None or value.strip() == "":
            return None
        return value.strip()

    def string(self, name: str, default: str | None = None) -> str:
        value = self._raw(name)
        if value is None:
            if default is None:
                raise ImproperlyConfigured(f"The environment variable {name} must be set.")
            return default
        return value

    def optional_string(self, name: str) -> str | None:
        return self._raw(name)

    def boolean(self, name: str, default: bool) -> bool:
        value = self._raw(name)
        if value is None:
            return default
        if value.lower() in _TRUE:
            return True
        if value.lower() in _FALSE:
            return False
        raise ImproperlyConfigured(
            f"{name}={value!r} is not a yes/no value; use one of 1, 0, true, false, yes, no."
        )

    def integer(
        self, name: str, default: int, minimum: int | None = None, maximum: int | None = None
    ) -> int:
        value = self._raw(name)
        if value is None:
            return default
        try:
            number = int(value)
        except ValueError:
            raise ImproperlyConfigured(f"{name}={value!r} is not a whole number.") from None
        if minimum is not None and number < minimum:
            raise ImproperlyConfigured(f"{name}={number} is below the smallest allowed {minimum}.")
        if maximum is not None and number > maximum:
            raise ImproperlyConfigured(f"{name}={number} is above the largest allowed {maximum}.")
        return number

    def strings(self, name: str, default: list[str] | None = None) -> list[str]:
        value = self._raw(name)
        if value is None:
            return list(default or [])
        return [item.strip() for item in value.split(",") if item.strip()]

    def choice(self, name: str, choices: list[str], default: str) -> str:
        value = self._raw(name) or default
        if value not in choices:
            raise ImproperlyConfigured(f"{name}={value!r} is not one of: {', '.join(choices)}.")
        return value

    def time_zone(self, name: str, default: str) -> str:
        value = self._raw(name) or default
        if value not in zoneinfo.available_timezones():
            raise ImproperlyConfigured(
                f"{name}={value!r} is not a known time zone; use a name such as Europe/Stockholm."
            )
        return value

    def database(self, name: str, default: str) -> dict[str, Any]:
        import dj_database_url

        url = self._raw(name) or default
        scheme = urlsplit(url).scheme
        if scheme not in {"sqlite", "postgres", "postgresql", "pgsql"}:
            raise ImproperlyConfigured(
                f"{name} must start with sqlite:// or postgres://, not {scheme or 'nothing'}://."
            )
        # No persistent connections: under ASGI (uvicorn) each request's synchronous code runs
        # in a thread of its own, and a persistent connection stays with its thread, so they
        # pile up (the load test saw 72 for 30 simulated people; Django's docs say to disable
        # them under ASGI). PostgreSQL gets a pool per process instead, below.
        config: dict[str, Any] = dict(dj_database_url.parse(url, conn_max_age=0))
        if config["ENGINE"] == "django.db.backends.sqlite3":
            config["OPTIONS"] = {
                # IMMEDIATE takes the write lock at BEGIN, so two writers queue behind the busy
                # timeout instead of failing halfway through a transaction.
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            }
        else:
            # At most this many connections per process: without a bound every request in
            # flight opens one, and 500 simulated people ran PostgreSQL out of connections
            # ("too many clients"). A request beyond it waits for a free one (up to 20 s).
            # 0 turns the pool off (e.g. behind PgBouncer). Decision 0120.
            size = self.integer("DATABASE_POOL_SIZE", 8, minimum=0, maximum=100)
            if size:
                config["OPTIONS"] = {"pool": {"min_size": 1, "max_size": size, "timeout": 20}}
        return config

    def email(self, name: str, default: str) -> dict[str, Any]:
        """Parse ``EMAIL_URL`` into Django mail settings.

        ``console:``, ``locmem:``, ``smtp://user:pass@host:port`` (STARTTLS with
        ``?tls=1``), and ``smtps://...`` (implicit TLS) are understood.
        """
        url = self._raw(name) or default
        parts = urlsplit(url)
        scheme = parts.scheme
        if scheme == "console":
            return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
        if scheme == "locmem":
            return {"EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
        if scheme not in {"smtp", "smtps"}:
            raise ImproperlyConfigured(
                f"{name} must start with smtp://, smtps://, console: or locmem:, not {scheme!r}."
            )
        if not parts.hostname:
            raise ImproperlyConfigured(f"{name} names no mail server host.")
        try:
            port = parts.port or (465 if scheme == "smtps" else 25)
        except ValueError:
            raise ImproperlyConfigured(f"{name} has a port that is not a number.") from None
        query = parse_qs(parts.query)
        use_tls = query.get("tls", ["0"])[0].lower() in _TRUE
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": parts.hostname,
            "EMAIL_PORT": port,
            "EMAIL_HOST_USER": unquote(parts.username or ""),
            "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
            "EMAIL_USE_SSL": scheme == "smtps",
            "EMAIL_USE_TLS": use_tls and scheme == "smtp",
            "EMAIL_TIMEOUT": 20,
        }
