"""What each action owes under its convention's calendar: due, due soon, overdue, done."""

from datetime import date

import pytest

from actions.selectors_calendar import State, calendars, convention_calendar, deadline_state
from actions.services_calendar import report_deadline_reschedule, reporting_calendar_sync
from conventions.access import scope_for
from tests.factories import ActionFactory, ProgressReportFactory

pytestmark = pytest.mark.django_db


def _state(world, today, kind="annual", year=2019):
    deadline = next(
        d
        for d in calendars(conventions=[world.convention])[world.convention.pk]
        if d.kind == kind and d.period_end.year == year
    )
    reports = list(world.action69.progress_reports.values("status", "period_start", "period_end"))
    return deadline_state(world.action69, deadline, reports, today)


@pytest.mark.parametrize(
    ("today", "state"),
    [
        (date(2019, 10, 1), State.UPCOMING),
        (date(2020, 1, 15), State.DUE),
        (date(2020, 5, 31), State.DUE_SOON),
        (date(2020, 6, 30), State.DUE_SOON),
        (date(2020, 7, 1), State.OVERDUE),
    ],
)
def test_the_state_follows_the_clock(world, today, state):
    assert _state(world, today) == state


def test_a_transmitted_report_covering_the_year_end_settles_it(world):
    ProgressReportFactory(
        action=world.action69,
        status="submitted",
        period_start=date(2019, 7, 1),
        period_end=date(2019, 12, 31),
    )

    assert _state(world, date(2021, 1, 1)) == State.DONE


def test_a_draft_does_not_settle_it(world):
    ProgressReportFactory(action=world.action69, status="draft")

    assert _state(world, date(2021, 1, 1)) == State.OVERDUE


def test_the_stored_calendar_wins_over_the_defaults(world, django_user_model):
    reporting_calendar_sync(convention=world.convention)
    deadline = world.convention.report_deadlines.get(kind="annual", period_end=date(2019, 12, 31))
    report_deadline_reschedule(deadline=deadline, due_on=date(2020, 10, 31), by=world.officer)

    assert _state(world, date(2020, 7, 1)) == State.DUE


def test_the_final_report_is_owed_by_an_action_ended_early(world):
    world.action69.end_date = date(2020, 6, 30)
    world.action69.save()
    ProgressReportFactory(
        action=world.action69,
        status="approved",
        period_start=date(2020, 1, 1),
        period_end=date(2020, 6, 30),
    )

    assert _state(world, date(2024, 1, 1), kind="final", year=2022) == State.DONE
    assert _state(world, date(2024, 1, 1), kind="annual", year=2021) == State.DONE  # not owed


def test_the_convention_calendar_names_the_late_actions(world):
    ProgressReportFactory(action=world.action69, status="approved")

    calendar = convention_calendar(
        convention=world.convention, today=date(2020, 7, 2), user=world.officer
    )

    first = calendar.rows[0]
    assert (first.deadline.title, first.done, len(first.owing), first.state) == (
        "Compte rendu 2019",
        1,
        2,
        State.OVERDUE,
    )
    assert [a.code for a in first.late] == ["3.2"]
    assert calendar.overdue == 1
    assert calendar.next_due is None or calendar.next_due.deadline.due_on > date(2020, 7, 2)


@pytest.mark.parametrize("extra", [1, 10])
def test_the_convention_calendar_costs_three_queries(world, extra, django_assert_num_queries):
    for index in range(extra):
        action = ActionFactory(axis=world.axis, lead_organisation=world.ud69, code=f"8.{index}")
        ProgressReportFactory(action=action, status="submitted")
    convention = type(world.convention).objects.get(pk=world.convention.pk)
    scope_for(world.officer)  # the person's scope, read once per request by the page

    with django_assert_num_queries(3):
        calendar = convention_calendar(
            convention=convention, today=date(2021, 1, 1), user=world.officer
        )

    assert len(calendar.rows[0].owing) == extra + 2
