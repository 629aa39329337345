"""A round's compiled report: the web version and the DOCX and PDF files."""

from __future__ import annotations

import uuid
from typing import cast

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from kretsen.network.access import NetworkRequest, report_view
from kretsen.network.models import Round
from kretsen.network.services import report as report_service
from kretsen.network.views.common import network_of

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def round_of(request: HttpRequest) -> Round:
    found = cast(NetworkRequest, request).round
    return found


def _download(content: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    # RFC 6266 filename*: the name in the report's language, å and ø included.
    response["Content-Disposition"] = content_disposition_header(True, name) or ""
    return response


@report_view
@require_GET
def report_page(request: HttpRequest, network: str, round: uuid.UUID) -> HttpResponse:
    found = round_of(request)
    return render(
        request,
        "network/report.html",
        {"network": network_of(request), "round": found, "report": report_service.build(found)},
    )


@report_view
@require_GET
def report_docx(request: HttpRequest, network: str, round: uuid.UUID) -> HttpResponse:
    found = round_of(request)
    return _download(report_service.to_docx(found), DOCX, report_service.file_name(found, "docx"))


@report_view
@require_GET
def report_pdf(request: HttpRequest, network: str, round: uuid.UUID) -> HttpResponse:
    found = round_of(request)
    return _download(
        report_service.to_pdf(found), "application/pdf", report_service.file_name(found, "pdf")
    )
