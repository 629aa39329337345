"""The network coordinator compiles a round: themes, passages, quotes, background, publication."""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max, Prefetch, Q, QuerySet
from django.http import HttpRequest
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from kretsen.core import audit
from kretsen.core.access import signed_in_user
from kretsen.core.errors import DomainError
from kretsen.network import suggest, text
from kretsen.network.models import (
    TEXT_MAX,
    Answer,
    LocalMember,
    LocalNetwork,
    MemberRole,
    Passage,
    Question,
    Quote,
    QuoteUse,
    Round,
    SortProposal,
    Submission,
    Theme,
    ThemeSuggestion,
)

TITLE_MAX = 200


def ensure_compiling(the_round: Round) -> None:
    if the_round.is_open:
        raise DomainError(gettext_lazy("Start compiling the round first."))


def submitted_answers(question: Question) -> QuerySet[Answer]:
    """This question's documentation from submitted submissions, with their quotes and uses."""
    return (
        Answer.objects.filter(question=question, submission__state=Submission.State.SUBMITTED)
        .select_related("submission__local_network")
        .prefetch_related(
            Prefetch(
                "quotes", queryset=Quote.objects.select_related("use__theme").order_by("position")
            )
        )
        .order_by("submission__local_network__name")
    )


@transaction.atomic
def start_compiling(request: HttpRequest, the_round: Round) -> None:
    if not the_round.is_open:
        return
    the_round.state = Round.State.COMPILING
    the_round.compiling_started_at = timezone.now()
    if not the_round.compiler_name:
        user = signed_in_user(request)
        the_round.compiler_name = user.display_name or user.email
    if not the_round.background.strip():
        the_round.background = generated_background(the_round)
    the_round.save()
    for question in the_round.questions.all():
        ensure_paragraphs(question)
    audit.log(request, "network.round.compiling_started", the_round)


def _join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return _("%(first)s and %(last)s") % {"first": ", ".join(items[:-1]), "last": items[-1]}


ROLE_PLURALS = {
    MemberRole.RELATIVE: gettext_lazy("relatives"),
    MemberRole.STAFF: gettext_lazy("staff"),
    MemberRole.MANAGER: gettext_lazy("managers"),
    MemberRole.POLITICIAN: gettext_lazy("politicians"),
    MemberRole.VOLUNTEER: gettext_lazy("volunteers"),
    MemberRole.OTHER: gettext_lazy("others"),
}


def generated_background(the_round: Round) -> str:
    """The fixed background paragraph, from the network's data, in the network's language.

    Roles are named without counting people, so no figure about fewer than five appears.
    """
    network = the_round.network
    local_networks = list(LocalNetwork.objects.filter(network=network).order_by("name"))
    roles_present = set(
        LocalMember.objects.filter(local_network__network=network).values_list("role", flat=True)
    )
    submitted = Submission.objects.filter(round=the_round, state=Submission.State.SUBMITTED).count()
    with translation.override(network.language):
        parts: list[str] = []
        if network.purpose:
            parts.append(network.purpose)
        names = [local.name for local in local_networks]
        if names:
            parts.append(
                ngettext(
                    "%(count)s local network takes part: %(names)s.",
                    "%(count)s local networks take part: %(names)s.",
                    len(names),
                )
                % {"count": len(names), "names": _join(names)}
            )
        roles = [str(ROLE_PLURALS[role]) for role in MemberRole if role.value in roles_present]
        if roles:
            parts.append(_("Their members are %(roles)s.") % {"roles": _join(roles)})
        parts.append(
            _("This report compiles round %(number)s, with meetings from %(start)s to %(end)s.")
            % {
                "number": the_round.number,
                "start": formats.date_format(the_round.meetings_from, "DATE_FORMAT"),
                "end": formats.date_format(the_round.meetings_to, "DATE_FORMAT"),
            }
        )
        parts.append(
            ngettext(
                "%(count)s of %(total)s local networks sent in their documentation.",
                "%(count)s of %(total)s local networks sent in their documentation.",
                len(names),
            )
            % {"count": submitted, "total": len(names)}
        )
        return "\n\n".join(parts)


@transaction.atomic
def save_background(
    request: HttpRequest,
    the_round: Round,
    background: str,
    compiler_name: str,
    compiled_on: datetime.date | None,
) -> None:
    ensure_compiling(the_round)
    the_round.background = text.clean(background, TEXT_MAX * 2).text
    the_round.compiler_name = text.clean(compiler_name, 150).text
    the_round.compiled_on = compiled_on
    the_round.save(update_fields=["background", "compiler_name", "compiled_on"])
    audit.log(request, "network.round.background_saved", the_round)


@transaction.atomic
def regenerate_background(request: HttpRequest, the_round: Round) -> None:
    ensure_compiling(the_round)
    the_round.background = generated_background(the_round)
    the_round.save(update_fields=["background"])
    audit.log(request, "network.round.background_generated", the_round)


def _title(value: str) -> str:
    title = text.clean(value, TITLE_MAX).text.replace("\n", " ").strip()
    if not title:
        raise DomainError(gettext_lazy("Give the theme a title."))
    return title


def _next_position(themes: Iterable[Theme]) -> int:
    return max((theme.position for theme in themes), default=-1) + 1


@transaction.atomic
def create_theme(request: HttpRequest, question: Question, title: str) -> Theme:
    ensure_compiling(question.round)
    theme = Theme.objects.create(
        question=question,
        title=_title(title),
        position=_next_position(question.themes.all()),
    )
    audit.log(request, "network.theme.created", theme)
    return theme


@transaction.atomic
def update_theme(request: HttpRequest, theme: Theme, title: str, connecting: str) -> None:
    ensure_compiling(theme.question.round)
    theme.title = _title(title)
    theme.text = text.clean(connecting, TEXT_MAX * 2).text
    theme.save(update_fields=["title", "text"])
    audit.log(request, "network.theme.changed", theme)


@transaction.atomic
def move_theme(request: HttpRequest, theme: Theme, step: int) -> None:
    ensure_compiling(theme.question.round)
    themes = list(theme.question.themes.order_by("position", "id"))
    index = next(i for i, item in enumerate(themes) if item.pk == theme.pk)
    target = index + (1 if step > 0 else -1)
    if not 0 <= target < len(themes):
        return
    themes[index], themes[target] = themes[target], themes[index]
    for position, item in enumerate(themes):
        if item.position != position:
            item.position = position
            item.save(update_fields=["position"])
    audit.log(request, "network.theme.moved", theme)


@transaction.atomic
def merge_themes(request: HttpRequest, theme: Theme, into: Theme) -> None:
    """Everything under ``theme`` moves under ``into``; ``theme`` goes."""
    ensure_compiling(theme.question.round)
    if theme.pk == into.pk:
        raise DomainError(gettext_lazy("Choose another theme to merge with."))
    if theme.question_id != into.question_id:
        raise DomainError(gettext_lazy("Themes can only be merged within one question."))
    offset = (into.quote_uses.aggregate(top=Max("position"))["top"] or 0) + 1
    for use in theme.quote_uses.all():
        use.theme = into
        use.position += offset
        use.save(update_fields=["theme", "position"])
    offset = (into.passages.aggregate(top=Max("position"))["top"] or 0) + 1
    for passage in theme.passages.all():
        passage.theme = into
        passage.position += offset
        passage.save(update_fields=["theme", "position"])
    if theme.text.strip():
        into.text = "\n\n".join(part for part in (into.text.strip(), theme.text.strip()) if part)
        into.save(update_fields=["text"])
    audit.log(request, "network.theme.merged", into, data={"merged": str(theme.public_id)})
    theme.delete()


@transaction.atomic
def delete_theme(request: HttpRequest, theme: Theme) -> None:
    """The theme goes; its quotes are unassigned again (not lost)."""
    ensure_compiling(theme.question.round)
    audit.log(request, "network.theme.deleted", theme)
    theme.delete()


def _check_same_question(theme: Theme, question_id: int) -> None:
    if theme.question_id != question_id:
        raise DomainError(gettext_lazy("Choose a theme of the same question."))


@transaction.atomic
def assign_quote(request: HttpRequest, quote: Quote, theme: Theme | None) -> None:
    answer = quote.answer
    ensure_compiling(answer.question.round)
    use = QuoteUse.objects.filter(quote=quote).first()
    if theme is None:
        if use is not None:
            use.delete()
        audit.log(request, "network.quote.unassigned", quote)
        return
    _check_same_question(theme, answer.question_id)
    if use is None:
        use = QuoteUse(quote=quote)
    use.theme = theme
    use.position = (theme.quote_uses.aggregate(top=Max("position"))["top"] or 0) + 1
    use.save()
    audit.log(request, "network.quote.assigned", quote, data={"theme": str(theme.public_id)})


@transaction.atomic
def set_quote_use(request: HttpRequest, use: QuoteUse, mode: str, shortened: str) -> None:
    ensure_compiling(use.theme.question.round)
    if mode not in QuoteUse.Mode.values:
        raise DomainError(gettext_lazy("Choose how to use the quote."))
    use.mode = mode
    if mode == QuoteUse.Mode.SHORTEN:
        short = text.clean(shortened, len(use.quote.text) + 10).text
        if not short:
            raise DomainError(gettext_lazy("Write the shortened quote."))
        if len(text.normalise_space(short.replace("[…]", "").replace("[...]", ""))) >= len(
            text.normalise_space(use.quote.text)
        ):
            raise DomainError(gettext_lazy("A shortened quote must be shorter than the quote."))
        use.shortened = text.mark_shortened(short)
    else:
        use.shortened = ""
    use.save(update_fields=["mode", "shortened"])
    audit.log(request, "network.quote.use_changed", use.quote, data={"mode": mode})


@transaction.atomic
def add_passage(request: HttpRequest, answer: Answer, theme: Theme, passage: str) -> Passage:
    ensure_compiling(answer.question.round)
    _check_same_question(theme, answer.question_id)
    chosen = text.clean(passage, len(answer.discussion or "") + 10).text
    if not chosen or text.normalise_space(chosen) not in text.normalise_space(
        answer.discussion or ""
    ):
        raise DomainError(
            gettext_lazy("A passage must be a piece of the discussion it is taken from.")
        )
    created = Passage.objects.create(
        theme=theme,
        answer=answer,
        text=chosen,
        position=(theme.passages.aggregate(top=Max("position"))["top"] or 0) + 1,
    )
    audit.log(request, "network.passage.assigned", created, data={"theme": str(theme.public_id)})
    return created


@transaction.atomic
def remove_passage(request: HttpRequest, passage: Passage) -> None:
    """A paragraph of a discussion goes back to "not sorted"; a selected piece goes."""
    ensure_compiling(passage.answer.question.round)
    audit.log(request, "network.passage.removed", passage)
    if passage.source_index is None:
        passage.delete()
    else:
        passage.theme = None
        passage.save(update_fields=["theme"])


@transaction.atomic
def edit_passage(request: HttpRequest, passage: Passage, wording: str) -> None:
    """The compiler's wording of a passage for the report."""
    ensure_compiling(passage.answer.question.round)
    cleaned = text.clean(wording, PASSAGE_MAX).text
    if not cleaned:
        raise DomainError(gettext_lazy("A passage cannot be empty. Remove it instead."))
    passage.text = cleaned
    passage.save(update_fields=["text"])
    audit.log(request, "network.passage.changed", passage)


PASSAGE_MAX = TEXT_MAX


@dataclass(frozen=True)
class Item:
    """One piece of material of a question: a passage of prose or a quote."""

    key: str  # "p<public id>" or "q<public id>"
    text: str
    is_quote: bool
    group: int  # the answer it comes from
    local_name: str
    role: str
    theme_id: int | None
    passage: Passage | None = None
    quote: Quote | None = None


def ensure_paragraphs(question: Question, answers: list[Answer] | None = None) -> None:
    """Every paragraph of every submitted discussion as a passage row (once; harmless twice).

    Discussions no longer change once compiling has started, so the paragraphs are stable."""
    answers = list(submitted_answers(question)) if answers is None else answers
    done = set(
        Passage.objects.filter(answer__in=answers, source_index__isnull=False).values_list(
            "answer_id", flat=True
        )
    )
    rows = [
        Passage(answer=answer, source_index=index, text=paragraph, position=index)
        for answer in answers
        if answer.pk not in done
        for index, paragraph in enumerate(text.paragraphs(answer.discussion or ""))
    ]
    if rows:
        Passage.objects.bulk_create(rows, ignore_conflicts=True)


def material(question: Question) -> list[Item]:
    """The question's passages and quotes from submitted documentation, in a stable order."""
    answers = list(submitted_answers(question))
    ensure_paragraphs(question, answers)
    items: list[Item] = []
    passages = (
        Passage.objects.filter(
            answer__question=question, answer__submission__state=Submission.State.SUBMITTED
        )
        .select_related("answer__submission__local_network")
        .order_by("answer__submission__local_network__name", "source_index", "position", "id")
    )
    for passage in passages:
        items.append(
            Item(
                key=f"p{passage.public_id}",
                text=passage.text,
                is_quote=False,
                group=passage.answer_id,
                local_name=passage.answer.submission.local_network.name,
                role="",
                theme_id=passage.theme_id,
                passage=passage,
            )
        )
    for answer in answers:
        for quote in answer.quotes.all():
            use = getattr(quote, "use", None)
            items.append(
                Item(
                    key=f"q{quote.public_id}",
                    text=quote.text,
                    is_quote=True,
                    group=answer.pk,
                    local_name=answer.submission.local_network.name,
                    role=quote.role,
                    theme_id=use.theme_id if use is not None else None,
                    quote=quote,
                )
            )
    return items


def _pieces(items: list[Item]) -> list[suggest.Passage]:
    return [suggest.Passage(item.text, item.is_quote, str(item.group)) for item in items]


def _ref(item: Item) -> dict[str, int]:
    if item.quote is not None:
        return {"quote": item.quote.pk}
    assert item.passage is not None
    return {"passage": item.passage.pk}


@transaction.atomic
def suggest_themes(request: HttpRequest | None, question: Question) -> list[ThemeSuggestion]:
    """A first suggestion over the material no theme holds yet; nothing else changes."""
    ensure_compiling(question.round)
    items = [item for item in material(question) if item.theme_id is None]
    question.suggestions.all().delete()
    if len(items) < 3:
        return []
    result = suggest.first_suggestion(_pieces(items))
    suggestions = []
    for theme in range(len(result.names)):
        members = [
            _ref(item) for item, label in zip(items, result.labels, strict=True) if label == theme
        ]
        if not members:
            continue
        suggestions.append(
            ThemeSuggestion(
                question=question,
                keywords=result.key_phrases[theme],
                name=result.names[theme][:TITLE_MAX],
                members=json.dumps(members),
                sentences=json.dumps(result.sentences[theme], ensure_ascii=False),
                position=theme,
            )
        )
    created = ThemeSuggestion.objects.bulk_create(suggestions)
    if request is not None:
        audit.log(request, "network.theme.suggested", question, data={"count": len(created)})
    return created


def suggestion_members(suggestion: ThemeSuggestion) -> list[dict[str, object]]:
    loaded: list[dict[str, object]] = json.loads(suggestion.members)
    return loaded


def suggestion_sentences(suggestion: ThemeSuggestion) -> list[str]:
    loaded: list[str] = json.loads(suggestion.sentences or "[]")
    return loaded


def suggestion_title(suggestion: ThemeSuggestion) -> str:
    if suggestion.name:
        return suggestion.name
    words = [str(word) for word in suggestion.keywords[:3]]
    return ", ".join(words).capitalize() or "-"


def _ids(members: list[dict[str, object]], kind: str) -> list[int]:
    return [int(str(member[kind])) for member in members if kind in member]


@transaction.atomic
def accept_suggestion(
    request: HttpRequest | None, suggestion: ThemeSuggestion, title: str = ""
) -> Theme:
    """A theme from the suggestion; its members that are still not sorted go under it."""
    question = suggestion.question
    ensure_compiling(question.round)
    theme = Theme.objects.create(
        question=question,
        title=_title(title or suggestion_title(suggestion)),
        position=_next_position(question.themes.all()),
    )
    members = suggestion_members(suggestion)
    quote_ids = _ids(members, "quote")
    taken = set(QuoteUse.objects.filter(quote_id__in=quote_ids).values_list("quote_id", flat=True))
    valid_quotes = set(
        Quote.objects.filter(pk__in=quote_ids, answer__question=question).values_list(
            "pk", flat=True
        )
    )
    QuoteUse.objects.bulk_create(
        QuoteUse(theme=theme, quote_id=quote_id, position=position)
        for position, quote_id in enumerate(quote_ids)
        if quote_id in valid_quotes and quote_id not in taken
    )
    Passage.objects.filter(
        pk__in=_ids(members, "passage"), answer__question=question, theme__isnull=True
    ).update(theme=theme)
    if request is not None:
        audit.log(request, "network.theme.suggestion_accepted", theme)
    suggestion.delete()
    return theme


def _themes(question: Question) -> list[Theme]:
    return list(question.themes.order_by("position", "id"))


def _item_by_key(question: Question, key: str) -> Item:
    found = next((item for item in material(question) if item.key == key), None)
    if found is None:
        raise DomainError(gettext_lazy("That passage is not part of this question."))
    return found


@transaction.atomic
def assign_item(
    request: HttpRequest, question: Question, key: str, theme: Theme | None
) -> Theme | None:
    """Put one passage or quote under ``theme`` (``None``: not sorted); returns the theme it
    had, so that the page can undo."""
    ensure_compiling(question.round)
    item = _item_by_key(question, key)
    if theme is not None:
        _check_same_question(theme, question.pk)
    previous = Theme.objects.filter(pk=item.theme_id).first() if item.theme_id else None
    if item.quote is not None:
        assign_quote(request, item.quote, theme)
    else:
        assert item.passage is not None
        passage = item.passage
        passage.theme = theme
        if theme is not None:
            passage.position = (theme.passages.aggregate(top=Max("position"))["top"] or 0) + 1
        passage.save(update_fields=["theme", "position"])
        audit.log(
            request,
            "network.passage.assigned" if theme else "network.passage.removed",
            passage,
            data={"theme": str(theme.public_id) if theme else ""},
        )
    SortProposal.objects.filter(
        Q(passage=item.passage) if item.passage is not None else Q(quote=item.quote)
    ).delete()
    return previous


@transaction.atomic
def propose_sorting(request: HttpRequest, question: Question) -> list[SortProposal]:
    """ "Sort the rest like these": a proposal for every passage and quote that no theme holds,
    from the themes' own passages and quotes as examples. Nothing is applied."""
    ensure_compiling(question.round)
    themes = _themes(question)
    items = material(question)
    index = {theme.pk: position for position, theme in enumerate(themes)}
    examples: list[list[int]] = [[] for _ in themes]
    for position, item in enumerate(items):
        if item.theme_id in index:
            examples[index[item.theme_id]].append(position)
    if not any(examples):
        raise DomainError(
            gettext_lazy(
                "Put one or two passages under each theme first; Kretsen sorts the rest like them."
            )
        )
    result = suggest.sort_rest(_pieces(items), examples)
    SortProposal.objects.filter(question=question).delete()
    proposals = []
    for position, item in enumerate(items):
        if item.theme_id is not None or result.labels[position] < 0:
            continue
        candidates = result.candidates[position]
        proposals.append(
            SortProposal(
                question=question,
                passage=item.passage,
                quote=item.quote,
                theme=themes[result.labels[position]],
                candidates=[{"theme": themes[c.theme].pk, "score": c.score} for c in candidates],
                confidence=round(result.confidence[position], 3),
                is_sure=result.sure[position],
            )
        )
    created = SortProposal.objects.bulk_create(proposals)
    audit.log(
        request,
        "network.theme.sorting_proposed",
        question,
        data={"count": len(created), "sure": sum(p.is_sure for p in created)},
    )
    return created


def _apply(proposal: SortProposal, theme: Theme) -> None:
    if proposal.passage_id is not None:
        Passage.objects.filter(pk=proposal.passage_id, theme__isnull=True).update(theme=theme)
    elif (
        proposal.quote_id is not None
        and not QuoteUse.objects.filter(quote_id=proposal.quote_id).exists()
    ):
        QuoteUse.objects.create(
            theme=theme,
            quote_id=proposal.quote_id,
            position=(theme.quote_uses.aggregate(top=Max("position"))["top"] or 0) + 1,
        )


@transaction.atomic
def accept_proposal(
    request: HttpRequest, proposal: SortProposal, theme: Theme | None = None
) -> None:
    """The compiler accepts one proposal, with its theme or one of its other candidates."""
    ensure_compiling(proposal.question.round)
    chosen = theme or proposal.theme
    _check_same_question(chosen, proposal.question_id)
    _apply(proposal, chosen)
    audit.log(
        request,
        "network.theme.proposal_accepted",
        proposal.question,
        data={"theme": str(chosen.public_id)},
    )
    proposal.delete()


@transaction.atomic
def accept_sure_proposals(request: HttpRequest, question: Question) -> int:
    ensure_compiling(question.round)
    sure = list(question.proposals.filter(is_sure=True).select_related("theme"))
    for proposal in sure:
        _apply(proposal, proposal.theme)
        proposal.delete()
    audit.log(request, "network.theme.proposals_accepted", question, data={"count": len(sure)})
    return len(sure)


@transaction.atomic
def discard_proposals(request: HttpRequest, question: Question) -> None:
    question.proposals.all().delete()
    audit.log(request, "network.theme.proposals_discarded", question)


@dataclass(frozen=True)
class Hit:
    question: Question
    item: Item


def search(the_round: Round, query: str, limit: int = 200) -> list[Hit]:
    """Passages and quotes of the whole round that contain every word of ``query``.

    The texts are encrypted at rest, so the search runs over the decrypted material here."""
    words = [word.casefold() for word in text.normalise_space(query)[:200].split() if word]
    if not words:
        return []
    hits: list[Hit] = []
    for question in the_round.questions.order_by("position"):
        for item in material(question):
            folded = item.text.casefold()
            if all(word in folded for word in words):
                hits.append(Hit(question, item))
                if len(hits) >= limit:
                    return hits
    return hits


@transaction.atomic
def discard_suggestions(request: HttpRequest, question: Question) -> None:
    question.suggestions.all().delete()
    audit.log(request, "network.theme.suggestions_discarded", question)


@transaction.atomic
def publish(
    request: HttpRequest, the_round: Round, is_public: bool, include_unsorted: bool = False
) -> None:
    ensure_compiling(the_round)
    first_time = not the_round.is_published
    the_round.state = Round.State.PUBLISHED
    the_round.is_public = is_public
    the_round.include_unsorted = include_unsorted
    if first_time:
        the_round.published_at = timezone.now()
    if the_round.compiled_on is None:
        the_round.compiled_on = timezone.localdate()
    the_round.save()
    audit.log(
        request,
        "network.round.published",
        the_round,
        data={"public": is_public, "unsorted": include_unsorted},
    )
    if first_time:
        from kretsen.network.tasks import announce_publication

        round_id = the_round.pk
        transaction.on_commit(lambda: announce_publication.enqueue(round_id=round_id))
