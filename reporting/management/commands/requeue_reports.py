from __future__ import annotations

import datetime

from django.core.management.base import BaseCommand

from reporting.services import reports_requeue


class Command(BaseCommand):
    help = (
        "Remet dans la file de travaux les rapports jamais transmis (Redis injoignable), "
        "en attente depuis trop longtemps, ou abandonnés en cours de génération."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--queued-for",
            type=int,
            default=30,
            help="Minutes d'attente au-delà desquelles un rapport transmis est renvoyé (30).",
        )

    def handle(self, *args, queued_for: int, **options) -> None:
        count = reports_requeue(queued_for=datetime.timedelta(minutes=queued_for))
        self.stdout.write(f"{count} rapport(s) remis dans la file de travaux.")
