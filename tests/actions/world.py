"""A small convention with two departmental unions, shared by the workspace tests."""

from __future__ import annotations

import datetime
from decimal import Decimal
from types import SimpleNamespace

from conventions.models import Organisation
from tests.factories import (
    ActionFactory,
    AxisFactory,
    ConventionFactory,
    FundingLineFactory,
    IndicatorFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)

PASSWORD = "motdepasse-de-test"


def build_world(cnsa=None) -> SimpleNamespace:
    cnsa = cnsa or OrganisationFactory(
        kind=Organisation.Kind.FUNDER,
        name="Caisse nationale de solidarité pour l'autonomie",
        short_name="CNSA",
    )
    officer = UserFactory(username="cnsa.officer", email="officer@cnsa.example")
    MembershipFactory(user=officer, organisation=cnsa, role="officer")
    unccas = OrganisationFactory(name="UNCCAS", kind=Organisation.Kind.NATIONAL_UNION)
    coordinator = UserFactory(username="unccas.coordinateur")
    MembershipFactory(user=coordinator, organisation=unccas, role="coordinator")
    ud69 = OrganisationFactory(
        name="UDCCAS du Rhône", kind=Organisation.Kind.DEPARTMENTAL_UNION, departement_code="69"
    )
    ud13 = OrganisationFactory(
        name="UDCCAS des Bouches-du-Rhône",
        kind=Organisation.Kind.DEPARTMENTAL_UNION,
        departement_code="13",
    )
    contributor69 = UserFactory(username="udccas69.contributeur")
    MembershipFactory(user=contributor69, organisation=ud69, role="contributor")
    contributor13 = UserFactory(username="udccas13.contributeur")
    MembershipFactory(user=contributor13, organisation=ud13, role="contributor")
    reader69 = UserFactory(username="udccas69.lecteur")
    MembershipFactory(user=reader69, organisation=ud69, role="reader")
    convention = ConventionFactory(
        funder=cnsa,
        beneficiary=unccas,
        reference="CNSA-UNCCAS-2019",
        start_date=datetime.date(2019, 1, 1),
        end_date=datetime.date(2022, 12, 31),
    )
    axis = AxisFactory(convention=convention, number=3, title="Professionnalisation")
    action69 = ActionFactory(
        axis=axis, code="3.1", title="Analyse de pratiques (Rhône)", lead_organisation=ud69
    )
    action13 = ActionFactory(
        axis=axis, code="3.2", title="Groupes de parole (Bouches-du-Rhône)", lead_organisation=ud13
    )
    indicator69 = IndicatorFactory(
        action=action69,
        label="Séances d'analyse de pratiques",
        unit="séances",
        target=Decimal("12.00"),
    )
    IndicatorFactory(
        action=action13, label="Groupes de parole", unit="groupes", target=Decimal("6.00")
    )
    FundingLineFactory(action=action69, funder=cnsa, year=2019, amount=Decimal("6000.00"))
    FundingLineFactory(action=action13, funder=cnsa, year=2019, amount=Decimal("4000.00"))
    return SimpleNamespace(**locals())
