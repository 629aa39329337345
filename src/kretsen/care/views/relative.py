"""A relative's questionnaires and meeting feedback, and the care sections of their pages.

Follow-ups about a person are never shown on their group pages; they are listed on the
"what we store" page, because the person has a right to see what is stored about them.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kretsen.care import questionnaires
from kretsen.care.forms import FeedbackForm, QuestionnaireForm
from kretsen.care.models import FollowUp, MeetingFeedback, QuestionnaireRequest
from kretsen.care.services import feedback as feedback_service
from kretsen.care.services import questionnaires as questionnaire_service
from kretsen.core.access import relative_required, signed_in_user
from kretsen.core.actions import perform
from kretsen.core.errors import DomainError
from kretsen.groups.models import GroupMember
from kretsen.groups.services import own


def get_own_request(request: HttpRequest, public_id: uuid.UUID) -> QuestionnaireRequest:
    found = (
        QuestionnaireRequest.objects.filter(
            public_id=public_id, member__registration__user=signed_in_user(request)
        )
        .select_related("member__group__organisation", "member__group__offer")
        .first()
    )
    if found is None:
        raise Http404
    return found


@relative_required
@require_http_methods(["GET", "POST"])
def my_questionnaire(request: HttpRequest, questionnaire: uuid.UUID) -> HttpResponse:
    asked = get_own_request(request, questionnaire)
    organisation = asked.member.group.organisation
    language = get_language() or organisation.default_language
    instrument = questionnaires.load(asked.instrument)
    form = QuestionnaireForm(request.POST or None, instrument=instrument, language=language)
    if asked.state == QuestionnaireRequest.State.ANSWERED and asked.raw_score is not None:
        # The answer was a POST that redirected here, so Back and reload are harmless.
        return render(
            request,
            "care/me/questionnaire_thanks.html",
            {
                "score": instrument.judge(asked.raw_score),
                "organisation": organisation,
                "crisis": organisation.text("crisis", language),
                "crisis_contact": asked.member.group.offer,
            },
        )
    if asked.state != QuestionnaireRequest.State.OPEN:
        return render(request, "care/me/questionnaire_done.html", {"asked": asked})
    if request.method == "POST":
        try:
            if request.POST.get("action") == "skip":
                questionnaire_service.skip(request, asked)
                messages.success(request, _("That is fine. You can skip it."))
                return redirect("core:me")
            if form.is_valid():
                questionnaire_service.answer(request, asked, form.answers())
                return redirect("care:my-questionnaire", questionnaire=asked.public_id)
        except DomainError as error:
            form.add_error(None, error.message)
    return render(
        request,
        "care/me/questionnaire.html",
        {
            "asked": asked,
            "form": form,
            "title": questionnaires.text(instrument.title, language),
            "intro": questionnaires.text(instrument.intro, language),
            "source": instrument.source,
        },
    )


@relative_required
@require_http_methods(["GET", "POST"])
def my_feedback(request: HttpRequest, member: uuid.UUID, meeting: uuid.UUID) -> HttpResponse:
    found = own.member(signed_in_user(request), member)
    chosen = own.meeting(found, meeting)
    if not feedback_service.can_give(found, chosen):
        raise Http404
    given = MeetingFeedback.objects.filter(meeting=chosen, member=found).exists()
    form = FeedbackForm(request.POST or None)
    if (
        request.method == "POST"
        and not given
        and form.is_valid()
        and perform(
            request,
            lambda: feedback_service.give(request, found, chosen, **form.cleaned_data),
            success=_("Thank you for your answers."),
            form=form,
        )
    ):
        return redirect("groups:my-group", member=found.public_id)
    return render(
        request,
        "care/me/feedback.html",
        {"member": found, "meeting": chosen, "form": form, "given": given},
    )


def me_section(request: HttpRequest, **context: Any) -> SafeString:
    memberships = [
        m for m in own.memberships(signed_in_user(request)) if m.status == GroupMember.Status.ACTIVE
    ]
    asked = questionnaire_service.open_requests(memberships)
    feedback = [
        (member, meeting)
        for member in memberships
        for meeting in feedback_service.pending_meetings(member)
    ]
    return render_to_string(
        "care/me/section.html", {"asked": asked, "feedback": feedback}, request=request
    )


def my_data_section(request: HttpRequest, **context: Any) -> SafeString:
    user = signed_in_user(request)
    follow_ups = list(
        FollowUp.objects.filter(member__registration__user=user).select_related("member__group")
    )
    answered = list(
        QuestionnaireRequest.objects.filter(member__registration__user=user).select_related(
            "member__group"
        )
    )
    given = list(
        MeetingFeedback.objects.filter(member__registration__user=user).select_related("meeting")
    )
    return render_to_string(
        "care/me/data_section.html",
        {"follow_ups": follow_ups, "answered": answered, "given": given},
        request=request,
    )
