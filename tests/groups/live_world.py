"""A meeting that is on now, with two leaders and members present, for the live panel tests."""

from __future__ import annotations

from dataclasses import dataclass

from django.test import Client
from django_scopes import scopes_disabled

from kretsen.core.models import Organisation, User
from kretsen.core.roles import Role
from kretsen.groups.models import Attendance, Group, GroupMember, Meeting
from tests.conftest import (
    make_offer,
    make_registration,
    make_staff,
    sign_in_relative,
    sign_in_staff,
)
from tests.groups.factories import make_group, make_meeting, make_member

NAMES = ("Anna Berg", "Bo", "Cia", "Dan")


@dataclass
class LiveWorld:
    organisation: Organisation
    group: Group
    meeting: Meeting
    leaders: list[User]
    members: list[GroupMember]
    relatives: list[User]

    def leader_url(self, suffix: str = "") -> str:
        return (
            f"/staff/{self.organisation.slug}/groups/{self.group.public_id}"
            f"/meetings/{self.meeting.public_id}/live/{suffix}"
        )

    def member_url(self, index: int, suffix: str = "") -> str:
        member = self.members[index]
        return f"/me/groups/{member.public_id}/meetings/{self.meeting.public_id}/live/{suffix}"


def make_live_world(organisation: Organisation, prefix: str = "") -> LiveWorld:
    """A running group meeting now: two leaders, four members present (Anna Berg, Bo, Cia, Dan)
    and a fifth member, Eva, who told the leaders she could not come."""
    with scopes_disabled():
        leaders = [
            make_staff(f"{prefix}leader-one@live.example", organisation, {Role.LEADER}),
            make_staff(f"{prefix}leader-two@live.example", organisation, {Role.LEADER}),
        ]
        group = make_group(organisation, make_offer(organisation), leaders)
        meeting = make_meeting(group, in_hours=0, minutes=90)
        members = []
        relatives = []
        for index, name in enumerate((*NAMES, "Eva")):
            user = User.objects.create_relative(f"{prefix}member{index}@live.example")
            registration = make_registration(
                organisation,
                display_name=name,
                email=f"{prefix}member{index}@live.example",
                user=user,
            )
            member = make_member(group, registration)
            members.append(member)
            relatives.append(user)
            Attendance.objects.create(
                meeting=meeting,
                member=member,
                organisation=organisation,
                status=Attendance.Status.PRESENT
                if name != "Eva"
                else Attendance.Status.NOTIFIED_ABSENCE,
            )
    return LiveWorld(organisation, group, meeting, leaders, members, relatives)


def staff_client(user: User) -> Client:
    """A verified staff session that has been seen by the session-lifetime middleware."""
    client = sign_in_staff(Client(), user)
    client.get("/staff/")
    return client


def relative_client(user: User) -> Client:
    client = sign_in_relative(Client(), user)
    client.get("/me/")
    return client
