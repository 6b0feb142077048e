"""The portfolio: every convention the user may read, totalled by status, year, porteur and
département, with late reports, consistency problems and indicators. Each block is computed by
the database in a fixed number of queries, whatever the number of conventions or funding lines."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Count, Q, Sum
from django.db.models.functions import Lower, Trim

from actions.models import Action, Indicator
from actions.overdue import late_actions
from actions.selectors import action_rows, actions_for, latest_approved_value
from backoffice.portfolio_problems import (
    PortfolioProblem,
    conventions_checked,
    portfolio_problems,
)
from conventions.models import Convention
from core.charts import bar_chart
from core.money import ZERO, rate_percent
from financing.selectors import conventions_with_totals
from financing.totals import funding_totals

CAP = 20  # rows per block; the rest is counted and one link away
PERCENT_UNITS = {"%", "pourcentage", "taux"}  # never summed


@dataclass(frozen=True)
class Line:
    """One row of a block: CNSA's amount is the signed one for conventions, planned for years."""

    label: str
    planned: Decimal
    cnsa: Decimal
    paid: Decimal | None
    spent: Decimal
    count: int | None = None
    query: str = ""

    @property
    def remaining(self) -> Decimal | None:
        return None if self.paid is None else self.cnsa - self.paid

    @property
    def spent_rate(self) -> Decimal | None:
        return rate_percent(self.spent, self.planned)


@dataclass
class Block:
    lines: list[Line]
    total: Line
    hidden: int = 0


@dataclass(frozen=True)
class LateReport:
    convention: Convention
    action_id: int
    action: str
    lead: str
    years: list[int]


@dataclass(frozen=True)
class UnitTotal:
    unit: str
    indicators: int
    reported: int
    target: Decimal
    achieved: Decimal


@dataclass
class Portfolio:
    by_status: Block
    by_porteur: Block
    by_year: Block
    by_departement: Block
    late: list[LateReport]
    late_count: int
    problems: list[PortfolioProblem]
    problems_count: int
    indicators: list[UnitTotal] = field(default_factory=list)

    @property
    def departement_chart(self) -> str:
        return bar_chart(
            [(line.label, line.planned, line.spent) for line in self.by_departement.lines],
            title="Prévu et dépensé par département (lignes de financement et comptes rendus approuvés)",
        )

    @property
    def year_chart(self) -> str:
        return bar_chart(
            [(line.label, line.planned, line.spent) for line in self.by_year.lines],
            title="Prévu et dépensé par année",
        )


def _sum(lines: list[Line], label: str) -> Line:
    paid = [line.paid for line in lines]
    return Line(
        label,
        sum((line.planned for line in lines), ZERO),
        sum((line.cnsa for line in lines), ZERO),
        None if None in paid else sum((p or ZERO for p in paid), ZERO),
        sum((line.spent for line in lines), ZERO),
        sum(line.count or 0 for line in lines) or None,
    )


def _capped(lines: list[Line], label: str, cap: int = CAP) -> Block:
    return Block(lines[:cap], _sum(lines, label), max(0, len(lines) - cap))


def _grouped(conventions: list[Convention], key: Callable[[Any], tuple[str, str]]) -> list[Line]:
    """The conventions' own figures (summed per convention by the database) summed per group,
    the largest CNSA amount first."""
    groups: dict[tuple[str, str], list[Any]] = defaultdict(list)
    for convention in conventions:
        groups[key(convention)].append(convention)
    lines = [
        Line(
            label,
            sum((c.planned for c in rows), ZERO),
            sum((c.cnsa_amount for c in rows), ZERO),
            sum((c.paid for c in rows), ZERO),
            sum((c.spent for c in rows), ZERO),
            len(rows),
            query,
        )
        for (label, query), rows in groups.items()
    ]
    return sorted(lines, key=lambda line: (-line.cnsa, line.label))


def _by_status(conventions: list[Convention]) -> Block:
    lines = _grouped(conventions, lambda c: (c.get_status_display(), f"status={c.status}"))
    return _capped(lines, "Ensemble du portefeuille")


def _by_porteur(conventions: list[Convention]) -> Block:
    lines = _grouped(conventions, lambda c: (c.beneficiary.name, f"porteur={c.beneficiary_id}"))
    return _capped(lines, "Tous les porteurs")


def _by_key(user: User | AnonymousUser, key: str, total_label: str) -> Block:
    rows = funding_totals(user=user, group_by=[key], filters={})
    lines = [
        Line(
            str(row[f"{key}_label"]),
            row["planned"],
            row["cnsa_planned"],
            row["paid"],
            row["spent"],
            query=f"{key}={row[key]}" if row[key] is not None else "",
        )
        for row in rows
    ]
    return Block(lines, _sum(lines, total_label))


def _late(user: User | AnonymousUser, today: datetime.date) -> tuple[list[LateReport], int]:
    actions, count = late_actions(actions=Action.objects.visible_to(user), today=today, limit=CAP)
    late = [
        LateReport(
            r.action.axis.convention,
            r.action.pk,
            f"{r.action.code} — {r.action.title}",
            r.action.lead_organisation.name,
            [d.year for d in r.overdue],
        )
        for r in action_rows(actions=actions, today=today)
    ]
    return late, count


def _indicators(user: User | AnonymousUser) -> list[UnitTotal]:
    """Targets and achievements summed per unit (case and spaces aside); percentages never."""
    rows = (
        Indicator.objects.filter(action__in=actions_for(user=user))
        .annotate(achieved=latest_approved_value(), unit_key=Lower(Trim("unit")))
        .exclude(unit_key__in=PERCENT_UNITS)
        .order_by()
        .values("unit_key")
        .annotate(
            n=Count("pk"),
            reported=Count("pk", filter=Q(achieved__isnull=False)),
            target=Sum("target"),
            achieved_sum=Sum("achieved"),
        )
        .order_by("-n", "unit_key")
    )
    return [
        UnitTotal(r["unit_key"], r["n"], r["reported"], r["target"], r["achieved_sum"] or ZERO)
        for r in rows
    ]


def portfolio(*, user: User | AnonymousUser, today: datetime.date) -> Portfolio:
    conventions = conventions_checked(user=user)
    late, late_count = _late(user, today)
    problems = portfolio_problems(conventions)
    return Portfolio(
        by_status=_by_status(conventions),
        by_porteur=_by_porteur(conventions),
        by_year=_by_key(user, "year", "Toutes les années"),
        by_departement=_by_key(user, "departement", "Tous les départements"),
        late=late,
        late_count=late_count,
        problems=problems[:CAP],
        problems_count=len(problems),
        indicators=_indicators(user),
    )


PORTFOLIO_TABLES = {
    "statut": "Par statut",
    "porteur": "Par porteur",
    "annee": "Par année",
    "departement": "Par département",
}


def portfolio_lines(*, user: User | AnonymousUser, table: str) -> list[Line]:
    """One table of the portfolio in full (the page shows the first lines): a file's rows."""
    if table in ("annee", "departement"):
        key = "year" if table == "annee" else "departement"
        return _by_key(user, key, "").lines
    rows = conventions_with_totals(Convention.objects.fully_visible_to(user)).select_related(
        "beneficiary"
    )
    if table == "statut":
        return _grouped(list(rows), lambda c: (c.get_status_display(), f"status={c.status}"))
    return _grouped(list(rows), lambda c: (c.beneficiary.name, f"porteur={c.beneficiary_id}"))
