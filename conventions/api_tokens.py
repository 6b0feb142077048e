"""API v1: the caller's API tokens (list, create, revoke)."""

from __future__ import annotations

from django.contrib.auth.models import User
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from conventions.access import scope_for
from conventions.authentication import api_token_create, api_token_revoke
from conventions.exports import TOKEN_COLUMNS
from conventions.models import ApiToken
from core.api.exports import ListExportMixin
from core.api.serializers import ApiModelSerializer

# --- API tokens ---------------------------------------------------------------------------------


class ApiTokenSerializer(ApiModelSerializer):
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
    ListExportMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Vos jetons d'API (ceux de tous pour un chargé de mission CNSA). La clé n'est montrée qu'à la création."""

    serializer_class = ApiTokenSerializer
    export_columns = TOKEN_COLUMNS
    export_name = "jetons"
    export_title = "Jetons d'API"
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

    @extend_schema(summary="Révoquer le jeton", request=None, responses=ApiTokenSerializer)
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        token = api_token_revoke(token=self.get_object())
        return Response(ApiTokenSerializer(token).data)
