"""« Mes actions » and the review queue as files: every row, not one page, with the API's figures."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import openpyxl
import pytest

from tests.api.conftest import generate_dataset, make_partner, token_client

pytestmark = pytest.mark.django_db


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def _sheet(response) -> list[list]:
    sheet = openpyxl.load_workbook(io.BytesIO(_body(response))).active
    return [[c.value for c in row] for row in sheet.iter_rows()]


def test_my_actions_xlsx_lists_every_action_i_see(client, cnsa, settings):
    settings.PAGE_SIZE = 1  # several pages on screen, one file
    partner = make_partner(cnsa, "Partenaire A", "69")
    client.force_login(partner.coordinator)
    api = token_client(partner.coordinator).get("/api/v1/actions/").json()["results"]

    response = client.get("/mes-actions/", {"format": "xlsx"})

    assert response.status_code == 200
    header, *rows = _sheet(response)
    assert header[:4] == ["Code", "Action", "Convention", "Pilote"]
    assert sorted((r[0], r[1]) for r in rows) == sorted((a["code"], a["title"]) for a in api)
    assert {r[2] for r in rows} == {partner.convention.reference}


def test_my_actions_page_offers_the_download_with_its_columns(client, cnsa):
    partner = make_partner(cnsa, "Partenaire A", "69")
    client.force_login(partner.coordinator)

    page = client.get("/mes-actions/").content.decode()

    assert 'name="format" value="xlsx"' in page and 'value="next_due"' in page


def test_my_actions_csv_follows_the_chosen_columns(client, cnsa):
    partner = make_partner(cnsa, "Partenaire A", "69")
    client.force_login(partner.coordinator)

    response = client.get("/mes-actions/", {"format": "csv", "columns": ["convention", "code"]})

    lines = list(csv.reader(io.StringIO(_body(response).decode())))
    assert lines[0] == ["convention", "code"]
    assert len(lines) == 3


def test_the_review_queue_file_holds_the_apis_spending(client, cnsa, officer):
    generate_dataset(cnsa, conventions=3)
    client.force_login(officer)
    api = token_client(officer).get(
        "/api/v1/progress-reports/", {"status": "submitted", "format": "csv"}
    )
    submitted = list(csv.DictReader(io.StringIO(_body(api).decode())))

    response = client.get("/comptes-rendus/a-relire/", {"format": "ods"})
    xlsx = client.get("/comptes-rendus/a-relire/", {"format": "xlsx"})

    assert response.status_code == 200
    header, *rows, total = _sheet(xlsx)
    assert header[-1] == "Dépenses déclarées"
    assert len(rows) == len(submitted) > 0
    assert sorted(Decimal(str(r[-1])) for r in rows) == sorted(
        Decimal(s["spent"]) for s in submitted
    )
    assert total[0] == "Total"
    assert Decimal(str(total[-1])) == sum(Decimal(s["spent"]) for s in submitted)


def test_only_officers_download_the_review_queue(client, cnsa):
    partner = make_partner(cnsa, "Partenaire A", "69")
    client.force_login(partner.coordinator)

    assert client.get("/comptes-rendus/a-relire/", {"format": "csv"}).status_code == 403
