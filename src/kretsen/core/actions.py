"""One way for a view to run a service call on behalf of a user.

A service refuses with ``DomainError`` and a message the user can read. ``perform`` turns that
into an error on the form (when the page shows one again) or a flash message (when the view
redirects), and success into a flash message::

    if perform(request, lambda: service.hand_over(request, group, chosen), success=_("Done."),
               form=form):
        return redirect(...)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar, cast

from django.contrib import messages
from django.forms import BaseForm
from django.http import HttpRequest

from kretsen.core.errors import DomainError

T = TypeVar("T")


@dataclass(frozen=True)
class Outcome(Generic[T]):
    """What the call returned, and whether it went through (the outcome is truthy if so)."""

    ok: bool
    value: T | None = None

    def __bool__(self) -> bool:
        return self.ok

    @property
    def result(self) -> T:
        """The call's return value; only for an outcome that went through."""
        assert self.ok, "the call was refused"
        return cast(T, self.value)


def perform(
    request: HttpRequest,
    call: Callable[[], T],
    *,
    success: str | Callable[[], str] | None = None,
    form: BaseForm | None = None,
) -> Outcome[T]:
    """Run ``call``; a ``DomainError`` goes to ``form`` (or a message), ``success`` to a message.

    ``success`` may be a function, for a message that tells the state the call left behind.
    """
    try:
        value = call()
    except DomainError as error:
        if form is not None:
            form.add_error(None, error.message)
        else:
            messages.error(request, error.message)
        return Outcome(ok=False)
    text = success() if callable(success) else success
    if text:
        messages.success(request, text)
    return Outcome(ok=True, value=value)
