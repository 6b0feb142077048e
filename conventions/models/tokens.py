"""API tokens: only a key's hash is stored."""

from __future__ import annotations

from typing import Self

from django.conf import settings
from django.db import models

from conventions.access import scope_for


class ApiTokenQuerySet(models.QuerySet):
    def visible_to(self, user) -> Self:
        scope = scope_for(user)
        if scope.is_officer:
            return self.all()
        if not scope.authenticated:
            return self.none()
        return self.filter(user=user)

    def active(self) -> Self:
        return self.filter(revoked_at__isnull=True)


class ApiToken(models.Model):
    """An API key: only its SHA-256 is stored; the key itself is shown once, at creation."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="utilisateur",
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    name = models.CharField("nom", max_length=100)
    prefix = models.CharField("préfixe", max_length=12, db_index=True)
    key_hash = models.CharField("empreinte", max_length=64, unique=True)
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    last_used_at = models.DateTimeField("dernière utilisation", null=True, blank=True)
    revoked_at = models.DateTimeField("révoqué le", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="créé par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = "jeton d'API"
        verbose_name_plural = "jetons d'API"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
