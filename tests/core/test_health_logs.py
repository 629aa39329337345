"""Logs are JSON lines with no personal data: a request writes one line naming its route, and
a relative's name and e-mail address (a canary) appear nowhere in the log (decision 0112)."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest
from django.test import Client
from django.urls import reverse
from django_scopes import scope

from kretsen.core.logging import JsonLinesFormatter
from kretsen.core.models import Organisation, User
from tests.conftest import make_registration, sign_in_staff

CANARY_EMAIL = "canary.relative@example.org"
CANARY_NAME = "Kanarie Släktingsson"


@pytest.fixture
def log_lines() -> Iterator[io.StringIO]:
    """Everything the root logger writes, through the formatter the settings configured."""
    (configured,) = [h for h in logging.getLogger().handlers if h.name == "console"]
    assert isinstance(configured.formatter, JsonLinesFormatter)
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(configured.formatter)
    logging.getLogger().addHandler(handler)
    try:
        yield stream
    finally:
        logging.getLogger().removeHandler(handler)


def test_a_request_writes_one_json_line_with_its_route(db: None, log_lines: io.StringIO) -> None:
    Client().get("/sign-in/")
    (line,) = [json.loads(text) for text in log_lines.getvalue().splitlines()]
    assert line["logger"] == "kretsen.request"
    assert (line["method"], line["route"], line["status"]) == ("GET", "core:sign-in", 200)
    assert line["level"] == "INFO"
    assert line["time"].endswith("+00:00")


def test_the_canary_relative_is_nowhere_in_the_log(
    org_a: Organisation, coordinator_a: User, log_lines: io.StringIO
) -> None:
    with scope(organisation=org_a):
        registration = make_registration(org_a, display_name=CANARY_NAME, email=CANARY_EMAIL)
    User.objects.create_relative(CANARY_EMAIL, display_name=CANARY_NAME)
    staff = sign_in_staff(Client(), coordinator_a)
    page = reverse(
        "intake:registration", kwargs={"org": org_a.slug, "registration": registration.public_id}
    )
    assert CANARY_NAME in staff.get(page).content.decode()
    # A sign-in link for the relative, and someone guessing a staff password with the
    # relative's address as the user name (django-axes logs each failure).
    Client().post("/sign-in/", {"email": CANARY_EMAIL})
    for _ in range(3):
        Client().post("/staff/account/sign-in/", {"username": CANARY_EMAIL, "password": "x"})
    logging.getLogger("kretsen.test").exception("boom", exc_info=ValueError(CANARY_EMAIL))

    text = log_lines.getvalue()
    lines = [json.loads(line) for line in text.splitlines()]
    routes = [line.get("route") for line in lines]
    assert routes.count("intake:registration") == 1
    assert routes.count("core:staff-sign-in") == 3
    assert lines[-1]["exception"] == "ValueError"
    assert CANARY_EMAIL not in text
    assert CANARY_NAME not in text
    assert CANARY_NAME.encode("unicode_escape").decode() not in text
