from django.contrib.auth.models import User
from django.core.management.base import BaseCommand
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.second_factor import base32_secret, current_code
from demo.loader import DEMO_PASSWORD, OFFICER, demo_load


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
        officer = User.objects.get(username=OFFICER)
        device = TOTPDevice.objects.filter(user=officer, confirmed=True).first()
        if device is not None:
            left = StaticToken.objects.filter(device__user=officer).values_list("token", flat=True)
            self.stdout.write(
                f"\nDouble authentification de {OFFICER} (démonstration) : clé TOTP "
                f"{base32_secret(device)} (à ajouter dans une application d'authentification ; "
                f"code du moment : {current_code(device)}) ; codes de secours restants : "
                f"{', '.join(sorted(left)) or 'aucun'}."
            )
        self.stdout.write(
            "\nRépartitions par action, financeur et année, coût global des conventions UNCCAS et "
            "SIRET : illustratifs. Montants des textes exacts au centime."
        )
