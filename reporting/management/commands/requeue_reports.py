from __future__ import annotations

import datetime

from django.core.management.base import BaseCommand

from reporting.services import reports_requeue


class Command(BaseCommand):
    help = (
        "Remet dans la file de travaux les rapports jamais transmis (Redis injoignable), "
        "perdus par Redis, ou abandonnés en cours de génération. La tâche périodique du beat "
        "fait de même chaque minute."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--queued-for",
            type=int,
            default=None,
            help="Secondes d'attente au-delà desquelles un rapport que Redis ne détient plus est "
            "renvoyé (REPORT_REQUEUE_AFTER_SECONDS, 60 par défaut).",
        )

    def handle(self, *args, queued_for: int | None, **options) -> None:
        delay = None if queued_for is None else datetime.timedelta(seconds=queued_for)
        count = reports_requeue(queued_for=delay)
        self.stdout.write(f"{count} rapport(s) remis dans la file de travaux.")
