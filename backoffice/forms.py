"""The conventions list's query string, parsed by a form: search, filters, sort."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms

from conventions.models import Convention, Organisation

SORTS = {
    "reference": ("reference", "Référence"),
    "porteur": ("beneficiary__name", "Porteur"),
    "debut": ("start_date", "Période"),
    "cout": ("total_cost", "Coût global"),
    "cnsa": ("cnsa_amount", "Montant CNSA"),
    "taux": ("cnsa_rate_sort", "Taux CNSA"),
    "prevu": ("planned", "Prévu"),
    "verse": ("paid", "Versé"),
    "depense": ("spent", "Dépensé"),
    "reste": ("remaining", "Reste à verser"),
}
DEFAULT_SORT = "-debut"


class ConventionFilterForm(forms.Form):
    q = forms.CharField(
        label="Rechercher",
        required=False,
        max_length=100,
        help_text="Référence, intitulé ou porteur",
    )
    status = forms.ChoiceField(
        label="Statut",
        required=False,
        choices=[("", "Tous les statuts"), *Convention.Status.choices],
    )
    porteur = forms.TypedChoiceField(label="Porteur", required=False, coerce=int, empty_value=None)
    departement = forms.ChoiceField(label="Département", required=False)
    year = forms.TypedChoiceField(label="Année", required=False, coerce=int, empty_value=None)
    sort = forms.ChoiceField(
        required=False,
        choices=[(p + k, p + k) for k in SORTS for p in ("", "-")],
    )

    def __init__(
        self,
        data: Any,
        *,
        porteurs: Sequence[Organisation],
        departements: list[str],
        years: list[int],
    ) -> None:
        super().__init__(data)
        self.fields["porteur"].choices = [  # type: ignore[attr-defined]
            ("", "Tous les porteurs"),
            *((p.pk, p.name) for p in porteurs),
        ]
        self.fields["departement"].choices = [  # type: ignore[attr-defined]
            ("", "Tous les départements"),
            *((d, d) for d in departements),
        ]
        self.fields["year"].choices = [  # type: ignore[attr-defined]
            ("", "Toutes les années"),
            *((y, str(y)) for y in years),
        ]

    def filters(self) -> dict[str, Any]:
        """The valid filters only: an unknown value is dropped, never a 500."""
        self.is_valid()
        return {k: v for k, v in getattr(self, "cleaned_data", {}).items() if v not in (None, "")}
