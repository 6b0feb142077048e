"""core.api.filters: integer columns read whole numbers, the sort names its keys or refuses."""

from __future__ import annotations

import re

import pytest
from rest_framework import exceptions
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from axes.models import Axis
from core.api.fields import IdFilter
from core.api.filters import ApiFilterSet, IntegerFilter, StrictOrderingFilter, ordering_pattern


class AxisNumbers(ApiFilterSet):
    class Meta:
        model = Axis
        fields = ["number", "convention"]


def test_an_integer_column_gets_a_whole_number_filter_and_a_foreign_key_an_id_filter():
    filters = AxisNumbers.base_filters

    assert type(filters["number"]) is IntegerFilter
    assert type(filters["convention"]) is IdFilter


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["0.5", "1e3", "deux"])
def test_a_decimal_or_a_word_is_refused_in_french(value):
    filterset = AxisNumbers(data={"number": value}, queryset=Axis.objects.all())

    assert not filterset.is_valid()
    assert filterset.errors["number"] == ["Saisissez un nombre entier."]


@pytest.mark.django_db
def test_a_whole_number_filters():
    filterset = AxisNumbers(data={"number": "2"}, queryset=Axis.objects.all())

    assert filterset.is_valid()
    assert "number" in str(filterset.qs.query)


class View:
    ordering_fields = ["number", "id"]
    ordering = ["number"]


def _request(query: str) -> Request:
    return Request(APIRequestFactory().get(f"/api/v1/axes/{query}"))


@pytest.mark.django_db
def test_a_known_sort_is_kept_in_its_order():
    keys = StrictOrderingFilter().get_ordering(
        _request("?ordering=-id,number"), Axis.objects, View()
    )

    assert keys == ["-id", "number"]


@pytest.mark.django_db
def test_no_sort_is_the_views_default():
    assert StrictOrderingFilter().get_ordering(_request(""), Axis.objects, View()) == ["number"]


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["?ordering=secret", "?ordering=", "?ordering=id,,number"])
def test_an_unknown_sort_is_a_french_400_naming_the_keys(query):
    with pytest.raises(exceptions.ValidationError) as refused:
        StrictOrderingFilter().get_ordering(_request(query), Axis.objects, View())

    message = str(refused.value.detail["ordering"][0])
    assert message.startswith("Tri inconnu : « ")
    assert message.endswith("Tris possibles : number, id.")


def test_the_schema_gives_the_sort_keys_as_a_pattern():
    (parameter,) = StrictOrderingFilter().get_schema_operation_parameters(View())
    pattern = re.compile(parameter["schema"]["pattern"])

    assert parameter["name"] == "ordering"
    assert pattern.fullmatch("-id,number")
    assert not pattern.fullmatch("secret")
    assert not pattern.fullmatch("")
    assert parameter["schema"]["pattern"] == ordering_pattern(["number", "id"])


@pytest.mark.django_db
def test_a_sort_ends_with_the_id_in_its_last_direction():
    keys = StrictOrderingFilter().get_ordering(_request("?ordering=-number"), Axis.objects, View())

    assert keys == ["-number", "-id"]
