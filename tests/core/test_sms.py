"""The log backend: the text of a message is logged only in development."""

from __future__ import annotations

import logging

import pytest

from kretsen.core.sms import LogBackend


@pytest.mark.parametrize(("debug", "text_logged"), [(True, True), (False, False)])
def test_the_text_is_logged_only_in_development(
    settings: object, caplog: pytest.LogCaptureFixture, debug: bool, text_logged: bool
) -> None:
    settings.DEBUG = debug  # type: ignore[attr-defined]
    with caplog.at_level(logging.INFO, logger="kretsen.sms"):
        LogBackend().send("+46701234567", "Reminder from Åby kommun: your group meets")
    logged = caplog.text
    assert "…567" in logged
    assert "+46701234567" not in logged
    assert ("your group meets" in logged) is text_logged
