"""A proposal whose worker was lost mid-run (stopped, restarted, out of memory) is given up:
it no longer blocks a new run, the page says it failed, and a late result does not revive it."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from django_scopes import scope

from kretsen.core.models import Organisation, User
from kretsen.directory.models import Offer
from kretsen.intake.models import Registration
from kretsen.matching.models import Proposal
from kretsen.matching.services import proposals
from tests.conftest import sign_in_staff
from tests.matching.test_workflow import pool  # noqa: F401 - the waiting list as a fixture


@pytest.fixture(autouse=True)
def _pages_in_english(settings: Any) -> None:
    settings.LANGUAGE_CODE = "en"


def _press(client: Client, org: Organisation, offer: Offer) -> str:
    """Press "Propose groups" (the task is not run: no on-commit callbacks here)."""
    response = client.post(
        f"/staff/{org.slug}/forming/", {"pool": str(offer.public_id), "seconds": "5"}
    )
    assert response.status_code == 302
    return str(response["Location"])


def _running_since(org: Organisation, location: str, ago: timedelta) -> Proposal:
    """The proposal at ``location`` as a worker left it: running, taken up ``ago``."""
    with scope(organisation=org):
        proposal = Proposal.objects.get(public_id=location.rstrip("/").split("/")[-1])
        proposal.state = Proposal.State.RUNNING
        proposal.started_at = timezone.now() - ago
        proposal.save()
    return proposal


@pytest.mark.usefixtures("pool")
def test_a_run_that_lost_its_worker_no_longer_blocks_a_new_one(
    client: Client, org_a: Organisation, offer_a: Offer, coordinator_a: User
) -> None:
    sign_in_staff(client, coordinator_a)
    first = _press(client, org_a, offer_a)
    # A run within its time (5 s) and the grace after it is still going: the same proposal.
    _running_since(org_a, first, timedelta(minutes=5))
    assert _press(client, org_a, offer_a) == first
    # Long past it, the worker is gone: a new run starts and the old one is marked failed.
    lost = _running_since(org_a, first, proposals.ABANDONED_AFTER + timedelta(seconds=10))
    second = _press(client, org_a, offer_a)
    assert second != first
    with scope(organisation=org_a):
        lost.refresh_from_db()
        assert lost.state == Proposal.State.FAILED
        assert lost.finished_at is not None
        assert Proposal.objects.get(public_id=second.split("/")[-2]).state == "queued"


@pytest.mark.usefixtures("pool")
def test_the_scheduler_gives_up_runs_that_lost_their_worker(
    client: Client, org_a: Organisation, offer_a: Offer, coordinator_a: User
) -> None:
    sign_in_staff(client, coordinator_a)
    location = _press(client, org_a, offer_a)
    lost = _running_since(org_a, location, proposals.ABANDONED_AFTER + timedelta(minutes=1))
    with scope(organisation=org_a):
        going = Proposal.objects.create(
            organisation=org_a,
            offer=None,
            state=Proposal.State.RUNNING,
            seconds=300,
            started_at=timezone.now() - proposals.ABANDONED_AFTER,  # its 300 s are not over
        )
    call_command("run_scheduler", "--once")
    with scope(organisation=org_a):
        lost.refresh_from_db()
        going.refresh_from_db()
    assert lost.state == Proposal.State.FAILED
    assert going.state == Proposal.State.RUNNING
    page = client.get(location)
    assert page.status_code == 200
    html = page.content.decode()
    assert "The proposal could not be completed. Try again" in html
    assert 'id="formation-progress"' not in html
    # Its button starts the same search again: the same offer and time.
    action = re.search(r'<form method="post" action="([^"]+)">', html)
    assert action is not None
    again = client.post(action.group(1))
    assert again.status_code == 302
    assert again["Location"] != location
    with scope(organisation=org_a):
        new = Proposal.objects.get(public_id=again["Location"].rstrip("/").split("/")[-1])
    assert (new.offer, new.seconds, new.state) == (offer_a, lost.seconds, Proposal.State.QUEUED)


@pytest.mark.usefixtures("pool")
def test_a_late_result_does_not_revive_a_run_given_up(
    client: Client,
    org_a: Organisation,
    offer_a: Offer,
    coordinator_a: User,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A worker that was only slow, not lost, finishes after the run was given up: the
    coordinator has been told it failed (and may have started another), so it stays failed."""
    sign_in_staff(client, coordinator_a)
    location = _press(client, org_a, offer_a)
    with scope(organisation=org_a):
        proposal = Proposal.objects.get(public_id=location.rstrip("/").split("/")[-1])
    form_groups = proposals.engine.form_groups

    def slow(problem: Any, progress: Any = None) -> Any:
        result = form_groups(problem, progress=progress)
        later = timezone.now() + timedelta(seconds=proposal.seconds) + proposals.ABANDONED_AFTER
        with scope(organisation=org_a):
            running = Proposal.objects.get(pk=proposal.pk)
            assert proposals.fail_abandoned(running, later + timedelta(seconds=1))
        return result

    monkeypatch.setattr(proposals.engine, "form_groups", slow)
    with scope(organisation=org_a):
        proposals.run(proposal.pk)
        proposal.refresh_from_db()
    assert proposal.state == Proposal.State.FAILED
    assert proposal.groups == []
    assert proposal.result == {"error": "abandoned"}


def test_only_running_proposals_can_be_abandoned(
    db: None,
    org_a: Organisation,
    pool: list[Registration],  # noqa: F811
) -> None:
    old = timezone.now() - timedelta(days=2)
    with scope(organisation=org_a):
        for state in Proposal.State:
            proposal = Proposal.objects.create(
                organisation=org_a, state=state, created_at=old, started_at=old
            )
            assert proposals.is_abandoned(proposal) == (state == Proposal.State.RUNNING)


def test_a_run_given_up_is_deleted_by_retention_like_any_finished_proposal(
    db: None, org_a: Organisation, registration_a: Registration
) -> None:
    """Retention keeps running proposals; one whose worker was lost 40 days ago would have
    kept its snapshot of the waiting list for good (promise P35)."""
    from kretsen.care.services import retention

    with scope(organisation=org_a):
        lost = Proposal.objects.create(
            organisation=org_a,
            state=Proposal.State.RUNNING,
            problem={"people": [{"id": str(registration_a.public_id), "area": "Norr"}]},
        )
        Proposal.objects.filter(pk=lost.pk).update(created_at=timezone.now() - timedelta(days=40))
        assert retention.apply()["proposals"] == 0
    call_command("run_scheduler", "--once")
    with scope(organisation=org_a):
        assert retention.apply()["proposals"] == 1
        assert not Proposal.objects.filter(pk=lost.pk).exists()


@pytest.mark.usefixtures("pool")
def test_starting_a_failed_rerun_again_keeps_its_locked_groups_and_pairs(
    client: Client, org_a: Organisation, offer_a: Offer, coordinator_a: User
) -> None:
    """A re-run carries its parent's locked groups and kept-apart pairs; when it fails,
    starting it again must not drop them. A second press starts nothing more."""
    sign_in_staff(client, coordinator_a)
    location = _press(client, org_a, offer_a)
    locked = {"members": ["a", "b", "c", "d"], "slot": 1, "locked": True}
    with scope(organisation=org_a):
        failed = Proposal.objects.get(public_id=location.rstrip("/").split("/")[-1])
        failed.state = Proposal.State.FAILED
        failed.groups = [locked]
        failed.apart = [["e", "f"]]
        failed.together = [["g", "h"]]
        failed.save()
    url = f"/staff/{org_a.slug}/forming/{failed.public_id}/again/"
    again = client.post(url)
    assert again.status_code == 302
    second = client.post(url, follow=True)
    assert "This proposal can no longer be changed." in second.content.decode()
    with scope(organisation=org_a):
        failed.refresh_from_db()
        assert failed.state == Proposal.State.DISCARDED
        new = Proposal.objects.get(public_id=again["Location"].rstrip("/").split("/")[-1])
        assert Proposal.objects.count() == 2
    assert (new.parent, new.state, new.seconds) == (failed, Proposal.State.QUEUED, failed.seconds)
    assert (new.groups, new.apart, new.together) == ([locked], [["e", "f"]], [["g", "h"]])
