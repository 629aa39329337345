"""What used to be a database filter or sort on now-encrypted fields still gives the same
answer: the people to keep apart sorted by name, the suggested home areas."""

from __future__ import annotations

from django.test import Client
from django_scopes import scopes_disabled

from kretsen.core.models import Organisation, User
from kretsen.groups.leaders import known_areas
from kretsen.intake.models import Intake, Readiness, Registration
from tests.conftest import make_registration, sign_in_staff


def test_it_lists_the_people_to_keep_apart_by_name(
    client: Client, org_a: Organisation, registration_a: Registration, coordinator_a: User
) -> None:
    with scopes_disabled():
        for name in ("Örjan", "bo", "Anna", "Cecilia"):
            make_registration(org_a, display_name=name)
    sign_in_staff(client, coordinator_a)
    page = client.get(f"/staff/org-a/registrations/{registration_a.public_id}/intake/")
    labels = [str(label) for _key, label in page.context["form"].fields["never_with"].choices]
    names = [label.split(" (")[0] for label in labels if label]
    assert names == ["Anna", "bo", "Cecilia", "Örjan"]


def test_it_suggests_each_home_area_once(org_a: Organisation) -> None:
    with scopes_disabled():
        for area in ("Söder", "Norr", "Söder", ""):
            Intake.objects.create(
                registration=make_registration(org_a),
                organisation=org_a,
                readiness=Readiness.READY,
                area=area,
            )
    assert known_areas(org_a) == ["Norr", "Söder"]
