"""The compiled report of a round, built from the database in the network's language, and
its exports (DOCX with python-docx, PDF with WeasyPrint)."""

from __future__ import annotations

from collections import defaultdict

from django.conf import settings
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from weasyprint import CSS, HTML

from kretsen.network import report as document
from kretsen.network.models import (
    Answer,
    MemberRole,
    Passage,
    Quote,
    QuoteUse,
    Round,
    Submission,
    Theme,
)

# The report template uses only these elements. WeasyPrint's full HTML5 user-agent stylesheet
# is matched against every one of thousands of paragraphs; this small one makes a 137-page
# report about a tenth faster (decision 0039). The export tests open the PDF again.
REPORT_UA_STYLESHEET = CSS(
    string="""
    html, body, h1, h2, h3, p, ul, li, div { display: block; }
    head, style, title, meta, script { display: none; }
    li { display: list-item; }
    ul { padding-left: 20pt; list-style-type: disc; }
    h1, h2, h3, strong { font-weight: bold; }
    em { font-style: italic; }
    """
)


class _ReportHTML(HTML):
    def _ua_stylesheets(self, forms: bool = False) -> list[CSS]:
        return [REPORT_UA_STYLESHEET]


ATTRIBUTIONS = {
    MemberRole.RELATIVE: gettext_lazy("A relative:"),
    MemberRole.STAFF: gettext_lazy("A member of staff:"),
    MemberRole.MANAGER: gettext_lazy("A manager:"),
    MemberRole.POLITICIAN: gettext_lazy("A politician:"),
    MemberRole.VOLUNTEER: gettext_lazy("A volunteer:"),
    MemberRole.OTHER: gettext_lazy("A participant:"),
}


def attribution(role: str) -> str:
    return str(ATTRIBUTIONS.get(MemberRole(role), ATTRIBUTIONS[MemberRole.OTHER]))


def _line(quote: Quote, use: QuoteUse | None) -> document.QuoteLine:
    if use is not None and use.mode == QuoteUse.Mode.SHORTEN and use.shortened:
        return document.QuoteLine(attribution(quote.role), use.shortened, shortened=True)
    return document.QuoteLine(attribution(quote.role), quote.text)


def build(the_round: Round) -> document.Report:
    network = the_round.network
    questions = list(the_round.questions.order_by("position"))
    answers = list(
        Answer.objects.filter(
            question__round=the_round, submission__state=Submission.State.SUBMITTED
        )
        .select_related("submission__local_network")
        .prefetch_related(
            Prefetch("quotes", queryset=Quote.objects.select_related("use").order_by("position"))
        )
        .order_by("submission__local_network__name")
    )
    themes = list(
        Theme.objects.filter(question__round=the_round).prefetch_related(
            Prefetch(
                "quote_uses",
                queryset=QuoteUse.objects.select_related("quote").order_by("position", "id"),
            ),
            Prefetch("passages", queryset=Passage.objects.order_by("position", "id")),
        )
    )
    themes_by_question: dict[int, list[Theme]] = defaultdict(list)
    for theme in themes:
        themes_by_question[theme.question_id].append(theme)
    answers_by_question: dict[int, list[Answer]] = defaultdict(list)
    for answer in answers:
        answers_by_question[answer.question_id].append(answer)
    submitted = {answer.submission_id for answer in answers}

    with translation.override(network.language):
        sections = []
        for question in questions:
            own_answers = answers_by_question[question.pk]
            blocks = [
                document.ThemeBlock(
                    title=theme.title,
                    text=theme.text,
                    quotes=[
                        _line(use.quote, use)
                        for use in theme.quote_uses.all()
                        if use.mode != QuoteUse.Mode.OMIT
                    ],
                    prose=document.merge_passages([p.text for p in theme.passages.all()]),
                )
                for theme in sorted(
                    themes_by_question[question.pk], key=lambda t: (t.position, t.pk)
                )
            ]
            # Only what the compiler chose: quotes no theme holds appear when asked for.
            others = [
                _line(quote, None)
                for answer in own_answers
                for quote in answer.quotes.all()
                if the_round.include_unsorted and not hasattr(quote, "use")
            ]
            has_content = any(
                (answer.discussion or "").strip() or answer.quotes.all() for answer in own_answers
            )
            sections.append(
                document.QuestionSection(
                    heading=_("Question %(number)s") % {"number": question.position},
                    text=question.text,
                    sub_questions=question.sub_question_list(),
                    themes=blocks,
                    other_quotes=others,
                    empty_note=""
                    if has_content
                    else _("No documentation came in for this question."),
                )
            )
        compiled_on = the_round.compiled_on or timezone.localdate()
        closing = ""
        if the_round.compiler_name:
            closing = _("Compiled by %(name)s, %(date)s.") % {
                "name": the_round.compiler_name,
                "date": formats.date_format(compiled_on, "DATE_FORMAT"),
            }
        return document.Report(
            language=network.language,
            title=_("%(network)s: report from round %(number)s")
            % {"network": network.name, "number": the_round.number},
            subtitle=_("Meetings from %(start)s to %(end)s")
            % {
                "start": formats.date_format(the_round.meetings_from, "DATE_FORMAT"),
                "end": formats.date_format(the_round.meetings_to, "DATE_FORMAT"),
            },
            background_heading=_("Background"),
            background=the_round.background or network.purpose,
            questions=sections,
            other_heading=_("More voices"),
            closing=closing,
            empty_note=""
            if submitted
            else _("No local network sent in documentation for this round."),
            page_label=_("Page"),
        )


def file_name(the_round: Round, extension: str) -> str:
    """The download's name in the report's language, e.g. ``rapport-omgång-3.pdf``."""
    with translation.override(the_round.network.language):
        stem = _("report-round-%(number)s") % {"number": the_round.number}
    return f"{stem}.{extension}"


def to_docx(the_round: Round) -> bytes:
    return document.to_docx(build(the_round))


def to_pdf(the_round: Round) -> bytes:
    report = build(the_round)
    with translation.override(report.language):
        html = render_to_string("network/report_pdf.html", {"report": report})
    # Tagged PDF (PDF/UA-1): headings, paragraphs and lists carry structure for screen readers.
    pdf = _ReportHTML(string=html, base_url=settings.SITE_URL).write_pdf(pdf_variant="pdf/ua-1")
    assert pdf is not None
    return bytes(pdf)
