"""Writes with a business rule on conventions. Admin, API and pages all come through here."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import TypeVar

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model

from conventions.models import Convention, Organisation
from conventions.signals import convention_published_terms_changed
from core.history import set_history_user

# Once signed, these change only through an amendment, so the original figures stay traceable.
M = TypeVar("M", bound=Model)

SIGNED_FIELDS = (
    "total_cost",
    "cnsa_amount",
    "start_date",
    "end_date",
    "funder_id",
    "beneficiary_id",
)


def save_traced(instance: Model, by: User | None) -> None:
    set_history_user(instance, by)
    instance.save()


def convention_validate(convention: Convention) -> None:
    """Rules beyond the model's own: who may be funder, and what a signed convention may change."""
    errors: dict[str, str] = {}
    if convention.funder_id:
        kind = (
            Organisation.objects.filter(pk=convention.funder_id)
            .values_list("kind", flat=True)
            .first()
        )
        if kind != Organisation.Kind.FUNDER:
            errors["funder"] = (
                "Le financeur doit être une organisation de type « Financeur (CNSA) »."
            )
    if convention.pk:
        stored = (
            Convention.objects.filter(pk=convention.pk).values(*SIGNED_FIELDS, "status").first()
        )
        if stored and stored["status"] != Convention.Status.DRAFT:
            for name in SIGNED_FIELDS:
                if getattr(convention, name) != stored[name]:
                    field = name.removesuffix("_id")
                    errors[field] = (
                        "La convention est signée : ce champ ne se modifie que par un avenant."
                    )
            if convention.status != stored["status"]:
                errors["status"] = "Le statut change par les actions « Signer » et « Clôturer »."
    if errors:
        raise ValidationError(errors)


def save_validated(instance: M, *, validator: Callable[[M], None], by: User | None) -> M:
    """The one way a rule-bearing row is written: field checks, the service's rule, then a traced save."""
    instance.full_clean()
    validator(instance)
    save_traced(instance, by)
    return instance


def convention_save(*, convention: Convention, by: User | None) -> Convention:
    return save_validated(convention, validator=convention_validate, by=by)


@transaction.atomic
def convention_sign(
    *, convention: Convention, by: User | None, signed_on: datetime.date | None = None
) -> Convention:
    convention = Convention.objects.select_for_update().get(pk=convention.pk)
    if convention.status != Convention.Status.DRAFT:
        raise ValidationError({"status": "Seule une convention en brouillon peut être signée."})
    signed_on = signed_on or convention.signature_date
    if signed_on is None:
        raise ValidationError({"signature_date": "Indiquez la date de signature."})
    if convention.cnsa_amount <= 0:
        raise ValidationError(
            {"cnsa_amount": "Une convention signée engage un montant CNSA positif."}
        )
    convention.signature_date = signed_on
    convention.status = Convention.Status.SIGNED
    save_traced(convention, by)
    announce_terms_changed(convention)
    return convention


def _send_terms_changed() -> None:
    convention_published_terms_changed.send(sender=Convention)


def announce_terms_changed(convention: Convention) -> None:
    """After commit, once per transaction, and robust: a failing listener never undoes nor fails
    the signature."""
    pending = transaction.get_connection().run_on_commit
    if not any(entry[1] is _send_terms_changed for entry in pending):
        transaction.on_commit(_send_terms_changed, robust=True)


@transaction.atomic
def convention_approve_final_report(
    *, convention: Convention, by: User | None, approved_on: datetime.date
) -> Convention:
    convention = Convention.objects.select_for_update().get(pk=convention.pk)
    if convention.status != Convention.Status.SIGNED:
        raise ValidationError({"status": "Le bilan final s'approuve sur une convention signée."})
    if approved_on < convention.start_date:
        raise ValidationError(
            {
                "final_report_approved_on": "Le bilan final ne peut précéder le début de la convention."
            }
        )
    convention.final_report_approved_on = approved_on
    save_traced(convention, by)
    return convention


@transaction.atomic
def convention_close(*, convention: Convention, by: User | None) -> Convention:
    convention = Convention.objects.select_for_update().get(pk=convention.pk)
    if convention.status != Convention.Status.SIGNED:
        raise ValidationError({"status": "Seule une convention signée peut être clôturée."})
    if convention.final_report_approved_on is None:
        raise ValidationError(
            {
                "final_report_approved_on": "Approuvez le bilan final avant de clôturer la convention."
            }
        )
    convention.status = Convention.Status.CLOSED
    save_traced(convention, by)
    return convention
