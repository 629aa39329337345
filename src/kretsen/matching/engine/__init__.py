"""Pure group-formation engine: plain dataclasses in and out, no Django.

Entry points: ``form_groups`` (a proposal for a ``Problem``, with optional ``Progress``
reports), ``check_group`` (the rules a hand-edited group breaks), ``objective`` (the issue's
objective for any assignment), ``fairness`` and ``first_come_first_served`` (the fairness
figures and the baseline they are compared with).
"""

from .fairness import fairness, first_come_first_served
from .model import (
    BOTH,
    DIGITAL,
    IN_PERSON,
    Fairness,
    Group,
    GroupExplanation,
    Leader,
    LeftOut,
    Person,
    Problem,
    Progress,
    Proposal,
    Reason,
    Rules,
    Status,
    Violation,
    Weights,
)
from .rules import check_group, check_proposal, group_value, objective, person_h, wait_weight
from .solve import form_groups

__all__ = [
    "BOTH",
    "DIGITAL",
    "IN_PERSON",
    "Fairness",
    "Group",
    "GroupExplanation",
    "Leader",
    "LeftOut",
    "Person",
    "Problem",
    "Progress",
    "Proposal",
    "Reason",
    "Rules",
    "Status",
    "Violation",
    "Weights",
    "check_group",
    "check_proposal",
    "fairness",
    "first_come_first_served",
    "form_groups",
    "group_value",
    "objective",
    "person_h",
    "wait_weight",
]
