"""Aggregates in the database: one correlated SUM for every amount annotated on a list."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Expression, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from core.fields import money_output

ZERO = Decimal("0.00")


def sum_subquery(
    queryset: QuerySet[Any], outer: str, expression: str | Expression = "amount"
) -> Coalesce:
    """SUM(expression) of the rows of `queryset` whose `outer` is the annotated row, 0.00 if none.

    A correlated subquery, not a join: several sums on one list neither multiply each other's rows
    nor cost a query per row."""
    summed = (
        queryset.filter(**{outer: OuterRef("pk")})
        .order_by()
        .values(outer)
        .annotate(total=Sum(expression))
        .values("total")
    )
    return Coalesce(
        Subquery(summed, output_field=money_output()), Value(ZERO), output_field=money_output()
    )
