"""API v1 for the financing plan, payments, amendments and funding totals."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Exists, OuterRef
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, renderers, serializers, status, viewsets
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from actions.models import Action
from conventions.api import (
    DEPARTEMENT_PATTERN,
    MAX_ID,
    AmendmentFilter,
    AmendmentSerializer,
    ApiDateFilter,
    ConventionSerializer,
    ConventionViewSet,
    IdFilter,
    IsOfficerOrReadOnly,
    PlausibleDateField,
    ServiceModelViewSet,
    VisibleRelatedField,
    YearFilter,
)
from conventions.models import Amendment, Convention, Organisation
from conventions.validators import validate_departement_code
from core.fields import money_serializer_field
from core.spreadsheets import neutralise_cell
from financing.models import FundingLine, Payment
from financing.selectors import conventions_with_totals
from financing.services import (
    amendment_create,
    funding_line_delete,
    funding_line_save,
    payment_save,
)
from financing.totals import FILTER_KEYS, GROUP_KEYS, MEASURES, funding_totals

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
        if not instance.money_visible:
            data.update(dict.fromkeys(CONVENTION_MONEY))
        return data


class ConventionWithTotalsViewSet(ConventionViewSet):
    """Conventions, avec sur chaque élément prévu, prévu CNSA, versé (net des reversements), dépensé.

    Ces sommes valent null pour qui ne voit que l'en-tête de la convention (une union départementale
    qui y pilote des actions) : sa propre part se lit dans /api/v1/totals/.
    """

    serializer_class = ConventionWithTotalsSerializer

    def get_queryset(self):
        whole = Convention.objects.fully_visible_to(self.request.user).filter(pk=OuterRef("pk"))
        return conventions_with_totals(super().get_queryset()).annotate(money_visible=Exists(whole))


# --- funding lines ------------------------------------------------------------------------------


class FundingLineSerializer(serializers.ModelSerializer):
    action = VisibleRelatedField(Action)
    funder = VisibleRelatedField(Organisation)
    convention = serializers.IntegerField(source="action.axis.convention_id", read_only=True)

    class Meta:
        model = FundingLine
        fields = ["id", "convention", "action", "funder", "year", "amount"]
        validators: list[Any] = []  # uniqueness is checked by the model, inside the service


class FundingLineFilter(filters.FilterSet):
    convention = IdFilter(field_name="action__axis__convention_id")
    axis = IdFilter(field_name="action__axis_id")
    action = IdFilter(field_name="action_id")
    funder = IdFilter(field_name="funder_id")
    beneficiary = IdFilter(field_name="action__axis__convention__beneficiary_id")
    departement = filters.CharFilter(field_name="action__lead_organisation__departement_code")
    status = filters.ChoiceFilter(
        field_name="action__axis__convention__status", choices=Convention.Status.choices
    )
    year = YearFilter()
    year_min = YearFilter(field_name="year", lookup_expr="gte")
    year_max = YearFilter(field_name="year", lookup_expr="lte")

    class Meta:
        model = FundingLine
        fields = ["convention", "axis", "action", "funder", "year"]


class FundingLineViewSet(ServiceModelViewSet):
    """Plan de financement : une ligne par action, financeur et année."""

    model = FundingLine
    serializer_class = FundingLineSerializer
    filterset_class = FundingLineFilter
    ordering_fields = ["year", "amount", "id"]
    ordering = ["action", "year", "funder"]

    def get_queryset(self):
        return super().get_queryset().select_related("action__axis")

    def save_service(self, instance, by):
        return funding_line_save(line=instance, by=by)

    def delete_service(self, instance, by) -> None:
        funding_line_delete(line=instance, by=by)


# --- payments -----------------------------------------------------------------------------------


class PaymentSerializer(serializers.ModelSerializer):
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


class PaymentFilter(filters.FilterSet):
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


class PaymentViewSet(ServiceModelViewSet):
    """Versements : on les annule (statut « cancelled »), on ne les supprime jamais."""

    model = Payment
    serializer_class = PaymentSerializer
    filterset_class = PaymentFilter
    ordering_fields = ["due_date", "paid_on", "amount", "id"]
    ordering = ["convention", "due_date", "id"]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def save_service(self, instance, by):
        return payment_save(payment=instance, by=by)


# --- amendments ---------------------------------------------------------------------------------


class AmendmentCreateSerializer(serializers.Serializer):
    convention = VisibleRelatedField(Convention)
    signed_on = PlausibleDateField()
    description = serializers.CharField(max_length=5000)
    total_cost = money_serializer_field(required=False, allow_null=True)
    cnsa_amount = money_serializer_field(required=False, allow_null=True)
    end_date = PlausibleDateField(required=False, allow_null=True)


class AmendmentViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Avenants : enregistrés avec les chiffres avant et après, puis appliqués à la convention."""

    serializer_class = AmendmentSerializer
    filterset_class = AmendmentFilter
    permission_classes = [IsOfficerOrReadOnly]
    ordering_fields = ["signed_on", "number", "id"]
    ordering = ["convention", "number"]
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return Amendment.objects.visible_to(self.request.user)

    @extend_schema(request=AmendmentCreateSerializer, responses={201: AmendmentSerializer})
    def create(self, request, *args, **kwargs):
        data = AmendmentCreateSerializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        amendment = amendment_create(by=request.user, **data.validated_data)
        return Response(AmendmentSerializer(amendment).data, status=status.HTTP_201_CREATED)


# --- totals -------------------------------------------------------------------------------------


class TotalsCSVRenderer(renderers.BaseRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        """The rows with a header line (always there, even with no row); errors as field,message."""
        rows = data.get("results") if isinstance(data, dict) else None
        columns = getattr((renderer_context or {}).get("view"), "csv_columns", None)
        if rows is None:
            columns = ["champ", "message"]
            rows = [
                {"champ": k, "message": " ".join(map(str, v if isinstance(v, list) else [v]))}
                for k, v in (data or {}).items()
            ]
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=columns or list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(
            {k: "" if v is None else neutralise_cell(v) for k, v in row.items()} for row in rows
        )
        return out.getvalue().encode(self.charset)


def _allowed(values) -> str:
    return ", ".join(values)


class StrictIntegerField(serializers.IntegerField):
    """Digits only (« 5.0 » is refused, unlike DRF's own), each refusal naming the value."""

    default_error_messages = {
        "invalid": "« {input} » n'est pas un nombre entier.",
        "range": "La valeur doit être comprise entre {low} et {high}.",
    }

    def __init__(self, *, low: int, high: int, **kwargs: Any) -> None:
        self.low, self.high = low, high
        super().__init__(required=False, **kwargs)

    def to_internal_value(self, data: Any) -> int:
        try:
            value = int(str(data))
        except ValueError:
            self.fail("invalid", input=data)
        if not self.low <= value <= self.high:
            self.fail("range", low=self.low, high=self.high)
        return value


class TotalsQuerySerializer(serializers.Serializer):
    """The totals query, strict: an unknown parameter, key or value is a 400 naming it and listing
    what is allowed."""

    group_by = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
    format = serializers.CharField(required=False, allow_blank=True)
    convention = StrictIntegerField(low=1, high=MAX_ID)
    funder = StrictIntegerField(low=1, high=MAX_ID)
    beneficiary = StrictIntegerField(low=1, high=MAX_ID)
    year = StrictIntegerField(low=1900, high=2200)
    year_min = StrictIntegerField(low=1900, high=2200)
    year_max = StrictIntegerField(low=1900, high=2200)
    departement = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
    status = serializers.ChoiceField(
        choices=Convention.Status.values,
        required=False,
        error_messages={
            "invalid_choice": f"Statut inconnu : « {{input}} ». Statuts admis : {_allowed(Convention.Status.values)}.",
            "blank": f"Statut inconnu : «  ». Statuts admis : {_allowed(Convention.Status.values)}.",
        },
    )

    def to_internal_value(self, data: Any) -> dict[str, Any]:
        unknown = sorted(set(data) - set(self.fields))
        if unknown:
            raise serializers.ValidationError(
                {
                    unknown[0]: [
                        f"Paramètre inconnu : « {unknown[0]} ». Paramètres admis : {_allowed(sorted(self.fields))}."
                    ]
                }
            )
        # A plain dict, not the QueryDict: an empty `?year=` is then refused, not taken as absent.
        return super().to_internal_value(dict(data.items()))

    def validate_group_by(self, value: str) -> list[str]:
        keys = [k.strip() for k in value.split(",") if k.strip()]
        for key in keys:
            if key not in GROUP_KEYS:
                raise serializers.ValidationError(
                    f"Clé de regroupement inconnue : « {key} ». Clés admises : {_allowed(GROUP_KEYS)}."
                )
        repeated = next((k for i, k in enumerate(keys) if k in keys[:i]), None)
        if repeated:
            raise serializers.ValidationError(
                f"Clé de regroupement répétée : « {repeated} ». Chaque clé ne s'indique qu'une fois."
            )
        return keys

    def validate_departement(self, value: str) -> str:
        try:
            validate_departement_code(value)
        except DjangoValidationError:
            raise serializers.ValidationError(
                f"Code de département inconnu : « {value} ». Codes admis : 01 à 95, 2A, 2B, 971 à 976."
            ) from None
        return value

    @property
    def query(self) -> tuple[list[str], dict[str, Any]]:
        """(group_by, filters) once valid."""
        data = self.validated_data
        return data.get("group_by", []), {k: data[k] for k in FILTER_KEYS if k in data}


def parse_totals_query(params: Any) -> tuple[list[str], dict[str, Any]]:
    query = TotalsQuerySerializer(data=params)
    query.is_valid(raise_exception=True)
    return query.query


def _key_fields() -> dict[str, serializers.Field]:
    fields: dict[str, serializers.Field] = {}
    for key in GROUP_KEYS:
        kind = serializers.CharField if key == "departement" else serializers.IntegerField
        fields[key] = kind(required=False, allow_null=True, help_text="Présente si regroupée.")
        fields[f"{key}_label"] = serializers.CharField(required=False, allow_null=True)
    return fields


class TotalsRowSerializer(serializers.Serializer):
    """Documentation only: the group keys asked for, with their labels, then the five measures."""

    locals().update(_key_fields())
    planned = money_serializer_field(help_text="Lignes de financement.")
    cnsa_planned = money_serializer_field(help_text="Lignes du financeur de la convention.")
    cnsa_rate = serializers.DecimalField(
        max_digits=6, decimal_places=2, allow_null=True, help_text="cnsa_planned / planned, en %."
    )
    paid = money_serializer_field(
        allow_null=True,
        help_text="Versements CNSA nets des reversements ; null si non attribuable.",
    )
    spent = money_serializer_field(help_text="Dépenses des comptes rendus approuvés.")


class TotalsPageSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    next = serializers.CharField(allow_null=True)
    previous = serializers.CharField(allow_null=True)
    results = TotalsRowSerializer(many=True)


ID_SCHEMA = {"type": "integer", "minimum": 1, "maximum": MAX_ID}
YEAR_SCHEMA = {"type": "integer", "minimum": 1900, "maximum": 2200}
TOTALS_PARAMETERS = [
    OpenApiParameter(
        "group_by",
        {
            "type": "array",
            "items": {"type": "string", "enum": list(GROUP_KEYS)},
            "uniqueItems": True,
        },
        description=f"Clés séparées par des virgules, chacune une fois, parmi : {_allowed(GROUP_KEYS)}.",
        style="form",
        explode=False,
    ),
    OpenApiParameter("convention", ID_SCHEMA, description="Identifiant de convention."),
    OpenApiParameter("funder", ID_SCHEMA, description="Identifiant du financeur."),
    OpenApiParameter("beneficiary", ID_SCHEMA, description="Identifiant du porteur."),
    OpenApiParameter(
        "year", YEAR_SCHEMA, description="Année (budgétaire, de versement ou de période)."
    ),
    OpenApiParameter("year_min", YEAR_SCHEMA, description="Année minimale (incluse)."),
    OpenApiParameter("year_max", YEAR_SCHEMA, description="Année maximale (incluse)."),
    OpenApiParameter(
        "departement",
        {"type": "string", "pattern": DEPARTEMENT_PATTERN},
        description="Code du département (69, 2A, 974…).",
    ),
    OpenApiParameter(
        "status", str, enum=Convention.Status.values, description="Statut de la convention."
    ),
    OpenApiParameter("format", str, enum=["json", "csv"]),
]


class TotalsView(APIView):
    """Totaux de financement regroupés par les clés de `group_by` (aucune : une ligne de total).

    `planned` : lignes de financement ; `cnsa_planned` : lignes du financeur de la convention ;
    `cnsa_rate` : cnsa_planned / planned (%) ; `paid` : versements CNSA effectués, nets des
    reversements, `null` quand on regroupe ou filtre par axe, action ou département, ou sur la ligne
    d'un cofinanceur ; `spent` : dépenses des comptes rendus approuvés. `?format=csv` : même contenu.
    """

    permission_classes = [IsAuthenticated]
    renderer_classes = [renderers.JSONRenderer, TotalsCSVRenderer]

    @extend_schema(
        parameters=TOTALS_PARAMETERS,
        responses={
            200: TotalsPageSerializer,
        },
        operation_id="totals_list",
    )
    def get(self, request):
        group_by, filters_ = parse_totals_query(request.query_params)
        self.csv_columns = [n for k in group_by for n in (k, f"{k}_label")] + list(MEASURES)
        rows = funding_totals(user=request.user, group_by=group_by, filters=filters_)
        rows = [
            {k: (str(v) if k in _MONEY_KEYS and v is not None else v) for k, v in r.items()}
            for r in rows
        ]
        return Response({"count": len(rows), "next": None, "previous": None, "results": rows})


_MONEY_KEYS = set(MEASURES)
