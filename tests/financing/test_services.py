import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from conventions.models import Amendment
from conventions.services import convention_approve_final_report
from financing.models import FundingLine, Payment
from financing.services import (
    amendment_create,
    balance_settle,
    funding_line_save,
    payment_save,
)
from tests.factories import (
    ActionFactory,
    ConventionFactory,
    PaymentFactory,
    ProgressReportFactory,
    SpendingFactory,
)

pytestmark = pytest.mark.django_db


def _payment(convention, **fields) -> Payment:
    values = {
        "kind": "instalment",
        "amount": Decimal("1000.00"),
        "status": "paid",
        "paid_on": datetime.date(2020, 3, 1),
    } | fields
    return Payment(convention=convention, **values)


def test_it_rejects_a_payment_above_the_cnsa_amount(convention, officer):
    PaymentFactory(convention=convention, amount=Decimal("59000.00"))

    with pytest.raises(ValidationError) as refused:
        payment_save(payment=_payment(convention, amount=Decimal("1000.01")), by=officer)

    assert refused.value.message_dict["amount"] == [
        "Ce versement porterait le total versé à 60\u00a0000,01\u00a0€, au-delà du montant CNSA "
        "de 60\u00a0000,00\u00a0€ (dépassement de 0,01\u00a0€)."
    ]
    assert Payment.objects.count() == 1


def test_a_payment_up_to_the_cnsa_amount_to_the_cent_is_accepted(convention, officer):
    PaymentFactory(convention=convention, amount=Decimal("59000.00"))

    payment_save(payment=_payment(convention, amount=Decimal("1000.00")), by=officer)

    assert Payment.objects.count() == 2


def test_editing_a_payment_does_not_count_it_twice(convention, officer):
    payment = PaymentFactory(convention=convention, amount=Decimal("60000.00"))
    payment.reference = "MANDAT-42"

    payment_save(payment=payment, by=officer)

    assert Payment.objects.get().reference == "MANDAT-42"


def test_it_rejects_a_payment_outside_the_period(convention, officer):
    with pytest.raises(ValidationError) as refused:
        payment_save(payment=_payment(convention, paid_on=datetime.date(2023, 1, 2)), by=officer)

    assert refused.value.message_dict["paid_on"] == [
        "La date doit tomber entre le 01/01/2019 et le 31/12/2022."
    ]
    assert not Payment.objects.exists()


def test_it_rejects_a_balance_before_the_final_report_is_approved(convention, officer):
    with pytest.raises(ValidationError) as refused:
        payment_save(payment=_payment(convention, kind="balance"), by=officer)

    assert refused.value.message_dict["kind"] == [
        "Le solde n'est payable qu'après l'approbation du bilan final."
    ]
    assert not Payment.objects.exists()


def test_the_balance_is_computed_from_approved_spending_and_the_rate(convention, officer):
    # rate 60 %, approved spending 90 000 -> 54 000 owed; 30 000 paid -> 24 000 balance
    PaymentFactory(convention=convention, amount=Decimal("30000.00"))
    report = ProgressReportFactory(
        action=ActionFactory(axis__convention=convention), status="approved"
    )
    SpendingFactory(report=report, amount=Decimal("90000.00"))
    SpendingFactory(
        report=ProgressReportFactory(
            action=report.action,
            status="submitted",
            period_start=datetime.date(2020, 1, 1),
            period_end=datetime.date(2020, 12, 31),
        ),
        amount=Decimal("5000.00"),
    )
    convention_approve_final_report(
        convention=convention, by=officer, approved_on=datetime.date(2023, 4, 1)
    )

    balance = balance_settle(convention=convention, by=officer)

    assert (balance.kind, balance.amount, balance.status) == (
        "balance",
        Decimal("24000.00"),
        "planned",
    )
    assert balance.due_date == datetime.date(2023, 4, 1)


def test_overpayment_becomes_a_reclaim(convention, officer):
    PaymentFactory(convention=convention, amount=Decimal("50000.00"))
    report = ProgressReportFactory(
        action=ActionFactory(axis__convention=convention), status="approved"
    )
    SpendingFactory(report=report, amount=Decimal("70000.00"))  # x 60 % = 42 000 owed
    convention_approve_final_report(
        convention=convention, by=officer, approved_on=datetime.date(2023, 4, 1)
    )

    reclaim = balance_settle(convention=convention, by=officer)

    assert (reclaim.kind, reclaim.amount) == ("reclaim", Decimal("8000.00"))


def test_a_funding_line_must_fall_in_the_convention_years(convention, officer):
    line = FundingLine(
        action=ActionFactory(axis__convention=convention),
        funder=convention.funder,
        year=2023,
        amount=Decimal("10.00"),
    )

    with pytest.raises(ValidationError) as refused:
        funding_line_save(line=line, by=officer)

    assert refused.value.message_dict["year"] == [
        "L'année doit être comprise dans la convention (2019-2022)."
    ]
    assert not FundingLine.objects.exists()


def test_an_amendment_keeps_the_original_figures(convention, officer):
    amendment = amendment_create(
        convention=convention,
        by=officer,
        signed_on=datetime.date(2021, 6, 1),
        description="Prolongation d'un an et hausse de la participation CNSA",
        cnsa_amount=Decimal("65000.00"),
        end_date=datetime.date(2023, 12, 31),
    )

    convention.refresh_from_db()
    assert (convention.cnsa_amount, convention.end_date) == (
        Decimal("65000.00"),
        datetime.date(2023, 12, 31),
    )
    assert (amendment.number, amendment.previous_cnsa_amount, amendment.previous_end_date) == (
        1,
        Decimal("60000.00"),
        datetime.date(2022, 12, 31),
    )
    assert convention.history.latest().history_user == officer


def test_an_amendment_cannot_bring_the_cnsa_amount_below_what_was_paid(convention, officer):
    PaymentFactory(convention=convention, amount=Decimal("40000.00"))

    with pytest.raises(ValidationError) as refused:
        amendment_create(
            convention=convention,
            by=officer,
            signed_on=datetime.date(2021, 6, 1),
            description="Baisse",
            cnsa_amount=Decimal("39999.99"),
        )

    assert refused.value.message_dict["cnsa_amount"] == [
        "Le montant CNSA ne peut descendre sous les versements engagés (40\u00a0000,00\u00a0€)."
    ]
    assert not Amendment.objects.exists()
    convention.refresh_from_db()
    assert convention.cnsa_amount == Decimal("60000.00")


def test_a_balance_cannot_be_typed_even_after_the_final_report(convention, officer):
    convention_approve_final_report(
        convention=convention, by=officer, approved_on=datetime.date(2023, 4, 1)
    )

    with pytest.raises(ValidationError) as refused:
        payment_save(
            payment=_payment(convention, kind="balance", paid_on=datetime.date(2023, 5, 1)),
            by=officer,
        )

    assert refused.value.message_dict["kind"][0].startswith(
        "Le solde et le reversement se calculent"
    )
    assert not Payment.objects.exists()


def test_a_computed_balance_keeps_its_amount_but_can_be_marked_paid(convention, officer):
    report = ProgressReportFactory(
        action=ActionFactory(axis__convention=convention), status="approved"
    )
    SpendingFactory(report=report, amount=Decimal("10000.00"))  # x 60 % = 6 000 owed
    convention_approve_final_report(
        convention=convention, by=officer, approved_on=datetime.date(2023, 4, 1)
    )
    balance = balance_settle(convention=convention, by=officer)

    balance.amount = Decimal("7000.00")
    with pytest.raises(ValidationError) as refused:
        payment_save(payment=balance, by=officer)
    balance.amount, balance.status = Decimal("6000.00"), "paid"
    balance.paid_on = datetime.date(2023, 6, 1)
    payment_save(payment=balance, by=officer)

    assert refused.value.message_dict["amount"] == [
        "Le montant du solde est calculé : il ne se modifie pas."
    ]
    balance.refresh_from_db()
    assert (balance.amount, balance.status) == (Decimal("6000.00"), "paid")


AMENDMENT_REFUSALS = [
    pytest.param(
        {"status": "draft"},
        {"cnsa_amount": Decimal("65000.00")},
        "convention",
        "Un avenant ne porte que sur une convention signée.",
        id="convention-not-signed",
    ),
    pytest.param(
        {},
        {"cnsa_amount": Decimal("60000.00")},
        "description",
        "L'avenant ne change ni les montants ni la date de fin.",
        id="nothing-changes",
    ),
    pytest.param(
        {},
        {"total_cost": Decimal("-1.00"), "cnsa_amount": Decimal("0.00")},
        "total_cost",
        "Le coût global ne peut pas être négatif.",
        id="negative-total-cost",
    ),
    pytest.param(
        {},
        {"cnsa_amount": Decimal("-0.01")},
        "cnsa_amount",
        "Le montant CNSA ne peut pas être négatif.",
        id="negative-cnsa-amount",
    ),
    pytest.param(
        {},
        {"cnsa_amount": Decimal("100000.01")},
        "cnsa_amount",
        "Le montant CNSA ne peut pas dépasser le coût global.",
        id="cnsa-above-total-cost",
    ),
    pytest.param(
        {},
        {"end_date": datetime.date(2018, 12, 31)},
        "end_date",
        "La nouvelle fin doit suivre le début de la convention.",
        id="end-before-start",
    ),
    pytest.param(
        {},
        {"cnsa_amount": Decimal("65000.00"), "signed_on": datetime.date(2019, 6, 30)},
        "signed_on",
        "Un avenant ne peut précéder la signature de la convention.",
        id="signed-before-the-convention",
    ),
    pytest.param(
        {},
        {"cnsa_amount": Decimal("65000.00"), "description": "   "},
        "description",
        "Décrivez l'objet de l'avenant.",
        id="no-description",
    ),
]


@pytest.mark.parametrize(("convention_fields", "change", "field", "message"), AMENDMENT_REFUSALS)
def test_an_amendment_is_refused_with_its_reason_and_changes_nothing(
    cnsa, officer, convention_fields, change, field, message
):
    convention = ConventionFactory(funder=cnsa, **convention_fields)
    arguments = {"signed_on": datetime.date(2021, 6, 1), "description": "Avenant n° 1"} | change

    with pytest.raises(ValidationError) as refused:
        amendment_create(convention=convention, by=officer, **arguments)

    assert refused.value.message_dict[field] == [message]
    assert not Amendment.objects.exists()
    convention.refresh_from_db()
    assert (convention.total_cost, convention.cnsa_amount, convention.end_date) == (
        Decimal("100000.00"),
        Decimal("60000.00"),
        datetime.date(2022, 12, 31),
    )
