"""API v1 for progress reports: what a report looks like in JSON, and what a change carries."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from rest_framework import serializers

from actions import services
from actions.models import Action, Attachment, IndicatorValue, ProgressReport, Spending
from core.api.errors import CONFLICT
from core.api.fields import PlausibleDateField, VisibleRelatedField
from core.api.serializers import ApiModelSerializer, ApiSerializer

RETURN_WITHOUT_COMMENT = (
    "Dites au partenaire ce qu'il doit corriger : le commentaire est obligatoire."
)


class ValueSerializer(ApiModelSerializer):
    indicator = serializers.IntegerField(source="indicator_id", min_value=1, max_value=2**63 - 1)
    value = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=Decimal("0"))

    class Meta:
        model = IndicatorValue
        fields = ["indicator", "value", "comment"]


class SpendingSerializer(ApiModelSerializer):
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


class ProgressReportSerializer(ApiModelSerializer):
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
                        {frozen: "La période et l'action d'un compte rendu ne changent pas."},
                        code=CONFLICT,
                    )
        return attrs


class ProgressReportUpdateSerializer(ProgressReportSerializer):
    """A change names the version it was read at, even in a PATCH (the service compares it)."""

    version = serializers.IntegerField(
        min_value=1,
        max_value=2**31 - 1,
        help_text="Version lue avant la modification ; une version périmée est refusée.",
    )

    class Meta(ProgressReportSerializer.Meta):
        always_required = ["version"]


def report_entries(data: dict, report: ProgressReport | None):
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


class ReviewSerializer(ApiSerializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class SubmitSerializer(ApiSerializer):
    version = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=2**31 - 1,
        help_text="Version relue avant de transmettre.",
    )


class ReturnSerializer(ApiSerializer):
    comment = serializers.CharField(
        error_messages={"required": RETURN_WITHOUT_COMMENT, "blank": RETURN_WITHOUT_COMMENT}
    )


REOPEN_WITHOUT_REASON = (
    "Dites au partenaire pourquoi le compte rendu est rouvert : le motif est obligatoire."
)


class ReopenSerializer(ApiSerializer):
    reason = serializers.CharField(
        help_text="Motif de la réouverture, envoyé au partenaire et gardé dans l'historique.",
        error_messages={"required": REOPEN_WITHOUT_REASON, "blank": REOPEN_WITHOUT_REASON},
    )
