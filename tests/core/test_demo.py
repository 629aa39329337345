from __future__ import annotations

import re

import pytest
from django.core.management import CommandError, call_command
from django_scopes import scopes_disabled

from kretsen.care.models import FollowUp
from kretsen.core.models import Organisation, StaffMembership, User
from kretsen.demo import loader as demo
from kretsen.demo.management.commands.demo_totp import Command as DemoTotp
from kretsen.demo.management.commands.demo_totp import seconds_valid
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
    code, validity = capsys.readouterr().out.strip().splitlines()
    assert len(code) == 6
    assert code.isdigit()
    match = re.fullmatch(r"\(valid for (\d+) more seconds; then run make totp again\)", validity)
    assert match is not None
    assert 1 <= int(match.group(1)) <= 30


def test_the_code_is_valid_until_its_time_step_ends() -> None:
    # With 30-second steps from t0 = 0, the code shown at second 61 changes at second 90.
    assert seconds_valid(61, 30, 0) == 29
    assert seconds_valid(60, 30, 0) == 30
    assert seconds_valid(89, 30, 0) == 1


def test_make_totp_skips_the_system_checks_that_import_every_view() -> None:
    # The checks import the URL configuration with WeasyPrint and OR-Tools: seconds of wait.
    assert DemoTotp.requires_system_checks == []


def test_the_demo_has_a_meeting_going_on_now_for_the_live_panel(db: None, settings) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from kretsen.groups.models import Meeting
    from kretsen.groups.services import live

    settings.DEMO_TOOLS = True
    demo.load()
    demo.load()
    now = timezone.now()
    with scopes_disabled():
        current = list(
            Meeting.objects.filter(
                group__name="Tisdagsgruppen",
                starts_at__gte=now - timedelta(hours=1),
                starts_at__lte=now + timedelta(minutes=15),
            )
        )
        assert len(current) == 1
        assert live.is_open(current[0], now)
        present = current[0].attendance.filter(status="present").count()
    assert present == 4
