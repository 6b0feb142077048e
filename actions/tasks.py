"""Periodic jobs (celery beat): thin, idempotent, safe to run twice."""

from __future__ import annotations

import datetime
import logging

from celery import shared_task
from django.utils import timezone

from actions.services_calendar import reporting_calendars_sync_stale
from actions.services_due import due_differences
from actions.services_notifications import digests_send, notifications_deliver_pending
from actions.services_reminders import reminders_send

logger = logging.getLogger(__name__)


@shared_task(name="actions.send_reminders", ignore_result=True)
def send_reminders() -> int:
    return reminders_send(today=timezone.localdate())


@shared_task(name="actions.send_digests", ignore_result=True)
def send_digests() -> int:
    """Yesterday's events, for those who chose the daily digest."""
    return digests_send(day=timezone.localdate() - datetime.timedelta(days=1))


@shared_task(name="actions.deliver_notifications", ignore_result=True)
def deliver_notifications() -> int:
    return notifications_deliver_pending()


@shared_task(name="actions.sync_calendars", ignore_result=True)
def sync_calendars() -> int:
    return reporting_calendars_sync_stale()


@shared_task(name="actions.check_due", ignore_result=True)
def check_due() -> int:
    """Compare each action's kept earliest open deadline to the rule; log every difference."""
    differences = due_differences()
    for difference in differences[:100]:
        logger.error("Échéance inexacte : %s", difference)
    if differences:
        logger.error(
            "%d échéance(s) inexacte(s) : lancez `manage.py rebuild_due`.", len(differences)
        )
    return len(differences)
