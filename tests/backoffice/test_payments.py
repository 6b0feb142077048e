"""Payments from the convention: proposals from the terms and approved reports, each payment
through the services, refusals in French on their field, the balance computed and never typed."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from actions.models import ProgressReport
from conventions.models import Convention
from financing.models import Payment
from tests.factories import (
    ActionFactory,
    AxisFactory,
    ConventionFactory,
    MembershipFactory,
    PaymentFactory,
    ProgressReportFactory,
    SpendingFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed(cnsa):
    """Total 100 000 €, CNSA 60 000 € (60 %), 2019-2022, signed on 1 July 2019."""
    return ConventionFactory(funder=cnsa)


def url(convention) -> str:
    return reverse("backoffice:payments", args=[convention.pk])


def approved_spending(convention, amount: str, year: int = 2019) -> None:
    action = ActionFactory(axis=AxisFactory(convention=convention))
    report = ProgressReportFactory(
        action=action,
        status=ProgressReport.Status.APPROVED,
        period_start=datetime.date(year, 1, 1),
        period_end=datetime.date(year, 12, 31),
    )
    SpendingFactory(report=report, amount=Decimal(amount))


def test_the_advance_is_proposed_from_the_terms(officer_client, signed):
    page = officer_client.get(url(signed))

    proposals = page.context["schedule"].proposals
    assert [(p.kind, p.amount, p.due_date) for p in proposals] == [
        ("advance", Decimal("18000.00"), datetime.date(2019, 7, 1))
    ]
    prefilled = officer_client.get(url(signed), {"proposition": 0}).context["form"]
    assert prefilled.initial["amount"] == Decimal("18000.00")


def test_an_instalment_is_proposed_from_approved_reports(officer_client, signed):
    PaymentFactory(convention=signed, amount=Decimal("18000.00"))
    approved_spending(signed, "40000.00")

    proposals = officer_client.get(url(signed)).context["schedule"].proposals

    # 40 000 € spent × 60 % = 24 000 € owed, 18 000 € already paid.
    assert [(p.kind, p.amount) for p in proposals] == [("instalment", Decimal("6000.00"))]


def test_recording_a_payment_goes_through_the_service(officer_client, signed, officer):
    response = officer_client.post(
        url(signed),
        {
            "kind": "advance",
            "amount": "18 000,00",
            "status": "paid",
            "paid_on": "2019-07-15",
            "reference": "MDT-2019-001",
        },
    )

    assert response.status_code == 302
    payment = Payment.objects.get(convention=signed)
    assert (payment.amount, payment.status, payment.created_by) == (
        Decimal("18000.00"),
        "paid",
        officer,
    )


def test_a_payment_above_the_cnsa_amount_is_refused_on_its_field(officer_client, signed):
    response = officer_client.post(
        url(signed), {"kind": "advance", "amount": "60 000,01", "status": "planned"}
    )

    form = response.context["form"]
    assert form.errors["amount"][0].startswith("Ce versement porterait le total versé à 60")
    assert 'href="#id_amount"' in response.content.decode()
    assert not Payment.objects.exists()


def test_a_paid_payment_without_its_date_is_refused_in_french(officer_client, signed):
    response = officer_client.post(
        url(signed), {"kind": "advance", "amount": "100", "status": "paid"}
    )

    assert response.context["form"].errors["paid_on"] == ["Indiquez la date du versement."]
    assert not Payment.objects.exists()


def test_no_payment_before_signature(officer_client, cnsa):
    draft = ConventionFactory(funder=cnsa, status=Convention.Status.DRAFT)

    response = officer_client.post(
        url(draft), {"kind": "advance", "amount": "100", "status": "planned"}
    )

    assert response.context["form"].non_field_errors() == [
        "Aucun versement avant la signature de la convention."
    ]
    assert not Payment.objects.exists()


def test_the_balance_cannot_be_typed(officer_client, signed):
    response = officer_client.post(
        url(signed), {"kind": "balance", "amount": "100", "status": "planned"}
    )

    assert "kind" in response.context["form"].errors
    assert not Payment.objects.exists()


def test_the_balance_is_computed_after_the_final_report(officer_client, signed, officer):
    PaymentFactory(convention=signed, amount=Decimal("18000.00"))
    approved_spending(signed, "50000.00", year=2022)
    early = officer_client.post(reverse("backoffice:balance", args=[signed.pk]))
    assert "Le solde n&#x27;est payable qu&#x27;après l&#x27;approbation du bilan final." in (
        early.content.decode()
    )

    officer_client.post(
        reverse("backoffice:final_report", args=[signed.pk]),
        {"final_report_approved_on": "2023-03-01"},
    )
    confirm = officer_client.get(reverse("backoffice:balance", args=[signed.pk]))
    assert "12\u00a0000,00\u00a0€" in confirm.content.decode()  # 50 000 × 60 % − 18 000
    officer_client.post(reverse("backoffice:balance", args=[signed.pk]))

    balance = Payment.objects.get(kind="balance")
    assert (balance.amount, balance.created_by) == (Decimal("12000.00"), officer)


def test_a_planned_payment_is_marked_paid_or_cancelled(officer_client, signed):
    payment = PaymentFactory(convention=signed, status="planned", paid_on=None)
    paid_url = reverse("backoffice:payment_paid", args=[signed.pk, payment.pk])

    refused = officer_client.post(paid_url, {"paid_on": "2030-01-01"})
    assert refused.context["paid_form"].errors["paid_on"] == [
        "La date doit tomber entre le 01/01/2019 et le 31/12/2022."
    ]
    payment.refresh_from_db()
    assert payment.status == "planned"

    officer_client.post(paid_url, {"paid_on": "2019-09-01"})
    payment.refresh_from_db()
    assert (payment.status, payment.paid_on) == ("paid", datetime.date(2019, 9, 1))


def test_cancelling_asks_for_confirmation(officer_client, signed):
    payment = PaymentFactory(convention=signed, status="planned", paid_on=None)
    cancel_url = reverse("backoffice:payment_cancel", args=[signed.pk, payment.pk])

    assert "Confirmer l'annulation" in officer_client.get(cancel_url).content.decode()
    payment.refresh_from_db()
    assert payment.status == "planned"
    officer_client.post(cancel_url)
    payment.refresh_from_db()
    assert payment.status == "cancelled"


def test_a_reader_sees_the_schedule_but_records_nothing(client, cnsa, signed):
    reader = UserFactory(username="lecteur")
    MembershipFactory(user=reader, organisation=cnsa, role="reader")
    client.force_login(reader)

    page = client.get(url(signed))
    refused = client.post(url(signed), {"kind": "advance", "amount": "1", "status": "planned"})

    assert page.status_code == 200 and "Enregistrer un versement" not in page.content.decode()
    assert refused.status_code == 403 and not Payment.objects.exists()


@pytest.mark.parametrize("payments", [1, 15])
def test_the_page_takes_the_same_queries_whatever_the_payments(
    officer_client, signed, payments, django_assert_num_queries
):
    for _ in range(payments):
        PaymentFactory(convention=signed, amount=Decimal("10.00"))
    approved_spending(signed, "100.00")

    with django_assert_num_queries(9):
        assert officer_client.get(url(signed)).status_code == 200
