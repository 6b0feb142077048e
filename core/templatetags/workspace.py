"""Display filters: money and rates the French way, workflow states as DSFR badges, people by
name, French plurals."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html

from core.money import format_decimal_fr, format_euros, format_rate
from core.people import person_name
from core.text import counted, french_plural

register = template.Library()

BADGES = {
    "draft": ("Brouillon", "fr-badge--info"),
    "submitted": ("Transmis", "fr-badge--new"),
    "approved": ("Approuvé", "fr-badge--success"),
    "returned": ("Renvoyé pour correction", "fr-badge--warning"),
}


@register.filter
def euros(value) -> str:
    return format_euros(value)


@register.filter
def rate(value) -> str:
    return format_rate(value)


@register.filter
def number(value) -> str:
    return format_decimal_fr(value)


@register.filter
def status_badge(status: str) -> str:
    label, css = BADGES.get(status, (status, ""))
    return format_html('<span class="fr-badge fr-badge--sm {}">{}</span>', css, label)


@register.filter
def person(user: Any) -> str:
    """`{{ report.submitted_by|person }}`: the full name (empty for nobody, so `|default` works)."""
    return person_name(user)


@register.filter
def pluralize_fr(count: Any, suffixes: str = "s") -> str:
    """Like `pluralize`, with the French rule: `{{ n }} action{{ n|pluralize_fr }}`, or
    `{{ n|pluralize_fr:"al,aux" }}` for a singular and a plural ending."""
    singular, _, plural = suffixes.rpartition(",") if "," in suffixes else ("", "", suffixes)
    return plural if french_plural(count) else singular


@register.filter
def count_fr(count: Any, forms: str) -> str:
    """`{{ n|count_fr:"compte rendu,comptes rendus" }}` → « 1 compte rendu », « 3 comptes rendus »."""
    singular, _, plural = forms.partition(",")
    return counted(count, singular, plural or None)
