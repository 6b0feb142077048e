"""API v1: funding totals, grouped and filtered, in JSON or as a file."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import renderers, serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param
from rest_framework.views import APIView

from conventions.api import DEPARTEMENT_PATTERN
from conventions.models import Convention
from core.api.fields import MAX_ID
from core.export_renderers import ODSExportRenderer, XLSXExportRenderer
from core.exports import EXPORT_FORMATS, RateOf, columns_pattern, export_response
from core.fields import money_serializer_field
from financing.api_totals_files import (
    ALL_TOTALS_CODES,
    TotalsCSVRenderer,
    csv_response,
    request_totals_columns,
)
from financing.api_totals_query import (
    MAX_PAGE_SIZE,
    PAGE_SIZE,
    TotalsQuerySerializer,
    allowed_values,
)
from financing.totals import (
    GROUP_KEYS,
    MEASURES,
    funding_totals_page,
    funding_totals_stream,
)

# --- totals -------------------------------------------------------------------------------------


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
        description=f"Clés séparées par des virgules, chacune une fois, parmi : {allowed_values(GROUP_KEYS)}.",
        style="form",
        explode=False,
    ),
    OpenApiParameter("page", ID_SCHEMA, description="Numéro de page (JSON), 1 par défaut."),
    OpenApiParameter(
        "page_size",
        {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
        description=f"Lignes par page (JSON), {PAGE_SIZE} par défaut.",
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
    OpenApiParameter(
        "format",
        str,
        enum=["json", *EXPORT_FORMATS],
        description="`xlsx`, `ods` : en-têtes en français, montants au format euro, ligne de total.",
    ),
    OpenApiParameter(
        "columns",
        {"type": "string", "pattern": columns_pattern(ALL_TOTALS_CODES)},
        description=(
            "Colonnes des fichiers csv, xlsx et ods, séparées par des virgules, dans cet ordre "
            "(défaut : toutes) ; celles d'une clé non regroupée sont ignorées."
        ),
    ),
]


class TotalsView(APIView):
    """Totaux de financement regroupés par les clés de `group_by` (aucune : une ligne de total).

    `planned` : lignes de financement ; `cnsa_planned` : lignes du financeur de la convention ;
    `cnsa_rate` : cnsa_planned / planned (%) ; `paid` : versements CNSA effectués, nets des
    reversements, `null` quand on regroupe ou filtre par axe, action ou département, ou sur la ligne
    d'un cofinanceur ; `spent` : dépenses des comptes rendus approuvés.

    JSON paginé : `page` (1 par défaut), `page_size` (100 lignes par défaut, 5 000 au plus) ;
    `count` compte les lignes, `next` et `previous` donnent les pages voisines. `?format=csv`,
    `xlsx`, `ods` : toutes les lignes, écrites au fil de l'eau (mémoire bornée, quelle que soit la
    taille).
    """

    permission_classes = [IsAuthenticated]
    renderer_classes = [
        renderers.JSONRenderer,
        TotalsCSVRenderer,
        XLSXExportRenderer,
        ODSExportRenderer,
    ]

    @extend_schema(
        summary="Totaux du plan de financement",
        parameters=TOTALS_PARAMETERS,
        responses={
            200: TotalsPageSerializer,
        },
        operation_id="totals_list",
    )
    def get(self, request):
        query = TotalsQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        group_by, filters_ = query.query
        self.csv_columns = [c.code for c in request_totals_columns(request, group_by)]
        fmt = request.accepted_renderer.format
        if fmt not in ("csv", "xlsx", "ods"):
            return self._page(request, group_by, filters_, query.validated_data)
        rows = (
            _as_strings(r)
            for r in funding_totals_stream(user=request.user, group_by=group_by, filters=filters_)
        )
        if fmt == "csv":
            return csv_response(request_totals_columns(request, group_by), rows)
        return export_response(
            fmt,
            request_totals_columns(request, group_by),
            rows,
            filename="totaux",
            title="Totaux",
            rates={"cnsa_rate": RateOf("cnsa_planned", "planned")},
        )

    def _page(self, request, group_by: list[str], filters_: dict, data: dict) -> Response:
        number, size = data.get("page", 1), data.get("page_size", PAGE_SIZE)
        page = funding_totals_page(
            user=request.user,
            group_by=group_by,
            filters=filters_,
            offset=(number - 1) * size,
            limit=size,
        )
        url = request.build_absolute_uri()
        last = max(1, -(-page.count // size))
        return Response(
            {
                "count": page.count,
                "next": replace_query_param(url, "page", number + 1) if number < last else None,
                "previous": replace_query_param(url, "page", number - 1) if number > 1 else None,
                "results": [_as_strings(r) for r in page.rows],
            }
        )


def _as_strings(row: dict) -> dict:
    """Amounts and rates as strings with their two decimals (the row is the caller's own)."""
    for key in MEASURES:
        if row[key] is not None:
            row[key] = str(row[key])
    return row
