"""Funding lines and payments: every database constraint refuses its change in French, through
Django and past it."""

from decimal import Decimal

import pytest

from tests.constraints import Case, check_refused, constraint_names
from tests.factories import FundingLineFactory, PaymentFactory

pytestmark = pytest.mark.django_db


def _line_taken():
    first = FundingLineFactory(year=2019)
    second = FundingLineFactory(action=first.action, funder=first.funder, year=2020)
    return second, {"year": 2019}


CASES = [
    Case("funding_line_unique_action_funder_year", _line_taken),
    Case("funding_line_amount_gte_0", lambda: (FundingLineFactory(), {"amount": Decimal("-0.01")})),
    Case("funding_line_year_plausible", lambda: (FundingLineFactory(), {"year": 1989})),
    Case("payment_amount_gt_0", lambda: (PaymentFactory(), {"amount": Decimal("0.00")})),
    Case("payment_paid_has_date", lambda: (PaymentFactory(), {"paid_on": None})),
]


def test_every_constraint_of_the_app_has_its_case():
    assert constraint_names("financing") == {case.name for case in CASES}


@pytest.mark.parametrize("case", CASES, ids=str)
def test_the_constraint_refuses_its_change(case):
    check_refused(case)
