from __future__ import annotations

from django.test import Client, override_settings

from kretsen.core.models import User
from tests.conftest import sign_in_relative, sign_in_staff


def test_it_sends_security_headers_on_public_pages(client: Client, db: None) -> None:
    response = client.get("/")
    assert response.status_code == 200
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "script-src 'self'" in csp
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response.headers["Permissions-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


@override_settings(SECURE_SSL_REDIRECT=False)
def test_it_sends_hsts_over_https(client: Client, db: None) -> None:
    response = client.get("/", secure=True)
    hsts = response.headers["Strict-Transport-Security"]
    assert "max-age=31536000" in hsts
    assert "includeSubDomains" in hsts


def test_it_does_not_let_pages_with_personal_data_be_stored(
    client: Client, relative: User, admin_a: User
) -> None:
    sign_in_relative(client, relative)
    assert "no-store" in client.get("/me/").headers["Cache-Control"]
    staff = sign_in_staff(Client(), admin_a)
    assert "no-store" in staff.get("/staff/org-a/people/").headers["Cache-Control"]
    assert "no-store" in staff.get("/").headers["Cache-Control"]


def test_it_lets_anonymous_public_pages_be_cached_normally(client: Client, db: None) -> None:
    assert "no-store" not in client.get("/").headers.get("Cache-Control", "")


def test_it_shows_friendly_error_pages_in_the_visitors_language(client: Client, db: None) -> None:
    client.cookies["kretsen_language"] = "en"
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "We could not find that page" in response.content.decode()


def test_it_shows_a_friendly_page_when_something_breaks(rf, db: None) -> None:
    from django.utils import translation
    from django.views.defaults import server_error

    with translation.override("en"):
        response = server_error(rf.get("/"))
    assert response.status_code == 500
    page = response.content.decode()
    assert "Something went wrong on our side" in page
    assert "Traceback" not in page
