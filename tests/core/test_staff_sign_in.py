from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from django.core import mail
from django.test import Client
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from kretsen.core.models import AuditEvent, User
from kretsen.core.services import twofactor
from tests.conftest import PASSWORD, current_code, sign_in_staff


def sign_in_with_password(client: Client, email: str, password: str = PASSWORD):
    return client.post(
        "/staff/account/sign-in/",
        {"username": email, "password": password, "next": "/staff/org-a/"},
        REMOTE_ADDR="10.0.0.1",
    )


def test_it_asks_for_the_code_after_the_password(client: Client, coordinator_a: User) -> None:
    response = sign_in_with_password(client, coordinator_a.email)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/staff/account/verify/")
    # The password alone opens nothing.
    blocked = client.get("/staff/org-a/")
    assert blocked.status_code == 302
    assert blocked.headers["Location"].startswith("/staff/account/sign-in/")


def _page(response: Any) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


def test_a_right_and_a_wrong_password_look_the_same_until_the_code(
    coordinator_a: User,
) -> None:
    answers = []
    for password in (PASSWORD, "wrong-password-123"):
        client = Client()
        client.cookies["kretsen_language"] = "en"
        after_password = sign_in_with_password(client, coordinator_a.email, password)
        code_page = client.get(after_password.headers["Location"])
        after_code = client.post(
            "/staff/account/verify/", {"token": _wrong_code(coordinator_a), "next": "/staff/org-a/"}
        )
        again = client.get(after_code.headers["Location"])
        answers.append(
            (
                after_password.status_code,
                after_password.headers["Location"],
                code_page.status_code,
                _page(code_page),
                after_code.headers["Location"],
                _page(again),
            )
        )
    assert answers[0] == answers[1]
    assert answers[0][4] == "/staff/account/sign-in/?next=%2Fstaff%2Forg-a%2F"
    assert "The e-mail address, the password or the code is not right." in answers[0][5]
    # The address is filled in again; the password is not.
    assert f'value="{coordinator_a.email}"' in answers[0][5]


def test_it_signs_in_with_the_right_code(client: Client, coordinator_a: User) -> None:
    sign_in_with_password(client, coordinator_a.email)
    response = client.post(
        "/staff/account/verify/", {"token": current_code(coordinator_a), "next": "/staff/org-a/"}
    )
    assert response.headers["Location"] == "/staff/org-a/"
    assert client.get("/staff/org-a/").status_code == 200
    assert AuditEvent.writer.filter(
        action="core.auth.staff_signed_in", actor=coordinator_a
    ).exists()


def test_it_refuses_a_wrong_code(client: Client, coordinator_a: User) -> None:
    sign_in_with_password(client, coordinator_a.email)
    client.cookies["kretsen_language"] = "sv"
    response = client.post(
        "/staff/account/verify/", {"token": _wrong_code(coordinator_a)}, follow=True
    )
    assert response.redirect_chain[-1][0].startswith("/staff/account/sign-in/")
    assert "E-postadressen, lösenordet eller koden stämmer inte" in response.content.decode()
    assert client.get("/staff/org-a/").status_code == 302
    # The code step is over: the password is asked again.
    assert (
        client.get("/staff/account/verify/")
        .headers["Location"]
        .startswith("/staff/account/sign-in/")
    )


def _wrong_code(user: User) -> str:
    return "000000" if current_code(user) != "000000" else "111111"


def test_the_right_code_typed_just_after_a_wrong_one_is_accepted(
    client: Client, coordinator_a: User
) -> None:
    sign_in_with_password(client, coordinator_a.email)
    wrong = client.post("/staff/account/verify/", {"token": _wrong_code(coordinator_a)})
    assert wrong.headers["Location"].startswith("/staff/account/sign-in/")
    sign_in_with_password(client, coordinator_a.email)
    right = client.post("/staff/account/verify/", {"token": current_code(coordinator_a)})
    assert right.status_code == 302
    assert client.get("/staff/org-a/").status_code == 200
    # The wrong code is forgotten once the right one is in: a new typo costs nothing.
    device = TOTPDevice.objects.get(user=coordinator_a, confirmed=True)
    assert device.throttling_failure_count == 0


def test_it_slows_down_a_run_of_wrong_codes_without_telling_them_apart(
    client: Client, coordinator_a: User
) -> None:
    def try_code(code: str) -> str:
        sign_in_with_password(client, coordinator_a.email)
        return client.post("/staff/account/verify/", {"token": code}).headers["Location"]

    for _ in range(twofactor.FREE_WRONG_CODES):
        assert try_code(_wrong_code(coordinator_a)).startswith("/staff/account/sign-in/")
    # Three wrong codes in a row: even the right code waits, and is refused like a wrong one
    # (a "wait" would tell that the password was right).
    assert try_code(current_code(coordinator_a)).startswith("/staff/account/sign-in/")
    # Once the wait is over, the right code is accepted.
    device = TOTPDevice.objects.get(user=coordinator_a, confirmed=True)
    earlier = device.throttling_failure_timestamp - timedelta(seconds=2)
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_timestamp=earlier)
    assert try_code(current_code(coordinator_a)) == "/staff/"


def test_the_wait_doubles_and_has_a_ceiling() -> None:
    free = twofactor.FREE_WRONG_CODES
    assert [twofactor.wait_after(n) for n in range(free + 4)] == [0] * free + [1, 2, 4, 8]
    assert twofactor.wait_after(100) == twofactor.MAX_WAIT_SECONDS


def test_it_accepts_a_recovery_code_once(client: Client, coordinator_a: User) -> None:
    codes = twofactor.new_recovery_codes(coordinator_a)
    sign_in_with_password(client, coordinator_a.email)
    response = client.post("/staff/account/verify/", {"token": codes[0].upper()})
    assert response.status_code == 302
    assert StaticToken.objects.filter(token=codes[0]).exists() is False
    other = Client()
    sign_in_with_password(other, coordinator_a.email)
    used_again = other.post("/staff/account/verify/", {"token": codes[0]})
    assert used_again.headers["Location"].startswith("/staff/account/sign-in/")


def test_an_unknown_address_looks_like_a_known_one(client: Client, coordinator_a: User) -> None:
    unknown = sign_in_with_password(client, "nobody@example.org", "wrong-password-123")
    assert unknown.headers["Location"].startswith("/staff/account/verify/")
    after_code = client.post("/staff/account/verify/", {"token": "123456"})
    assert after_code.headers["Location"].startswith("/staff/account/sign-in/")


def test_it_locks_one_user_and_address_after_repeated_failures(
    client: Client, coordinator_a: User, settings
) -> None:
    client.cookies["kretsen_language"] = "en"
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in_with_password(client, coordinator_a.email, "wrong-password-123")
    locked = sign_in_with_password(client, coordinator_a.email)
    assert locked.status_code == 429
    assert "too many failed attempts" in locked.content.decode()
    # The same person from another address is not locked out by someone guessing.
    elsewhere = Client().post(
        "/staff/account/sign-in/",
        {"username": coordinator_a.email, "password": PASSWORD},
        REMOTE_ADDR="10.9.9.9",
    )
    assert elsewhere.status_code == 302


def test_it_walks_a_new_user_through_setting_up_the_app(client: Client, org_a) -> None:
    from tests.conftest import make_staff

    user = make_staff("new@a.example", org_a, {twofactor_role()})
    TOTPDevice.objects.filter(user=user).delete()
    response = sign_in_with_password(client, user.email)
    assert response.headers["Location"].startswith("/staff/account/two-factor/")
    # Without an app there is no code to ask for.
    verify = client.get("/staff/account/verify/")
    assert verify.headers["Location"].startswith("/staff/account/two-factor/")
    page = client.get(response.headers["Location"])
    assert page.status_code == 200
    assert b"<svg" in page.content
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    from django_otp.oath import totp

    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    done = client.post("/staff/account/two-factor/", {"token": code, "next": "/staff/org-a/"})
    assert done.headers["Location"].startswith("/staff/account/recovery-codes/")
    codes_page = client.get(done.headers["Location"]).content.decode()
    assert len(re.findall(r"<li><code>[a-z2-7]{8}</code></li>", codes_page)) == 10
    # The codes are shown once.
    again = client.get("/staff/account/recovery-codes/").content.decode()
    assert "<li><code>" not in again
    assert client.get("/staff/org-a/").status_code == 200


def twofactor_role():
    from kretsen.core.roles import Role

    return Role.LEADER


def test_it_does_not_let_the_password_alone_replace_the_app(
    client: Client, coordinator_a: User
) -> None:
    sign_in_with_password(client, coordinator_a.email)
    response = client.get("/staff/account/two-factor/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/staff/account/sign-in/")
    assert not TOTPDevice.objects.filter(user=coordinator_a, confirmed=False).exists()


def test_it_resets_a_password_without_signing_in(client: Client, coordinator_a: User) -> None:
    client.post("/staff/account/password-reset/", {"email": coordinator_a.email})
    assert len(mail.outbox) == 1
    match = re.search(
        r"https?://[^/\s]+(/staff/account/password-reset/[^\s]+/)", str(mail.outbox[0].body)
    )
    assert match
    form_page = client.get(match.group(1), follow=True)
    set_url = form_page.redirect_chain[-1][0]
    response = client.post(
        set_url,
        {"new_password1": "a-brand-new-password-7", "new_password2": "a-brand-new-password-7"},
    )
    assert response.headers["Location"] == "/staff/account/password-reset/done/"
    # Not signed in: the second factor is still needed after the new password.
    assert client.get("/staff/org-a/").status_code == 302
    again = sign_in_with_password(client, coordinator_a.email, "a-brand-new-password-7")
    assert again.headers["Location"].startswith("/staff/account/verify/")


def test_it_ends_a_session_after_the_idle_time(
    client: Client, coordinator_a: User, settings
) -> None:
    sign_in_staff(client, coordinator_a)
    assert client.get("/staff/org-a/").status_code == 200
    session = client.session
    session["kretsen_seen"] -= settings.SESSION_IDLE_MINUTES * 60 + 5
    session.save()
    assert client.get("/staff/org-a/").status_code == 302


def test_it_ends_a_session_after_its_absolute_lifetime(
    client: Client, coordinator_a: User, settings
) -> None:
    sign_in_staff(client, coordinator_a)
    client.get("/staff/org-a/")
    session = client.session
    session["kretsen_started"] -= settings.SESSION_ABSOLUTE_HOURS * 3600 + 5
    session.save()
    assert client.get("/staff/org-a/").status_code == 302


def test_it_signs_out(client: Client, coordinator_a: User) -> None:
    sign_in_staff(client, coordinator_a)
    client.post("/staff/account/sign-out/")
    assert client.get("/staff/org-a/").status_code == 302
