"""The worker forms a proposal with the cores the operator allows (``FORMATION_WORKERS``,
decision 0135): one by default, so a small server's web process stays responsive."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django_scopes import scope

from kretsen.core.models import Organisation, User
from kretsen.directory.models import Offer
from kretsen.matching.models import Proposal
from kretsen.matching.services import proposals
from tests.conftest import sign_in_staff
from tests.matching.test_workflow import pool  # noqa: F401 - the waiting list as a fixture


def _run_and_see_workers(
    client: Client, org: Organisation, offer: Offer, monkeypatch: pytest.MonkeyPatch
) -> tuple[list[int], Proposal]:
    response = client.post(
        f"/staff/{org.slug}/forming/", {"pool": str(offer.public_id), "seconds": "5"}
    )
    assert response.status_code == 302
    with scope(organisation=org):
        proposal = Proposal.objects.get(public_id=response["Location"].rstrip("/").split("/")[-1])
    seen: list[int] = []
    form_groups = proposals.engine.form_groups

    def spy(problem: Any, progress: Any = None) -> Any:
        seen.append(problem.num_workers)
        return form_groups(problem, progress=progress)

    monkeypatch.setattr(proposals.engine, "form_groups", spy)
    with scope(organisation=org):
        proposals.run(proposal.pk)
        proposal.refresh_from_db()
    return seen, proposal


@pytest.mark.usefixtures("pool")
@pytest.mark.parametrize("workers", [None, 2])
def test_the_engine_gets_the_workers_the_operator_allows(
    client: Client,
    org_a: Organisation,
    offer_a: Offer,
    coordinator_a: User,
    monkeypatch: pytest.MonkeyPatch,
    settings: Any,
    workers: int | None,
) -> None:
    if workers is not None:
        settings.FORMATION_WORKERS = workers
    sign_in_staff(client, coordinator_a)
    seen, proposal = _run_and_see_workers(client, org_a, offer_a, monkeypatch)
    assert seen == [workers or 1]
    assert proposal.state == Proposal.State.DONE
    assert proposal.groups
