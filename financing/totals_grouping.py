"""The grouped reading shared by everyone's totals (financing.totals): filters on a totals
table, the sums, the groups with money, and the merge of rows from two tables."""

from __future__ import annotations

from django.db.models import F, Q, QuerySet, Sum

from core.money import ZERO
from financing.totals_sources import Source


def cnsa_lines(source: Source) -> Q:
    """The CNSA share where the table has no column for it: the lines of the convention's funder."""
    return Q(funder_key=F(f"{source.convention_prefix}funder_id"))


def filtered(queryset: QuerySet, source: Source, filters: dict) -> QuerySet:
    c = source.convention_prefix
    conditions = Q()
    for key, path in (
        ("convention", f"{c}id"),
        ("beneficiary", f"{c}beneficiary_id"),
        ("status", f"{c}status"),
    ):
        if key in filters:
            conditions &= Q(**{path: filters[key]})
    if "funder" in filters:
        conditions &= Q(funder_key=filters["funder"])
    if "year" in filters:
        conditions &= Q(year=filters["year"])
    if "year_min" in filters:
        conditions &= Q(year__gte=filters["year_min"])
    if "year_max" in filters:
        conditions &= Q(year__lte=filters["year_max"])
    queryset = queryset.filter(conditions)
    if "departement" in filters:
        queryset = queryset.alias(_dep=source.keys()["departement"]).filter(
            _dep=filters["departement"]
        )
    return queryset


def measures_for(source: Source, *, money: bool, paid: bool) -> dict[str, object]:
    measures: dict[str, object] = {}
    if money:
        cnsa = cnsa_lines(source)
        measures |= {
            "_planned": Sum("planned", default=ZERO),
            "_cnsa_planned": Sum("cnsa_planned", default=ZERO)
            if source.cnsa_column
            else Sum("planned", filter=cnsa, default=ZERO),
            "_spent": Sum("spent", default=ZERO),
        }
    if paid:
        measures["_paid"] = Sum("paid", default=ZERO)
    return measures


def nonzero(measures: dict[str, object]) -> Q:
    """Groups where something is planned, spent or paid (a deleted line leaves a zero behind)."""
    condition = Q()
    for name in measures:
        if name != "_cnsa_planned":
            condition |= ~Q(**{name: 0})
    return condition


def grouped_rows(
    queryset: QuerySet, source: Source, group_by: list[str], measures: dict
) -> QuerySet:
    keys = source.keys()
    values = {f"k_{key}": keys[key] for key in group_by}  # "year" would clash with the field
    return (
        queryset.order_by()
        .values(**values)
        .annotate(**measures)
        .filter(nonzero(measures))
        .order_by(*(F(f"k_{key}").asc(nulls_last=True) for key in group_by))
    )


def merge_rows(group_by: list[str], *sources: list[dict]) -> list[dict]:
    """The rows of several readings summed per group, in key order."""
    rows: dict[tuple, dict] = {}
    for source in (row for part in sources for row in part):
        key = tuple(source[f"k_{k}"] for k in group_by)
        row = rows.setdefault(key, {f"k_{k}": source[f"k_{k}"] for k in group_by})
        for name, value in source.items():
            if name.startswith("_"):
                row[name] = row.get(name, ZERO) + value
    return [rows[key] for key in sorted(rows, key=sort_key)]


def sort_key(key: tuple) -> tuple:
    return tuple((value is None, value if value is not None else 0) for value in key)
