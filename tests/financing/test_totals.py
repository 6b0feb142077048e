"""funding_totals as a selector; the HTTP contract is in tests/api/test_totals.py."""

from decimal import Decimal

import pytest

from financing.totals import funding_totals
from tests.factories import (
    ActionFactory,
    AxisFactory,
    FundingLineFactory,
    MembershipFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def lines(convention, cnsa):
    action = ActionFactory(axis=AxisFactory(convention=convention))
    FundingLineFactory(action=action, funder=cnsa, year=2019, amount=Decimal("600.00"))
    FundingLineFactory(action=action, funder=cnsa, year=2020, amount=Decimal("300.00"))
    FundingLineFactory(
        action=action, funder=convention.beneficiary, year=2019, amount=Decimal("100.00")
    )
    return action


def test_without_keys_there_is_one_grand_total_row(officer, lines):
    [row] = funding_totals(user=officer, group_by=[], filters={})

    assert (row["planned"], row["cnsa_planned"], row["cnsa_rate"], row["spent"]) == (
        Decimal("1000.00"),
        Decimal("900.00"),
        Decimal("90.00"),
        Decimal("0.00"),
    )


def test_rows_follow_the_group_keys_and_the_filters(officer, lines):
    rows = funding_totals(user=officer, group_by=["year"], filters={"year_min": 2020})

    assert [(r["year"], r["planned"], r["cnsa_planned"]) for r in rows] == [
        (2020, Decimal("300.00"), Decimal("300.00"))
    ]


def test_a_stranger_totals_nothing(lines):
    stranger = UserFactory()
    MembershipFactory(user=stranger, role="reader")

    [row] = funding_totals(user=stranger, group_by=[], filters={})

    assert (row["planned"], row["cnsa_planned"]) == (Decimal("0.00"), Decimal("0.00"))
