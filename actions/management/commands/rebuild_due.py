from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from actions.services_due import due_differences, rebuild_due


class Command(BaseCommand):
    help = (
        "Recalcule, pour chaque action, l'échéance du premier compte rendu attendu et non transmis "
        "(après un chargement en masse) ; --check compare sans rien écrire."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--check",
            action="store_true",
            help="Compare les échéances enregistrées à la règle ; code de sortie 1 au moindre écart.",
        )

    def handle(self, *args, check: bool = False, **options) -> None:
        if check:
            differences = due_differences()
            for difference in differences[:100]:
                self.stderr.write(str(difference))
            if differences:
                raise CommandError(f"{len(differences)} échéance(s) inexacte(s).")
            self.stdout.write("Échéances exactes : aucun écart avec les comptes rendus.")
            return
        with transaction.atomic():
            count = rebuild_due()
        self.stdout.write(f"{count} action(s) recalculée(s).")
