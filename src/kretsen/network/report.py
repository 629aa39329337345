"""The compiled report of one round as plain dataclasses, and its DOCX rendering.

The builder (``services/report.py``) fills these from the database in the network's
language; the renderers here and the PDF/web templates only lay them out. No Django models
are imported here.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt


@dataclass(frozen=True)
class QuoteLine:
    attribution: str  # "A relative:" in the report's language
    text: str
    shortened: bool = False


@dataclass
class ThemeBlock:
    title: str
    text: str  # the compiler's connecting text
    quotes: list[QuoteLine] = field(default_factory=list)
    prose: list[str] = field(default_factory=list)  # the passages, merged into paragraphs


@dataclass
class QuestionSection:
    heading: str  # "Question 1"
    text: str
    sub_questions: list[str]
    themes: list[ThemeBlock]
    other_quotes: list[QuoteLine]
    empty_note: str = ""  # set when nothing came in for this question


@dataclass
class Report:
    language: str
    title: str
    subtitle: str
    background_heading: str
    background: str
    questions: list[QuestionSection]
    other_heading: str
    closing: str
    empty_note: str = ""  # set when no local network submitted anything
    page_label: str = ""

    def all_quotes(self) -> list[QuoteLine]:
        quotes: list[QuoteLine] = []
        for section in self.questions:
            for theme in section.themes:
                quotes.extend(theme.quotes)
            quotes.extend(section.other_quotes)
        return quotes


PARAGRAPH_WORDS = 150


def merge_passages(passages: list[str], longest: int = PARAGRAPH_WORDS) -> list[str]:
    """Passages in their order, joined into paragraphs of about ``longest`` words; a blank
    line the compiler wrote inside a passage always starts a new paragraph."""
    merged: list[str] = []
    current: list[str] = []
    words = 0
    for passage in passages:
        blocks = paragraphs_of(passage)
        for number, block in enumerate(blocks):
            size = len(block.split())
            if current and (number > 0 or words + size > longest):
                merged.append(" ".join(current))
                current, words = [], 0
            current.append(" ".join(block.split()))
            words += size
    if current:
        merged.append(" ".join(current))
    return merged


def paragraphs_of(text: str) -> list[str]:
    return [block.strip() for block in text.replace("\r\n", "\n").split("\n\n") if block.strip()]


def _page_number_field(paragraph: object) -> None:
    run = paragraph.add_run()  # type: ignore[attr-defined]
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    instruction = OxmlElement("w:instrText")
    instruction.set(qn("xml:space"), "preserve")
    instruction.text = " PAGE "
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    placeholder = OxmlElement("w:t")
    placeholder.text = "1"
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    for element in (begin, instruction, separate, placeholder, end):
        run._r.append(element)


def _add_quote(document: object, quote: QuoteLine) -> None:
    paragraph = document.add_paragraph(style="Quote")  # type: ignore[attr-defined]
    paragraph.add_run(quote.attribution + " ").italic = False
    paragraph.add_run(quote.text).italic = True


def to_docx(report: Report) -> bytes:
    document = Document()
    styles = document.styles
    styles["Normal"].font.name = "Calibri"
    styles["Normal"].font.size = Pt(11)
    quote_style = styles["Quote"]
    quote_style.font.italic = False  # the attribution is upright, the words italic
    document.core_properties.title = report.title
    document.core_properties.language = report.language
    # The document's language, so spelling and hyphenation work in Word and LibreOffice.
    run_properties = styles["Normal"].element.get_or_add_rPr()
    lang = OxmlElement("w:lang")
    lang.set(
        qn("w:val"), {"sv": "sv-SE", "nb": "nb-NO", "en": "en-GB"}.get(report.language, "sv-SE")
    )
    run_properties.append(lang)

    footer = document.sections[0].footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if report.page_label:
        footer.add_run(report.page_label + " ")
    _page_number_field(footer)

    document.add_heading(report.title, level=0)
    if report.subtitle:
        document.add_paragraph(report.subtitle)
    document.add_heading(report.background_heading, level=1)
    for text in paragraphs_of(report.background):
        document.add_paragraph(text)
    if report.empty_note:
        document.add_paragraph(report.empty_note)
    for section in report.questions:
        document.add_heading(f"{section.heading}: {section.text}", level=1)
        for sub in section.sub_questions:
            document.add_paragraph(sub, style="List Bullet")
        if section.empty_note:
            document.add_paragraph(section.empty_note)
        for theme in section.themes:
            document.add_heading(theme.title, level=2)
            for text in paragraphs_of(theme.text):
                document.add_paragraph(text)
            for text in theme.prose:
                document.add_paragraph(text)
            for quote in theme.quotes:
                _add_quote(document, quote)
        if section.other_quotes:
            document.add_heading(report.other_heading, level=2)
            for quote in section.other_quotes:
                _add_quote(document, quote)
    if report.closing:
        document.add_paragraph(report.closing)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
