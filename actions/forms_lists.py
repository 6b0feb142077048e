"""The query strings of « Mes actions » and the review queue, read by forms: search, filters,
sort. An unknown value is dropped, never an error page."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms

from actions.models import ProgressReport
from conventions.models import Organisation

NO_REPORT = "aucun"

# Sort keys shown in the address, with the columns they order by.
ACTION_SORTS: dict[str, tuple[str, ...]] = {
    "action": ("code",),
    "convention": ("axis__convention__reference", "axis__number", "code"),
    "pilote": ("lead_organisation__name", "code"),
}
ACTION_COLUMNS = [("action", "Action"), ("convention", "Convention"), ("pilote", "Pilote")]
ACTION_DEFAULT_SORT = "convention"

REVIEW_SORTS: dict[str, tuple[str, ...]] = {
    "transmis": ("submitted_at",),
    "action": ("action__code",),
    "pilote": ("action__lead_organisation__name",),
    "convention": ("action__axis__convention__reference",),
    "depense": ("spent",),
}
REVIEW_COLUMNS = [
    ("transmis", "Transmis le"),
    ("action", "Action"),
    ("pilote", "Pilote"),
    ("convention", "Convention"),
    ("depense", "Dépenses déclarées"),
]
REVIEW_DEFAULT_SORT = "transmis"


def _sort_field(sorts: dict[str, tuple[str, ...]]) -> forms.ChoiceField:
    return forms.ChoiceField(
        required=False, choices=[(p + k, p + k) for k in sorts for p in ("", "-")]
    )


class ListFilterForm(forms.Form):
    q = forms.CharField(
        label="Rechercher",
        required=False,
        max_length=100,
        help_text="Code ou intitulé de l'action, convention, pilote",
    )
    pilote = forms.TypedChoiceField(label="Pilote", required=False, coerce=int, empty_value=None)

    def __init__(self, data: Any, *, leads: Sequence[Organisation]) -> None:
        super().__init__(data)
        self.fields["pilote"].choices = [  # type: ignore[attr-defined]
            ("", "Tous les pilotes"),
            *((o.pk, o.name) for o in leads),
        ]

    def filters(self) -> dict[str, Any]:
        """The valid filters only (the sort apart)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {k: v for k, v in data.items() if v not in (None, "") and k != "sort"}

    def chosen_sort(self, default: str) -> str:
        self.is_valid()
        return getattr(self, "cleaned_data", {}).get("sort") or default


class ActionFilterForm(ListFilterForm):
    statut = forms.ChoiceField(
        label="Dernier compte rendu",
        required=False,
        choices=[
            ("", "Tous"),
            (NO_REPORT, "Aucun compte rendu"),
            *ProgressReport.Status.choices,
        ],
    )
    sort = _sort_field(ACTION_SORTS)


class ReviewFilterForm(ListFilterForm):
    sort = _sort_field(REVIEW_SORTS)
