"""Reads and aggregates on money: every total is computed by the database."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import (
    Case,
    F,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    When,
)

from actions.models import Action
from conventions.models import Convention
from core.aggregates import sum_subquery
from core.fields import money_output
from core.money import ZERO, format_euros, format_rate, rate_percent, round_money
from financing.models import ConventionTotal, FundingLine, Payment

MONEY_FIELD = money_output()

SIGNED_PAYMENT = Case(
    When(kind=Payment.Kind.RECLAIM, then=-F("amount")),
    default=F("amount"),
    output_field=MONEY_FIELD,
)


def conventions_with_totals(queryset: QuerySet[Convention]) -> QuerySet[Convention]:
    """planned, cnsa_planned, paid (net of reclaims) and spent (approved reports) on each row, from
    the convention totals table: a handful of rows per convention, whatever its size."""
    totals = ConventionTotal.objects.all()
    return queryset.annotate(
        planned=sum_subquery(totals, "convention", "planned"),
        cnsa_planned=sum_subquery(
            totals.filter(funder_key=OuterRef("funder_id")), "convention", "planned"
        ),
        paid=sum_subquery(totals, "convention", "paid"),
        spent=sum_subquery(totals, "convention", "spent"),
    )


def convention_paid_net(*, convention: Convention, include_planned: bool = False) -> Decimal:
    statuses = [Payment.Status.PAID] + ([Payment.Status.PLANNED] if include_planned else [])
    return Payment.objects.filter(convention=convention, status__in=statuses).aggregate(
        total=Sum(SIGNED_PAYMENT, default=ZERO)
    )["total"]


@dataclass(frozen=True)
class ConventionSummary:
    total_cost: Decimal
    cnsa_amount: Decimal
    cnsa_rate: Decimal | None
    planned: Decimal
    cnsa_planned: Decimal
    paid: Decimal
    committed: Decimal
    spent: Decimal
    owed: Decimal
    balance: Decimal

    @property
    def remaining(self) -> Decimal:
        return self.cnsa_amount - self.paid


def convention_summary(*, convention: Convention) -> ConventionSummary:
    """The convention's money in one query; 'owed' is approved spending × the rate, capped."""
    totals: Mapping[str, Any] = (
        conventions_with_totals(Convention.objects.filter(pk=convention.pk))
        .annotate(
            committed=sum_subquery(
                Payment.objects.exclude(status=Payment.Status.CANCELLED),
                "convention",
                SIGNED_PAYMENT,
            )
        )
        .values(
            "total_cost", "cnsa_amount", "planned", "cnsa_planned", "paid", "committed", "spent"
        )[0]
    )
    row = {key: round_money(value) for key, value in totals.items()}
    rate = rate_percent(row["cnsa_amount"], row["total_cost"])
    owed = min(round_money(row["spent"] * (rate or ZERO) / 100), row["cnsa_amount"])
    return ConventionSummary(
        total_cost=row["total_cost"],
        cnsa_amount=row["cnsa_amount"],
        cnsa_rate=rate,
        planned=row["planned"],
        cnsa_planned=row["cnsa_planned"],
        paid=row["paid"],
        committed=row["committed"],
        spent=row["spent"],
        owed=owed,
        balance=owed - row["paid"],
    )


@dataclass(frozen=True)
class Problem:
    """One inconsistency: a stable code, a French sentence, where it is, and by how much."""

    code: str
    message: str
    place: str
    amount: Decimal | None = None
    severity: str = "error"


def convention_consistency(*, convention: Convention) -> list[Problem]:
    """Every imbalance and out-of-rule item of a convention, in a fixed number of queries."""
    summary = convention_summary(convention=convention)
    problems: list[Problem] = []
    problems += _plan_problems(convention, summary)
    problems += _period_problems(convention)
    problems += _payment_problems(convention, summary)
    return problems


def _plan_problems(convention: Convention, summary: ConventionSummary) -> list[Problem]:
    problems = []
    gap = summary.planned - summary.total_cost
    if gap:
        problems.append(
            Problem(
                "plan_total_mismatch",
                f"Les lignes de financement totalisent {format_euros(summary.planned)} pour un coût "
                f"global signé de {format_euros(summary.total_cost)} (écart {format_euros(gap)}).",
                "Plan de financement",
                gap,
            )
        )
    cnsa_gap = summary.cnsa_planned - summary.cnsa_amount
    if cnsa_gap:
        problems.append(
            Problem(
                "plan_cnsa_mismatch",
                f"Les lignes CNSA totalisent {format_euros(summary.cnsa_planned)} pour un montant CNSA "
                f"signé de {format_euros(summary.cnsa_amount)} (écart {format_euros(cnsa_gap)}).",
                "Plan de financement — CNSA",
                cnsa_gap,
            )
        )
    if (
        convention.rate_cap is not None
        and summary.cnsa_rate is not None
        and (summary.cnsa_rate > convention.rate_cap)
    ):
        excess = summary.cnsa_amount - round_money(summary.total_cost * convention.rate_cap / 100)
        problems.append(
            Problem(
                "rate_above_cap",
                f"Le taux CNSA ({format_rate(summary.cnsa_rate)}) dépasse le plafond de "
                f"{format_rate(convention.rate_cap)} ({format_euros(excess)} au-delà).",
                "Convention",
                excess,
                "warning",
            )
        )
    return problems


def _period_problems(convention: Convention) -> list[Problem]:
    problems = []
    years = convention.years
    lines = (
        FundingLine.objects.filter(action__axis__convention=convention)
        .exclude(year__gte=years.start, year__lt=years.stop)
        .select_related("action", "funder")
    )
    for line in lines:
        problems.append(
            Problem(
                "line_outside_period",
                f"Ligne {line.year} de {line.funder} hors de la période "
                f"{years.start}-{years.stop - 1}.",
                f"Action {line.action.code} — {line.funder} — {line.year}",
                line.amount,
            )
        )
    actions = Action.objects.filter(axis__convention=convention).filter(
        Q(start_date__lt=convention.start_date) | Q(end_date__gt=convention.end_date)
    )
    for action in actions:
        problems.append(
            Problem(
                "action_outside_period",
                f"L'action se déroule du {action.start_date:%d/%m/%Y} au {action.end_date:%d/%m/%Y}, "
                f"hors de la convention ({convention.start_date:%d/%m/%Y} – "
                f"{convention.end_date:%d/%m/%Y}).",
                f"Action {action.code}",
            )
        )
    return problems


def _payment_problems(convention: Convention, summary: ConventionSummary) -> list[Problem]:
    problems = []
    excess = summary.committed - summary.cnsa_amount
    if excess > 0:
        problems.append(
            Problem(
                "payments_above_cnsa",
                f"Les versements ({format_euros(summary.committed)}) dépassent le montant CNSA de "
                f"{format_euros(excess)}.",
                "Versements",
                excess,
            )
        )
    final_kinds = [Payment.Kind.BALANCE, Payment.Kind.RECLAIM]
    payments = Payment.objects.filter(convention=convention).exclude(
        status=Payment.Status.CANCELLED
    )
    for payment in payments:
        when = payment.paid_on or payment.due_date
        latest = convention.balance_deadline if payment.kind in final_kinds else convention.end_date
        if when and not convention.start_date <= when <= latest:
            problems.append(
                Problem(
                    "payment_outside_period",
                    f"{payment.get_kind_display()} daté du {when:%d/%m/%Y}, hors de la période admise "
                    f"({convention.start_date:%d/%m/%Y} – {latest:%d/%m/%Y}).",
                    f"Versement {payment.get_kind_display().lower()} n° {payment.pk}",
                    payment.amount,
                )
            )
        approved = convention.final_report_approved_on
        if payment.kind in final_kinds and (approved is None or (when and when < approved)):
            problems.append(
                Problem(
                    "balance_before_final_report",
                    f"{payment.get_kind_display()} enregistré avant l'approbation du bilan final.",
                    f"Versement {payment.get_kind_display().lower()} n° {payment.pk}",
                    payment.amount,
                )
            )
    return problems
