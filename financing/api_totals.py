"""API v1: funding totals, grouped and filtered, in JSON or as a file."""

from __future__ import annotations

import csv
import io
import itertools

from django.http import HttpResponse, StreamingHttpResponse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import renderers, serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param
from rest_framework.views import APIView

from conventions.api import (
    DEPARTEMENT_PATTERN,
)
from conventions.models import Convention
from core.api.fields import (
    MAX_ID,
)
from core.export_renderers import (
    ODSExportRenderer,
    XLSXExportRenderer,
    request_columns,
)
from core.exports import (
    CONTENT_TYPES,
    EXPORT_FORMATS,
    INTEGER,
    MONEY,
    RATE,
    TEXT,
    Column,
    RateOf,
    columns_pattern,
    csv_lines,
    export_response,
)
from core.fields import money_serializer_field
from core.spreadsheets import neutralise_cell
from financing.api_totals_query import (
    MAX_PAGE_SIZE,
    PAGE_SIZE,
    TotalsQuerySerializer,
    allowed_values,
)
from financing.totals import (
    GROUP_KEYS,
    MEASURES,
    STREAM_BATCH,
    funding_totals_page,
    funding_totals_stream,
)

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
        writer = csv.DictWriter(
            out, fieldnames=columns or list(rows[0]), lineterminator="\n", extrasaction="ignore"
        )
        writer.writeheader()
        writer.writerows(
            {k: "" if v is None else neutralise_cell(v) for k, v in row.items()} for row in rows
        )
        return out.getvalue().encode(self.charset)


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


KEY_LABELS = {
    "convention": "Convention",
    "axis": "Axe",
    "action": "Action",
    "year": "Année",
    "funder": "Financeur",
    "beneficiary": "Porteur",
    "departement": "Département",
}
MEASURE_COLUMNS = [
    Column("planned", "Prévu", MONEY),
    Column("cnsa_planned", "Prévu CNSA", MONEY),
    Column("cnsa_rate", "Taux CNSA", RATE),
    Column("paid", "Versé", MONEY),
    Column("spent", "Dépensé", MONEY),
]


def totals_columns(group_by: list[str]) -> list[Column]:
    keys = [
        column
        for key in group_by
        for column in (
            Column(key, f"{KEY_LABELS[key]} (code)", TEXT if key == "departement" else INTEGER),
            Column(f"{key}_label", KEY_LABELS[key]),
        )
    ]
    return keys + MEASURE_COLUMNS


_MONEY_KEYS = set(MEASURES)


ALL_TOTALS_CODES = [c.code for c in totals_columns(list(GROUP_KEYS))]


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

    JSON paginé : `page` (1 par défaut), `page_size` (1 000 lignes par défaut, 5 000 au plus) ;
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
        self.csv_columns = [c.code for c in _totals_columns(request, group_by)]
        fmt = request.accepted_renderer.format
        if fmt not in ("csv", "xlsx", "ods"):
            return self._page(request, group_by, filters_, query.validated_data)
        rows = (
            _as_strings(r)
            for r in funding_totals_stream(user=request.user, group_by=group_by, filters=filters_)
        )
        if fmt == "csv":
            return _csv_response(_totals_columns(request, group_by), rows)
        return export_response(
            fmt,
            _totals_columns(request, group_by),
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


def _csv_response(columns: list[Column], rows) -> HttpResponse | StreamingHttpResponse:
    """A small file in one response (its length known), a bigger one streamed line by line."""
    lines = csv_lines(columns, rows)
    head = list(itertools.islice(lines, STREAM_BATCH + 1))
    response: HttpResponse | StreamingHttpResponse
    if len(head) <= STREAM_BATCH:
        response = HttpResponse("".join(head), content_type=CONTENT_TYPES["csv"])
    else:
        response = StreamingHttpResponse(
            itertools.chain(head, lines), content_type=CONTENT_TYPES["csv"]
        )
    response["Content-Disposition"] = 'attachment; filename="totaux.csv"'
    return response


def _as_strings(row: dict) -> dict:
    return {k: (str(v) if k in _MONEY_KEYS and v is not None else v) for k, v in row.items()}


def _totals_columns(request, group_by: list[str]) -> list[Column]:
    columns = totals_columns(group_by)
    shown = {c.code for c in columns}
    return request_columns(
        request, columns, ignored=[c for c in ALL_TOTALS_CODES if c not in shown]
    )
