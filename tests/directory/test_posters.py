"""The posters are real PDFs: opened again, their text read and their QR code decoded."""

from __future__ import annotations

import io

import pypdfium2
import zxingcpp
from django.test import Client
from pypdf import PdfReader

from kretsen.directory.models import Offer


def decoded_qr_codes(pdf: bytes) -> list[str]:
    document = pypdfium2.PdfDocument(pdf)
    image = document[0].render(scale=3).to_pil()
    return [result.text for result in zxingcpp.read_barcodes(image)]


def test_it_prints_an_a4_poster_for_an_offer_with_a_working_qr_code(
    client: Client, offer_a: Offer
) -> None:
    response = client.get(f"/offers/{offer_a.public_id}/poster.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pdf = response.content
    reader = PdfReader(io.BytesIO(pdf))
    page = reader.pages[0]
    width_mm = float(page.mediabox.width) / 72 * 25.4
    height_mm = float(page.mediabox.height) / 72 * 25.4
    assert (round(width_mm), round(height_mm)) == (210, 297)
    text = page.extract_text()
    assert "Samtalsgrupp för anhöriga" in " ".join(text.split())
    assert decoded_qr_codes(pdf) == [f"http://testserver/offers/{offer_a.public_id}/"]


def test_it_prints_a_poster_for_the_whole_organisation(client: Client, offer_a: Offer) -> None:
    response = client.get("/o/org-a/poster.pdf?lang=en")
    pdf = response.content
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "Åby kommun" in " ".join(text.split())
    assert "Conversation group for relatives" in text
    assert decoded_qr_codes(pdf) == ["http://testserver/o/org-a/"]


def test_it_has_no_poster_for_a_draft(client: Client, offer_a: Offer) -> None:
    offer_a.state = Offer.State.DRAFT
    offer_a.save()
    assert client.get(f"/offers/{offer_a.public_id}/poster.pdf").status_code == 404


def test_it_prints_in_the_organisations_language_by_default(client: Client, offer_a: Offer) -> None:
    client.cookies["kretsen_language"] = "en"
    pdf = client.get(f"/offers/{offer_a.public_id}/poster.pdf").content
    text = " ".join(PdfReader(io.BytesIO(pdf)).pages[0].extract_text().split())
    assert "Samtalsgrupp för anhöriga" in text
    assert "Scan the code" not in text
