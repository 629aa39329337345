"""The people of the load test (locust users), started by benchmarks/load/run.py.

Each simulated person comes through the proxy with an address of their own (X-Forwarded-For;
the stack runs with PROXY_COUNT=1 as behind one TLS proxy) and over HTTPS as the proxy says
(X-Forwarded-Proto), so rate limits and sign-in guessing limits count per person as they
would in production. Forms are sent with the CSRF token and the Origin header a browser sends.
Think times are those of people reading pages: 3 to 10 seconds.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import threading
import uuid
from pathlib import Path
from typing import Any

from locust import HttpUser, between, task

DATA: dict[str, Any] = json.loads(Path(os.environ["LOAD_DATA"]).read_text())
FLOOR = "/load-floor/"
_addresses = itertools.count(1)
# Each run of the series takes its own share of the single-use links.
_share = len(DATA["links"]) // int(os.environ.get("LOAD_RUNS", "1"))
_links = iter(DATA["links"][int(os.environ.get("LOAD_RUN", "0")) * _share :][:_share])
_coordinators = itertools.count()
_leaders = itertools.count()
_lock = threading.Lock()
ATTENDANCE = ["present", "present", "present", "absent", "notified"]
FILTERS = [
    "?condition=dementia",
    "?relation=partner&format=digital",
    "?language=sv&soon=on",
    "?q=grupp",
    "?condition=psychiatric&relation=parent",
]
MEMBER_FIELD = re.compile(r'name="(m_[0-9a-f-]{36})"')


def _next(counter: itertools.count[int]) -> int:
    with _lock:
        return next(counter)


class Person(HttpUser):
    abstract = True
    wait_time = between(3, 10)

    def on_start(self) -> None:
        self.new_address()
        self.client.headers.update(
            {
                "X-Forwarded-Proto": "https",
                "Accept-Language": "sv",
                # A new connection per request, as nginx opens to its upstream by default.
                # Kept-alive connections race uvicorn's 5 s idle close during think times,
                # and the client then sees a reset that no proxy would pass on.
                "Connection": "close",
            }
        )

    def new_address(self) -> None:
        number = _next(_addresses)
        address = f"10.{number // 65536 % 256}.{number // 256 % 256}.{number % 256}"
        self.client.headers["X-Forwarded-For"] = address

    def page(self, path: str, name: str) -> Any:
        """GET a page; a redirect (to a sign-in page, say) counts as an error."""
        with self.client.get(path, name=name, catch_response=True) as response:
            if response.history:
                response.failure(f"redirected to {response.url}")
        return response

    def post_form(self, path: str, data: dict[str, Any], name: str) -> Any:
        """POST as a browser does after showing the form: CSRF token and Origin header."""
        token = self.client.cookies.get("csrftoken", "")
        return self.client.post(
            path,
            data={"csrfmiddlewaretoken": token, **data},
            headers={"Origin": "https://" + str(self.host).split("://", 1)[1]},
            name=name,
            catch_response=True,
        )


class Floor(Person):
    """The empty page: every middleware, no work; the floor the other pages are measured by."""

    weight = 3

    @task
    def empty(self) -> None:
        self.page(FLOOR, "floor (empty view)")


class Visitor(Person):
    """Someone browsing the public directory without signing in."""

    weight = 40

    @task(3)
    def directory(self) -> None:
        self.page("/offers/", "directory")

    @task(3)
    def filtered(self) -> None:
        self.page("/offers/" + random.choice(FILTERS), "directory, filtered")  # noqa: S311

    @task(2)
    def offer(self) -> None:
        self.page(f"/offers/{random.choice(DATA['offers'])}/", "offer")  # noqa: S311


class Applicant(Person):
    """Someone who sends an interest form (a registration) to an organisation."""

    weight = 10

    @task
    def register(self) -> None:
        # Each registration is someone else's, from their own connection: one simulated
        # applicant sends one every few seconds, which the per-address limit rightly stops.
        self.new_address()
        organisation = random.choice(DATA["interest_organisations"])  # noqa: S311
        path = f"/o/{organisation}/interest/"
        self.page(path, "interest form")
        with self.post_form(
            path,
            {
                "offer": "",
                "display_name": "Lena",
                "phone": "070-123 45 67",
                "contact_by_phone": "on",
                "relation": "partner",
                "condition": "dementia",
                "language": "sv",
                "format_preference": "in_person",
                "consent": "on",
                "submission_key": str(uuid.uuid4()),
            },
            "interest form, send",
        ) as response:
            if not (response.url or "").endswith("/interest/received/"):
                response.failure("the registration was not received (form errors?)")


class Relative(Person):
    """A relative who signs in with a link from a mail and reads their own pages."""

    weight = 15

    def on_start(self) -> None:
        super().on_start()
        self.sign_in()

    def sign_in(self) -> None:
        with _lock:
            token = next(_links, None)
        if token is None:
            return
        path = f"/sign-in/link/{token}/"
        self.page(path, "sign-in link")
        with self.post_form(path, {}, "sign-in link, confirm") as response:
            if not (response.url or "").endswith("/me/"):
                response.failure("the sign-in link did not sign in")

    @task(3)
    def me(self) -> None:
        self.page("/me/", "me")

    @task(1)
    def sign_in_again(self) -> None:
        self.client.cookies.clear()
        self.sign_in()


class Coordinator(Person):
    """A coordinator (signed in with both factors) at the inbox, waiting list and dashboard."""

    weight = 10

    def on_start(self) -> None:
        super().on_start()
        sessions = DATA["coordinator_sessions"]
        self.client.cookies.set(
            DATA["session_cookie"], sessions[_next(_coordinators) % len(sessions)]
        )
        self.base = f"/staff/{DATA['organisation']}/"

    @task
    def inbox(self) -> None:
        self.page(self.base + "registrations/", "inbox")

    @task
    def waiting_list(self) -> None:
        self.page(self.base + "waiting-list/", "waiting list")

    @task
    def dashboard(self) -> None:
        self.page(self.base + "dashboard/", "dashboard")


class Leader(Person):
    """A group leader who saves the attendance of a meeting of their own group."""

    weight = 5

    def on_start(self) -> None:
        super().on_start()
        meetings = DATA["leader_meetings"]
        meeting = meetings[_next(_leaders) % len(meetings)]
        self.client.cookies.set(DATA["session_cookie"], meeting["session"])
        self.path = meeting["path"]

    @task
    def attendance(self) -> None:
        page = self.page(self.path, "attendance")
        fields = MEMBER_FIELD.findall(page.text or "")
        data = {field: random.choice(ATTENDANCE) for field in dict.fromkeys(fields)}  # noqa: S311
        with self.post_form(self.path, data | {"drop_in": ""}, "attendance, save") as response:
            if not fields or "/meetings/" in (response.url or "/meetings/"):
                response.failure("the attendance was not saved")
