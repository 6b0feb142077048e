"""The OpenAPI schema class: every route declares the error answers it can give."""

from __future__ import annotations

from drf_spectacular.openapi import AutoSchema
from rest_framework import serializers


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()


VALIDATION_ERROR_SCHEMA = {
    "type": "object",
    "description": "Messages par champ (« non_field_errors » pour l'ensemble).",
    "additionalProperties": {},
}


class ApiAutoSchema(AutoSchema):
    """Declare the error answers every route can give, so clients and fuzzers know them."""

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        codes = {"401", "403", "429"}
        if "{" in self.path or self.method == "GET":
            codes.add("404")  # unknown or invisible id, page out of range, unknown ?format
        if self.method in ("POST", "PUT", "PATCH"):
            codes.update({"400", "415"})
        if self.method == "GET":
            codes.add("400")
        if self.method == "DELETE":
            codes.add("409")
        for code in sorted(codes - set(responses)):
            body = VALIDATION_ERROR_SCHEMA if code == "400" else ErrorSerializer
            responses[code] = self._get_response_for_code(body, code, direction=direction)
        return responses
