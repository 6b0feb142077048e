"""« Mes actions » and the review queue filtered, searched and sorted by the database."""

from __future__ import annotations

from typing import Any

from django.db.models import F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Lower

from actions.forms_lists import ACTION_SORTS, NO_REPORT, REVIEW_SORTS
from actions.models import Action, ProgressReport
from conventions.models import Organisation

TEXT_FIELDS = {
    "code",
    "action__code",
    "axis__convention__reference",
    "action__axis__convention__reference",
    "lead_organisation__name",
    "action__lead_organisation__name",
}


def lead_options(*, actions: QuerySet[Action]) -> list[Organisation]:
    """The organisations leading some of these actions, for the « Pilote » filter: one query."""
    return list(
        Organisation.objects.filter(pk__in=actions.values("lead_organisation_id"))
        .only("name")
        .order_by("name")
    )


def _ordering(sorts: dict[str, tuple[str, ...]], key: str) -> list[Any]:
    descending = key.startswith("-")
    ordering = []
    for field in sorts[key.lstrip("-")]:
        expression = Lower(field) if field in TEXT_FIELDS else F(field)
        ordering.append(
            expression.desc(nulls_last=True) if descending else expression.asc(nulls_last=True)
        )
    return ordering


def _search(prefix: str, q: str) -> Q:
    return (
        Q(**{f"{prefix}code__icontains": q})
        | Q(**{f"{prefix}title__icontains": q})
        | Q(**{f"{prefix}axis__convention__reference__icontains": q})
        | Q(**{f"{prefix}lead_organisation__name__icontains": q})
    )


def filter_actions(
    actions: QuerySet[Action], *, filters: dict[str, Any], sort: str
) -> QuerySet[Action]:
    """The actions matching the search and filters, in the chosen order."""
    if q := filters.get("q"):
        actions = actions.filter(_search("", q))
    if pilote := filters.get("pilote"):
        actions = actions.filter(lead_organisation_id=pilote)
    if statut := filters.get("statut"):
        latest = (
            ProgressReport.objects.filter(action=OuterRef("pk"))
            .order_by("-period_end", "-pk")
            .values("status")[:1]
        )
        actions = actions.annotate(latest_status=Subquery(latest))
        if statut == NO_REPORT:
            actions = actions.filter(latest_status__isnull=True)
        else:
            actions = actions.filter(latest_status=statut)
    return actions.order_by(*_ordering(ACTION_SORTS, sort), "pk")


def filter_reviews(
    reports: QuerySet[ProgressReport], *, filters: dict[str, Any], sort: str
) -> QuerySet[ProgressReport]:
    """The reports awaiting review matching the search and filters, in the chosen order."""
    if q := filters.get("q"):
        reports = reports.filter(_search("action__", q))
    if pilote := filters.get("pilote"):
        reports = reports.filter(action__lead_organisation_id=pilote)
    return reports.order_by(*_ordering(REVIEW_SORTS, sort), "pk")
