"""API test fixtures: token clients, two partners side by side, a generated money data set."""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from conventions.authentication import api_token_create
from conventions.models import Organisation
from tests.factories import (
    ActionFactory,
    AxisFactory,
    ConventionFactory,
    FundingLineFactory,
    MembershipFactory,
    OrganisationFactory,
    PaymentFactory,
    ProgressReportFactory,
    SpendingFactory,
    UserFactory,
)


@pytest.fixture(autouse=True)
def _fast_api_tests(settings):
    """Throttle counters start at zero; test users' passwords hash fast."""
    from django.core.cache import cache

    cache.clear()
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def token_client(user) -> APIClient:
    _, key = api_token_create(user=user, name="tests", by=user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


@pytest.fixture
def officer_api(officer) -> APIClient:
    return token_client(officer)


@dataclass
class Partner:
    org: Organisation
    union: Organisation
    convention: object
    axis: object
    action: object
    union_action: object
    line: object
    payment: object
    coordinator: object
    reader: object
    contributor: object
    objects: dict = field(default_factory=dict)


def make_partner(cnsa, name: str, departement: str) -> Partner:
    org = OrganisationFactory(name=name, kind=Organisation.Kind.NATIONAL_UNION)
    union = OrganisationFactory(
        name=f"Union de {name}",
        kind=Organisation.Kind.DEPARTMENTAL_UNION,
        departement_code=departement,
    )
    convention = ConventionFactory(
        funder=cnsa, beneficiary=org, reference=f"REF {name}", title=f"Programme {name}"
    )
    axis = AxisFactory(convention=convention, number=1, title=f"Axe de {name}")
    action = ActionFactory(axis=axis, title=f"Action de {name}")
    union_action = ActionFactory(axis=axis, lead_organisation=union, title=f"Action UD {name}")
    line = FundingLineFactory(action=action, amount=Decimal("1000.00"))
    FundingLineFactory(action=union_action, amount=Decimal("250.00"))
    payment = PaymentFactory(convention=convention, amount=Decimal("300.00"))
    coordinator = UserFactory(username=f"coord-{departement}")
    MembershipFactory(user=coordinator, organisation=org, role="coordinator")
    reader = UserFactory(username=f"reader-{departement}")
    MembershipFactory(user=reader, organisation=org, role="reader")
    contributor = UserFactory(username=f"ud-{departement}")
    MembershipFactory(user=contributor, organisation=union, role="contributor")
    return Partner(
        org,
        union,
        convention,
        axis,
        action,
        union_action,
        line,
        payment,
        coordinator,
        reader,
        contributor,
    )


@pytest.fixture
def partners(cnsa):
    return make_partner(cnsa, "Partenaire A", "69"), make_partner(cnsa, "Partenaire B", "38")


def generate_dataset(cnsa, *, seed: int = 7, conventions: int = 3) -> None:
    """Conventions with CNSA and co-funders' lines over several years, payments of every kind and
    status, approved and unapproved reports with split and unsplit spending."""
    rng = random.Random(seed)
    cofunders = [
        OrganisationFactory(name=f"Cofinanceur {i}", kind=Organisation.Kind.COFUNDER)
        for i in range(2)
    ]
    unions = [
        OrganisationFactory(
            name=f"Union {code}", kind=Organisation.Kind.DEPARTMENTAL_UNION, departement_code=code
        )
        for code in ("01", "2A", "974")
    ]
    for c in range(conventions):
        beneficiary = OrganisationFactory(
            name=f"Porteur {c}",
            kind=Organisation.Kind.METROPOLE,
            departement_code=["69", ""][c % 2],
        )
        convention = ConventionFactory(
            funder=cnsa,
            beneficiary=beneficiary,
            total_cost=Decimal("900000.00"),
            cnsa_amount=Decimal("500000.00"),
            status=["signed", "closed", "draft"][c % 3],
        )
        for a in range(2):
            axis = AxisFactory(convention=convention, number=a + 1)
            for n in range(2):
                lead = rng.choice([beneficiary, *unions])
                action = ActionFactory(axis=axis, code=f"{a + 1}.{n + 1}", lead_organisation=lead)
                for year in (2019, 2020, 2021):
                    for funder in (cnsa, *cofunders):
                        if rng.random() < 0.7:
                            FundingLineFactory(
                                action=action,
                                funder=funder,
                                year=year,
                                amount=Decimal(rng.randint(1, 9_999_999)) / 100,
                            )
                for year in (2019, 2020):
                    report = ProgressReportFactory(
                        action=action,
                        period_start=datetime.date(year, 1, 1),
                        period_end=datetime.date(year, 12, 31),
                        status=rng.choice(["approved", "approved", "submitted"]),
                    )
                    for funder in (cnsa, None):
                        SpendingFactory(
                            report=report,
                            funder=funder,
                            amount=Decimal(rng.randint(1, 999_999)) / 100,
                        )
        for kind, state, day in (
            ("advance", "paid", datetime.date(2019, 3, 1)),
            ("instalment", "paid", datetime.date(2020, 6, 1)),
            ("instalment", "planned", None),
            ("instalment", "cancelled", None),
            ("reclaim", "paid", datetime.date(2021, 2, 1)),
        ):
            PaymentFactory(
                convention=convention,
                kind=kind,
                status=state,
                paid_on=day,
                due_date=datetime.date(2020, 1, 1),
                amount=Decimal(rng.randint(100, 9_999_999)) / 100,
            )
