"""Where the officers' pages send back to: the convention's own page."""

from __future__ import annotations

from django.urls import reverse


def convention_url(pk: int) -> str:
    return reverse("backoffice:convention", args=[pk])
