"""Reads on actions and progress reports: periods, visibility, achievement, review queue."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext

from actions import selectors
from actions.models import ProgressReport
from tests.factories import (
    ActionFactory,
    FundingLineFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    OrganisationFactory,
    ProgressReportFactory,
    SpendingFactory,
)

pytestmark = pytest.mark.django_db

Status = ProgressReport.Status


def test_report_periods_are_years_and_half_years_clipped_to_the_action(world):
    action = ActionFactory(
        axis=world.axis,
        start_date=datetime.date(2021, 9, 1),
        end_date=datetime.date(2022, 3, 31),
    )
    periods = selectors.report_periods(action=action)
    # 2019 and 2020 do not overlap the action; the second half of 2022 neither.
    assert [p.key for p in periods] == ["2021", "2021-S2", "2022", "2022-S1"]
    first = periods[0]
    assert (first.label, first.start, first.end) == (
        "Année 2021",
        datetime.date(2021, 1, 1),
        datetime.date(2021, 12, 31),
    )


def test_report_periods_stop_at_the_convention_bounds(world):
    convention = world.convention
    convention.start_date = datetime.date(2019, 4, 1)
    convention.save(update_fields=["start_date"])
    periods = selectors.report_periods(action=world.action69)
    assert periods[0].start == datetime.date(2019, 4, 1)  # not 1 January
    assert periods[1].key == "2019-S1" and periods[1].start == datetime.date(2019, 4, 1)


def test_a_year_is_due_six_months_after_its_end_and_late_the_day_after(world):
    action = world.action69
    (row,) = selectors.action_rows(actions=[action], today=datetime.date(2020, 6, 30))
    assert [(d.year, d.overdue) for d in row.due] == [(2019, False)]
    assert row.due[0].label == "Compte rendu 2019 à transmettre avant le 30/06/2020"
    (row,) = selectors.action_rows(actions=[action], today=datetime.date(2020, 7, 1))
    assert [d.year for d in row.overdue] == [2019]
    assert row.overdue[0].label == "Compte rendu 2019 en retard depuis le 30/06/2020"


def test_a_submitted_or_approved_report_covers_its_year_but_a_draft_does_not(world):
    action = world.action69
    today = datetime.date(2021, 8, 1)
    report = ProgressReportFactory(action=action, status=Status.DRAFT)
    (row,) = selectors.action_rows(actions=[action], today=today)
    assert [d.year for d in row.due] == [2019, 2020]
    assert row.latest is not None and row.latest["pk"] == report.pk
    report.status = Status.SUBMITTED
    report.save()
    (row,) = selectors.action_rows(actions=[action], today=today)
    assert [d.year for d in row.due] == [2020]


def test_action_rows_read_reports_and_calendars_in_two_queries_whatever_the_number_of_actions(
    world,
):
    actions = [world.action69, world.action13]
    for action in actions:
        ProgressReportFactory(action=action)
    with CaptureQueriesContext(connection) as small:
        selectors.action_rows(actions=actions, today=datetime.date(2023, 1, 1))
    more = actions + [ActionFactory(axis=world.axis) for _ in range(5)]
    with CaptureQueriesContext(connection) as large:
        rows = selectors.action_rows(actions=more, today=datetime.date(2023, 1, 1))
    assert len(small) == len(large) == 2
    assert len(rows) == 7


def test_each_union_sees_only_the_actions_it_leads(world):
    assert list(selectors.actions_for(user=world.contributor69)) == [world.action69]
    assert list(selectors.actions_for(user=world.contributor13)) == [world.action13]
    assert set(selectors.actions_for(user=world.officer)) == {world.action69, world.action13}
    assert list(selectors.actions_for(user=AnonymousUser())) == []


def test_achieved_is_the_latest_approved_value_and_the_rate_counts_from_the_baseline(world):
    indicator = world.indicator69
    indicator.baseline = Decimal("2.00")
    indicator.save(update_fields=["baseline"])
    early = ProgressReportFactory(action=world.action69, status=Status.APPROVED)
    IndicatorValueFactory(report=early, indicator=indicator, value=Decimal("5.00"))
    late = ProgressReportFactory(
        action=world.action69,
        status=Status.APPROVED,
        period_start=datetime.date(2020, 1, 1),
        period_end=datetime.date(2020, 12, 31),
    )
    IndicatorValueFactory(report=late, indicator=indicator, value=Decimal("7.00"))
    pending = ProgressReportFactory(
        action=world.action69,
        status=Status.SUBMITTED,
        period_start=datetime.date(2021, 1, 1),
        period_end=datetime.date(2021, 12, 31),
    )
    IndicatorValueFactory(report=pending, indicator=indicator, value=Decimal("11.00"))
    (progress,) = selectors.indicators_progress(action_ids=[world.action69.pk])[world.action69.pk]
    assert progress.achieved == Decimal("7.00")  # not the submitted 11, not the older 5
    assert progress.rate == Decimal("50.00")  # (7 - 2) / (12 - 2)
    assert progress.bar_percent == 50


def test_an_indicator_without_approved_value_has_no_rate(world):
    (progress,) = selectors.indicators_progress(action_ids=[world.action13.pk])[world.action13.pk]
    assert progress.achieved is None and progress.rate is None and progress.bar_percent == 0


def test_action_page_sums_the_plan_and_only_approved_spending(world):
    other = OrganisationFactory(name="Conseil départemental du Rhône")
    FundingLineFactory(action=world.action69, funder=other, year=2020, amount=Decimal("2500.50"))
    approved = ProgressReportFactory(action=world.action69, status=Status.APPROVED)
    SpendingFactory(report=approved, funder=world.cnsa, amount=Decimal("1234.56"))
    draft = ProgressReportFactory(
        action=world.action69,
        period_start=datetime.date(2020, 1, 1),
        period_end=datetime.date(2020, 6, 30),
    )
    SpendingFactory(report=draft, funder=world.cnsa, amount=Decimal("999.99"))
    page = selectors.action_page(action=world.action69, today=datetime.date(2021, 1, 1))
    assert page.planned == Decimal("8500.50")
    assert page.cnsa_planned == Decimal("6000.00")
    assert page.spent == Decimal("1234.56")
    assert page.spent_rate == Decimal("14.52")
    # Periods already reported (2019, first half of 2020) are not offered again.
    free = [p.key for p in page.free_periods]
    assert "2019" not in free and "2020-S1" not in free and "2020" not in free
    assert "2020-S2" in free and "2021" in free


def test_the_review_queue_holds_submitted_reports_oldest_first_for_those_who_see_them(world):
    newer = ProgressReportFactory(action=world.action13, status=Status.SUBMITTED)
    older = ProgressReportFactory(action=world.action69, status=Status.SUBMITTED)
    ProgressReport.objects.filter(pk=older.pk).update(
        submitted_at=datetime.datetime(2020, 2, 1, tzinfo=datetime.UTC)
    )
    ProgressReport.objects.filter(pk=newer.pk).update(
        submitted_at=datetime.datetime(2020, 3, 1, tzinfo=datetime.UTC)
    )
    ProgressReportFactory(
        action=world.action69,
        status=Status.DRAFT,
        period_start=datetime.date(2020, 1, 1),
        period_end=datetime.date(2020, 12, 31),
    )
    assert list(selectors.review_queue(user=world.officer)) == [older, newer]
    assert list(selectors.review_queue(user=world.contributor69)) == [older]
    assert set(selectors.reports_for(user=world.contributor13)) == {newer}


def test_spending_can_be_attributed_to_the_plan_funders_cnsa_and_the_porteur(world):
    region = OrganisationFactory(name="Région Auvergne-Rhône-Alpes")
    FundingLineFactory(action=world.action69, funder=region, year=2020)
    FundingLineFactory(action=world.action69, funder=region, year=2021)  # listed once
    stranger = OrganisationFactory(name="Autre financeur")
    FundingLineFactory(action=world.action13, funder=stranger, year=2020)
    funders = selectors.spending_funders(action=world.action69)
    assert [f.name for f in funders] == sorted(
        ["Caisse nationale de solidarité pour l'autonomie", "UNCCAS", region.name]
    )


def test_report_page_lines_up_values_with_every_indicator(world):
    second = IndicatorFactory(action=world.action69, label="Participants", unit="personnes")
    report = ProgressReportFactory(action=world.action69)
    IndicatorValueFactory(report=report, indicator=world.indicator69, value=Decimal("3.00"))
    SpendingFactory(report=report, funder=world.cnsa, amount=Decimal("100.10"))
    SpendingFactory(report=report, funder=world.unccas, amount=Decimal("0.15"))
    page = selectors.report_page(report=report)
    values = {line.progress.indicator.pk: line.value for line in page.lines}
    assert values[world.indicator69.pk].value == Decimal("3.00")
    assert values[second.pk] is None
    assert page.total_spent == Decimal("100.25")
