"""Money fields: the one shape of an amount (14 digits, 2 decimals) for models, queries and the API."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any, Final, TypedDict

from django.db import models
from rest_framework import serializers


class MoneyDigits(TypedDict):
    max_digits: int
    decimal_places: int


MONEY: Final[MoneyDigits] = {"max_digits": 14, "decimal_places": 2}

if TYPE_CHECKING:
    from django.db.models.expressions import Combinable

    # Read as a Decimal, written from a Decimal, an int, a string or an expression (F(), ...).
    ModelMoneyField = models.DecimalField[Decimal | int | str | Combinable, Decimal]


def money_field(verbose_name: str, **kwargs: Any) -> ModelMoneyField:
    """A model amount, never null: `total_cost = money_field("coût global", validators=...)`."""
    return models.DecimalField(verbose_name, **MONEY, **kwargs)


def money_output() -> ModelMoneyField:
    """The `output_field` of a summed or coalesced amount."""
    return models.DecimalField(**MONEY)


def money_serializer_field(**kwargs: Any) -> serializers.DecimalField:
    """An amount in the API: a string with two decimals (`"427750.00"`)."""
    return serializers.DecimalField(**MONEY, **kwargs)
