"""Sections that apps above ``core`` and ``intake`` add to a relative's pages, so that the
lower apps never import them: an app registers a function in its ``AppConfig.ready``.

Pages: ``"me"`` (a relative's start page), ``"my-data"`` (everything stored about them),
``"org-home"`` (a staff member's start page in an organisation), ``"staff-home"`` (where
staff choose where to work; an empty section means nothing to offer there) and ``"group"``
(a group's page in the back office; the section is given ``group=``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from django.utils.safestring import SafeString

Section = Callable[..., SafeString]

_sections: dict[str, list[Section]] = {
    "me": [],
    "my-data": [],
    "org-home": [],
    "staff-home": [],
    "group": [],
}


def add_section(page: str, section: Section) -> None:
    if section not in _sections[page]:
        _sections[page].append(section)


def sections(page: str, request: HttpRequest, **context: Any) -> list[SafeString]:
    return [section(request, **context) for section in _sections[page]]
