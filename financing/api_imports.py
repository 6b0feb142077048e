"""API v1: a convention's spreadsheet template, and the import of its plan (dry run, apply)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, renderers, serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from conventions.models import Convention
from core.api.schema import ErrorSerializer
from core.export_renderers import ODSExportRenderer, XLSXExportRenderer
from core.exports import CONTENT_TYPES
from core.limits import LONG_TEXT_MAX_LENGTH
from financing.imports import plan_import, plan_import_check, report_as_dict
from financing.imports_plan import plan_state
from financing.imports_template import template_filename, template_ods, template_xlsx


def _convention(request, pk: int) -> Convention:
    return get_object_or_404(Convention.objects.fully_visible_to(request.user), pk=pk)


class PlanTemplateView(APIView):
    """Le modèle à remplir : plan de financement (actions × financeurs × années, montants
    actuels) et indicateurs de la convention."""

    permission_classes = [IsAuthenticated]
    renderer_classes = [XLSXExportRenderer, ODSExportRenderer, renderers.JSONRenderer]

    @extend_schema(
        summary="Télécharger le modèle de plan de financement d'une convention",
        parameters=[
            OpenApiParameter("format", str, enum=["xlsx", "ods"], description="xlsx par défaut.")
        ],
        responses={
            (200, CONTENT_TYPES["xlsx"]): OpenApiTypes.BINARY,
            (200, CONTENT_TYPES["ods"]): OpenApiTypes.BINARY,
        },
    )
    def get(self, request, pk: int):
        state = plan_state(convention=_convention(request, pk))
        fmt = "ods" if request.accepted_renderer.format == "ods" else "xlsx"
        body = template_ods(state) if fmt == "ods" else template_xlsx(state)
        response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
        response["Content-Disposition"] = f'attachment; filename="{template_filename(state, fmt)}"'
        return response


class PlanImportSerializer(serializers.Serializer):
    file = serializers.FileField(
        help_text="Le modèle de la convention, rempli (.xlsx ou .ods, 5 Mo au plus)."
    )
    signed_on = serializers.DateField(
        required=False,
        help_text="Date de l'avenant quand la convention est signée (défaut : aujourd'hui).",
    )
    description = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=LONG_TEXT_MAX_LENGTH,
        help_text="Objet de l'avenant.",
    )
    fingerprint = serializers.CharField(
        required=False,
        max_length=64,
        help_text="L'empreinte rendue par l'aperçu : l'import est refusé si le plan a changé depuis.",
    )


class _IssueSerializer(serializers.Serializer):
    sheet = serializers.CharField(help_text="Feuille en cause (vide : le fichier entier).")
    cell = serializers.CharField(help_text="Cellule ou plage en cause (ex. : E3).")
    message = serializers.CharField()


class _LineSerializer(serializers.Serializer):
    kind = serializers.CharField(
        help_text="added (ajoutée), changed (modifiée), removed (supprimée)."
    )
    action = serializers.CharField()
    funder = serializers.CharField()
    year = serializers.IntegerField()
    before = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    after = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    cell = serializers.CharField()


class _IndicatorSerializer(serializers.Serializer):
    kind = serializers.CharField(
        help_text="added (ajoutée), changed (modifiée), removed (supprimée)."
    )
    action = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    before = serializers.DictField(child=serializers.CharField(), allow_null=True)
    after = serializers.DictField(child=serializers.CharField(), allow_null=True)


class _FiguresSerializer(serializers.Serializer):
    total_cost = serializers.DecimalField(max_digits=14, decimal_places=2)
    cnsa_amount = serializers.DecimalField(max_digits=14, decimal_places=2)
    cnsa_rate = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    planned = serializers.DecimalField(max_digits=14, decimal_places=2)
    cnsa_planned = serializers.DecimalField(max_digits=14, decimal_places=2)
    planned_rate = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)


class _ProblemSerializer(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()
    place = serializers.CharField()
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    severity = serializers.CharField(help_text="error (erreur) ou warning (alerte).")


class PlanImportReportSerializer(serializers.Serializer):
    convention = serializers.CharField(help_text="Référence de la convention.")
    dry_run = serializers.BooleanField()
    applied = serializers.BooleanField(help_text="Vrai quand des changements ont été enregistrés.")
    fingerprint = serializers.CharField(help_text="Empreinte du plan enregistré avant l'import.")
    errors = _IssueSerializer(many=True)  # type: ignore[assignment]
    lines = _LineSerializer(many=True, help_text="Lignes ajoutées, modifiées, supprimées.")
    indicators = _IndicatorSerializer(many=True)
    before = _FiguresSerializer()
    after = _FiguresSerializer(allow_null=True, help_text="Chiffres après import (null si refusé).")
    amendment = serializers.BooleanField(help_text="Les montants changent par un avenant.")
    amendment_number = serializers.IntegerField(allow_null=True)
    problems = _ProblemSerializer(many=True, help_text="Contrôles de cohérence qui resteraient.")


class _PlanImportView(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [MultiPartParser]
    dry_run = True

    def post(self, request, pk: int):
        convention = _convention(request, pk)
        try:
            plan_import_check(request.user)
        except PermissionDenied as refused:
            raise exceptions.PermissionDenied(str(refused)) from refused
        given = PlanImportSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        report = plan_import(
            convention=convention,
            upload=data["file"],
            by=request.user,
            dry_run=self.dry_run,
            signed_on=data.get("signed_on"),
            description=data.get("description")
            or f"Plan de financement importé de « {data['file'].name[:150]} ».",
            fingerprint=data.get("fingerprint"),
        )
        code = status.HTTP_409_CONFLICT if report.issues else status.HTTP_200_OK
        return Response(report_as_dict(report), status=code)


_RESPONSES = {
    200: PlanImportReportSerializer,
    409: OpenApiResponse(
        PlanImportReportSerializer,
        description="Fichier refusé (illisible, ou contraire aux règles du plan) : chaque erreur "
        "avec sa feuille, sa cellule et son message ; rien n'a changé.",
    ),
    403: OpenApiResponse(ErrorSerializer, description="Réservé aux chargés de mission CNSA."),
    404: OpenApiResponse(ErrorSerializer, description="Convention inconnue ou invisible."),
}


class PlanImportDryRunView(_PlanImportView):
    dry_run = True

    @extend_schema(
        summary="Aperçu de l'import d'un plan de financement (rien n'est enregistré)",
        description="Lignes ajoutées, modifiées, supprimées, indicateurs, nouveaux totaux et taux "
        "CNSA, contrôles de cohérence qui resteraient, ou chaque erreur du fichier.",
        request={"multipart/form-data": PlanImportSerializer},
        responses=_RESPONSES,
    )
    def post(self, request, pk: int):
        return super().post(request, pk)


class PlanImportApplyView(_PlanImportView):
    dry_run = False

    @extend_schema(
        summary="Importer un plan de financement (tout ou rien)",
        description="Applique le fichier par les mêmes règles que la saisie ; sur une convention "
        "signée, les nouveaux montants passent par un avenant. Au moindre refus, rien ne change.",
        request={"multipart/form-data": PlanImportSerializer},
        responses=_RESPONSES,
    )
    def post(self, request, pk: int):
        return super().post(request, pk)
