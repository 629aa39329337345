"""Pure group-formation engine: plain dataclasses in and out, no Django.

Entry points: ``form_groups`` (a proposal for a ``Problem``), ``check_group`` (the rules a
hand-edited group breaks), ``objective`` (the issue's objective for any assignment).
"""

from .model import (
    BOTH,
    DIGITAL,
    IN_PERSON,
    Group,
    GroupExplanation,
    Leader,
    LeftOut,
    Person,
    Problem,
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
    "Group",
    "GroupExplanation",
    "Leader",
    "LeftOut",
    "Person",
    "Problem",
    "Proposal",
    "Reason",
    "Rules",
    "Status",
    "Violation",
    "Weights",
    "check_group",
    "check_proposal",
    "form_groups",
    "group_value",
    "objective",
    "person_h",
    "wait_weight",
]
