from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from kretsen.core.models import User


class StaffBackend(ModelBackend):
    """Password sign-in for staff only, by e-mail address. Relatives never have a password."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        if not username or not password:
            return None
        user = User.objects.staff().filter(email__iexact=username.strip()).first()
        if user is None:
            # Spend the same time as a real check so response times do not reveal accounts.
            User().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None


class SignInLinkBackend(ModelBackend):
    """The backend a relative's session is recorded with after a sign-in link was consumed.

    It never authenticates by itself: links are checked by ``services.signin.consume_link``.
    """

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> None:
        return None
