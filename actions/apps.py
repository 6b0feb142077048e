from django.apps import AppConfig


class ActionsConfig(AppConfig):
    name = "actions"
    verbose_name = "Actions et suivi"

    def ready(self) -> None:
        from actions import services_due
        from actions.services_calendar import calendars_follow_conventions
        from conventions.signals import convention_published_terms_changed

        convention_published_terms_changed.connect(
            calendars_follow_conventions, dispatch_uid="actions.calendars_follow_conventions"
        )
        services_due.connect()
