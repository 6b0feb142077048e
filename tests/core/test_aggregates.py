from decimal import Decimal

import pytest

from actions.models import Action
from core.aggregates import sum_subquery
from financing.models import FundingLine
from tests.factories import ActionFactory, AxisFactory, FundingLineFactory

pytestmark = pytest.mark.django_db


def test_each_row_gets_its_own_sum_and_zero_when_it_has_none(
    convention, cnsa, django_assert_num_queries
):
    axis = AxisFactory(convention=convention)
    funded, unfunded = ActionFactory(axis=axis), ActionFactory(axis=axis)
    FundingLineFactory(action=funded, funder=cnsa, year=2019, amount=Decimal("100.10"))
    FundingLineFactory(action=funded, funder=cnsa, year=2020, amount=Decimal("0.20"))

    with django_assert_num_queries(1):
        planned = dict(
            Action.objects.annotate(
                planned=sum_subquery(FundingLine.objects.all(), "action")
            ).values_list("pk", "planned")
        )

    assert planned == {funded.pk: Decimal("100.30"), unfunded.pk: Decimal("0.00")}
