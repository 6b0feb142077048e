"""Conventions to report on: the Lyon figures from the seeds, and a generated one of any size."""

from __future__ import annotations

import datetime
from decimal import Decimal

from actions.models import IndicatorValue, ProgressReport
from conventions.models import Organisation
from tests.factories import (
    ActionFactory,
    AxisFactory,
    ConventionFactory,
    FundingLineFactory,
    IndicatorFactory,
    OrganisationFactory,
    PaymentFactory,
    ProgressReportFactory,
    SpendingFactory,
)

LYON_AXES = [
    "Structuration de l'offre de service à domicile",
    "Modernisation de la gestion des services",
    "Accès aux métiers et professionnalisation",
    "Accompagnement et développement de l'accueil familial",
    "Aide aux aidants",
    "Pilotage, suivi et animation de la convention",
]
# (CNSA, Métropole) per axis and per year; CNSA sums to 427 750, all lines to 801 500.
LYON_SPLIT = [
    (Decimal("40000.00"), Decimal("35000.00")),
    (Decimal("60000.00"), Decimal("52000.00")),
    (Decimal("50000.00"), Decimal("43875.00")),
    (Decimal("25000.00"), Decimal("21000.00")),
    (Decimal("25000.00"), Decimal("22000.00")),
    (Decimal("13875.00"), Decimal("13000.00")),
]


def lyon_convention(cnsa: Organisation, *, approved_by=None):
    """CNSA – Métropole de Lyon 2016-2017: 801 500 €, CNSA 427 750 € = 53,37 %."""
    metropole = OrganisationFactory(
        name="Métropole de Lyon", short_name="Métropole de Lyon", kind="metropole"
    )
    convention = ConventionFactory(
        reference="CNSA-LYON-2016",
        title="Modernisation et professionnalisation des services d'aide à domicile",
        funder=cnsa,
        beneficiary=metropole,
        start_date=datetime.date(2016, 1, 1),
        end_date=datetime.date(2017, 12, 31),
        signature_date=datetime.date(2016, 8, 29),
        total_cost=Decimal("801500.00"),
        cnsa_amount=Decimal("427750.00"),
        is_illustrative=True,
    )
    for number, (title, (cnsa_part, own_part)) in enumerate(
        zip(LYON_AXES, LYON_SPLIT, strict=True), start=1
    ):
        axis = AxisFactory(convention=convention, number=number, title=title)
        action = ActionFactory(axis=axis, code=f"{number}.1", title=f"Fiche action {number}.1")
        for year in (2016, 2017):
            FundingLineFactory(action=action, funder=cnsa, year=year, amount=cnsa_part)
            FundingLineFactory(action=action, funder=metropole, year=year, amount=own_part)
        indicator = IndicatorFactory(
            action=action, label="Services accompagnés", unit="services", target=Decimal("6")
        )
        report = ProgressReportFactory(
            action=action,
            period_start=datetime.date(2016, 1, 1),
            period_end=datetime.date(2016, 12, 31),
            status=ProgressReport.Status.APPROVED,
            narrative=f"Axe {number} : les actions prévues en 2016 ont été conduites.",
            reviewed_by=approved_by,
        )
        IndicatorValue.objects.create(report=report, indicator=indicator, value=Decimal("4"))
        SpendingFactory(report=report, funder=cnsa, amount=Decimal("10000.00"))
    PaymentFactory(
        convention=convention,
        amount=Decimal("213875.00"),
        paid_on=datetime.date(2016, 9, 15),
    )
    return convention


def generated_convention(cnsa: Organisation, *, actions: int, axes: int = 5, reference=None):
    """A convention with `actions` actions spread over `axes` axes, each with progress."""
    porteur = OrganisationFactory(kind="departement")
    convention = ConventionFactory(
        reference=reference or f"CNSA-GEN-{actions}",
        funder=cnsa,
        beneficiary=porteur,
        total_cost=Decimal("1000.00") * 2 * actions * 4,
        cnsa_amount=Decimal("1000.00") * actions * 4,
    )
    axis_rows = [
        AxisFactory(convention=convention, number=n, title=f"Axe généré {n}")
        for n in range(1, axes + 1)
    ]
    for i in range(actions):
        axis = axis_rows[i % axes]
        action = ActionFactory(
            axis=axis, code=f"{axis.number}.{i // axes + 1}", title=f"Action générée {i + 1}"
        )
        for year in convention.years:
            FundingLineFactory(action=action, funder=cnsa, year=year, amount=Decimal("1000.00"))
            FundingLineFactory(action=action, funder=porteur, year=year, amount=Decimal("1000.00"))
        indicator = IndicatorFactory(action=action, target=Decimal("10"))
        report = ProgressReportFactory(
            action=action,
            status=ProgressReport.Status.APPROVED,
            narrative=f"Compte rendu de l'action {i + 1}.\nDeuxième paragraphe.",
        )
        IndicatorValue.objects.create(report=report, indicator=indicator, value=Decimal("7"))
        SpendingFactory(report=report, funder=cnsa, amount=Decimal("800.00"))
    return convention
