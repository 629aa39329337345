"""Shared digital pools: two organisations form digital groups together (decision 0041)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django_scopes import scope, scopes_disabled

from kretsen.core.models import AuditEvent, Organisation, User
from kretsen.core.vocabulary import Format, slot_index
from kretsen.directory.models import Offer
from kretsen.groups.models import Group, GroupMember
from kretsen.intake.models import Intake, Registration, Status
from kretsen.matching.models import PoolMember, Proposal, SharedPool, Transfer
from kretsen.matching.services import shared
from tests.conftest import make_offer, sign_in_relative, sign_in_staff
from tests.groups.factories import make_group, make_ready

TUESDAY_EVENING = 1 << slot_index(1, 2)
OURS = ["Anna", "Bo", "Cilla"]
THEIRS = ["Dagny", "Eirik", "Frida"]


@pytest.fixture(autouse=True)
def _pages_in_english(settings: Any) -> None:
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def digital_offer(org_a: Organisation) -> Offer:
    return make_offer(org_a, format=Format.DIGITAL, address="", max_size=6)


def _ready(
    org: Organisation, names: list[str], offer: Offer | None = None, **intake: Any
) -> list[Registration]:
    with scope(organisation=org):
        people = [
            make_ready(org, name, format_preference=Format.DIGITAL, offer=offer) for name in names
        ]
        Intake.objects.filter(registration__in=people).update(
            availability=TUESDAY_EVENING, **intake
        )
    return people


@pytest.fixture
def pool(
    client: Client, org_a: Organisation, org_b: Organisation, admin_a: User, coordinator_b: User
) -> SharedPool:
    """A starts a pool and invites B; B's admin agrees (twice: a double press)."""
    sign_in_staff(client, admin_a)
    response = client.post(
        f"/staff/{org_a.slug}/forming/shared/",
        {"name": "Digital evenings", "invited": [org_b.slug]},
    )
    assert response.status_code == 302
    found = SharedPool.objects.get()
    assert found.host == org_a
    other = sign_in_staff(Client(), coordinator_b)
    page = other.get(f"/staff/{org_b.slug}/forming/shared/").content.decode()
    assert "Digital evenings" in page
    assert "Invited" in page
    for _press in range(2):
        response = other.post(
            f"/staff/{org_b.slug}/forming/shared/{found.public_id}/answer/", {"answer": "agree"}
        )
        assert response.status_code == 302
    assert PoolMember.objects.get(pool=found, organisation=org_b).state == "agreed"
    return found


@pytest.fixture
def people(
    org_a: Organisation, org_b: Organisation, digital_offer: Offer
) -> dict[str, list[Registration]]:
    ours = _ready(org_a, OURS, digital_offer)
    theirs = _ready(org_b, THEIRS, shared_pool=True)
    with scope(organisation=org_b):
        intake = theirs[0].intake
        intake.situation = "Sover dåligt sedan i våras."
        intake.save(update_fields=["situation"])
    # Not offered to the pool: no agreement at intake, or in-person groups only.
    _ready(org_b, ["Gunnar"])
    with scope(organisation=org_b):
        in_person = _ready(org_b, ["Hilde"], shared_pool=True)[0]
        in_person.format_preference = Format.IN_PERSON
        in_person.save(update_fields=["format_preference"])
    return {"ours": ours, "theirs": theirs}


def _start(
    client: Client, org: Organisation, data: dict[str, str], capture: Callable[..., Any]
) -> Any:
    with capture(execute=True):
        return client.post(f"/staff/{org.slug}/forming/", {"seconds": "5", **data})


def test_two_organisations_form_a_digital_group_and_the_home_organisation_releases(
    client: Client,
    org_a: Organisation,
    org_b: Organisation,
    digital_offer: Offer,
    coordinator_a: User,
    leader_a: User,
    coordinator_b: User,
    pool: SharedPool,
    people: dict[str, list[Registration]],
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    assert [r.display_name for r in shared.shared_people(pool, org_a)] == THEIRS
    sign_in_staff(client, coordinator_a)
    response = _start(
        client,
        org_a,
        {"pool": str(digital_offer.public_id), "shared": str(pool.public_id)},
        django_capture_on_commit_callbacks,
    )
    assert response.status_code == 302
    with scope(organisation=org_a):
        proposal = Proposal.objects.get()
    assert proposal.state == Proposal.State.DONE
    (group,) = proposal.groups
    assert len(group["members"]) == 6
    assert group["format"] == "digital"
    homes = [p.get("home") for p in proposal.problem["people"]]
    assert homes.count(org_b.slug) == 3
    assert all(p["area"] is None for p in proposal.problem["people"] if p.get("home"))

    # A sees B's people only by pseudonym.
    page = client.get(f"/staff/{org_a.slug}/forming/{proposal.public_id}/").content.decode()
    for name in OURS:
        assert name in page
    for name in THEIRS:
        assert name not in page
    assert "Bøfjord kommune, person 1" in page
    assert "Bøfjord kommune, person 3" in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/staff/{org_a.slug}/forming/{proposal.public_id}/accept/",
            {"offer": str(digital_offer.public_id)},
        )
    assert response.status_code == 302
    with scope(organisation=org_a):
        created = Group.objects.get()
        assert GroupMember.objects.filter(group=created).count() == 3
    transfers = sorted(
        Transfer.objects.select_related("registration"), key=lambda t: t.registration.display_name
    )
    assert [t.registration.display_name for t in transfers] == THEIRS
    assert {(t.home, t.host, t.state) for t in transfers} == {(org_b, org_a, "pending")}
    page = client.get(f"/staff/{org_a.slug}/forming/{proposal.public_id}/").content.decode()
    assert "Waiting for their organisation" in page
    assert "Dagny" not in page

    # B's coordinator sees the places with names, releases Dagny (twice) and keeps Eirik.
    other = sign_in_staff(Client(), coordinator_b)
    places = other.get(f"/staff/{org_b.slug}/forming/places/").content.decode()
    for name in THEIRS:
        assert name in places
    assert "Åby kommun" in places
    dagny, eirik, _frida = transfers
    relative = User.objects.create_relative("dagny@example.org", display_name="Dagny")
    with scope(organisation=org_b):
        Registration.objects.filter(pk=dagny.registration.pk).update(user=relative)
    for _press in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            response = other.post(
                f"/staff/{org_b.slug}/forming/places/{dagny.public_id}/",
                {"decision": "release"},
                follow=True,
            )
        assert response.status_code == 200
    assert "Dagny was released and invited to the group." in response.content.decode()
    other.post(f"/staff/{org_b.slug}/forming/places/{eirik.public_id}/", {"decision": "keep"})

    with scopes_disabled():
        dagny.refresh_from_db()
        eirik.refresh_from_db()
        assert dagny.state == "released"
        assert eirik.state == "declined"
        assert dagny.registration.status == Status.REFERRED
        assert eirik.registration.status == Status.WAITING_LIST
        copies = [
            r for r in Registration.objects.filter(organisation=org_a) if r.display_name == "Dagny"
        ]
        assert len(copies) == 1
        copy = copies[0]
        assert dagny.moved_to == copy
        assert copy.phone == dagny.registration.phone
        # What the home coordinator wrote at intake stays at home.
        assert dagny.registration.intake.situation == "Sover dåligt sedan i våras."
        assert copy.intake.situation is None
        assert copy.intake.readiness_reason is None
        member = GroupMember.objects.get(group=created, registration=copy)
        assert member.status == GroupMember.Status.INVITED
        assert copy.user == relative
        assert copy.referred_by == org_b
        # The release is logged in B's trail, the invitation in A's.
        assert AuditEvent.objects.filter(
            organisation=org_b, action="matching.transfer.released"
        ).exists()
        assert AuditEvent.objects.filter(
            organisation=org_a, action__startswith="groups.member"
        ).exists()

    # Dagny is told, in her invitation, who passed her on and what the host knows.
    dagny_client = sign_in_relative(Client(), relative)
    invitation = dagny_client.get(f"/me/groups/{member.public_id}/")
    assert invitation.status_code == 200
    assert "You first got in touch with Bøfjord kommune." in invitation.content.decode()
    # "What we store" shows both records: the agreement at home, and who passed her on.
    stored = dagny_client.get("/me/data/").content.decode()
    assert "Passed on to us by</dt><dd>Bøfjord kommune" in stored
    assert stored.count("You agreed that we may offer you a place in a digital group") == 2

    # A place already answered cannot be answered the other way.
    response = other.post(
        f"/staff/{org_b.slug}/forming/places/{dagny.public_id}/",
        {"decision": "keep"},
        follow=True,
    )
    assert "This place has already been answered." in response.content.decode()


def test_a_shared_pool_needs_a_digital_offer(
    client: Client,
    org_a: Organisation,
    offer_a: Offer,
    coordinator_a: User,
    pool: SharedPool,
    people: dict[str, list[Registration]],
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    sign_in_staff(client, coordinator_a)
    response = _start(
        client,
        org_a,
        {"pool": str(offer_a.public_id), "shared": str(pool.public_id)},
        django_capture_on_commit_callbacks,
    )
    assert response.status_code == 200
    assert "A shared pool can only be used to form groups for a digital offer." in (
        response.content.decode()
    )
    with scope(organisation=org_a):
        assert not Proposal.objects.exists()


def test_withdrawing_stops_sharing_and_other_organisations_get_404(
    client: Client,
    org_a: Organisation,
    org_b: Organisation,
    admin_a: User,
    coordinator_a: User,
    coordinator_b: User,
    pool: SharedPool,
    people: dict[str, list[Registration]],
) -> None:
    other = sign_in_staff(Client(), coordinator_b)
    response = other.post(
        f"/staff/{org_b.slug}/forming/shared/{pool.public_id}/answer/", {"answer": "withdraw"}
    )
    assert response.status_code == 302
    assert shared.shared_people(pool, org_a) == []
    # Declining after withdrawing does not fit; the answer is explained, nothing changes.
    response = other.post(
        f"/staff/{org_b.slug}/forming/shared/{pool.public_id}/answer/",
        {"answer": "decline"},
        follow=True,
    )
    assert "That answer does not fit" in response.content.decode()
    assert PoolMember.objects.get(pool=pool, organisation=org_b).state == "withdrawn"

    # A pool B was never invited to, and a place of another organisation's person, are 404.
    lone = SharedPool.objects.create(name="Only A", host=org_a)
    PoolMember.objects.create(pool=lone, organisation=org_a, state=PoolMember.State.AGREED)
    response = other.post(
        f"/staff/{org_b.slug}/forming/shared/{lone.public_id}/answer/", {"answer": "agree"}
    )
    assert response.status_code == 404
    with scope(organisation=org_a):
        group = make_group(org_a, make_offer(org_a), [])
    transfer = Transfer.objects.create(
        pool=pool,
        home=org_b,
        host=org_a,
        registration=people["theirs"][0],
        group=group,
        slot=1,
    )
    sign_in_staff(client, coordinator_a)
    response = client.post(
        f"/staff/{org_a.slug}/forming/places/{transfer.public_id}/", {"decision": "release"}
    )
    assert response.status_code == 404
    transfer.refresh_from_db()
    assert transfer.state == "pending"
    # Bad input: no decision is a message, not an error page.
    response = other.post(
        f"/staff/{org_b.slug}/forming/places/{transfer.public_id}/",
        {"decision": "maybe"},
        follow=True,
    )
    assert "Choose whether to release the person or keep them here." in response.content.decode()
