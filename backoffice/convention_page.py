"""The convention page's data: the dashboard (from financing), then payments, amendments, the
generated documents and the latest history, each capped and counted in one query."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Count, QuerySet, Window

from backoffice.history import Entry, convention_timeline
from conventions.models import Amendment, Convention
from financing.dashboard import Dashboard, convention_dashboard
from financing.models import Payment
from reporting.models import Report

CAP = 10  # documents and history shown on the page; the full list is one link away
LONG_CAP = 50  # payments and amendments: a convention rarely has more


@dataclass(frozen=True)
class Capped:
    rows: list[Any]
    count: int

    @property
    def more(self) -> int:
        return self.count - len(self.rows)


def capped(queryset: QuerySet[Any], cap: int = CAP) -> Capped:
    """The first `cap` rows and how many there are in all, in one query."""
    rows = list(queryset.annotate(total_count=Window(Count("pk")))[:cap])
    return Capped(rows, rows[0].total_count if rows else 0)


@dataclass(frozen=True)
class ConventionPage:
    dashboard: Dashboard
    payments: Capped
    amendments: Capped
    documents: Capped
    history: list[Entry]
    history_count: int


def convention_page(
    *, convention: Convention, user: User | AnonymousUser, today: datetime.date
) -> ConventionPage:
    timeline = convention_timeline(convention=convention)
    return ConventionPage(
        dashboard=convention_dashboard(convention=convention, today=today),
        payments=capped(
            Payment.objects.filter(convention=convention).order_by("due_date", "paid_on", "pk"),
            LONG_CAP,
        ),
        amendments=capped(
            Amendment.objects.filter(convention=convention)
            .select_related("created_by")
            .order_by("-number"),
            LONG_CAP,
        ),
        documents=capped(
            Report.objects.visible_to(user)
            .filter(convention=convention, status=Report.Status.DONE)
            .select_related("requested_by")
            .order_by("-finished_at", "-pk")
        ),
        history=timeline[0:CAP],
        history_count=timeline.count(),
    )
