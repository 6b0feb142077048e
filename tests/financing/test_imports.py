"""Round trip on the Lyon demo convention: its template imported back changes nothing; three
cells changed change exactly three lines, and the totals follow."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.management import call_command

from conventions.models import Amendment, Convention
from financing.imports import plan_import
from financing.models import FundingLine
from tests.financing.plan_files import edited, plan_rows, template

pytestmark = pytest.mark.django_db
LYON = "CNSA-METROPOLE-LYON-2016-2017"


@pytest.fixture
def lyon(django_capture_on_commit_callbacks):
    call_command("load_demo", stdout=io.StringIO())
    return Convention.objects.get(reference=LYON)


def _plan(convention: Convention) -> dict:
    lines = FundingLine.objects.filter(action__axis__convention=convention)
    return {
        (line.action.code, line.funder.name, line.year): line.amount
        for line in lines.select_related("action", "funder")
    }


@pytest.mark.parametrize("fmt", ["xlsx", "ods"])
def test_the_lyon_template_imported_unchanged_changes_nothing(lyon, fmt):
    before = _plan(lyon)

    report = plan_import(
        convention=lyon, upload=io.BytesIO(template(lyon, fmt)), by=None, dry_run=False
    )

    assert report.issues == []
    assert report.lines == [] and report.indicators == []
    assert report.applied is False
    assert report.after == report.before
    assert report.before.planned == Decimal("801500.00")
    assert report.before.cnsa_rate == Decimal("53.37")
    assert _plan(lyon) == before


def _three_cells(data: bytes) -> tuple[io.BytesIO, Decimal]:
    """CNSA 2016 of action 1.1 +100 €, the porteur's 2017 of 1.1 +50 €, the porteur's 2016 of 2.1
    removed. Returns the file and the plan's change in total."""
    rows = plan_rows(data)
    assert rows[0][:6] == ["Axe", "Code action", "Action", "Financeur", 2016, 2017]
    assert [r[1:4:2] for r in rows[1:5]] == [
        ["1.1", "Caisse nationale de solidarité pour l'autonomie"],
        ["1.1", "Métropole de Lyon"],
        ["2.1", "Caisse nationale de solidarité pour l'autonomie"],
        ["2.1", "Métropole de Lyon"],
    ]
    changed = edited(data, "Plan de financement", E2=rows[1][4] + 100, F3=rows[2][5] + 50, E5=None)
    return changed, Decimal("150.00") - Decimal(str(rows[4][4]))


def test_three_cells_changed_show_exactly_three_lines_and_the_new_totals(lyon):
    Convention.objects.filter(pk=lyon.pk).update(status="signed")  # reopened for the test
    before = _plan(lyon)
    upload, delta = _three_cells(template(lyon))

    report = plan_import(convention=lyon, upload=upload, by=None, dry_run=True)

    assert report.issues == []
    assert [(c.kind, c.action, c.year, c.cell) for c in report.lines] == [
        ("changed", "1.1", 2016, "E2"),
        ("changed", "1.1", 2017, "F3"),
        ("removed", "2.1", 2016, "E5"),
    ]
    assert report.after.planned == report.before.planned + delta
    assert report.after.cnsa_planned == report.before.cnsa_planned + 100
    assert report.after.total_cost == report.before.total_cost + delta
    assert report.after.cnsa_amount == Decimal("427850.00")
    assert report.after.total_cost == Decimal("751650.00")
    assert report.after.cnsa_rate == report.after.planned_rate == Decimal("56.92")
    assert report.amends is True and report.applied is False
    assert _plan(lyon) == before
    assert not Amendment.objects.filter(convention=lyon).exists()


def test_applied_the_three_changes_are_saved_with_an_amendment(lyon):
    Convention.objects.filter(pk=lyon.pk).update(status="signed")
    before = _plan(lyon)
    upload, delta = _three_cells(template(lyon))

    report = plan_import(
        convention=lyon, upload=upload, by=None, dry_run=False, description="Avenant importé"
    )

    after = _plan(lyon)
    assert report.applied is True and report.issues == []
    changed = {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)}
    assert len(changed) == 3
    lyon.refresh_from_db()
    assert lyon.total_cost == Decimal("801500.00") + delta
    assert lyon.cnsa_amount == Decimal("427850.00")
    amendment = Amendment.objects.get(convention=lyon)
    assert (amendment.previous_cnsa_amount, amendment.new_cnsa_amount) == (
        Decimal("427750.00"),
        Decimal("427850.00"),
    )
    assert amendment.description == "Avenant importé"


def test_a_closed_convention_refuses_the_changes_and_keeps_its_plan(lyon):
    before = _plan(lyon)
    upload, _ = _three_cells(template(lyon))

    report = plan_import(convention=lyon, upload=upload, by=None, dry_run=False)

    assert [i.message for i in report.issues] == [
        "La convention est clôturée : son plan de financement est figé."
    ]
    assert report.applied is False
    assert _plan(lyon) == before
