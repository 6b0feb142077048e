"""The totals query, parsed strictly: keys, filters and page, each refusal in French naming the
value and what is allowed."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from conventions.models import Convention
from conventions.validators import validate_departement_code
from core.api.fields import MAX_ID
from financing.totals import FILTER_KEYS, GROUP_KEYS

PAGE_SIZE, MAX_PAGE_SIZE = 100, 5000


def allowed_values(values) -> str:
    return ", ".join(values)


class StrictIntegerField(serializers.IntegerField):
    """Digits only (« 5.0 » is refused, unlike DRF's own), each refusal naming the value."""

    default_error_messages = {
        "invalid": "« {input} » n'est pas un nombre entier.",
        "range": "La valeur doit être comprise entre {low} et {high}.",
    }

    def __init__(self, *, low: int, high: int, **kwargs: Any) -> None:
        self.low, self.high = low, high
        super().__init__(required=False, **kwargs)

    def to_internal_value(self, data: Any) -> int:
        try:
            value = int(str(data))
        except ValueError:
            self.fail("invalid", input=data)
        if not self.low <= value <= self.high:
            self.fail("range", low=self.low, high=self.high)
        return value


class TotalsQuerySerializer(serializers.Serializer):
    """The totals query, strict: an unknown parameter, key or value is a 400 naming it and listing
    what is allowed."""

    group_by = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
    format = serializers.CharField(required=False, allow_blank=True)
    columns = serializers.CharField(required=False, allow_blank=True)
    page = StrictIntegerField(low=1, high=MAX_ID)
    page_size = StrictIntegerField(low=1, high=MAX_PAGE_SIZE)
    convention = StrictIntegerField(low=1, high=MAX_ID)
    funder = StrictIntegerField(low=1, high=MAX_ID)
    beneficiary = StrictIntegerField(low=1, high=MAX_ID)
    year = StrictIntegerField(low=1900, high=2200)
    year_min = StrictIntegerField(low=1900, high=2200)
    year_max = StrictIntegerField(low=1900, high=2200)
    departement = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
    status = serializers.ChoiceField(
        choices=Convention.Status.values,
        required=False,
        error_messages={
            "invalid_choice": f"Statut inconnu : « {{input}} ». Statuts admis : {allowed_values(Convention.Status.values)}.",
            "blank": f"Statut inconnu : «  ». Statuts admis : {allowed_values(Convention.Status.values)}.",
        },
    )

    def to_internal_value(self, data: Any) -> dict[str, Any]:
        unknown = sorted(set(data) - set(self.fields))
        if unknown:
            raise serializers.ValidationError(
                {
                    unknown[0]: [
                        f"Paramètre inconnu : « {unknown[0]} ». Paramètres admis : {allowed_values(sorted(self.fields))}."
                    ]
                }
            )
        # A plain dict, not the QueryDict: an empty `?year=` is then refused, not taken as absent.
        return super().to_internal_value(dict(data.items()))

    def validate_group_by(self, value: str) -> list[str]:
        keys = [k.strip() for k in value.split(",") if k.strip()]
        for key in keys:
            if key not in GROUP_KEYS:
                raise serializers.ValidationError(
                    f"Clé de regroupement inconnue : « {key} ». Clés admises : {allowed_values(GROUP_KEYS)}."
                )
        repeated = next((k for i, k in enumerate(keys) if k in keys[:i]), None)
        if repeated:
            raise serializers.ValidationError(
                f"Clé de regroupement répétée : « {repeated} ». Chaque clé ne s'indique qu'une fois."
            )
        return keys

    def validate_departement(self, value: str) -> str:
        try:
            validate_departement_code(value)
        except DjangoValidationError:
            raise serializers.ValidationError(
                f"Code de département inconnu : « {value} ». Codes admis : 01 à 95, 2A, 2B, 971 à 976."
            ) from None
        return value

    @property
    def query(self) -> tuple[list[str], dict[str, Any]]:
        """(group_by, filters) once valid."""
        data = self.validated_data
        return data.get("group_by", []), {k: data[k] for k in FILTER_KEYS if k in data}


def parse_totals_query(params: Any) -> tuple[list[str], dict[str, Any]]:
    query = TotalsQuerySerializer(data=params)
    query.is_valid(raise_exception=True)
    return query.query
