"""Remind lead organisations of their overdue progress reports (run daily or weekly by a scheduler)."""

from __future__ import annotations

import datetime

from django.core.management.base import BaseCommand
from django.utils import timezone

from actions.notifications import overdue_reminders


class Command(BaseCommand):
    help = "Envoie un rappel aux pilotes dont des comptes rendus d'avancement sont en retard."

    def add_arguments(self, parser):
        parser.add_argument(
            "--today", type=datetime.date.fromisoformat, help="Date de référence (AAAA-MM-JJ)."
        )

    def handle(self, *args, today: datetime.date | None = None, **options):
        sent = overdue_reminders(today=today or timezone.localdate())
        self.stdout.write(f"{sent} rappel(s) envoyé(s).")
