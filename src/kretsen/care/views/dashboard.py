"""The dashboard: an organisation's figures, and a network's across its member organisations.

Only aggregates are shown, and every figure about fewer than five people is hidden (see
:mod:`kretsen.care.services.dashboard`). The network coordinator's pages never name a person;
their views are in :mod:`kretsen.network.views.dashboard`, which reaches the two pages here
through :mod:`kretsen.core.figures`.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from kretsen.care.charts import bar_chart, figure_values
from kretsen.care.services import dashboard as figures
from kretsen.core.access import OrganisationRequest, organisation_view
from kretsen.core.models import Organisation
from kretsen.core.roles import Role


def _choice(
    request: HttpRequest, organisations: Sequence[Organisation], dimensions: dict[str, Promise]
) -> tuple[int, str, list[int]]:
    """The year and dimension asked for; anything unknown falls back to the defaults."""
    years = figures.available_years(organisations)
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = timezone.localdate().year
    if year not in years:
        year = years[0]
    dimension = request.GET.get("by", "condition")
    if dimension not in dimensions:
        dimension = "condition"
    return year, dimension, years


def _page(
    request: HttpRequest,
    organisations: Sequence[Organisation],
    dimensions: dict[str, Promise],
    context: dict[str, object],
    template: str,
) -> HttpResponse:
    year, dimension, years = _choice(request, organisations, dimensions)
    board = figures.build(organisations, year, dimension) if organisations else None
    charts = [(table, bar_chart(table, year)) for table in board.tables] if board else []
    return render(
        request,
        template,
        {
            **context,
            "board": board,
            "charts": charts,
            "year": year,
            "years": years,
            "dimension": dimension,
            "dimensions": [(key, str(label)) for key, label in dimensions.items()],
            "dimension_label": str(dimensions[dimension]),
        },
    )


def _csv(
    request: HttpRequest,
    organisations: Sequence[Organisation],
    dimensions: dict[str, Promise],
    name: str,
) -> HttpResponse:
    year, dimension, _years = _choice(request, organisations, dimensions)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="kretsen-{name}-{year}.csv"'
    response.write("\ufeff")  # so that spreadsheet programs read å, ä, ö, æ and ø correctly
    writer = csv.writer(response)
    # Values are for spreadsheets and scripts: a dot as decimal sign in every language.
    writer.writerow(
        [
            _("Table"),
            str(dimensions[dimension]),
            _("Figure"),
            _("Value"),
            _("Hidden"),
            _("Interval from"),
            _("Interval to"),
        ]
    )
    if not organisations:
        return response
    board = figures.build(organisations, year, dimension)
    for table in board.tables:
        for row in [*table.rows, table.total]:
            for column, cell in zip(table.columns, row.cells, strict=True):
                value, low, high = figure_values(cell)
                hidden = _("yes") if cell.hidden else ""
                writer.writerow([table.title, row.label, column, value, hidden, low, high])
    return response


@organisation_view(Role.ADMIN, Role.COORDINATOR)
@require_GET
def dashboard(request: OrganisationRequest, org: str) -> HttpResponse:
    organisation = request.organisation
    return _page(
        request,
        [organisation],
        figures.DIMENSIONS,
        {"csv_url_name": "care:dashboard-csv"},
        "care/staff/dashboard.html",
    )


@organisation_view(Role.ADMIN, Role.COORDINATOR)
@require_GET
def dashboard_csv(request: OrganisationRequest, org: str) -> HttpResponse:
    organisation = request.organisation
    return _csv(request, [organisation], figures.DIMENSIONS, organisation.slug)


def network_page(
    request: HttpRequest, organisations: Sequence[Organisation], context: dict[str, object]
) -> HttpResponse:
    """A network's figures page (its view is the network's: ``core.figures``)."""
    return _page(
        request,
        organisations,
        figures.NETWORK_DIMENSIONS,
        context,
        "care/staff/network_dashboard.html",
    )


def network_csv(request: HttpRequest, organisations: Sequence[Organisation]) -> HttpResponse:
    return _csv(request, organisations, figures.NETWORK_DIMENSIONS, "network")
