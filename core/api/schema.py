"""The OpenAPI schema class: every operation has a French summary and declares the error answers it
can give; nullable and decimal fields are described exactly as the API reads and writes them."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import FieldDoesNotExist
from drf_spectacular.openapi import AutoSchema
from rest_framework import serializers

from core.api.fields import MAX_ID, PLAUSIBLE_DATE_PATTERN, PlausibleDateField

# The standard actions of a viewset, as a French summary: « Conventions : liste ».
ACTION_SUMMARIES = {
    "list": "liste",
    "retrieve": "détail",
    "create": "création",
    "update": "remplacement",
    "partial_update": "modification partielle",
    "destroy": "suppression",
}


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()


VALIDATION_ERROR_SCHEMA = {
    "type": "object",
    "description": "Messages par champ (« non_field_errors » pour l'ensemble).",
    "additionalProperties": {},
}

# Why each error answer can come, in the words of the schema.
ERROR_DESCRIPTIONS = {
    "400": "Requête non conforme au schéma : paramètre ou corps (messages par champ).",
    "401": "Authentification absente ou invalide.",
    "403": "Authentifié, mais sans le droit de faire cela sur cet objet.",
    "404": "Objet inconnu ou invisible pour vous, page ou format inexistant.",
    "409": (
        "Requête conforme au schéma, refusée par les données telles qu'elles sont : règle de "
        "gestion, objet inconnu ou invisible, doublon, version périmée, des données en dépendent "
        "(messages par champ)."
    ),
    "415": "Type de contenu non pris en charge.",
    "429": "Trop de requêtes, ou adresse bloquée après des échecs d'authentification.",
}


def error_codes(method: str, path: str) -> set[str]:
    """The error answers an operation can give, from its method and whether it names an object."""
    codes = {"401", "403", "429"}
    if "{" in path or method == "GET":
        codes.add("404")  # unknown or invisible id, page out of range, unknown ?format
    if method in ("GET", "POST", "PUT", "PATCH", "DELETE"):
        codes.add("400")  # a parameter or a body outside the schema
    if method in ("POST", "PUT", "PATCH"):
        codes.add("415")
    if method in ("POST", "PUT", "PATCH", "DELETE"):
        codes.add("409")  # a rule, an unknown reference, a duplicate, a stale version
    return codes


def _source_is_nullable(field: serializers.Field) -> bool:
    """Whether a read-only field's source crosses a nullable model field (`submitted_by`)."""
    parent = getattr(field, "parent", None)
    model = getattr(getattr(parent, "Meta", None), "model", None)
    if model is None or field.source == "*":
        return False
    for attr in field.source_attrs:
        try:
            model_field = model._meta.get_field(attr)
        except FieldDoesNotExist:
            by_column = {f.attname: f for f in model._meta.concrete_fields}
            if attr not in by_column:
                return False
            model_field = by_column[attr]
        if model_field.null:
            return True
        model = getattr(model_field, "related_model", None)
        if model is None:
            return False
    return False


# A character that str.strip() keeps (the same set in Python's and ECMAScript's regular expressions,
# unlike \S): DRF trims text before it checks that it is not blank. NUL is never one: DRF refuses
# it in any text.
NOT_BLANK = (
    "[^\\x00\\t\\n\\v\\f\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029"
    "\\u202f\\u205f\\u3000]"
)
NO_NUL = "[^\\x00]"


def text_pattern(field: serializers.CharField) -> str:
    """Text as DRF reads it: no NUL character anywhere; unless blank is allowed, not empty, and
    not only spaces when DRF trims it."""
    if field.allow_blank:
        return f"^{NO_NUL}*$"
    if field.trim_whitespace:
        return f"^{NO_NUL}*{NOT_BLANK}{NO_NUL}*$"
    return f"^{NO_NUL}+$"


class ApiAutoSchema(AutoSchema):
    """Summaries, error answers, nullability and decimal patterns, for every route alike."""

    def get_summary(self) -> str | None:
        action = getattr(self.view, "action", None)
        queryset_model = getattr(getattr(self.view, "queryset", None), "model", None)
        model = getattr(self.view, "model", None) or queryset_model
        if model is None:
            serializer = getattr(self.view, "serializer_class", None)
            model = getattr(getattr(serializer, "Meta", None), "model", None)
        if action in ACTION_SUMMARIES and model is not None:
            plural = str(model._meta.verbose_name_plural)
            return f"{plural[:1].upper()}{plural[1:]} : {ACTION_SUMMARIES[action]}"
        return None

    def _resolve_path_parameters(self, variables):
        """An id in the path (`\\d+` in the route) is a positive integer, as in the bodies."""
        parameters = super()._resolve_path_parameters(variables)
        for parameter in parameters:
            if parameter["schema"] == {"type": "string", "pattern": "^\\d+$"}:
                parameter["schema"] = {"type": "integer", "minimum": 1, "maximum": MAX_ID}
        return parameters

    def get_override_parameters(self):
        """A list that exports (`export_columns`) documents `format` and `columns`."""
        parameters = super().get_override_parameters()
        columns = getattr(self.view, "export_columns", None)
        if columns and getattr(self.view, "action", None) == "list":
            from core.api.exports import export_parameters

            parameters = [*parameters, *export_parameters(columns)]
        return parameters

    def _get_paginator(self):
        """Only a viewset's list is paginated: another action answering a list answers it whole."""
        if getattr(self.view, "action", "list") != "list":
            return None
        return super()._get_paginator()

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code in sorted(error_codes(self.method, self.path) - set(responses)):
            body = VALIDATION_ERROR_SCHEMA if code in ("400", "409") else ErrorSerializer
            responses[code] = self._get_response_for_code(body, code, direction=direction)
            responses[code]["description"] = ERROR_DESCRIPTIONS[code]
        return responses

    def _map_serializer(self, serializer, direction, bypass_extensions=False):
        """`Meta.always_required`: fields a write needs even when partial (a PATCH's `version`)."""
        schema = super()._map_serializer(serializer, direction, bypass_extensions)
        always = getattr(getattr(serializer, "Meta", None), "always_required", ())
        if direction == "request" and always:
            schema["required"] = sorted({*schema.get("required", []), *always})
        # `Meta.required_one_of`: at least one of these fields, and not null.
        one_of = getattr(getattr(serializer, "Meta", None), "required_one_of", ())
        if direction == "request" and one_of:
            schema["anyOf"] = [
                {"required": [name], "properties": {name: {"not": {"enum": [None]}}}}
                for name in one_of
            ]
        return schema

    def _map_serializer_field(self, field, direction, bypass_extensions=False) -> dict[str, Any]:
        meta = super()._map_serializer_field(field, direction, bypass_extensions)
        if isinstance(field, serializers.DecimalField) and "pattern" in meta:
            meta["pattern"] = decimal_pattern(field)
        if (
            direction == "request"
            and isinstance(field, serializers.CharField)
            and meta.get("type") == "string"
            and not {"pattern", "format", "enum"} & set(meta)
        ):
            meta["pattern"] = text_pattern(field)
        if field.read_only and not meta.get("nullable") and _source_is_nullable(field):
            meta["nullable"] = True
        if isinstance(field, PlausibleDateField) and direction == "request":
            meta["pattern"] = PLAUSIBLE_DATE_PATTERN
        if isinstance(field, serializers.PrimaryKeyRelatedField) and meta.get("type") == "integer":
            meta.setdefault("minimum", 1)
            meta.setdefault("maximum", MAX_ID)
        return meta


def decimal_pattern(field: serializers.DecimalField) -> str:
    """At least one digit (« » and « . » are not amounts), and no sign where the minimum is 0."""
    sign = "" if field.min_value is not None and field.min_value >= 0 else "-?"
    whole, places = max(field.max_whole_digits or 0, 1), field.decimal_places
    return rf"^{sign}(?:\d{{1,{whole}}}(?:\.\d{{0,{places}}})?|\.\d{{1,{places}}})$"
