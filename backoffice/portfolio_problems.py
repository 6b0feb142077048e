"""Consistency problems across the portfolio, in one query: the checks that a convention's own
totals can answer (plan against signed figures, payments against the CNSA amount, the rate cap,
funding lines outside the period). The convention page lists every problem in detail.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Exists, OuterRef

from conventions.models import Convention
from core.aggregates import sum_subquery
from core.money import format_euros, format_rate, rate_percent
from financing.models import ConventionTotal, Payment
from financing.selectors import SIGNED_PAYMENT, conventions_with_totals


@dataclass(frozen=True)
class PortfolioProblem:
    convention: Convention
    messages: list[str]


def conventions_checked(*, user: User | AnonymousUser) -> list[Convention]:
    """Every convention the user may read with its totals and what its checks need: one query."""
    # planned money in a year outside the period, read from the convention's totals (a handful of
    # rows per convention, kept by the database with the lines)
    outside = (
        ConventionTotal.objects.filter(convention=OuterRef("pk"))
        .exclude(planned=0)
        .exclude(
            year__gte=OuterRef("start_date__year"),
            year__lte=OuterRef("end_date__year"),
        )
    )
    rows = (
        conventions_with_totals(Convention.objects.fully_visible_to(user))
        .select_related("beneficiary")
        .annotate(
            committed=sum_subquery(
                Payment.objects.exclude(status=Payment.Status.CANCELLED),
                "convention",
                SIGNED_PAYMENT,
            ),
            lines_outside=Exists(outside),
        )
        .order_by("reference")
    )
    return list(rows)


def portfolio_problems(conventions: list[Convention]) -> list[PortfolioProblem]:
    """The conventions (from `conventions_checked`) that fail a check, with what fails."""
    checked = ((c, _messages(c)) for c in conventions)
    return [PortfolioProblem(c, messages) for c, messages in checked if messages]


def _messages(c: Convention) -> list[str]:
    planned: Decimal = c.planned  # type: ignore[attr-defined]
    cnsa_planned: Decimal = c.cnsa_planned  # type: ignore[attr-defined]
    committed: Decimal = c.committed  # type: ignore[attr-defined]
    messages = []
    if planned != c.total_cost:
        messages.append(
            f"Plan de financement : {format_euros(planned)} pour un coût global de "
            f"{format_euros(c.total_cost)}"
        )
    if cnsa_planned != c.cnsa_amount:
        messages.append(
            f"Lignes CNSA : {format_euros(cnsa_planned)} pour un montant CNSA de "
            f"{format_euros(c.cnsa_amount)}"
        )
    if committed > c.cnsa_amount:
        messages.append(
            f"Versements ({format_euros(committed)}) au-delà du montant CNSA de "
            f"{format_euros(committed - c.cnsa_amount)}"
        )
    if c.rate_above_cap:
        messages.append(
            f"Taux CNSA {format_rate(rate_percent(c.cnsa_amount, c.total_cost))} au-dessus du "
            f"plafond de {format_rate(c.rate_cap)}"
        )
    if c.lines_outside:  # type: ignore[attr-defined]
        messages.append("Lignes de financement hors de la période de la convention")
    return messages
