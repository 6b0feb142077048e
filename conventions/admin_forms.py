"""Admin forms that run the services' rules, so the admin refuses exactly what the API refuses."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect

M = TypeVar("M")

# The mixin is typed as the ModelAdmin it is mixed into.
if TYPE_CHECKING:
    AdminBase = admin.ModelAdmin
else:
    AdminBase = object


class ServiceValidatedForm(forms.ModelForm):
    """Subclasses name the service's validator; its per-field errors land on the form's fields."""

    service_validator: Callable[[Any], None] | None = None

    def _post_clean(self) -> None:
        super()._post_clean()  # type: ignore[misc]  # Django's hook, absent from the stubs
        validator = type(self).service_validator
        if validator is None or self.errors:
            return
        try:
            validator(self.instance)
        except ValidationError as error:
            self._update_errors(error)  # type: ignore[attr-defined]


def validated_form(model_form_validator: Callable[[M], None]) -> type[ServiceValidatedForm]:
    return type(
        "ServiceForm",
        (ServiceValidatedForm,),
        {"service_validator": staticmethod(model_form_validator)},
    )


class ServiceDeleteMixin(AdminBase):
    """Deletes go through the app's delete service; a refusal is shown, nothing is removed.
    Bulk deletion is withdrawn: each removal is a decision with its own confirmation page."""

    delete_service: Callable[..., None]

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def delete_model(self, request, obj) -> None:
        type(self).delete_service(obj, request.user)

    def delete_view(self, request, object_id, extra_context=None):
        try:
            with transaction.atomic():
                return super().delete_view(request, object_id, extra_context)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            opts = self.model._meta
            return redirect(f"admin:{opts.app_label}_{opts.model_name}_change", object_id)


def deleting_with(service: Callable[..., None]) -> Callable[..., None]:
    """Adapt a keyword-only `<entity>_delete(*, x, by)` service to (obj, by)."""
    name = service.__name__.removesuffix("_delete")
    keyword = {"funding_line": "line"}.get(name, name)
    return staticmethod(lambda obj, by: service(**{keyword: obj, "by": by}))
