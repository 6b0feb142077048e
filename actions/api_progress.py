"""API v1 for progress reports: the same services and scoping as the pages."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
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
from actions.models import Action, Attachment, IndicatorValue, ProgressReport, Spending
from core.api.fields import (
    IdFilter,
    PlausibleDateField,
    VisibleRelatedField,
)


class ValueSerializer(serializers.ModelSerializer):
    indicator = serializers.IntegerField(source="indicator_id", min_value=1, max_value=2**63 - 1)
    value = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=Decimal("0"))

    class Meta:
        model = IndicatorValue
        fields = ["indicator", "value", "comment"]


class SpendingSerializer(serializers.ModelSerializer):
    funder = serializers.IntegerField(
        source="funder_id", allow_null=True, min_value=1, max_value=2**63 - 1
    )
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=Decimal("0"))

    class Meta:
        model = Spending
        fields = ["funder", "amount"]


class AttachmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Attachment
        fields = ["id", "original_name", "content_type", "size", "uploaded_at"]


class ProgressReportSerializer(serializers.ModelSerializer):
    action = VisibleRelatedField(Action)
    convention = serializers.IntegerField(source="action.axis.convention_id", read_only=True)
    period_start = PlausibleDateField()
    period_end = PlausibleDateField()
    values = ValueSerializer(many=True, required=False)
    spendings = SpendingSerializer(many=True, required=False)
    attachments = AttachmentSerializer(many=True, read_only=True)
    version = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=2**31 - 1,
        help_text="Version lue avant la modification ; une version périmée est refusée.",
    )
    submitted_by: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(
        slug_field="username", read_only=True
    )
    reviewed_by: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(
        slug_field="username", read_only=True
    )

    class Meta:
        model = ProgressReport
        fields = [
            "id",
            "action",
            "convention",
            "period_start",
            "period_end",
            "status",
            "narrative",
            "review_comment",
            "version",
            "values",
            "spendings",
            "attachments",
            "submitted_by",
            "submitted_at",
            "reviewed_by",
            "reviewed_at",
        ]
        read_only_fields = ["status", "review_comment", "submitted_at", "reviewed_at"]
        validators: list[Any] = []  # overlapping periods are refused by the service

    def validate(self, attrs):
        if self.instance is not None:
            if "version" not in attrs:
                raise serializers.ValidationError(
                    {"version": "Indiquez la version que vous modifiez."}
                )
            for frozen in ("action", "period_start", "period_end"):
                new = attrs.get(frozen)
                if new is not None and new != getattr(self.instance, frozen):
                    raise serializers.ValidationError(
                        {frozen: "La période et l'action d'un compte rendu ne changent pas."}
                    )
        return attrs


def _entries(data: dict, report: ProgressReport | None):
    values = data.get("values")
    spendings = data.get("spendings")
    if values is None:
        values = (
            [
                {"indicator_id": v.indicator_id, "value": v.value, "comment": v.comment}
                for v in report.values.all()
            ]
            if report
            else []
        )
    if spendings is None:
        spendings = (
            [{"funder_id": s.funder_id, "amount": s.amount} for s in report.spendings.all()]
            if report
            else []
        )
    return (
        [services.ValueEntry(v["indicator_id"], v["value"], v.get("comment", "")) for v in values],
        [services.SpendingEntry(s["funder_id"], s["amount"]) for s in spendings],
    )


class ProgressReportFilter(filters.FilterSet):
    action = IdFilter(field_name="action_id")
    convention = IdFilter(field_name="action__axis__convention_id")
    lead_organisation = IdFilter(field_name="action__lead_organisation_id")
    status = filters.ChoiceFilter(choices=ProgressReport.Status.choices)

    class Meta:
        model = ProgressReport
        fields = ["action", "convention", "lead_organisation", "status"]


class ReviewSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class SubmitSerializer(serializers.Serializer):
    version = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=2**31 - 1,
        help_text="Version relue avant de transmettre.",
    )


class ProgressReportViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Progress reports of the actions you may see; transitions are POST routes on a report."""

    serializer_class = ProgressReportSerializer
    permission_classes = [IsAuthenticated]
    filterset_class = ProgressReportFilter
    ordering_fields = ["period_start", "submitted_at", "id"]
    ordering = ["action_id", "period_start", "period_end"]  # the unique period index
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return selectors.reports_for(user=self.request.user).prefetch_related(
            "values", "spendings", "attachments"
        )

    def _fresh(self, pk: int) -> Response:
        return Response(self.get_serializer(self.get_queryset().get(pk=pk)).data)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        values, spendings = _entries(data, None)
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
        values, spendings = _entries(data, report)
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

    @extend_schema(request=SubmitSerializer, responses=ProgressReportSerializer)
    @route(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        report = self.get_object()
        version = self._input(SubmitSerializer).get("version")
        services.progress_report_submit(report=report, by=request.user, version=version)
        return self._fresh(pk)

    @extend_schema(request=ReviewSerializer, responses=ProgressReportSerializer)
    @route(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        report = self.get_object()
        comment = self._input(ReviewSerializer)["comment"]
        services.progress_report_approve(report=report, by=request.user, comment=comment)
        return self._fresh(pk)

    @extend_schema(request=ReviewSerializer, responses=ProgressReportSerializer)
    @route(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_report(self, request, pk=None):
        report = self.get_object()
        comment = self._input(ReviewSerializer)["comment"]
        services.progress_report_return(report=report, by=request.user, comment=comment)
        return self._fresh(pk)

    @extend_schema(
        request={
            "multipart/form-data": inline_serializer(
                "AttachmentUpload", {"file": serializers.FileField()}
            )
        },
        responses={201: AttachmentSerializer},
    )
    @route(detail=True, methods=["post"], parser_classes=[MultiPartParser], url_path="attachments")
    def attachments(self, request, pk=None):
        upload = request.FILES.get("file")
        if upload is None:
            raise serializers.ValidationError(
                {"file": "Joignez un fichier dans le champ « file »."}
            )
        attachment = services.attachment_add(
            report=self.get_object(), upload=upload, by=request.user
        )
        return Response(AttachmentSerializer(attachment).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={(200, "application/octet-stream"): bytes})
    @route(detail=True, methods=["get"], url_path=r"attachments/(?P<attachment_pk>\d+)")
    def download(self, request, pk=None, attachment_pk=None):
        attachment = get_object_or_404(Attachment, report=self.get_object(), pk=attachment_pk)
        return FileResponse(
            attachment.file.open("rb"),
            as_attachment=True,
            filename=attachment.original_name,
            content_type=attachment.content_type,
        )
