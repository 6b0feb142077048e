"""The whole-plan service: all cells saved or none, amendments on signed conventions."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from conventions.models import Amendment, Convention
from financing.models import FundingLine
from financing.plan import PlanCell, PlanRefused, plan_amend, plan_apply
from tests.factories import (
    ActionFactory,
    AxisFactory,
    ConventionFactory,
    FundingLineFactory,
    OrganisationFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(cnsa):
    convention = ConventionFactory(
        funder=cnsa,
        status=Convention.Status.DRAFT,
        start_date=datetime.date(2024, 1, 1),
        end_date=datetime.date(2026, 12, 31),
        total_cost=Decimal("0.00"),
        cnsa_amount=Decimal("0.00"),
    )
    axis = AxisFactory(convention=convention)
    return convention, ActionFactory(axis=axis), ActionFactory(axis=axis)


def amounts(convention) -> dict:
    lines = FundingLine.objects.filter(action__axis__convention=convention)
    return {(x.action_id, x.funder_id, x.year): x.amount for x in lines}


def test_it_writes_every_cell_and_sets_the_totals(draft, officer):
    convention, first, second = draft
    other = OrganisationFactory(name="ARS")
    cells = [
        PlanCell(first.pk, convention.funder_id, 2024, Decimal("600.00")),
        PlanCell(first.pk, other.pk, 2024, Decimal("400.00")),
        PlanCell(second.pk, convention.funder_id, 2025, Decimal("1000.50")),
    ]

    result = plan_apply(convention=convention, cells=cells, by=officer, set_totals=True)

    assert (result.created, result.total, result.cnsa_total) == (
        3,
        Decimal("2000.50"),
        Decimal("1600.50"),
    )
    convention.refresh_from_db()
    assert (convention.total_cost, convention.cnsa_amount) == (
        Decimal("2000.50"),
        Decimal("1600.50"),
    )
    assert FundingLine.history.filter(history_user=officer).count() == 3


def test_a_refused_cell_saves_nothing_and_says_why_on_the_cell(draft, officer):
    convention, first, second = draft
    FundingLineFactory(action=first, funder=convention.funder, year=2024, amount=Decimal("5.00"))
    before = amounts(convention)
    cells = [
        PlanCell(first.pk, convention.funder_id, 2024, Decimal("700.00")),
        PlanCell(second.pk, convention.funder_id, 2030, Decimal("100.00")),
        PlanCell(second.pk, convention.funder_id, 2025, Decimal("-1.00")),
    ]

    with pytest.raises(PlanRefused) as refused:
        plan_apply(convention=convention, cells=cells, by=officer)

    assert refused.value.cells == {
        (second.pk, convention.funder_id, 2030): [
            "L'année doit être comprise dans la convention (2024-2026)."
        ],
        (second.pk, convention.funder_id, 2025): [
            "Le montant ne peut pas être négatif.",
        ],
    }
    assert amounts(convention) == before


def test_an_empty_cell_removes_its_line_and_replace_removes_the_absent_ones(draft, officer):
    convention, first, second = draft
    kept = FundingLineFactory(action=first, funder=convention.funder, year=2024)
    FundingLineFactory(action=first, funder=convention.funder, year=2025)
    FundingLineFactory(action=second, funder=convention.funder, year=2025)

    result = plan_apply(
        convention=convention,
        cells=[
            PlanCell(first.pk, convention.funder_id, 2024, kept.amount),
            PlanCell(first.pk, convention.funder_id, 2025, None),
        ],
        by=officer,
        replace=True,
    )

    assert (result.created, result.updated, result.deleted) == (0, 0, 2)
    assert amounts(convention) == {(first.pk, convention.funder_id, 2024): kept.amount}


def test_a_foreign_action_is_refused_on_its_cell(draft, officer):
    convention, first, _ = draft
    stranger = ActionFactory()

    with pytest.raises(PlanRefused) as refused:
        plan_apply(
            convention=convention,
            cells=[PlanCell(stranger.pk, convention.funder_id, 2024, Decimal("1.00"))],
            by=officer,
        )

    assert list(refused.value.cells.values()) == [
        ["Cette action n'appartient pas à la convention."]
    ]


def test_a_signed_plan_changes_only_by_amendment(officer, cnsa):
    convention = ConventionFactory(
        funder=cnsa, total_cost=Decimal("1000.00"), cnsa_amount=Decimal("600.00")
    )
    action = ActionFactory(axis=AxisFactory(convention=convention))
    line = FundingLineFactory(action=action, year=2019, amount=Decimal("600.00"))
    FundingLineFactory(
        action=action, funder=convention.beneficiary, year=2019, amount=Decimal("400.00")
    )
    cells = [PlanCell(action.pk, cnsa.pk, 2020, Decimal("100.00"))]

    with pytest.raises(PlanRefused) as refused:
        plan_apply(convention=convention, cells=cells, by=officer)
    assert refused.value.fields == {
        "plan": ["La convention est signée : son plan de financement change par un avenant."]
    }

    result = plan_amend(
        convention=convention,
        cells=cells,
        by=officer,
        signed_on=datetime.date(2020, 3, 1),
        description="Action prolongée en 2020.",
    )

    convention.refresh_from_db()
    assert (convention.total_cost, convention.cnsa_amount) == (
        Decimal("1100.00"),
        Decimal("700.00"),
    )
    amendment = Amendment.objects.get(convention=convention)
    assert (amendment.previous_cnsa_amount, amendment.new_cnsa_amount) == (
        Decimal("600.00"),
        Decimal("700.00"),
    )
    assert amendment.description.startswith("Action prolongée en 2020.")
    assert result.amendment == amendment
    assert FundingLine.objects.get(pk=line.pk).amount == Decimal("600.00")


def test_a_redistribution_with_the_same_totals_is_still_an_amendment(officer, cnsa):
    convention = ConventionFactory(
        funder=cnsa, total_cost=Decimal("1000.00"), cnsa_amount=Decimal("1000.00")
    )
    action = ActionFactory(axis=AxisFactory(convention=convention))
    FundingLineFactory(action=action, year=2019, amount=Decimal("1000.00"))

    plan_amend(
        convention=convention,
        cells=[
            PlanCell(action.pk, cnsa.pk, 2019, Decimal("400.00")),
            PlanCell(action.pk, cnsa.pk, 2020, Decimal("600.00")),
        ],
        by=officer,
        signed_on=datetime.date(2020, 1, 15),
        description="Report d'une partie sur 2020.",
    )

    assert Amendment.objects.filter(convention=convention).count() == 1
    assert sorted(amounts(convention).values()) == [Decimal("400.00"), Decimal("600.00")]


def test_an_amendment_refused_saves_no_line(officer, cnsa):
    convention = ConventionFactory(funder=cnsa)
    action = ActionFactory(axis=AxisFactory(convention=convention))
    before = amounts(convention)

    with pytest.raises(PlanRefused) as refused:
        plan_amend(
            convention=convention,
            cells=[PlanCell(action.pk, cnsa.pk, 2019, Decimal("10.00"))],
            by=officer,
            signed_on=datetime.date(2019, 8, 1),
            description="  ",
        )

    assert refused.value.fields == {"description": ["Décrivez l'objet de l'avenant."]}
    assert amounts(convention) == before
    assert not Amendment.objects.filter(convention=convention).exists()
