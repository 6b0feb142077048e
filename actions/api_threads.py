"""API v1 for conversations: the messages one may read (notes for CNSA officers only), each with
its unread marker; writing, attaching files and marking read go through the same services."""

from __future__ import annotations

from django.http import FileResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action as route
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from actions import services
from actions.exports import MESSAGE_COLUMNS
from actions.models import Action, Message, MessageAttachment, ProgressReport
from actions.selectors_threads import is_unread, messages_for
from core.api.errors import CONFLICT
from core.api.exports import ListExportMixin
from core.api.fields import IdFilter, VisibleRelatedField
from core.api.filters import ApiFilterSet
from core.api.serializers import ApiSerializer
from core.limits import LONG_TEXT_MAX_LENGTH

EMPTY = "Écrivez votre message avant de l'envoyer."


class MessageAttachmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = MessageAttachment
        fields = ["id", "original_name", "content_type", "size", "uploaded_at"]


class MessageSerializer(serializers.ModelSerializer):
    action = serializers.IntegerField(source="thread.action_id", read_only=True)
    report = serializers.IntegerField(
        source="thread.report_id",
        read_only=True,
        allow_null=True,
        help_text="Le compte rendu dont parle le fil ; vide pour le fil de l'action.",
    )
    author: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )
    from_cnsa = serializers.BooleanField(read_only=True, help_text="Écrit par la CNSA.")
    unread = serializers.SerializerMethodField(help_text="Nouveau pour vous : pas encore lu.")
    attachments = MessageAttachmentSerializer(many=True, read_only=True)

    class Meta:
        model = Message
        fields = [
            "id",
            "action",
            "report",
            "author",
            "from_cnsa",
            "event",
            "internal",
            "body",
            "created_at",
            "attachments",
            "unread",
        ]
        read_only_fields = fields

    def get_unread(self, message: Message) -> bool:
        return is_unread(message, self.context["request"].user)


class MessageCreateSerializer(ApiSerializer):
    action = VisibleRelatedField(
        Action,
        required=False,
        help_text="L'action du fil (déduite du compte rendu s'il est donné).",
    )
    report = VisibleRelatedField(
        ProgressReport,
        required=False,
        allow_null=True,
        help_text="Le compte rendu du fil ; absent ou vide : le fil de l'action.",
    )
    body = serializers.CharField(
        max_length=LONG_TEXT_MAX_LENGTH, error_messages={"blank": EMPTY, "required": EMPTY}
    )
    internal = serializers.BooleanField(
        default=False, help_text="Note interne, lue seulement par les chargés de mission CNSA."
    )

    class Meta:
        required_one_of = ("action", "report")  # the schema says it too (core.api.schema)

    def validate(self, attrs):
        report, action = attrs.get("report"), attrs.get("action")
        if report is None and action is None:
            raise serializers.ValidationError({"action": "Indiquez l'action ou le compte rendu."})
        if report is not None and action is not None and report.action_id != action.pk:
            raise serializers.ValidationError(
                {"report": "Ce compte rendu n'appartient pas à cette action."}, code=CONFLICT
            )
        attrs["action"] = report.action if report is not None else action
        return attrs


class MessageFilter(ApiFilterSet):
    action = IdFilter(field_name="thread__action_id")
    report = IdFilter(field_name="thread__report_id")
    convention = IdFilter(field_name="thread__action__axis__convention_id")

    class Meta:
        model = Message
        fields = ["action", "report", "convention"]


class MessageViewSet(
    ListExportMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Messages of the threads on the actions and reports you may see."""

    serializer_class = MessageSerializer
    export_columns = MESSAGE_COLUMNS
    export_name = "messages"
    export_title = "Messages"
    permission_classes = [IsAuthenticated]
    filterset_class = MessageFilter
    ordering_fields = ["created_at", "id"]
    ordering = ["id"]
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return messages_for(user=self.request.user)

    def get_serializer_class(self):
        return MessageCreateSerializer if self.action == "create" else MessageSerializer

    @extend_schema(
        summary="Écrire un message",
        request=MessageCreateSerializer,
        responses={201: MessageSerializer},
    )
    def create(self, request, *args, **kwargs):
        serializer = MessageCreateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        message = services.message_post(
            action=data["action"],
            report=data.get("report"),
            by=request.user,
            body=data["body"],
            internal=data["internal"],
        )
        fresh = self.get_queryset().get(pk=message.pk)
        return Response(
            MessageSerializer(fresh, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        summary="Joindre des fichiers à son message",
        request={
            "multipart/form-data": inline_serializer(
                "MessageAttachmentUpload", {"file": serializers.FileField()}
            )
        },
        responses={201: MessageAttachmentSerializer(many=True)},
    )
    @route(detail=True, methods=["post"], parser_classes=[MultiPartParser], url_path="attachments")
    def attachments(self, request, pk=None):
        message = self.get_object()  # an invisible message is a 404 before its body is read
        files = request.FILES.getlist("file")
        if not files:
            raise serializers.ValidationError(
                {"file": "Joignez un fichier dans le champ « file »."}
            )
        stored = services.message_attach(message=message, files=files, by=request.user)
        return Response(
            MessageAttachmentSerializer(stored, many=True).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        summary="Télécharger une pièce jointe d'un message",
        responses={(200, "*/*"): bytes},  # the type of the file as it was deposited
    )
    @route(detail=True, methods=["get"], url_path=r"attachments/(?P<attachment_pk>\d+)")
    def download(self, request, pk=None, attachment_pk=None):
        attachment = get_object_or_404(
            MessageAttachment, message=self.get_object(), pk=attachment_pk
        )
        return FileResponse(
            attachment.file.open("rb"),
            as_attachment=True,
            filename=attachment.original_name,
            content_type=attachment.content_type,
        )

    @extend_schema(
        summary="Marquer le fil lu jusqu'à ce message",
        request=None,
        responses=MessageSerializer,
    )
    @route(detail=True, methods=["post"])
    def read(self, request, pk=None):
        message = self.get_object()
        services.thread_mark_read(thread=message.thread, user=request.user, last_id=message.pk)
        fresh = self.get_queryset().get(pk=message.pk)
        return Response(MessageSerializer(fresh, context={"request": request}).data)
