"""Reports: every database constraint refuses its change in French, through Django and past it."""

import datetime

import pytest

from reporting.models import Report
from tests.constraints import Case, check_refused, constraint_names
from tests.factories import ConventionFactory

pytestmark = pytest.mark.django_db


def _report(convention=None, **fields) -> Report:
    values = {
        "convention": convention or ConventionFactory(),
        "kind": Report.Kind.INTERIM,
        "period_start": datetime.date(2019, 1, 1),
        "period_end": datetime.date(2019, 12, 31),
        **fields,
    }
    return Report.objects.create(**values)


def _second_active_report():
    first = _report()
    second = _report(convention=first.convention, status=Report.Status.DONE)
    return second, {"status": Report.Status.QUEUED}


CASES = [
    Case("report_one_active_per_period", _second_active_report),
    Case("report_period_ordered", lambda: (_report(), {"period_end": datetime.date(2018, 1, 1)})),
]


def test_every_constraint_of_the_app_has_its_case():
    assert constraint_names("reporting") == {case.name for case in CASES}


@pytest.mark.parametrize("case", CASES, ids=str)
def test_the_constraint_refuses_its_change(case):
    check_refused(case)
