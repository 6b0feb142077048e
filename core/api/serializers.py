"""Serializers that read a JSON body exactly as the schema types it: `5` for an integer, `"5.00"`
for an amount, `"texte"` for text, `true` for a boolean. DRF's own fields convert what they can
(`"5"` → 5, `0` → `"0"`, `"yes"` → True), so a body outside the schema would pass; here it is a
400 naming the field. Form bodies (multipart) carry only text and are left to the fields."""

from __future__ import annotations

from typing import Any

from django.http import QueryDict
from rest_framework import serializers

# Field kinds, each with the JSON types it accepts and how the refusal says it. The first match
# wins: a relation by its key, then numbers, then everything written as text.
JSON_TYPES: list[tuple[tuple[type, ...], tuple[type, ...], str]] = [
    ((serializers.BooleanField,), (bool,), "un booléen (true ou false)"),
    (
        (serializers.IntegerField, serializers.PrimaryKeyRelatedField),
        (int,),
        "un nombre entier",
    ),
    ((serializers.DecimalField,), (str,), "un montant écrit en texte (« 1234.50 »)"),
    (
        (
            serializers.CharField,
            serializers.ChoiceField,
            serializers.DateField,
            serializers.DateTimeField,
            serializers.SlugRelatedField,
        ),
        (str,),
        "du texte",
    ),
]


def _expected(field: serializers.Field) -> tuple[tuple[type, ...], str] | None:
    for kinds, types, words in JSON_TYPES:
        if isinstance(field, kinds):
            return types, words
    return None


def type_errors(serializer: serializers.Serializer, data: Any) -> dict[str, list[str]]:
    """The writable fields of a JSON object whose value is not of the schema's type."""
    if not isinstance(data, dict) or isinstance(data, QueryDict):
        return {}
    errors: dict[str, list[str]] = {}
    for name, field in serializer.fields.items():
        if field.read_only or name not in data:
            continue
        value, expected = data[name], _expected(field)
        if value is None or expected is None:  # null: the field's own allow_null decides
            continue
        types, words = expected
        if not isinstance(value, types) or isinstance(value, bool) != (bool in types):
            errors[name] = [f"Type incorrect : {words} est attendu."]
    return errors


# Mixed into a serializer: its JSON body is refused (400) when a value has the wrong type. No
# docstring here: the schema would show it as the description of every serializer.
class StrictTypes:
    def to_internal_value(self, data: Any) -> Any:
        errors = type_errors(self, data)  # type: ignore[arg-type]
        if errors:
            raise serializers.ValidationError(errors)
        return super().to_internal_value(data)  # type: ignore[misc]


class ApiSerializer(StrictTypes, serializers.Serializer):
    pass


class ApiModelSerializer(StrictTypes, serializers.ModelSerializer):
    pass
