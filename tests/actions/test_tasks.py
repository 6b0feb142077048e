"""The periodic jobs are scheduled by celery beat (no cron) and call their services."""

from datetime import date

import pytest
from celery.schedules import crontab
from django.conf import settings

from actions import tasks
from actions.services_calendar import reporting_calendar_sync


def test_beat_schedules_the_reminders_digests_and_catch_up():
    schedule = {
        entry["task"]: entry["schedule"] for entry in settings.CELERY_BEAT_SCHEDULE.values()
    }

    assert isinstance(schedule["actions.send_reminders"], crontab)
    assert isinstance(schedule["actions.send_digests"], crontab)
    assert schedule["actions.deliver_notifications"] == 300.0
    assert "actions.sync_calendars" in schedule


@pytest.mark.django_db
def test_the_reminders_task_uses_todays_date(world, mailoutbox, monkeypatch):
    reporting_calendar_sync(convention=world.convention)
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a: date(2020, 6, 30))

    assert tasks.send_reminders.apply().get() == 3  # two unions, then the officers' digest

    assert sorted(m.to[0] for m in mailoutbox) == [
        "officer@cnsa.example",
        "udccas13.contributeur@example.org",
        "udccas69.contributeur@example.org",
    ]
