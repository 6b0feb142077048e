"""API v1 for actions and their indicators."""

from __future__ import annotations

from typing import Any

from django_filters import rest_framework as filters
from rest_framework import serializers

from actions.exports import ACTION_COLUMNS, INDICATOR_COLUMNS
from actions.models import Action, Indicator
from actions.services import action_delete, action_save, indicator_delete, indicator_save
from axes.models import Axis
from conventions.api import (
    DepartementFilter,
    ServiceModelViewSet,
)
from conventions.models import Convention, Organisation
from core.api.exports import ListExportMixin
from core.api.fields import (
    ApiDateFilter,
    IdFilter,
    PlausibleDateField,
    VisibleRelatedField,
    YearFilter,
)
from core.api.filters import ApiFilterSet
from core.api.serializers import ApiModelSerializer


class ActionSerializer(ApiModelSerializer):
    axis = VisibleRelatedField(Axis)
    lead_organisation = VisibleRelatedField(Organisation)
    convention = serializers.IntegerField(source="axis.convention_id", read_only=True)
    start_date = PlausibleDateField()
    end_date = PlausibleDateField()

    class Meta:
        model = Action
        fields = [
            "id",
            "convention",
            "axis",
            "code",
            "title",
            "description",
            "means",
            "lead_organisation",
            "start_date",
            "end_date",
            "status",
        ]
        validators: list[Any] = []  # uniqueness is checked by the model, inside the service


class ActionFilter(ApiFilterSet):
    convention = IdFilter(field_name="axis__convention_id")
    axis = IdFilter(field_name="axis_id")
    lead_organisation = IdFilter(field_name="lead_organisation_id")
    beneficiary = IdFilter(field_name="axis__convention__beneficiary_id")
    departement = DepartementFilter(field_name="lead_organisation__departement_code")
    status = filters.ChoiceFilter(choices=Action.Status.choices)
    convention_status = filters.ChoiceFilter(
        field_name="axis__convention__status", choices=Convention.Status.choices
    )
    year = YearFilter(method="filter_year", label="Année couverte")
    start_after = ApiDateFilter(field_name="start_date", lookup_expr="gte")
    start_before = ApiDateFilter(field_name="start_date", lookup_expr="lte")
    end_after = ApiDateFilter(field_name="end_date", lookup_expr="gte")
    end_before = ApiDateFilter(field_name="end_date", lookup_expr="lte")

    class Meta:
        model = Action
        fields = ["convention", "axis", "lead_organisation", "status", "departement"]

    def filter_year(self, queryset, name, value):
        return queryset.filter(start_date__year__lte=value, end_date__year__gte=value)


class ActionViewSet(ListExportMixin, ServiceModelViewSet):
    """Fiches actions. Une union départementale ne voit que les actions qu'elle pilote."""

    model = Action
    serializer_class = ActionSerializer
    export_columns = ACTION_COLUMNS
    export_name = "actions"
    export_title = "Actions"
    filterset_class = ActionFilter
    ordering_fields = ["code", "start_date", "end_date", "status", "id"]
    ordering = ["axis_id", "code"]  # the (axis, code) unique index

    def get_queryset(self):
        return super().get_queryset().select_related("axis")

    def save_service(self, instance, by):
        return action_save(action=instance, by=by)

    def delete_service(self, instance, by) -> None:
        action_delete(action=instance, by=by)


class IndicatorSerializer(ApiModelSerializer):
    action = VisibleRelatedField(Action)

    class Meta:
        model = Indicator
        fields = ["id", "action", "label", "unit", "baseline", "target", "position"]


class IndicatorFilter(ApiFilterSet):
    action = IdFilter(field_name="action_id")
    convention = IdFilter(field_name="action__axis__convention_id")
    lead_organisation = IdFilter(field_name="action__lead_organisation_id")

    class Meta:
        model = Indicator
        fields = ["action", "convention", "lead_organisation"]


class IndicatorViewSet(ListExportMixin, ServiceModelViewSet):
    """Indicateurs des actions (unité, valeur de départ, cible)."""

    model = Indicator
    serializer_class = IndicatorSerializer
    export_columns = INDICATOR_COLUMNS
    export_name = "indicateurs"
    export_title = "Indicateurs"
    filterset_class = IndicatorFilter
    ordering_fields = ["position", "label", "id"]
    ordering = ["action_id", "position", "id"]

    def save_service(self, instance, by):
        return indicator_save(indicator=instance, by=by)

    def delete_service(self, instance, by) -> None:
        indicator_delete(indicator=instance, by=by)
