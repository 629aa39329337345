"""Pasted text: markup removed, long pastes capped, names in quotes noticed."""

from __future__ import annotations

import pytest

from kretsen.network import text


def test_it_strips_html_and_keeps_the_words() -> None:
    cleaned = text.clean("<p>Vi <b>pratade</b> om skam.</p><script>alert(1)</script> 3 &lt; 4", 100)
    assert cleaned.text == "Vi pratade om skam. 3 < 4"
    assert cleaned.had_markup
    assert not cleaned.was_capped


def test_it_leaves_plain_text_alone() -> None:
    cleaned = text.clean("Ärlighet, örat och åsikter: æ ø å.\r\nNy rad.", 100)
    assert cleaned.text == "Ärlighet, örat och åsikter: æ ø å.\nNy rad."
    assert not cleaned.had_markup


def test_it_caps_a_long_paste_at_a_word_boundary() -> None:
    cleaned = text.clean("ord " * 1000, 101)
    assert cleaned.was_capped
    assert len(cleaned.text) <= 101
    assert cleaned.text.endswith("ord")


@pytest.mark.parametrize(
    ("quote", "names"),
    [
        ("Jag sa till Anna att jag inte orkar.", ["Anna"]),
        ("Kjell och Solveig kom också.", ["Kjell", "Solveig"]),
        ("Annas mamma har demens.", ["Anna"]),
        ("Per dag blir det tre samtal.", []),  # "per" is a word at the start of a sentence
        ("Jag ringde till Per igår.", ["Per"]),
        ("Det är tungt. Liv är viktigt.", []),
        ("Ingen nämns här, bara en ANHÖRIG och en kommun.", []),
        ("Jeg snakket med Ingrid om det.", ["Ingrid"]),
    ],
)
def test_it_finds_first_names_in_a_quote(quote: str, names: list[str]) -> None:
    assert text.possible_names(quote) == names


def test_it_marks_a_shortened_quote() -> None:
    assert text.mark_shortened("Jag orkar inte") == "Jag orkar inte […]"
    assert text.mark_shortened("Jag [...] orkar") == "Jag […] orkar"


def test_it_splits_a_discussion_into_passages() -> None:
    long = " ".join(f"Mening nummer {i} handlar om något." for i in range(60))
    pieces = text.paragraphs("Första stycket.\n\nAndra stycket.\n" + long)
    assert pieces[:2] == ["Första stycket.", "Andra stycket."]
    assert len(pieces) > 3
    assert all(len(piece.split()) <= 130 for piece in pieces)
