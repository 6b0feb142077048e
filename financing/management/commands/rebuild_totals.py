from django.core.management.base import BaseCommand, CommandError

from financing.totals_check import totals_differences, totals_rebuild


class Command(BaseCommand):
    help = (
        "Reconstruit les tables de totaux (par action, axe et convention) depuis les lignes de "
        "financement, les dépenses approuvées et les versements ; --check compare sans rien écrire."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--check",
            action="store_true",
            help="Compare les totaux aux lignes brutes ; code de sortie 1 au moindre écart.",
        )

    def handle(self, *args, check: bool = False, **options) -> None:
        if check:
            differences = totals_differences()
            for difference in differences[:100]:
                self.stderr.write(str(difference))
            if differences:
                raise CommandError(
                    f"{len(differences)} écart(s) entre les totaux et les lignes brutes."
                )
            self.stdout.write("Totaux exacts : aucun écart avec les lignes brutes.")
            return
        counts = totals_rebuild()
        for table, rows in counts.items():
            self.stdout.write(f"{table} : {rows} ligne(s).")
