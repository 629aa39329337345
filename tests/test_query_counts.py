"""The directory and the waiting list ask the database the same number of questions
whatever the amount of data: no query per offer, per organisation or per person.

Each case is measured twice, with a small and with a larger dataset, and the count must be
identical; the larger case must also stay within the page's fixed budget. The speed targets
themselves are checked by ``benchmarks/directory_and_waiting_list.py`` (docs/benchmarks.md).
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kretsen.core.models import Organisation, User
from kretsen.core.roles import Role
from kretsen.core.vocabulary import Condition, Format, Language, Relation, to_mask
from kretsen.directory.models import Offer
from kretsen.intake.models import ContactAttempt, Status
from tests.conftest import make_offer, make_org, make_registration, make_staff, sign_in_staff
from tests.queries import queries_for

AssertMaxQueries = Callable[..., AbstractContextManager[Any]]

REGION = "Norrskogen"
WAITING_LIST = "/staff/org-a/waiting-list/"


def add_offers(organisations: list[Organisation], count: int) -> None:
    """Offers that every directory case below matches, spread over ``organisations``."""
    for number in range(count):
        make_offer(
            organisations[number % len(organisations)],
            title_sv=f"Samtalsgrupp {number}",
            relations=to_mask([Relation.PARTNER, Relation.PARENT], Relation),
            conditions=to_mask([Condition.DEMENTIA, Condition.AGEING], Condition),
            languages=to_mask(["sv", "en"], Language),
            format=Format.BOTH,
            form=Offer.Form.CLOSED,
            starts_when_enough=number % 2 == 0,
            start_date=timezone.localdate() + timedelta(days=number % 30),
        )


def add_organisations(count: int) -> list[Organisation]:
    return [make_org(f"org-{number}", f"Kommun {number}", region=REGION) for number in range(count)]


@pytest.mark.parametrize(
    ("url", "budget"),
    [
        ("/offers/", 3),
        ("/offers/?condition=dementia&relation=partner&format=digital&language=sv", 3),
        ("/offers/?place=org:org-a&soon=on", 4),
        (f"/offers/?place=region:{REGION}&form=closed", 4),
        ("/offers/?q=grupp", 3),
    ],
)
def test_it_answers_the_directory_in_the_same_number_of_queries_for_more_offers(
    db: None,
    client: Client,
    django_assert_max_num_queries: AssertMaxQueries,
    url: str,
    budget: int,
) -> None:
    org_a = make_org("org-a", "Åby kommun", region=REGION)
    add_offers([org_a], 3)
    small = queries_for(client, url)

    add_offers([org_a], 27)
    add_offers(add_organisations(9), 30)
    large = queries_for(client, url)

    assert small == large
    with django_assert_max_num_queries(budget):
        response = client.get(url)
    page = response.context["page"]
    assert page.paginator.count >= 30  # a full page of results, and more
    assert len(page.object_list) == 20


@pytest.mark.parametrize(
    "url", [WAITING_LIST, f"{WAITING_LIST}?condition=dementia&language=sv&format=digital"]
)
def test_it_answers_the_waiting_list_in_the_same_number_of_queries_for_more_people(
    db: None, client: Client, django_assert_max_num_queries: AssertMaxQueries, url: str
) -> None:
    org_a = make_org("org-a", "Åby kommun", region=REGION)
    org_b = make_org("org-b", "Bøfjord kommune", country="NO")
    sign_in_staff(client, make_staff("coordinator@a.example", org_a, {Role.COORDINATOR}))
    offer = make_offer(org_a)
    today = timezone.localdate()

    def add_waiting(count: int) -> None:
        for number in range(count):
            make_registration(
                org_a,
                display_name=f"Person {number}",
                status=Status.WAITING_LIST,
                waiting_since=today - timedelta(days=number),
                offer=offer if number % 2 else None,
                languages=to_mask(["sv", "ar"] if number % 3 else ["sv"], Language),
                format_preference=Format.BOTH,
            )

    add_waiting(3)
    small = queries_for(client, url)

    add_waiting(117)
    for number in range(20):
        make_registration(org_a, status=Status.NEW, display_name=f"New {number}")
        make_registration(
            org_b,
            status=Status.WAITING_LIST,
            waiting_since=today,
            display_name=f"Elsewhere {number}",
        )
    large = queries_for(client, url)

    assert small == large
    # 11 to read, and 5 for the one audit row naming the people shown (decision 0115): a
    # savepoint, the chain's head, the row, the new head, the release (decision 0105).
    with django_assert_max_num_queries(16):
        response = client.get(url)
    page = response.context["page"]
    assert page.paginator.count == 120
    assert len(page.object_list) == 50


def test_it_builds_the_inbox_without_a_query_per_person(
    client: Client, org_a: Organisation, coordinator_a: User
) -> None:
    sign_in_staff(client, coordinator_a)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/staff/org-a/registrations/").status_code == 200
        return len(captured)

    make_registration(org_a)
    queries()  # the first request of a session also saves the session
    few = queries()
    for number in range(30):
        registration = make_registration(org_a, display_name=f"Person {number}")
        ContactAttempt.objects.create(
            registration=registration,
            organisation=org_a,
            channel="phone",
            outcome="no_answer",
        )
    assert queries() == few
