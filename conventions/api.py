"""API v1 for conventions, plus what every app's api.py shares: errors, permissions, base viewset."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.http import Http404
from django_filters import rest_framework as filters
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import exceptions, mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action, api_view
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from conventions.access import scope_for
from conventions.authentication import api_token_create, api_token_revoke
from conventions.models import Amendment, ApiToken, Convention, Organisation
from conventions.services import (
    convention_approve_final_report,
    convention_close,
    convention_save,
    convention_sign,
)
from conventions.validators import validate_departement_code

# Dates outside this range are refused at the door: they are typing errors, and some date
# arithmetic downstream (the balance deadline is the year after the end) would overflow.
EARLIEST = datetime.date(1990, 1, 1)
LATEST = datetime.date(2199, 12, 31)
MAX_ID = 2**63 - 1


# --- errors -------------------------------------------------------------------------------------


def _django_errors(exc: DjangoValidationError) -> dict | list:
    if hasattr(exc, "error_dict"):
        return {
            ("non_field_errors" if field == "__all__" else field): messages
            for field, messages in exc.message_dict.items()
        }
    return {"non_field_errors": exc.messages}


def exception_handler(exc, context):
    """The services speak django's ValidationError; the API answers 400 with per-field messages."""
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(_django_errors(exc))
    elif isinstance(exc, Http404):  # Django's message names the model, in English
        exc = exceptions.NotFound("Non trouvé.")
    elif isinstance(exc, ProtectedError):
        return Response(
            {"detail": "Suppression impossible : d'autres données en dépendent (versements…)."},
            status=status.HTTP_409_CONFLICT,
        )
    return drf_exception_handler(exc, context)


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()


VALIDATION_ERROR_SCHEMA = {
    "type": "object",
    "description": "Messages par champ (« non_field_errors » pour l'ensemble).",
    "additionalProperties": {},
}


class ApiAutoSchema(AutoSchema):
    """Declare the error answers every route can give, so clients and fuzzers know them."""

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        codes = {"401", "403", "429"}
        if "{" in self.path or self.method == "GET":
            codes.add("404")  # unknown or invisible id, page out of range, unknown ?format
        if self.method in ("POST", "PUT", "PATCH"):
            codes.update({"400", "415"})
        if self.method == "GET":
            codes.add("400")
        if self.method == "DELETE":
            codes.add("409")
        for code in sorted(codes - set(responses)):
            body = VALIDATION_ERROR_SCHEMA if code == "400" else ErrorSerializer
            responses[code] = self._get_response_for_code(body, code, direction=direction)
        return responses


@extend_schema(exclude=True)
@api_view(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"])
def api_not_found(request, *args, **kwargs):
    """Any other address under /api/ answers in JSON too (a malformed id included)."""
    raise exceptions.NotFound("Aucune ressource à cette adresse.")


# --- permissions, fields, filters ---------------------------------------------------------------


class IsOfficerOrReadOnly(permissions.IsAuthenticated):
    """Everyone signed in reads what visible_to lets them see; only CNSA officers write."""

    def has_permission(self, request, view) -> bool:
        if not super().has_permission(request, view):
            return False
        return request.method in permissions.SAFE_METHODS or scope_for(request.user).is_officer


class VisibleRelatedField(serializers.PrimaryKeyRelatedField):
    """A foreign key the caller may only point at rows visible to them."""

    def __init__(self, model, **kwargs):
        self.model = model
        kwargs.setdefault("queryset", model.objects.none())
        super().__init__(**kwargs)

    def get_queryset(self):
        return self.model.objects.visible_to(self.context["request"].user)

    def to_internal_value(self, data):
        if isinstance(data, bool) or (isinstance(data, int) and not 0 < data <= MAX_ID):
            self.fail("does_not_exist", pk_value=data)
        return super().to_internal_value(data)


class PlausibleDateField(serializers.DateField):
    default_error_messages = {
        "implausible": f"La date doit être comprise entre le {EARLIEST:%d/%m/%Y} et le {LATEST:%d/%m/%Y}."
    }

    def to_internal_value(self, value):
        date = super().to_internal_value(value)
        if not EARLIEST <= date <= LATEST:
            self.fail("implausible")
        return date


class IdField(forms.IntegerField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": MAX_ID})
class IdFilter(filters.NumberFilter):
    field_class = IdField


@extend_schema_field({"type": "integer", "minimum": 1900, "maximum": 2200})
class YearFilter(filters.NumberFilter):
    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1900)
        kwargs.setdefault("max_value", 2200)
        super().__init__(*args, **kwargs)


class ApiDateFilter(filters.DateFilter):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("input_formats", ["%Y-%m-%d"])
        super().__init__(*args, **kwargs)


DEPARTEMENT_PATTERN = r"^(0[1-9]|[1-8][0-9]|9[0-5]|2A|2B|97[1-6])$"


@extend_schema_field({"type": "string", "pattern": DEPARTEMENT_PATTERN})
class DepartementFilter(filters.CharFilter):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("validators", [validate_departement_code])
        super().__init__(*args, **kwargs)


@extend_schema_field({"type": "string", "pattern": r"^[^\x00]*$"})
class TextFilter(filters.CharFilter):
    """Free text: anything but the NUL character, which the database refuses."""


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


class OrganisationFilter(filters.FilterSet):
    kind = filters.ChoiceFilter(choices=Organisation.Kind.choices)
    departement = DepartementFilter(field_name="departement_code")
    parent = IdFilter(field_name="parent_id")
    name = TextFilter(field_name="name", lookup_expr="icontains")

    class Meta:
        model = Organisation
        fields = ["kind", "departement", "parent", "name"]


class OrganisationViewSet(viewsets.ReadOnlyModelViewSet):
    """Organisations (lecture seule : elles se saisissent dans l'administration)."""

    serializer_class = OrganisationSerializer
    filterset_class = OrganisationFilter
    ordering_fields = ["name", "kind", "departement_code", "id"]
    ordering = ["name"]
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return Organisation.objects.visible_to(self.request.user)


# --- conventions --------------------------------------------------------------------------------


class ConventionSerializer(serializers.ModelSerializer):
    beneficiary = OrganisationBriefSerializer(read_only=True)
    beneficiary_id = VisibleRelatedField(Organisation, source="beneficiary", write_only=True)
    funder = VisibleRelatedField(Organisation)
    start_date = PlausibleDateField()
    end_date = PlausibleDateField()
    signature_date = PlausibleDateField(required=False, allow_null=True)
    cnsa_rate = serializers.DecimalField(max_digits=5, decimal_places=2, read_only=True)

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


class ConventionFilter(filters.FilterSet):
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


class SignSerializer(serializers.Serializer):
    signed_on = PlausibleDateField(required=False, allow_null=True)


class ApproveFinalReportSerializer(serializers.Serializer):
    approved_on = PlausibleDateField()


class ConventionViewSet(ServiceModelViewSet):
    """Conventions ; le statut ne change que par les actions « sign », « approve-final-report », « close »."""

    model = Convention
    serializer_class = ConventionSerializer
    filterset_class = ConventionFilter
    ordering_fields = ["reference", "start_date", "end_date", "total_cost", "cnsa_amount", "id"]
    ordering = ["-start_date", "reference"]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_queryset(self):
        return super().get_queryset().select_related("beneficiary")

    def save_service(self, instance, by):
        return convention_save(convention=instance, by=by)

    def _transition(self, request, service, **kwargs):
        convention = self.get_object()
        service(convention=convention, by=request.user, **kwargs)
        return Response(self.get_serializer(self.get_queryset().get(pk=convention.pk)).data)

    @extend_schema(request=SignSerializer, responses=ConventionSerializer)
    @action(detail=True, methods=["post"])
    def sign(self, request, pk=None):
        data = SignSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._transition(
            request, convention_sign, signed_on=data.validated_data.get("signed_on")
        )

    @extend_schema(request=ApproveFinalReportSerializer, responses=ConventionSerializer)
    @action(detail=True, methods=["post"], url_path="approve-final-report")
    def approve_final_report(self, request, pk=None):
        data = ApproveFinalReportSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._transition(
            request, convention_approve_final_report, approved_on=data.validated_data["approved_on"]
        )

    @extend_schema(request=None, responses=ConventionSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        return self._transition(request, convention_close)


class AmendmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Amendment
        fields = [
            "id",
            "convention",
            "number",
            "signed_on",
            "description",
            "previous_total_cost",
            "previous_cnsa_amount",
            "previous_end_date",
            "new_total_cost",
            "new_cnsa_amount",
            "new_end_date",
            "created_at",
        ]


class AmendmentFilter(filters.FilterSet):
    convention = IdFilter(field_name="convention_id")
    signed_after = ApiDateFilter(field_name="signed_on", lookup_expr="gte")
    signed_before = ApiDateFilter(field_name="signed_on", lookup_expr="lte")

    class Meta:
        model = Amendment
        fields = ["convention"]


# --- API tokens ---------------------------------------------------------------------------------


class ApiTokenSerializer(serializers.ModelSerializer):
    user = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True),
        required=False,
        help_text="Pour un chargé de mission CNSA seulement : le jeton d'un autre utilisateur.",
    )

    class Meta:
        model = ApiToken
        fields = ["id", "name", "user", "prefix", "created_at", "last_used_at", "revoked_at"]
        read_only_fields = ["prefix", "created_at", "last_used_at", "revoked_at"]


class ApiTokenCreatedSerializer(ApiTokenSerializer):
    key = serializers.CharField(read_only=True, help_text="Affichée une seule fois : conservez-la.")

    class Meta(ApiTokenSerializer.Meta):
        fields = [*ApiTokenSerializer.Meta.fields, "key"]


class ApiTokenViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Vos jetons d'API (ceux de tous pour un chargé de mission CNSA). La clé n'est montrée qu'à la création."""

    serializer_class = ApiTokenSerializer
    lookup_value_regex = r"\d+"
    ordering_fields = ["created_at", "id"]
    ordering = ["-created_at"]
    filterset_fields: list[str] = []

    def get_queryset(self):
        return ApiToken.objects.visible_to(self.request.user)

    @extend_schema(request=ApiTokenSerializer, responses={201: ApiTokenCreatedSerializer})
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        owner = serializer.validated_data.get("user", request.user)
        if owner != request.user and not scope_for(request.user).is_officer:
            raise exceptions.PermissionDenied(
                "Seul un chargé de mission CNSA crée un jeton pour un autre utilisateur."
            )
        token, key = api_token_create(
            user=owner, name=serializer.validated_data["name"], by=request.user
        )
        token.key = key  # type: ignore[attr-defined]  # shown once, never stored
        return Response(ApiTokenCreatedSerializer(token).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=ApiTokenSerializer)
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        token = api_token_revoke(token=self.get_object())
        return Response(ApiTokenSerializer(token).data)
