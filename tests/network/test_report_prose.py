"""The report carries the prose: a theme's passages merged into paragraphs after the
connecting text, quotes set apart in italics by role, and only what the compiler chose, in
the web page, the DOCX and the tagged PDF, under file names in the report's language."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django_scopes import scope, scopes_disabled
from docx import Document
from pypdf import PdfReader

from kretsen.network.models import LocalNetwork, Network, Round
from kretsen.network.report import merge_passages
from kretsen.network.services import compilation, report
from tests.network.conftest import document, make_round

SORTED = "Avlösning i hemmet gav flera deltagare några timmar av vila varje vecka."
ALSO_SORTED = "Dagverksamheten gör att man hinner handla och andas en stund."
LEFT_OUT = "Det här stycket lade ingen under något tema."
QUOTE_KEPT = ("relative", "Jag sov en hel natt när avlösaren var här.")
QUOTE_UNSORTED = ("staff", "Det här citatet valde ingen.")


@pytest.fixture
def prose_round(network: Network, local_a: LocalNetwork, staff_request: Any) -> Round:
    the_round = make_round(network, questions=1)
    document(
        local_a,
        the_round,
        [QUOTE_KEPT, QUOTE_UNSORTED],
        discussion="\n\n".join([SORTED, LEFT_OUT, ALSO_SORTED]),
    )
    with scope(network=network):
        compilation.start_compiling(staff_request, the_round)
        question = the_round.questions.get()
        theme = compilation.create_theme(staff_request, question, "Avlösning")
        compilation.update_theme(staff_request, theme, "Avlösning", "Avlösning kom upp överallt.")
        items = {item.text: item for item in compilation.material(question)}
        for text in (SORTED, ALSO_SORTED, QUOTE_KEPT[1]):
            compilation.assign_item(staff_request, question, items[text].key, theme)
        compilation.publish(staff_request, the_round, is_public=False)
    return the_round


def test_passages_merge_into_paragraphs() -> None:
    assert merge_passages(["Ett.", "Två."]) == ["Ett. Två."]
    assert merge_passages(["Ett.\n\nTvå.", "Tre."]) == ["Ett.", "Två. Tre."]
    long = " ".join(["ord"] * 100)
    assert merge_passages([long, long]) == [long, long]


def test_the_web_report_holds_the_prose_and_only_what_was_chosen(
    prose_round: Round, network: Network, coordinator_client: Client
) -> None:
    page = coordinator_client.get(
        reverse(
            "network:report", kwargs={"network": network.public_id, "round": prose_round.public_id}
        )
    ).content.decode()
    connecting = page.index("Avlösning kom upp överallt.")
    prose = page.index(f"<p>{SORTED} {ALSO_SORTED}</p>")
    quote = page.index(f"En anhörig: <em>{QUOTE_KEPT[1]}</em>")
    assert connecting < prose < quote
    assert LEFT_OUT not in page
    assert QUOTE_UNSORTED[1] not in page
    assert "Fler röster" not in page


def test_unsorted_quotes_appear_only_when_the_compiler_says_so(
    prose_round: Round, network: Network
) -> None:
    with scope(network=network):
        built = report.build(prose_round)
        assert built.questions[0].other_quotes == []
        prose_round.include_unsorted = True
        built = report.build(prose_round)
    assert [q.text for q in built.questions[0].other_quotes] == [QUOTE_UNSORTED[1]]


def test_the_docx_has_real_headings_prose_and_italic_quotes(
    prose_round: Round, network: Network
) -> None:
    with scope(network=network):
        docx = Document(io.BytesIO(report.to_docx(prose_round)))
    paragraphs = [(getattr(p.style, "name", ""), p.text) for p in docx.paragraphs]
    theme_at = paragraphs.index(("Heading 2", "Avlösning"))
    assert paragraphs[theme_at + 1] == ("Normal", "Avlösning kom upp överallt.")
    assert paragraphs[theme_at + 2] == ("Normal", f"{SORTED} {ALSO_SORTED}")
    quote = docx.paragraphs[theme_at + 3]
    assert getattr(quote.style, "name", "") == "Quote"
    assert [(run.text, bool(run.italic)) for run in quote.runs] == [
        ("En anhörig: ", False),
        (QUOTE_KEPT[1], True),
    ]
    texts = " ".join(text for _style, text in paragraphs)
    assert LEFT_OUT not in texts
    assert QUOTE_UNSORTED[1] not in texts


def test_the_pdf_is_tagged_and_holds_the_prose(prose_round: Round, network: Network) -> None:
    with scope(network=network):
        content = report.to_pdf(prose_round)
    reader = PdfReader(io.BytesIO(content))
    root: Any = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert root["/MarkInfo"]["/Marked"]
    assert root["/Lang"] == "sv"
    text = " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)
    assert f"{SORTED} {ALSO_SORTED}" in text
    assert QUOTE_KEPT[1] in text
    assert LEFT_OUT not in text
    assert QUOTE_UNSORTED[1] not in text


def test_file_names_are_in_the_reports_language(
    prose_round: Round, network: Network, coordinator_client: Client
) -> None:
    kwargs = {"network": network.public_id, "round": prose_round.public_id}
    pdf = coordinator_client.get(reverse("network:report-pdf", kwargs=kwargs))
    assert pdf["Content-Disposition"] == "attachment; filename*=utf-8''rapport-omg%C3%A5ng-1.pdf"
    with scopes_disabled():
        network.language = "nb"
        network.save()
        prose_round.refresh_from_db()
        assert report.file_name(prose_round, "docx") == "rapport-runde-1.docx"
        network.language = "en"
        network.save()
        prose_round.refresh_from_db()
        assert report.file_name(prose_round, "pdf") == "report-round-1.pdf"
