"""Late reports decided by the database agree with the per-action rule."""

from __future__ import annotations

import datetime

import pytest

from actions.models import Action
from actions.overdue import last_due_year, late_actions
from actions.selectors import action_rows
from tests.factories import ActionFactory, AxisFactory, ConventionFactory, ProgressReportFactory

pytestmark = pytest.mark.django_db


def test_a_years_report_is_late_after_30_june_of_the_next_year():
    assert last_due_year(datetime.date(2021, 6, 30)) == 2019
    assert last_due_year(datetime.date(2021, 7, 1)) == 2020


@pytest.mark.parametrize("today", [datetime.date(2020, 7, 1), datetime.date(2022, 1, 10)])
def test_it_finds_the_same_late_actions_as_the_per_action_rule(today):
    axis = AxisFactory(convention=ConventionFactory())
    covered = ActionFactory(axis=axis, code="1.1")
    ProgressReportFactory(action=covered, status="approved")  # 2019
    ProgressReportFactory(
        action=covered,
        status="submitted",
        period_start=datetime.date(2020, 1, 1),
        period_end=datetime.date(2020, 12, 31),
    )
    draft_only = ActionFactory(axis=axis, code="1.2")
    ProgressReportFactory(action=draft_only, status="draft")
    ends_early = ActionFactory(
        axis=axis,
        code="1.3",
        start_date=datetime.date(2019, 1, 1),
        end_date=datetime.date(2019, 5, 31),
    )
    ProgressReportFactory(
        action=ends_early, status="approved", period_end=datetime.date(2019, 5, 31)
    )
    actions = Action.objects.filter(axis=axis)

    late, count = late_actions(actions=actions, today=today, first_year=2019, limit=10)

    expected = [r.action.code for r in action_rows(actions=list(actions), today=today) if r.overdue]
    assert sorted(a.code for a in late) == sorted(expected)
    assert count == len(expected)
    assert "1.2" in expected and "1.3" not in expected


def test_nothing_is_late_before_the_first_deadline():
    ActionFactory()

    assert late_actions(
        actions=Action.objects.all(), today=datetime.date(2020, 6, 1), first_year=2019, limit=5
    ) == ([], 0)
