"""Page forms for progress reports; each only shapes input for a service."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError

from actions.selectors import Period
from actions.services import SpendingEntry, ValueEntry
from conventions.models import Organisation
from core.money import format_decimal_fr

NEGATIVE = "Saisissez une valeur positive ou nulle."


def _decimal_field(label: str, help_text: str = "") -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        help_text=help_text,
        required=False,
        min_value=Decimal("0"),
        max_digits=14,
        decimal_places=2,
        localize=True,
        error_messages={
            "min_value": NEGATIVE,
            "invalid": "Saisissez un nombre, par exemple 1 250,50.",
        },
    )


class ProgressReportForm(forms.Form):
    """Fields are built from lists the view already loaded: the form never queries."""

    narrative = forms.CharField(
        label="Bilan qualitatif",
        help_text="Ce qui a été fait pendant la période, les difficultés, la suite. Obligatoire pour transmettre.",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(
        self,
        *args,
        indicators,
        funders: list[Organisation],
        periods: list[Period] | None = None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.indicators = indicators
        self.funders = funders
        self.periods = periods
        if periods is not None:
            self.fields["period"] = forms.ChoiceField(
                label="Période",
                choices=[("", "Choisissez une période")] + [(p.key, p.label) for p in periods],
                help_text="Une année, ou un semestre quand la convention prévoit un suivi semestriel.",
                error_messages={"required": "Choisissez la période du compte rendu."},
            )
            self.order_fields(["period"])
        for indicator in indicators:
            self.fields[f"value_{indicator.pk}"] = _decimal_field(
                f"{indicator.label} ({indicator.unit})",
                f"Niveau atteint à la fin de la période. Cible : {format_decimal_fr(indicator.target)}.",
            )
            self.fields[f"comment_{indicator.pk}"] = forms.CharField(
                label=f"Commentaire sur « {indicator.label} »", required=False, max_length=500
            )
        for funder in [*funders, None]:
            key = funder.pk if funder else "none"
            label = (
                f"Dépenses financées par {funder}"
                if funder
                else "Dépenses non ventilées par financeur"
            )
            self.fields[f"spending_{key}"] = _decimal_field(
                label, "En euros, par exemple 1 250,50."
            )

    @property
    def indicator_rows(self):
        return [(self[f"value_{i.pk}"], self[f"comment_{i.pk}"]) for i in self.indicators]

    @property
    def spending_fields(self):
        return [self[name] for name in self.fields if name.startswith("spending_")]

    def chosen_period(self) -> Period:
        return next(p for p in self.periods or [] if p.key == self.cleaned_data["period"])

    def values(self) -> list[ValueEntry]:
        data = self.cleaned_data
        return [
            ValueEntry(i.pk, data[f"value_{i.pk}"], data[f"comment_{i.pk}"])
            for i in self.indicators
            if data.get(f"value_{i.pk}") is not None
        ]

    def spendings(self) -> list[SpendingEntry]:
        entries = []
        for funder in [*self.funders, None]:
            amount = self.cleaned_data.get(f"spending_{funder.pk if funder else 'none'}")
            if amount:
                entries.append(SpendingEntry(funder.pk if funder else None, amount))
        return entries

    def add_service_errors(self, error: ValidationError) -> None:
        for name, messages in error.message_dict.items():
            visible = name in self.fields and name != "version"
            self.add_error(name if visible else None, messages)


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label="Ajouter une pièce jointe",
        help_text="PDF, XLSX, DOCX, ODT, PNG ou JPEG ; 10 Mo au plus.",
        error_messages={"required": "Choisissez un fichier à déposer."},
    )


class ReviewForm(forms.Form):
    comment = forms.CharField(
        label="Commentaire pour le partenaire",
        help_text="Obligatoire pour renvoyer le compte rendu : dites ce qu'il faut corriger.",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


class MessageForm(forms.Form):
    body = forms.CharField(
        label="Votre message",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Écrivez votre message avant de l'envoyer."},
    )
    internal = forms.BooleanField(
        label="Note interne (lue seulement par les chargés de mission de la CNSA)",
        required=False,
    )
    file = MultipleFileField(
        label="Joindre des fichiers (facultatif)",
        help_text="Jusqu'à 5 fichiers : PDF, XLSX, DOCX, ODT, PNG ou JPEG ; 10 Mo au plus chacun.",
        required=False,
        widget=MultipleFileInput(),
    )

    def __init__(self, *args, notes: bool = False, **kwargs):
        # Its own ids: the report page also has the attachment form's `id_file`.
        kwargs.setdefault("auto_id", "message_%s")
        super().__init__(*args, **kwargs)
        if not notes:
            del self.fields["internal"]


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label="Motif de la réouverture",
        help_text="Obligatoire : il est envoyé au partenaire et gardé dans l'historique.",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "Dites au partenaire pourquoi le compte rendu est rouvert : le motif est obligatoire."
        },
    )
