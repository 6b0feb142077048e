"""Query filters every list shares: whole numbers for integer columns, a sort that names its keys.

Each app's FilterSet derives from ApiFilterSet, so a filter declared only in `Meta.fields` reads
its value the same way as a declared one: `?number=0.5` is a French 400, not a silent match."""

from __future__ import annotations

from django import forms
from django.db import models
from django_filters import rest_framework as filters
from rest_framework import exceptions
from rest_framework.filters import OrderingFilter

from core.api.fields import IdFilter


class IntegerFilter(filters.NumberFilter):
    """A whole number (django-filter's own NumberFilter reads a decimal: « 0.5 » would match 0)."""

    field_class = forms.IntegerField


INTEGER_COLUMNS = (
    models.AutoField,
    models.BigAutoField,
    models.SmallIntegerField,
    models.IntegerField,
    models.BigIntegerField,
    models.PositiveIntegerField,
    models.PositiveSmallIntegerField,
    models.PositiveBigIntegerField,
)


class ApiFilterSet(filters.FilterSet):
    FILTER_DEFAULTS = {
        **filters.FilterSet.FILTER_DEFAULTS,
        **{column: {"filter_class": IntegerFilter} for column in INTEGER_COLUMNS},
        models.ForeignKey: {"filter_class": IdFilter},
        models.OneToOneField: {"filter_class": IdFilter},
    }


def ordering_pattern(names: list[str]) -> str:
    one = "-?(" + "|".join(names) + ")"
    return f"^{one}(,{one})*$"


class StrictOrderingFilter(OrderingFilter):
    """`?ordering=` takes the view's keys, `-` first for descending; anything else is a
    French 400 naming the keys allowed (DRF's own filter would drop it silently)."""

    def _names(self, queryset, view, request) -> list[str]:
        return [name for name, _ in self.get_valid_fields(queryset, view, {"request": request})]

    def get_ordering(self, request, queryset, view):
        raw = request.query_params.get(self.ordering_param)
        if raw is None:
            return self.get_default_ordering(view)
        names = self._names(queryset, view, request)
        keys = [part.strip() for part in raw.split(",")]
        unknown = [key for key in keys if key.lstrip("-") not in names]
        if unknown:
            shown = ", ".join(f"« {key} »" for key in unknown)
            raise exceptions.ValidationError(
                {
                    self.ordering_param: [
                        f"Tri inconnu : {shown}. Tris possibles : {', '.join(names)}."
                    ]
                }
            )
        return tie_broken(keys)

    def get_schema_operation_parameters(self, view):
        if getattr(view, "ordering_fields", None) in (None, "__all__"):
            return super().get_schema_operation_parameters(view)
        names = [f if isinstance(f, str) else f[0] for f in view.ordering_fields]
        return [
            {
                "name": self.ordering_param,
                "required": False,
                "in": "query",
                "description": (
                    "Tri : une ou plusieurs clés séparées par des virgules, chacune "
                    f"précédée de « - » pour l'ordre décroissant. Clés : {', '.join(names)}."
                ),
                "schema": {"type": "string", "pattern": ordering_pattern(names)},
            }
        ]


def tie_broken(keys: list[str]) -> list[str]:
    """The ordering asked for, then the id (unless named) in the same direction as its last key:
    pages never overlap, and an index on (key, id) serves the whole ordering, read forwards or
    backwards."""
    if any(key.lstrip("-") in ("id", "pk") for key in keys):
        return keys
    last = keys[-1]
    return [*keys, "-id" if last.startswith("-") else "id"]
