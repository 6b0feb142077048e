"""API v1 for reports: ask for one (202 + the job's URL), poll it, download it."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.reverse import reverse

from conventions.models import Convention
from core.api.exports import ListExportMixin
from core.api.fields import (
    IdFilter,
    PlausibleDateField,
    VisibleRelatedField,
)
from core.api.filters import ApiFilterSet
from core.api.serializers import ApiModelSerializer, ApiSerializer
from core.exports import DATE, DATETIME, INTEGER, Column
from reporting import selectors, services, views
from reporting.models import Report

REPORT_COLUMNS = [
    Column("id", "Identifiant", INTEGER),
    Column("convention", "Convention (identifiant)", INTEGER),
    Column("kind", "Nature", display=lambda code: Report.Kind(code).label),
    Column("period_start", "Début de période", DATE),
    Column("period_end", "Fin de période", DATE),
    Column("status", "Statut", display=lambda code: Report.Status(code).label),
    Column("error", "Erreur"),
    Column("attempts", "Essais", INTEGER),
    Column("queued_at", "Demandé le", DATETIME),
    Column("started_at", "Commencé le", DATETIME),
    Column("finished_at", "Terminé le", DATETIME),
    Column("download_url", "Téléchargement"),
]


class FullyVisibleConventionField(VisibleRelatedField):
    """Reports cover the whole convention: only its porteur and the CNSA may point at it."""

    def get_queryset(self):
        return Convention.objects.fully_visible_to(self.context["request"].user)


class ReportSerializer(ApiModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="report-detail")
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    download_url = serializers.SerializerMethodField()
    editable_url = serializers.SerializerMethodField(
        help_text="Version modifiable (ODT) du même rapport, sur les données du jour ; "
        "chargés de mission CNSA seulement."
    )

    class Meta:
        model = Report
        fields = [
            "id",
            "url",
            "convention",
            "kind",
            "kind_label",
            "period_start",
            "period_end",
            "status",
            "status_label",
            "error",
            "attempts",
            "queued_at",
            "started_at",
            "finished_at",
            "download_url",
            "editable_url",
        ]
        read_only_fields = fields

    def get_editable_url(self, report: Report) -> str | None:
        request = self.context.get("request")
        if request is None or not selectors.report_may_edit(user=request.user):
            return None
        return reverse("report-editable", args=[report.pk], request=request)

    def get_download_url(self, report: Report) -> str | None:
        if report.status != Report.Status.DONE:
            return None
        return reverse("report-download", args=[report.pk], request=self.context.get("request"))


class ReportRequestSerializer(ApiSerializer):
    convention = FullyVisibleConventionField(Convention)
    kind = serializers.ChoiceField(choices=Report.Kind.choices)
    year = serializers.IntegerField(required=False, allow_null=True, min_value=1990, max_value=2199)
    period_start = PlausibleDateField(required=False, allow_null=True)
    period_end = PlausibleDateField(required=False, allow_null=True)


class ReportNotReadySerializer(serializers.Serializer):
    detail = serializers.CharField()
    status = serializers.ChoiceField(choices=Report.Status.choices)


class ReportFilter(ApiFilterSet):
    convention = IdFilter(field_name="convention_id")

    class Meta:
        model = Report
        fields = ["convention", "kind", "status"]


class ReportViewSet(
    ListExportMixin,
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Rapports PDF des conventions, produits en arrière-plan. Demande : chargés de mission CNSA
    et coordinateurs du porteur ; lecture et téléchargement : ceux qui voient toute la convention."""

    serializer_class = ReportSerializer
    export_columns = REPORT_COLUMNS
    export_name = "rapports"
    export_title = "Rapports"
    filterset_class = ReportFilter
    ordering_fields = ["queued_at", "id"]
    ordering = ["-queued_at", "-id"]

    def get_queryset(self):
        return Report.objects.visible_to(self.request.user)

    @extend_schema(
        request=ReportRequestSerializer,
        responses={
            202: ReportSerializer,
            503: OpenApiResponse(ReportSerializer, description="File de travaux injoignable"),
        },
    )
    def create(self, request, *args, **kwargs):
        given = ReportRequestSerializer(data=request.data, context=self.get_serializer_context())
        given.is_valid(raise_exception=True)
        data = dict(given.validated_data)
        convention = data.pop("convention")
        try:
            report = services.report_request(convention=convention, by=request.user, **data)
        except PermissionDenied as refused:
            raise exceptions.PermissionDenied(str(refused)) from refused
        report.refresh_from_db()
        body = self.get_serializer(report).data
        headers = {"Location": str(body["url"])}
        if services.report_broker_was_down(report=report):
            body = {**body, "detail": services.BROKER_DOWN_MESSAGE}
            return Response(body, status=status.HTTP_503_SERVICE_UNAVAILABLE, headers=headers)
        return Response(body, status=status.HTTP_202_ACCEPTED, headers=headers)

    @extend_schema(
        summary="Télécharger le rapport PDF",
        responses={
            (200, "application/pdf"): OpenApiTypes.BINARY,
            409: OpenApiResponse(ReportNotReadySerializer, description="Rapport pas encore prêt"),
        },
    )
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        report = self.get_object()
        if report.status != Report.Status.DONE:
            return Response(
                {"detail": "Le rapport n'est pas encore prêt.", "status": report.status},
                status=status.HTTP_409_CONFLICT,
            )
        return views.report_file_response(report)

    @extend_schema(
        summary="Télécharger la version modifiable (ODT)",
        description="Le même rapport en texte modifiable (OpenDocument), établi sur les données "
        "du jour, pour adapter la rédaction avant le comité de pilotage. Réservé aux chargés de "
        "mission CNSA.",
        responses={(200, views.ODT_TYPE): OpenApiTypes.BINARY},
    )
    @action(detail=True, methods=["get"], url_path="modifiable")
    def editable(self, request, pk=None):
        report = self.get_object()
        if not selectors.report_may_edit(user=request.user):
            raise exceptions.PermissionDenied(views.EDIT_REFUSED)
        return views.report_editable_response(report)
