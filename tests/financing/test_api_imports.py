"""The import over HTTP: the template, the dry run and the apply, for officers only."""

from __future__ import annotations

import io
from decimal import Decimal

import openpyxl
import pytest

from financing.models import FundingLine
from tests.api.conftest import token_client
from tests.factories import MembershipFactory, UserFactory
from tests.financing.plan_files import edited, small_convention, template

pytestmark = pytest.mark.django_db
PLAN = "Plan de financement"


@pytest.fixture
def small(cnsa):
    return small_convention(cnsa)


def _post(client, convention, upload, *, apply=False, **fields):
    suffix = "" if apply else "dry-run/"
    upload.name = "plan.xlsx"
    return client.post(
        f"/api/v1/conventions/{convention.pk}/plan-import/{suffix}",
        {"file": upload, **fields},
        format="multipart",
    )


def _amounts():
    return sorted(FundingLine.objects.values_list("action_id", "funder_id", "year", "amount"))


@pytest.mark.parametrize("fmt", ["xlsx", "ods"])
def test_the_template_cells_are_the_apis_funding_lines(officer, small, fmt):
    client = token_client(officer)
    lines = client.get("/api/v1/funding-lines/", {"convention": small.pk}).json()["results"]
    codes = {a.pk: a.code for a in small.axes.get().actions.all()}
    names = {small.funder_id: small.funder.name, small.beneficiary_id: small.beneficiary.name}

    response = client.get(f"/api/v1/conventions/{small.pk}/plan-template/", {"format": fmt})

    assert response.status_code == 200
    assert response["Content-Disposition"].endswith(f'{small.reference}.{fmt}"')
    cells = {}
    for row in _rows(response.content, fmt)[1:]:
        for year, value in zip((2019, 2020), row[4:6], strict=True):
            if value is not None:
                cells[(row[1], row[3], year)] = Decimal(str(value))
    assert cells == {
        (codes[line["action"]], names[line["funder"]], line["year"]): Decimal(line["amount"])
        for line in lines
    }


def _rows(content: bytes, fmt: str) -> list[list]:
    if fmt == "xlsx":
        sheet = openpyxl.load_workbook(io.BytesIO(content))[PLAN]
        return [[c.value for c in row] for row in sheet.iter_rows()]
    from financing.imports_files import workbook_read

    sheet = workbook_read(io.BytesIO(content))[PLAN]
    return [[sheet.value(r, c) for c in range(1, 7)] for r in range(1, sheet.last_row + 1)]


def test_a_dry_run_answers_the_changes_and_saves_nothing(officer, small):
    before = _amounts()

    response = _post(token_client(officer), small, edited(template(small), PLAN, E2=1500, F5=10))

    assert response.status_code == 200
    body = response.json()
    assert body["errors"] == [] and body["dry_run"] is True and body["applied"] is False
    assert [(x["kind"], x["cell"], x["before"], x["after"]) for x in body["lines"]] == [
        ("changed", "E2", "1000.00", "1500.00"),
        ("added", "F5", None, "10.00"),
    ]
    assert body["after"]["planned"] == "4510.00" and body["after"]["cnsa_rate"] == "55.43"
    assert body["amendment"] is True
    assert _amounts() == before


def test_apply_saves_all_and_refuses_a_stale_fingerprint(officer, small):
    client = token_client(officer)
    file = template(small)
    fingerprint = _post(client, small, edited(file, PLAN, E2=1500)).json()["fingerprint"]

    applied = _post(client, small, edited(file, PLAN, E2=1500), apply=True, fingerprint=fingerprint)
    stale = _post(client, small, edited(file, PLAN, E2=1700), apply=True, fingerprint=fingerprint)

    assert applied.status_code == 200 and applied.json()["applied"] is True
    assert applied.json()["amendment_number"] == 1
    assert stale.status_code == 409
    assert stale.json()["errors"][0]["message"].startswith("Le plan de financement a changé")
    assert FundingLine.objects.filter(amount=Decimal("1500.00")).count() == 1


def test_a_bad_file_answers_409_with_sheet_and_cell(officer, small):
    before = _amounts()

    response = _post(
        token_client(officer), small, edited(template(small), PLAN, E2="abc"), apply=True
    )

    assert response.status_code == 409
    assert response.json()["errors"] == [
        {
            "sheet": PLAN,
            "cell": "E2",
            "message": "« abc » n'est pas un montant : saisissez un nombre, sans texte ni symbole.",
        }
    ]
    assert _amounts() == before


def test_a_missing_file_is_named(officer, small):
    response = token_client(officer).post(
        f"/api/v1/conventions/{small.pk}/plan-import/dry-run/", {}, format="multipart"
    )

    assert response.status_code == 400
    assert "file" in response.json()


def test_readers_and_coordinators_may_not_import(cnsa, small):
    reader = UserFactory()
    MembershipFactory(user=reader, organisation=cnsa, role="reader")
    coordinator = UserFactory()
    MembershipFactory(user=coordinator, organisation=small.beneficiary, role="coordinator")
    before = _amounts()

    answers = [
        _post(token_client(user), small, edited(template(small), PLAN, E2=1500), apply=True)
        for user in (reader, coordinator)
    ]

    assert [a.status_code for a in answers] == [403, 403]
    assert (
        answers[0].json()["detail"]
        == "Seuls les chargés de mission CNSA importent un plan de financement."
    )
    assert _amounts() == before


def test_another_porteurs_convention_is_not_found(small):
    stranger = UserFactory()
    MembershipFactory(user=stranger, role="coordinator")

    response = token_client(stranger).get(f"/api/v1/conventions/{small.pk}/plan-template/")

    assert response.status_code == 404


def test_the_schema_documents_the_import_in_french(client):
    schema = client.get("/api/schema/", {"format": "json"}).json()

    post = schema["paths"]["/api/v1/conventions/{id}/plan-import/dry-run/"]["post"]
    assert post["summary"] == "Aperçu de l'import d'un plan de financement (rien n'est enregistré)"
    assert {"200", "400", "403", "404", "409"} <= set(post["responses"])
    assert "multipart/form-data" in post["requestBody"]["content"]
