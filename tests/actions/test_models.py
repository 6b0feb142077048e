"""Actions, progress reports, indicator values, spending: every database constraint refuses its
change in French, through Django and past it."""

import datetime
from decimal import Decimal

import pytest

from actions.models import (
    Message,
    Notification,
    NotificationDigest,
    NotificationPreference,
    ReportDeadline,
    ReportingTerms,
    ReportReopening,
    Thread,
    ThreadRead,
)
from tests.constraints import Case, check_refused, constraint_names
from tests.factories import (
    ActionFactory,
    ConventionFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    OrganisationFactory,
    ProgressReportFactory,
    SpendingFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _code_taken():
    first = ActionFactory(code="1.1")
    return ActionFactory(axis=first.axis, code="1.2"), {"code": "1.1"}


def _period_taken():
    first = ProgressReportFactory()
    second = ProgressReportFactory(
        action=first.action,
        period_start=datetime.date(2020, 1, 1),
        period_end=datetime.date(2020, 12, 31),
    )
    return second, {"period_start": first.period_start, "period_end": first.period_end}


def _value_twice():
    first = IndicatorValueFactory()
    other = IndicatorFactory(action=first.report.action)
    second = IndicatorValueFactory(report=first.report, indicator=other)
    return second, {"indicator": first.indicator}


def _spending_twice():
    first = SpendingFactory(funder=OrganisationFactory())
    second = SpendingFactory(report=first.report, funder=None)
    return second, {"funder": first.funder}


def _deadline(**changes):
    convention = ConventionFactory()
    deadline = ReportDeadline.objects.create(
        convention=convention,
        kind="annual",
        period_start=datetime.date(2019, 1, 1),
        period_end=datetime.date(2019, 12, 31),
        due_on=datetime.date(2020, 6, 30),
    )
    return deadline, changes


def _deadline_twice():
    first, _ = _deadline()
    second = ReportDeadline.objects.create(
        convention=first.convention,
        kind="annual",
        period_start=datetime.date(2020, 1, 1),
        period_end=datetime.date(2020, 12, 31),
        due_on=datetime.date(2021, 6, 30),
    )
    return second, {"period_start": first.period_start, "period_end": first.period_end}


def _terms(**changes):
    return ReportingTerms.objects.create(convention=ConventionFactory()), changes


def _notification_twice():
    user = UserFactory()
    fields = {"recipient": user, "kind": "reminder", "subject": "Rappel", "body": "."}
    fields |= {"delivery": "immediate", "day": datetime.date(2020, 6, 1)}
    Notification.objects.create(dedup_key="reminder:1:1:j0", **fields)
    return Notification.objects.create(dedup_key="autre", **fields), {
        "dedup_key": "reminder:1:1:j0"
    }


def _digest_twice():
    first = NotificationDigest.objects.create(
        recipient=UserFactory(), day=datetime.date(2020, 6, 1)
    )
    second = NotificationDigest.objects.create(
        recipient=first.recipient, day=datetime.date(2020, 6, 2)
    )
    return second, {"day": first.day}


def _preference_twice():
    user = UserFactory()
    NotificationPreference.objects.create(user=user, kind="message", delivery="digest")
    other = NotificationPreference.objects.create(user=user, kind="reminder", delivery="none")
    return other, {"kind": "message"}


def _message(**changes):
    thread = Thread.objects.create(action=ActionFactory())
    return Message.objects.create(thread=thread, body="Bonjour"), changes


def _second_action_thread():
    first = Thread.objects.create(action=ActionFactory())
    report = ProgressReportFactory(action=first.action)
    return Thread.objects.create(action=first.action, report=report), {"report": None}


def _read_twice():
    first = ThreadRead.objects.create(user=UserFactory(), thread=_message()[0].thread)
    other = ThreadRead.objects.create(user=UserFactory(), thread=first.thread)
    return other, {"user": first.user}


def _reopening(**changes):
    reopening = ReportReopening.objects.create(
        report=ProgressReportFactory(), reason="Erreur.", figures_before={}
    )
    return reopening, changes


CASES = [
    Case("thread_one_per_action", _second_action_thread),
    Case("message_internal_is_a_note", lambda: _message(internal=True, event="return")),
    Case("message_body_not_blank", lambda: _message(body="")),
    Case("thread_read_unique", _read_twice),
    Case("report_reopening_reason_required", lambda: _reopening(reason="")),
    Case("notification_once_per_event", _notification_twice),
    Case("notification_digest_once_a_day", _digest_twice),
    Case("notification_preference_unique", _preference_twice),
    Case(
        "report_deadline_period_ordered", lambda: _deadline(period_start=datetime.date(2020, 1, 1))
    ),
    Case("report_deadline_after_period", lambda: _deadline(due_on=datetime.date(2019, 12, 30))),
    Case("report_deadline_unique_active", _deadline_twice),
    Case("reporting_terms_annual_delay_range", lambda: _terms(annual_delay_months=25)),
    Case("reporting_terms_final_delay_range", lambda: _terms(final_delay_months=0)),
    Case("action_code_unique_in_axis", _code_taken),
    Case(
        "action_period_ordered",
        lambda: (ActionFactory(), {"end_date": datetime.date(2000, 1, 1)}),
    ),
    Case("progress_report_unique_period", _period_taken),
    Case(
        "progress_report_period_ordered",
        lambda: (ProgressReportFactory(), {"period_end": datetime.date(2018, 12, 31)}),
    ),
    Case("indicator_value_unique", _value_twice),
    Case("spending_amount_gte_0", lambda: (SpendingFactory(), {"amount": Decimal("-0.01")})),
    Case("spending_unique_funder", _spending_twice),
]


def test_every_constraint_of_the_app_has_its_case():
    assert constraint_names("actions") == {case.name for case in CASES}


@pytest.mark.parametrize("case", CASES, ids=str)
def test_the_constraint_refuses_its_change(case):
    check_refused(case)
