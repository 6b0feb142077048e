"""The one base class every ModelAdmin of the project derives from, and its service-backed forms.

Rows come through the model's `visible_to(user)` (the rule the API and the pages use); a deletion
goes through the app's `<entity>_delete` service, after its `<entity>_validate_delete` policy: the
change page hides « Supprimer » when the policy refuses, the confirmation page shows the French
reason instead, and POST, bulk and programmatic deletions all call the service. No domain import:
this module sits on the ground floor."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.functional import cached_property

M = TypeVar("M")


@dataclass(frozen=True)
class Deletion:
    """An object's deletion policy: `check(obj)` raises the French refusal, `service` deletes."""

    check: Callable[[Any], None]
    service: Callable[..., None]
    keyword: str  # the service's keyword for the object: convention_delete(*, convention, by)

    def refusal(self, obj: Any) -> str | None:
        try:
            self.check(obj)
        except ValidationError as error:
            return " ".join(error.messages)
        return None

    def run(self, obj: Any, by: Any) -> None:
        self.service(**{self.keyword: obj, "by": by})


COUNT_CAP = 10_000


class CappedCountPaginator(Paginator):
    """Counts at most COUNT_CAP rows: a list of 500 000 lines costs what one of 10 000 does. Past
    the cap the pages go on (« Suivant ») but the total reads « plus de 10 000 »."""

    @cached_property
    def count(self) -> int:
        rows: Any = self.object_list
        if hasattr(rows, "query"):
            return rows.order_by()[: COUNT_CAP + 1].count()
        return len(rows)


class YearListFilter(admin.SimpleListFilter):
    """Years as fixed choices (no SELECT DISTINCT over the whole table to build the filter)."""

    title = "année"
    parameter_name = "year"
    field_name = "year"
    first_year = 2009

    def lookups(self, request, model_admin):
        last = timezone.localdate().year + 5
        return [(str(year), str(year)) for year in range(last, self.first_year - 1, -1)]

    def queryset(self, request, queryset):
        value = self.value()
        if value and value.isdigit():
            return queryset.filter(**{self.field_name: int(value)})
        return queryset


class ScopedAdmin(admin.ModelAdmin):
    """Base of every ModelAdmin. `scoped = False` only for Django's own accounts (no visible_to):
    configuration that the site gate already reserves to officers. Lists never count the whole
    table (`show_full_result_count`) and cap the filtered count (CappedCountPaginator). Fifty rows a
    page, as in the API: a page of a dozen columns stays readable and cheap to render."""

    scoped = True
    list_per_page = 50
    show_full_result_count = False
    paginator = CappedCountPaginator
    deletion: Deletion | None = None  # None: the row is configuration, Django deletes it

    def get_queryset(self, request):
        queryset: Any = super().get_queryset(request)  # the model's QuerySet, with visible_to
        return queryset.visible_to(request.user) if self.scoped else queryset

    def get_actions(self, request):
        actions = super().get_actions(request)
        if self.deletion is not None:  # each removal is a decision with its own confirmation
            actions.pop("delete_selected", None)
        return actions

    def has_delete_permission(self, request, obj=None) -> bool:
        if not super().has_delete_permission(request, obj):
            return False
        return obj is None or self.deletion is None or self.deletion.refusal(obj) is None

    def delete_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, unquote(object_id)) if self.deletion else None
        reason = self.deletion.refusal(obj) if self.deletion and obj is not None else None
        if reason is None:
            try:
                with transaction.atomic():
                    return super().delete_view(request, object_id, extra_context)
            except ValidationError as error:  # the state changed between the page and the POST
                reason = " ".join(error.messages)
        messages.error(request, reason)
        opts = self.model._meta
        return redirect(f"admin:{opts.app_label}_{opts.model_name}_change", object_id)

    def delete_model(self, request, obj) -> None:
        if self.deletion is None:
            return super().delete_model(request, obj)
        self.deletion.run(obj, request.user)

    @transaction.atomic
    def delete_queryset(self, request, queryset) -> None:
        if self.deletion is None:
            return super().delete_queryset(request, queryset)
        for obj in queryset:
            self.deletion.run(obj, request.user)


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


def error_text(error: ValidationError) -> str:
    return " ".join(error.messages)
