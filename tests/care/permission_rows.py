"""Permission-table rows for the care app (collected by ``tests/test_permissions.py``).

Builds on the groups world: the relative is an active member of leader A's group. Here a
follow-up about them, an open questionnaire and a meeting that took place two hours ago.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from kretsen.care.models import FollowUp, QuestionnaireRequest
from tests.groups.factories import make_meeting
from tests.groups.permission_rows import GROUP_STAFF, MEMBER
from tests.permission_table import ADMIN_ONLY, OFFER_STAFF, ORG, RELATIVE_ONLY, Row

ROWS: list[Row] = [
    Row("care:follow-ups", GROUP_STAFF, kwargs=ORG),
    Row(
        "care:follow-up",
        GROUP_STAFF,
        kwargs=lambda ctx: {**ORG(ctx), "follow_up": ctx["follow_up"].public_id},
    ),
    Row("care:flag", GROUP_STAFF, kwargs=MEMBER),
    Row("care:dashboard", OFFER_STAFF, kwargs=ORG),
    Row("care:dashboard-csv", OFFER_STAFF, kwargs=ORG),
    Row("care:retention", ADMIN_ONLY, kwargs=ORG),
    Row(
        "care:my-questionnaire",
        RELATIVE_ONLY,
        kwargs=lambda ctx: {"questionnaire": ctx["questionnaire"].public_id},
    ),
    Row(
        "care:my-feedback",
        RELATIVE_ONLY,
        kwargs=lambda ctx: {
            "member": ctx["member"].public_id,
            "meeting": ctx["past_meeting"].public_id,
        },
    ),
]


def extend_world(world: dict[str, Any]) -> None:
    """Add this app's objects to the shared world (runs with scopes disabled)."""
    member = world["member"]
    world["past_meeting"] = make_meeting(member.group, in_hours=-2)
    world["follow_up"] = FollowUp.objects.create(
        organisation=member.organisation,
        member=member,
        reason=FollowUp.Reason.BURDENED,
        due_on=timezone.localdate() + timedelta(days=7),
    )
    world["questionnaire"] = QuestionnaireRequest.objects.get_or_create(
        member=member,
        instrument="who5",
        timepoint="baseline",
        defaults={"organisation": member.organisation},
    )[0]
