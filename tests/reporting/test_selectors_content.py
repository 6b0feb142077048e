"""The report's whole content for the Lyon convention: its figures are the convention's summary,
the plan and spending tables add up to them, the wording follows the kind, late reports show."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from actions.models import ProgressReport
from conventions.models import Convention
from financing.models import Payment
from financing.selectors import convention_summary
from reporting.selectors_content import report_context
from reporting.wording import ADVANCES_NOTE
from tests.factories import PaymentFactory, ProgressReportFactory, SpendingFactory

pytestmark = pytest.mark.django_db

CNSA_YEAR = Decimal("213875.00")  # 40 000 + 60 000 + 50 000 + 25 000 + 25 000 + 13 875
METROPOLE_YEAR = Decimal("186875.00")


def _context(convention, kind="final", start=None, end=None, **extra):
    return report_context(
        convention_id=convention.pk,
        kind=kind,
        period_start=start or convention.start_date,
        period_end=end or convention.end_date,
        **extra,
    )


def _money(context) -> dict:
    return {line.label: (line.amount, line.note) for line in context.money_lines}


def test_the_figures_are_the_conventions_summary(lyon):
    context = _context(lyon)

    assert context.summary == convention_summary(convention=lyon)
    assert (context.summary.total_cost, context.summary.cnsa_amount) == (
        Decimal("801500.00"),
        Decimal("427750.00"),
    )
    money = _money(context)
    assert money["Coût global signé"][0] == Decimal("801500.00")
    assert money["Versé par la CNSA (net des reversements)"][0] == Decimal("213875.00")
    assert money["Dépenses justifiées (comptes rendus approuvés)"][0] == Decimal("60000.00")


def test_the_plan_table_puts_the_cnsa_first_and_adds_up_to_the_summary(lyon):
    context = _context(lyon)

    assert context.years == [2016, 2017]
    assert [(line.name, line.by_year, line.is_cnsa) for line in context.plan] == [
        ("CNSA", [CNSA_YEAR, CNSA_YEAR], True),
        ("Métropole de Lyon", [METROPOLE_YEAR, METROPOLE_YEAR], False),
    ]
    assert context.plan[0].total == context.summary.cnsa_planned == Decimal("427750.00")
    assert sum(context.plan_year_totals) == context.summary.planned == Decimal("801500.00")


def test_spending_falls_in_the_year_its_approved_report_ends_and_stops_at_the_period(lyon):
    action = lyon.axes.get(number=1).actions.get()
    report = ProgressReportFactory(
        action=action,
        period_start=datetime.date(2017, 1, 1),
        period_end=datetime.date(2017, 12, 31),
        status=ProgressReport.Status.APPROVED,
    )
    SpendingFactory(report=report, funder=lyon.beneficiary, amount=Decimal("7000.00"))

    whole = _context(lyon)
    first_year = _context(lyon, "annual", datetime.date(2016, 1, 1), datetime.date(2016, 12, 31))

    assert [(line.name, line.by_year) for line in whole.spending] == [
        ("CNSA", [Decimal("60000.00"), Decimal("0")]),
        ("Métropole de Lyon", [Decimal("0"), Decimal("7000.00")]),
    ]
    assert sum(whole.spending_year_totals) == whole.summary.spent == Decimal("67000.00")
    assert first_year.spending_year_totals == [Decimal("60000.00"), Decimal("0")]


def test_cancelled_payments_are_left_out_and_reclaims_count_negative(lyon):
    PaymentFactory(convention=lyon, amount=Decimal("5000.00"), status=Payment.Status.CANCELLED)
    PaymentFactory(
        convention=lyon,
        kind=Payment.Kind.RECLAIM,
        amount=Decimal("1000.00"),
        paid_on=datetime.date(2017, 3, 1),
    )

    rows = _context(lyon).payments

    assert [(row.kind, row.amount) for row in rows] == [
        ("Avance", Decimal("213875.00")),
        ("Reversement", Decimal("-1000.00")),
    ]


@pytest.mark.parametrize(
    ("kind", "label"),
    [("interim", "Bilan d'étape"), ("annual", "Rapport annuel"), ("final", "Bilan final")],
)
def test_the_kind_is_named_in_french(lyon, kind, label):
    assert _context(lyon, kind).kind_label == label


def test_an_interim_report_of_a_running_convention_states_no_balance(lyon):
    context = _context(lyon, "interim", end=datetime.date(2016, 12, 31))

    assert _money(context)["Solde"] == (None, ADVANCES_NOTE)
    assert "Solde au vu du bilan final" not in _money(context)
    assert context.summary_paragraphs[3].endswith(ADVANCES_NOTE)


def test_the_final_report_states_its_balance(lyon):
    context = _context(lyon)

    # Paid 213 875 in advance, 60 000 spent × 53,37 %: the porteur has received more than owed.
    balance = context.summary.balance
    assert balance == context.summary.owed - context.summary.paid < 0
    assert _money(context)["Solde au vu du bilan final"][0] == balance
    assert "Solde" not in _money(context)
    assert "Au vu du bilan final, le solde est de" in context.summary_paragraphs[3]
    assert "à reverser par le porteur" in context.summary_paragraphs[3]


def test_a_closed_conventions_report_states_its_closing_balance(lyon):
    Convention.objects.filter(pk=lyon.pk).update(status=Convention.Status.CLOSED)

    context = _context(lyon, "annual", datetime.date(2017, 1, 1), datetime.date(2017, 12, 31))

    assert "Solde de clôture" in _money(context)
    assert "Elle est clôturée." in context.summary_paragraphs[0]
    assert "Solde de clôture :" in context.summary_paragraphs[3]


def test_late_reports_are_listed_and_summed_up(lyon):
    context = _context(lyon)

    assert len(context.overdue) == 6
    assert context.summary_paragraphs[4] == (
        "En retard : 6 comptes rendus (actions 1.1, 2.1, 3.1, 4.1, 5.1, 6.1), détaillés au "
        "chapitre « Comptes rendus en retard »."
    )


def test_the_report_names_who_asked_for_it_and_the_six_axes(lyon):
    context = _context(lyon, prepared_by="Claire Martin")

    assert context.prepared_by == "Claire Martin"
    assert [axis.number for axis in context.axes] == [1, 2, 3, 4, 5, 6]
    assert context.summary_paragraphs[1] == (
        "Prévu : 6 actions en 6 axes, pour un plan de financement de 801 500,00 € dont "
        "427 750,00 € pour la CNSA."
    )
