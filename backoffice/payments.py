"""The payment schedule of a convention: what is recorded, and what the convention's terms and
its approved reports propose next (advance, instalment, balance). Proposals are never saved by
themselves: an officer records each one through financing.services."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import Sum
from django.db.models.functions import ExtractYear

from actions.models import ProgressReport, Spending
from conventions.models import Convention
from core.money import ZERO, format_euros, format_rate, round_money
from financing.models import Payment
from financing.selectors import ConventionSummary, convention_summary


def advance_percent() -> Decimal:
    """The share of the CNSA amount paid at signature (modalités de versement), 30 % by default."""
    return Decimal(str(getattr(settings, "PAYMENT_ADVANCE_PERCENT", "30")))


@dataclass(frozen=True)
class Proposal:
    kind: str
    amount: Decimal
    due_date: datetime.date
    reason: str

    @property
    def label(self) -> str:
        return Payment.Kind(self.kind).label


@dataclass(frozen=True)
class SpentYear:
    year: int
    spent: Decimal
    cumulative: Decimal
    owed: Decimal


@dataclass(frozen=True)
class PaymentSchedule:
    convention: Convention
    summary: ConventionSummary
    payments: list[Payment]
    years: list[SpentYear]
    proposals: list[Proposal]

    @property
    def balance(self) -> Decimal:
        """Owed on the approved spending minus every payment not cancelled: computed, never typed."""
        return self.summary.owed - self.summary.committed

    @property
    def balance_abs(self) -> Decimal:
        return abs(self.balance)

    @property
    def settled(self) -> bool:
        return any(
            p.kind in (Payment.Kind.BALANCE, Payment.Kind.RECLAIM)
            and p.status != Payment.Status.CANCELLED
            for p in self.payments
        )

    @property
    def can_settle(self) -> bool:
        return (
            self.convention.final_report_approved_on is not None
            and not self.settled
            and self.balance != 0
        )


def payment_schedule(*, convention: Convention, today: datetime.date) -> PaymentSchedule:
    """Four queries: the summary, the payments, the approved spending by year, nothing per row."""
    summary = convention_summary(convention=convention)
    payments = list(
        Payment.objects.filter(convention=convention)
        .select_related("created_by")
        .order_by("due_date", "paid_on", "pk")
    )
    years = _spent_years(convention, summary)
    return PaymentSchedule(
        convention,
        summary,
        payments,
        years,
        _proposals(convention, summary, payments, years, today),
    )


def _spent_years(convention: Convention, summary: ConventionSummary) -> list[SpentYear]:
    rows = (
        Spending.objects.filter(
            report__status=ProgressReport.Status.APPROVED,
            report__action__axis__convention=convention,
        )
        .annotate(year=ExtractYear("report__period_start"))
        .values("year")
        .annotate(total=Sum("amount"))
        .order_by("year")
    )
    years, cumulative = [], ZERO
    for row in rows:
        cumulative += row["total"]
        owed = min(round_money(cumulative * (summary.cnsa_rate or ZERO) / 100), summary.cnsa_amount)
        years.append(SpentYear(row["year"], row["total"], cumulative, owed))
    return years


def _proposals(
    convention: Convention,
    summary: ConventionSummary,
    payments: list[Payment],
    years: list[SpentYear],
    today: datetime.date,
) -> list[Proposal]:
    if convention.status != Convention.Status.SIGNED:
        return []
    live = [p for p in payments if p.status != Payment.Status.CANCELLED]
    proposals = []
    if not any(p.kind == Payment.Kind.ADVANCE for p in live):
        share = advance_percent()
        amount = min(
            round_money(summary.cnsa_amount * share / 100), summary.cnsa_amount - summary.committed
        )
        if amount > 0:
            proposals.append(
                Proposal(
                    Payment.Kind.ADVANCE,
                    amount,
                    convention.signature_date or convention.start_date,
                    f"Avance à la signature : {format_rate(share)} du montant CNSA "
                    f"({format_euros(summary.cnsa_amount)}).",
                )
            )
    if years and convention.final_report_approved_on is None:
        last = years[-1]
        amount = last.owed - summary.committed - sum((p.amount for p in proposals), ZERO)
        if amount > 0:
            proposals.append(
                Proposal(
                    Payment.Kind.INSTALMENT,
                    amount,
                    min(max(today, convention.start_date), convention.end_date),
                    f"Acompte au vu des comptes rendus approuvés jusqu'à {last.year} : dépenses "
                    f"{format_euros(last.cumulative)} × taux {format_rate(summary.cnsa_rate)} = "
                    f"{format_euros(last.owed)} dus, moins {format_euros(summary.committed)} "
                    "déjà engagés.",
                )
            )
    return proposals
