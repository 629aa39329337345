"""An offer's own rules for forming its groups (decision 0040): the form and the engine's words."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils import translation
from django_scopes import scope, scopes_disabled

from kretsen.core.models import Organisation, User
from kretsen.directory.forms import OfferForm
from kretsen.directory.matching_rules import offer_rules_extra
from kretsen.directory.models import MAX_AGE_SPAN, Offer
from tests.conftest import make_offer, sign_in_staff
from tests.directory.offer_form import VALID as OFFER_FORM

NEW = "/staff/org-a/offers/new/"
VALID: dict[str, Any] = {
    **OFFER_FORM,
    "title_sv": "Grupp för unga",
    "purpose_sv": "Vi ses och pratar.",
    "relations": ["young"],
}
RULES = {"gender_specific": "man", "max_age_span": "1", "needs_children_qualification": "on"}
NO_RULES = {"gender": None, "max_age_span": None, "leader_qualification": None}


@pytest.fixture
def coordinator_client(client: Client, coordinator_a: User) -> Client:
    client.cookies["kretsen_language"] = "en"
    return sign_in_staff(client, coordinator_a)


def edit_url(offer: Offer) -> str:
    return f"/staff/org-a/offers/{offer.public_id}/"


def offer_titled(title: str) -> Offer:
    with scopes_disabled():
        return Offer.objects.get(title_sv=title)


def offer_count() -> int:
    with scopes_disabled():
        return Offer.objects.count()


def test_the_engine_has_six_age_bands_so_the_span_is_at_most_five() -> None:
    assert MAX_AGE_SPAN == 5


def test_a_new_offer_keeps_its_group_rules(coordinator_client: Client) -> None:
    form = coordinator_client.get(NEW).content.decode()
    assert "No, open to every gender" in form
    assert 'max="5"' in form
    response = coordinator_client.post(NEW, {**VALID, **RULES})
    assert response.status_code == 302
    offer = offer_titled("Grupp för unga")
    assert response["Location"] == edit_url(offer)
    assert offer.gender_specific == "man"
    assert offer.max_age_span == 1
    assert offer.needs_children_qualification is True
    assert offer_rules_extra(offer) == {
        "gender": "man",
        "max_age_span": 1,
        "leader_qualification": "children",
    }


def test_a_new_offer_without_rules_has_none(coordinator_client: Client) -> None:
    assert coordinator_client.post(NEW, VALID).status_code == 302
    offer = offer_titled("Grupp för unga")
    assert offer.gender_specific == ""
    assert offer.max_age_span is None
    assert offer.needs_children_qualification is False
    assert offer_rules_extra(offer) == NO_RULES


def test_the_rules_are_changed_and_removed_on_an_existing_offer(
    coordinator_client: Client, org_a: Organisation
) -> None:
    offer = make_offer(org_a, title_sv="Grupp för unga")
    changed = {**VALID, "gender_specific": "woman", "max_age_span": "0"}
    response = coordinator_client.post(edit_url(offer), changed)
    assert response.status_code == 302
    offer.refresh_from_db()
    assert (offer.gender_specific, offer.max_age_span, offer.needs_children_qualification) == (
        "woman",
        0,
        False,
    )
    page = coordinator_client.get(edit_url(offer))
    assert page.context["form"]["gender_specific"].value() == "woman"
    assert page.context["form"]["max_age_span"].value() == 0
    assert coordinator_client.post(edit_url(offer), VALID).status_code == 302
    offer.refresh_from_db()
    assert (offer.gender_specific, offer.max_age_span, offer.needs_children_qualification) == (
        "",
        None,
        False,
    )


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"max_age_span": "-1"}, "max_age_span", "greater than or equal to 0"),
        ({"max_age_span": "6"}, "max_age_span", "The span is counted in age bands: at most 5."),
        ({"max_age_span": "99999"}, "max_age_span", "The span is counted in age bands: at most"),
        ({"max_age_span": "1.5"}, "max_age_span", "Enter a whole number."),
        ({"max_age_span": "two"}, "max_age_span", "Enter a whole number."),
        ({"gender_specific": "robot"}, "gender_specific", "Select a valid choice. robot is not"),
    ],
)
def test_bad_rules_are_explained_and_nothing_is_saved(
    coordinator_client: Client, change: dict[str, str], field: str, message: str
) -> None:
    response = coordinator_client.post(NEW, {**VALID, **RULES, **change})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == [field]
    assert message in str(errors[field])
    assert message in response.content.decode()
    assert offer_count() == 0


@pytest.mark.parametrize(
    ("rule", "value"),
    [
        ("gender_specific", "woman"),
        ("max_age_span", "2"),
        ("max_age_span", "0"),
        ("needs_children_qualification", "on"),
    ],
)
def test_individual_talks_refuse_group_rules(
    coordinator_client: Client, rule: str, value: str
) -> None:
    response = coordinator_client.post(NEW, {**VALID, "form": "individual", rule: value})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == [rule]
    assert "Individual talks form no groups" in str(errors[rule])
    assert offer_count() == 0


def test_individual_talks_without_rules_are_saved(coordinator_client: Client) -> None:
    assert coordinator_client.post(NEW, {**VALID, "form": "individual"}).status_code == 302
    assert offer_rules_extra(offer_titled("Grupp för unga")) == NO_RULES


def test_the_form_errors_speak_the_users_language(org_a: Organisation) -> None:
    with scope(organisation=org_a), translation.override("sv"):
        form = OfferForm({**VALID, "max_age_span": "-1"}, instance=Offer(organisation=org_a))
        assert not form.is_valid()
        assert "större än eller lika med 0" in str(form.errors["max_age_span"])


def test_no_offer_means_no_rules() -> None:
    assert offer_rules_extra(None) == NO_RULES


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({}, NO_RULES),
        ({"gender_specific": "woman"}, {**NO_RULES, "gender": "woman"}),
        ({"gender_specific": "other"}, {**NO_RULES, "gender": "other"}),
        ({"max_age_span": 3}, {**NO_RULES, "max_age_span": 3}),
        # 0 is a rule (one age band), not "no limit".
        ({"max_age_span": 0}, {**NO_RULES, "max_age_span": 0}),
        ({"needs_children_qualification": True}, {**NO_RULES, "leader_qualification": "children"}),
        (
            {"gender_specific": "man", "max_age_span": 5, "needs_children_qualification": True},
            {"gender": "man", "max_age_span": 5, "leader_qualification": "children"},
        ),
    ],
)
def test_the_offers_rules_in_the_engines_words(
    org_a: Organisation, fields: dict[str, Any], expected: dict[str, Any]
) -> None:
    offer = make_offer(org_a, **fields)
    offer.refresh_from_db()
    assert offer_rules_extra(offer) == expected
