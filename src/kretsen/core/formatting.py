"""Formatted text that staff write (Markdown), rendered to sanitised HTML."""

from __future__ import annotations

import html

import markdown
import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {"p", "br", "strong", "em", "ul", "ol", "li", "a", "h3", "h4", "blockquote"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}


def render(source: str) -> SafeString:
    """Markdown to HTML, then only harmless tags and http(s)/mailto/tel links survive."""
    html = markdown.markdown(source or "", extensions=[], output_format="html")
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto", "tel"},
        link_rel="noopener noreferrer nofollow",
    )
    return mark_safe(clean)  # noqa: S308 - sanitised by nh3 just above


def plain(text: str) -> str:
    """All markup removed, for fields that must be plain text.

    The result is text, not HTML: "Tom & Jerry" stays as typed (templates escape it when
    they show it), only tags and what scripts or styles contained are gone.
    """
    return html.unescape(nh3.clean(text or "", tags=set())).strip()
