from django.core.management.base import BaseCommand

from demo.loader import DEMO_PASSWORD, demo_load


class Command(BaseCommand):
    help = "Charge les trois conventions de démonstration (une seconde exécution ne change rien)."

    def handle(self, *args, **options) -> None:
        loaded, accounts = demo_load()
        if loaded:
            self.stdout.write(self.style.SUCCESS("Données de démonstration chargées."))
        else:
            self.stdout.write("Données de démonstration déjà présentes : rien n'a changé.")
        self.stdout.write(f"\nComptes de démonstration (mot de passe : {DEMO_PASSWORD}) :")
        for username, role in accounts:
            self.stdout.write(f"  {username:<24} {role}")
        self.stdout.write(
            "\nRépartitions par action, financeur et année, coût global des conventions UNCCAS et "
            "SIRET : illustratifs. Montants des textes exacts au centime."
        )
