"""A relative's pages run inside a scope over the organisations holding their own records."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django_scopes import scopes_disabled

from kretsen.core.access import relative_organisations, relative_scope
from kretsen.core.models import Organisation, User
from kretsen.intake.models import Registration
from tests.conftest import make_registration

SOURCE = Path(__file__).resolve().parents[2] / "src" / "kretsen"


@pytest.mark.django_db
def test_the_scope_holds_only_the_organisations_of_the_persons_own_records(
    org_a: Organisation, org_b: Organisation, relative: User, registration_a: Registration
) -> None:
    stranger = User.objects.create_relative("stranger@example.org", display_name="Bo")
    with scopes_disabled():
        elsewhere = make_registration(org_b, user=stranger, email=stranger.email)

    assert relative_organisations(relative) == [org_a.pk]
    with relative_scope(relative):
        seen = set(Registration.objects.values_list("pk", flat=True))
    # A query that forgot to filter by the person still cannot reach the other organisation.
    assert registration_a.pk in seen
    assert elsewhere.pk not in seen


@pytest.mark.django_db
def test_a_person_with_no_records_sees_nothing(
    org_a: Organisation, registration_a: Registration
) -> None:
    newcomer = User.objects.create_relative("new@example.org", display_name="Cy")
    with relative_scope(newcomer):
        assert not Registration.objects.exists()


def test_no_view_switches_tenancy_off() -> None:
    offenders = []
    for path in SOURCE.rglob("views/*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Name) and node.id == "scopes_disabled":
                offenders.append(f"{path.relative_to(SOURCE)}:{node.lineno}")
            if isinstance(node, ast.alias) and node.name == "scopes_disabled":
                offenders.append(f"{path.relative_to(SOURCE)}:{node.lineno} (import)")
    assert offenders == []
