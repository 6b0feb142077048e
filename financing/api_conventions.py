"""API v1: conventions with their money, and their exports."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema

from conventions.access import sees_money
from conventions.api import (
    ConventionSerializer,
    ConventionViewSet,
)
from core.export_renderers import (
    EXPORT_RENDERERS,
    request_columns,
)
from core.exports import (
    EXPORT_FORMATS,
    RateOf,
    columns_pattern,
    export_response,
)
from core.fields import money_serializer_field
from financing.exports import CONVENTION_COLUMNS
from financing.selectors import conventions_with_totals

# --- conventions, with their money --------------------------------------------------------------


CONVENTION_MONEY = ("planned", "cnsa_planned", "paid", "spent")


class ConventionWithTotalsSerializer(ConventionSerializer):
    planned = money_serializer_field(read_only=True, allow_null=True)
    cnsa_planned = money_serializer_field(read_only=True, allow_null=True)
    paid = money_serializer_field(read_only=True, allow_null=True)
    spent = money_serializer_field(read_only=True, allow_null=True)

    class Meta(ConventionSerializer.Meta):
        fields = [*ConventionSerializer.Meta.fields, *CONVENTION_MONEY]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        user = self.context["request"].user
        if not sees_money(user, beneficiary_id=instance.beneficiary_id):
            data.update(dict.fromkeys(CONVENTION_MONEY))
        return data


EXPORT_PARAMETERS = [
    OpenApiParameter(
        "format",
        str,
        enum=["json", *EXPORT_FORMATS],
        description=(
            "`csv` : codes stables, point décimal, toute la liste (non paginée), diffusée ligne à "
            "ligne. `xlsx`, `ods` : en-têtes en français, montants en nombres au format euro, "
            "dates en dates, ligne de total."
        ),
    ),
    OpenApiParameter(
        "columns",
        {
            "type": "string",
            "pattern": columns_pattern([c.code for c in CONVENTION_COLUMNS]),
        },
        description="Colonnes du fichier, séparées par des virgules, dans cet ordre (défaut : toutes).",
    ),
]


def _convention_row(data: dict[str, Any]) -> dict[str, Any]:
    beneficiary = data.get("beneficiary") or {}
    return {
        **data,
        "beneficiary": beneficiary.get("name"),
        "beneficiary_siret": beneficiary.get("siret"),
    }


class ConventionWithTotalsViewSet(ConventionViewSet):
    """Conventions, avec sur chaque élément prévu, prévu CNSA, versé (net des reversements), dépensé.

    Ces sommes valent null pour qui ne voit que l'en-tête de la convention (une union départementale
    qui y pilote des actions) : sa propre part se lit dans /api/v1/totals/.
    `?format=csv|xlsx|ods` : la liste entière (filtres et tri compris) en fichier, `?columns=` pour
    choisir les colonnes.
    """

    serializer_class = ConventionWithTotalsSerializer

    def get_queryset(self):
        return conventions_with_totals(super().get_queryset())

    def get_renderers(self):
        renderers_ = super().get_renderers()
        if self.action == "list":
            renderers_ += [renderer() for renderer in EXPORT_RENDERERS]
        return renderers_

    @extend_schema(parameters=EXPORT_PARAMETERS)
    def list(self, request, *args, **kwargs):
        fmt = request.accepted_renderer.format
        columns = request_columns(request, CONVENTION_COLUMNS)  # checked in JSON too: same 400
        if fmt not in EXPORT_FORMATS:
            return super().list(request, *args, **kwargs)
        conventions = self.filter_queryset(self.get_queryset())
        rows = (
            _convention_row(self.get_serializer(c).data)
            for c in conventions.iterator(chunk_size=500)
        )
        return export_response(
            fmt,
            columns,
            rows,
            filename="conventions",
            title="Conventions",
            rates={"cnsa_rate": RateOf("cnsa_amount", "total_cost")},
        )
