"""Saving an organisation's own texts (a new version each time) and topics."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Max
from django.http import HttpRequest

from kretsen.core import audit
from kretsen.core.formatting import plain
from kretsen.core.models import Organisation, User
from kretsen.groups.models import GroupText, Topic


@transaction.atomic
def save_text(
    request: HttpRequest, organisation: Organisation, kind: str, data: dict[str, Any], by: User
) -> GroupText:
    # Lock the organisation's row: two people saving at once still get two versions.
    Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
    latest = GroupText.objects.filter(organisation=organisation, kind=kind).aggregate(
        top=Max("version")
    )["top"]
    version = GroupText.objects.create(
        organisation=organisation,
        kind=kind,
        version=(latest or 0) + 1,
        text_sv=plain(data.get("text_sv", "")),
        text_nb=plain(data.get("text_nb", "")),
        text_en=plain(data.get("text_en", "")),
        created_by=by,
    )
    audit.log(
        request, "groups.text.saved", version, data={"kind": kind, "version": version.version}
    )
    return version


@transaction.atomic
def save_topic(request: HttpRequest, topic: Topic, *, created: bool) -> Topic:
    for code in ("sv", "nb", "en"):
        setattr(topic, f"summary_{code}", plain(getattr(topic, f"summary_{code}")))
    topic.save()
    audit.log(request, "groups.topic.created" if created else "groups.topic.changed", topic)
    return topic
