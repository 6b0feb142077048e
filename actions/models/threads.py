"""Conversations: one thread per action and one per progress report, between the partner and the
CNSA; internal notes only CNSA officers read; what each person has read."""

from __future__ import annotations

from typing import Self

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from actions.models.actions import Action, visible_through_action
from actions.models.reports import ProgressReport
from conventions.access import scope_for
from core.limits import LONG_TEXT_MAX_LENGTH, TextLengthValidator
from core.storage import private_storage


class ThreadQuerySet(models.QuerySet):
    def visible_to(self, user) -> Self:
        return visible_through_action(self, user, "action__")


class Thread(models.Model):
    """The conversation about an action (no report) or about one of its progress reports."""

    action = models.ForeignKey(
        Action, verbose_name="action", on_delete=models.PROTECT, related_name="threads"
    )
    report = models.OneToOneField(
        ProgressReport,
        verbose_name="compte rendu",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="thread",
    )
    created_at = models.DateTimeField("ouvert le", default=timezone.now)

    objects = ThreadQuerySet.as_manager()

    class Meta:
        verbose_name = "fil d'échanges"
        verbose_name_plural = "fils d'échanges"
        constraints = [
            models.UniqueConstraint(
                fields=["action"],
                condition=Q(report__isnull=True),
                name="thread_one_per_action",
                violation_error_message="L'action a déjà son fil d'échanges.",
            )
        ]

    def __str__(self) -> str:
        if self.report_id:
            return f"Échanges sur le compte rendu {self.report}"
        return f"Échanges sur l'action {self.action}"


class MessageQuerySet(models.QuerySet):
    def visible_to(self, user) -> Self:
        """Messages of the threads one may see; internal notes for CNSA officers only."""
        rows = visible_through_action(self, user, "thread__action__")
        if not scope_for(user).is_officer:
            rows = rows.filter(internal=False)
        return rows


class Message(models.Model):
    class Event(models.TextChoices):
        MESSAGE = "message", "Message"
        RETURN = "return", "Renvoi pour correction"
        APPROVAL = "approval", "Approbation"
        REOPENING = "reopening", "Réouverture"

    thread = models.ForeignKey(
        Thread, verbose_name="fil", on_delete=models.PROTECT, related_name="messages"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="auteur",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = models.TextField(
        "message",
        max_length=LONG_TEXT_MAX_LENGTH,
        validators=[TextLengthValidator(LONG_TEXT_MAX_LENGTH)],
    )
    internal = models.BooleanField(
        "note interne", default=False, help_text="Lue seulement par les chargés de mission CNSA."
    )
    event = models.CharField("nature", max_length=16, choices=Event.choices, default=Event.MESSAGE)
    created_at = models.DateTimeField("envoyé le", default=timezone.now)

    objects = MessageQuerySet.as_manager()

    class Meta:
        verbose_name = "message"
        verbose_name_plural = "messages"
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(internal=False) | Q(event="message"),
                name="message_internal_is_a_note",
                violation_error_message="Un renvoi, une approbation ou une réouverture s'adresse au partenaire : ce ne peut pas être une note interne.",
            ),
            models.CheckConstraint(
                condition=~Q(body=""),
                name="message_body_not_blank",
                violation_error_message="Un message ne peut pas être vide.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_event_display()} du {self.created_at:%d/%m/%Y} — {self.author}"


class MessageAttachment(models.Model):
    message = models.ForeignKey(
        Message, verbose_name="message", on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField("fichier", upload_to="messages/%Y/%m/", storage=private_storage)
    original_name = models.CharField("nom d'origine", max_length=255)
    content_type = models.CharField("type", max_length=100)
    size = models.PositiveIntegerField("taille (octets)")
    uploaded_at = models.DateTimeField("déposé le", default=timezone.now)

    class Meta:
        verbose_name = "pièce jointe d'un message"
        verbose_name_plural = "pièces jointes des messages"
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.original_name


class ThreadRead(models.Model):
    """How far one person has read one thread: the last message seen."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="utilisateur",
        on_delete=models.CASCADE,
        related_name="thread_reads",
    )
    thread = models.ForeignKey(
        Thread, verbose_name="fil", on_delete=models.CASCADE, related_name="reads"
    )
    last_read_id = models.PositiveBigIntegerField("dernier message lu", default=0)
    read_at = models.DateTimeField("lu le", default=timezone.now)

    class Meta:
        verbose_name = "lecture d'un fil"
        verbose_name_plural = "lectures des fils"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "thread"],
                name="thread_read_unique",
                violation_error_message="Une seule lecture par personne et par fil.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.thread_id} — {self.last_read_id}"
