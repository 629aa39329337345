"""Filters for the live panel."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def clock(seconds: int | None) -> str:
    """Seconds as minutes:seconds, e.g. 754 -> "12:34"; below zero counts how far over."""
    value = abs(int(seconds or 0))
    return f"{value // 60}:{value % 60:02d}"
