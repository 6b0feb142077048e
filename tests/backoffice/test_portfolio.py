"""The portfolio: totals by status, year, porteur and département, late reports, problems,
indicators per unit; the same number of queries at two sizes."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from backoffice.portfolio import portfolio
from tests.factories import (
    ActionFactory,
    AxisFactory,
    ConventionFactory,
    FundingLineFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    MembershipFactory,
    OrganisationFactory,
    PaymentFactory,
    ProgressReportFactory,
    SpendingFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2021, 3, 1)


def _convention(cnsa, n: int, departement: str = "69", balanced: bool = True):
    porteur = OrganisationFactory(name=f"Porteur {n}", departement_code=departement)
    convention = ConventionFactory(
        funder=cnsa,
        beneficiary=porteur,
        reference=f"CNSA-{n:03d}",
        total_cost=Decimal("1000.00"),
        cnsa_amount=Decimal("600.00"),
    )
    action = ActionFactory(axis=AxisFactory(convention=convention), lead_organisation=porteur)
    FundingLineFactory(action=action, funder=cnsa, year=2019, amount=Decimal("600.00"))
    cofunder = OrganisationFactory(name="ARS", kind="cofunder")
    FundingLineFactory(
        action=action, funder=cofunder, year=2020, amount=Decimal("400.00" if balanced else "1.00")
    )
    PaymentFactory(convention=convention, amount=Decimal("200.00"))
    report = ProgressReportFactory(action=action, status="approved")
    SpendingFactory(report=report, amount=Decimal("150.00"))
    indicator = IndicatorFactory(action=action, unit="Jours ", target=Decimal("10"))
    IndicatorValueFactory(indicator=indicator, report=report, value=Decimal("4"))
    IndicatorFactory(action=action, unit="%", target=Decimal("50"))
    return convention


def test_it_totals_the_portfolio_by_status_year_porteur_and_departement(officer, cnsa):
    _convention(cnsa, 1, "69")
    _convention(cnsa, 2, "2A")

    view = portfolio(user=officer, today=TODAY)

    total = view.by_status.total
    assert (total.count, total.planned, total.cnsa, total.paid, total.spent) == (
        2,
        Decimal("2000.00"),
        Decimal("1200.00"),
        Decimal("400.00"),
        Decimal("300.00"),
    )
    assert total.remaining == Decimal("800.00")
    assert [(line.label, line.planned, line.cnsa) for line in view.by_year.lines] == [
        ("2019", Decimal("1200.00"), Decimal("1200.00")),
        ("2020", Decimal("800.00"), Decimal("0.00")),
    ]
    assert [line.label for line in view.by_departement.lines] == ["2A", "69"]
    assert view.by_departement.total.paid is None
    assert [line.label for line in view.by_porteur.lines] == ["Porteur 1", "Porteur 2"]


def test_it_lists_late_reports_and_problems_across_the_portfolio(officer, cnsa):
    _convention(cnsa, 1)
    unbalanced = _convention(cnsa, 2, balanced=False)

    view = portfolio(user=officer, today=TODAY)

    assert [p.convention.pk for p in view.problems] == [unbalanced.pk]
    assert view.problems[0].messages == [
        "Plan de financement : 601,00\u00a0€ pour un coût global de 1\u00a0000,00\u00a0€"
    ]
    # Reports for 2020 were due by 30/06/2021: not yet late on 01/03/2021; 2019 is approved.
    assert view.late_count == 0
    assert portfolio(user=officer, today=datetime.date(2021, 7, 1)).late_count == 2


def test_money_planned_outside_the_period_is_a_problem_and_a_zero_line_is_not(officer, cnsa):
    convention = _convention(cnsa, 1)
    action = convention.axes.get().actions.get()
    FundingLineFactory(action=action, funder=cnsa, year=2031, amount=Decimal("0.00"))

    assert portfolio(user=officer, today=TODAY).problems == []

    line = action.funding_lines.get(year=2019)
    line.year = 2030
    line.save()

    (problem,) = portfolio(user=officer, today=TODAY).problems
    assert problem.messages == ["Lignes de financement hors de la période de la convention"]


def test_indicators_are_summed_per_unit_and_percentages_never(officer, cnsa):
    _convention(cnsa, 1)
    _convention(cnsa, 2)

    view = portfolio(user=officer, today=TODAY)

    assert [(u.unit, u.indicators, u.reported, u.target, u.achieved) for u in view.indicators] == [
        ("jours", 2, 2, Decimal("20"), Decimal("8"))
    ]


def test_a_partner_portfolio_holds_only_its_conventions(cnsa):
    mine = _convention(cnsa, 1)
    _convention(cnsa, 2)
    user = UserFactory(username="lectrice")
    MembershipFactory(user=user, organisation=mine.beneficiary, role="reader")

    view = portfolio(user=user, today=TODAY)

    assert view.by_status.total.count == 1
    assert view.by_status.total.planned == Decimal("1000.00")


def test_officers_and_readers_land_on_the_portfolio_partners_on_their_actions(client, cnsa):
    reader = UserFactory(username="lecteur")
    MembershipFactory(user=reader, organisation=cnsa, role="reader")
    union = UserFactory(username="union")
    MembershipFactory(user=union, organisation=OrganisationFactory(), role="contributor")

    client.force_login(reader)
    assert client.get(reverse("home"))["Location"] == "/portefeuille/"
    client.force_login(union)
    assert client.get(reverse("home"))["Location"] == "/mes-actions/"


def test_the_empty_portfolio_says_what_to_do(client, officer):
    client.force_login(officer)

    assert "Le portefeuille se remplit" in client.get("/portefeuille/").content.decode()


@pytest.mark.parametrize("size", [2, 9])
def test_the_portfolio_costs_the_same_queries_whatever_its_size(
    client, officer, cnsa, django_assert_num_queries, size
):
    for n in range(size):
        _convention(cnsa, n, departement=f"{10 + n}")
    client.force_login(officer)
    client.get("/portefeuille/")

    # session, user, scope; the conventions with their totals; late (the actions shown, how many;
    # their reports; deadlines); by year and by département from the summary totals; indicators;
    # DSFR
    with django_assert_num_queries(12):
        response = client.get("/portefeuille/")

    assert response.status_code == 200
    assert response.content.decode().count("<svg") == 2
