"""The coordinator's workflow: run a proposal in the background, move, lock, re-run, accept."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import translation
from django_scopes import scope

from kretsen.core.models import AuditEvent, Organisation, User
from kretsen.core.roles import Role
from kretsen.core.vocabulary import slot_index
from kretsen.demo import loader as demo
from kretsen.directory.models import Offer
from kretsen.groups.models import Group, GroupMember
from kretsen.intake.models import Intake, Registration
from kretsen.matching import engine
from kretsen.matching.models import Proposal, SharedPool
from kretsen.matching.services import proposals
from kretsen.matching.services.pool import build_problem, to_problem
from tests.conftest import make_staff, sign_in_staff
from tests.groups.factories import make_ready

TUESDAY_EVENING = 1 << slot_index(1, 2)
NAMES = ["Anna", "Bo", "Cilla", "Dan", "Eva", "Fia", "Gun", "Hans", "Ines"]


@pytest.fixture(autouse=True)
def _pages_in_english(settings: Any) -> None:
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def pool(org_a: Organisation, offer_a: Offer, leader_a: User) -> list[Registration]:
    make_staff("second-leader@a.example", org_a, {Role.LEADER})
    with scope(organisation=org_a):
        people = [make_ready(org_a, name, offer=offer_a) for name in NAMES]
        Intake.objects.filter(registration__in=people).update(
            availability=TUESDAY_EVENING, area="Centrum"
        )
        # Ines can come at no time that suits anyone else.
        Intake.objects.filter(registration=people[-1]).update(availability=1)
    return people


def _start(
    client: Client, org: Organisation, offer: Offer, capture: Callable[..., Any]
) -> Proposal:
    with capture(execute=True):
        response = client.post(
            f"/staff/{org.slug}/forming/", {"pool": str(offer.public_id), "seconds": "5"}
        )
    assert response.status_code == 302
    with scope(organisation=org):
        return Proposal.objects.get(public_id=response["Location"].rstrip("/").split("/")[-1])


def test_run_move_lock_rerun_and_accept(
    client: Client,
    org_a: Organisation,
    offer_a: Offer,
    coordinator_a: User,
    pool: list[Registration],
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    sign_in_staff(client, coordinator_a)
    proposal = _start(client, org_a, offer_a, django_capture_on_commit_callbacks)
    assert proposal.state == Proposal.State.DONE
    # Eight people share Tuesday evening: one group of eight with both leaders.
    (group,) = proposal.groups
    assert len(group["members"]) == 8
    assert len(group["leaders"]) == 2
    assert group["slot"] == slot_index(1, 2)
    ines = str(pool[-1].public_id)
    assert ines not in group["members"]
    page = client.get(f"/staff/{org_a.slug}/forming/{proposal.public_id}/").content.decode()
    for name in NAMES:
        assert name in page
    assert "Tuesday, evening" in page
    assert "no time that suits enough others and two leaders" in page

    # Move Anna back to the list: the value drops, the group still keeps every rule.
    anna = str(pool[0].public_id)
    base = f"/staff/{org_a.slug}/forming/{proposal.public_id}/"
    response = client.post(base + "move/", {"person": anna, "target": "list"}, follow=True)
    text = response.content.decode()
    assert "The proposal&#x27;s value went from" in text or "The proposal's value went" in text
    with scope(organisation=org_a):
        proposal.refresh_from_db()
        objective, violations = proposals.evaluate(proposal)
    assert anna not in proposal.groups[0]["members"]
    assert violations == [[]]
    assert objective < proposal.result["objective"]

    # Ines cannot join: the page says the group now breaks a rule.
    client.post(base + "move/", {"person": ines, "target": "1"})
    page = client.get(base).content.decode()
    assert "Breaks a rule" in page
    client.post(base + "move/", {"person": ines, "target": "list"})

    # A locked group is kept by a new run; a group that breaks a rule cannot be locked.
    client.post(base + "lock/", {"group": "1", "on": "1"})
    with scope(organisation=org_a):
        proposal.refresh_from_db()
    assert proposal.groups[0]["locked"] is True
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(base + "again/")
    with scope(organisation=org_a):
        again = Proposal.objects.exclude(pk=proposal.pk).get()
        proposal.refresh_from_db()
    assert proposal.state == Proposal.State.DISCARDED
    assert again.state == Proposal.State.DONE
    assert sorted(again.groups[0]["members"]) == sorted(proposal.groups[0]["members"])

    # Accept: a planned group with both leaders, everyone invited.
    response = client.post(
        f"/staff/{org_a.slug}/forming/{again.public_id}/accept/",
        {"offer": str(offer_a.public_id)},
        follow=True,
    )
    assert "1 group was created and its members invited." in response.content.decode()
    with scope(organisation=org_a):
        created = Group.objects.get()
        assert created.state == Group.State.PLANNED
        # Named by when it meets, in the organisation's language, not "Group 1".
        assert created.name.startswith("Tisdagskvällar")
        assert created.leaderships.count() == 2
        members = GroupMember.objects.filter(group=created)
        assert members.count() == 7
        assert set(members.values_list("status", flat=True)) == {"invited"}
        actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        "matching.proposal.started",
        "matching.proposal.moved",
        "matching.proposal.locked",
        "matching.proposal.accepted",
    } <= actions
    page = client.get(f"/staff/{org_a.slug}/forming/{again.public_id}/").content.decode()
    assert "Plan the meetings of" in page
    series_url = re.search(r'href="([^"]*/series/\?first_day=[^"]*)"', page)
    assert series_url is not None
    series = client.get(series_url.group(1).replace("&amp;", "&")).content.decode()
    first_day = proposals.first_day(slot_index(1, 2)).isoformat()
    assert f'value="{first_day}"' in series
    assert 'value="18:00"' in series
    # Accepting twice is harmless: the proposal can no longer be changed.
    client.post(
        f"/staff/{org_a.slug}/forming/{again.public_id}/accept/", {"offer": str(offer_a.public_id)}
    )
    with scope(organisation=org_a):
        assert Group.objects.count() == 1


def test_bad_input_gets_a_message_and_changes_nothing(
    client: Client,
    org_a: Organisation,
    offer_a: Offer,
    coordinator_a: User,
    pool: list[Registration],
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    sign_in_staff(client, coordinator_a)
    response = client.post(f"/staff/{org_a.slug}/forming/", {"pool": "nonsense", "seconds": "1"})
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    proposal = _start(client, org_a, offer_a, django_capture_on_commit_callbacks)
    base = f"/staff/{org_a.slug}/forming/{proposal.public_id}/"
    before = [list(g["members"]) for g in proposal.groups]
    for data in (
        {"person": "someone-else", "target": "list"},
        {"person": str(pool[0].public_id), "target": "7"},
        {"person": str(pool[0].public_id), "target": "-1"},
        {},
    ):
        response = client.post(base + "move/", data, follow=True)
        assert response.status_code == 200
        assert "message-error" in response.content.decode()
    response = client.post(
        base + "apart/", {"first": str(pool[0].public_id), "second": str(pool[0].public_id)}
    )
    response = client.post(base + "lock/", {"group": "many"}, follow=True)
    assert "Choose a group of this proposal." in response.content.decode()
    with scope(organisation=org_a):
        proposal.refresh_from_db()
    assert [list(g["members"]) for g in proposal.groups] == before
    assert proposal.apart == []


def test_an_empty_waiting_list_explains_instead_of_failing(
    client: Client,
    org_a: Organisation,
    offer_a: Offer,
    coordinator_a: User,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    sign_in_staff(client, coordinator_a)
    proposal = _start(client, org_a, offer_a, django_capture_on_commit_callbacks)
    assert proposal.state == Proposal.State.DONE
    assert proposal.groups == []
    page = client.get(f"/staff/{org_a.slug}/forming/{proposal.public_id}/").content.decode()
    assert proposal.result["status"] == "empty"
    assert "Group 1" not in page
    assert "Accept the proposal" in page


def test_the_demo_waiting_list_forms_groups(db: None, settings: Any) -> None:
    settings.DEMO_TOOLS = True
    demo.load()
    organisation = Organisation.objects.get(name="Demo kommun")
    with scope(organisation=organisation):
        problem = to_problem(build_problem(organisation, None, seconds=5, seed=1))
    result = engine.form_groups(problem)
    assert len(result.groups) >= 2
    assert all(engine.check_group(group, problem) == [] for group in result.groups)
    # Lage can only come on Saturday mornings in the north: he stays on the list, with a reason.
    assert result.left_out

    # The demo's shared digital pool forms one group with Fjordby's three people in it.
    with scope(organisation=organisation):
        offer = Offer.objects.get(organisation=organisation, format="digital")
        pool = SharedPool.objects.get(host=organisation)
        snapshot = build_problem(organisation, offer, seconds=5, seed=1, shared_pool=pool)
    shared = engine.form_groups(to_problem(snapshot))
    (group,) = shared.groups
    homes = {p["id"]: p.get("home") for p in snapshot["people"]}
    assert sorted(homes[m] or "" for m in group.members) == [
        "",
        "",
        "fjordby",
        "fjordby",
        "fjordby",
    ]


def test_a_second_press_while_a_run_is_going_starts_nothing_new(
    client: Client,
    org_a: Organisation,
    offer_a: Offer,
    coordinator_a: User,
    pool: list[Registration],
) -> None:
    sign_in_staff(client, coordinator_a)
    data = {"pool": str(offer_a.public_id), "seconds": "5"}
    # Without running the task (no on-commit callbacks here), the first run stays queued.
    first = client.post(f"/staff/{org_a.slug}/forming/", data)
    second = client.post(f"/staff/{org_a.slug}/forming/", data)
    assert first["Location"] == second["Location"]
    with scope(organisation=org_a):
        assert Proposal.objects.count() == 1


def test_reading_a_proposal_is_logged(
    client: Client,
    org_a: Organisation,
    offer_a: Offer,
    coordinator_a: User,
    pool: list[Registration],
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    sign_in_staff(client, coordinator_a)
    proposal = _start(client, org_a, offer_a, django_capture_on_commit_callbacks)
    client.get(f"/staff/{org_a.slug}/forming/{proposal.public_id}/")
    with scope(organisation=org_a):
        viewed = AuditEvent.objects.filter(action="matching.proposal.viewed")
        assert viewed.count() == 1
        assert len(viewed.get().subjects or []) == len(NAMES)


def test_a_pair_kept_together_is_placed_together_or_not_at_all(
    client: Client,
    org_a: Organisation,
    offer_a: Offer,
    coordinator_a: User,
    pool: list[Registration],
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    sign_in_staff(client, coordinator_a)
    proposal = _start(client, org_a, offer_a, django_capture_on_commit_callbacks)
    anna, ines = str(pool[0].public_id), str(pool[-1].public_id)
    assert anna in proposal.groups[0]["members"]
    base = f"/staff/{org_a.slug}/forming/{proposal.public_id}/"
    # First apart, then together: the newer choice replaces the older.
    client.post(base + "apart/", {"first": anna, "second": ines, "kind": "apart"})
    response = client.post(
        base + "apart/", {"first": anna, "second": ines, "kind": "together"}, follow=True
    )
    assert "They will be kept together when you form the groups again." in (
        response.content.decode()
    )
    with scope(organisation=org_a):
        proposal.refresh_from_db()
    assert proposal.together == [sorted([anna, ines])]
    assert proposal.apart == []
    assert "Kept together:" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(base + "again/")
    with scope(organisation=org_a):
        again = Proposal.objects.exclude(pk=proposal.pk).get()
    assert again.together == proposal.together
    # Ines can meet at no time the others can, so Anna stays on the list with her.
    placed = {m for g in again.groups for m in g["members"]}
    assert anna not in placed
    assert ines not in placed
    assert len(placed) == 7
    with scope(organisation=org_a):
        assert AuditEvent.objects.filter(action="matching.proposal.together").exists()


def test_reasons_are_shown_in_the_language_of_each_request() -> None:
    """The reason labels are built once; each page shows them in its own language."""
    from kretsen.matching.views import reason_label

    with translation.override("sv"):
        swedish = reason_label(engine.Reason.LANGUAGE.value)
    with translation.override("en"):
        english = reason_label(engine.Reason.LANGUAGE.value)
    assert english == "no group with a shared language"
    assert swedish != english
