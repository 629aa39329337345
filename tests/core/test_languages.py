from __future__ import annotations

from datetime import UTC, datetime

from django.test import Client
from django.utils import timezone

from kretsen.core.models import AuditEvent, Organisation, User
from tests.conftest import sign_in_staff


def test_it_speaks_swedish_by_default_and_remembers_a_choice(client: Client, db: None) -> None:
    assert '<html lang="sv">' in client.get("/").content.decode()
    response = client.post("/i18n/setlang/", {"language": "nb", "next": "/sign-in/"})
    assert response.headers["Location"] == "/sign-in/"
    page = client.get("/sign-in/").content.decode()
    assert '<html lang="nb">' in page
    assert "Logg inn" in page or "Mine sider" in page


def test_it_offers_every_language_on_every_page(client: Client, db: None) -> None:
    page = client.get("/staff/account/sign-in/").content.decode()
    for code in ("sv", "nb", "en"):
        assert f'name="language" value="{code}"' in page


def test_it_shows_times_in_the_organisations_time_zone_and_language(
    client: Client, org_b: Organisation, coordinator_b: User
) -> None:
    AuditEvent(
        organisation=org_b,
        action="core.test.happened",
        at=datetime(2026, 7, 1, 10, 0, tzinfo=UTC),
    ).save()
    sign_in_staff(client, coordinator_b)
    client.cookies["kretsen_language"] = "nb"
    page = client.get("/staff/org-b/audit/").content.decode()
    # 10:00 UTC is 12:00 in Oslo in summer; Norwegian short date format is day.month.year.
    assert "01.07.2026 12:00" in page
    assert timezone.get_current_timezone_name() != "Europe/Oslo"
