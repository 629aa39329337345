from __future__ import annotations

from django import template

from kretsen.network.report import paragraphs_of

register = template.Library()


@register.filter
def paragraphs(value: str) -> list[str]:
    """Text split into paragraphs at blank lines (each is escaped by the template)."""
    return paragraphs_of(value or "")


@register.filter
def get_item(mapping: dict[object, object], key: object) -> object:
    """``mapping[key]``, or an empty string when the key is missing."""
    return mapping.get(key, "") if mapping else ""
