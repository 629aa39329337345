"""Text messages behind one small interface, chosen by ``SMS_BACKEND``.

Only the development backend exists so far: it writes to the log instead of sending. A real
provider is a class with the same ``send`` method, named in the setting.
"""

from __future__ import annotations

import logging
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger("kretsen.sms")


class SmsBackend(Protocol):
    def send(self, to: str, text: str) -> None: ...


class LogBackend:
    """No provider: the message goes to the log, the number shortened. The text itself is
    logged only in development (DEBUG), so that a production log never says who is asked
    to which group."""

    def send(self, to: str, text: str) -> None:
        if settings.DEBUG:
            logger.info("SMS to …%s: %s", to[-3:], text)
        else:
            logger.warning("SMS to …%s not sent: no SMS provider is configured", to[-3:])


class MemoryBackend:
    """Tests: messages are kept in ``outbox``."""

    outbox: list[tuple[str, str]] = []

    def send(self, to: str, text: str) -> None:
        self.outbox.append((to, text))


def send(to: str, text: str) -> None:
    backend: SmsBackend = import_string(settings.SMS_BACKEND)()
    backend.send(to, text)
