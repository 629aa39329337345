"""A local leader documents a round: quotes by role only, warnings, caps, submit, versions."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from kretsen.core.models import AuditEvent, StaffMembership
from kretsen.network.models import (
    DISCUSSION_MAX,
    Answer,
    LocalNetwork,
    Network,
    Quote,
    Round,
    Submission,
)
from kretsen.network.services import compilation, reminders


def _answer_url(network: Network, local: LocalNetwork, the_round: Round, position: int = 1) -> str:
    with scopes_disabled():
        question = the_round.questions.get(position=position)
    return reverse(
        "network:local-answer",
        kwargs={
            "network": network.public_id,
            "local": local.public_id,
            "round": the_round.public_id,
            "question": question.public_id,
        },
    )


def _post(
    discussion: str = "Vi pratade om sömn.",
    quotes: list[tuple[str, str]] | None = None,
    tags: str = "",
) -> dict[str, str]:
    rows = quotes or []
    data = {
        "discussion": discussion,
        "tags": tags,
        "quotes-TOTAL_FORMS": str(len(rows) + 1),
        "quotes-INITIAL_FORMS": "0",
        "quotes-MIN_NUM_FORMS": "0",
        "quotes-MAX_NUM_FORMS": "200",
    }
    for index, (role, text) in enumerate(rows):
        data[f"quotes-{index}-role"] = role
        data[f"quotes-{index}-text"] = text
    return data


def _messages(response: Any) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def test_it_saves_documentation_with_quotes_encrypted_at_rest(
    leader_client: Client, network: Network, local_a: LocalNetwork, open_round: Round
) -> None:
    url = _answer_url(network, local_a, open_round)
    page = leader_client.get(url)
    assert page.status_code == 200
    assert 'name="quotes-0-role"' in page.content.decode()
    response = leader_client.post(
        url,
        _post(
            "Vi pratade om hemligheter och om sömnlösa nätter.",
            [("relative", "Ingen hemma vet att jag går hit."), ("staff", "Vi hör er.")],
            tags="Sömn; skam, sömn",
        ),
        follow=True,
    )
    assert response.status_code == 200
    with scopes_disabled():
        answer = Answer.objects.get()
        assert answer.discussion == "Vi pratade om hemligheter och om sömnlösa nätter."
        assert answer.tags == "sömn, skam"
        assert [(q.role, q.text) for q in answer.quotes.all()] == [
            ("relative", "Ingen hemma vet att jag går hit."),
            ("staff", "Vi hör er."),
        ]
        assert answer.submission.state == Submission.State.DRAFT
    with connection.cursor() as cursor:
        cursor.execute("SELECT text FROM network_quote")
        raw = " ".join(
            str(bytes(v) if isinstance(v, memoryview) else v) for (v,) in cursor.fetchall()
        )
        cursor.execute("SELECT discussion FROM network_answer")
        raw += " ".join(
            str(bytes(v) if isinstance(v, memoryview) else v) for (v,) in cursor.fetchall()
        )
    assert "hemma" not in raw
    assert "hemligheter" not in raw
    with scopes_disabled():
        assert AuditEvent.objects.filter(action="network.documentation.saved").count() == 1


def test_it_refuses_a_quote_without_a_role(
    leader_client: Client, network: Network, local_a: LocalNetwork, open_round: Round
) -> None:
    response = leader_client.post(
        _answer_url(network, local_a, open_round), _post(quotes=[("", "Någon sa något klokt.")])
    )
    assert response.status_code == 200
    assert response.context["quotes"].forms[0].errors["role"]
    with scopes_disabled():
        assert not Quote.objects.exists()


def test_the_service_refuses_a_quote_without_a_role_too(
    leader_a: Any, local_a: LocalNetwork, open_round: Round, network: Network
) -> None:
    from django.test import RequestFactory

    from kretsen.core.errors import DomainError
    from kretsen.network.services import documentation

    request = RequestFactory().post("/")
    request.user = leader_a
    with scope(network=network), pytest.raises(DomainError):
        documentation.save_answer(
            request,
            local_a,
            open_round.questions.get(position=1),
            "",
            "",
            [documentation.QuoteData("", "Utan roll")],
        )


def test_it_warns_about_names_caps_long_pastes_and_strips_html(
    leader_client: Client, network: Network, local_a: LocalNetwork, open_round: Round
) -> None:
    long_paste = "<p>Vi <script>alert(1)</script>pratade.</p> " + "ord " * DISCUSSION_MAX
    response = leader_client.post(
        _answer_url(network, local_a, open_round),
        _post(long_paste, [("relative", "Jag sa till <b>Kerstin</b> att jag behöver vila.")]),
        follow=True,
    )
    messages = _messages(response)
    assert any("Kerstin" in m for m in messages)
    assert any(
        str(DISCUSSION_MAX) in m.replace("\u00a0", "").replace(" ", "") or "20" in m
        for m in messages
    )
    with scopes_disabled():
        answer = Answer.objects.get()
        quote = answer.quotes.get()
    assert len(answer.discussion) <= DISCUSSION_MAX
    assert answer.discussion.startswith("Vi pratade.")
    assert "<" not in answer.discussion
    assert "alert" not in answer.discussion
    assert quote.text == "Jag sa till Kerstin att jag behöver vila."


def test_it_submits_keeps_versions_and_locks_when_compiling_starts(
    leader_client: Client,
    network: Network,
    local_a: LocalNetwork,
    open_round: Round,
    staff_request: Any,
) -> None:
    url = _answer_url(network, local_a, open_round)
    round_kwargs = {
        "network": network.public_id,
        "local": local_a.public_id,
        "round": open_round.public_id,
    }
    submit = reverse("network:local-submit", kwargs=round_kwargs)
    # Nothing written: nothing to submit.
    leader_client.post(submit)
    with scopes_disabled():
        assert not Submission.objects.filter(state=Submission.State.SUBMITTED).exists()
    leader_client.post(url, _post("Första versionen.", [("relative", "Ett citat.")]))
    assert leader_client.post(submit).status_code == 302
    with scopes_disabled():
        submission = Submission.objects.get()
        assert submission.is_submitted
        assert submission.versions.count() == 1
    leader_client.post(url, _post("Andra versionen.", [("relative", "Ett citat.")]))
    with scopes_disabled():
        assert [v.number for v in submission.versions.all()] == [1, 2]
        assert "Första versionen." in submission.versions.get(number=1).content
        assert "Andra versionen." in submission.versions.get(number=2).content
    page = leader_client.get(reverse("network:local-round", kwargs=round_kwargs))
    assert page.status_code == 200

    with scope(network=network):
        compilation.start_compiling(staff_request, open_round)
    response = leader_client.post(url, _post("Tredje versionen."))
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    with scopes_disabled():
        assert Answer.objects.get().discussion == "Andra versionen."


def test_a_local_leader_cannot_read_another_local_networks_draft(
    network: Network,
    local_a: LocalNetwork,
    local_b: LocalNetwork,
    open_round: Round,
    other_leader: Any,
) -> None:
    from tests.conftest import sign_in_staff
    from tests.network.conftest import document

    document(local_a, open_round, [("relative", "Ett hemligt utkast från Åby.")], submitted=False)
    other = sign_in_staff(Client(), other_leader)
    kwargs = {
        "network": network.public_id,
        "local": local_a.public_id,
        "round": open_round.public_id,
    }
    assert other.get(reverse("network:local-round", kwargs=kwargs)).status_code == 404
    assert other.get(_answer_url(network, local_a, open_round)).status_code == 404
    assert other.post(reverse("network:local-submit", kwargs=kwargs)).status_code == 404
    # Their own page does not show Åby's draft.
    own = other.get(_answer_url(network, local_b, open_round))
    assert own.status_code == 200
    assert "hemligt utkast" not in own.content.decode()


def test_a_deactivated_local_leader_loses_access(
    leader_client: Client, leader_a: Any, network: Network, local_a: LocalNetwork, org_a: Any
) -> None:
    url = reverse(
        "network:local-home", kwargs={"network": network.public_id, "local": local_a.public_id}
    )
    assert leader_client.get(url).status_code == 200
    with scope(organisation=org_a):
        StaffMembership.objects.filter(user=leader_a).update(is_active=False)
    assert leader_client.get(url).status_code == 403


def test_it_reminds_local_leaders_who_have_not_submitted(
    network: Network,
    local_a: LocalNetwork,
    local_b: LocalNetwork,
    leader_a: Any,
) -> None:
    from tests.network.conftest import document, make_round

    today = timezone.localdate()
    the_round = make_round(network, deadline=today + datetime.timedelta(days=2), reminder_days=3)
    later = make_round(network, number=2, deadline=today + datetime.timedelta(days=20))
    document(local_b, the_round, [("relative", "Klart.")])
    mail.outbox.clear()
    assert reminders.send_due_reminders(today) == 1
    assert [m.to for m in mail.outbox] == [[leader_a.email]]
    body = mail.outbox[0].body
    assert str(the_round.public_id) in body
    assert "Klart" not in body
    # Not twice, and not for a round whose reminder date has not come.
    assert reminders.send_due_reminders(today) == 0
    assert later.reminder_sent_at is None
    # The task skips a deadline that has moved since it was queued.
    with scopes_disabled():
        Round.objects.filter(pk=later.pk).update(reminder_sent_at=None)
    assert reminders.send_reminder(later.pk, deadline="2000-01-01") == 0


def test_the_reminder_task_is_queued_when_the_backend_can_defer(
    staff_request: Any, network: Network, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from django_tasks import task_backends

    from kretsen.network.services import setup

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    today = timezone.localdate()
    with scope(network=network), django_capture_on_commit_callbacks(execute=True):
        setup.save_round(
            staff_request,
            network,
            None,
            {
                "meetings_from": today,
                "meetings_to": today + datetime.timedelta(days=7),
                "deadline": today + datetime.timedelta(days=14),
                "reminder_days": 3,
            },
            [setup.QuestionData("Vad ger hopp?")],
        )
    results = task_backends["default"].results  # type: ignore[attr-defined]
    assert sorted(r.task.name for r in results) == ["announce_round_open", "send_round_reminder"]
    reminder = next(r for r in results if r.task.name == "send_round_reminder")
    assert reminder.task.run_after is not None
