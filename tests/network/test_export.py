"""The exported report: DOCX opened again with python-docx, PDF text read with pypdf."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django_scopes import scope, scopes_disabled
from docx import Document
from pypdf import PdfReader

from kretsen.network.models import LocalNetwork, Network, QuoteUse, Round, Theme
from kretsen.network.services import compilation, report
from tests.network.conftest import document, make_round

QUOTES = [
    ("relative", "Jag skäms inte längre över att be om hjälp, det har gruppen lärt mig."),
    ("staff", "Vi på äldreomsorgen förstår nu hur lång en natt kan vara."),
    ("politician", "Æ, ø og å: vi må lytte mer til de pårørende i budsjettet."),
    ("volunteer", "Det viktigaste är kaffet och att någon frågar hur du mår."),
]
SWEDISH_ATTRIBUTIONS = ["En anhörig:", "En medarbetare:", "En politiker:", "En volontär:"]


def _pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


@pytest.fixture
def compiled(
    network: Network, local_a: LocalNetwork, local_b: LocalNetwork, staff_request: Any
) -> Round:
    the_round = make_round(network, questions=2)
    document(local_a, the_round, QUOTES[:2])
    document(local_b, the_round, QUOTES[2:])
    with scope(network=network):
        compilation.start_compiling(staff_request, the_round)
        question = the_round.questions.get(position=1)
        theme = compilation.create_theme(staff_request, question, "Att be om hjälp")
        compilation.update_theme(
            staff_request, theme, "Att be om hjälp", "Många berättade om skam."
        )
        for quote in question.answers.get(submission__local_network=local_a).quotes.all():
            compilation.assign_quote(staff_request, quote, theme)
    # The compiler chose to publish the quotes no theme holds as well ("More voices").
    the_round.include_unsorted = True
    the_round.save(update_fields=["include_unsorted"])
    return the_round


def test_it_exports_a_docx_with_headings_and_italic_quotes(
    compiled: Round, network: Network
) -> None:
    with scope(network=network):
        content = report.to_docx(compiled)
    docx = Document(io.BytesIO(content))
    headings = [
        (getattr(p.style, "name", ""), p.text)
        for p in docx.paragraphs
        if getattr(p.style, "name", "").startswith(("Title", "Heading"))
    ]
    assert headings[0] == ("Title", "Nätverket: rapport från omgång 1")
    assert headings[1] == ("Heading 1", "Bakgrund")
    assert [name for name, _text in headings[2:]] == [
        "Heading 1",
        "Heading 2",
        "Heading 2",
        "Heading 1",
        "Heading 2",
    ]
    assert headings[2][1].startswith("Fråga 1: ")
    assert headings[3][1] == "Att be om hjälp"
    assert headings[4][1] == "Fler röster"
    italic = [run.text for p in docx.paragraphs for run in p.runs if run.italic]
    upright = [run.text.strip() for p in docx.paragraphs for run in p.runs if not run.italic]
    for _role, text in QUOTES:
        # Every quote of every question, in italics, exactly once per question.
        assert italic.count(text) == 2
    for attribution in SWEDISH_ATTRIBUTIONS:
        assert attribution in upright
    # Sub-questions in full, and the page number field in the footer.
    assert "Vad fungerar?" in [p.text for p in docx.paragraphs]
    footer_xml = docx.sections[0].footer._element.xml
    assert "PAGE" in footer_xml
    assert docx.paragraphs[-1].text.startswith("Sammanställd av ")


def test_it_exports_a_pdf_with_every_quote_and_attribution(
    compiled: Round, network: Network
) -> None:
    with scope(network=network):
        content = report.to_pdf(compiled)
    assert content.startswith(b"%PDF")
    text = _pdf_text(content)
    for _role, quote in QUOTES:
        assert text.count(quote) == 2
    for attribution in SWEDISH_ATTRIBUTIONS:
        assert f"{attribution} " in text
    assert "Nätverket: rapport från omgång 1" in text
    assert "Sida 1" in text
    assert "Æ, ø og å" in text


def test_it_leaves_out_and_marks_shortened_quotes(
    compiled: Round, network: Network, staff_request: Any
) -> None:
    with scope(network=network):
        theme = Theme.objects.get()
        kept, dropped = list(theme.quote_uses.order_by("position"))
        compilation.set_quote_use(
            staff_request, kept, QuoteUse.Mode.SHORTEN, "Jag skäms inte längre"
        )
        compilation.set_quote_use(staff_request, dropped, QuoteUse.Mode.OMIT, "")
        built = report.build(compiled)
    lines = built.questions[0].themes[0].quotes
    assert [(line.text, line.shortened) for line in lines] == [("Jag skäms inte längre […]", True)]
    assert QUOTES[1][1] not in [q.text for q in built.questions[0].other_quotes]


def test_it_refuses_a_shortened_quote_that_is_not_shorter(
    compiled: Round, network: Network, staff_request: Any
) -> None:
    from kretsen.core.errors import DomainError

    with scope(network=network):
        use = QuoteUse.objects.first()
        assert use is not None
        with pytest.raises(DomainError):
            compilation.set_quote_use(
                staff_request, use, QuoteUse.Mode.SHORTEN, use.quote.text + " och mer"
            )


def test_it_exports_a_round_without_submissions_saying_so(
    network: Network, staff_request: Any
) -> None:
    the_round = make_round(network, questions=1)
    with scope(network=network):
        compilation.start_compiling(staff_request, the_round)
        docx = Document(io.BytesIO(report.to_docx(the_round)))
        pdf = _pdf_text(report.to_pdf(the_round))
    texts = [p.text for p in docx.paragraphs]
    assert "Inget lokalt nätverk lämnade in dokumentation för den här omgången." in texts
    assert "Inget lokalt nätverk lämnade in dokumentation för den här omgången." in pdf
    assert "Ingen dokumentation kom in för den här frågan." in pdf


def test_it_writes_the_report_in_the_networks_language(
    network: Network, local_a: LocalNetwork, staff_request: Any
) -> None:
    with scopes_disabled():
        network.language = "nb"
        network.save()
    the_round = make_round(network, questions=1)
    document(local_a, the_round, QUOTES[:1])
    with scope(network=network):
        compilation.start_compiling(staff_request, the_round)
        the_round.include_unsorted = True
        built = report.build(the_round)
    assert built.background_heading == "Bakgrunn"
    assert built.questions[0].other_quotes[0].attribution == "En pårørende:"


def test_it_serves_the_files_to_the_coordinator(
    compiled: Round, network: Network, coordinator_client: Client
) -> None:
    kwargs = {"network": network.public_id, "round": compiled.public_id}
    docx = coordinator_client.get(reverse("network:report-docx", kwargs=kwargs))
    assert docx.status_code == 200
    assert docx["Content-Disposition"] == "attachment; filename*=utf-8''rapport-omg%C3%A5ng-1.docx"
    Document(io.BytesIO(docx.content))
    pdf = coordinator_client.get(reverse("network:report-pdf", kwargs=kwargs))
    assert pdf["Content-Type"] == "application/pdf"
    assert QUOTES[0][1] in _pdf_text(pdf.content)
    page = coordinator_client.get(reverse("network:report", kwargs=kwargs))
    assert QUOTES[0][1] in page.content.decode()
