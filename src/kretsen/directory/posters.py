"""A4 posters with a QR code, for libraries, pharmacies and health centres (WeasyPrint)."""

from __future__ import annotations

import base64
from typing import Any

import segno
from django.template.loader import render_to_string
from django.utils import translation
from weasyprint import HTML


def qr_data_uri(url: str) -> str:
    svg = segno.make(url, error="m").svg_inline(scale=10, border=2, dark="#000000")
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def render_pdf(template: str, context: dict[str, Any], language: str, base_url: str) -> bytes:
    with translation.override(language):
        html = render_to_string(template, {**context, "language": language})
    pdf = HTML(string=html, base_url=base_url).write_pdf()
    assert pdf is not None
    return bytes(pdf)
