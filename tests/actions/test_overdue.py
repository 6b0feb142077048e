"""Late reports read from the kept dates agree with the per-action rule of the calendar."""

from __future__ import annotations

import datetime

import pytest

from actions.models import Action
from actions.overdue import late_actions
from actions.selectors import action_rows
from tests.factories import ActionFactory, AxisFactory, ConventionFactory, ProgressReportFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "today", [datetime.date(2020, 7, 1), datetime.date(2022, 1, 10), datetime.date(2030, 1, 1)]
)
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
    ActionFactory(axis=axis, code="1.4", status=Action.Status.CANCELLED)
    actions = Action.objects.filter(axis=axis)

    late, count = late_actions(actions=actions, today=today, limit=10)

    rows = action_rows(actions=list(actions.select_related("axis__convention")), today=today)
    expected = [r.action.code for r in rows if r.overdue]
    assert sorted(a.code for a in late) == sorted(expected)
    assert count == len(expected)
    assert "1.4" not in expected
    if today == datetime.date(2020, 7, 1):
        assert "1.2" in expected and "1.3" not in expected


def test_the_longest_late_come_first_and_the_count_is_all_of_them():
    axis = AxisFactory(convention=ConventionFactory())
    early = ActionFactory(axis=axis, code="1.1")
    ProgressReportFactory(action=early, status="submitted")  # 2019 done: owes 2020 onwards
    ActionFactory(axis=axis, code="1.2")  # owes 2019 onwards
    ActionFactory(axis=axis, code="1.3")

    late, count = late_actions(
        actions=Action.objects.filter(axis=axis), today=datetime.date(2030, 1, 1), limit=2
    )

    assert [a.code for a in late] == ["1.2", "1.3"]
    assert count == 3


def test_nothing_is_late_before_the_first_deadline():
    ActionFactory()

    assert late_actions(actions=Action.objects.all(), today=datetime.date(2020, 6, 1), limit=5) == (
        [],
        0,
    )
