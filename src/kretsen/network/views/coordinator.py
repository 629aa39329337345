"""The network coordinator: set-up of the network, local networks and rounds; compilation."""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

from django.contrib import messages
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kretsen.core.actions import perform
from kretsen.core.errors import DomainError
from kretsen.core.roles import Role
from kretsen.network.access import network_view
from kretsen.network.forms import (
    AcceptSuggestionForm,
    AssignItemForm,
    BackgroundForm,
    ChoiceOfThemeForm,
    LocalNetworkForm,
    MemberFormSet,
    MoveForm,
    NetworkForm,
    PassageEditForm,
    PassageForm,
    PublishForm,
    QuoteUseForm,
    RoundForm,
    SearchForm,
    ThemeForm,
    TitleForm,
    question_forms,
)
from kretsen.network.models import LocalNetwork, MemberRole, Question, Round, Submission, Theme
from kretsen.network.services import compilation, setup
from kretsen.network.views.common import (
    get_answer,
    get_local,
    get_passage,
    get_proposal,
    get_question,
    get_quote,
    get_quote_use,
    get_round,
    get_suggestion,
    get_theme,
    network_of,
    show_errors,
)

COORDINATOR = Role.NETWORK_COORDINATOR


@network_view(COORDINATOR)
@require_GET
def network_home(request: HttpRequest, network: str) -> HttpResponse:
    found = network_of(request)
    local_networks = list(
        LocalNetwork.objects.select_related("organisation", "leader").prefetch_related("members")
    )
    member_roles = {
        local.pk: Counter(str(member.get_role_display()) for member in local.members.all())
        for local in local_networks
    }
    rounds = Round.objects.annotate(
        submitted=Count("submissions", filter=Q(submissions__state=Submission.State.SUBMITTED))
    ).order_by("-number")
    return render(
        request,
        "network/home.html",
        {
            "network": found,
            "local_networks": [
                (local, sorted(member_roles[local.pk].items())) for local in local_networks
            ],
            "rounds": rounds,
        },
    )


@network_view(COORDINATOR)
@require_http_methods(["GET", "POST"])
def network_settings(request: HttpRequest, network: str) -> HttpResponse:
    found = network_of(request)
    form = NetworkForm(
        request.POST or None, initial={"purpose": found.purpose, "language": found.language}
    )
    if request.method == "POST" and form.is_valid():
        setup.update_network(
            request, found, form.cleaned_data["purpose"], form.cleaned_data["language"]
        )
        messages.success(request, _("Saved."))
        return redirect("network:home", network=network)
    return render(request, "network/settings.html", {"network": found, "form": form})


def _local_form_page(
    request: HttpRequest, network: str, local: LocalNetwork | None
) -> HttpResponse:
    found = network_of(request)
    initial: dict[str, Any] = {}
    members_initial: list[dict[str, Any]] = []
    if local is not None:
        initial = {
            "organisation": local.organisation,
            "name": local.name,
            "leader_email": local.leader.email if local.leader else "",
        }
        members_initial = [{"role": m.role, "name": m.name} for m in local.members.all()]
    form = LocalNetworkForm(request.POST or None, initial=initial)
    members = MemberFormSet(request.POST or None, initial=members_initial, prefix="members")
    if request.method == "POST" and form.is_valid() and members.is_valid():
        rows = [
            setup.MemberData(role=f.cleaned_data["role"], name=f.cleaned_data.get("name", ""))
            for f in members.forms
            if f.cleaned_data.get("role")
        ]
        if perform(
            request,
            lambda: setup.save_local_network(
                request,
                found,
                local,
                form.cleaned_data["organisation"],
                form.cleaned_data["name"],
                form.cleaned_data["leader_email"] or "",
                rows,
            ),
            success=_("Saved."),
            form=form,
        ):
            return redirect("network:home", network=network)
    return render(
        request,
        "network/local_form.html",
        {"network": found, "form": form, "members": members, "local": local},
    )


@network_view(COORDINATOR)
@require_http_methods(["GET", "POST"])
def local_new(request: HttpRequest, network: str) -> HttpResponse:
    return _local_form_page(request, network, None)


@network_view(COORDINATOR)
@require_http_methods(["GET", "POST"])
def local_edit(request: HttpRequest, network: str, local: uuid.UUID) -> HttpResponse:
    return _local_form_page(request, network, get_local(local))


def _round_form_page(request: HttpRequest, network: str, the_round: Round | None) -> HttpResponse:
    found = network_of(request)
    initial: dict[str, Any] = {"reminder_days": 3}
    questions_initial: list[dict[str, Any]] = []
    if the_round is not None:
        initial = {
            name: getattr(the_round, name)
            for name in ("meetings_from", "meetings_to", "deadline", "reminder_days")
        }
        questions_initial = [
            {"text": q.text, "sub_questions": q.sub_questions, "background": q.background}
            for q in the_round.questions.order_by("position")
        ]
    data = request.POST if request.method == "POST" else None
    form = RoundForm(data, initial=initial)
    questions = question_forms(data, questions_initial)
    if (
        request.method == "POST"
        and form.is_valid()
        and all(q.is_valid() for q in questions)
        and (
            outcome := perform(
                request,
                lambda: setup.save_round(
                    request,
                    found,
                    the_round,
                    form.cleaned_data,
                    [
                        setup.QuestionData(
                            q.cleaned_data["text"],
                            q.cleaned_data["sub_questions"],
                            q.cleaned_data["background"],
                        )
                        for q in questions
                    ],
                ),
                success=_("Saved."),
                form=form,
            )
        )
    ):
        saved = outcome.result
        return redirect("network:round", network=network, round=saved.public_id)
    return render(
        request,
        "network/round_form.html",
        {
            "network": found,
            "form": form,
            "questions": questions,
            "round": the_round,
            "number": the_round.number if the_round else setup.next_round_number(found),
        },
    )


@network_view(COORDINATOR)
@require_http_methods(["GET", "POST"])
def round_new(request: HttpRequest, network: str) -> HttpResponse:
    return _round_form_page(request, network, None)


@network_view(COORDINATOR)
@require_http_methods(["GET", "POST"])
def round_edit(request: HttpRequest, network: str, round: uuid.UUID) -> HttpResponse:
    return _round_form_page(request, network, get_round(round))


@network_view(COORDINATOR)
@require_GET
def round_detail(request: HttpRequest, network: str, round: uuid.UUID) -> HttpResponse:
    found = get_round(round)
    submissions = {s.local_network_id: s for s in Submission.objects.filter(round=found)}
    rows = [
        (local, submissions.get(local.pk))
        for local in LocalNetwork.objects.select_related("organisation").order_by("name")
    ]
    return render(
        request,
        "network/round.html",
        {
            "network": network_of(request),
            "round": found,
            "questions": found.questions.annotate(theme_count=Count("themes")).order_by("position"),
            "rows": rows,
            "submitted": sum(1 for _l, s in rows if s is not None and s.is_submitted),
            "background_form": BackgroundForm(
                initial={
                    "background": found.background,
                    "compiler_name": found.compiler_name,
                    "compiled_on": found.compiled_on,
                }
            ),
            "publish_form": PublishForm(
                initial={"is_public": found.is_public, "include_unsorted": found.include_unsorted}
            ),
        },
    )


def _back_to_round(network: str, the_round: Round) -> HttpResponse:
    return redirect("network:round", network=network, round=the_round.public_id)


@network_view(COORDINATOR)
@require_POST
def round_start(request: HttpRequest, network: str, round: uuid.UUID) -> HttpResponse:
    found = get_round(round)
    compilation.start_compiling(request, found)
    messages.success(
        request, _("Compiling has started. Local leaders can no longer change their documentation.")
    )
    return _back_to_round(network, found)


@network_view(COORDINATOR)
@require_POST
def round_background(request: HttpRequest, network: str, round: uuid.UUID) -> HttpResponse:
    found = get_round(round)
    form = BackgroundForm(request.POST)
    if form.is_valid():
        perform(
            request,
            lambda: compilation.save_background(
                request,
                found,
                form.cleaned_data["background"],
                form.cleaned_data["compiler_name"],
                form.cleaned_data["compiled_on"],
            ),
            success=_("Saved."),
        )
    else:
        show_errors(request, form)
    return _back_to_round(network, found)


@network_view(COORDINATOR)
@require_POST
def round_background_generate(request: HttpRequest, network: str, round: uuid.UUID) -> HttpResponse:
    found = get_round(round)
    perform(
        request,
        lambda: compilation.regenerate_background(request, found),
        success=_("The background was written again from the network's data."),
    )
    return _back_to_round(network, found)


@network_view(COORDINATOR)
@require_POST
def round_publish(request: HttpRequest, network: str, round: uuid.UUID) -> HttpResponse:
    found = get_round(round)
    form = PublishForm(request.POST)
    form.is_valid()
    perform(
        request,
        lambda: compilation.publish(
            request,
            found,
            bool(form.cleaned_data.get("is_public")),
            bool(form.cleaned_data.get("include_unsorted")),
        ),
        success=_("The report is published."),
    )
    return _back_to_round(network, found)


def _theme_choices(themes: list[Theme]) -> list[tuple[str, str]]:
    return [(str(theme.public_id), theme.title) for theme in themes]


@network_view(COORDINATOR)
@require_GET
def compile_question(request: HttpRequest, network: str, question: uuid.UUID) -> HttpResponse:
    found = get_question(question)
    the_round = found.round
    themes = list(
        found.themes.prefetch_related(
            "passages__answer__submission__local_network", "quote_uses__quote"
        )
    )
    choices = _theme_choices(themes)
    answers = list(compilation.submitted_answers(found))
    items = compilation.material(found) if not the_round.is_open else []
    by_passage = {item.passage.pk: item for item in items if item.passage is not None}
    by_quote = {item.quote.pk: item for item in items if item.quote is not None}
    theme_by_id = {theme.pk: theme for theme in themes}
    suggestions = []
    for suggestion in found.suggestions.all():
        members = compilation.suggestion_members(suggestion)
        shown = [
            by_quote.get(int(str(m["quote"])))
            if "quote" in m
            else by_passage.get(int(str(m["passage"])))
            for m in members
        ]
        suggestions.append(
            {
                "suggestion": suggestion,
                "title": compilation.suggestion_title(suggestion),
                "sentences": compilation.suggestion_sentences(suggestion),
                "quotes": sum(1 for item in shown if item is not None and item.is_quote),
                "passages": sum(1 for item in shown if item is not None and not item.is_quote),
                "form": AcceptSuggestionForm(
                    prefix=str(suggestion.public_id),
                    initial={"title": compilation.suggestion_title(suggestion)},
                ),
            }
        )
    proposals = []
    for proposal in found.proposals.select_related("theme"):
        item = (
            by_passage.get(proposal.passage_id or 0)
            if proposal.passage_id
            else by_quote.get(proposal.quote_id or 0)
        )
        if item is None:
            continue
        proposals.append(
            {
                "proposal": proposal,
                "item": item,
                "candidates": [
                    (theme_by_id[int(c["theme"])], round(float(c["score"]) * 100))
                    for c in proposal.candidates
                    if int(c["theme"]) in theme_by_id
                ],
            }
        )
    return render(
        request,
        "network/compile.html",
        {
            "network": network_of(request),
            "round": the_round,
            "question": found,
            "questions": the_round.questions.order_by("position"),
            "themes": [
                {
                    "theme": theme,
                    "number": number,
                    "form": ThemeForm(
                        prefix=str(theme.public_id),
                        initial={"title": theme.title, "text": theme.text},
                    ),
                    "merge_form": ChoiceOfThemeForm(
                        prefix=f"merge-{theme.public_id}",
                        themes=[c for c in choices if c[0] != str(theme.public_id)],
                    ),
                    "uses": [
                        (
                            use,
                            QuoteUseForm(
                                prefix=str(use.public_id),
                                initial={"mode": use.mode, "shortened": use.shortened or ""},
                            ),
                        )
                        for use in theme.quote_uses.all()
                    ],
                    "passages": [
                        (
                            passage,
                            PassageEditForm(
                                prefix=str(passage.public_id), initial={"text": passage.text}
                            ),
                        )
                        for passage in theme.passages.all()
                    ],
                }
                for number, theme in enumerate(themes, start=1)
            ],
            "theme_numbers": {theme.pk: number for number, theme in enumerate(themes, start=1)},
            "theme_titles": {theme.pk: theme.title for theme in themes},
            "items": items,
            "unsorted": sum(1 for item in items if item.theme_id is None),
            "answers": answers,
            "theme_choices": choices,
            "new_theme_form": TitleForm(),
            "suggestions": suggestions,
            "proposals": proposals,
            "sure_count": found.proposals.filter(is_sure=True).count(),
            "roles": dict(MemberRole.choices),
        },
    )


def _back_to_question(network: str, question_id: uuid.UUID, anchor: str = "") -> HttpResponse:
    response = redirect("network:compile", network=network, question=question_id)
    if anchor:
        response["Location"] += f"#{anchor}"
    return response


def _run(request: HttpRequest, action: Any, *args: Any) -> None:
    perform(request, lambda: action(request, *args), success=_("Saved."))


@network_view(COORDINATOR)
@require_POST
def theme_new(request: HttpRequest, network: str, question: uuid.UUID) -> HttpResponse:
    found = get_question(question)
    form = TitleForm(request.POST)
    if form.is_valid():
        _run(request, compilation.create_theme, found, form.cleaned_data["title"])
    else:
        show_errors(request, form)
    return _back_to_question(network, found.public_id, "themes")


@network_view(COORDINATOR)
@require_POST
def theme_edit(request: HttpRequest, network: str, theme: uuid.UUID) -> HttpResponse:
    found = get_theme(theme)
    form = ThemeForm(request.POST, prefix=str(found.public_id))
    if form.is_valid():
        _run(
            request,
            compilation.update_theme,
            found,
            form.cleaned_data["title"],
            form.cleaned_data["text"],
        )
    else:
        show_errors(request, form)
    return _back_to_question(network, found.question.public_id, f"theme-{found.public_id}")


@network_view(COORDINATOR)
@require_POST
def theme_move(request: HttpRequest, network: str, theme: uuid.UUID) -> HttpResponse:
    found = get_theme(theme)
    form = MoveForm(request.POST)
    if form.is_valid():
        _run(request, compilation.move_theme, found, form.cleaned_data["step"])
    return _back_to_question(network, found.question.public_id, "themes")


def _chosen_theme(form: ChoiceOfThemeForm) -> Theme | None:
    value = form.cleaned_data.get("theme") or ""
    if not value:
        return None
    return get_theme(uuid.UUID(value))


@network_view(COORDINATOR)
@require_POST
def theme_merge(request: HttpRequest, network: str, theme: uuid.UUID) -> HttpResponse:
    found = get_theme(theme)
    themes = list(found.question.themes.all())
    form = ChoiceOfThemeForm(
        request.POST, prefix=f"merge-{found.public_id}", themes=_theme_choices(themes)
    )
    into = _chosen_theme(form) if form.is_valid() else None
    if into is None:
        messages.error(request, _("Choose another theme to merge with."))
        return _back_to_question(network, found.question.public_id, "themes")
    _run(request, compilation.merge_themes, found, into)
    return _back_to_question(network, found.question.public_id, f"theme-{into.public_id}")


@network_view(COORDINATOR)
@require_POST
def theme_delete(request: HttpRequest, network: str, theme: uuid.UUID) -> HttpResponse:
    found = get_theme(theme)
    question_id = found.question.public_id
    _run(request, compilation.delete_theme, found)
    return _back_to_question(network, question_id, "themes")


@network_view(COORDINATOR)
@require_POST
def quote_assign(request: HttpRequest, network: str, quote: uuid.UUID) -> HttpResponse:
    found = get_quote(quote)
    question = found.answer.question
    form = ChoiceOfThemeForm(
        request.POST,
        prefix=str(found.public_id),
        themes=_theme_choices(list(question.themes.all())),
    )
    if form.is_valid():
        _run(request, compilation.assign_quote, found, _chosen_theme(form))
    else:
        show_errors(request, form)
    return _back_to_question(network, question.public_id, f"quote-{found.public_id}")


@network_view(COORDINATOR)
@require_POST
def quote_use(request: HttpRequest, network: str, use: uuid.UUID) -> HttpResponse:
    found = get_quote_use(use)
    form = QuoteUseForm(request.POST, prefix=str(found.public_id))
    if form.is_valid():
        _run(
            request,
            compilation.set_quote_use,
            found,
            form.cleaned_data["mode"],
            form.cleaned_data["shortened"],
        )
    else:
        show_errors(request, form)
    return _back_to_question(
        network, found.theme.question.public_id, f"theme-{found.theme.public_id}"
    )


@network_view(COORDINATOR)
@require_POST
def passage_new(request: HttpRequest, network: str, answer: uuid.UUID) -> HttpResponse:
    found = get_answer(answer)
    question = found.question
    form = PassageForm(
        request.POST,
        prefix=str(found.public_id),
        themes=_theme_choices(list(question.themes.all())),
    )
    theme = _chosen_theme(form) if form.is_valid() else None
    if theme is None:
        messages.error(request, _("Choose a theme and the passage."))
    else:
        _run(request, compilation.add_passage, found, theme, form.cleaned_data["text"])
    return _back_to_question(network, question.public_id, f"answer-{found.public_id}")


@network_view(COORDINATOR)
@require_POST
def passage_remove(request: HttpRequest, network: str, passage: uuid.UUID) -> HttpResponse:
    found = get_passage(passage)
    question_id = found.answer.question.public_id
    _run(request, compilation.remove_passage, found)
    return _back_to_question(network, question_id, "themes")


def _propose(
    request: HttpRequest,
    network: str,
    question: Question,
    service: Callable[[HttpRequest, Question], Sequence[object]],
    anchor: str,
    ready: str,
    nothing: str,
    nothing_level: int,
) -> HttpResponse:
    """Run a service that proposes something and say whether it found anything to propose."""
    if outcome := perform(request, lambda: service(request, question)):
        created = outcome.result
        if created:
            messages.success(request, ready)
        else:
            messages.add_message(request, nothing_level, nothing)
    return _back_to_question(network, question.public_id, anchor)


@network_view(COORDINATOR)
@require_POST
def suggest(request: HttpRequest, network: str, question: uuid.UUID) -> HttpResponse:
    return _propose(
        request,
        network,
        get_question(question),
        compilation.suggest_themes,
        "suggestions",
        _("Suggestions are ready. Nothing changes until you accept one."),
        _("There is too little text to suggest themes."),
        messages.WARNING,
    )


@network_view(COORDINATOR)
@require_POST
def suggestions_discard(request: HttpRequest, network: str, question: uuid.UUID) -> HttpResponse:
    found = get_question(question)
    compilation.discard_suggestions(request, found)
    return _back_to_question(network, found.public_id, "suggestions")


@network_view(COORDINATOR)
@require_POST
def suggestion_accept(request: HttpRequest, network: str, suggestion: uuid.UUID) -> HttpResponse:
    found = get_suggestion(suggestion)
    question_id = found.question.public_id
    form = AcceptSuggestionForm(request.POST, prefix=str(found.public_id))
    form.is_valid()
    _run(request, compilation.accept_suggestion, found, form.cleaned_data.get("title") or "")
    return _back_to_question(network, question_id, "themes")


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


@network_view(COORDINATOR)
@require_POST
def item_assign(request: HttpRequest, network: str, question: uuid.UUID) -> HttpResponse:
    """One passage or quote to a theme (or back to "not sorted"): a plain form, or the
    keyboard and drag script, which gets JSON with the theme it had, for undo."""
    found = get_question(question)
    form = AssignItemForm(request.POST, themes=_theme_choices(list(found.themes.all())))
    if not form.is_valid():
        if _wants_json(request):
            return JsonResponse({"error": _("Choose a theme.")}, status=400)
        show_errors(request, form)
        return _back_to_question(network, found.public_id, "material")
    key = form.cleaned_data["item"]
    try:
        previous = compilation.assign_item(request, found, key, _chosen_theme(form))
    except DomainError as error:
        if _wants_json(request):
            return JsonResponse({"error": str(error.message)}, status=400)
        messages.error(request, error.message)
    else:
        if _wants_json(request):
            return JsonResponse({"previous": str(previous.public_id) if previous else ""})
        messages.success(request, _("Saved."))
    return _back_to_question(network, found.public_id, f"item-{key}")


@network_view(COORDINATOR)
@require_POST
def passage_edit(request: HttpRequest, network: str, passage: uuid.UUID) -> HttpResponse:
    found = get_passage(passage)
    form = PassageEditForm(request.POST, prefix=str(found.public_id))
    if form.is_valid():
        _run(request, compilation.edit_passage, found, form.cleaned_data["text"])
    else:
        show_errors(request, form)
    anchor = f"theme-{found.theme.public_id}" if found.theme else "material"
    return _back_to_question(network, found.answer.question.public_id, anchor)


@network_view(COORDINATOR)
@require_POST
def sort_propose(request: HttpRequest, network: str, question: uuid.UUID) -> HttpResponse:
    return _propose(
        request,
        network,
        get_question(question),
        compilation.propose_sorting,
        "sorting",
        _("Proposals are ready. Nothing changes until you accept them."),
        _("Everything is already sorted."),
        messages.INFO,
    )


@network_view(COORDINATOR)
@require_POST
def proposal_accept(request: HttpRequest, network: str, proposal: uuid.UUID) -> HttpResponse:
    found = get_proposal(proposal)
    question = found.question
    chosen = request.POST.get("theme", "")
    theme = None
    if chosen:
        try:
            theme = get_theme(uuid.UUID(chosen))
        except ValueError:
            theme = None
    _run(request, compilation.accept_proposal, found, theme)
    return _back_to_question(network, question.public_id, "sorting")


@network_view(COORDINATOR)
@require_POST
def proposals_accept_sure(request: HttpRequest, network: str, question: uuid.UUID) -> HttpResponse:
    found = get_question(question)
    try:
        count = compilation.accept_sure_proposals(request, found)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            ngettext("%(count)s proposal accepted.", "%(count)s proposals accepted.", count)
            % {"count": count},
        )
    return _back_to_question(network, found.public_id, "sorting")


@network_view(COORDINATOR)
@require_POST
def proposals_discard(request: HttpRequest, network: str, question: uuid.UUID) -> HttpResponse:
    found = get_question(question)
    compilation.discard_proposals(request, found)
    return _back_to_question(network, found.public_id, "sorting")


@network_view(COORDINATOR)
@require_GET
def round_search(request: HttpRequest, network: str, round: uuid.UUID) -> HttpResponse:
    found = get_round(round)
    form = SearchForm(request.GET or None)
    hits = compilation.search(found, form.cleaned_data["q"]) if form.is_valid() else []
    return render(
        request,
        "network/search.html",
        {
            "network": network_of(request),
            "round": found,
            "form": form,
            "hits": hits,
            "searched": form.is_bound and form.is_valid(),
            "roles": dict(MemberRole.choices),
        },
    )
