"""Each action's earliest open deadline is kept exact by every write that can move it."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from actions.models import Action, ActionDue, ProgressReport, ReportDeadline
from actions.services import action_delete, action_save
from actions.services_calendar import report_deadline_reschedule, reporting_calendar_sync
from actions.services_due import due_differences, rebuild_due
from tests.factories import ActionFactory, AxisFactory, ConventionFactory, ProgressReportFactory

pytestmark = pytest.mark.django_db

D = datetime.date


def kept(action: Action) -> datetime.date | None:
    return ActionDue.objects.get(action=action).first_open_due_on


@pytest.fixture
def action(convention):
    """Runs 2019-2022 under the default calendar: a yearly report due each 30 June, the final one
    six months after the convention's end."""
    return ActionFactory(axis=AxisFactory(convention=convention))


def test_a_new_action_owes_its_first_years_report(action):
    assert kept(action) == D(2020, 6, 30)
    assert not due_differences()


def test_a_transmitted_report_moves_the_date_a_draft_or_a_deletion_moves_it_back(action):
    report = ProgressReportFactory(action=action, status="draft")
    assert kept(action) == D(2020, 6, 30)

    report.status = ProgressReport.Status.SUBMITTED
    report.save()
    assert kept(action) == D(2021, 6, 30)

    report.delete()
    assert kept(action) == D(2020, 6, 30)


def test_every_year_covered_leaves_nothing_open(action):
    ProgressReportFactory(
        action=action, status="approved", period_start=D(2019, 1, 1), period_end=D(2022, 12, 31)
    )
    assert kept(action) is None


def test_a_cancelled_action_owes_nothing_and_new_dates_move_the_date(action):
    action.start_date = D(2021, 1, 1)
    action_save(action=action, by=None)
    assert kept(action) == D(2022, 6, 30)

    action.status = Action.Status.CANCELLED
    action_save(action=action, by=None)
    assert kept(action) is None


def test_a_rescheduled_deadline_moves_every_action_of_the_convention(action, officer):
    other = ActionFactory(axis=action.axis, code="1.2")
    reporting_calendar_sync(convention=action.axis.convention)
    first = ReportDeadline.objects.filter(convention=action.axis.convention).order_by("due_on")[0]

    report_deadline_reschedule(deadline=first, due_on=D(2020, 9, 15), by=officer)

    assert kept(action) == kept(other) == D(2020, 9, 15)
    assert not due_differences()


def test_a_deleted_deadline_leaves_the_next_one_owed(action):
    reporting_calendar_sync(convention=action.axis.convention)
    first = ReportDeadline.objects.filter(convention=action.axis.convention).order_by("due_on")[0]

    first.delete()

    assert kept(action) == D(2021, 6, 30)
    assert not due_differences()


def test_the_default_calendar_follows_the_conventions_dates(action):
    convention = action.axis.convention
    convention.start_date = action.start_date = D(2020, 3, 1)
    action.save()
    convention.save()

    assert kept(action) == D(2021, 6, 30)
    assert not due_differences()


def test_an_action_moved_to_another_convention_follows_its_calendar(action):
    later = ConventionFactory(
        reference="CONV-2021", start_date=D(2021, 1, 1), end_date=D(2023, 12, 31)
    )
    action.axis = AxisFactory(convention=later)
    action.start_date, action.end_date = D(2021, 1, 1), D(2023, 12, 31)
    action.save()

    assert kept(action) == D(2022, 6, 30)


def test_a_deleted_action_takes_its_row_with_it(action):
    action_delete(action=action, by=None)

    assert not ActionDue.objects.exists()


def test_rebuild_fills_what_bulk_writes_skipped_and_the_check_finds_a_tampered_row(convention):
    axis = AxisFactory(convention=convention)
    bulk = Action.objects.bulk_create(
        [
            Action(
                axis=axis,
                code=f"1.{n}",
                title=f"Action {n}",
                lead_organisation=convention.beneficiary,
                start_date=D(2019, 1, 1),
                end_date=D(2022, 12, 31),
            )
            for n in range(1, 4)
        ]
    )
    assert len(due_differences()) == 3

    assert rebuild_due() == 3
    assert not due_differences()

    ActionDue.objects.filter(action=bulk[0]).update(first_open_due_on=D(2030, 1, 1))
    (difference,) = due_differences()
    assert difference.action_id == bulk[0].pk and difference.expected == D(2020, 6, 30)
    with pytest.raises(CommandError, match="1 échéance"):
        call_command("rebuild_due", "--check")
    call_command("rebuild_due")
    call_command("rebuild_due", "--check")


def test_refreshing_a_convention_costs_the_same_queries_at_any_size(
    convention, django_assert_max_num_queries
):
    axis = AxisFactory(convention=convention)
    for n in range(30):
        ActionFactory(axis=axis, code=f"1.{n}")
    first = ActionFactory(axis=axis, code="2.1")

    from actions.services_due import refresh_convention_due

    with django_assert_max_num_queries(6):
        refresh_convention_due(convention.pk)
    assert kept(first) == D(2020, 6, 30)
