"""Every API list as CSV, XLSX and ODS: opened with their libraries and compared cell by cell with
the JSON of the same list, every page of it."""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.utils import timezone

from actions.services_threads import message_post
from conventions.models import Convention
from core.exports import DATE, DATETIME, INTEGER, MONEY, NUMBER, RATE, Column
from financing.services import amendment_create
from reporting.models import Report
from tests.api.conftest import generate_dataset, token_client
from tests.api.test_exports import _content
from tests.factories import IndicatorFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

LISTS = [
    "organisations",
    "conventions",
    "amendments",
    "axes",
    "actions",
    "indicators",
    "progress-reports",
    "funding-lines",
    "payments",
    "tokens",
    "reports",
    "messages",
]


@pytest.fixture
def world(cnsa, officer):
    generate_dataset(cnsa, conventions=3)
    convention = Convention.objects.filter(status="signed").first()
    amendment_create(
        convention=convention,
        by=officer,
        signed_on=datetime.date(2020, 5, 4),
        description="=Hausse du montant",
        cnsa_amount=Decimal("510000.00"),
    )
    for action in convention.axes.first().actions.all():
        IndicatorFactory(action=action, label="@Personnes formées", baseline=Decimal("2.5"))
    Report.objects.create(
        convention=convention,
        kind="annual",
        period_start="2020-01-01",
        period_end="2020-12-31",
        finished_at=timezone.now(),
    )
    OrganisationFactory(name="-2+3", kind="cofunder")
    action = convention.axes.first().actions.first()
    message_post(action=action, by=officer, body="=Merci pour ce compte rendu")
    message_post(action=action, by=officer, body="Note", internal=True)
    return convention


def _json(client, path: str) -> list[dict]:
    items, url = [], f"/api/v1/{path}/"
    while url:
        body = client.get(url).json()
        items += body["results"]
        url = body["next"]
    return items


def _view(path: str):
    from django.urls import resolve

    return resolve(f"/api/v1/{path}/").func.cls


def _expected(column: Column, row: dict, view) -> object:
    value = view.export_row(view(), row).get(column.code)
    if value in (None, ""):
        return None
    if column.display is not None:
        return column.display(value)
    if column.kind in (MONEY, NUMBER):
        return Decimal(str(value))
    if column.kind == RATE:
        return Decimal(str(value)) / 100  # a true percentage in spreadsheets
    if column.kind == DATE:
        return datetime.date.fromisoformat(value)
    if column.kind == DATETIME:
        moment = timezone.localtime(datetime.datetime.fromisoformat(value))
        return moment.replace(tzinfo=None, microsecond=0)
    if column.kind == INTEGER:
        return int(value)
    return "'" + value if value[0] in "=+-@" else value


def _cell(column: Column, value: object) -> object:
    if value is None:
        return None
    if column.kind in (MONEY, NUMBER, RATE) and not isinstance(value, str):
        return Decimal(str(value))
    if column.kind == DATE and isinstance(value, datetime.datetime):
        return value.date()
    return value


@pytest.mark.parametrize("path", LISTS)
def test_each_list_xlsx_matches_its_json_cell_by_cell(officer, world, path):
    client = token_client(officer)
    items, view = _json(client, path), _view(path)
    columns = view.export_columns

    response = client.get(f"/api/v1/{path}/", {"format": "xlsx"})

    assert response.status_code == 200, _content(response)[:300]
    sheet = openpyxl.load_workbook(io.BytesIO(_content(response))).active
    header, *rows = list(sheet.iter_rows())
    summed = any(c.kind == MONEY and c.summed for c in columns)
    total = rows.pop() if summed else None
    assert [c.value for c in header] == [c.label for c in columns]
    assert len(rows) == len(items) > 0
    for item, row in zip(items, rows, strict=True):
        for column, cell in zip(columns, row, strict=True):
            assert _cell(column, cell.value) == _expected(column, item, view), (path, column)
            if column.kind == MONEY and cell.value is not None:
                assert cell.number_format == '#,##0.00\\ "€"'
            if column.kind == DATE and cell.value is not None:
                assert cell.number_format == "DD/MM/YYYY"
    if total is None:
        return
    assert "Total" in [c.value for c in total]
    for index, column in enumerate(columns):
        if column.kind == MONEY and column.summed:
            values = [_expected(column, item, view) for item in items]
            if None not in values:
                assert _cell(column, total[index].value) == sum(values), (path, column)


@pytest.mark.parametrize("path", LISTS)
def test_each_list_csv_holds_the_json_values_under_stable_codes(officer, world, path):
    client = token_client(officer)
    items, view = _json(client, path), _view(path)

    response = client.get(f"/api/v1/{path}/", {"format": "csv"})

    lines = list(csv.DictReader(io.StringIO(_content(response).decode())))
    codes = [c.code for c in view.export_columns]
    assert list(lines[0]) == codes
    assert len(lines) == len(items)
    for item, line in zip(items, lines, strict=True):
        flat = view.export_row(view(), item)
        for code in codes:
            value = flat.get(code)
            expected = "" if value is None else str(value)
            if isinstance(value, bool):
                expected = str(value).lower()
            if expected[:1] in ("=", "+", "-", "@") and not expected[1:].replace(".", "").isdigit():
                expected = "'" + expected
            assert line[code] == expected, (path, code)


def _ods_cells(response) -> list[list]:
    from odf.namespaces import OFFICENS
    from odf.opendocument import load
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    def value(cell):
        kind = cell.getAttrNS(OFFICENS, "value-type")
        if kind in ("currency", "float", "percentage"):
            return Decimal(cell.getAttrNS(OFFICENS, "value"))
        if kind == "date":
            text = cell.getAttrNS(OFFICENS, "date-value")
            if "T" in text:
                return datetime.datetime.fromisoformat(text)
            return datetime.date.fromisoformat(text)
        if kind == "string":
            return "".join(str(p) for p in cell.getElementsByType(P))
        return None

    [table] = load(io.BytesIO(_content(response))).spreadsheet.getElementsByType(Table)
    return [
        [value(c) for c in r.getElementsByType(TableCell)]
        for r in table.getElementsByType(TableRow)
    ]


@pytest.mark.parametrize("path", ["payments", "indicators", "amendments", "progress-reports"])
def test_each_list_ods_matches_its_json_cell_by_cell(officer, world, path):
    client = token_client(officer)
    items, view = _json(client, path), _view(path)
    columns = view.export_columns

    response = client.get(f"/api/v1/{path}/", {"format": "ods"})

    header, *rows = _ods_cells(response)
    total = rows.pop() if any(c.kind == MONEY and c.summed for c in columns) else ["Total"]
    assert header == [c.label for c in columns]
    assert len(rows) == len(items)
    for item, row in zip(items, rows, strict=True):
        assert row == [_expected(column, item, view) for column in columns], path
    assert "Total" in total


def test_columns_choose_and_order_the_cells_of_any_list(officer, world):
    response = token_client(officer).get(
        "/api/v1/payments/", {"format": "csv", "columns": "amount,kind"}
    )

    assert _content(response).decode().splitlines()[0] == "amount,kind"


def test_an_unknown_column_of_any_list_is_a_french_400(officer, world):
    response = token_client(officer).get("/api/v1/axes/", {"format": "xlsx", "columns": "nope"})

    assert response.status_code == 400
    sheet = openpyxl.load_workbook(io.BytesIO(_content(response))).active
    assert "Colonne inconnue : « nope »" in sheet["B2"].value


@pytest.mark.parametrize("page", ["0", "x", ""])
def test_an_export_refuses_the_page_json_would_refuse(officer, world, page):
    response = token_client(officer).get("/api/v1/axes/", {"format": "csv", "page": page})

    assert response.status_code == 404


def test_a_method_a_list_lacks_is_a_405_whatever_its_format(officer, world):
    response = token_client(officer).generic("TRACE", "/api/v1/axes/?format=csv")

    assert response.status_code == 405


def test_a_partner_exports_only_what_it_sees(partners):
    first, second = partners

    response = token_client(first.coordinator).get("/api/v1/payments/", {"format": "csv"})

    conventions = {
        line["convention"] for line in csv.DictReader(io.StringIO(_content(response).decode()))
    }
    assert conventions == {str(first.convention.pk)}


def test_the_schema_documents_format_and_columns_on_every_list(officer_api):
    schema = officer_api.get("/api/schema/", {"format": "json"}).json()

    for path in LISTS:
        operation = schema["paths"][f"/api/v1/{path}/"]["get"]
        parameters = {p["name"]: p for p in operation["parameters"]}
        assert set(parameters["format"]["schema"]["enum"]) == {"json", "csv", "xlsx", "ods"}, path
        codes = [c.code for c in _view(path).export_columns]
        assert all(code in parameters["columns"]["description"] for code in codes), path
        assert {"text/csv", "application/vnd.oasis.opendocument.spreadsheet"} <= set(
            operation["responses"]["200"]["content"]
        ), path


def test_every_list_of_the_api_exports():
    from config.api_urls import router
    from core.api.exports import ListExportMixin

    lists = {prefix for prefix, viewset, _ in router.registry if hasattr(viewset, "list")}

    assert lists == set(LISTS)
    for prefix, viewset, _ in router.registry:
        if prefix in lists:
            assert issubclass(viewset, ListExportMixin) and viewset.export_columns, prefix
