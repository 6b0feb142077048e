from django.apps import AppConfig


class AccountsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "accounts"
    verbose_name = "Connexion et sécurité des comptes"

    def ready(self) -> None:
        from accounts import signals  # noqa: F401 - connects the receivers
