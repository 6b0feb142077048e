import datetime
from decimal import Decimal

import pytest

from conventions.models import Convention
from financing.selectors import convention_consistency, convention_summary, conventions_with_totals
from tests.factories import (
    ActionFactory,
    ConventionFactory,
    FundingLineFactory,
    OrganisationFactory,
    PaymentFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def lyon(cnsa):
    metropole = OrganisationFactory(name="Métropole de Lyon", kind="metropole")
    convention = ConventionFactory(
        funder=cnsa,
        beneficiary=metropole,
        start_date=datetime.date(2016, 1, 1),
        end_date=datetime.date(2017, 12, 31),
        total_cost=Decimal("801500.00"),
        cnsa_amount=Decimal("427750.00"),
    )
    action = ActionFactory(axis__convention=convention)
    for year, cnsa_part, own_part in [
        (2016, "213875.00", "186875.00"),
        (2017, "213875.00", "186875.00"),
    ]:
        FundingLineFactory(action=action, funder=cnsa, year=year, amount=Decimal(cnsa_part))
        FundingLineFactory(action=action, funder=metropole, year=year, amount=Decimal(own_part))
    return convention


def test_the_lyon_summary_holds_to_the_cent(lyon):
    summary = convention_summary(convention=lyon)

    assert (summary.planned, summary.cnsa_planned, summary.cnsa_rate) == (
        Decimal("801500.00"),
        Decimal("427750.00"),
        Decimal("53.37"),
    )


def test_a_balanced_convention_has_no_problem(lyon):
    assert convention_consistency(convention=lyon) == []


def test_it_reports_every_imbalance_with_its_amount_and_place(lyon, cnsa):
    line = lyon.axes.get().actions.get().funding_lines.get(funder=cnsa, year=2017)
    line.amount = Decimal("213000.00")
    line.save()
    action = ActionFactory(axis=lyon.axes.get(), code="9.9")
    FundingLineFactory(action=action, funder=cnsa, year=2018, amount=Decimal("100.00"))
    Convention.objects.filter(pk=lyon.pk).update(rate_cap=Decimal("50.00"))
    lyon.refresh_from_db()
    PaymentFactory(convention=lyon, amount=Decimal("427750.00"), paid_on=datetime.date(2016, 9, 1))
    PaymentFactory(
        convention=lyon, kind="balance", amount=Decimal("1.00"), paid_on=datetime.date(2018, 3, 1)
    )

    problems = {p.code: p for p in convention_consistency(convention=lyon)}

    assert problems["plan_total_mismatch"].amount == Decimal("-775.00")
    assert problems["plan_cnsa_mismatch"].amount == Decimal("-775.00")
    assert problems["line_outside_period"].place == "Action 9.9 — CNSA — 2018"
    assert problems["line_outside_period"].amount == Decimal("100.00")
    assert problems["rate_above_cap"].amount == Decimal("27000.00")
    assert problems["rate_above_cap"].severity == "warning"
    assert problems["payments_above_cnsa"].amount == Decimal("1.00")
    assert problems["balance_before_final_report"].amount == Decimal("1.00")
    assert "plan_total_mismatch" in problems and len(problems) == 6


def test_an_action_outside_the_period_is_reported(lyon):
    ActionFactory(axis=lyon.axes.get(), code="7.1", end_date=datetime.date(2018, 6, 30))

    problems = convention_consistency(convention=lyon)

    assert [(p.code, p.place) for p in problems] == [("action_outside_period", "Action 7.1")]


def test_totals_on_a_list_cost_one_query_whatever_the_rows(cnsa, django_assert_num_queries):
    for _ in range(3):
        FundingLineFactory(action=ActionFactory(axis__convention=ConventionFactory(funder=cnsa)))

    with django_assert_num_queries(1):
        rows = list(conventions_with_totals(Convention.objects.all()))

    assert [row.planned for row in rows] == [Decimal("1000.00")] * 3
