"""The conventions page's downloads: the same columns and figures as the API's."""

import csv
import io
from decimal import Decimal

import openpyxl
import pytest

from tests.api.conftest import partners, token_client  # noqa: F401 - partners is a fixture
from tests.api.test_exports import _ods, two_conventions  # noqa: F401 - a fixture

pytestmark = pytest.mark.django_db


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_the_page_xlsx_holds_the_apis_figures(client, officer, two_conventions):  # noqa: F811
    client.force_login(officer)
    api = _body(token_client(officer).get("/api/v1/conventions/", {"format": "csv"}))

    response = client.get("/conventions/", {"format": "xlsx"})

    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(_body(response))).active
    header, *rows, total = [[c.value for c in r] for r in sheet.iter_rows()]
    api_rows = list(csv.DictReader(io.StringIO(api.decode())))
    assert sorted(r[1] for r in rows) == sorted(r["reference"] for r in api_rows)
    by_reference = {r["reference"]: r for r in api_rows}
    for row in rows:
        item = by_reference[row[1]]
        assert [Decimal(str(row[i])) for i in (9, 10, 12, 14, 15)] == [
            Decimal(item[k]) for k in ("total_cost", "cnsa_amount", "planned", "paid", "spent")
        ]
        assert Decimal(str(row[11])) * 100 == Decimal(item["cnsa_rate"])
    assert total[0] == "Total"
    assert Decimal(str(total[10])) == Decimal("428250.05")


def test_the_page_ods_and_csv_follow_the_chosen_columns(client, officer, two_conventions):  # noqa: F811
    client.force_login(officer)

    ods = _ods(client.get("/conventions/", {"format": "ods", "columns": "reference,paid"}))
    text = _body(client.get("/conventions/", {"format": "csv", "columns": "reference,status"}))

    assert ods[0] == ["Référence", "Versé"]
    assert ods[-1] == ["Total", Decimal("100000.00")]
    assert sorted(text.decode().splitlines()) == sorted(
        ["reference,status", "CNSA-AUTRE,signed", "CNSA-LYON-2016,signed"]
    )


def test_the_page_export_shows_only_what_the_user_may_see(client, partners):  # noqa: F811
    a, _ = partners
    client.force_login(a.coordinator)

    text = _body(client.get("/conventions/", {"format": "csv", "columns": "id"}))

    assert text.decode().splitlines() == ["id", str(a.convention.pk)]


def test_an_unknown_column_is_refused_in_french(client, officer):
    client.force_login(officer)

    response = client.get("/conventions/", {"format": "xlsx", "columns": "motdepasse"})

    assert response.status_code == 400
    assert response.content.decode().startswith("Colonne inconnue : « motdepasse ».")


def test_each_portfolio_table_downloads_in_full_with_the_apis_figures(client, officer, cnsa):
    from tests.api.conftest import generate_dataset

    generate_dataset(cnsa, conventions=4)
    client.force_login(officer)
    api = list(
        csv.DictReader(
            io.StringIO(
                _body(token_client(officer).get("/api/v1/conventions/", {"format": "csv"})).decode()
            )
        )
    )

    response = client.get("/portefeuille/", {"tableau": "porteur", "format": "xlsx"})

    sheet = openpyxl.load_workbook(io.BytesIO(_body(response))).active
    header, *rows, total = [[c.value for c in r] for r in sheet.iter_rows()]
    assert header[:5] == ["Porteur", "Conventions", "Prévu", "Montant CNSA", "Versé"]
    by_name: dict[str, list[Decimal]] = {}
    for item in api:
        sums = by_name.setdefault(item["beneficiary"], [Decimal(0)] * 4)
        for i, key in enumerate(("planned", "cnsa_amount", "paid", "spent")):
            sums[i] += Decimal(item[key])
    assert {r[0]: [Decimal(str(r[i])) for i in (2, 3, 4, 6)] for r in rows} == by_name
    assert total[0] == "Total"
    assert Decimal(str(total[2])) == sum(Decimal(item["planned"]) for item in api)


@pytest.mark.parametrize("table", ["statut", "annee", "departement"])
def test_the_other_portfolio_tables_download_too(client, officer, cnsa, table):
    from tests.api.conftest import generate_dataset

    generate_dataset(cnsa, conventions=2)
    client.force_login(officer)

    response = client.get("/portefeuille/", {"tableau": table, "format": "ods"})
    page = client.get("/portefeuille/").content.decode()

    assert response.status_code == 200
    assert f"?tableau={table}&amp;format=xlsx" in page
