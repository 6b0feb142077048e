"""Reminders: the right people, on the right days, never twice, none once the report is in."""

import datetime
from collections import Counter
from datetime import date

import pytest
from django.core.mail.message import EmailMultiAlternatives

from actions import services_notifications
from actions.models import Notification
from actions.services import progress_report_submit
from actions.services_calendar import reporting_calendar_sync
from actions.services_reminders import reminder_step, reminders_send
from tests.factories import ProgressReportFactory

pytestmark = pytest.mark.django_db
DUE_2019 = date(2020, 6, 30)


@pytest.mark.parametrize(
    ("today", "step"),
    [
        (date(2020, 5, 30), None),
        (date(2020, 5, 31), "j-30"),
        (date(2020, 6, 22), "j-30"),
        (date(2020, 6, 23), "j-7"),
        (date(2020, 6, 30), "j0"),
        (date(2020, 7, 6), "j0"),
        (date(2020, 7, 7), "j+7"),
        (date(2020, 7, 20), "j+14"),
    ],
)
def test_the_step_is_the_latest_reached(today, step):
    assert reminder_step(DUE_2019, today) == step


def _run(days, mailoutbox):
    """Run the daily job on each day; e-mails sent, per day and recipient."""
    sent = {}
    for day in days:
        before = len(mailoutbox)
        reminders_send(today=day)
        sent[day] = sorted(m.to[0] for m in mailoutbox[before:])
    return sent


def _days(start, end):
    return [start + datetime.timedelta(days=n) for n in range((end - start).days + 1)]


@pytest.fixture
def calendar(world):
    reporting_calendar_sync(convention=world.convention)
    ProgressReportFactory(action=world.action13, status="approved")  # 2019 is settled for 13


def test_the_union_leading_the_action_is_reminded_30_and_7_days_before_on_the_day_then_weekly(
    world, calendar, mailoutbox
):
    sent = _run(_days(date(2020, 5, 1), date(2020, 7, 31)), mailoutbox)

    union = "udccas69.contributeur@example.org"
    days_union = [day for day, to in sent.items() if union in to]
    assert days_union == [
        date(2020, 5, 31),
        date(2020, 6, 23),
        date(2020, 6, 30),
        date(2020, 7, 7),
        date(2020, 7, 14),
        date(2020, 7, 21),
        date(2020, 7, 28),
    ]
    everyone = Counter(to for recipients in sent.values() for to in recipients)
    assert "udccas13.contributeur@example.org" not in everyone  # its 2019 report is approved
    assert "udccas69.lecteur@example.org" not in everyone  # a reader leads nothing
    assert everyone["officer@cnsa.example"] == 7  # the officers' digest, on the same days
    assert max(Counter(sent[d]).most_common(1)[0][1] for d in days_union) == 1


def test_the_officers_digest_lists_who_was_reminded(world, calendar, mailoutbox):
    reminders_send(today=date(2020, 7, 7))

    digest = next(m for m in mailoutbox if m.to == ["officer@cnsa.example"])
    assert digest.subject == f"Rappels du 07/07/2020 : convention {world.convention.reference}"
    assert "Compte rendu 2019 de l'action 3.1" in digest.body
    assert "est en retard : il était attendu le 30/06/2020" in digest.body


def test_a_second_run_the_same_day_sends_nothing(world, calendar, mailoutbox):
    reminders_send(today=DUE_2019)
    first = len(mailoutbox)

    recorded = reminders_send(today=DUE_2019)

    assert first == 2 and recorded == 0
    assert len(mailoutbox) == first


class _DiesAfterSending(EmailMultiAlternatives):
    def send(self, fail_silently=False):
        super().send(fail_silently)
        raise SystemExit("worker killed")


def test_a_worker_killed_after_sending_never_sends_it_again(
    world, calendar, mailoutbox, monkeypatch
):
    real = services_notifications.notification_email

    def dying(**kwargs):
        message = real(**kwargs)
        message.__class__ = _DiesAfterSending
        return message

    monkeypatch.setattr(services_notifications, "notification_email", dying)
    with pytest.raises(SystemExit):
        reminders_send(today=DUE_2019)
    assert len(mailoutbox) == 1
    monkeypatch.setattr(services_notifications, "notification_email", real)

    reminders_send(today=DUE_2019)
    reminders_send(today=DUE_2019 + datetime.timedelta(days=1))

    assert len(mailoutbox) == 2  # the officer's digest, never sent before; the union's not again
    assert Notification.objects.filter(mail_state="sending").count() == 1


def test_a_worker_killed_before_sending_leaves_it_to_the_next_run(
    world, calendar, mailoutbox, monkeypatch
):
    def killed():
        raise SystemExit("worker killed")

    monkeypatch.setattr("actions.services_reminders.notifications_deliver_pending", killed)
    with pytest.raises(SystemExit):
        reminders_send(today=DUE_2019)
    monkeypatch.undo()

    reminders_send(today=DUE_2019)

    assert sorted(m.to[0] for m in mailoutbox) == [
        "officer@cnsa.example",
        "udccas69.contributeur@example.org",
    ]


def test_no_reminder_once_the_report_is_transmitted(world, calendar, mailoutbox):
    reminders_send(today=date(2020, 5, 31))
    report = ProgressReportFactory(action=world.action69, narrative="Fait.")
    progress_report_submit(report=report, by=world.contributor69)
    before = len(mailoutbox)

    sent = _run(_days(date(2020, 6, 1), date(2020, 8, 31)), mailoutbox)

    assert all("udccas69.contributeur@example.org" not in to for to in sent.values())
    assert [m.subject for m in mailoutbox[before:]] == ["Compte rendu à relire : action 3.1 (2019)"]


def test_a_digest_reminder_not_yet_sent_is_cancelled_by_the_submission(world, calendar):
    services_notifications.notification_preferences_set(
        user=world.contributor69, choices={"reminder": "digest"}
    )
    reminders_send(today=DUE_2019)
    report = ProgressReportFactory(action=world.action69, narrative="Fait.")

    progress_report_submit(report=report, by=world.contributor69)

    assert Notification.objects.get(recipient=world.contributor69).mail_state == "cancelled"


def test_a_closed_convention_is_never_reminded(world, calendar, mailoutbox):
    world.convention.status = "closed"
    world.convention.save()

    assert reminders_send(today=DUE_2019) == 0
    assert mailoutbox == []
