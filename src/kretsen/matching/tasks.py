"""Background work of group formation: one task runs one proposal."""

from __future__ import annotations

from django_scopes import scope, scopes_disabled
from django_tasks import task

from kretsen.matching.models import Proposal
from kretsen.matching.services import proposals


@task()
def run_proposal(proposal_id: int) -> None:
    # The task takes an id and works inside the organisation the proposal belongs to.
    with scopes_disabled():
        organisation = (
            Proposal.objects.filter(pk=proposal_id).values_list("organisation", flat=True).first()
        )
    if organisation is None:
        return
    with scope(organisation=organisation):
        proposals.run(proposal_id)
