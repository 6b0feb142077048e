"""Notifications: recorded before any e-mail leaves, read in the application, sent as each person
chose (at once, in the daily digest, or not at all)."""

from __future__ import annotations

from typing import Self

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from actions.models.actions import Action
from actions.models.calendar import ReportDeadline


class Kind(models.TextChoices):
    SUBMISSION = "submission", "Transmission d'un compte rendu"
    RETURN = "return", "Compte rendu renvoyé ou rouvert"
    APPROVAL = "approval", "Compte rendu approuvé"
    REMINDER = "reminder", "Rappel d'échéance"
    MESSAGE = "message", "Nouveau message"


class Delivery(models.TextChoices):
    IMMEDIATE = "immediate", "Un courriel immédiatement"
    DIGEST = "digest", "Dans le récapitulatif quotidien"
    NONE = "none", "Pas de courriel (seulement dans l'application)"


class NotificationQuerySet(models.QuerySet):
    def visible_to(self, user) -> Self:
        """Each person sees their own notifications, officers included."""
        if user is None or not user.is_authenticated:
            return self.none()
        return self.filter(recipient=user)

    def unread(self) -> Self:
        return self.filter(read_at__isnull=True)


class NotificationDigest(models.Model):
    """One daily e-mail to one person: claimed (unique) before it is sent, so never sent twice."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="destinataire",
        on_delete=models.CASCADE,
        related_name="notification_digests",
    )
    day = models.DateField("journée récapitulée")
    sent_at = models.DateTimeField("envoyé le", null=True, blank=True)
    created_at = models.DateTimeField("préparé le", default=timezone.now)

    class Meta:
        verbose_name = "récapitulatif quotidien"
        verbose_name_plural = "récapitulatifs quotidiens"
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "day"],
                name="notification_digest_once_a_day",
                violation_error_message="Le récapitulatif de cette journée a déjà été préparé pour cette personne.",
            )
        ]

    def __str__(self) -> str:
        return f"Récapitulatif du {self.day:%d/%m/%Y} — {self.recipient}"


class Notification(models.Model):
    class Mail(models.TextChoices):
        PENDING = "pending", "À envoyer"
        SENDING = "sending", "Envoi en cours"
        SENT = "sent", "Envoyé"
        SKIPPED = "skipped", "Pas de courriel"
        CANCELLED = "cancelled", "Annulé (devenu sans objet)"

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="destinataire",
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField("nature", max_length=16, choices=Kind.choices)
    subject = models.CharField("objet", max_length=300)
    body = models.TextField("texte")
    link = models.CharField("lien", max_length=500, blank=True)
    dedup_key = models.CharField(
        "clé d'unicité",
        max_length=200,
        blank=True,
        help_text="Un même événement n'est enregistré (donc envoyé) qu'une fois par personne.",
    )
    action = models.ForeignKey(
        Action,
        verbose_name="action",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    deadline = models.ForeignKey(
        ReportDeadline,
        verbose_name="échéance",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    delivery = models.CharField("envoi", max_length=16, choices=Delivery.choices)
    mail_state = models.CharField(
        "courriel", max_length=16, choices=Mail.choices, default=Mail.PENDING
    )
    day = models.DateField("jour de l'événement")
    created_at = models.DateTimeField("créée le", default=timezone.now)
    emailed_at = models.DateTimeField("courriel envoyé le", null=True, blank=True)
    digest = models.ForeignKey(
        NotificationDigest,
        verbose_name="récapitulatif",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="notifications",
    )
    read_at = models.DateTimeField("lue le", null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = "notification"
        verbose_name_plural = "notifications"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "dedup_key"],
                condition=~Q(dedup_key=""),
                name="notification_once_per_event",
                violation_error_message="Cette notification a déjà été enregistrée pour cette personne.",
            )
        ]

    def __str__(self) -> str:
        return self.subject


class NotificationPreference(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="utilisateur",
        on_delete=models.CASCADE,
        related_name="notification_preferences",
    )
    kind = models.CharField("nature", max_length=16, choices=Kind.choices)
    delivery = models.CharField("envoi", max_length=16, choices=Delivery.choices)

    class Meta:
        verbose_name = "préférence de notification"
        verbose_name_plural = "préférences de notification"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind"],
                name="notification_preference_unique",
                violation_error_message="Une seule préférence par nature de notification.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_kind_display()} : {self.get_delivery_display()}"
