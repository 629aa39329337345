"""Permission-table rows for the groups app (collected by ``tests/test_permissions.py``).

The world has one digital group of organisation A led by ``leader_a``, with the relative as
an active member, one coming meeting and one own topic.
"""

from __future__ import annotations

from typing import Any

from kretsen.groups.models import Group, GroupMember, Topic
from tests.groups.factories import make_group, make_meeting, make_member
from tests.permission_table import (
    ADMIN_ONLY,
    COORDINATOR_ONLY,
    COORDINATOR_ONLY_POST,
    OFFER_STAFF,
    ORG,
    RELATIVE_ONLY,
    Row,
)
from tests.permission_table import (
    MEMBER as LEADER,
)

#              anonymous relative leader coordinator admin other_org network
GROUP_STAFF = (302, 403, 200, 200, 403, 403, 403)
GROUP_STAFF_POST = (302, 403, 302, 302, 403, 403, 403)
GROUP_STAFF_REDIRECT = GROUP_STAFF_POST
RELATIVE_POST = (302, 302, 403, 403, 403, 403, 403)
NOT_FOUND = (404, 404, 404, 404, 404, 404, 404)


def GROUP(ctx: dict[str, Any]) -> dict[str, Any]:
    return {"org": ctx["org_a"].slug, "group": ctx["group"].public_id}


def MEETING(ctx: dict[str, Any]) -> dict[str, Any]:
    return {**GROUP(ctx), "meeting": ctx["meeting"].public_id}


def MEMBER(ctx: dict[str, Any]) -> dict[str, Any]:
    return {**GROUP(ctx), "member": ctx["member"].public_id}


def MINE(ctx: dict[str, Any]) -> dict[str, Any]:
    return {"member": ctx["member"].public_id}


def MINE_MEETING(ctx: dict[str, Any]) -> dict[str, Any]:
    return {**MINE(ctx), "meeting": ctx["meeting"].public_id}


ROWS: list[Row] = [
    # Platform operators only (none of the personas is one: tests/groups/test_notices_page.py).
    Row("groups:operator-notices", (302, 403, 403, 403, 403, 403, 403)),
    Row("groups:operator-notices", (302, 403, 403, 403, 403, 403, 403), method="POST"),
    Row("groups:list", GROUP_STAFF, kwargs=ORG),
    Row("groups:new", COORDINATOR_ONLY, kwargs=ORG),
    Row("groups:settings", ADMIN_ONLY, kwargs=ORG),
    Row("groups:texts", OFFER_STAFF, kwargs=ORG),
    Row("groups:text", OFFER_STAFF, kwargs=lambda ctx: {**ORG(ctx), "kind": "pledge"}),
    Row("groups:topics", OFFER_STAFF, kwargs=ORG),
    Row(
        "groups:topic",
        OFFER_STAFF,
        kwargs=lambda ctx: {**ORG(ctx), "topic": ctx["topic"].public_id},
    ),
    Row("groups:leaders", OFFER_STAFF, kwargs=ORG),
    Row("groups:my-leader-profile", GROUP_STAFF, kwargs=ORG),
    Row("groups:leader-profile", OFFER_STAFF, kwargs=LEADER),
    # An empty form is refused with the form shown again (200), never saved.
    Row("groups:leader-profile", OFFER_STAFF, method="POST", kwargs=LEADER),
    Row("groups:group", GROUP_STAFF, kwargs=GROUP),
    Row("groups:edit", COORDINATOR_ONLY, kwargs=GROUP),
    Row("groups:state", COORDINATOR_ONLY_POST, method="POST", kwargs=GROUP),
    Row("groups:members-add", COORDINATOR_ONLY, kwargs=GROUP),
    Row("groups:series", COORDINATOR_ONLY, kwargs=GROUP),
    Row("groups:handover", COORDINATOR_ONLY, kwargs=GROUP),
    Row("groups:member-answer", COORDINATOR_ONLY_POST, method="POST", kwargs=MEMBER),
    Row("groups:member-leave", COORDINATOR_ONLY_POST, method="POST", kwargs=MEMBER),
    Row("groups:member-paper-pledge", GROUP_STAFF_POST, method="POST", kwargs=MEMBER),
    Row("groups:meeting", GROUP_STAFF, kwargs=MEETING),
    Row("groups:meeting-cancel", GROUP_STAFF_POST, method="POST", kwargs=MEETING),
    Row("groups:runsheet", GROUP_STAFF, kwargs=MEETING),
    Row("groups:attendance", GROUP_STAFF, kwargs=MEETING),
    # Staff are sent on to the video room (the group's own link here).
    Row("groups:meeting-video", GROUP_STAFF_REDIRECT, kwargs=MEETING),
    # The live panel is for the group's own leaders: a coordinator who does not lead it gets
    # 403 (a missing role), the meeting is 404 to leaders of other groups (test_live_pages.py).
    # Two days before the meeting it shows "opens 15 minutes before"; actions are refused.
    Row("groups:live", (302, 403, 200, 403, 403, 403, 403), kwargs=MEETING),
    Row("groups:live", (302, 403, 302, 403, 403, 403, 403), method="POST", kwargs=MEETING),
    Row("groups:live-state", (302, 403, 200, 403, 403, 403, 403), kwargs=MEETING),
    Row("groups:live-state", (302, 403, 400, 403, 403, 403, 403), method="POST", kwargs=MEETING),
    Row("groups:my-live", RELATIVE_ONLY, kwargs=MINE_MEETING),
    Row("groups:my-live", RELATIVE_POST, method="POST", kwargs=MINE_MEETING),
    Row("groups:my-live-state", RELATIVE_ONLY, kwargs=MINE_MEETING),
    Row(
        "groups:my-live-state",
        (302, 400, 403, 403, 403, 403, 403),
        method="POST",
        kwargs=MINE_MEETING,
    ),
    Row("groups:my-group", RELATIVE_ONLY, kwargs=MINE),
    Row("groups:my-answer", RELATIVE_POST, method="POST", kwargs=MINE),
    Row("groups:my-pledge", RELATIVE_ONLY, kwargs=MINE),
    Row("groups:my-leave", RELATIVE_ONLY, kwargs=MINE),
    Row("groups:my-reminders", RELATIVE_POST, method="POST", kwargs=MINE),
    Row("groups:my-absence", RELATIVE_ONLY, kwargs=MINE_MEETING),
    # Two days before the meeting the video link is not open yet: 403 with an explanation.
    Row("groups:my-video", (302, 403, 403, 403, 403, 403, 403), kwargs=MINE_MEETING),
    Row("groups:my-calendar", RELATIVE_ONLY),
    Row("groups:calendar-feed", NOT_FOUND, kwargs=lambda ctx: {"token": "not-a-token"}),
]


def extend_world(world: dict[str, Any]) -> None:
    """Add this app's objects to the shared world (runs with scopes disabled)."""
    org = world["org_a"]
    users = world["users"]
    group = make_group(
        org,
        world["offer"],
        [users["leader"]],
        format=Group.Format.DIGITAL,
        place="",
        video_link="https://video.example.org/room-42",
    )
    world["group"] = group
    world["member"] = make_member(group, world["registration"], GroupMember.Status.ACTIVE)
    world["meeting"] = make_meeting(group)
    world["topic"] = Topic.objects.create(organisation=org, title_sv="Egen tid")
