"""core.api.serializers: a JSON body is read exactly as the schema types it."""

from __future__ import annotations

import pytest
from django.http import QueryDict
from rest_framework import serializers

from core.api.serializers import ApiSerializer


class Body(ApiSerializer):
    count = serializers.IntegerField(required=False)
    amount = serializers.DecimalField(14, 2, required=False)
    name = serializers.CharField(required=False)
    active = serializers.BooleanField(required=False)
    day = serializers.DateField(required=False, allow_null=True)
    kind = serializers.ChoiceField(choices=["a", "b"], required=False)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("count", "5"),
        ("count", 5.0),
        ("count", True),
        ("amount", 5),
        ("amount", 1.5),
        ("name", 0),
        ("name", ["x"]),
        ("active", "true"),
        ("active", 1),
        ("day", 20200101),
        ("kind", 1),
    ],
)
def test_a_value_of_another_json_type_is_refused_naming_the_field(field, value):
    body = Body(data={field: value})

    assert not body.is_valid()
    assert list(body.errors) == [field]
    assert body.errors[field][0].startswith("Type incorrect : ")


@pytest.mark.parametrize(
    "data",
    [
        {"count": 5, "amount": "5.00", "name": "x", "active": False, "day": "2020-01-01"},
        {"day": None, "kind": "a"},
        {},
    ],
)
def test_values_of_the_schemas_types_pass(data):
    assert Body(data=data).is_valid(), Body(data=data).errors


def test_a_form_body_is_text_and_left_to_the_fields():
    body = Body(data=QueryDict("count=5&active=true&amount=5"))

    assert body.is_valid(), body.errors
    assert (body.validated_data["count"], body.validated_data["active"]) == (5, True)
