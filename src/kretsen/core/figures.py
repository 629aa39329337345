"""The organisations' figures, for pages of apps that may not import ``care``.

The learning network shows its members' figures, but depends on ``core`` alone (decision
0121): ``care`` registers its figure pages here in its ``AppConfig.ready`` and the network's
views ask for them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.http import Http404, HttpRequest, HttpResponse

from kretsen.core.models import Organisation


@dataclass(frozen=True)
class FigurePages:
    """``page(request, organisations, context)`` and ``csv(request, organisations)``."""

    page: Callable[[HttpRequest, Sequence[Organisation], dict[str, object]], HttpResponse]
    csv: Callable[[HttpRequest, Sequence[Organisation]], HttpResponse]


_registered: list[FigurePages] = []


def register(pages: FigurePages) -> None:
    _registered[:] = [pages]


def registered() -> FigurePages:
    """The registered figure pages; without the app that draws them there are none (404)."""
    if not _registered:
        raise Http404
    return _registered[0]
