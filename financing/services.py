"""Writes with a money rule: funding lines, payments, the balance, amendments."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from conventions.models import Amendment, Convention
from conventions.services import announce_terms_changed, save_traced, save_validated
from core.history import set_history_user
from core.money import format_euros
from financing.models import FundingLine, Payment, Publication
from financing.opendata import SCDL_FILE_NAME, scdl_export
from financing.selectors import SIGNED_PAYMENT, convention_paid_net, convention_summary

FINAL_KINDS = (Payment.Kind.BALANCE, Payment.Kind.RECLAIM)


def funding_line_validate(line: FundingLine) -> None:
    errors: dict[str, str] = {}
    if line.action_id:
        convention = line.action.axis.convention
        if convention.status == Convention.Status.CLOSED:
            errors["action"] = "La convention est clôturée : son plan de financement est figé."
        if line.year is not None and line.year not in convention.years:
            errors["year"] = (
                f"L'année doit être comprise dans la convention "
                f"({convention.start_date.year}-{convention.end_date.year})."
            )
    if line.amount is not None and line.amount < 0:
        errors["amount"] = "Le montant ne peut pas être négatif."
    if errors:
        raise ValidationError(errors)


def funding_line_save(*, line: FundingLine, by: User | None) -> FundingLine:
    return save_validated(line, validator=funding_line_validate, by=by)


def funding_line_validate_delete(line: FundingLine) -> None:
    funding_line_validate(line)


def funding_line_delete(*, line: FundingLine, by: User | None) -> None:
    funding_line_validate_delete(line)
    set_history_user(line, by)
    line.delete()


def payment_validate(payment: Payment, *, settling: bool = False) -> None:
    """Ceiling, dates and the balance's preconditions; the caller holds the convention's lock.
    A balance or reclaim is computed by balance_settle (`settling`), never typed: elsewhere a new
    one, or a change to its amount, is refused."""
    errors: dict[str, str] = {}
    convention = Convention.objects.get(pk=payment.convention_id)
    if payment.amount is None or payment.amount <= 0:
        errors["amount"] = "Le montant d'un versement doit être strictement positif."
    if payment.status == Payment.Status.PAID and payment.paid_on is None:
        errors["paid_on"] = "Indiquez la date du versement."
    latest = convention.balance_deadline if payment.kind in FINAL_KINDS else convention.end_date
    for field in ("due_date", "paid_on"):
        when = getattr(payment, field)
        if when and not convention.start_date <= when <= latest:
            errors[field] = (
                f"La date doit tomber entre le {convention.start_date:%d/%m/%Y} et le "
                f"{latest:%d/%m/%Y}."
            )
    if payment.kind in FINAL_KINDS and convention.final_report_approved_on is None:
        errors["kind"] = "Le solde n'est payable qu'après l'approbation du bilan final."
    elif payment.kind in FINAL_KINDS and not settling:
        _refuse_typed_balance(payment, errors)
    if convention.status == Convention.Status.DRAFT and payment.status != Payment.Status.CANCELLED:
        errors["convention"] = "Aucun versement avant la signature de la convention."
    if "amount" not in errors and payment.status != Payment.Status.CANCELLED:
        committed = (
            Payment.objects.filter(convention=convention)
            .exclude(pk=payment.pk)
            .exclude(status=Payment.Status.CANCELLED)
            .aggregate(total=Sum(SIGNED_PAYMENT, default=Decimal("0.00")))["total"]
        )
        total = committed + payment.signed_amount
        if total > convention.cnsa_amount:
            errors["amount"] = (
                f"Ce versement porterait le total versé à {format_euros(total)}, au-delà du montant "
                f"CNSA de {format_euros(convention.cnsa_amount)} "
                f"(dépassement de {format_euros(total - convention.cnsa_amount)})."
            )
    if errors:
        raise ValidationError(errors)


def _refuse_typed_balance(payment: Payment, errors: dict[str, str]) -> None:
    stored = Payment.objects.filter(pk=payment.pk).values("kind", "amount").first()
    if stored is None or stored["kind"] != payment.kind:
        errors["kind"] = (
            "Le solde et le reversement se calculent : utilisez « Calculer et enregistrer le "
            "solde » (dépenses approuvées × taux, moins les versements)."
        )
    elif stored["amount"] != payment.amount:
        errors["amount"] = "Le montant du solde est calculé : il ne se modifie pas."


@transaction.atomic
def payment_save(*, payment: Payment, by: User | None) -> Payment:
    """Lock the convention so two concurrent payments cannot both pass the ceiling."""
    Convention.objects.select_for_update().filter(pk=payment.convention_id).first()
    payment.full_clean()
    payment_validate(payment)
    if payment.pk is None:
        payment.created_by = by
    set_history_user(payment, by)
    payment.save()
    if payment.status == Payment.Status.PAID:
        # The published payment dates and conditions follow the payments actually made.
        announce_terms_changed(payment.convention)
    return payment


PAYMENT_KEPT = (
    "Un versement ne se supprime pas : passez-le au statut « Annulé » s'il n'a pas eu lieu ; "
    "un versement effectué se corrige par un reversement."
)


def payment_validate_delete(payment: Payment) -> None:
    """One rule at every door: no payment is ever deleted, planned ones included. A planned payment
    already counts in what is committed (the amendment floor, the balance); cancelling it keeps
    that trace, deleting it would not."""
    raise ValidationError({"status": PAYMENT_KEPT})


def payment_delete(*, payment: Payment, by: User | None) -> None:
    payment_validate_delete(payment)


@transaction.atomic
def balance_settle(
    *, convention: Convention, by: User | None, due_date: datetime.date | None = None
) -> Payment:
    """Create the balance (or the reclaim) that the approved spending implies: computed, never typed."""
    convention = Convention.objects.select_for_update().get(pk=convention.pk)
    if convention.final_report_approved_on is None:
        raise ValidationError(
            {"kind": "Le solde n'est payable qu'après l'approbation du bilan final."}
        )
    if (
        Payment.objects.filter(convention=convention, kind__in=FINAL_KINDS)
        .exclude(status=Payment.Status.CANCELLED)
        .exists()
    ):
        raise ValidationError({"kind": "Le solde de cette convention est déjà enregistré."})
    summary = convention_summary(convention=convention)
    balance = summary.owed - summary.committed
    if balance == 0:
        raise ValidationError({"amount": "Rien à verser ni à reverser : la convention est soldée."})
    payment = Payment(
        convention=convention,
        kind=Payment.Kind.BALANCE if balance > 0 else Payment.Kind.RECLAIM,
        amount=abs(balance),
        due_date=due_date or convention.final_report_approved_on,
        note=(
            f"Dépenses justifiées {format_euros(summary.spent)} × {summary.cnsa_rate} % "
            f"= {format_euros(summary.owed)} dus"
        )[:300],
    )
    payment.full_clean()
    payment_validate(payment, settling=True)
    payment.created_by = by
    set_history_user(payment, by)
    payment.save()
    return payment


@transaction.atomic
def amendment_create(
    *,
    convention: Convention,
    by: User | None,
    signed_on: datetime.date,
    description: str,
    total_cost: Decimal | None = None,
    cnsa_amount: Decimal | None = None,
    end_date: datetime.date | None = None,
    plan_changed: bool = False,
) -> Amendment:
    """Record an avenant with the figures before and after, then apply it to the convention.
    `plan_changed`: it redistributes the financing plan (financing.plan.plan_amend), which is a
    change even when the totals and the end date stay."""
    convention = Convention.objects.select_for_update().get(pk=convention.pk)
    if convention.status != Convention.Status.SIGNED:
        raise ValidationError({"convention": "Un avenant ne porte que sur une convention signée."})
    new_total = convention.total_cost if total_cost is None else total_cost
    new_cnsa = convention.cnsa_amount if cnsa_amount is None else cnsa_amount
    new_end = convention.end_date if end_date is None else end_date
    already_paid = convention_paid_net(convention=convention, include_planned=True)
    errors: dict[str, str] = {}
    if not plan_changed and (new_total, new_cnsa, new_end) == (
        convention.total_cost,
        convention.cnsa_amount,
        convention.end_date,
    ):
        errors["description"] = "L'avenant ne change ni les montants ni la date de fin."
    if new_total < 0:
        errors["total_cost"] = "Le coût global ne peut pas être négatif."
    if new_cnsa < 0:
        errors["cnsa_amount"] = "Le montant CNSA ne peut pas être négatif."
    elif new_cnsa > new_total:
        errors["cnsa_amount"] = "Le montant CNSA ne peut pas dépasser le coût global."
    elif new_cnsa < already_paid:
        errors["cnsa_amount"] = (
            f"Le montant CNSA ne peut descendre sous les versements engagés ({format_euros(already_paid)})."
        )
    if new_end < convention.start_date:
        errors["end_date"] = "La nouvelle fin doit suivre le début de la convention."
    if signed_on < (convention.signature_date or convention.start_date):
        errors["signed_on"] = "Un avenant ne peut précéder la signature de la convention."
    if not description.strip():
        errors["description"] = "Décrivez l'objet de l'avenant."
    if errors:
        raise ValidationError(errors)
    number = (
        convention.amendments.order_by("-number").values_list("number", flat=True).first() or 0
    ) + 1
    amendment = Amendment.objects.create(
        convention=convention,
        number=number,
        signed_on=signed_on,
        description=description,
        previous_total_cost=convention.total_cost,
        previous_cnsa_amount=convention.cnsa_amount,
        previous_end_date=convention.end_date,
        new_total_cost=new_total,
        new_cnsa_amount=new_cnsa,
        new_end_date=new_end,
        created_by=by,
    )
    convention.total_cost, convention.cnsa_amount, convention.end_date = (
        new_total,
        new_cnsa,
        new_end,
    )
    save_traced(convention, by)
    announce_terms_changed(convention)
    return amendment


def scdl_publish(*, now: datetime.datetime | None = None) -> Publication:
    """Regenerate the public SCDL « subventions » file from every convention, in one upsert."""
    export = scdl_export(Convention.objects.all())
    publication, _ = Publication.objects.update_or_create(
        name=SCDL_FILE_NAME,
        defaults={
            "content": export.csv(),
            "published_at": now or timezone.now(),
            "row_count": len(export.rows),
            "refused": [refusal.as_dict() for refusal in export.refused],
        },
    )
    return publication


def scdl_republish(**_signal: object) -> None:
    """Listener: a convention was signed, amended or paid, the public file follows."""
    scdl_publish()
