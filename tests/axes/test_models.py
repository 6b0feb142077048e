"""Axis: every database constraint refuses its change in French, through Django and past it."""

import pytest

from tests.constraints import Case, check_refused, constraint_names
from tests.factories import AxisFactory

pytestmark = pytest.mark.django_db


def _number_taken():
    first = AxisFactory(number=1)
    second = AxisFactory(convention=first.convention, number=2)
    return second, {"number": 1}


CASES = [
    Case("axis_number_unique", _number_taken),
    Case("axis_number_gte_1", lambda: (AxisFactory(number=1), {"number": 0})),
]


def test_every_constraint_of_the_app_has_its_case():
    assert constraint_names("axes") == {case.name for case in CASES}


@pytest.mark.parametrize("case", CASES, ids=str)
def test_the_constraint_refuses_its_change(case):
    check_refused(case)
