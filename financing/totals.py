"""Funding totals grouped by any keys, read from the totals tables (financing.totals_upkeep).

planned / cnsa_planned come from funding lines, paid from CNSA payments (net of reclaims), spent from
spending in approved progress reports. Payments belong to a convention, not to an axis, an action or a
département, so `paid` is null whenever the request groups or filters by one of those, and on rows of
a funder that is not a convention's funder (co-funders' payments are not recorded here).

The coarsest table that holds the keys answers (financing.totals_sources): per convention, per axis,
per département, one row per action, else per action × funder × year. Groups are ids; their labels come in one more query, for the page's rows only.
CNSA officers read everything in one grouped query, paginated by the database; a partner's totals
(its own actions, payments of its own conventions) merge two small queries.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet, Sum, Window

from actions.models import visible_through_action
from conventions.access import scope_for
from conventions.models import Convention, Organisation
from core.money import ZERO, rate_percent, round_money
from financing.models import NOT_SPLIT, ConventionTotal
from financing.models.totals import PRESENT
from financing.totals_labels import labels_for
from financing.totals_sources import (
    BY_ACTION,
    BY_CONVENTION,
    Source,
    rows_are_groups,
    source_for,
)

GROUP_KEYS = ("convention", "axis", "action", "year", "funder", "beneficiary", "departement")
FILTER_KEYS = (
    "convention",
    "year",
    "year_min",
    "year_max",
    "funder",
    "beneficiary",
    "departement",
    "status",
)
MEASURES = ("planned", "cnsa_planned", "cnsa_rate", "paid", "spent")
UNATTRIBUTABLE_PAYMENT_KEYS = frozenset({"axis", "action", "departement"})
STREAM_BATCH = 2000


@dataclass(frozen=True)
class TotalsPage:
    rows: list[dict]
    count: int


def _filtered(queryset: QuerySet, source: Source, filters: dict) -> QuerySet:
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


def _measures(source: Source, *, money: bool, paid: bool) -> dict[str, object]:
    measures: dict[str, object] = {}
    if money:
        cnsa = Q(funder_key=F(f"{source.convention_prefix}funder_id"))
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


def _nonzero(measures: dict[str, object]) -> Q:
    """Groups where something is planned, spent or paid (a deleted line leaves a zero behind)."""
    condition = Q()
    for name in measures:
        if name != "_cnsa_planned":
            condition |= ~Q(**{name: 0})
    return condition


def _grouped(queryset: QuerySet, source: Source, group_by: list[str], measures: dict) -> QuerySet:
    keys = source.keys()
    values = {f"k_{key}": keys[key] for key in group_by}  # "year" would clash with the field
    return (
        queryset.order_by()
        .values(**values)
        .annotate(**measures)
        .filter(_nonzero(measures))
        .order_by(*(F(f"k_{key}").asc(nulls_last=True) for key in group_by))
    )


def funding_totals(*, user, group_by: list[str], filters: dict) -> list[dict]:
    """Every row (one grand-total row without keys): for callers that need them all."""
    return funding_totals_page(
        user=user, group_by=group_by, filters=filters, offset=0, limit=None
    ).rows


def funding_totals_stream(*, user, group_by: list[str], filters: dict) -> Iterator[dict]:
    """Every row, for files of any size: read through a server-side cursor, labelled by batches,
    so memory holds one batch, not the whole result."""
    scope = scope_for(user)
    payments_known = not (UNATTRIBUTABLE_PAYMENT_KEYS & {*group_by, *filters})
    source = source_for({*group_by, *filters}, scope.is_global)
    if not group_by or (payments_known and source is not BY_CONVENTION):
        yield from funding_totals(user=user, group_by=group_by, filters=filters)
        return
    queryset = _filtered(source.model._default_manager.all(), source, filters)
    if source is BY_ACTION:
        queryset = visible_through_action(queryset, user, "action__")
    measures = _measures(source, money=True, paid=payments_known)
    rows = _grouped(queryset, source, group_by, measures).iterator(chunk_size=STREAM_BATCH)
    while batch := list(itertools.islice(rows, STREAM_BATCH)):
        labels = labels_for(group_by, batch)
        yield from (_finish(row, group_by, payments_known, labels) for row in batch)


def funding_totals_page(
    *, user, group_by: list[str], filters: dict, offset: int, limit: int | None
) -> TotalsPage:
    """The rows from `offset` (at most `limit`), in key order, and how many rows there are."""
    scope = scope_for(user)
    payments_known = not (UNATTRIBUTABLE_PAYMENT_KEYS & {*group_by, *filters})
    source = source_for({*group_by, *filters}, scope.is_global)
    queryset = _filtered(source.model._default_manager.all(), source, filters)
    if source is BY_ACTION:
        queryset = visible_through_action(queryset, user, "action__")
    paid_here = payments_known and source is BY_CONVENTION
    measures = _measures(source, money=True, paid=paid_here)
    if not group_by:
        row = queryset.aggregate(**measures)
        if payments_known and not paid_here:
            row |= _paid_rows(user, [], filters)[0]
        return TotalsPage([_finish(row, [], payments_known, {})], 1)
    if rows_are_groups(source, group_by):
        return _ungrouped_page(queryset, source, group_by, offset, limit)
    grouped = _grouped(queryset, source, group_by, measures)
    if payments_known and not paid_here:
        rows = _merge(group_by, list(grouped), _paid_rows(user, group_by, filters))
        count, rows = len(rows), rows[offset : None if limit is None else offset + limit]
    else:
        counted = grouped.annotate(_count=Window(Count("*")))
        rows = list(counted[offset : None if limit is None else offset + limit])
        count = rows[0]["_count"] if rows else _count_beyond(grouped, offset)
    labels = labels_for(group_by, rows)
    return TotalsPage([_finish(row, group_by, payments_known, labels) for row in rows], count)


def _ungrouped_page(
    queryset: QuerySet, source: Source, group_by: list[str], offset: int, limit: int | None
) -> TotalsPage:
    """One row per group already: the page read without aggregate, the count apart. Paid is
    unknown per action and per département."""
    keys = source.keys()
    present = queryset.filter(PRESENT)
    rows = list(
        present.order_by(*(F(f"k_{key}").asc(nulls_last=True) for key in group_by)).values(
            **{f"k_{key}": keys[key] for key in group_by},
            _planned=F("planned"),
            _cnsa_planned=F("cnsa_planned"),
            _spent=F("spent"),
        )[offset : None if limit is None else offset + limit]
    )
    count = present.count()
    labels = labels_for(group_by, rows)
    return TotalsPage([_finish(row, group_by, False, labels) for row in rows], count)


def _count_beyond(grouped: QuerySet, offset: int) -> int:
    """A page past the end has no row to carry the count: ask for it (out-of-range pages only)."""
    return grouped.count() if offset else 0


def _paid_rows(user, group_by: list[str], filters: dict) -> list[dict]:
    visible = Convention.objects.fully_visible_to(user).values("pk")
    payments = _filtered(
        ConventionTotal.objects.filter(convention__in=visible), BY_CONVENTION, filters
    )
    measures = _measures(BY_CONVENTION, money=False, paid=True)
    if not group_by:
        return [payments.aggregate(**measures)]
    return list(_grouped(payments, BY_CONVENTION, group_by, measures))


def _merge(group_by: list[str], money_rows: list[dict], paid_rows: list[dict]) -> list[dict]:
    rows: dict[tuple, dict] = {}
    for source in (*money_rows, *paid_rows):
        key = tuple(source[f"k_{k}"] for k in group_by)
        row = rows.setdefault(key, {f"k_{k}": source[f"k_{k}"] for k in group_by})
        for name, value in source.items():
            if name.startswith("_"):
                row[name] = row.get(name, ZERO) + value
    return [rows[key] for key in sorted(rows, key=_sort_key)]


def _finish(row: dict, group_by: list[str], payments_known: bool, labels: dict) -> dict:
    def measure(name: str):
        return row.get(f"_{name}") or ZERO

    keys: dict[str, object] = {}
    for key in group_by:
        value = row[f"k_{key}"]
        if key == "funder" and value == NOT_SPLIT:
            value = None
        keys[key] = value
        keys[f"{key}_label"] = labels.get((key, value), _fallback_label(key, value))
    funder = keys.get("funder")
    paid_applies = payments_known and (
        "funder" not in group_by or labels.get(("funder_kind", funder)) == Organisation.Kind.FUNDER
    )
    planned, cnsa_planned = round_money(measure("planned")), round_money(measure("cnsa_planned"))
    return {
        **keys,
        "planned": planned,
        "cnsa_planned": cnsa_planned,
        "cnsa_rate": rate_percent(cnsa_planned, planned),
        "paid": round_money(measure("paid")) if paid_applies else None,
        "spent": round_money(measure("spent")),
    }


def _fallback_label(key: str, value: object) -> str:
    if value is None:
        return "Non ventilé" if key == "funder" else "Non renseigné"
    return str(value)


def _sort_key(key: tuple) -> tuple:
    return tuple((value is None, value if value is not None else 0) for value in key)
