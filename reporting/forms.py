from __future__ import annotations

from typing import cast

from django import forms

from conventions.models import Convention
from reporting.models import Report


class ReportRequestForm(forms.Form):
    kind = forms.ChoiceField(label="Type de rapport", choices=Report.Kind.choices)
    year = forms.TypedChoiceField(
        label="Année (rapport annuel)", coerce=int, required=False, empty_value=None
    )
    period_start = forms.DateField(
        label="Début de période (bilan d'étape)",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Par défaut, le début de la convention.",
    )
    period_end = forms.DateField(
        label="Fin de période (bilan d'étape)",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args, convention: Convention, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["year"]).choices = [("", "—")] + [
            (y, str(y)) for y in convention.years
        ]
