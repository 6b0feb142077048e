"""Reading the plan grid's cells, and the amendment a signed convention's grid prepares."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils import timezone

from backoffice.grid import PlanGrid
from core.fields import MONEY
from financing.plan import PlanCell

INVALID_AMOUNT = "Saisissez un montant en euros, par exemple 1 250,50."

_AMOUNT = forms.DecimalField(
    required=False,
    localize=True,
    **MONEY,
    error_messages={
        "invalid": INVALID_AMOUNT,
        "max_digits": "Montant trop grand : 12 chiffres au plus avant la virgule.",
        "max_decimal_places": "Deux chiffres au plus après la virgule (les centimes).",
        "max_whole_digits": "Montant trop grand : 12 chiffres au plus avant la virgule.",
    },
)


def cell_name(code: str) -> str:
    return f"c-{code}"


def parse_amount(raw: str) -> Decimal | None:
    """A French amount as typed ('1 250,50', '1250.5', '') or ValidationError in French."""
    cleaned = raw.replace("\u00a0", "").replace("\u202f", "").replace(" ", "").replace("€", "")
    return _AMOUNT.clean(cleaned)


def read_cells(grid: PlanGrid, data: QueryDict) -> list[PlanCell]:
    """The posted cells (those absent from the form are left alone); unreadable ones get their
    message on the grid's cell and are not returned."""
    cells = []
    for row in grid.rows:
        for cell in row.cells:
            raw = data.get(cell_name(cell.code))
            if raw is None:
                continue
            cell.value = raw.strip()
            try:
                amount = parse_amount(raw)
            except ValidationError as error:
                cell.errors = list(error.messages)
                continue
            cells.append(PlanCell(*cell.key, amount=amount))
    return cells


class AmendmentForm(forms.Form):
    signed_on = forms.DateField(
        label="Avenant signé le",
        help_text="Format : JJ/MM/AAAA.",
        error_messages={
            "required": "Indiquez la date de signature de l'avenant.",
            "invalid": "Saisissez une date au format JJ/MM/AAAA.",
        },
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    description = forms.CharField(
        label="Objet de l'avenant",
        help_text="Ce que l'avenant change et pourquoi ; le détail du plan est ajouté à la suite.",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Décrivez l'objet de l'avenant."},
    )

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("initial", {"signed_on": timezone.localdate()})
        super().__init__(*args, **kwargs)

    @property
    def signed_on_value(self) -> datetime.date:
        return self.cleaned_data["signed_on"]
