"""Admin forms that run the services' rules, so the admin refuses exactly what the API refuses."""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.core.exceptions import ValidationError


class ServiceValidatedForm(forms.ModelForm):
    """Subclasses name the service's validator; its per-field errors land on the form's fields."""

    service_validator: Callable[[object], None] | None = None

    def _post_clean(self) -> None:
        super()._post_clean()
        validator = type(self).service_validator
        if validator is None or self.errors:
            return
        try:
            validator(self.instance)
        except ValidationError as error:
            self._update_errors(error)


def validated_form(model_form_validator: Callable[[object], None]) -> type[ServiceValidatedForm]:
    return type(
        "ServiceForm",
        (ServiceValidatedForm,),
        {"service_validator": staticmethod(model_form_validator)},
    )
