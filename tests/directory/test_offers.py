from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from django_scopes import scopes_disabled

from kretsen.core.models import AuditEvent, Organisation, User
from kretsen.core.vocabulary import Condition, Format, Language, Relation, to_mask
from kretsen.directory.models import Offer
from tests.conftest import make_offer, make_org, sign_in_staff
from tests.directory.offer_form import VALID


@pytest.fixture
def coordinator_client(client: Client, coordinator_a: User) -> Client:
    client.cookies["kretsen_language"] = "en"
    return sign_in_staff(client, coordinator_a)


def offer_titled(title: str) -> Offer:
    with scopes_disabled():
        return Offer.objects.get(title_sv=title)


def test_it_creates_a_draft_offer_and_logs_it(
    coordinator_client: Client, org_a: Organisation
) -> None:
    response = coordinator_client.post("/staff/org-a/offers/new/", VALID)
    assert response.status_code == 302
    offer = offer_titled("Anhöriggrupp")
    assert offer.state == Offer.State.DRAFT
    assert offer.organisation == org_a
    assert offer.relation_values() == ["partner", "parent"]
    assert offer.language_values() == ["sv"]
    assert AuditEvent.writer.filter(action="directory.offer.created").exists()
    # Drafts are not public.
    assert Client().get(f"/offers/{offer.public_id}/").status_code == 404


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"min_size": "9"}, "max_size", "cannot be fewer than the fewest"),
        ({"meeting_count": ""}, "meeting_count", "A closed group needs a number of meetings"),
        ({"starts_when_enough": ""}, "start_date", "Give a start date"),
        ({"age_min": "30", "age_max": "20"}, "age_max", "cannot be below the youngest"),
        ({"title_sv": "x" * 200}, "title_sv", "at most 120 characters"),
        ({"meeting_minutes": "240"}, "meeting_minutes", "less than or equal to 120"),
    ],
)
def test_it_explains_what_is_wrong_and_keeps_the_input(
    coordinator_client: Client, change: dict[str, str], field: str, message: str
) -> None:
    response = coordinator_client.post("/staff/org-a/offers/new/", {**VALID, **change})
    assert response.status_code == 200
    assert message in str(response.context["form"].errors[field])
    assert "Storgatan 1" in response.content.decode()


def test_it_sanitises_formatted_text(offer_a: Offer) -> None:
    offer_a.purpose_sv = "Hej <script>alert(1)</script> **du**\n\n[länk](javascript:alert(1))"
    offer_a.save()
    page = Client().get(f"/offers/{offer_a.public_id}/").content.decode()
    assert "<script>alert" not in page
    assert "javascript:" not in page
    assert "<strong>du</strong>" in page


def test_it_strips_markup_from_plain_fields(coordinator_client: Client) -> None:
    coordinator_client.post("/staff/org-a/offers/new/", {**VALID, "title_sv": "<b>Grupp</b>"})
    with scopes_disabled():
        assert Offer.objects.filter(title_sv="Grupp").exists()


def test_it_publishes_only_a_complete_offer(
    coordinator_client: Client, org_a: Organisation
) -> None:
    offer = make_offer(org_a, state=Offer.State.DRAFT, languages=0)
    response = coordinator_client.post(
        f"/staff/org-a/offers/{offer.public_id}/state/", {"state": "published"}, follow=True
    )
    assert "Choose at least one language" in response.content.decode()
    offer.refresh_from_db()
    assert offer.state == Offer.State.DRAFT
    offer.languages = to_mask(["sv"], Language)
    offer.save()
    published = coordinator_client.post(
        f"/staff/org-a/offers/{offer.public_id}/state/", {"state": "published"}, follow=True
    )
    # The message tells the state the change left behind, not the one before it.
    assert "The offer is now: Published." in published.content.decode()
    offer.refresh_from_db()
    assert offer.state == Offer.State.PUBLISHED
    assert offer.published_at is not None
    event = AuditEvent.writer.get(action="directory.offer.state_changed")
    assert event.data == {"from": "draft", "to": "published"}
    coordinator_client.post(f"/staff/org-a/offers/{offer.public_id}/state/", {"state": "archived"})
    assert Client().get(f"/offers/{offer.public_id}/").status_code == 404


def test_it_shows_a_draft_to_its_own_staff_as_a_preview(
    coordinator_client: Client, org_a: Organisation
) -> None:
    offer = make_offer(org_a, state=Offer.State.DRAFT)
    assert coordinator_client.get(f"/offers/{offer.public_id}/").status_code == 200


def titles(client: Client, query: dict[str, Any]) -> set[str]:
    response = client.get("/offers/", query)
    assert response.status_code == 200
    return {offer.title_sv for offer in response.context["page"]}


@pytest.fixture
def catalogue(db: None) -> dict[str, Organisation]:
    north = make_org(
        "north", "Norrby kommun", region="Norrland", welcomes_outside_participants=True
    )
    south = make_org("south", "Söderby kommun", region="Skåne")
    oslo = make_org("oslo-k", "Oslo kommune", country="NO", region="Oslo")
    soon = timezone.localdate() + timedelta(days=10)
    later = timezone.localdate() + timedelta(days=200)
    make_offer(north, title_sv="Norr demens", start_date=soon, starts_when_enough=False)
    make_offer(
        north,
        title_sv="Norr digital",
        format=Format.DIGITAL,
        address="",
        conditions=to_mask(["mental_illness"], Condition),
        relations=to_mask([Relation.PARENT], Relation),
        start_date=later,
        starts_when_enough=False,
    )
    make_offer(
        south,
        title_sv="Söder café",
        form=Offer.Form.OPEN,
        languages=to_mask(["sv", "ar"], Language),
        start_date=later,
        starts_when_enough=False,
    )
    make_offer(south, title_sv="Söder utkast", state=Offer.State.DRAFT)
    make_offer(oslo, title_sv="Oslo gruppe", format=Format.DIGITAL, address="")
    return {"north": north, "south": south, "oslo": oslo}


def test_it_lists_only_published_offers(client: Client, catalogue: dict[str, Organisation]) -> None:
    assert titles(client, {}) == {"Norr demens", "Norr digital", "Söder café", "Oslo gruppe"}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"condition": "mental_illness"}, {"Norr digital"}),
        ({"relation": "parent"}, {"Norr digital"}),
        ({"language": "ar"}, {"Söder café"}),
        ({"format": "digital"}, {"Norr digital", "Oslo gruppe"}),
        ({"form": "open"}, {"Söder café"}),
        ({"soon": "on"}, {"Norr demens", "Oslo gruppe"}),
        ({"q": "café"}, {"Söder café"}),
        ({"place": "region:Skåne"}, {"Söder café", "Norr digital"}),
        ({"place": "org:south", "format": "in_person"}, {"Söder café"}),
        ({"place": "region:Oslo"}, {"Oslo gruppe"}),
    ],
)
def test_it_filters_the_directory(
    client: Client, catalogue: dict[str, Organisation], query: dict[str, str], expected: set[str]
) -> None:
    assert titles(client, query) == expected


def test_it_shows_digital_offers_elsewhere_only_when_the_organisation_allows_it(
    client: Client, catalogue: dict[str, Organisation]
) -> None:
    catalogue["north"].welcomes_outside_participants = False
    catalogue["north"].save()
    assert titles(client, {"place": "region:Skåne"}) == {"Söder café"}


@pytest.mark.parametrize(
    "query",
    [
        {"condition": "werewolves"},
        {"place": "org:nowhere"},
        {"place": "'; DROP TABLE"},
        {"format": "<script>"},
        {"soon": "perhaps", "page": "last-ish"},
        {"q": "x" * 5000},
    ],
)
def test_it_ignores_filter_values_it_does_not_know(
    client: Client, catalogue: dict[str, Organisation], query: dict[str, str]
) -> None:
    response = client.get("/offers/", query)
    assert response.status_code == 200


def test_it_falls_back_to_the_organisations_language(client: Client, org_a: Organisation) -> None:
    offer = make_offer(org_a, title_sv="Svensk titel", title_en="", title_nb="")
    client.cookies["kretsen_language"] = "nb"
    page = client.get(f"/offers/{offer.public_id}/").content.decode()
    assert '<h1 lang="sv">Svensk titel</h1>' in page


def test_it_serves_the_list_as_json_to_any_site(client: Client, offer_a: Offer) -> None:
    response = client.get("/o/org-a/offers.json?lang=en", HTTP_ORIGIN="https://kommun.example")
    assert response["Access-Control-Allow-Origin"] == "*"
    data = response.json()
    assert data["offers"][0]["title"] == "Conversation group for relatives"
    assert data["offers"][0]["url"].endswith(f"/offers/{offer_a.public_id}/")


def test_it_lets_the_embedded_list_sit_in_another_sites_frame(
    client: Client, offer_a: Offer
) -> None:
    response = client.get("/o/org-a/embed/")
    assert "X-Frame-Options" not in response.headers
    assert "frame-ancestors *" in response.headers["Content-Security-Policy"]
    assert "Samtalsgrupp för anhöriga" in response.content.decode()
    # Every other page still refuses to be framed.
    assert client.get("/o/org-a/").headers["X-Frame-Options"] == "DENY"


def test_it_lets_an_admin_edit_the_public_settings(
    admin_client: Client, org_a: Organisation
) -> None:
    response = admin_client.post(
        "/staff/org-a/settings/",
        {
            "name": org_a.name,
            "region": "Västra Götaland",
            "default_language": "sv",
            "time_zone": "Europe/Stockholm",
            "welcomes_outside_participants": "on",
            "retention_days": "60",
            "unreached_after_attempts": "3",
            "crisis_sv": "Ring **112** vid fara.",
        },
    )
    assert response.status_code == 302
    org_a.refresh_from_db()
    assert org_a.retention_days == 60
    assert org_a.welcomes_outside_participants
    assert AuditEvent.writer.filter(action="core.organisation.settings_changed").exists()


def test_it_finds_offers_for_every_condition_whatever_condition_is_chosen(
    client: Client, org_a: Organisation
) -> None:
    make_offer(org_a, title_sv="För alla", conditions=0)
    make_offer(org_a, title_sv="Bara beroende", conditions=to_mask(["addiction"], Condition))
    assert titles(client, {"condition": "dementia"}) == {"För alla"}
    assert titles(client, {"condition": "addiction"}) == {"För alla", "Bara beroende"}


def test_it_pages_a_long_list_and_keeps_the_filters(client: Client, org_a: Organisation) -> None:
    for number in range(25):
        make_offer(org_a, title_sv=f"Grupp {number}")
    first = client.get("/offers/", {"condition": "dementia"})
    assert len(first.context["page"]) == 20
    assert "?condition=dementia&amp;page=2" in first.content.decode()
    second = client.get("/offers/", {"condition": "dementia", "page": "2"})
    assert len(second.context["page"]) == 5
