"""A year of a convention with the clock moved day by day: the beat's daily runs (reminders at
07:00, yesterday's digests, sometimes twice), a conversation, a return, an approval, a reopening.
The e-mails are counted per person and per day: each is expected, none is sent twice; then the
threads are read as each role."""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict

import pytest

from actions.models import Notification
from actions.selectors_threads import thread_view
from actions.services import (
    message_post,
    progress_report_approve,
    progress_report_reopen,
    progress_report_return,
    progress_report_submit,
)
from actions.services_calendar import reporting_calendar_sync
from actions.services_notifications import digests_send, notification_preferences_set
from actions.services_reminders import reminders_send
from tests.actions.clock import Clock
from tests.factories import ProgressReportFactory

pytestmark = pytest.mark.django_db
D = datetime.date
FIRST, LAST = D(2020, 1, 1), D(2020, 12, 31)
BEAT_TWICE = {D(2020, 5, 31), D(2020, 7, 7), D(2020, 9, 2)}


def _script(world, report):
    def fetch():
        report.refresh_from_db()
        return report

    return {
        D(2020, 3, 2): [
            (10, lambda: message_post(action=world.action69, by=world.contributor69, body="Q1")),
            (15, lambda: message_post(action=world.action69, by=world.officer, body="R1")),
        ],
        D(2020, 3, 3): [
            (
                10,
                lambda: message_post(
                    action=world.action69, by=world.officer, body="Interne", internal=True
                ),
            )
        ],
        D(2020, 6, 15): [
            (10, lambda: progress_report_submit(report=fetch(), by=world.contributor69))
        ],
        D(2020, 6, 20): [
            (
                10,
                lambda: progress_report_return(
                    report=fetch(), by=world.officer, comment="Budget ?"
                ),
            )
        ],
        D(2020, 6, 25): [
            (10, lambda: progress_report_submit(report=fetch(), by=world.contributor69))
        ],
        D(2020, 7, 1): [(10, lambda: progress_report_approve(report=fetch(), by=world.officer))],
        D(2020, 9, 1): [
            (
                10,
                lambda: progress_report_reopen(
                    report=fetch(), by=world.officer, reason="Montant CNSA erroné."
                ),
            )
        ],
        D(2020, 9, 3): [
            (
                9,
                lambda: message_post(
                    action=world.action69, report=fetch(), by=world.contributor69, body="Corrigé."
                ),
            ),
            (10, lambda: progress_report_submit(report=fetch(), by=world.contributor69)),
        ],
        D(2020, 9, 4): [(10, lambda: progress_report_approve(report=fetch(), by=world.officer))],
    }


def _live_the_year(world, clock, mailoutbox, capture):
    report = ProgressReportFactory(action=world.action69, narrative="Six séances.")
    script = _script(world, report)
    sent: dict[str, dict[D, list[str]]] = defaultdict(lambda: defaultdict(list))
    day = FIRST
    while day <= LAST:
        before = len(mailoutbox)
        for _ in range(2 if day in BEAT_TWICE else 1):
            clock.set(day, 7)
            with capture(execute=True):
                reminders_send(today=clock.today)
                digests_send(day=clock.today - datetime.timedelta(days=1))
        for hour, event in script.get(day, []):
            clock.set(day, hour)
            with capture(execute=True):
                event()
        for mail in mailoutbox[before:]:
            sent[mail.to[0].split("@")[0]][day].append(mail.subject)
        day += datetime.timedelta(days=1)
    return report, sent


@pytest.fixture
def year(world, monkeypatch, mailoutbox, django_capture_on_commit_callbacks):
    reporting_calendar_sync(convention=world.convention)
    notification_preferences_set(user=world.officer, choices={"message": "digest"})
    notification_preferences_set(user=world.contributor13, choices={"reminder": "none"})
    clock = Clock(monkeypatch, FIRST)
    return _live_the_year(world, clock, mailoutbox, django_capture_on_commit_callbacks)


def _check_union(world, year):
    _, sent = year
    union = {day: len(subjects) for day, subjects in sent["udccas69.contributeur"].items()}

    assert union == {
        D(2020, 3, 2): 1,  # the officer's answer
        D(2020, 5, 31): 1,  # 30 days before the 2019 report is due
        D(2020, 6, 20): 1,  # returned
        D(2020, 6, 23): 1,  # 7 days before: the returned report is not in yet
        D(2020, 7, 1): 1,  # approved
        D(2020, 9, 1): 1,  # reopened
        D(2020, 9, 2): 1,  # due again since the reopening: reminded once, beat twice
        D(2020, 9, 4): 1,  # approved again
    }
    assert "udccas13.contributeur" not in sent  # chose no e-mail for reminders
    assert "udccas69.lecteur" not in sent and "unccas.coordinateur" not in sent


def _check_officer(world, year):
    _, sent = year
    officer = sent["officer"]
    digests = {day: s for day, subjects in officer.items() for s in subjects if "Récap" in s}
    submissions = sorted(d for d, subjects in officer.items() for s in subjects if "à relire" in s)

    assert digests == {
        D(2020, 3, 3): "Récapitulatif du 02/03/2020 : 1 notification",
        D(2020, 9, 4): "Récapitulatif du 03/09/2020 : 1 notification",
    }
    assert submissions == [D(2020, 6, 15), D(2020, 6, 25), D(2020, 9, 3)]
    reminder_days = sorted(d for d, subjects in officer.items() for s in subjects if "Rappels" in s)
    assert reminder_days[:3] == [D(2020, 5, 31), D(2020, 6, 23), D(2020, 6, 30)]
    # action 3.2 never reports: every week after its due date, one digest of the day's reminders;
    # 2 September: the reopened 3.1 is due again
    weeks = [D(2020, 7, 7) + datetime.timedelta(days=7 * n) for n in range(26)]
    assert reminder_days[3:] == sorted([*weeks, D(2020, 9, 2)])


def _check_never_twice(world, year):
    _, sent = year

    for person, days in sent.items():
        for day, subjects in days.items():
            assert Counter(subjects).most_common(1)[0][1] == 1, (person, day, subjects)
    states = Counter(Notification.objects.values_list("mail_state", flat=True))
    assert states["sending"] == 0
    emailed = Notification.objects.filter(mail_state="sent")
    assert emailed.count() == emailed.values("pk").distinct().count()
    assert not emailed.filter(emailed_at__isnull=True).exists()


def _check_threads(world, year):
    report, _ = year

    def bodies(user, on=None):
        return [m.body for m in thread_view(user=user, action=world.action69, report=on).messages]

    assert bodies(world.officer) == ["Q1", "R1", "Interne"]
    assert bodies(world.contributor69) == ["Q1", "R1"]
    assert bodies(world.coordinator) == ["Q1", "R1"]
    assert bodies(world.contributor69, report) == ["Budget ?", "Montant CNSA erroné.", "Corrigé."]


def test_a_year_of_a_convention(world, year):
    """One year lived once, then read four ways."""
    _check_union(world, year)
    _check_officer(world, year)
    _check_never_twice(world, year)
    _check_threads(world, year)
