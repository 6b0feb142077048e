"""A report's axes and actions: indicator values period by period, spending against the plan,
the latest approved narrative, the late reports, all in a number of queries that does not grow."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from actions.models import IndicatorValue, ProgressReport
from conventions.models import Convention
from reporting.content import PeriodValue
from reporting.selectors_actions import action_content
from reporting.wording import CLOSED_ACTION
from tests.factories import (
    ActionFactory,
    OrganisationFactory,
    ProgressReportFactory,
    SpendingFactory,
)
from tests.reporting.builders import generated_convention

pytestmark = pytest.mark.django_db

END_2016 = datetime.date(2016, 12, 31)
END_2017 = datetime.date(2017, 12, 31)
TODAY = datetime.date(2026, 1, 1)


def _block(convention, code, period_end=END_2017, today=TODAY):
    axes, _ = action_content(convention, period_end, today)
    return next(a for axis in axes for a in axis.actions if a.code == code)


def _later_report(convention, code, status, *, value, spent, narrative, start, end):
    action = convention.axes.get(number=int(code.split(".")[0])).actions.get(code=code)
    report = ProgressReportFactory(
        action=action, period_start=start, period_end=end, status=status, narrative=narrative
    )
    IndicatorValue.objects.create(
        report=report, indicator=action.indicators.get(), value=Decimal(value)
    )
    SpendingFactory(report=report, funder=convention.funder, amount=Decimal(spent))
    return report


@pytest.fixture
def lyon_2017(lyon):
    """Action 1.1 has an approved first half of 2017 and a second half still only transmitted."""
    _later_report(
        lyon,
        "1.1",
        ProgressReport.Status.APPROVED,
        value="6",
        spent="5000.00",
        narrative="Premier semestre 2017 : six services accompagnés.",
        start=datetime.date(2017, 1, 1),
        end=datetime.date(2017, 6, 30),
    )
    _later_report(
        lyon,
        "1.1",
        ProgressReport.Status.SUBMITTED,
        value="99",
        spent="99999.00",
        narrative="Second semestre, pas encore approuvé.",
        start=datetime.date(2017, 7, 1),
        end=datetime.date(2017, 12, 31),
    )
    return lyon


def test_each_indicator_lists_its_approved_values_period_by_period(lyon_2017):
    (indicator,) = _block(lyon_2017, "1.1").indicators

    assert (indicator.label, indicator.target) == ("Services accompagnés", Decimal("6"))
    assert indicator.values == [
        PeriodValue("2016", Decimal("4")),
        PeriodValue("01/01/2017 – 30/06/2017", Decimal("6")),
    ]


def test_values_approved_after_the_period_are_left_out(lyon_2017):
    (indicator,) = _block(lyon_2017, "1.1", period_end=END_2016).indicators

    assert indicator.values == [PeriodValue("2016", Decimal("4"))]


def test_spending_is_set_against_the_plan_from_approved_reports_of_the_period(lyon_2017):
    whole = _block(lyon_2017, "1.1")
    first_year = _block(lyon_2017, "1.1", period_end=END_2016)

    # Plan: 2 years × (40 000 CNSA + 35 000 Métropole); the transmitted 99 999 never counts.
    assert (whole.planned, whole.cnsa_planned) == (Decimal("150000.00"), Decimal("80000.00"))
    assert whole.spent == Decimal("15000.00")
    assert first_year.spent == Decimal("10000.00")
    assert first_year.planned == Decimal("150000.00")


def test_spending_from_every_funder_counts(lyon):
    report = ProgressReport.objects.get(action__code="2.1")
    SpendingFactory(report=report, funder=lyon.beneficiary, amount=Decimal("2500.00"))

    assert _block(lyon, "2.1").spent == Decimal("12500.00")


def test_the_narrative_is_the_latest_approved_one_of_the_period(lyon_2017):
    assert _block(lyon_2017, "1.1").narrative.text == (
        "Premier semestre 2017 : six services accompagnés."
    )
    earlier = _block(lyon_2017, "1.1", period_end=END_2016).narrative
    assert earlier.text == "Axe 1 : les actions prévues en 2016 ont été conduites."
    assert (earlier.period_start, earlier.period_end) == (datetime.date(2016, 1, 1), END_2016)


def test_an_approved_report_without_text_keeps_the_previous_narrative(lyon):
    _later_report(
        lyon,
        "2.1",
        ProgressReport.Status.APPROVED,
        value="5",
        spent="1.00",
        narrative="",
        start=datetime.date(2017, 1, 1),
        end=datetime.date(2017, 12, 31),
    )

    assert _block(lyon, "2.1").narrative.text.startswith("Axe 2 :")


def test_an_action_without_funding_or_reports_shows_zeros_and_no_narrative(lyon):
    ActionFactory(axis=lyon.axes.get(number=3), code="3.2", title="Action sans suivi")

    block = _block(lyon, "3.2")

    assert (block.planned, block.cnsa_planned, block.spent) == (0, 0, 0)
    assert (block.indicators, block.narrative) == ([], None)


def test_actions_follow_their_codes_as_numbers(lyon):
    axis = lyon.axes.get(number=1)
    for code in ("1.10", "1.9", "1.2"):
        ActionFactory(axis=axis, code=code)

    axes, _ = action_content(lyon, END_2017, TODAY)

    assert [a.code for a in axes[0].actions] == ["1.1", "1.2", "1.9", "1.10"]
    assert [axis.number for axis in axes] == [1, 2, 3, 4, 5, 6]


def test_a_closed_conventions_unfinished_actions_read_closed(lyon):
    Convention.objects.filter(pk=lyon.pk).update(status=Convention.Status.CLOSED)
    lyon.refresh_from_db()

    assert _block(lyon, "1.1").status == CLOSED_ACTION


def test_the_late_final_reports_are_listed_once_the_deadline_has_passed(lyon):
    union = OrganisationFactory(name="Union départementale du Rhône", kind="departmental_union")
    lyon.axes.get(number=6).actions.update(lead_organisation=union)

    _, late = action_content(lyon, END_2017, TODAY)
    _, not_yet = action_content(lyon, END_2017, datetime.date(2017, 3, 1))

    assert [row.code for row in late] == ["1.1", "2.1", "3.1", "4.1", "5.1", "6.1"]
    assert late[0].label == "Bilan final en retard depuis le 30/06/2018"
    assert late[-1].lead == "Union départementale du Rhône"
    assert not_yet == []


def test_an_action_whose_final_report_is_transmitted_is_not_late(lyon):
    action = lyon.axes.get(number=4).actions.get()
    ProgressReportFactory(
        action=action,
        period_start=datetime.date(2017, 1, 1),
        period_end=END_2017,
        status=ProgressReport.Status.SUBMITTED,
    )

    _, late = action_content(lyon, END_2017, TODAY)

    assert "4.1" not in [row.code for row in late]
    assert len(late) == 5


def _queries(convention) -> int:
    with CaptureQueriesContext(connection) as captured:
        action_content(convention, convention.end_date, TODAY)
    return len(captured)


def test_the_number_of_queries_does_not_grow_with_the_actions(cnsa):
    small = generated_convention(cnsa, actions=3, reference="CNSA-PETITE")
    large = generated_convention(cnsa, actions=30, reference="CNSA-GRANDE")

    assert _queries(small) == _queries(large)
