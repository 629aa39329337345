"""What care does when something happens in a group (see ``kretsen.groups.signals``)."""

from __future__ import annotations

from typing import Any

from kretsen.care.models import Timepoint
from kretsen.care.services import questionnaires
from kretsen.groups.models import Group, GroupMember


def on_member_activated(sender: Any, member: GroupMember, **kwargs: Any) -> None:
    questionnaires.ask(member, Timepoint.BASELINE)


def on_group_finished(sender: Any, group: Group, **kwargs: Any) -> None:
    for member in group.members.filter(status=GroupMember.Status.ACTIVE):
        questionnaires.ask_at_end(member)
