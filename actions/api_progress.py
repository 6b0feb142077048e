"""API v1 for progress reports: the same services and scoping as the pages."""

from __future__ import annotations

from django.db import transaction
from django.http import FileResponse
from django.shortcuts import get_object_or_404
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action as route
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from actions import selectors, services
from actions.api_progress_serializers import (
    AttachmentSerializer,
    ProgressReportSerializer,
    ProgressReportUpdateSerializer,
    ReopenSerializer,
    ReturnSerializer,
    ReviewSerializer,
    SubmitSerializer,
    report_entries,
)
from actions.exports import PROGRESS_REPORT_COLUMNS, progress_report_row
from actions.models import Attachment, ProgressReport
from core.api.exports import ListExportMixin
from core.api.fields import IdFilter
from core.api.filters import ApiFilterSet


class ProgressReportFilter(ApiFilterSet):
    action = IdFilter(field_name="action_id")
    convention = IdFilter(field_name="action__axis__convention_id")
    lead_organisation = IdFilter(field_name="action__lead_organisation_id")
    status = filters.ChoiceFilter(choices=ProgressReport.Status.choices)

    class Meta:
        model = ProgressReport
        fields = ["action", "convention", "lead_organisation", "status"]


class ProgressReportViewSet(
    ListExportMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Progress reports of the actions you may see; transitions are POST routes on a report."""

    serializer_class = ProgressReportSerializer
    export_columns = PROGRESS_REPORT_COLUMNS
    export_name = "comptes-rendus"
    export_title = "Comptes rendus"
    permission_classes = [IsAuthenticated]
    filterset_class = ProgressReportFilter
    ordering_fields = ["period_start", "submitted_at", "id"]
    ordering = ["action_id", "period_start", "period_end"]  # the unique period index
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return selectors.reports_for(user=self.request.user).prefetch_related(
            "values", "spendings", "attachments"
        )

    def export_row(self, data):
        return progress_report_row(data)

    def get_serializer_class(self):
        if self.action in ("update", "partial_update"):
            return ProgressReportUpdateSerializer
        return ProgressReportSerializer

    def _fresh(self, pk: int) -> Response:
        return Response(self.get_serializer(self.get_queryset().get(pk=pk)).data)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        values, spendings = report_entries(data, None)
        with transaction.atomic():
            report = services.progress_report_create(
                action=data["action"],
                period_start=data["period_start"],
                period_end=data["period_end"],
                by=request.user,
            )
            services.progress_report_update(
                report=report,
                by=request.user,
                version=report.version,
                narrative=data.get("narrative", ""),
                values=values,
                spendings=spendings,
            )
        response = self._fresh(report.pk)
        response.status_code = status.HTTP_201_CREATED
        return response

    def update(self, request, *args, **kwargs):
        report = self.get_object()
        serializer = self.get_serializer(
            report, data=request.data, partial=kwargs.get("partial", False)
        )
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        values, spendings = report_entries(data, report)
        services.progress_report_update(
            report=report,
            by=request.user,
            version=data["version"],
            narrative=data.get("narrative", report.narrative),
            values=values,
            spendings=spendings,
        )
        return self._fresh(report.pk)

    def _input(self, serializer_class) -> dict:
        serializer = serializer_class(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    @extend_schema(
        summary="Transmettre le compte rendu",
        request=SubmitSerializer,
        responses=ProgressReportSerializer,
    )
    @route(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        report = self.get_object()
        version = self._input(SubmitSerializer).get("version")
        services.progress_report_submit(report=report, by=request.user, version=version)
        return self._fresh(pk)

    @extend_schema(
        summary="Approuver le compte rendu",
        request=ReviewSerializer,
        responses=ProgressReportSerializer,
    )
    @route(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        report = self.get_object()
        comment = self._input(ReviewSerializer)["comment"]
        services.progress_report_approve(report=report, by=request.user, comment=comment)
        return self._fresh(pk)

    @extend_schema(
        summary="Renvoyer le compte rendu au partenaire",
        request=ReturnSerializer,
        responses=ProgressReportSerializer,
    )
    @route(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_report(self, request, pk=None):
        report = self.get_object()
        comment = self._input(ReturnSerializer)["comment"]
        services.progress_report_return(report=report, by=request.user, comment=comment)
        return self._fresh(pk)

    @extend_schema(
        summary="Rouvrir un compte rendu approuvé pour correction",
        request=ReopenSerializer,
        responses=ProgressReportSerializer,
    )
    @route(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        report = self.get_object()
        reason = self._input(ReopenSerializer)["reason"]
        services.progress_report_reopen(report=report, by=request.user, reason=reason)
        return self._fresh(pk)

    @extend_schema(
        summary="Joindre une pièce au compte rendu",
        request={
            "multipart/form-data": inline_serializer(
                "AttachmentUpload", {"file": serializers.FileField()}
            )
        },
        responses={201: AttachmentSerializer},
    )
    @route(detail=True, methods=["post"], parser_classes=[MultiPartParser], url_path="attachments")
    def attachments(self, request, pk=None):
        report = self.get_object()  # an invisible report is a 404 before its body is read
        upload = request.FILES.get("file")
        if upload is None:
            raise serializers.ValidationError(
                {"file": "Joignez un fichier dans le champ « file »."}
            )
        attachment = services.attachment_add(report=report, upload=upload, by=request.user)
        return Response(AttachmentSerializer(attachment).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Télécharger une pièce jointe",
        responses={(200, "*/*"): bytes},  # the type of the file as it was deposited
    )
    @route(detail=True, methods=["get"], url_path=r"attachments/(?P<attachment_pk>\d+)")
    def download(self, request, pk=None, attachment_pk=None):
        attachment = get_object_or_404(Attachment, report=self.get_object(), pk=attachment_pk)
        return FileResponse(
            attachment.file.open("rb"),
            as_attachment=True,
            filename=attachment.original_name,
            content_type=attachment.content_type,
        )
