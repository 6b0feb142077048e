"""The report's whole content in a fixed number of queries, as plain lists and numbers."""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal

from django.db.models import Sum
from django.db.models.functions import ExtractYear
from django.utils import timezone

from actions.models import ProgressReport, Spending
from conventions.models import Amendment, Convention
from core.money import ZERO
from financing.models import FundingLine, Payment
from financing.selectors import convention_consistency, convention_summary
from reporting import wording
from reporting.content import UNSPLIT, AmendmentRow, FunderPlan, PaymentRow, ReportContext
from reporting.models import Report
from reporting.selectors_actions import action_content


def report_context(
    *,
    convention_id: int,
    kind: str,
    period_start: datetime.date,
    period_end: datetime.date,
    prepared_by: str = "",
) -> ReportContext:
    """Everything the PDF and the ODT show: the templates never query."""
    convention = Convention.objects.select_related("funder", "beneficiary").get(pk=convention_id)
    years = list(convention.years)
    today = timezone.localdate()
    plan_rows = (
        FundingLine.objects.filter(action__axis__convention=convention)
        .values("funder_id", "funder__name", "funder__short_name", "year")
        .annotate(total=Sum("amount"))
        .order_by("funder__name", "year")
    )
    plan, plan_totals = _by_funder(plan_rows, convention, years)
    spending_rows = (
        Spending.objects.filter(
            report__status=ProgressReport.Status.APPROVED,
            report__period_end__lte=period_end,
            report__action__axis__convention=convention,
        )
        .values(
            "funder_id",
            "funder__name",
            "funder__short_name",
            year=ExtractYear("report__period_end"),
        )
        .annotate(total=Sum("amount"))
        .order_by("funder__name", "year")
    )
    spending, spending_totals = _by_funder(spending_rows, convention, years)
    axes, overdue = action_content(convention, period_end, today)
    context = ReportContext(
        convention=convention,
        kind=kind,
        kind_label=Report.Kind(kind).label,
        period_start=period_start,
        period_end=period_end,
        generated_on=today,
        summary=convention_summary(convention=convention),
        years=years,
        plan=plan,
        plan_year_totals=plan_totals,
        spending=spending,
        spending_year_totals=spending_totals,
        payments=_payments(convention),
        amendments=_amendments(convention),
        axes=axes,
        overdue=overdue,
        problems=convention_consistency(convention=convention),
        prepared_by=prepared_by,
    )
    context.money_lines = wording.money_lines(context)
    context.summary_paragraphs = wording.summary_paragraphs(context)
    return context


def _by_funder(rows, convention: Convention, years: list[int]):
    by_funder: dict[int | None, dict] = {}
    for row in rows:
        entry = by_funder.setdefault(
            row["funder_id"],
            {
                "name": row["funder__short_name"] or row["funder__name"] or UNSPLIT,
                "years": defaultdict(Decimal),
            },
        )
        entry["years"][row["year"]] += row["total"]
    lines = [
        FunderPlan(
            name=entry["name"],
            by_year=[entry["years"].get(year, ZERO) for year in years],
            total=sum(entry["years"].values(), ZERO),
            is_cnsa=funder_id == convention.funder_id,
        )
        for funder_id, entry in by_funder.items()
    ]
    lines.sort(key=lambda line: (not line.is_cnsa, line.name))
    totals = [sum((line.by_year[i] for line in lines), ZERO) for i in range(len(years))]
    return lines, totals


def _payments(convention: Convention) -> list[PaymentRow]:
    payments = Payment.objects.filter(convention=convention).exclude(
        status=Payment.Status.CANCELLED
    )
    return [
        PaymentRow(
            kind=p.get_kind_display(),
            status=p.get_status_display(),
            date=p.paid_on or p.due_date,
            amount=p.signed_amount,
        )
        for p in payments.order_by("paid_on", "due_date", "pk")
    ]


def _amendments(convention: Convention) -> list[AmendmentRow]:
    return [
        AmendmentRow(
            number=a.number,
            signed_on=a.signed_on,
            description=a.description,
            previous_total_cost=a.previous_total_cost,
            new_total_cost=a.new_total_cost,
            previous_cnsa_amount=a.previous_cnsa_amount,
            new_cnsa_amount=a.new_cnsa_amount,
        )
        for a in Amendment.objects.filter(convention=convention).order_by("number")
    ]
