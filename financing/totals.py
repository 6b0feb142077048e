"""Funding totals grouped by any keys, read from the totals tables (financing.totals_upkeep).

planned / cnsa_planned come from funding lines, paid from CNSA payments (net of reclaims), spent from
spending in approved progress reports. Payments belong to a convention, not to an axis, an action or a
département, so `paid` is null whenever the request groups or filters by one of those, and on rows of
a funder that is not a convention's funder (co-funders' payments are not recorded here).

The coarsest table that holds the keys answers (financing.totals_sources): per convention, per axis,
per département, one row per action, else per action × funder × year. Groups are ids; their labels
come in one more query, for the page's rows only. CNSA officers read everything in one grouped
query, paginated by the database, which stops at the page's last group; the count is asked apart,
only when the page is full. A porteur's totals by convention, funder or year come from the carried
conventions' rows (financing.totals_partner); other partners' totals (their own actions, payments of
their own conventions) merge two small queries.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.db.models import Case, DecimalField, F, Q, QuerySet, Value, When

from actions.models import visible_through_action
from conventions.access import scope_for
from conventions.models import Convention, Organisation
from core.money import ZERO, rate_percent, round_money
from financing.models import NOT_SPLIT, ConventionTotal
from financing.models.totals import PRESENT
from financing.totals_grouping import (
    cnsa_lines,
    filtered,
    grouped_rows,
    measures_for,
    merge_rows,
)
from financing.totals_labels import labels_for
from financing.totals_partner import carried_conventions_answer, partner_rows
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
    queryset = filtered(source.model._default_manager.all(), source, filters)
    if source is BY_ACTION:
        queryset = visible_through_action(queryset, user, "action__")
    measures = measures_for(source, money=True, paid=payments_known)
    rows = grouped_rows(queryset, source, group_by, measures).iterator(chunk_size=STREAM_BATCH)
    while batch := list(itertools.islice(rows, STREAM_BATCH)):
        yield from map(_finisher(group_by, payments_known, labels_for(group_by, batch)), batch)


def funding_totals_page(
    *, user, group_by: list[str], filters: dict, offset: int, limit: int | None
) -> TotalsPage:
    """The rows from `offset` (at most `limit`), in key order, and how many rows there are."""
    scope = scope_for(user)
    payments_known = not (UNATTRIBUTABLE_PAYMENT_KEYS & {*group_by, *filters})
    if carried_conventions_answer(scope, {*group_by, *filters}):
        rows = partner_rows(scope, group_by, filters, payments_known)
        count = len(rows)
        if group_by:  # the grand-total row stands on every page, as below
            rows = rows[offset : None if limit is None else offset + limit]
        return _labelled(rows, group_by, payments_known, count)
    source = source_for({*group_by, *filters}, scope.is_global)
    queryset = filtered(source.model._default_manager.all(), source, filters)
    if source is BY_ACTION:
        queryset = visible_through_action(queryset, user, "action__")
    paid_here = payments_known and source is BY_CONVENTION
    measures = measures_for(source, money=True, paid=paid_here)
    if not group_by:
        row = queryset.aggregate(**measures)
        if payments_known and not paid_here:
            row |= _paid_rows(user, [], filters)[0]
        return TotalsPage([_finisher([], payments_known, {})(row)], 1)
    if rows_are_groups(source, group_by):
        return _ungrouped_page(queryset, source, group_by, offset, limit, paid_here)
    grouped = grouped_rows(queryset, source, group_by, measures)
    if payments_known and not paid_here:
        rows = merge_rows(group_by, list(grouped), _paid_rows(user, group_by, filters))
        count, rows = len(rows), rows[offset : None if limit is None else offset + limit]
    else:
        rows = list(grouped[offset : None if limit is None else offset + limit])
        count = _count(
            rows, offset, limit, lambda: _group_count(queryset, source, group_by, grouped)
        )
    return _labelled(rows, group_by, payments_known, count)


def _labelled(
    rows: list[dict], group_by: list[str], payments_known: bool, count: int
) -> TotalsPage:
    labels = labels_for(group_by, rows)
    return TotalsPage(list(map(_finisher(group_by, payments_known, labels), rows)), count)


def _count(rows: list, offset: int, limit: int | None, count_all) -> int:
    """A page that ends before its limit tells the count; only a full page or one past the end
    asks the database (the page itself stops at its last row, without reading every group)."""
    if rows and (limit is None or len(rows) < limit):
        return offset + len(rows)
    if not rows and not offset:
        return 0
    return count_all()


def _group_count(queryset: QuerySet, source: Source, group_by: list[str], grouped: QuerySet) -> int:
    """Planned and spent are never negative (database constraints): a group has money exactly when
    one of its rows has, so the groups are the distinct keys of the rows with money, counted without
    summing. Paid nets reclaims: the per-convention table counts its groups with their sums."""
    if source is BY_CONVENTION:
        return grouped.count()
    keys = source.keys()
    return (
        queryset.filter(PRESENT)
        .order_by()
        .values(**{f"k_{key}": keys[key] for key in group_by})
        .distinct()
        .count()
    )


def _ungrouped_page(
    queryset: QuerySet,
    source: Source,
    group_by: list[str],
    offset: int,
    limit: int | None,
    paid: bool,
) -> TotalsPage:
    """One row per group already: the page read without aggregate. Paid is unknown per action
    and per département; per convention, funder and year it is a column."""
    keys = source.keys()
    values: dict[str, object] = {
        "_planned": F("planned"),
        "_cnsa_planned": F("cnsa_planned") if source.cnsa_column else _cnsa_share(source),
        "_spent": F("spent"),
    }
    present = queryset.filter(PRESENT | ~Q(paid=0) if paid else PRESENT)
    if paid:
        values["_paid"] = F("paid")
    rows = list(
        present.order_by(*(F(f"k_{key}").asc(nulls_last=True) for key in group_by)).values(
            **{f"k_{key}": keys[key] for key in group_by}, **values
        )[offset : None if limit is None else offset + limit]
    )
    return _labelled(rows, group_by, paid, _count(rows, offset, limit, present.count))


def _cnsa_share(source: Source) -> Case:
    return Case(
        When(cnsa_lines(source), then=F("planned")),
        default=Value(ZERO),
        output_field=DecimalField(max_digits=16, decimal_places=2),
    )


def _paid_rows(user, group_by: list[str], filters: dict) -> list[dict]:
    visible = Convention.objects.fully_visible_to(user).values("pk")
    payments = filtered(
        ConventionTotal.objects.filter(convention__in=visible), BY_CONVENTION, filters
    )
    measures = measures_for(BY_CONVENTION, money=False, paid=True)
    if not group_by:
        return [payments.aggregate(**measures)]
    return list(grouped_rows(payments, BY_CONVENTION, group_by, measures))


def _finisher(group_by: list[str], payments_known: bool, labels: dict) -> Callable[[dict], dict]:
    """The API row of a group: keys and labels, then the measures rounded to the cent. Built once
    per page: a page of a thousand rows spends its time here, not in the database."""
    names = [(key, f"k_{key}", f"{key}_label", _missing_label(key)) for key in group_by]
    by_funder = "funder" in group_by
    funder_kind = Organisation.Kind.FUNDER

    def finish(row: dict) -> dict:
        out: dict[str, object] = {}
        for key, name, label_name, missing in names:
            value = row[name]
            if value is None or (value == NOT_SPLIT and key == "funder"):
                out[key], out[label_name] = None, missing
                continue
            out[key] = value
            label = labels.get((key, value))
            out[label_name] = str(value) if label is None else label
        planned = round_money(row.get("_planned") or ZERO)
        cnsa_planned = round_money(row.get("_cnsa_planned") or ZERO)
        paid_applies = payments_known and (
            not by_funder or labels.get(("funder_kind", out["funder"])) == funder_kind
        )
        out["planned"] = planned
        out["cnsa_planned"] = cnsa_planned
        out["cnsa_rate"] = rate_percent(cnsa_planned, planned)
        out["paid"] = round_money(row.get("_paid") or ZERO) if paid_applies else None
        out["spent"] = round_money(row.get("_spent") or ZERO)
        return out

    return finish


def _missing_label(key: str) -> str:
    return "Non ventilé" if key == "funder" else "Non renseigné"
