from django.core.management.base import BaseCommand

from conventions.models import Convention
from financing.opendata import scdl_export
from financing.services import scdl_publish


class Command(BaseCommand):
    help = (
        "Écrit les données essentielles des conventions (SCDL subventions 2.1.1) en CSV UTF-8 ; "
        "les conventions non publiables sont listées avec leur motif."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--output", "-o", help="Fichier de sortie (sortie standard par défaut)."
        )
        parser.add_argument(
            "--publish",
            action="store_true",
            help="Régénère aussi le fichier public /donnees-essentielles/subventions.csv.",
        )

    def handle(self, *args, output: str | None = None, publish: bool = False, **options) -> None:
        export = scdl_export(Convention.objects.all())
        content = export.csv()
        if output:
            with open(output, "w", encoding="utf-8", newline="") as handle:
                handle.write(content)
            self.stderr.write(f"Données essentielles écrites dans {output}.")
        else:
            self.stdout.write(content, ending="")
        for refusal in export.refused:
            self.stderr.write(f"Non publiée : {refusal.reference} — {' '.join(refusal.reasons)}")
        if publish:
            publication = scdl_publish()
            self.stderr.write(
                f"Fichier public régénéré : {publication.row_count} ligne(s), "
                f"publié le {publication.published_at:%Y-%m-%d %H:%M}."
            )
