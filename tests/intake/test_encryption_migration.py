"""The migration that encrypts contact details and intake notes: existing rows are encrypted
and their e-mail digest filled in; migrating back gives the plaintext again."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from kretsen.core.crypto import email_digest

BEFORE = [("intake", "0006_registration_anonymised_at")]
AFTER = [("intake", "0007_encrypt_contact_and_intake_text")]


def migrate(targets: list[tuple[str, str]]) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor


def stored(*extra: str) -> tuple[str, ...]:
    columns = ["r.display_name", "r.email", "r.contact_note", "i.next_step", "i.area", *extra]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(columns)} FROM intake_registration r"
            " JOIN intake_intake i ON i.registration_id = r.id"
        )
        return tuple(cursor.fetchone())


@pytest.fixture
def old_schema(transactional_db: None) -> Iterator[MigrationExecutor]:
    executor = migrate(BEFORE)
    yield executor
    migrate([key for key in executor.loader.graph.leaf_nodes()])


def test_it_encrypts_existing_rows_and_back(old_schema: MigrationExecutor) -> None:
    old = old_schema.loader.project_state(BEFORE).apps
    organisation = old.get_model("core", "Organisation").objects.create(
        slug="org-m", name="Migrated", country="SE", default_language="sv"
    )
    registration = old.get_model("intake", "Registration").objects.create(
        organisation=organisation,
        submission_key=uuid.uuid4(),
        display_name="Gunnel",
        email="Gunnel@Example.org",
        contact_note="Ring efter fem",
        relation="partner",
        condition="dementia",
        consent_version="1",
        consent_at=timezone.now(),
    )
    old.get_model("intake", "Intake").objects.create(
        registration=registration,
        organisation=organisation,
        readiness="ready",
        next_step="Erbjud plats",
        area="Söder",
    )

    migrate(AFTER)
    *encrypted, digest = stored("r.email_hash")
    plain = ("Gunnel", "Gunnel@Example.org", "Ring efter fem", "Erbjud plats", "Söder")
    assert all(text not in value for text, value in zip(plain, encrypted, strict=True))
    assert digest == email_digest("gunnel@example.org")

    migrate(BEFORE)
    assert stored() == plain
