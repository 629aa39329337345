"""Fixtures for the core tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.test import override_settings

from tests.mail_server import Inbox


@pytest.fixture
def smtp(smtp_inbox: tuple[Inbox, int]) -> Iterator[Inbox]:
    """Mail goes to the loopback SMTP server for the whole test; its inbox."""
    inbox, port = smtp_inbox
    with override_settings(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=port,
        EMAIL_USE_TLS=False,
        EMAIL_USE_SSL=False,
    ):
        yield inbox
