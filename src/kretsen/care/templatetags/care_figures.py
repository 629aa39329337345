"""``{{ cell|figure }}``: a dashboard figure as text (``hidden`` when suppressed)."""

from __future__ import annotations

from django import template

from kretsen.care.charts import figure_text
from kretsen.care.services.dashboard_builder import Cell

register = template.Library()


@register.filter
def figure(cell: Cell) -> str:
    return figure_text(cell)
