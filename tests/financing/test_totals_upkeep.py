"""The totals tables follow every write of lines, spending, reports and payments, in the database."""

from __future__ import annotations

from decimal import Decimal

import pytest

from financing.models import ActionTotal, AxisTotal, ConventionTotal, FundingLine
from tests.factories import (
    ActionFactory,
    AxisFactory,
    FundingLineFactory,
    PaymentFactory,
    ProgressReportFactory,
    SpendingFactory,
)

pytestmark = pytest.mark.django_db


def _convention_row(convention, funder_key: int, year: int) -> tuple[Decimal, Decimal, Decimal]:
    row = ConventionTotal.objects.get(convention=convention, funder_key=funder_key, year=year)
    return row.planned, row.spent, row.paid


def test_a_line_adds_moves_and_leaves_its_amount_at_every_grain(convention, cnsa):
    action = ActionFactory(axis=AxisFactory(convention=convention))
    line = FundingLineFactory(action=action, funder=cnsa, year=2019, amount=Decimal("100.10"))

    assert ActionTotal.objects.get(action=action, funder_key=cnsa.pk, year=2019).planned == Decimal(
        "100.10"
    )
    assert AxisTotal.objects.get(
        axis=action.axis, funder_key=cnsa.pk, year=2019
    ).planned == Decimal("100.10")
    FundingLine.objects.filter(pk=line.pk).update(year=2020, amount=Decimal("7.05"))
    assert _convention_row(convention, cnsa.pk, 2019)[0] == Decimal("0.00")
    assert _convention_row(convention, cnsa.pk, 2020)[0] == Decimal("7.05")
    FundingLine.objects.filter(pk=line.pk).delete()
    assert _convention_row(convention, cnsa.pk, 2020)[0] == Decimal("0.00")


def test_spending_counts_only_while_its_report_is_approved(convention, cnsa):
    action = ActionFactory(axis=AxisFactory(convention=convention))
    report = ProgressReportFactory(action=action, status="submitted")
    SpendingFactory(report=report, funder=cnsa, amount=Decimal("40.00"))
    SpendingFactory(report=report, funder=None, amount=Decimal("2.50"))
    assert not ConventionTotal.objects.filter(convention=convention).exclude(spent=0).exists()

    report.status = "approved"
    report.save()

    assert _convention_row(convention, cnsa.pk, 2019)[1] == Decimal("40.00")
    assert _convention_row(convention, 0, 2019)[1] == Decimal("2.50")  # not split: funder key 0
    report.status = "returned"
    report.save()
    assert _convention_row(convention, cnsa.pk, 2019)[1] == Decimal("0.00")


def test_payments_count_when_paid_net_of_reclaims_under_the_conventions_funder(convention, cnsa):
    PaymentFactory(convention=convention, amount=Decimal("300.00"))
    PaymentFactory(convention=convention, amount=Decimal("45.00"), kind="reclaim")
    planned = PaymentFactory(
        convention=convention, amount=Decimal("9.00"), status="planned", paid_on=None
    )

    assert _convention_row(convention, cnsa.pk, 2019)[2] == Decimal("255.00")
    planned.status, planned.paid_on = "paid", convention.start_date
    planned.save()
    assert _convention_row(convention, cnsa.pk, 2019)[2] == Decimal("264.00")


def test_an_action_moved_to_another_conventions_axis_takes_its_totals(convention, cnsa):
    action = ActionFactory(axis=AxisFactory(convention=convention))
    FundingLineFactory(action=action, funder=cnsa, year=2019, amount=Decimal("80.00"))
    other = AxisFactory()

    action.axis = other
    action.save()

    assert _convention_row(convention, cnsa.pk, 2019)[0] == Decimal("0.00")
    assert _convention_row(other.convention, cnsa.pk, 2019)[0] == Decimal("80.00")
    assert AxisTotal.objects.get(axis=other, funder_key=cnsa.pk, year=2019).planned == Decimal(
        "80.00"
    )
