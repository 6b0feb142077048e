"""API v1 for axes."""

from __future__ import annotations

from typing import Any

from django_filters import rest_framework as filters

from axes.models import Axis
from axes.services import axis_delete, axis_save
from conventions.api import (
    ServiceModelViewSet,
)
from conventions.models import Convention
from core.api.exports import ListExportMixin
from core.api.fields import (
    IdFilter,
    VisibleRelatedField,
)
from core.api.filters import ApiFilterSet
from core.api.serializers import ApiModelSerializer
from core.exports import INTEGER, Column

AXIS_COLUMNS = [
    Column("id", "Identifiant", INTEGER),
    Column("convention", "Convention (identifiant)", INTEGER),
    Column("number", "Numéro", INTEGER),
    Column("title", "Intitulé"),
    Column("objective", "Objectif"),
]


class AxisSerializer(ApiModelSerializer):
    convention = VisibleRelatedField(Convention)

    class Meta:
        model = Axis
        fields = ["id", "convention", "number", "title", "objective"]
        validators: list[Any] = []  # uniqueness is checked by the model, inside the service


class AxisFilter(ApiFilterSet):
    convention = IdFilter(field_name="convention_id")
    beneficiary = IdFilter(field_name="convention__beneficiary_id")
    status = filters.ChoiceFilter(
        field_name="convention__status", choices=Convention.Status.choices
    )

    class Meta:
        model = Axis
        fields = ["convention", "beneficiary", "status", "number"]


class AxisViewSet(ListExportMixin, ServiceModelViewSet):
    """Axes des conventions. Écriture : chargés de mission CNSA ; figés une fois la convention clôturée."""

    model = Axis
    serializer_class = AxisSerializer
    export_columns = AXIS_COLUMNS
    export_name = "axes"
    export_title = "Axes"
    filterset_class = AxisFilter
    ordering_fields = ["number", "convention", "id"]
    ordering = ["convention_id", "number"]

    def save_service(self, instance, by):
        return axis_save(axis=instance, by=by)

    def delete_service(self, instance, by) -> None:
        axis_delete(axis=instance, by=by)
