"""Organisations, memberships, conventions, amendments: every database constraint refuses its
change in French, through Django and past it."""

import datetime
from decimal import Decimal

import pytest

from conventions.models import Amendment
from tests.constraints import Case, check_refused, constraint_names
from tests.factories import (
    ConventionFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
    valid_siret,
)

pytestmark = pytest.mark.django_db


def _siret_taken():
    OrganisationFactory(siret=valid_siret(1))
    return OrganisationFactory(siret=valid_siret(2)), {"siret": valid_siret(1)}


def _membership_twice():
    user = UserFactory()
    first = MembershipFactory(user=user)
    second = MembershipFactory(user=user)
    return second, {"organisation": first.organisation}


def _funder_is_beneficiary():
    convention = ConventionFactory()
    return convention, {"beneficiary": convention.funder}


def _amendment(number: int = 1, convention=None) -> Amendment:
    convention = convention or ConventionFactory()
    return Amendment.objects.create(
        convention=convention,
        number=number,
        signed_on=datetime.date(2020, 6, 1),
        description="Prolongation d'un an",
        previous_total_cost=convention.total_cost,
        previous_cnsa_amount=convention.cnsa_amount,
        previous_end_date=convention.end_date,
        new_total_cost=convention.total_cost,
        new_cnsa_amount=convention.cnsa_amount,
        new_end_date=datetime.date(2023, 12, 31),
    )


def _amendment_number_taken():
    first = _amendment(1)
    return _amendment(2, convention=first.convention), {"number": 1}


CASES = [
    Case("organisation_siret_unique", _siret_taken),
    Case("membership_unique", _membership_twice),
    Case(
        "convention_period_ordered",
        lambda: (ConventionFactory(), {"end_date": datetime.date(2018, 1, 1)}),
    ),
    Case(
        "convention_total_cost_gte_0",
        lambda: (
            ConventionFactory(),
            {"total_cost": Decimal("-1.00"), "cnsa_amount": Decimal("-2.00")},
        ),
    ),
    Case(
        "convention_cnsa_amount_gte_0",
        lambda: (ConventionFactory(), {"cnsa_amount": Decimal("-0.01")}),
    ),
    Case(
        "convention_cnsa_within_total",
        lambda: (ConventionFactory(), {"cnsa_amount": Decimal("100000.01")}),
    ),
    Case(
        "convention_rate_cap_percent",
        lambda: (ConventionFactory(), {"rate_cap": Decimal("100.01")}),
    ),
    Case("convention_funder_not_beneficiary", _funder_is_beneficiary),
    Case("amendment_number_unique", _amendment_number_taken),
    Case("amendment_number_gte_1", lambda: (_amendment(1), {"number": 0})),
    Case(
        "amendment_amounts_gte_0",
        lambda: (_amendment(1), {"new_cnsa_amount": Decimal("-1.00")}),
    ),
]


def test_every_constraint_of_the_app_has_its_case():
    assert constraint_names("conventions") == {case.name for case in CASES}


@pytest.mark.parametrize("case", CASES, ids=str)
def test_the_constraint_refuses_its_change(case):
    check_refused(case)
