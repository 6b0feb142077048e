"""Sign-in records: every database constraint refuses its change in French, through Django and
past it."""

import datetime

import pytest
from django.utils import timezone

from accounts.models import Lockout, Scope
from tests.constraints import Case, check_refused, constraint_names

pytestmark = pytest.mark.django_db


def _lockout():
    now = timezone.now()
    lockout = Lockout.objects.create(
        scope=Scope.PASSWORD,
        kind=Lockout.Kind.ACCOUNT,
        key="marie.curie",
        created_at=now,
        until=now + datetime.timedelta(minutes=15),
    )
    return lockout, {"until": now - datetime.timedelta(seconds=1)}


CASES = [Case("lockout_ends_after_start", _lockout)]


def test_every_constraint_of_the_app_has_its_case():
    assert constraint_names("accounts") == {case.name for case in CASES}


@pytest.mark.parametrize("case", CASES, ids=str)
def test_the_constraint_refuses_its_change(case):
    check_refused(case)
