from django.apps import AppConfig


class FinancingConfig(AppConfig):
    name = "financing"
    verbose_name = "Financement et versements"

    def ready(self) -> None:
        from conventions.signals import convention_published_terms_changed
        from financing.services import scdl_republish

        convention_published_terms_changed.connect(
            scdl_republish, dispatch_uid="financing.scdl_publish"
        )
