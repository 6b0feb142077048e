"""Funding lines and payments: every database constraint refuses its change in French, through
Django and past it."""

from decimal import Decimal

import pytest

from financing.models import (
    ActionTotal,
    AxisFunderTotal,
    AxisTotal,
    ConventionTotal,
    DepartementTotal,
)
from tests.constraints import Case, check_refused, constraint_names
from tests.factories import FundingLineFactory, OrganisationFactory, PaymentFactory

pytestmark = pytest.mark.django_db


def _line_taken():
    first = FundingLineFactory(year=2019)
    second = FundingLineFactory(action=first.action, funder=first.funder, year=2020)
    return second, {"year": 2019}


def _total_taken(model, key: str):
    def make():
        first = FundingLineFactory(year=2019)
        FundingLineFactory(action=first.action, funder=first.funder, year=2020)
        owner = {"action": first.action, "axis": first.action.axis}.get(key)
        owner = owner or first.action.axis.convention
        second = model.objects.get(**{key: owner, "funder_key": first.funder_id, "year": 2020})
        return second, {"year": 2019}

    return make


def _departement_total_taken():
    first = FundingLineFactory(year=2019)
    FundingLineFactory(action=first.action, funder=first.funder, year=2020)
    return DepartementTotal.objects.get(funder_key=first.funder_id, year=2020), {"year": 2019}


def _axis_funder_total_taken():
    first = FundingLineFactory(year=2019)
    cofunder = OrganisationFactory(name="Cofinanceur", kind="cofunder")
    other = FundingLineFactory(action=first.action, funder=cofunder, year=2019)
    second = AxisFunderTotal.objects.get(axis=first.action.axis, funder_key=other.funder_id)
    return second, {"funder_key": first.funder_id}


CASES = [
    Case("funding_line_unique_action_funder_year", _line_taken),
    Case("funding_line_amount_gte_0", lambda: (FundingLineFactory(), {"amount": Decimal("-0.01")})),
    Case("funding_line_year_plausible", lambda: (FundingLineFactory(), {"year": 1989})),
    Case("payment_amount_gt_0", lambda: (PaymentFactory(), {"amount": Decimal("0.00")})),
    Case("payment_paid_has_date", lambda: (PaymentFactory(), {"paid_on": None})),
    Case("action_total_unique", _total_taken(ActionTotal, "action")),
    Case("axis_total_unique", _total_taken(AxisTotal, "axis")),
    Case("convention_total_unique", _total_taken(ConventionTotal, "convention")),
    Case("departement_total_unique", _departement_total_taken),
    Case("axis_funder_total_unique", _axis_funder_total_taken),
]


def test_every_constraint_of_the_app_has_its_case():
    assert constraint_names("financing") == {case.name for case in CASES}


@pytest.mark.parametrize("case", CASES, ids=str)
def test_the_constraint_refuses_its_change(case):
    check_refused(case)
