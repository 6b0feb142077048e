"""Late progress reports across many actions, from two narrow scans (the same rule as
`actions.selectors._due_for`, which works on one action's reports in hand): a year's report is late
once 30 June of the following year has passed without a submitted or approved report ending that
year, at or after the action's end if it ends that year."""

from __future__ import annotations

import datetime
import heapq
from collections import defaultdict

from django.db.models import QuerySet

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


def _covers(period_end: datetime.date, action_end: datetime.date) -> bool:
    """A done report ending `period_end` covers its year for an action ending `action_end`."""
    return period_end >= min(datetime.date(period_end.year, 12, 31), action_end)


def late_actions(
    *, actions: QuerySet[Action], today: datetime.date, first_year: int, limit: int
) -> tuple[list[Action], int]:
    """The `limit` actions late the longest and how many are late, in three queries whatever the
    number of actions: their spans, the years their done reports cover (two narrow scans, joined
    here), then the `limit` actions shown; `first_year` is the earliest year any may start.
    `action_rows` then says which years."""
    last = last_due_year(today)
    if last < first_year:
        return [], 0
    due = actions.filter(start_date__year__lte=last).order_by()
    covered: dict[int, set[int]] = defaultdict(set)
    reports = ProgressReport.objects.filter(
        action__in=due.values("pk"), status__in=DONE, period_end__year__lte=last
    ).order_by()
    for action_id, period_end, action_end in reports.values_list(
        "action_id", "period_end", "action__end_date"
    ):
        if _covers(period_end, action_end):
            covered[action_id].add(period_end.year)
    late: list[tuple[int, str, str, int]] = []
    for pk, start, end, reference, code in due.values_list(
        "pk", "start_date", "end_date", "axis__convention__reference", "code"
    ):
        years = range(max(start.year, first_year), min(end.year, last) + 1)
        first_late = next((y for y in years if y not in covered[pk]), None)
        if first_late is not None:
            late.append((first_late, reference, code, pk))
    shown = [pk for *_, pk in heapq.nsmallest(limit, late)]
    by_pk = Action.objects.select_related("axis__convention", "lead_organisation").in_bulk(shown)
    return [by_pk[pk] for pk in shown], len(late)
