"""The daily reminders by hand (celery beat runs them every morning): safe to run twice."""

from __future__ import annotations

import datetime

from django.core.management.base import BaseCommand
from django.utils import timezone

from actions.services_notifications import digests_send
from actions.services_reminders import reminders_send


class Command(BaseCommand):
    help = "Enregistre et envoie les rappels d'échéance du jour (jamais deux fois le même)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--today", type=datetime.date.fromisoformat, help="Date de référence (AAAA-MM-JJ)."
        )
        parser.add_argument(
            "--digests", action="store_true", help="Envoie aussi les récapitulatifs de la veille."
        )

    def handle(self, *args, today: datetime.date | None = None, digests=False, **options):
        today = today or timezone.localdate()
        recorded = reminders_send(today=today)
        self.stdout.write(f"{recorded} rappel(s) enregistré(s).")
        if digests:
            sent = digests_send(day=today - datetime.timedelta(days=1))
            self.stdout.write(f"{sent} récapitulatif(s) envoyé(s).")
