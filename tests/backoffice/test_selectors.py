"""The conventions list's reads: what the user may see, filtered, sorted, with its totals."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from backoffice.selectors import convention_list_options, convention_rows, rows_total
from conventions.models import Convention
from tests.factories import (
    ActionFactory,
    AxisFactory,
    ConventionFactory,
    FundingLineFactory,
    MembershipFactory,
    OrganisationFactory,
    PaymentFactory,
    UserFactory,
)


@pytest.fixture
def three(cnsa):
    lyon = OrganisationFactory(name="Métropole de Lyon", departement_code="69")
    nord = OrganisationFactory(name="Département du Nord", departement_code="59")
    unccas = OrganisationFactory(name="UNCCAS", departement_code="")
    made = {
        "lyon": ConventionFactory(
            funder=cnsa,
            beneficiary=lyon,
            reference="CNSA-LYON",
            title="Aide à domicile lyonnaise",
            start_date=datetime.date(2016, 1, 1),
            end_date=datetime.date(2018, 12, 31),
            status=Convention.Status.CLOSED,
            total_cost=Decimal("801500.00"),
            cnsa_amount=Decimal("427750.00"),
        ),
        "nord": ConventionFactory(
            funder=cnsa,
            beneficiary=nord,
            reference="CNSA-NORD",
            start_date=datetime.date(2021, 1, 1),
            end_date=datetime.date(2023, 12, 31),
            status=Convention.Status.DRAFT,
            total_cost=Decimal("1000.00"),
            cnsa_amount=Decimal("500.00"),
        ),
        "unccas": ConventionFactory(
            funder=cnsa,
            beneficiary=unccas,
            reference="CNSA-UNCCAS",
            start_date=datetime.date(2019, 1, 1),
            end_date=datetime.date(2022, 12, 31),
        ),
    }
    # an action of the UNCCAS convention led in the Nord
    axis = AxisFactory(convention=made["unccas"], number=1)
    ActionFactory(axis=axis, lead_organisation=nord)
    action = ActionFactory(axis=AxisFactory(convention=made["lyon"], number=1))
    FundingLineFactory(action=action, funder=cnsa, year=2016, amount=Decimal("300.10"))
    PaymentFactory(convention=made["lyon"], amount=Decimal("100.05"))
    return made


def _refs(rows) -> list[str]:
    return [c.reference for c in rows]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({}, ["CNSA-NORD", "CNSA-UNCCAS", "CNSA-LYON"]),
        ({"q": "lyonnaise"}, ["CNSA-LYON"]),
        ({"q": "unccas"}, ["CNSA-UNCCAS"]),
        ({"status": "draft"}, ["CNSA-NORD"]),
        ({"departement": "59"}, ["CNSA-NORD", "CNSA-UNCCAS"]),
        ({"year": 2022}, ["CNSA-NORD", "CNSA-UNCCAS"]),
        ({"year": 2017}, ["CNSA-LYON"]),
    ],
)
def test_filters_narrow_the_rows(officer, three, filters, expected):
    assert _refs(convention_rows(user=officer, filters=filters)) == expected


def test_the_porteur_filter_takes_an_organisation(officer, three):
    rows = convention_rows(user=officer, filters={"porteur": three["nord"].beneficiary_id})

    assert _refs(rows) == ["CNSA-NORD"]


def test_rows_sort_by_any_column_both_ways_and_carry_their_money(officer, three):
    ascending = convention_rows(user=officer, filters={}, sort="cout")
    descending = convention_rows(user=officer, filters={}, sort="-cout")

    assert _refs(ascending) == ["CNSA-NORD", "CNSA-UNCCAS", "CNSA-LYON"]
    assert _refs(descending) == ["CNSA-LYON", "CNSA-UNCCAS", "CNSA-NORD"]
    lyon = descending[0]
    assert (lyon.planned, lyon.paid, lyon.remaining) == (
        Decimal("300.10"),
        Decimal("100.05"),
        Decimal("427649.95"),
    )


def test_the_totals_row_sums_the_rows_in_hand_exactly(officer, three):
    rows = list(convention_rows(user=officer, filters={}))

    total = rows_total(rows)

    assert total.count == 3
    assert total.total_cost == Decimal("902500.00")
    assert total.cnsa_amount == Decimal("488250.00")
    assert total.cnsa_rate == Decimal("54.10")


def test_a_union_sees_only_its_conventions_and_their_choices(three):
    member = UserFactory(username="lyon")
    MembershipFactory(user=member, organisation=three["lyon"].beneficiary, role="contributor")

    assert _refs(convention_rows(user=member, filters={})) == ["CNSA-LYON"]
    options = convention_list_options(user=member)
    assert [p.name for p in options.porteurs] == ["Métropole de Lyon"]
    assert options.departements == ["69"]
    assert options.years == [2018, 2017, 2016]


def test_the_options_span_every_visible_year_and_departement(officer, three):
    options = convention_list_options(user=officer)

    assert options.years == list(range(2023, 2015, -1))
    assert options.departements == ["59", "69"]
    assert [p.name for p in options.porteurs] == [
        "Département du Nord",
        "Métropole de Lyon",
        "UNCCAS",
    ]
