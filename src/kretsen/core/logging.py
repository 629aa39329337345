"""Logs as JSON lines, with no personal data (decision 0112).

``JsonLinesFormatter`` writes one JSON object per line: time (UTC), level, logger, message,
and only the extra fields named in ``EXTRA_FIELDS``, so a record that carries a request or a
user (Django's ``django.request`` does) cannot spill them. An exception is written as its
class and its frames, without its message, because messages of database errors may quote
the values of a row (an e-mail address, a name).

``RequestLogMiddleware`` writes one line per request: method, route name, status and time
taken. It writes the route's name, not the path, because paths carry sign-in tokens, and
never the client's address.
"""

from __future__ import annotations

import json
import logging
import time
import traceback
from collections.abc import Callable
from datetime import UTC, datetime

from django.http import HttpRequest, HttpResponse

EXTRA_FIELDS = ("method", "route", "status", "duration_ms", "task")

request_logger = logging.getLogger("kretsen.request")


class JsonLinesFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for field in EXTRA_FIELDS:
            if field in record.__dict__:
                entry[field] = record.__dict__[field]
        if record.exc_info and record.exc_info[0] is not None:
            entry["exception"] = record.exc_info[0].__name__
            entry["frames"] = "".join(traceback.format_tb(record.exc_info[2])).rstrip()
        return json.dumps(entry, ensure_ascii=False, default=str)


class RequestLogMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        match = request.resolver_match
        request_logger.info(
            "request",
            extra={
                "method": request.method,
                "route": match.view_name if match is not None else "-",
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
            },
        )
        return response
