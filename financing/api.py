"""API v1 for the financing plan: funding lines, payments, amendments."""

from __future__ import annotations

from typing import Any, cast

from django.contrib.auth.models import User
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from actions.models import Action
from conventions.api import (
    DepartementFilter,
    IsOfficerOrReadOnly,
    ServiceModelViewSet,
)
from conventions.exports import AMENDMENT_COLUMNS
from conventions.models import Amendment, Convention, Organisation
from conventions.services import amendment_delete
from core.api.exports import ListExportMixin
from core.api.fields import (
    ApiDateFilter,
    IdFilter,
    PlausibleDateField,
    VisibleRelatedField,
    YearFilter,
)
from core.api.filters import ApiFilterSet
from core.api.serializers import ApiModelSerializer, ApiSerializer
from core.fields import money_serializer_field
from financing.exports import FUNDING_LINE_COLUMNS, PAYMENT_COLUMNS
from financing.models import FundingLine, Payment
from financing.services import (
    amendment_create,
    funding_line_delete,
    funding_line_save,
    payment_delete,
    payment_save,
)

# --- funding lines ------------------------------------------------------------------------------


class FundingLineSerializer(ApiModelSerializer):
    action = VisibleRelatedField(Action)
    funder = VisibleRelatedField(Organisation)
    convention = serializers.IntegerField(source="action.axis.convention_id", read_only=True)

    class Meta:
        model = FundingLine
        fields = ["id", "convention", "action", "funder", "year", "amount"]
        validators: list[Any] = []  # uniqueness is checked by the model, inside the service


class FundingLineFilter(ApiFilterSet):
    convention = IdFilter(field_name="action__axis__convention_id")
    axis = IdFilter(field_name="action__axis_id")
    action = IdFilter(field_name="action_id")
    funder = IdFilter(field_name="funder_id")
    beneficiary = IdFilter(field_name="action__axis__convention__beneficiary_id")
    departement = DepartementFilter(field_name="action__lead_organisation__departement_code")
    status = filters.ChoiceFilter(
        field_name="action__axis__convention__status", choices=Convention.Status.choices
    )
    year = YearFilter()
    year_min = YearFilter(field_name="year", lookup_expr="gte")
    year_max = YearFilter(field_name="year", lookup_expr="lte")

    class Meta:
        model = FundingLine
        fields = ["convention", "axis", "action", "funder", "year"]


class FundingLineViewSet(ListExportMixin, ServiceModelViewSet):
    """Plan de financement : une ligne par action, financeur et année."""

    model = FundingLine
    serializer_class = FundingLineSerializer
    export_columns = FUNDING_LINE_COLUMNS
    export_name = "lignes-de-financement"
    export_title = "Lignes de financement"
    filterset_class = FundingLineFilter
    ordering_fields = ["year", "amount", "id"]
    ordering = ["action_id", "funder_id", "year"]  # the unique (action, funder, year) index

    def get_queryset(self):
        return super().get_queryset().select_related("action__axis")

    def save_service(self, instance, by):
        return funding_line_save(line=instance, by=by)

    def delete_service(self, instance, by) -> None:
        funding_line_delete(line=instance, by=by)


# --- payments -----------------------------------------------------------------------------------


class PaymentSerializer(ApiModelSerializer):
    convention = VisibleRelatedField(Convention)
    due_date = PlausibleDateField(required=False, allow_null=True)
    paid_on = PlausibleDateField(required=False, allow_null=True)

    class Meta:
        model = Payment
        fields = [
            "id",
            "convention",
            "kind",
            "amount",
            "due_date",
            "paid_on",
            "status",
            "reference",
            "note",
        ]


class PaymentFilter(ApiFilterSet):
    convention = IdFilter(field_name="convention_id")
    beneficiary = IdFilter(field_name="convention__beneficiary_id")
    funder = IdFilter(field_name="convention__funder_id")
    kind = filters.ChoiceFilter(choices=Payment.Kind.choices)
    status = filters.ChoiceFilter(choices=Payment.Status.choices)
    year = YearFilter(field_name="paid_on__year")
    paid_after = ApiDateFilter(field_name="paid_on", lookup_expr="gte")
    paid_before = ApiDateFilter(field_name="paid_on", lookup_expr="lte")
    due_after = ApiDateFilter(field_name="due_date", lookup_expr="gte")
    due_before = ApiDateFilter(field_name="due_date", lookup_expr="lte")

    class Meta:
        model = Payment
        fields = ["convention", "beneficiary", "kind", "status"]


class PaymentViewSet(ListExportMixin, ServiceModelViewSet):
    """Versements : on les annule (statut « cancelled »), on ne les supprime jamais (DELETE : 400)."""

    model = Payment
    serializer_class = PaymentSerializer
    export_columns = PAYMENT_COLUMNS
    export_name = "versements"
    export_title = "Versements"
    filterset_class = PaymentFilter
    ordering_fields = ["due_date", "paid_on", "amount", "id"]
    ordering = ["convention_id", "due_date", "id"]

    def save_service(self, instance, by):
        return payment_save(payment=instance, by=by)

    def delete_service(self, instance, by) -> None:
        payment_delete(payment=instance, by=by)  # always refused: the same answer as the admin


# --- amendments ---------------------------------------------------------------------------------


class AmendmentSerializer(ApiModelSerializer):
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


class AmendmentFilter(ApiFilterSet):
    convention = IdFilter(field_name="convention_id")
    signed_after = ApiDateFilter(field_name="signed_on", lookup_expr="gte")
    signed_before = ApiDateFilter(field_name="signed_on", lookup_expr="lte")

    class Meta:
        model = Amendment
        fields = ["convention"]


class AmendmentCreateSerializer(ApiSerializer):
    convention = VisibleRelatedField(Convention)
    signed_on = PlausibleDateField()
    description = serializers.CharField(max_length=5000)
    total_cost = money_serializer_field(required=False, allow_null=True)
    cnsa_amount = money_serializer_field(required=False, allow_null=True)
    end_date = PlausibleDateField(required=False, allow_null=True)


class AmendmentViewSet(
    ListExportMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Avenants : enregistrés avec les chiffres avant et après, puis appliqués à la convention ;
    jamais supprimés (DELETE : 400, comme dans l'administration)."""

    serializer_class = AmendmentSerializer
    export_columns = AMENDMENT_COLUMNS
    export_name = "avenants"
    export_title = "Avenants"
    filterset_class = AmendmentFilter
    permission_classes = [IsOfficerOrReadOnly]
    ordering_fields = ["signed_on", "number", "id"]
    ordering = ["convention_id", "number"]
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return Amendment.objects.visible_to(self.request.user)

    @extend_schema(request=AmendmentCreateSerializer, responses={201: AmendmentSerializer})
    def create(self, request, *args, **kwargs):
        data = AmendmentCreateSerializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        amendment = amendment_create(by=request.user, **data.validated_data)
        return Response(AmendmentSerializer(amendment).data, status=status.HTTP_201_CREATED)

    def perform_destroy(self, instance):
        amendment_delete(amendment=instance, by=cast(User, self.request.user))
