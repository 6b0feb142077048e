"""Inline SVG charts: no JavaScript, nothing fetched, every amount written as text beside its bar."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from core.money import format_euros

BAR_HEIGHT, GAP, VALUE_WIDTH, CHART_WIDTH = 14, 18, 120, 640
SERIES = ("Prévu", "Dépensé (comptes rendus approuvés)")


def bar_chart(
    rows: Sequence[tuple[str, Decimal, Decimal]],
    *,
    title: str,
    series: tuple[str, str] = SERIES,
    label_width: int = 70,
) -> SafeString:
    """Paired horizontal bars (two series per label) as an SVG image named by `title`; the page
    gives the same figures in a table for screen readers, the image's text repeats them."""
    top = max([max(a, b) for _, a, b in rows] + [Decimal("1")])
    scale = Decimal(CHART_WIDTH - label_width - VALUE_WIDTH) / top
    row_height = 2 * BAR_HEIGHT + GAP
    bars, labels = [], []
    for index, (label, first, second) in enumerate(rows):
        y = 30 + index * row_height
        for offset, css, amount in (
            (0, "chart-planned", first),
            (BAR_HEIGHT, "chart-spent", second),
        ):
            width = int(max(amount, Decimal("0")) * scale)
            bars.append(
                (
                    css,
                    label_width,
                    y + offset,
                    width,
                    BAR_HEIGHT,
                    label_width + width + 4,
                    y + offset + BAR_HEIGHT - 3,
                    format_euros(amount),
                )
            )
        labels.append((y + BAR_HEIGHT + 4, label))
    body = format_html_join(
        "",
        '<rect class="{}" x="{}" y="{}" width="{}" height="{}"></rect>'
        '<text class="chart-label" x="{}" y="{}">{}</text>',
        bars,
    ) + format_html_join("", '<text class="chart-label" x="0" y="{}">{}</text>', labels)
    legend_x = label_width + 16 + 7 * len(series[0]) + 16  # past the first legend's text
    legend = format_html(
        '<rect x="{}" y="4" width="12" height="12" class="chart-planned"></rect>'
        '<text x="{}" y="15" class="chart-label">{}</text>'
        '<rect x="{}" y="4" width="12" height="12" class="chart-spent"></rect>'
        '<text x="{}" y="15" class="chart-label">{}</text>',
        label_width,
        label_width + 16,
        series[0],
        legend_x,
        legend_x + 16,
        series[1],
    )
    return format_html(
        '<svg class="chart" role="img" aria-label="{}" viewBox="0 0 {} {}" width="100%" '
        'preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">'
        "<title>{}</title>{}{}</svg>",
        title,
        CHART_WIDTH,
        30 + row_height * len(rows),
        title,
        legend,
        body,
    )
