"""French figures for the PDF: plain spaces inside no-wrap spans, so that copied or extracted
text reads '801 500,00 €' and a figure never breaks across lines."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

from django import template
from django.utils.formats import date_format
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import normalize_newlines

from core.money import format_decimal_fr, format_euros, format_rate, round_money
from reporting import charts
from reporting.content import OverdueGroup, OverdueRow, overdue_by_action

register = template.Library()


def _nowrap(text: str) -> SafeString:
    return format_html('<span class="nb">{}</span>', text)


@register.filter
def euros(value: Decimal | None) -> SafeString:
    return _nowrap(format_euros(value, sep=" "))


@register.filter
def rate(value: Decimal | None) -> SafeString:
    return _nowrap(format_rate(value, sep=" "))


@register.filter
def quantity(value: Decimal | None) -> SafeString:
    """An indicator value: '6', '80,5' (no trailing zeros, French grouping)."""
    return _nowrap(plain_quantity(value))


# In table cells that never wrap (`.num { white-space: nowrap }`), the same figures without the
# span: one element less per figure keeps the layout of large reports fast.
@register.filter
def eur(value: Decimal | None) -> str:
    return format_euros(value, sep=" ")


@register.filter
def pct(value: Decimal | None) -> str:
    return format_rate(value, sep=" ")


@register.filter
def plain_quantity(value: Decimal | None) -> str:
    if value is None:
        return "—"
    text = format_decimal_fr(value, sep=" ")
    if value == round_money(value).to_integral_value():
        text = text.split(",")[0]
    return text


@register.filter
def long_date(value: datetime.date | None) -> str:
    """'1er août 2016', '29 août 2016': the French ordinal for the first of the month."""
    if value is None:
        return "—"
    day = "1er" if value.day == 1 else str(value.day)
    return f"{day} {date_format(value, 'F Y')}"


@register.filter
def absolute(value: Decimal | None) -> Decimal | None:
    return abs(value) if value is not None else None


@register.filter
def narrative(text: str) -> SafeString:
    """An approved narrative's paragraphs (split on blank lines), each a <p class="narrative">;
    its single line breaks stay newlines, kept by `white-space: pre-line` (no <br> elements)."""
    paragraphs = re.split(r"\n{2,}", normalize_newlines(str(text)).strip("\n"))
    return mark_safe(  # noqa: S308 — each paragraph escaped here
        "".join(f'<p class="narrative">{escape(p)}</p>' for p in paragraphs)
    )


@register.filter
def lines(texts: list[str]) -> str:
    """One per line in a `white-space: pre-line` cell (escaped by the template as usual)."""
    return "\n".join(texts)


@register.filter
def by_action(rows: list[OverdueRow]) -> list[OverdueGroup]:
    return overdue_by_action(rows)


@register.simple_tag
def bar(part: Decimal | None, whole: Decimal | None) -> SafeString:
    return charts.progress_bar(part, whole)


# A report rendered in parts (reporting.parts): the front part's table of contents gives the pages
# of chapters laid out in later parts as figures, and holds their anchors so that its links resolve
# once the parts are joined (the joined file points them at the real pages).
@register.filter
def toc_page(part, anchor: str) -> str:
    page = (getattr(part, "toc_pages", None) or {}).get(anchor)
    return format_html(' class="fixed" data-page="{}"', page) if page else ""


@register.filter
def toc_anchor(part, anchor: str) -> str:
    pages = getattr(part, "toc_pages", None) or {}
    return format_html(' id="{}"', anchor) if anchor in pages else ""
