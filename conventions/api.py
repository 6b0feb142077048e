"""API v1 for conventions, plus the rules every app's api.py shares: officer permission, base viewset
(the toolkit itself, errors, schema, fields, filters, backends, lives in core.api)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import generics, permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from conventions.access import scope_for
from conventions.models import Convention, Organisation
from conventions.services import (
    convention_approve_final_report,
    convention_close,
    convention_delete,
    convention_save,
    convention_sign,
)
from conventions.validators import validate_departement_code
from core.api.fields import (
    ApiDateFilter,
    IdFilter,
    PlausibleDateField,
    TextFilter,
    VisibleRelatedField,
    YearFilter,
)
from core.api.filters import ApiFilterSet
from core.api.serializers import ApiModelSerializer, ApiSerializer

# --- permissions, filters -----------------------------------------------------------------------


class IsOfficerOrReadOnly(permissions.IsAuthenticated):
    """Everyone signed in reads what visible_to lets them see; only CNSA officers write. A write
    on an object one cannot see is a 404 (as a read): only a visible object's refusal is a 403."""

    def has_permission(self, request, view) -> bool:
        if not super().has_permission(request, view):
            return False
        if request.method in permissions.SAFE_METHODS or scope_for(request.user).is_officer:
            return True
        names_an_object = isinstance(view, generics.GenericAPIView) and (
            (view.lookup_url_kwarg or view.lookup_field) in view.kwargs
        )
        if names_an_object:
            view.get_object()  # Http404 for what the caller cannot see
        return False


DEPARTEMENT_PATTERN = r"^(0[1-9]|[1-8][0-9]|9[0-5]|2A|2B|97[1-6])$"


@extend_schema_field({"type": "string", "pattern": DEPARTEMENT_PATTERN})
class DepartementFilter(filters.CharFilter):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("validators", [validate_departement_code])
        super().__init__(*args, **kwargs)


# --- base viewset -------------------------------------------------------------------------------


class ServiceModelViewSet(viewsets.ModelViewSet):
    # Reads through visible_to(user); writes through the app's service, so refusals match the
    # admin's. Subclasses set `model`, `save_service(instance, by)` and `delete_service(instance,
    # by)`, or leave "delete" out of http_method_names.

    model: Any = None  # each subclass names its model
    permission_classes = [IsOfficerOrReadOnly]
    lookup_value_regex = r"\d+"
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]

    def get_queryset(self):
        return self.model.objects.visible_to(self.request.user)

    def save_service(self, instance, by):
        raise NotImplementedError

    def delete_service(self, instance, by) -> None:
        raise NotImplementedError

    def perform_create(self, serializer):
        instance = self.save_service(self.model(**serializer.validated_data), self.request.user)
        serializer.instance = self._reloaded(instance)

    def perform_update(self, serializer):
        instance = serializer.instance
        for name, value in serializer.validated_data.items():
            setattr(instance, name, value)
        serializer.instance = self._reloaded(self.save_service(instance, self.request.user))

    def _reloaded(self, instance):
        """Answer with what a GET would show, computed fields included."""
        return self.get_queryset().get(pk=instance.pk)

    @transaction.atomic
    def perform_destroy(self, instance):
        self.delete_service(instance, self.request.user)


# --- organisations ------------------------------------------------------------------------------


class OrganisationBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = ["id", "name", "siret"]


# --- conventions --------------------------------------------------------------------------------


class ConventionSerializer(ApiModelSerializer):
    beneficiary = OrganisationBriefSerializer(read_only=True)
    beneficiary_id = VisibleRelatedField(Organisation, source="beneficiary", write_only=True)
    funder = VisibleRelatedField(Organisation)
    start_date = PlausibleDateField()
    end_date = PlausibleDateField()
    signature_date = PlausibleDateField(required=False, allow_null=True)
    cnsa_rate = serializers.DecimalField(
        max_digits=5, decimal_places=2, read_only=True, allow_null=True
    )

    class Meta:
        model = Convention
        fields = [
            "id",
            "reference",
            "title",
            "funder",
            "beneficiary",
            "beneficiary_id",
            "start_date",
            "end_date",
            "signature_date",
            "status",
            "total_cost",
            "cnsa_amount",
            "cnsa_rate",
            "rate_cap",
            "final_report_approved_on",
            "objet",
            "is_illustrative",
        ]
        read_only_fields = ["status", "final_report_approved_on"]
        # Uniqueness is the model's full_clean's job, inside the service: one message, one place.
        extra_kwargs: dict[str, dict[str, Any]] = {"reference": {"validators": []}}


class ConventionFilter(ApiFilterSet):
    funder = IdFilter(field_name="funder_id")
    beneficiary = IdFilter(field_name="beneficiary_id")
    status = filters.ChoiceFilter(choices=Convention.Status.choices)
    departement = DepartementFilter(field_name="beneficiary__departement_code")
    year = YearFilter(method="filter_year", label="Année couverte")
    start_after = ApiDateFilter(field_name="start_date", lookup_expr="gte")
    start_before = ApiDateFilter(field_name="start_date", lookup_expr="lte")
    end_after = ApiDateFilter(field_name="end_date", lookup_expr="gte")
    end_before = ApiDateFilter(field_name="end_date", lookup_expr="lte")
    reference = TextFilter(lookup_expr="icontains")

    class Meta:
        model = Convention
        fields = ["funder", "beneficiary", "status", "departement", "year", "reference"]

    def filter_year(self, queryset, name, value):
        return queryset.filter(start_date__year__lte=value, end_date__year__gte=value)


class SignSerializer(ApiSerializer):
    signed_on = PlausibleDateField(required=False, allow_null=True)


class ApproveFinalReportSerializer(ApiSerializer):
    approved_on = PlausibleDateField()


class ConventionViewSet(ServiceModelViewSet):
    """Conventions ; le statut ne change que par les actions « sign », « approve-final-report », « close »."""

    model = Convention
    serializer_class = ConventionSerializer
    filterset_class = ConventionFilter
    ordering_fields = ["reference", "start_date", "end_date", "total_cost", "cnsa_amount", "id"]
    ordering = ["-start_date", "reference"]

    def get_queryset(self):
        return super().get_queryset().select_related("beneficiary")

    def save_service(self, instance, by):
        return convention_save(convention=instance, by=by)

    def delete_service(self, instance, by) -> None:
        convention_delete(convention=instance, by=by)

    def _transition(self, request, service, **kwargs):
        convention = self.get_object()
        service(convention=convention, by=request.user, **kwargs)
        return Response(self.get_serializer(self.get_queryset().get(pk=convention.pk)).data)

    @extend_schema(
        summary="Signer la convention", request=SignSerializer, responses=ConventionSerializer
    )
    @action(detail=True, methods=["post"])
    def sign(self, request, pk=None):
        data = SignSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._transition(
            request, convention_sign, signed_on=data.validated_data.get("signed_on")
        )

    @extend_schema(
        summary="Approuver le bilan final",
        request=ApproveFinalReportSerializer,
        responses=ConventionSerializer,
    )
    @action(detail=True, methods=["post"], url_path="approve-final-report")
    def approve_final_report(self, request, pk=None):
        data = ApproveFinalReportSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._transition(
            request, convention_approve_final_report, approved_on=data.validated_data["approved_on"]
        )

    @extend_schema(summary="Clôturer la convention", request=None, responses=ConventionSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        return self._transition(request, convention_close)
