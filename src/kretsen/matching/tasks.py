"""Background work of group formation: one task runs one proposal."""

from __future__ import annotations

from kretsen.core.tasks import organisation_task
from kretsen.matching.models import Proposal
from kretsen.matching.services import proposals


@organisation_task(Proposal)
def run_proposal(proposal_id: int) -> None:
    proposals.run(proposal_id)
