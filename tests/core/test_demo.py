from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django_scopes import scopes_disabled

from kretsen.care.models import FollowUp
from kretsen.core import demo
from kretsen.core.models import Organisation, StaffMembership, User
from kretsen.groups.models import Group


def test_it_loads_the_demo_twice_without_duplicates(db: None, settings) -> None:
    settings.DEMO_TOOLS = True
    first = demo.load()
    second = demo.load()
    assert [a.totp_secret for a in first] == [a.totp_secret for a in second]
    assert set(Organisation.objects.values_list("name", flat=True)) == {
        "Demo kommun",
        "Fjordby kommune",
    }
    with scopes_disabled():
        assert StaffMembership.objects.count() == 4
    assert User.objects.relatives().count() == 1
    with scopes_disabled():
        assert sorted(Group.objects.values_list("name", flat=True)) == [
            "Kvällsgruppen på video",
            "Tisdagsgruppen",
            "Vårgruppen",
        ]
        assert FollowUp.objects.count() == 1
    roles = {a.role for a in first}
    assert {"admin", "coordinator", "leader", "relative", "network coordinator"} <= roles


def test_it_refuses_demo_tools_in_production(db: None, settings) -> None:
    settings.DEMO_TOOLS = False
    with pytest.raises(CommandError, match="only runs in development"):
        call_command("load_demo")
    with pytest.raises(CommandError, match="only runs in development"):
        call_command("demo_totp", f"samordnare@{demo.DEMO_DOMAIN}")


def test_it_prints_the_current_code_of_a_demo_account(db: None, settings, capsys) -> None:
    settings.DEMO_TOOLS = True
    demo.load()
    call_command("demo_totp", f"samordnare@{demo.DEMO_DOMAIN}")
    code = capsys.readouterr().out.strip()
    assert len(code) == 6
    assert code.isdigit()
