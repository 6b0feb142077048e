"""Small SVG charts for the PDF, drawn here so that WeasyPrint needs no script and no network.

Every label goes through format_html: partner text in a chart is escaped like anywhere else.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from core.money import ZERO, format_euros

BLUE = "#000091"
GREY = "#cecece"
RED = "#ce0500"
GREEN = "#18753c"


def _ratio(part: Decimal | None, whole: Decimal | None) -> Decimal:
    if not part or not whole or whole <= 0:
        return ZERO
    return min(Decimal(part) / Decimal(whole), Decimal(1))


def _px(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.1'))}"


def progress_bar(part: Decimal | None, whole: Decimal | None, *, width: int = 160) -> SafeString:
    """A thin bar: the grey track is the target, the filled part what was achieved or spent."""
    filled = _ratio(part, whole) * width
    colour = GREEN if part is not None and whole and part >= whole else BLUE
    return format_html(
        '<svg class="bar" width="{w}" height="8" viewBox="0 0 {w} 8" role="img" aria-hidden="true">'
        '<rect width="{w}" height="8" fill="{grey}"/>'
        '<rect width="{f}" height="8" fill="{c}"/></svg>',
        w=width,
        grey=GREY,
        f=_px(filled),
        c=colour,
    )


def plan_by_year_chart(
    years: list[int], cnsa: list[Decimal], totals: list[Decimal], *, width: int = 460
) -> SafeString:
    """Vertical bars per budget year: the whole plan in grey, the CNSA's share in blue."""
    height, base, top = 170, 140, 10
    peak = max(totals, default=ZERO) or Decimal(1)
    step = Decimal(width - 40) / max(len(years), 1)
    bars = []
    for i, year in enumerate(years):
        x = Decimal(30) + step * i + step / 6
        w = step * 2 / 3
        full = Decimal(base - top) * _ratio(totals[i], peak)
        part = Decimal(base - top) * _ratio(cnsa[i], peak)
        bars.append(
            format_html(
                '<rect x="{x}" y="{y1}" width="{w}" height="{h1}" fill="{grey}"/>'
                '<rect x="{x}" y="{y2}" width="{w}" height="{h2}" fill="{blue}"/>'
                '<text x="{cx}" y="{ty}" text-anchor="middle" font-size="9">{year}</text>'
                '<text x="{cx}" y="{vy}" text-anchor="middle" font-size="7">{label}</text>',
                x=_px(x),
                w=_px(w),
                y1=_px(base - full),
                h1=_px(full),
                y2=_px(base - part),
                h2=_px(part),
                grey=GREY,
                blue=BLUE,
                cx=_px(x + w / 2),
                ty=base + 12,
                vy=_px(base - full - 3),
                year=year,
                label=format_euros(totals[i], sep=" "),
            )
        )
    described = "; ".join(
        f"{year} : {format_euros(totals[i], sep=' ')} dont CNSA {format_euros(cnsa[i], sep=' ')}"
        for i, year in enumerate(years)
    )
    return format_html(
        '<svg class="chart" width="{w}" height="{h}" viewBox="0 0 {w} {h}" role="img">'
        "<title>Plan de financement par année, total et part CNSA : {described}.</title>"
        '<line x1="25" y1="{b}" x2="{w}" y2="{b}" stroke="#666" stroke-width="0.5"/>{bars}'
        '<rect x="30" y="{ly}" width="8" height="8" fill="{grey}"/>'
        '<text x="42" y="{lt}" font-size="8">Plan total</text>'
        '<rect x="110" y="{ly}" width="8" height="8" fill="{blue}"/>'
        '<text x="122" y="{lt}" font-size="8">dont CNSA</text></svg>',
        w=width,
        h=height,
        b=base,
        bars=mark_safe("".join(bars)),  # noqa: S308 — each part built by format_html
        ly=height - 12,
        lt=height - 5,
        grey=GREY,
        blue=BLUE,
        described=described,
    )


def axes_chart(axes: list, *, width: int = 460) -> SafeString:
    """One row per axis: planned (grey) and spent (blue) on the same scale, each with its value,
    a scale from 0 to the largest planned amount, and the figures in the title for screen readers."""
    row, label_w, value_w = 26, 46, 92
    peak = max((axis.planned for axis in axes), default=ZERO) or Decimal(1)
    span = Decimal(width - label_w - value_w)
    rows = format_html_join(
        "",
        '<text x="0" y="{ty}" font-size="8">Axe {n}</text>'
        '<rect x="{x}" y="{y1}" width="{w1}" height="8" fill="{grey}"/>'
        '<text x="{v1}" y="{t1}" font-size="6.5">{planned}</text>'
        '<rect x="{x}" y="{y2}" width="{w2}" height="8" fill="{blue}"/>'
        '<text x="{v2}" y="{t2}" font-size="6.5">{spent}</text>',
        (
            {
                "n": axis.number,
                "ty": i * row + 14,
                "x": label_w,
                "y1": i * row + 4,
                "y2": i * row + 13,
                "t1": i * row + 11,
                "t2": i * row + 20,
                "w1": _px(span * _ratio(axis.planned, peak)),
                "w2": _px(span * _ratio(axis.spent, peak)),
                "v1": _px(label_w + span * _ratio(axis.planned, peak) + 3),
                "v2": _px(label_w + span * _ratio(axis.spent, peak) + 3),
                "planned": format_euros(axis.planned, sep=" "),
                "spent": format_euros(axis.spent, sep=" "),
                "grey": GREY,
                "blue": BLUE,
            }
            for i, axis in enumerate(axes)
        ),
    )
    scale_y = len(axes) * row + 4
    height = scale_y + 30
    described = "; ".join(
        f"axe {a.number} : prévu {format_euros(a.planned, sep=' ')}, "
        f"dépensé {format_euros(a.spent, sep=' ')}"
        for a in axes
    )
    return format_html(
        '<svg class="chart" width="{w}" height="{h}" viewBox="0 0 {w} {h}" role="img">'
        "<title>Prévu et dépensé par axe : {described}.</title>{rows}"
        '<line x1="{x}" y1="{sy}" x2="{xe}" y2="{sy}" stroke="#666" stroke-width="0.5"/>'
        '<text x="{x}" y="{st}" font-size="6.5">0</text>'
        '<text x="{xe}" y="{st}" font-size="6.5" text-anchor="end">{peak}</text>'
        '<rect x="{x}" y="{ly}" width="8" height="8" fill="{grey}"/>'
        '<text x="{lx2}" y="{lt}" font-size="8">Prévu</text>'
        '<rect x="{lx3}" y="{ly}" width="8" height="8" fill="{blue}"/>'
        '<text x="{lx4}" y="{lt}" font-size="8">Dépensé (comptes rendus approuvés)</text></svg>',
        w=width,
        h=height,
        rows=rows,
        described=described,
        x=label_w,
        xe=_px(label_w + span),
        sy=scale_y,
        st=scale_y + 9,
        peak=format_euros(peak, sep=" "),
        lx2=label_w + 12,
        lx3=label_w + 60,
        lx4=label_w + 72,
        ly=height - 10,
        lt=height - 3,
        grey=GREY,
        blue=BLUE,
    )
