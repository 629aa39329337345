"""The local leader: documents each round's questions for their own local network."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kretsen.core.access import signed_in_user, staff_required
from kretsen.core.actions import perform
from kretsen.network.access import local_leader_view
from kretsen.network.forms import AnswerForm, QuoteFormSet
from kretsen.network.models import Answer, NetworkMembership, Round, Submission
from kretsen.network.services import documentation
from kretsen.network.views.common import get_question, get_round, local_of, network_of


@staff_required
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    """Every network a staff user coordinates and every local network they lead."""
    user = signed_in_user(request)
    coordinated = list(
        NetworkMembership.objects.filter(user=user)
        .select_related("network")
        .order_by("network__name")
    )
    led = documentation.led_by(user)
    return render(request, "network/mine.html", {"coordinated": coordinated, "led": led})


@local_leader_view
@require_GET
def local_home(request: HttpRequest, network: str, local: uuid.UUID) -> HttpResponse:
    own = local_of(request)
    submissions = {s.round_id: s for s in Submission.objects.filter(local_network=own)}
    rounds = [(r, submissions.get(r.pk)) for r in Round.objects.order_by("-number")]
    return render(
        request,
        "network/local_home.html",
        {"network": network_of(request), "local": own, "rounds": rounds},
    )


@local_leader_view
@require_GET
def local_round(
    request: HttpRequest, network: str, local: uuid.UUID, round: uuid.UUID
) -> HttpResponse:
    own = local_of(request)
    found = get_round(round)
    submission = Submission.objects.filter(round=found, local_network=own).first()
    answers = {}
    versions = []
    if submission is not None:
        answers = {
            a.question_id: a
            for a in Answer.objects.filter(submission=submission).prefetch_related("quotes")
        }
        versions = list(submission.versions.select_related("created_by"))
    return render(
        request,
        "network/local_round.html",
        {
            "network": network_of(request),
            "local": own,
            "round": found,
            "submission": submission,
            "questions": [(q, answers.get(q.pk)) for q in found.questions.order_by("position")],
            "versions": versions,
        },
    )


@local_leader_view
@require_http_methods(["GET", "POST"])
def local_answer(
    request: HttpRequest, network: str, local: uuid.UUID, round: uuid.UUID, question: uuid.UUID
) -> HttpResponse:
    own = local_of(request)
    found_round = get_round(round)
    found = get_question(question, found_round)
    submission = Submission.objects.filter(round=found_round, local_network=own).first()
    answer = documentation.answer_for(submission, found) if submission else None
    initial = {"discussion": answer.discussion or "", "tags": answer.tags} if answer else {}
    quotes_initial = (
        [{"role": q.role, "text": q.text} for q in answer.quotes.all()] if answer else []
    )
    data = request.POST if request.method == "POST" else None
    form = AnswerForm(data, initial=initial)
    quotes = QuoteFormSet(data, initial=quotes_initial, prefix="quotes")
    if (
        request.method == "POST"
        and form.is_valid()
        and quotes.is_valid()
        and (
            outcome := perform(
                request,
                lambda: documentation.save_answer(
                    request,
                    own,
                    found,
                    form.cleaned_data["discussion"],
                    form.cleaned_data["tags"],
                    [
                        documentation.QuoteData(
                            f.cleaned_data.get("role", ""), f.cleaned_data.get("text", "")
                        )
                        for f in quotes.forms
                    ],
                ),
                form=form,
            )
        )
    ):
        warnings = outcome.result
        for warning in warnings:
            messages.warning(request, warning)
        messages.success(request, _("Saved."))
        return redirect(
            "network:local-answer",
            network=network,
            local=local,
            round=round,
            question=question,
        )
    return render(
        request,
        "network/local_answer.html",
        {
            "network": network_of(request),
            "local": own,
            "round": found_round,
            "question": found,
            "form": form,
            "quotes": quotes,
            "submission": submission,
        },
    )


@local_leader_view
@require_POST
def local_submit(
    request: HttpRequest, network: str, local: uuid.UUID, round: uuid.UUID
) -> HttpResponse:
    own = local_of(request)
    found = get_round(round)
    perform(
        request,
        lambda: documentation.submit(request, own, found),
        success=_("Your documentation is submitted. Thank you."),
    )
    return redirect("network:local-round", network=network, local=local, round=round)


def org_home_section(request: HttpRequest, **context: object) -> SafeString:
    """On a staff start page: the local networks the user leads for this organisation, with
    the rounds open for documentation, so a leader never has to type /network/mine/."""
    organisation = getattr(request, "organisation", None)
    if organisation is None:
        return mark_safe("")
    rows = documentation.open_rounds_led_by(signed_in_user(request), organisation)
    if not rows:
        return mark_safe("")
    return render_to_string("network/org_home_section.html", {"rows": rows}, request=request)


def staff_home_section(request: HttpRequest, **context: object) -> SafeString:
    """On the page where staff choose where to work: the learning networks they belong to."""
    memberships = list(
        NetworkMembership.objects.filter(user=signed_in_user(request)).select_related("network")
    )
    if not memberships:
        return mark_safe("")
    return render_to_string(
        "network/staff_home_section.html", {"networks": memberships}, request=request
    )
