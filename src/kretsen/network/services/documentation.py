"""A local leader documents a round: the discussion and quotes per question, then submits.

Edits are possible until the coordinator starts compiling; every change to a submitted
documentation keeps a version.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_scopes import scopes_disabled

from kretsen.core import audit
from kretsen.core.access import signed_in_user
from kretsen.core.errors import DomainError
from kretsen.core.models import Organisation, User
from kretsen.network import text
from kretsen.network.models import (
    DISCUSSION_MAX,
    QUOTE_MAX,
    Answer,
    LocalNetwork,
    MemberRole,
    Question,
    Quote,
    Round,
    Submission,
    SubmissionVersion,
)

TAGS_MAX = 300


@dataclass(frozen=True)
class QuoteData:
    role: str
    text: str


def submission_for(local_network: LocalNetwork, the_round: Round) -> Submission:
    submission, _created = Submission.objects.get_or_create(
        round=the_round, local_network=local_network
    )
    return submission


def answer_for(submission: Submission, question: Question) -> Answer | None:
    return Answer.objects.filter(submission=submission, question=question).first()


def ensure_editable(the_round: Round) -> None:
    if not the_round.is_open:
        raise DomainError(
            gettext_lazy(
                "The network coordinator has started compiling this round; "
                "the documentation can no longer be changed."
            )
        )


def _clean_tags(raw: str) -> str:
    tags: list[str] = []
    for tag in text.clean(raw, TAGS_MAX).text.replace(";", ",").split(","):
        tag = " ".join(tag.split()).lower()
        if tag and tag not in tags:
            tags.append(tag)
    return ", ".join(tags)[:TAGS_MAX]


@transaction.atomic
def save_answer(
    request: HttpRequest,
    local_network: LocalNetwork,
    question: Question,
    discussion: str,
    tags: str,
    quotes: list[QuoteData],
) -> list[str]:
    """Store the documentation of one question; returns warnings to show the local leader."""
    the_round = question.round
    ensure_editable(the_round)
    warnings: list[str] = []
    cleaned_quotes: list[tuple[str, str]] = []
    for number, quote in enumerate(quotes, start=1):
        body = text.clean(quote.text, QUOTE_MAX)
        if not body.text and not quote.role:
            continue
        if quote.role not in MemberRole.values:
            raise DomainError(
                _(
                    "Quote %(number)s has no role. Say who said it by role "
                    "(a relative, a member of staff...); never by name."
                )
                % {"number": number}
            )
        if not body.text:
            raise DomainError(_("Quote %(number)s is empty.") % {"number": number})
        if body.was_capped:
            warnings.append(
                _(
                    "Quote %(number)s was longer than %(limit)s characters; "
                    "only the beginning was kept."
                )
                % {"number": number, "limit": QUOTE_MAX}
            )
        names = text.possible_names(body.text)
        if names:
            warnings.append(
                _(
                    "Quote %(number)s may contain a name (%(names)s). "
                    "Quotes are attributed by role only; please remove names."
                )
                % {"number": number, "names": ", ".join(names)}
            )
        if body.had_markup:
            warnings.append(_("Formatting pasted into the text was removed."))
        cleaned_quotes.append((quote.role, body.text))

    body = text.clean(discussion, DISCUSSION_MAX)
    if body.was_capped:
        warnings.append(
            _(
                "The discussion was longer than %(limit)s characters; only the beginning was "
                "kept. Shorten the text, or send the rest as a separate question's notes."
            )
            % {"limit": DISCUSSION_MAX}
        )
    if body.had_markup:
        warnings.append(_("Formatting pasted into the text was removed."))
    names = text.possible_names(body.text)
    if names:
        warnings.append(
            _("The discussion may contain a name (%(names)s). Please check it.")
            % {"names": ", ".join(names)}
        )

    submission = submission_for(local_network, the_round)
    answer = answer_for(submission, question) or Answer(submission=submission, question=question)
    answer.discussion = body.text
    answer.tags = _clean_tags(tags)
    answer.save()
    answer.quotes.all().delete()
    Quote.objects.bulk_create(
        Quote(answer=answer, role=role, text=quote_text, position=position)
        for position, (role, quote_text) in enumerate(cleaned_quotes)
    )
    submission.save(update_fields=["updated_at"])
    if submission.is_submitted:
        keep_version(request, submission)
    audit.log(
        request,
        "network.documentation.saved",
        submission,
        data={"question": question.position, "quotes": len(cleaned_quotes)},
    )
    # The same message can come twice (markup in several quotes): say it once.
    return list(dict.fromkeys(warnings))


def has_content(submission: Submission) -> bool:
    for answer in submission.answers.all():
        if (answer.discussion or "").strip() or answer.quotes.exists():
            return True
    return False


@transaction.atomic
def submit(request: HttpRequest, local_network: LocalNetwork, the_round: Round) -> Submission:
    ensure_editable(the_round)
    submission = submission_for(local_network, the_round)
    if submission.is_submitted:
        return submission
    if not has_content(submission):
        raise DomainError(gettext_lazy("Write about at least one question before submitting."))
    submission.state = Submission.State.SUBMITTED
    submission.submitted_at = timezone.now()
    submission.save(update_fields=["state", "submitted_at", "updated_at"])
    keep_version(request, submission)
    audit.log(request, "network.documentation.submitted", submission)
    return submission


def content_of(submission: Submission) -> dict[str, object]:
    answers = (
        submission.answers.select_related("question")
        .prefetch_related("quotes")
        .order_by("question__position")
    )
    return {
        "answers": [
            {
                "question": answer.question.position,
                "discussion": answer.discussion or "",
                "tags": answer.tags,
                "quotes": [{"role": q.role, "text": q.text} for q in answer.quotes.all()],
            }
            for answer in answers
        ]
    }


def keep_version(request: HttpRequest, submission: Submission) -> SubmissionVersion:
    top = submission.versions.aggregate(top=Max("number"))["top"] or 0
    return SubmissionVersion.objects.create(
        submission=submission,
        number=top + 1,
        created_by=signed_in_user(request),
        content=json.dumps(content_of(submission), ensure_ascii=False),
    )


def version_content(version: SubmissionVersion) -> dict[str, object]:
    loaded: dict[str, object] = json.loads(version.content)
    return loaded


def led_by(user: User) -> list[LocalNetwork]:
    """Every local network ``user`` leads, in any organisation: the rule is in the query."""
    with scopes_disabled():
        return list(
            LocalNetwork.objects.filter(leader=user)
            .select_related("network", "organisation")
            .order_by("network__name", "name")
        )


def open_rounds_led_by(
    user: User, organisation: Organisation
) -> list[tuple[LocalNetwork, list[Round]]]:
    """The local networks ``user`` leads for ``organisation``, each with its open rounds."""
    with scopes_disabled():
        led = list(
            LocalNetwork.objects.filter(leader=user, organisation=organisation)
            .select_related("network")
            .order_by("network__name", "name")
        )
        return [
            (
                local,
                list(
                    Round.objects.filter(network=local.network, state=Round.State.OPEN).order_by(
                        "number"
                    )
                ),
            )
            for local in led
        ]
