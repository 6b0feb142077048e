"""Reads for the conventions list: the rows with their totals, the filters' choices."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import (
    Case,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Lower

from actions.models import Action
from backoffice.forms import DEFAULT_SORT, SORTS
from conventions.models import Convention, Organisation
from core.money import ZERO, rate_percent
from financing.selectors import conventions_with_totals

MONEY_KEYS = ("total_cost", "cnsa_amount", "planned", "paid", "spent", "remaining")


@dataclass(frozen=True)
class ListOptions:
    porteurs: Sequence[Organisation]
    departements: list[str]
    years: list[int]


def convention_list_options(*, user: User | AnonymousUser) -> ListOptions:
    """The filters' choices, from what the user may see: two queries."""
    visible = Convention.objects.fully_visible_to(user)
    organisations = list(
        Organisation.objects.annotate(
            is_porteur=Exists(visible.filter(beneficiary=OuterRef("pk"))),
            leads=Exists(
                Action.objects.filter(
                    lead_organisation=OuterRef("pk"), axis__convention__in=visible
                )
            ),
        )
        .filter(Q(is_porteur=True) | Q(leads=True))
        .only("name", "departement_code")
        .order_by("name")
    )
    porteurs = [o for o in organisations if o.is_porteur]
    bounds = visible.aggregate(first=Min("start_date__year"), last=Max("end_date__year"))
    years = list(range(bounds["last"], bounds["first"] - 1, -1)) if bounds["first"] else []
    departements = sorted({o.departement_code for o in organisations if o.departement_code})
    return ListOptions(porteurs=porteurs, departements=departements, years=years)


def convention_rows(
    *, user: User | AnonymousUser, filters: dict[str, Any], sort: str | None = None
) -> QuerySet[Convention]:
    """The conventions the user may read, filtered and sorted, each with its money totals."""
    visible = Convention.objects.fully_visible_to(user).select_related("beneficiary")
    queryset = conventions_with_totals(_filtered(visible, filters)).annotate(
        remaining=ExpressionWrapper(F("cnsa_amount") - F("paid"), output_field=DecimalField()),
        cnsa_rate_sort=Case(
            When(total_cost=0, then=Value(None)),
            default=F("cnsa_amount") * 100 / F("total_cost"),
            output_field=DecimalField(),
        ),
    )
    key = sort or DEFAULT_SORT
    descending = key.startswith("-")
    field = SORTS[key.lstrip("-")][0]
    expression = Lower(field) if field in ("reference", "beneficiary__name") else F(field)
    ordering = expression.desc(nulls_last=True) if descending else expression.asc(nulls_last=True)
    return queryset.order_by(ordering, "reference")


def _filtered(queryset: QuerySet[Convention], filters: dict[str, Any]) -> QuerySet[Convention]:
    if q := filters.get("q"):
        queryset = queryset.filter(
            Q(reference__icontains=q)
            | Q(title__icontains=q)
            | Q(beneficiary__name__icontains=q)
            | Q(beneficiary__short_name__icontains=q)
        )
    if status := filters.get("status"):
        queryset = queryset.filter(status=status)
    if porteur := filters.get("porteur"):
        queryset = queryset.filter(beneficiary_id=porteur)
    if departement := filters.get("departement"):
        led_there = Action.objects.filter(lead_organisation__departement_code=departement).values(
            "axis__convention_id"
        )
        queryset = queryset.filter(
            Q(beneficiary__departement_code=departement) | Q(pk__in=led_there)
        )
    if year := filters.get("year"):
        queryset = queryset.filter(start_date__year__lte=year, end_date__year__gte=year)
    return queryset


@dataclass(frozen=True)
class RowsTotal:
    count: int
    total_cost: Decimal
    cnsa_amount: Decimal
    planned: Decimal
    paid: Decimal
    spent: Decimal
    remaining: Decimal

    @property
    def cnsa_rate(self) -> Decimal | None:
        return rate_percent(self.cnsa_amount, self.total_cost)


def rows_total(rows: list[Any]) -> RowsTotal:
    """The totals row of rows already in hand (a page): summed here, no query."""
    sums = {key: sum((getattr(r, key) for r in rows), ZERO) for key in MONEY_KEYS}
    return RowsTotal(count=len(rows), **sums)
