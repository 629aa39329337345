"""Staff sign-in: password, then a TOTP code (or a recovery code); enrolment; invitations."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import PermissionDenied
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

from kretsen.core import audit, ratelimit
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
    """django-axes calls this when a user name + IP pair has too many failed attempts; the
    rate limits per account and per address answer with the same page."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "core/staff/locked_out.html", {"minutes": minutes}, status=429)


# Between the password and the code: the account whose password was right, or None when it
# was not. Either way the next page asks for the code (decision 0106).
PENDING_SESSION_KEY = "kretsen_sign_in_pending"
# After a failed sign-in: the address typed, to fill in again beside the one message.
FAILED_SESSION_KEY = "kretsen_sign_in_failed"
WINDOW_SECONDS = 3600


def _over_failure_limits(request: HttpRequest, email: str) -> bool:
    ip = audit.client_ip(request) or "unknown"
    return ratelimit.exceeded(
        "staff-sign-in-account", email, settings.STAFF_SIGN_IN_ACCOUNT_FAILURES_PER_HOUR
    ) or ratelimit.exceeded("staff-sign-in-ip", ip, settings.STAFF_SIGN_IN_IP_FAILURES_PER_HOUR)


def _count_failure(request: HttpRequest, email: str) -> None:
    ip = audit.client_ip(request) or "unknown"
    ratelimit.hit("staff-sign-in-account", email, limit=0, window_seconds=WINDOW_SECONDS)
    ratelimit.hit("staff-sign-in-ip", ip, limit=0, window_seconds=WINDOW_SECONDS)


@public
@sensitive_post_parameters("password")
@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    next_url = safe_next(request, reverse("core:staff-home"))
    failed_email = request.session.pop(FAILED_SESSION_KEY, None)
    form = StaffSignInForm(request.POST or None, initial={"username": failed_email or ""})
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["username"].strip().lower()
        if _over_failure_limits(request, email):
            return locked_out(request)
        user = authenticate(request, username=email, password=form.cleaned_data["password"])
        if user is not None and not twofactor.has_confirmed_totp(user):
            # Nothing more protects an account without a second factor: set it up now.
            login(request, user)
            return redirect(with_next(reverse("core:staff-two-factor-setup"), next_url))
        if user is None:
            _count_failure(request, email)
        # A right and a wrong password look the same until the code is given.
        request.session.cycle_key()
        request.session[PENDING_SESSION_KEY] = {
            "user": user.pk if user is not None else None,
            "email": email,
        }
        return redirect(with_next(reverse("core:staff-verify"), next_url))
    failed = None
    if failed_email is not None and request.method == "GET":
        failed = _("The e-mail address, the password or the code is not right. Try again.")
    return render(
        request, "core/staff/sign_in.html", {"form": form, "next": next_url, "failed": failed}
    )


def _pending_user(request: HttpRequest) -> tuple[User | None, str] | None:
    """Who is between the password and the code: (the account or None, the address typed),
    or None when nobody is."""
    if request.user.is_authenticated:
        # A session that passed the password before sign-ins worked this way.
        return request.user, request.user.email
    pending = request.session.get(PENDING_SESSION_KEY)
    if not isinstance(pending, dict):
        return None
    user_id = pending.get("user")
    user = None
    if isinstance(user_id, int):
        user = User.objects.staff().filter(pk=user_id, is_active=True).first()
    return user, str(pending.get("email", ""))


def _sign_in_failed(request: HttpRequest, user: User | None, email: str) -> HttpResponse:
    """The one answer to a wrong password or a wrong code: start again from the password."""
    if user is not None:
        # A right password with a wrong code counts as a failure too, for axes and the limits.
        user_login_failed.send(sender=__name__, credentials={"username": email}, request=request)
        _count_failure(request, email)
    next_url = safe_next(request, reverse("core:staff-home"))
    logout(request)  # ends the pending sign-in (and a half-signed-in session)
    request.session[FAILED_SESSION_KEY] = email
    return redirect(with_next(reverse("core:staff-sign-in"), next_url))


@public  # a pending sign-in is not a user yet; the checks are below
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    next_url = safe_next(request, reverse("core:staff-home"))
    if getattr(request.user, "is_relative", False):
        raise PermissionDenied
    if request.user.is_authenticated and request.user.is_verified():  # type: ignore[attr-defined]
        return redirect(next_url)
    if request.user.is_authenticated and not twofactor.has_confirmed_totp(request.user):
        return redirect(with_next(reverse("core:staff-two-factor-setup"), next_url))
    pending = _pending_user(request)
    if pending is None:
        return redirect(with_next(reverse("core:staff-sign-in"), next_url))
    user, email = pending
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if user is None or not twofactor.has_confirmed_totp(user):
            return _sign_in_failed(request, user, email)
        # A run of wrong codes makes the next try wait (twofactor.wait_after); during the
        # wait the code is not checked, and the answer is the same as for a wrong code.
        wait = twofactor.seconds_to_wait(user)
        device = None if wait else match_token(user, form.cleaned_data["token"].lower())
        if device is None:
            return _sign_in_failed(request, user, email)
        twofactor.reset_wrong_codes(user)
        request.session.pop(PENDING_SESSION_KEY, None)
        if not request.user.is_authenticated:
            login(request, user, backend="kretsen.core.auth.StaffBackend")
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


class ThrottledPasswordResetView(auth_views.PasswordResetView):
    """Django's reset, with a limit on mails per address and per IP (decision 0106). Past a
    limit nothing is sent, and the page answers exactly as when a mail went out."""

    def form_valid(self, form: Any) -> HttpResponse:
        email = form.cleaned_data["email"].strip().lower()
        ip = audit.client_ip(self.request) or "unknown"
        allowed = ratelimit.hit(
            "mail-ip", ip, limit=settings.MAIL_REQUESTS_PER_IP_PER_HOUR, window_seconds=3600
        ) and ratelimit.hit(
            "password-reset-email",
            email,
            limit=settings.PASSWORD_RESET_RATE_PER_HOUR,
            window_seconds=3600,
        )
        if not allowed:
            return redirect(self.get_success_url())
        return super().form_valid(form)


# Password reset comes from Django; it never signs anyone in, so the second factor still applies.
password_reset = public(
    ThrottledPasswordResetView.as_view(
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
