from __future__ import annotations

import datetime
from decimal import Decimal

import factory
from django.contrib.auth.models import User

from actions.models import Action, Indicator, IndicatorValue, ProgressReport, Spending
from axes.models import Axis
from conventions.models import Convention, Membership, Organisation
from conventions.validators import siret_with_keys
from financing.models import FundingLine, Payment


def valid_siret(seed: int) -> str:
    """A 14-digit SIRET that passes the official rule (SIREN key and SIRET key)."""
    return siret_with_keys(f"{seed:012d}"[-12:])


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("motdepasse-de-test")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Organisation {n}")
    kind = Organisation.Kind.NATIONAL_UNION
    siret = factory.Sequence(lambda n: valid_siret(4_200_000_000 + n))


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Membership.Role.COORDINATOR


class ConventionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Convention

    reference = factory.Sequence(lambda n: f"CNSA-TEST-{n:04d}")
    title = factory.Sequence(lambda n: f"Convention de modernisation {n}")
    funder = factory.SubFactory(OrganisationFactory, kind=Organisation.Kind.FUNDER, name="CNSA")
    beneficiary = factory.SubFactory(OrganisationFactory)
    start_date = datetime.date(2019, 1, 1)
    end_date = datetime.date(2022, 12, 31)
    signature_date = datetime.date(2019, 7, 1)
    status = Convention.Status.SIGNED
    total_cost = Decimal("100000.00")
    cnsa_amount = Decimal("60000.00")


class AxisFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Axis

    convention = factory.SubFactory(ConventionFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Axe {n + 1}")


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action

    axis = factory.SubFactory(AxisFactory)
    code = factory.Sequence(lambda n: f"A.{n}")
    title = factory.Sequence(lambda n: f"Action {n}")
    lead_organisation = factory.LazyAttribute(lambda a: a.axis.convention.beneficiary)
    start_date = factory.LazyAttribute(lambda a: a.axis.convention.start_date)
    end_date = factory.LazyAttribute(lambda a: a.axis.convention.end_date)


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    action = factory.SubFactory(ActionFactory)
    label = "Jours d'accompagnement"
    unit = "jours"
    target = Decimal("8.00")


class FundingLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FundingLine

    action = factory.SubFactory(ActionFactory)
    funder = factory.LazyAttribute(lambda line: line.action.axis.convention.funder)
    year = 2019
    amount = Decimal("1000.00")


class PaymentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Payment

    convention = factory.SubFactory(ConventionFactory)
    kind = Payment.Kind.ADVANCE
    amount = Decimal("1000.00")
    status = Payment.Status.PAID
    paid_on = factory.LazyAttribute(lambda p: p.convention.start_date)


class ProgressReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgressReport

    action = factory.SubFactory(ActionFactory)
    period_start = datetime.date(2019, 1, 1)
    period_end = datetime.date(2019, 12, 31)


class SpendingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Spending

    report = factory.SubFactory(ProgressReportFactory)
    amount = Decimal("500.00")


class IndicatorValueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IndicatorValue

    report = factory.SubFactory(ProgressReportFactory)
    indicator = factory.SubFactory(
        IndicatorFactory, action=factory.SelfAttribute("..report.action")
    )
    value = Decimal("4.00")
