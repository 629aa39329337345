"""Every chart of the dashboard, drawn in Swedish, Norwegian and English, read back as SVG.

The coordinates must parse as numbers in every language (a decimal comma from localisation
once broke the drawing in sv and nb), and the drawing must match the table printed beside
it: the same rows, the same figures, bars as long as their values.
"""

from __future__ import annotations

import csv
import io
import math
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

import pytest
from django.test import Client
from django.utils import translation
from django_scopes import scope

from kretsen.care.charts import LABEL_CHARS, figure_text
from kretsen.care.services import dashboard
from kretsen.care.services.dashboard_builder import Cell
from kretsen.core.models import Organisation, User
from kretsen.network.models import LocalNetwork, Network
from tests.care.year_of_work import YEAR
from tests.conftest import sign_in_staff

SVG = "{http://www.w3.org/2000/svg}"
COORDINATES = ("x", "y", "x1", "x2", "y1", "y2", "width", "height")
LANGUAGES = ("sv", "nb", "en")


@dataclass
class Figure:
    key: str
    svg: ET.Element
    caption: str
    heading: str
    rows: list[tuple[str, list[str]]]
    columns: list[str]


def _number(text: str) -> float:
    """A figure as people read it ("87,5", "88 %", "−2,0") back to a number."""
    cleaned = text.replace("\u00a0", "").replace(" ", "").replace("%", "").replace("−", "-")
    return float(cleaned.replace(",", "."))


def _text(element: ET.Element) -> str:
    return "".join(element.itertext()).strip()


def _figures(page: str) -> list[Figure]:
    found = []
    for section in re.findall(r'<section class="figure-section".*?</section>', page, re.S):
        key = re.search(r'id="figure-([a-z0-9]+)"', section)
        svg = re.search(r"<svg.*?</svg>", section, re.S)
        table = re.search(r"<table>.*?</table>", section, re.S)
        assert key, section[:200]
        assert svg, section[:200]
        assert table, section[:200]
        parsed = ET.fromstring(table.group(0))
        header = [_text(th) for th in parsed.iter("th") if th.get("scope") == "col"]
        rows = [
            (_text(tr.find("th")), [_text(td) for td in tr.iter("td")])  # type: ignore[arg-type]
            for tr in parsed.iter("tr")
            if tr.find("th") is not None and tr.find("th").get("scope") == "row"  # type: ignore[union-attr]
        ]
        found.append(
            Figure(
                key=key.group(1),
                svg=ET.fromstring(svg.group(0)),
                caption=_text(parsed.find("caption")),  # type: ignore[arg-type]
                heading=header[0],
                rows=rows[:-1],  # the last row is the total, which is not drawn
                columns=header[1:],
            )
        )
    return found


def _check_drawing(figure: Figure, chart_column: int) -> None:
    svg = figure.svg
    view = [float(part) for part in svg.get("viewBox", "").split()]
    assert len(view) == 4
    assert all(math.isfinite(v) for v in view)
    for element in svg.iter():
        for name in COORDINATES:
            if name in element.attrib:
                value = float(element.attrib[name])  # "230,0" would raise here
                assert math.isfinite(value), (figure.key, element.tag, name, value)
    labels = [_text(t) for t in svg.iter(f"{SVG}text") if t.get("class") == "bar-label"]
    values = [_text(t) for t in svg.iter(f"{SVG}text") if "bar-value" in t.get("class", "")]
    bars = list(svg.iter(f"{SVG}rect"))[1:]  # the first rect belongs to the hatching pattern
    # The chart's rows and figures are the table's, in the same order.
    assert labels == [_short(label) for label, _ in figure.rows]
    assert values == [cells[chart_column] for _label, cells in figure.rows]
    # Bars are drawn for the figures that are shown, and their lengths follow the figures.
    shown = [text for text in values if text not in ("–",) and not _is_hidden(text)]
    assert len(bars) == len(shown), figure.key
    axis_line = next(line for line in svg.iter(f"{SVG}line") if line.get("class") == "axis")
    axis = float(axis_line.get("x1", "nan"))
    if " (" in "".join(shown):  # an interval: the bar runs from zero to the mean
        for bar, text in zip(bars, shown, strict=True):
            mean = _number(text.split(" (")[0])
            start, width = float(bar.get("x", "nan")), float(bar.get("width", "nan"))
            end = start + width if mean >= 0 else start
            assert (end - axis) * mean >= 0 or abs(end - axis) < 0.2
        return
    scales = {
        round(float(bar.get("width", "nan")) / _number(text), 2)
        for bar, text in zip(bars, shown, strict=True)
        if _number(text) >= 1
    }
    # Rounded figures in the text: the scale agrees to within the rounding of the figure.
    if scales:
        assert max(scales) - min(scales) <= 0.05 * max(scales), (figure.key, scales)
    for bar in bars:
        assert float(bar.get("x", "nan")) == pytest.approx(axis, abs=0.11)


def _short(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1].rstrip() + "…"


def _is_hidden(text: str) -> bool:
    return text in ("hidden", "dold", "skjult")


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("dimension", list(dashboard.DIMENSIONS))
def test_every_chart_is_drawn_with_numbers_in_every_language(
    client: Client,
    year_of_work: Organisation,
    coordinator_a: User,
    language: str,
    dimension: str,
) -> None:
    sign_in_staff(client, coordinator_a)
    client.cookies["kretsen_language"] = language
    response = client.get(f"/staff/{year_of_work.slug}/dashboard/?year={YEAR}&by={dimension}")
    assert response.status_code == 200
    page = response.content.decode()
    assert f'lang="{language}"' in page
    figures = _figures(page)
    with translation.override(language):
        tables = {t.key: t for t in dashboard.build([year_of_work], YEAR, dimension).tables}
    assert [f.key for f in figures] == list(tables)
    for figure in figures:
        table = tables[figure.key]
        _check_drawing(figure, table.chart_column)
        # The caption, the first column and the chart's title say the same breakdown.
        assert figure.caption.endswith(figure.heading.lower()), (figure.caption, figure.heading)
        title = _text(next(iter(figure.svg.iter(f"{SVG}title"))))
        assert figure.columns[table.chart_column] in title
        assert figure.heading.lower() in title


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_network_figures_are_drawn_in_every_language(
    client: Client,
    year_of_work: Organisation,
    org_b: Organisation,
    network: Network,
    network_coordinator: User,
    language: str,
) -> None:
    with scope(network=network):
        LocalNetwork.objects.create(network=network, organisation=year_of_work, name="A")
        LocalNetwork.objects.create(network=network, organisation=org_b, name="B")
    sign_in_staff(client, network_coordinator)
    client.cookies["kretsen_language"] = language
    url = f"/network/{network.public_id}/dashboard/?year={YEAR}&by=organisation"
    figures = _figures(client.get(url).content.decode())
    assert len(figures) == 8
    with translation.override(language):
        tables = {
            t.key: t for t in dashboard.build([year_of_work, org_b], YEAR, "organisation").tables
        }
    for figure in figures:
        _check_drawing(figure, tables[figure.key].chart_column)


def test_the_groups_table_says_it_is_by_format_when_the_page_is_by_condition(
    client: Client,
    year_of_work: Organisation,
    coordinator_a: User,
) -> None:
    sign_in_staff(client, coordinator_a)
    client.cookies["kretsen_language"] = "sv"
    page = client.get(f"/staff/{year_of_work.slug}/dashboard/?year={YEAR}&by=condition")
    groups = next(f for f in _figures(page.content.decode()) if f.key == "groups")
    assert groups.heading == "Mötesform"
    assert groups.caption.endswith(", efter mötesform")
    assert [label for label, _cells in groups.rows] == ["På plats", "Digitalt"]


def test_shares_are_rounded_half_up_and_written_as_in_each_language(
    client: Client,
    year_of_work: Organisation,
    coordinator_a: User,
) -> None:
    # Dementia: 14 of 16 meetings attended, 87.5 %; cutting the decimals off showed 87.
    sign_in_staff(client, coordinator_a)
    shown = {}
    for language in LANGUAGES:
        client.cookies["kretsen_language"] = language
        page = client.get(f"/staff/{year_of_work.slug}/dashboard/?year={YEAR}&by=condition")
        attendance = next(f for f in _figures(page.content.decode()) if f.key == "attendance")
        shown[language] = attendance.rows[0][1][1]
    assert shown == {"sv": "88\u00a0%", "nb": "88\u00a0%", "en": "88%"}


@pytest.mark.parametrize(
    ("language", "expected"),
    [("sv", "17\u00a0%"), ("nb", "17\u00a0%"), ("en", "17%")],
)
def test_one_of_six_is_seventeen_percent(language: str, expected: str) -> None:
    with translation.override(language):
        assert figure_text(Cell(100 * 1 / 6, "percent")) == expected
        assert figure_text(Cell(100 * 1 / 8, "percent")) == expected.replace("17", "13")


def test_the_csv_values_are_the_same_numbers_in_every_language(
    client: Client,
    year_of_work: Organisation,
    coordinator_a: User,
) -> None:
    sign_in_staff(client, coordinator_a)
    files = {}
    for language in LANGUAGES:
        client.cookies["kretsen_language"] = language
        url = f"/staff/{year_of_work.slug}/dashboard.csv?year={YEAR}&by=condition"
        rows = list(csv.reader(io.StringIO(client.get(url).content.decode("utf-8-sig"))))
        files[language] = [(row[3], row[5], row[6]) for row in rows[1:]]
    assert files["sv"] == files["nb"] == files["en"]
    numbers = [value for line in files["sv"] for value in line if value and value[0].isdigit()]
    assert "87.5" in numbers
    for value in numbers:
        float(value)  # no decimal comma, no per cent sign, no space
