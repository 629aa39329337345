"""A relative's sign-in by link, and the start of their own pages (``/me/``)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kretsen.core import audit, pages, ratelimit
from kretsen.core.access import public, relative_required
from kretsen.core.audit import client_ip
from kretsen.core.forms import SignInLinkForm
from kretsen.core.services import signin


@public
@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    form = SignInLinkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ip = client_ip(request) or "unknown"
        if not ratelimit.hit("sign-in-ip", ip, limit=30, window_seconds=3600):
            form.add_error(
                None,
                _("Too many requests from this connection. Please wait an hour and try again."),
            )
        else:
            email = form.cleaned_data["email"].lower()
            # Past the per-address limit we quietly send nothing, and answer the same.
            if ratelimit.hit(
                "sign-in-email",
                email,
                limit=settings.SIGN_IN_LINK_RATE_PER_HOUR,
                window_seconds=3600,
            ):
                signin.request_link(email, get_language() or settings.LANGUAGE_CODE)
            return redirect("core:sign-in-sent")
    return render(request, "core/relative/sign_in.html", {"form": form})


@public
def sign_in_sent(request: HttpRequest) -> HttpResponse:
    return render(
        request, "core/relative/sign_in_sent.html", {"minutes": settings.SIGN_IN_LINK_MINUTES}
    )


@public
@require_http_methods(["GET", "POST"])
def sign_in_link(request: HttpRequest, token: str) -> HttpResponse:
    # GET only shows a button: mail scanners that follow links must not use up the link.
    try:
        if request.method == "POST":
            user = signin.consume_link(token)
        else:
            signin.find_usable_link(token)
            return render(request, "core/relative/sign_in_confirm.html")
    except signin.LinkNotUsable as error:
        return render(
            request,
            "core/relative/sign_in_failed.html",
            {"reason": error.message, "form": SignInLinkForm()},
            status=410,
        )
    login(request, user, backend="kretsen.core.auth.SignInLinkBackend")
    audit.log(request, "core.auth.relative_signed_in", user)
    return redirect("core:me")


@relative_required
def me(request: HttpRequest) -> HttpResponse:
    return render(request, "core/relative/me.html", {"sections": pages.sections("me", request)})


@public
@require_POST
def me_sign_out(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.success(request, _("You are signed out."))
    return redirect("core:home")
