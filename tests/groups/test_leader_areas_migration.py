"""The migration from one area to a list of areas keeps what leaders recorded (decision 0095)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from kretsen.core.models import Organisation, User
from kretsen.core.roles import Role
from tests.conftest import make_staff

BEFORE = [("groups", "0006_notice_accepted_at")]
AFTER = [("groups", "0007_leader_areas")]


def migrate(targets: list[tuple[str, str]]) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return MigrationExecutor(connection)


@pytest.mark.django_db(transaction=True)
def test_it_turns_each_area_into_a_list_and_back(org_a: Organisation, leader_a: User) -> None:
    other = make_staff("other@a.example", org_a, {Role.LEADER})
    old = migrate(BEFORE).loader.project_state(BEFORE).apps
    profiles = old.get_model("groups", "LeaderProfile")
    memberships = {m.user_id: m for m in old.get_model("core", "StaffMembership").objects.all()}
    profiles.objects.create(
        membership=memberships[leader_a.pk], organisation_id=org_a.pk, area=" Söder "
    )
    profiles.objects.create(membership=memberships[other.pk], organisation_id=org_a.pk, area="")
    try:
        new = migrate(AFTER).loader.project_state(AFTER).apps
        found = {
            p.membership_id: p.areas for p in new.get_model("groups", "LeaderProfile").objects.all()
        }
        assert found == {memberships[leader_a.pk].pk: ["Söder"], memberships[other.pk].pk: []}
        new.get_model("groups", "LeaderProfile").objects.filter(
            membership=memberships[other.pk].pk
        ).update(areas=["Norr", "Centrum"])
        back = migrate(BEFORE).loader.project_state(BEFORE).apps
        areas = {
            p.membership_id: p.area for p in back.get_model("groups", "LeaderProfile").objects.all()
        }
        # Back to one area: the first of several.
        assert areas == {memberships[leader_a.pk].pk: "Söder", memberships[other.pk].pk: "Norr"}
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
