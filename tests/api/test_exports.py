"""Lists as CSV, XLSX and ODS, opened with their libraries and compared cell by cell with the JSON."""

import csv
import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from odf.namespaces import OFFICENS
from odf.opendocument import load as load_ods
from odf.table import Table, TableCell, TableRow
from odf.text import P

from conventions.models import Organisation
from tests.api.conftest import token_client
from tests.api.test_totals import make_lyon
from tests.factories import ConventionFactory, OrganisationFactory, PaymentFactory

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ODS = "application/vnd.oasis.opendocument.spreadsheet"


def _content(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def _xlsx(response) -> list[list]:
    sheet = openpyxl.load_workbook(io.BytesIO(_content(response))).active
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def _xlsx_formats(response) -> list[list[str]]:
    sheet = openpyxl.load_workbook(io.BytesIO(_content(response))).active
    return [[cell.number_format for cell in row] for row in sheet.iter_rows()]


def _ods_value(cell):
    kind = cell.getAttrNS(OFFICENS, "value-type")
    if kind in ("currency", "float", "percentage"):
        return Decimal(cell.getAttrNS(OFFICENS, "value"))
    if kind == "date":
        return datetime.date.fromisoformat(cell.getAttrNS(OFFICENS, "date-value"))
    if kind == "string":
        return "".join(str(p) for p in cell.getElementsByType(P))
    return None


def _ods(response) -> list[list]:
    document = load_ods(io.BytesIO(_content(response)))
    [table] = document.spreadsheet.getElementsByType(Table)
    return [
        [_ods_value(c) for c in row.getElementsByType(TableCell)]
        for row in table.getElementsByType(TableRow)
    ]


@pytest.fixture
def two_conventions(cnsa):
    lyon = make_lyon(cnsa)
    PaymentFactory(convention=lyon, amount=Decimal("100000.00"), paid_on="2016-09-01")
    hostile = OrganisationFactory(name='=HYPERLINK("http://x","clic")', kind="national_union")
    other = ConventionFactory(
        funder=cnsa,
        beneficiary=hostile,
        reference="CNSA-AUTRE",
        title="+Convention piégée",
        start_date="2019-01-01",
        end_date="2022-12-31",
        total_cost=Decimal("1000.10"),
        cnsa_amount=Decimal("500.05"),
    )
    return lyon, other


def test_the_conventions_xlsx_matches_the_json_cell_by_cell(officer_api, two_conventions):
    items = officer_api.get("/api/v1/conventions/").json()["results"]

    response = officer_api.get("/api/v1/conventions/", {"format": "xlsx"})

    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"] == 'attachment; filename="conventions.xlsx"'
    header, *rows, total = _xlsx(response)
    assert header[:3] == ["Identifiant", "Référence", "Intitulé"]
    assert header[9:12] == ["Coût global", "Montant CNSA", "Taux CNSA"]
    assert len(rows) == len(items) == 2
    for row, item in zip(rows, items, strict=True):
        assert row[0] == item["id"]
        assert row[1] == item["reference"]
        assert row[5] == datetime.datetime.fromisoformat(item["start_date"])
        assert row[8] == {"signed": "Signée"}[item["status"]]
        assert Decimal(str(row[9])) == Decimal(item["total_cost"])
        assert Decimal(str(row[10])) == Decimal(item["cnsa_amount"])
        assert Decimal(str(row[11])) * 100 == Decimal(item["cnsa_rate"])
        assert Decimal(str(row[14])) == Decimal(item["paid"])
    assert total[0] == "Total"
    assert Decimal(str(total[9])) == Decimal("802500.10")
    assert Decimal(str(total[10])) == Decimal("428250.05")
    assert Decimal(str(total[11])) == Decimal("0.5336")  # 428 250,05 / 802 500,10, not a sum


def test_the_xlsx_cells_are_typed_for_people(officer_api, two_conventions):
    response = officer_api.get(
        "/api/v1/conventions/", {"format": "xlsx", "columns": "start_date,cnsa_amount,cnsa_rate"}
    )

    formats = _xlsx_formats(response)
    assert formats[1] == ["DD/MM/YYYY", '#,##0.00\\ "€"', "0.00%"]


def test_text_cells_are_neutralised_against_formula_injection(officer_api, two_conventions):
    xlsx = _xlsx(
        officer_api.get(
            "/api/v1/conventions/",
            {"format": "xlsx", "columns": "reference,title,beneficiary"},
        )
    )
    ods = _ods(
        officer_api.get(
            "/api/v1/conventions/", {"format": "ods", "columns": "reference,title,beneficiary"}
        )
    )
    csv_text = _content(
        officer_api.get(
            "/api/v1/conventions/", {"format": "csv", "columns": "reference,title,beneficiary"}
        )
    ).decode()

    piege = ["CNSA-AUTRE", "'+Convention piégée", '\'=HYPERLINK("http://x","clic")']
    assert piege in xlsx
    assert piege in ods
    assert piege in [list(r) for r in csv.reader(io.StringIO(csv_text))]


def test_the_conventions_ods_matches_the_json(officer_api, two_conventions):
    items = officer_api.get("/api/v1/conventions/").json()["results"]

    response = officer_api.get(
        "/api/v1/conventions/",
        {"format": "ods", "columns": "reference,start_date,status,cnsa_amount,cnsa_rate,paid"},
    )

    assert response["Content-Type"] == ODS
    header, *rows, total = _ods(response)
    assert header == ["Référence", "Début", "Statut", "Montant CNSA", "Taux CNSA", "Versé"]
    assert rows == [
        [
            item["reference"],
            datetime.date.fromisoformat(item["start_date"]),
            "Signée",
            Decimal(item["cnsa_amount"]),
            Decimal(item["cnsa_rate"]) / 100,
            Decimal(item["paid"]),
        ]
        for item in items
    ]
    assert total == [
        "Total",
        None,
        None,
        Decimal("428250.05"),
        Decimal("0.5336"),
        Decimal("100000.00"),
    ]


def test_the_csv_is_for_machines_codes_and_decimal_points_no_total(officer_api, two_conventions):
    items = officer_api.get("/api/v1/conventions/").json()["results"]

    response = officer_api.get(
        "/api/v1/conventions/", {"format": "csv", "columns": "id,status,cnsa_amount,start_date"}
    )

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.streaming
    rows = list(csv.reader(io.StringIO(_content(response).decode())))
    assert rows == [["id", "status", "cnsa_amount", "start_date"]] + [
        [str(i["id"]), i["status"], i["cnsa_amount"], i["start_date"]] for i in items
    ]


def test_the_export_lists_every_row_not_one_page(officer_api, cnsa, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "PAGE_SIZE": 2}
    ConventionFactory.create_batch(5, funder=cnsa)

    response = officer_api.get("/api/v1/conventions/", {"format": "csv", "columns": "id"})

    assert len(_content(response).decode().splitlines()) == 1 + 5


def test_an_unknown_column_is_a_400_naming_the_allowed_ones(officer_api, two_conventions):
    response = officer_api.get("/api/v1/conventions/", {"format": "csv", "columns": "id,secret"})

    assert response.status_code == 400
    [header, (field, message)] = list(csv.reader(io.StringIO(response.content.decode())))
    assert (header, field) == (["champ", "message"], "columns")
    assert message.startswith("Colonne inconnue : « secret ». Colonnes admises : id, reference,")


def test_an_export_shows_only_what_the_user_may_see(partners):
    a, b = partners
    client = token_client(a.coordinator)

    rows = _content(client.get("/api/v1/conventions/", {"format": "csv", "columns": "id"}))

    assert rows.decode().splitlines() == ["id", str(a.convention.pk)]


def test_totals_xlsx_and_ods_match_the_json_with_a_totals_row(officer_api, cnsa):
    make_lyon(cnsa)
    cofunder = Organisation.objects.get(name="Métropole (fonds propres)")
    json_rows = officer_api.get("/api/v1/totals/", {"group_by": "funder"}).json()["results"]

    xlsx = _xlsx(officer_api.get("/api/v1/totals/", {"group_by": "funder", "format": "xlsx"}))
    ods = _ods(officer_api.get("/api/v1/totals/", {"group_by": "funder", "format": "ods"}))

    assert (
        xlsx[0]
        == ods[0]
        == [
            "Financeur (code)",
            "Financeur",
            "Prévu",
            "Prévu CNSA",
            "Taux CNSA",
            "Versé",
            "Dépensé",
        ]
    )
    assert [r["funder"] for r in json_rows] == [cnsa.pk, cofunder.pk]
    for sheet in (xlsx, ods):
        body = sheet[1:-1]
        assert [int(r[0]) for r in body] == [r["funder"] for r in json_rows]
        assert [Decimal(str(r[2])) for r in body] == [Decimal(r["planned"]) for r in json_rows]
        assert [Decimal(str(r[3])) for r in body] == [Decimal(r["cnsa_planned"]) for r in json_rows]
        total = sheet[-1]
        assert total[:2] == ["Total", None]
        assert (Decimal(str(total[2])), Decimal(str(total[3])), Decimal(str(total[4]))) == (
            Decimal("801500.00"),
            Decimal("427750.00"),
            Decimal("0.5337"),
        )


def test_totals_columns_choose_the_csv_and_xlsx_columns(officer_api, cnsa):
    make_lyon(cnsa)

    response = officer_api.get("/api/v1/totals/", {"format": "csv", "columns": "planned,cnsa_rate"})

    assert response.content.decode().splitlines() == ["planned,cnsa_rate", "801500.00,53.37"]


def test_the_openapi_schema_documents_the_export_formats(officer_api):
    schema = officer_api.get("/api/schema/", {"format": "json"}).json()

    for path in ("/api/v1/conventions/", "/api/v1/totals/"):
        parameters = {p["name"]: p for p in schema["paths"][path]["get"]["parameters"]}
        assert {"csv", "xlsx", "ods"} <= set(parameters["format"]["schema"]["enum"])
        assert "columns" in parameters


@pytest.mark.parametrize("fmt", ["xlsx", "ods"])
def test_an_error_echoing_control_characters_is_still_a_readable_file(officer_api, fmt):
    response = officer_api.get("/api/v1/totals/", {"format": fmt, "year": "\x01\x1f"})

    assert response.status_code == 400
    rows = _xlsx(response) if fmt == "xlsx" else _ods(response)
    assert rows[0] == ["Champ", "Message"]
    assert rows[1] == ["year", "«  » n'est pas un nombre entier."]
