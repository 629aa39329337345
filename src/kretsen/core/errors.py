from __future__ import annotations

from django.utils.functional import Promise


class DomainError(Exception):
    """A problem a user can cause and fix; its message is translated and shown to them."""

    def __init__(self, message: str | Promise) -> None:
        super().__init__(str(message))
        self.message: str = str(message)
