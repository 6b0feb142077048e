"""Late progress reports across many actions, read from ActionDue (actions.services_due): an action
is late once the due date of the earliest report it owes and has not transmitted has passed, the
calendar's own rule (`deadline_state`), kept per action so that the portfolio reads an index range
instead of every action and report of the country."""

from __future__ import annotations

import datetime

from django.db.models import QuerySet

from actions.models import Action


def late_actions(
    *, actions: QuerySet[Action], today: datetime.date, limit: int
) -> tuple[list[Action], int]:
    """The `limit` actions late the longest and how many are late, in two queries whatever the
    number of actions. `action_rows` then says which reports."""
    late = actions.filter(due__first_open_due_on__lt=today)
    shown = list(
        late.select_related("axis__convention", "lead_organisation").order_by(
            "due__first_open_due_on", "axis__convention__reference", "code", "pk"
        )[:limit]
    )
    return shown, late.order_by().count()
