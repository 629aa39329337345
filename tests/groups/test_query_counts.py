"""The groups pages ask the database the same number of questions whatever the number of
members and meetings: no query per person or per meeting."""

from __future__ import annotations

from django.test import Client

from kretsen.core.models import User
from kretsen.groups.models import Attendance, Group
from tests.conftest import sign_in_staff
from tests.groups.factories import make_group, make_meeting, make_member, make_ready
from tests.queries import queries_for


def _fill(group: Group, people: int, meetings: int) -> None:
    members = [make_member(group, make_ready(group.organisation, f"P{n}")) for n in range(people)]
    for hours in range(meetings):
        past = make_meeting(group, in_hours=-24 * 7 * (hours + 1))
        for member in members:
            Attendance.objects.create(
                meeting=past, member=member, organisation=group.organisation, status="absent"
            )
        make_meeting(group, in_hours=24 * 7 * (hours + 1))


def test_the_group_page_and_list_do_not_grow_with_the_group(
    client: Client, group_a: Group, coordinator_a: User
) -> None:
    small = make_group(group_a.organisation, group_a.offer, [], name="Liten")
    _fill(small, 2, 2)
    _fill(group_a, 8, 6)
    sign_in_staff(client, coordinator_a)
    few = queries_for(client, f"/staff/org-a/groups/{small.public_id}/")
    assert queries_for(client, f"/staff/org-a/groups/{group_a.public_id}/") == few
    list_small = queries_for(client, "/staff/org-a/groups/")
    make_group(group_a.organisation, group_a.offer, [], name="Tredje")
    assert queries_for(client, "/staff/org-a/groups/") == list_small
