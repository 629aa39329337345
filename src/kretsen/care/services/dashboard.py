"""The dashboard of one or more organisations: the records of a year, then their figures.

:mod:`~kretsen.care.services.dashboard_loader` reads the records from the database and
:mod:`~kretsen.care.services.dashboard_builder` turns them into tables, with every figure
about fewer than five people hidden.
"""

from __future__ import annotations

from collections.abc import Sequence

from kretsen.care.services import dashboard_builder, dashboard_loader
from kretsen.care.services.dashboard_builder import DIMENSIONS, NETWORK_DIMENSIONS, Dashboard
from kretsen.care.services.dashboard_loader import available_years
from kretsen.core.models import Organisation

__all__ = ["DIMENSIONS", "NETWORK_DIMENSIONS", "available_years", "build"]


def build(organisations: Sequence[Organisation], year: int, dimension: str) -> Dashboard:
    """The dashboard of ``organisations`` (one, or a network's) for ``year``."""
    return dashboard_builder.build(dashboard_loader.load(organisations, year), dimension)
