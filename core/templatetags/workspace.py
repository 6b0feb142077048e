"""Display filters: money and rates the French way, workflow states as DSFR badges."""

from __future__ import annotations

from django import template
from django.utils.html import format_html

from core.money import format_decimal_fr, format_euros, format_rate

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
