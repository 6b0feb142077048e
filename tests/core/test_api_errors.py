"""core.api.errors: 400 when the request is outside the schema, 409 when the data refuses it."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, serializers

from core.api.errors import CONFLICT, exception_handler


def _answer(exc):
    return exception_handler(exc, {})


def test_a_services_refusal_is_a_409_with_per_field_messages():
    response = _answer(DjangoValidationError({"status": ["Convention clôturée."]}))

    assert (response.status_code, response.data) == (409, {"status": ["Convention clôturée."]})


def test_a_refusal_without_a_field_is_under_non_field_errors():
    response = _answer(DjangoValidationError("Refusé."))

    assert (response.status_code, response.data) == (409, {"non_field_errors": ["Refusé."]})


@pytest.mark.parametrize("code", ["does_not_exist", "unique", CONFLICT])
def test_an_unknown_reference_a_duplicate_or_a_serializer_rule_is_a_409(code):
    response = _answer(exceptions.ValidationError({"action": ["Inconnue."]}, code=code))

    assert response.status_code == 409


def test_a_value_outside_the_schema_is_a_400_even_beside_an_unknown_reference():
    error = exceptions.ValidationError(
        {
            "action": [serializers.ErrorDetail("Inconnue.", code="does_not_exist")],
            "year": [serializers.ErrorDetail("Entier attendu.", code="invalid")],
        }
    )

    assert _answer(error).status_code == 400
