"""A whole plan written at once: the changes it takes, all or nothing, the convention's figures
following by an amendment once signed."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from conventions.models import Amendment, Convention
from financing.models import FundingLine
from financing.services_plan import (
    ADDED,
    CHANGED,
    REMOVED,
    LineChange,
    funding_plan_apply,
    funding_plan_changes,
)
from tests.backoffice.conftest import build_plan
from tests.factories import FundingLineFactory, OrganisationFactory


def test_the_changes_are_added_changed_and_removed_lines_in_a_stable_order():
    current = {
        (1, 9, 2024): Decimal("10.00"),
        (1, 9, 2025): Decimal("20.00"),
        (2, 9, 2024): Decimal("5.00"),
    }
    wanted = {
        (1, 9, 2025): Decimal("25.00"),
        (2, 9, 2024): Decimal("5.00"),
        (2, 8, 2024): Decimal("1.50"),
    }

    changes = funding_plan_changes(current=current, wanted=wanted)

    assert changes == [
        LineChange(REMOVED, (1, 9, 2024), Decimal("10.00"), None),
        LineChange(CHANGED, (1, 9, 2025), Decimal("20.00"), Decimal("25.00")),
        LineChange(ADDED, (2, 8, 2024), None, Decimal("1.50")),
    ]
    assert [c.delta for c in changes] == [Decimal("-10.00"), Decimal("5.00"), Decimal("1.50")]


def test_an_unchanged_plan_is_no_change():
    plan = {(1, 9, 2024): Decimal("10.00")}

    assert funding_plan_changes(current=plan, wanted=dict(plan)) == []


def test_a_draft_takes_the_plan_and_its_figures_move_by_what_the_plan_moved(cnsa, officer):
    ars = OrganisationFactory(name="Agence régionale de santé", kind="cofunder")
    convention, (first, second) = build_plan(cnsa, actions=2)
    FundingLineFactory(action=first, funder=cnsa, year=2024, amount=Decimal("1000.00"))
    FundingLineFactory(action=second, funder=ars, year=2025, amount=Decimal("400.00"))

    applied = funding_plan_apply(
        convention=convention,
        lines={
            (first.pk, cnsa.pk, 2024): Decimal("1200.50"),
            (second.pk, cnsa.pk, 2026): Decimal("300.00"),
        },
        by=officer,
    )

    assert applied.amendment is None
    assert sorted(c.kind for c in applied.changes) == [ADDED, CHANGED, REMOVED]
    assert dict(
        FundingLine.objects.filter(action__axis__convention=convention).values_list(
            "year", "amount"
        )
    ) == {2024: Decimal("1200.50"), 2026: Decimal("300.00")}
    convention.refresh_from_db()
    # +200.50 + 300.00 - 400.00 on the total; +200.50 + 300.00 on the CNSA's share
    assert convention.total_cost == Decimal("10100.50")
    assert convention.cnsa_amount == Decimal("6500.50")


def test_a_signed_convention_follows_by_an_amendment(cnsa, officer):
    convention, (action,) = build_plan(cnsa, actions=1, status=Convention.Status.SIGNED)
    FundingLineFactory(action=action, funder=cnsa, year=2024, amount=Decimal("1000.00"))

    applied = funding_plan_apply(
        convention=convention,
        lines={(action.pk, cnsa.pk, 2024): Decimal("1500.00")},
        by=officer,
        description="Avenant n° 1 : action renforcée",
    )

    amendment = Amendment.objects.get(convention=convention)
    assert applied.amendment == amendment
    assert amendment.description == "Avenant n° 1 : action renforcée"
    convention.refresh_from_db()
    assert (convention.total_cost, convention.cnsa_amount) == (
        Decimal("10500.00"),
        Decimal("6500.00"),
    )


def test_one_refused_line_leaves_every_line_as_it_was(cnsa, officer):
    convention, (action,) = build_plan(cnsa, actions=1)
    FundingLineFactory(action=action, funder=cnsa, year=2024, amount=Decimal("1000.00"))

    with pytest.raises(ValidationError) as refused:
        funding_plan_apply(
            convention=convention,
            lines={
                (action.pk, cnsa.pk, 2024): Decimal("2000.00"),
                (action.pk, cnsa.pk, 2031): Decimal("10.00"),
            },
            by=officer,
        )

    assert any("2031" in m for m in refused.value.message_dict["lines"])
    assert list(FundingLine.objects.values_list("year", "amount")) == [(2024, Decimal("1000.00"))]
    convention.refresh_from_db()
    assert convention.total_cost == Decimal("10000.00")


def test_a_closed_convention_keeps_its_plan(cnsa, officer):
    convention, (action,) = build_plan(cnsa, actions=1, status=Convention.Status.CLOSED)

    with pytest.raises(ValidationError) as refused:
        funding_plan_apply(
            convention=convention, lines={(action.pk, cnsa.pk, 2024): Decimal("1.00")}, by=officer
        )

    assert "clôturée" in refused.value.message_dict["convention"][0]
    assert not FundingLine.objects.exists()
