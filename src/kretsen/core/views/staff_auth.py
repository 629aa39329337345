"""Staff sign-in: password, then a TOTP code (or a recovery code); enrolment; invitations."""

from __future__ import annotations

import math
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_static.models import StaticDevice

from kretsen.core import audit
from kretsen.core.access import password_step_required, public, staff_required
from kretsen.core.errors import DomainError
from kretsen.core.forms import InvitationAcceptForm, StaffSignInForm, TokenForm
from kretsen.core.models import User
from kretsen.core.services import staff as staff_service
from kretsen.core.services import twofactor
from kretsen.core.views.common import safe_next, with_next

RECOVERY_CODES_SESSION_KEY = "kretsen_new_recovery_codes"


def locked_out(
    request: HttpRequest, credentials: Any = None, *args: Any, **kwargs: Any
) -> HttpResponse:
    """django-axes calls this when a user name + IP pair has too many failed attempts."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "core/staff/locked_out.html", {"minutes": minutes}, status=429)


@public
@sensitive_post_parameters("password")
@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    next_url = safe_next(request, reverse("core:staff-home"))
    form = StaffSignInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = authenticate(
            request,
            username=form.cleaned_data["username"],
            password=form.cleaned_data["password"],
        )
        if user is not None:
            login(request, user)
            enrolled = twofactor.has_confirmed_totp(user)
            step = "core:staff-verify" if enrolled else "core:staff-two-factor-setup"
            return redirect(with_next(reverse(step), next_url))
        form.add_error(None, _("The e-mail address or the password is not right."))
    return render(request, "core/staff/sign_in.html", {"form": form, "next": next_url})


def _wait_message(seconds: int) -> str:
    if seconds >= 60:
        minutes = math.ceil(seconds / 60)
        return ngettext(
            "Several wrong codes in a row. Wait %(count)s minute, then type the newest code.",
            "Several wrong codes in a row. Wait %(count)s minutes, then type the newest code.",
            minutes,
        ) % {"count": minutes}
    return ngettext(
        "Several wrong codes in a row. Wait %(count)s second, then type the newest code.",
        "Several wrong codes in a row. Wait %(count)s seconds, then type the newest code.",
        seconds,
    ) % {"count": seconds}


@password_step_required
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    next_url = safe_next(request, reverse("core:staff-home"))
    if user.is_verified():  # type: ignore[attr-defined]
        return redirect(next_url)
    if not twofactor.has_confirmed_totp(user):
        return redirect(with_next(reverse("core:staff-two-factor-setup"), next_url))
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # A wrong code says so; the right code typed next is accepted. Only a run of wrong
        # codes makes the next try wait (see twofactor.wait_after).
        wait = twofactor.seconds_to_wait(user)
        device = None if wait else match_token(user, form.cleaned_data["token"].lower())
        if device is not None:
            twofactor.reset_wrong_codes(user)
            otp_login(request, device)
            audit.log(request, "core.auth.staff_signed_in", user)
            if isinstance(device, StaticDevice):
                left = twofactor.remaining_recovery_codes(user)
                messages.warning(
                    request,
                    ngettext(
                        "You used a recovery code. %(count)s code is left.",
                        "You used a recovery code. %(count)s codes are left.",
                        left,
                    )
                    % {"count": left},
                )
            return redirect(next_url)
        if wait:
            form.add_error(None, _wait_message(wait))
        else:
            form.add_error(
                "token",
                _("That code did not work. Use the newest code in the app, or a recovery code."),
            )
    return render(request, "core/staff/verify.html", {"form": form, "next": next_url})


@password_step_required
@require_http_methods(["GET", "POST"])
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    next_url = safe_next(request, reverse("core:staff-home"))
    if twofactor.has_confirmed_totp(user) and not user.is_verified():  # type: ignore[attr-defined]
        # Replacing the second factor requires having passed it first.
        return redirect(with_next(reverse("core:staff-verify"), next_url))
    device = twofactor.pending_totp_device(user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if twofactor.confirm_totp(device, form.cleaned_data["token"]):
            otp_login(request, device)
            request.session[RECOVERY_CODES_SESSION_KEY] = twofactor.new_recovery_codes(user)
            audit.log(request, "core.auth.two_factor_enrolled", user)
            return redirect(with_next(reverse("core:staff-recovery-codes"), next_url))
        form.add_error("token", _("That code did not work. Check that the phone's clock is right."))
    uri = device.config_url
    return render(
        request,
        "core/staff/two_factor_setup.html",
        {
            "form": form,
            "qr_svg": twofactor.qr_svg(uri),
            "secret": _format_secret(uri),
            "next": next_url,
        },
    )


def _format_secret(uri: str) -> str:
    secret = uri.split("secret=", 1)[1].split("&", 1)[0]
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@staff_required
@require_http_methods(["GET", "POST"])
def recovery_codes(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    if request.method == "POST":
        request.session[RECOVERY_CODES_SESSION_KEY] = twofactor.new_recovery_codes(user)
        audit.log(request, "core.auth.recovery_codes_generated", user)
        return redirect("core:staff-recovery-codes")
    codes = request.session.pop(RECOVERY_CODES_SESSION_KEY, None)
    return render(
        request,
        "core/staff/recovery_codes.html",
        {
            "codes": codes,
            "remaining": twofactor.remaining_recovery_codes(user),
            "next": safe_next(request, reverse("core:staff-home")),
        },
    )


@public
@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        audit.log(request, "core.auth.staff_signed_out", request.user)
    logout(request)
    messages.success(request, _("You are signed out."))
    return redirect("core:staff-sign-in")


@public
@sensitive_post_parameters("password1", "password2")
@require_http_methods(["GET", "POST"])
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    try:
        invite = staff_service.find_invitation(token)
    except DomainError as error:
        return render(
            request, "core/staff/invitation_invalid.html", {"reason": error.message}, status=410
        )
    form = InvitationAcceptForm(
        request.POST or None,
        user=invite.user,
        initial={"display_name": invite.user.display_name},
    )
    if request.method == "POST" and form.is_valid():
        try:
            user = staff_service.accept_invitation(
                request, token, form.cleaned_data["display_name"], form.cleaned_data["password1"]
            )
        except DomainError as error:
            return render(
                request, "core/staff/invitation_invalid.html", {"reason": error.message}, status=410
            )
        login(request, user, backend="kretsen.core.auth.StaffBackend")
        return redirect("core:staff-two-factor-setup")
    return render(
        request,
        "core/staff/invitation.html",
        {"form": form, "organisation": invite.organisation, "email": invite.user.email},
    )


# Password reset comes from Django; it never signs anyone in, so the second factor still applies.
password_reset = public(
    auth_views.PasswordResetView.as_view(
        template_name="core/staff/password_reset.html",
        email_template_name="core/mail/password_reset_body.txt",
        subject_template_name="core/mail/password_reset_subject.txt",
        success_url=reverse_lazy("core:staff-password-reset-sent"),
    )
)
password_reset_sent = public(
    auth_views.PasswordResetDoneView.as_view(template_name="core/staff/password_reset_sent.html")
)
password_reset_confirm = public(
    auth_views.PasswordResetConfirmView.as_view(
        template_name="core/staff/password_reset_confirm.html",
        success_url=reverse_lazy("core:staff-password-reset-done"),
        post_reset_login=False,
    )
)
password_reset_done = public(
    auth_views.PasswordResetCompleteView.as_view(
        template_name="core/staff/password_reset_done.html"
    )
)
