"""Page forms for the reporting calendar; each only shapes input for a service."""

from __future__ import annotations

from django import forms

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
INVALID_DATE = {"invalid": "Saisissez une date valide, par exemple 30/06/2024."}


def _date(label: str, help_text: str = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        help_text=help_text,
        widget=DATE,
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        error_messages=INVALID_DATE,
    )


def _months(label: str) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=1,
        max_value=24,
        error_messages={
            "min_value": "Le délai est compris entre 1 et 24 mois.",
            "max_value": "Le délai est compris entre 1 et 24 mois.",
            "invalid": "Saisissez un nombre de mois.",
        },
    )


class TermsForm(forms.Form):
    annual_delay_months = _months("Délai du compte rendu annuel (mois après la fin de l'année)")
    final_delay_months = _months("Délai du bilan final (mois après la fin de la convention)")


class RescheduleForm(forms.Form):
    due_on = _date("Nouvelle échéance")


class InterimForm(forms.Form):
    period_end = _date("Bilan d'étape au", "Le dernier jour de la période que le bilan couvre.")
    due_on = _date("À transmettre avant le")


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label="Motif du retrait",
        max_length=300,
        help_text="Obligatoire : il reste visible dans l'historique du calendrier.",
        error_messages={"required": "Indiquez pourquoi cette échéance est retirée."},
    )
