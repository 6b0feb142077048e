"""Sign-in guard state, kept in PostgreSQL so that it holds when the cache (Redis) is down."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Scope(models.TextChoices):
    PASSWORD = "password", "Mot de passe"
    TOKEN = "token", "Jeton d'API"


class FailedSignIn(models.Model):
    """One refused attempt: a wrong password (per identifier and address) or an unknown token."""

    scope = models.CharField("moyen", max_length=16, choices=Scope.choices)
    username = models.CharField("identifiant saisi", max_length=150, blank=True)
    address = models.GenericIPAddressField("adresse", null=True, blank=True)
    at = models.DateTimeField("date", default=timezone.now, db_index=True)

    class Meta:
        verbose_name = "tentative de connexion refusée"
        verbose_name_plural = "tentatives de connexion refusées"
        indexes = [
            models.Index(fields=["scope", "username", "at"], name="failed_signin_user_at"),
            models.Index(fields=["scope", "address", "at"], name="failed_signin_addr_at"),
        ]

    def __str__(self) -> str:
        return f"{self.get_scope_display()} {self.username or '-'} {self.address or '-'} {self.at:%Y-%m-%d %H:%M}"


class LockoutQuerySet(models.QuerySet):
    def active(self, now=None) -> LockoutQuerySet:
        now = now or timezone.now()
        return self.filter(until__gt=now, lifted_at__isnull=True)


class Lockout(models.Model):
    """A temporary refusal of every sign-in for one identifier or one address."""

    class Kind(models.TextChoices):
        ACCOUNT = "account", "Compte"
        ADDRESS = "address", "Adresse"

    scope = models.CharField("moyen", max_length=16, choices=Scope.choices)
    kind = models.CharField("verrou sur", max_length=16, choices=Kind.choices)
    key = models.CharField("identifiant ou adresse", max_length=150)
    created_at = models.DateTimeField("verrouillé le", default=timezone.now)
    until = models.DateTimeField("jusqu'au")
    failures = models.PositiveIntegerField("échecs", default=0)
    lifted_at = models.DateTimeField("déverrouillé le", null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="déverrouillé par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = LockoutQuerySet.as_manager()

    class Meta:
        verbose_name = "verrouillage"
        verbose_name_plural = "verrouillages"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["scope", "kind", "key", "until"], name="lockout_lookup")]
        constraints = [
            models.CheckConstraint(
                condition=Q(until__gt=models.F("created_at")),
                name="lockout_ends_after_start",
                violation_error_message="Un verrouillage doit finir après avoir commencé.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.key} ({self.get_scope_display()})"

    @property
    def is_active(self) -> bool:
        return self.lifted_at is None and self.until > timezone.now()


class UserSession(models.Model):
    """One signed-in session, listed on « Mon compte » (the session itself is Django's)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="utilisateur",
        on_delete=models.CASCADE,
        related_name="signed_in_sessions",
    )
    session_key = models.CharField("clé de session", max_length=40, unique=True)
    created_at = models.DateTimeField("ouverte le", default=timezone.now)
    last_seen_at = models.DateTimeField("dernière activité", default=timezone.now)
    address = models.GenericIPAddressField("adresse", null=True, blank=True)
    user_agent = models.CharField("navigateur", max_length=200, blank=True)
    method = models.CharField("moyen", max_length=16, blank=True)

    class Meta:
        verbose_name = "session ouverte"
        verbose_name_plural = "sessions ouvertes"
        ordering = ["-last_seen_at"]

    def __str__(self) -> str:
        return f"{self.user} {self.created_at:%Y-%m-%d %H:%M}"
