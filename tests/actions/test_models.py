"""Actions, progress reports, indicator values, spending: every database constraint refuses its
change in French, through Django and past it."""

import datetime
from decimal import Decimal

import pytest

from tests.constraints import Case, check_refused, constraint_names
from tests.factories import (
    ActionFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    OrganisationFactory,
    ProgressReportFactory,
    SpendingFactory,
)

pytestmark = pytest.mark.django_db


def _code_taken():
    first = ActionFactory(code="1.1")
    return ActionFactory(axis=first.axis, code="1.2"), {"code": "1.1"}


def _period_taken():
    first = ProgressReportFactory()
    second = ProgressReportFactory(
        action=first.action,
        period_start=datetime.date(2020, 1, 1),
        period_end=datetime.date(2020, 12, 31),
    )
    return second, {"period_start": first.period_start, "period_end": first.period_end}


def _value_twice():
    first = IndicatorValueFactory()
    other = IndicatorFactory(action=first.report.action)
    second = IndicatorValueFactory(report=first.report, indicator=other)
    return second, {"indicator": first.indicator}


def _spending_twice():
    first = SpendingFactory(funder=OrganisationFactory())
    second = SpendingFactory(report=first.report, funder=None)
    return second, {"funder": first.funder}


CASES = [
    Case("action_code_unique_in_axis", _code_taken),
    Case(
        "action_period_ordered",
        lambda: (ActionFactory(), {"end_date": datetime.date(2000, 1, 1)}),
    ),
    Case("progress_report_unique_period", _period_taken),
    Case(
        "progress_report_period_ordered",
        lambda: (ProgressReportFactory(), {"period_end": datetime.date(2018, 12, 31)}),
    ),
    Case("indicator_value_unique", _value_twice),
    Case("spending_amount_gte_0", lambda: (SpendingFactory(), {"amount": Decimal("-0.01")})),
    Case("spending_unique_funder", _spending_twice),
]


def test_every_constraint_of_the_app_has_its_case():
    assert constraint_names("actions") == {case.name for case in CASES}


@pytest.mark.parametrize("case", CASES, ids=str)
def test_the_constraint_refuses_its_change(case):
    check_refused(case)
