"""No cell of any CSV export can be taken for a formula; numbers stay numbers."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from conventions.authentication import api_token_create
from conventions.models import Convention, Organisation
from core.spreadsheets import FORMULA_STARTS, neutralise_cell
from financing.opendata import scdl_csv

HOSTILE = ['=HYPERLINK("http://x")', "+33 cmd", "-2+3", "@SUM(A1)", "\tTAB", "\rCR"]


@pytest.mark.parametrize("value", HOSTILE)
def test_text_that_starts_like_a_formula_is_neutralised(value):
    assert neutralise_cell(value) == "'" + value


@pytest.mark.parametrize("value", ["-1234.50", "801500.00", "+12", "53.37", 12, None, "Lyon"])
def test_numbers_and_plain_text_are_left_as_they_are(value):
    assert neutralise_cell(value) == value


def _formula_cells(text: str) -> list[str]:
    return [
        cell
        for row in csv.reader(io.StringIO(text))
        for cell in row
        if cell.startswith(FORMULA_STARTS) and not cell.lstrip("+-").replace(".", "").isdigit()
    ]


@pytest.fixture
def hostile_names(db):
    call_command("load_demo", verbosity=0)
    for organisation, name in zip(Organisation.objects.order_by("pk"), HOSTILE, strict=False):
        Organisation.objects.filter(pk=organisation.pk).update(name=name, short_name=name[:40])
    Convention.objects.update(title="=1+1 titre")


def test_the_scdl_export_holds_no_formula_cell(hostile_names):
    text = scdl_csv(Convention.objects.all())

    assert text.count("\n") > 1  # some grants are published
    assert _formula_cells(text) == []
    assert "'=1+1 titre" in text or "'=HYPERLINK" in text


def test_the_totals_csv_holds_no_formula_cell(hostile_names):
    officer = Organisation.objects.get(kind="funder").memberships.first().user
    _, key = api_token_create(user=officer, name="csv", by=officer)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")

    texts = []
    for group_by in ("beneficiary", "convention", "funder,year"):
        response = api.get(f"/api/v1/totals/?group_by={group_by}&format=csv")
        assert response.status_code == 200
        texts.append(response.content.decode())
        assert _formula_cells(texts[-1]) == [], group_by
    assert any(marker in "".join(texts) for marker in ("'=", "'+", "'-", "'@"))
