"""The one way a view runs a service call: refusals become messages, success another."""

from __future__ import annotations

from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.http import HttpRequest
from django.test import RequestFactory

from kretsen.core.actions import perform
from kretsen.core.errors import DomainError


def _request() -> HttpRequest:
    request = RequestFactory().post("/")
    request.session = SessionStore()
    request._messages = FallbackStorage(request)  # type: ignore[attr-defined]
    return request


def _refuse() -> int:
    raise DomainError("The group is full.")


class _Form(forms.Form):
    name = forms.CharField(required=False)


def test_a_refusal_becomes_an_error_message_and_a_falsy_outcome() -> None:
    request = _request()
    outcome = perform(request, _refuse, success="Saved.")
    assert not outcome
    assert [str(m) for m in get_messages(request)] == ["The group is full."]


def test_a_refusal_goes_onto_the_form_when_the_page_shows_it_again() -> None:
    request = _request()
    form = _Form({})
    assert form.is_valid()
    outcome = perform(request, _refuse, success="Saved.", form=form)
    assert not outcome
    assert form.non_field_errors() == ["The group is full."]
    assert list(get_messages(request)) == []


def test_success_says_so_and_carries_the_result() -> None:
    request = _request()
    outcome = perform(request, lambda: 7, success="Saved.")
    assert outcome
    assert outcome.result == 7
    assert [str(m) for m in get_messages(request)] == ["Saved."]


def test_a_success_message_can_tell_the_state_the_call_left_behind() -> None:
    request = _request()
    state = ["draft"]

    def publish() -> None:
        state[0] = "published"

    perform(request, publish, success=lambda: f"The offer is now: {state[0]}.")
    assert [str(m) for m in get_messages(request)] == ["The offer is now: published."]
