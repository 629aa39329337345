"""The platform operator's page of messages that could not be sent or hang mid-send."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kretsen.core.access import operator_required
from kretsen.core.errors import DomainError
from kretsen.groups.services import notices


@operator_required
@require_http_methods(["GET", "POST"])
def notice_list(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        notice_id = request.POST.get("notice", "")
        try:
            if not notice_id.isdigit():
                raise DomainError(_("This message is not waiting to be sent again."))
            notices.send_again(request, int(notice_id))
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The message will be sent again within a minute."))
        return redirect("groups:operator-notices")
    return render(
        request,
        "groups/operator/notices.html",
        {"notices": notices.for_operator(), "timeout_minutes": notices.SEND_TIMEOUT_MINUTES},
    )
