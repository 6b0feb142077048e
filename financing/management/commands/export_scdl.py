from django.core.management.base import BaseCommand

from conventions.models import Convention
from financing.opendata import scdl_csv


class Command(BaseCommand):
    help = "Écrit les données essentielles des conventions (SCDL subventions 2.1.1) en CSV UTF-8."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--output", "-o", help="Fichier de sortie (sortie standard par défaut)."
        )

    def handle(self, *args, output: str | None = None, **options) -> None:
        content = scdl_csv(Convention.objects.all())
        if output:
            with open(output, "w", encoding="utf-8", newline="") as handle:
                handle.write(content)
            self.stderr.write(f"Données essentielles écrites dans {output}.")
        else:
            self.stdout.write(content, ending="")
