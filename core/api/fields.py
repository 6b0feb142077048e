"""Serializer fields and query filters shared by every app's API: bounded ids and dates."""

from __future__ import annotations

import datetime

from django import forms
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

# Dates outside this range are refused at the door: they are typing errors, and some date
# arithmetic downstream (the balance deadline is the year after the end) would overflow.
EARLIEST = datetime.date(1990, 1, 1)
LATEST = datetime.date(2199, 12, 31)
MAX_ID = 2**63 - 1
# The same range in the schema: years 1990 to 2199, then a month and a day (format: date does the
# calendar).
PLAUSIBLE_DATE_PATTERN = r"^(199[0-9]|2[01][0-9]{2})-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"


class VisibleRelatedField(serializers.PrimaryKeyRelatedField):
    """A foreign key the caller may only point at rows visible to them. An identifier outside the
    schema's range is a 400; a well-formed one that names no visible row is a `does_not_exist`
    refusal (a 409: the data, not the request, refuses it)."""

    default_error_messages = {
        "out_of_range": f"L'identifiant doit être un nombre entier entre 1 et {MAX_ID}."
    }

    def __init__(self, model, **kwargs):
        self.model = model
        kwargs.setdefault("queryset", model.objects.none())
        super().__init__(**kwargs)

    def get_queryset(self):
        return self.model.objects.visible_to(self.context["request"].user)

    def to_internal_value(self, data):
        if isinstance(data, bool):
            self.fail("incorrect_type", data_type=type(data).__name__)
        if isinstance(data, int) and not 0 < data <= MAX_ID:
            self.fail("out_of_range")
        return super().to_internal_value(data)


class PlausibleDateField(serializers.DateField):
    default_error_messages = {
        "implausible": f"La date doit être comprise entre le {EARLIEST:%d/%m/%Y} et le {LATEST:%d/%m/%Y}."
    }

    def to_internal_value(self, value):
        date = super().to_internal_value(value)
        if not EARLIEST <= date <= LATEST:
            self.fail("implausible")
        return date


class IdField(forms.IntegerField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": MAX_ID})
class IdFilter(filters.NumberFilter):
    field_class = IdField


@extend_schema_field({"type": "integer", "minimum": 1900, "maximum": 2200})
class YearFilter(filters.NumberFilter):
    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1900)
        kwargs.setdefault("max_value", 2200)
        super().__init__(*args, **kwargs)


class ApiDateFilter(filters.DateFilter):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("input_formats", ["%Y-%m-%d"])
        super().__init__(*args, **kwargs)


@extend_schema_field({"type": "string", "pattern": r"^[^\x00]+$"})
class TextFilter(filters.CharFilter):
    """Free text: anything but the NUL character, which the database refuses."""
