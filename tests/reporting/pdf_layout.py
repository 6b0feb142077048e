"""How full each page of a report is, measured on WeasyPrint's layout (the boxes it places)."""

from __future__ import annotations

from dataclasses import dataclass

from weasyprint import HTML
from weasyprint.formatting_structure import boxes

from reporting.rendering import BASE_URL, SafeURLFetcher


@dataclass(frozen=True)
class PageFill:
    number: int
    fill: float  # share of the page's content height used, 0 to 1
    opens_with_heading: bool  # the page starts with a chapter title (an h2)


def _in_flow(page_box):
    for child in page_box.children:
        if not isinstance(child, boxes.MarginBox):
            yield from child.descendants()


def layout(html: str):
    return HTML(string=html, base_url=BASE_URL, url_fetcher=SafeURLFetcher()).render()


def split_rows(document) -> list[str]:
    """Body rows laid out on more than one page (header rows repeat by design)."""
    seen: dict[int, int] = {}
    headers: set[int] = set()
    split = []
    for number, page in enumerate(document.pages, start=1):
        for box in _in_flow(page._page_box):  # parents come before their children
            if isinstance(box, boxes.TableRowGroupBox) and box.element_tag == "thead":
                headers.update(id(row.element) for row in box.children)
            elif (
                isinstance(box, boxes.TableRowBox)
                and box.element is not None
                and id(box.element) not in headers
            ):
                key = id(box.element)
                if key in seen and seen[key] != number:
                    split.append(" ".join(box.element.itertext())[:80])
                seen.setdefault(key, number)
    return split


def page_fills(document) -> list[PageFill]:
    fills = []
    for number, page in enumerate(document.pages, start=1):
        page_box = page._page_box
        top = page_box.content_box_y()
        height = page_box.height
        lines = [
            box
            for box in _in_flow(page_box)
            if isinstance(box, boxes.LineBox | boxes.ReplacedBox | boxes.TableCellBox)
        ]
        bottom = max((b.position_y + b.margin_height() for b in lines), default=top)
        first = min(lines, key=lambda b: b.position_y, default=None)
        heading = False
        if first is not None:
            heading = any(
                b.element_tag == "h2" and b.position_y <= first.position_y + 1
                for b in _in_flow(page_box)
                if isinstance(b, boxes.BlockBox)
            )
        fills.append(PageFill(number, (bottom - top) / height, heading))
    return fills


def mostly_empty_pages(fills: list[PageFill]) -> list[PageFill]:
    """Pages less than half full, except the last and those followed by a new chapter."""
    return [
        page
        for page, following in zip(fills, fills[1:], strict=False)
        if page.fill < 0.5 and not following.opens_with_heading
    ]
