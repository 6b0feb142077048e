"""The database itself refuses what must never happen, whatever the entry point."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from conventions.models import Convention
from financing.models import FundingLine, Payment
from tests.factories import (
    ActionFactory,
    AxisFactory,
    ConventionFactory,
    FundingLineFactory,
    PaymentFactory,
)

pytestmark = pytest.mark.django_db


def _refused(build) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        build()


def test_a_convention_cannot_end_before_it_starts(convention):
    _refused(
        lambda: Convention.objects.filter(pk=convention.pk).update(
            end_date=datetime.date(2018, 1, 1)
        )
    )


def test_the_cnsa_amount_cannot_exceed_the_total_cost(convention):
    _refused(
        lambda: Convention.objects.filter(pk=convention.pk).update(cnsa_amount=Decimal("100000.01"))
    )
    convention.refresh_from_db()
    assert convention.cnsa_amount == Decimal("60000.00")


def test_amounts_cannot_be_negative(convention):
    _refused(
        lambda: Convention.objects.filter(pk=convention.pk).update(total_cost=Decimal("-1.00"))
    )
    _refused(
        lambda: FundingLineFactory(action__axis__convention=convention, amount=Decimal("-0.01"))
    )
    _refused(lambda: PaymentFactory(convention=convention, amount=Decimal("0.00")))
    assert not FundingLine.objects.exists()
    assert not Payment.objects.exists()


def test_axis_numbers_are_unique_within_a_convention(convention):
    AxisFactory(convention=convention, number=1)
    _refused(lambda: AxisFactory(convention=convention, number=1))
    AxisFactory(convention=ConventionFactory(funder=convention.funder), number=1)


def test_there_is_one_funding_line_per_action_funder_and_year(convention):
    line = FundingLineFactory(action=ActionFactory(axis__convention=convention))
    _refused(lambda: FundingLineFactory(action=line.action, funder=line.funder, year=line.year))
    assert FundingLine.objects.count() == 1


def test_a_paid_payment_has_a_date(convention):
    _refused(lambda: PaymentFactory(convention=convention, paid_on=None))


def test_money_keeps_its_cents_exactly(convention):
    action = ActionFactory(axis__convention=convention)
    for year, amount in [(2019, "0.10"), (2020, "0.20"), (2021, "106938.75")]:
        FundingLineFactory(action=action, year=year, amount=Decimal(amount))

    total = sum(FundingLine.objects.values_list("amount", flat=True))

    assert total == Decimal("106939.05")
