"""Late progress reports across many actions, decided by the database (the same rule as
`actions.selectors._due_for`, which works on one action's reports in hand): a year's report is late
once 30 June of the following year has passed without a submitted or approved report ending that
year, at or after the action's end if it ends that year."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
    Window,
)
from django.db.models.functions import Least

from actions.models import Action, ProgressReport
from actions.selectors_calendar import DONE

# The default reporting terms: a year's report is due six months after its end, on 30 June.
REPORT_DELAY_MONTH_DAY = (6, 30)


def last_due_year(today: datetime.date) -> int:
    """The latest year whose report is already late on `today`."""
    return (
        today.year - 1
        if today > datetime.date(today.year, *REPORT_DELAY_MONTH_DAY)
        else today.year - 2
    )


def _late_in(year: int) -> Q:
    covered = ProgressReport.objects.filter(
        action=OuterRef("pk"),
        status__in=DONE,
        period_end__year=year,
        period_end__gte=Least(Value(datetime.date(year, 12, 31)), OuterRef("end_date")),
    )
    return Q(start_date__year__lte=year, end_date__year__gte=year) & Q(~Exists(covered))


def late_actions(
    *, actions: QuerySet[Action], today: datetime.date, first_year: int, limit: int
) -> tuple[list[Action], int]:
    """The `limit` actions late the longest and how many are late, in one query; `first_year` is
    the earliest year any of the actions may start. `action_rows` then says which years."""
    years = list(range(first_year, last_due_year(today) + 1))
    if not years:
        return [], 0
    first_late = Case(
        *(When(_late_in(y), then=Value(y)) for y in years), output_field=IntegerField()
    )
    rows: list[Any] = list(
        actions.annotate(first_late=first_late)
        .filter(first_late__isnull=False)
        .annotate(late_count=Window(Count("pk")))
        .select_related("axis__convention", "lead_organisation")
        .order_by("first_late", "axis__convention__reference", "code")[:limit]
    )
    return rows, (rows[0].late_count if rows else 0)
