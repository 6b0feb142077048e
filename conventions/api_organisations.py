"""API v1: organisations (read only: they are entered in the admin)."""

from __future__ import annotations

from django_filters import rest_framework as filters
from rest_framework import serializers, viewsets

from conventions.api import DepartementFilter
from conventions.exports import ORGANISATION_COLUMNS
from conventions.models import Organisation
from core.api.exports import ListExportMixin
from core.api.fields import IdFilter, TextFilter
from core.api.filters import ApiFilterSet


class OrganisationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = [
            "id",
            "name",
            "short_name",
            "kind",
            "siret",
            "rna",
            "departement_code",
            "parent",
            "email",
        ]


class OrganisationFilter(ApiFilterSet):
    kind = filters.ChoiceFilter(choices=Organisation.Kind.choices)
    departement = DepartementFilter(field_name="departement_code")
    parent = IdFilter(field_name="parent_id")
    name = TextFilter(field_name="name", lookup_expr="icontains")

    class Meta:
        model = Organisation
        fields = ["kind", "departement", "parent", "name"]


class OrganisationViewSet(ListExportMixin, viewsets.ReadOnlyModelViewSet):
    """Organisations (lecture seule : elles se saisissent dans l'administration)."""

    serializer_class = OrganisationSerializer
    export_columns = ORGANISATION_COLUMNS
    export_name = "organisations"
    export_title = "Organisations"
    filterset_class = OrganisationFilter
    ordering_fields = ["name", "kind", "departement_code", "id"]
    ordering = ["name"]
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return Organisation.objects.visible_to(self.request.user)
