"""API v1: conventions with their money, and their exports."""

from __future__ import annotations

from typing import Any

from conventions.access import sees_money
from conventions.api import (
    ConventionSerializer,
    ConventionViewSet,
)
from core.api.exports import ListExportMixin
from core.fields import money_serializer_field
from financing.exports import CONVENTION_COLUMNS, CONVENTION_RATES
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


class ConventionWithTotalsViewSet(ListExportMixin, ConventionViewSet):
    """Conventions, avec sur chaque élément prévu, prévu CNSA, versé (net des reversements), dépensé.

    Ces sommes valent null pour qui ne voit que l'en-tête de la convention (une union départementale
    qui y pilote des actions) : sa propre part se lit dans /api/v1/totals/.
    `?format=csv|xlsx|ods` : la liste entière (filtres et tri compris) en fichier, `?columns=` pour
    choisir les colonnes.
    """

    serializer_class = ConventionWithTotalsSerializer
    export_columns = CONVENTION_COLUMNS
    export_rates = CONVENTION_RATES
    export_name = "conventions"
    export_title = "Conventions"

    def get_queryset(self):
        return conventions_with_totals(super().get_queryset())

    def export_row(self, data: dict[str, Any]) -> dict[str, Any]:
        beneficiary = data.get("beneficiary") or {}
        return {
            **data,
            "beneficiary": beneficiary.get("name"),
            "beneficiary_siret": beneficiary.get("siret"),
        }
