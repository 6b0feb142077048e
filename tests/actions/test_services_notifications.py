"""Preferences honoured: immediate, daily digest or none, per kind; the digest holds exactly the
day's events of the kinds chosen for it, and is sent once."""

from __future__ import annotations

import datetime

import pytest

from actions.models import Notification
from actions.services import message_post, progress_report_submit
from actions.services_notifications import digests_send, notification_preferences_set
from tests.actions.clock import Clock
from tests.factories import ProgressReportFactory

pytestmark = pytest.mark.django_db
MONDAY, TUESDAY = datetime.date(2020, 3, 2), datetime.date(2020, 3, 3)


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch, MONDAY)


def _commit(capture, call):
    with capture(execute=True):
        call()


def test_the_digest_holds_exactly_the_days_events_of_the_kinds_chosen(
    world, clock, mailoutbox, django_capture_on_commit_callbacks
):
    notification_preferences_set(
        user=world.officer, choices={"message": "digest", "submission": "immediate"}
    )
    capture = django_capture_on_commit_callbacks
    clock.set(MONDAY, 9)
    _commit(
        capture, lambda: message_post(action=world.action69, by=world.contributor69, body="Lundi 1")
    )
    clock.set(MONDAY, 15)
    _commit(
        capture, lambda: message_post(action=world.action13, by=world.contributor13, body="Lundi 2")
    )
    report = ProgressReportFactory(action=world.action69, narrative="Fait.")
    _commit(capture, lambda: progress_report_submit(report=report, by=world.contributor69))
    clock.set(TUESDAY, 9)
    _commit(
        capture, lambda: message_post(action=world.action69, by=world.contributor69, body="Mardi")
    )
    immediate = [m.subject for m in mailoutbox]

    clock.set(TUESDAY, 7)
    assert digests_send(day=MONDAY) == 1
    assert digests_send(day=MONDAY) == 0  # the beat ran twice: nothing more

    assert immediate == ["Compte rendu à relire : action 3.1 (2019)"]
    digest = mailoutbox[-1]
    assert digest.to == ["officer@cnsa.example"]
    assert digest.subject == "Récapitulatif du 02/03/2020 : 2 notifications"
    assert "Lundi 1" in digest.body and "Lundi 2" in digest.body
    assert "Mardi" not in digest.body and "Compte rendu à relire" not in digest.body
    tuesday = Notification.objects.get(recipient=world.officer, body__contains="Mardi")
    assert (tuesday.mail_state, tuesday.day) == ("pending", TUESDAY)


def test_none_means_no_email_but_the_notification_is_listed(
    world, clock, mailoutbox, django_capture_on_commit_callbacks
):
    notification_preferences_set(user=world.contributor69, choices={"message": "none"})

    with django_capture_on_commit_callbacks(execute=True):
        message_post(action=world.action69, by=world.officer, body="Bonjour")
    digests_send(day=MONDAY)

    assert mailoutbox == []
    row = Notification.objects.get(recipient=world.contributor69)
    assert (row.kind, row.mail_state, row.read_at) == ("message", "skipped", None)


def test_an_unknown_choice_is_refused(world):
    with pytest.raises(ValueError):
        notification_preferences_set(user=world.officer, choices={"message": "weekly"})
