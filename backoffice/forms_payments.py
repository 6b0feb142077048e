"""Page forms for payments: each only shapes input for financing.services. A balance or a reclaim
is never typed: it has no form here, only the computation that balance_settle records."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError

from core.fields import MONEY
from financing.models import Payment

DATE_ERRORS = {
    "required": "Indiquez la date.",
    "invalid": "Saisissez une date au format JJ/MM/AAAA.",
}


def date_field(label: str, *, required: bool = True, help_text: str = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text or "Format : JJ/MM/AAAA.",
        error_messages=DATE_ERRORS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class ServiceErrorsMixin:
    """A service's refusal, shown on the field it names (or above the form)."""

    def add_service_errors(self, error: ValidationError) -> None:
        for name, messages in error.message_dict.items():
            self.add_error(name if name in self.fields else None, messages)  # type: ignore[attr-defined]


class PaymentForm(ServiceErrorsMixin, forms.Form):
    kind = forms.ChoiceField(
        label="Nature",
        choices=[(Payment.Kind.ADVANCE, "Avance"), (Payment.Kind.INSTALMENT, "Acompte")],
        help_text="Le solde se calcule à part, après l'approbation du bilan final.",
        error_messages={"required": "Choisissez la nature du versement."},
    )
    amount = forms.DecimalField(
        label="Montant (€)",
        localize=True,
        **MONEY,
        error_messages={
            "required": "Indiquez le montant.",
            "invalid": "Saisissez un montant en euros, par exemple 1 250,50.",
        },
    )
    status = forms.ChoiceField(
        label="Statut",
        choices=[(Payment.Status.PLANNED, "Prévu"), (Payment.Status.PAID, "Versé")],
    )
    due_date = date_field("Échéance", required=False)
    paid_on = date_field(
        "Versé le", required=False, help_text="Obligatoire pour un versement effectué."
    )
    reference = forms.CharField(label="Référence comptable", max_length=64, required=False)
    note = forms.CharField(label="Observation", max_length=300, required=False)

    def clean(self) -> dict:
        data = super().clean() or {}
        if data.get("status") == Payment.Status.PAID and not data.get("paid_on"):
            self.add_error("paid_on", "Indiquez la date du versement.")
        return data

    def payment(self, convention) -> Payment:
        data = self.cleaned_data
        return Payment(
            convention=convention,
            kind=data["kind"],
            amount=data["amount"] if data["amount"] is not None else Decimal("0.00"),
            status=data["status"],
            due_date=data["due_date"],
            paid_on=data["paid_on"],
            reference=data["reference"],
            note=data["note"],
        )


class MarkPaidForm(ServiceErrorsMixin, forms.Form):
    paid_on = date_field("Versé le")
    reference = forms.CharField(label="Référence comptable", max_length=64, required=False)


class FinalReportForm(ServiceErrorsMixin, forms.Form):
    final_report_approved_on = date_field("Bilan final approuvé le")
