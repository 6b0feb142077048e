"""Long reports rendered in parts, so that memory stays bounded whatever the convention's size.

WeasyPrint keeps the whole laid-out document until the PDF is written: about 2.4 MB per page, so
1 000 actions (246 pages) peaked at 954 MB. Above SPLIT_ABOVE_ACTIONS actions the report becomes
several WeasyPrint documents, each written to PDF and freed before the next: the axes in parts of
at most PART_ACTIONS actions (whole axes together; a larger axis is cut between two actions'
narratives, its tables staying with its title), the visa with the last one, after a part for the
overdue reports (a long list for such conventions); then the front part (cover, contents,
summary, finances), laid out last because its table of contents gives the pages of the others. The parts are joined by reporting.pdf_join, which keeps the tagging,
the bookmarks and the links; « Page X sur Y » is laid out once for the whole page count and stamped
on each page.

Below the threshold the report is one document, as before: a 250-action report peaks near 400 MB,
well under the 500 MB a worker may use, and a single document keeps axes flowing across pages
without the partly filled page each part ends on.
"""

from __future__ import annotations

import ctypes
import gc
from itertools import groupby

from django.conf import settings
from django.template.loader import render_to_string

from reporting import pdf_join, rendering
from reporting.content import AxisSlice, OverdueRow, Part, ReportContext

SPLIT_ABOVE_ACTIONS = 250
PART_ACTIONS = 100
# An overdue report's row is about a third of an action's share of a page.
OVERDUE_PER_ACTION = 3
FOOTER_TEMPLATE = "reporting/pdf/footer.html"
# Parts carry the running headers the whole document would have set before them, and leave
# « Page X sur Y » to the stamped footer.
PART_CSS = """html {{ string-set: doc-title "{title}", chapter "{chapter}"; }}
@page {{ @bottom-right {{ content: none; }} }}
@page :first {{ @top-left {{ content: string(doc-title); }} @top-right {{ content: string(chapter); }} }}"""
FRONT_CSS = "@page { @bottom-right { content: none; } }"


def report_pdf(context: ReportContext, *, split: bool | None = None) -> bytes:
    """The report's PDF: one document, or parts joined when the convention is large."""
    if split is None:
        split = context.action_count > SPLIT_ABOVE_ACTIONS
    with rendering.fewer_collections():
        if not split:
            return rendering.html_to_pdf(rendering.report_html(context))
        return parts_pdf(context)


def axis_parts(context: ReportContext, size: int = PART_ACTIONS) -> list[Part]:
    """The axes chapter cut into parts of at most `size` actions (whole axes when they fit)."""
    parts: list[Part] = []
    slices: list[AxisSlice] = []
    count = 0
    for axis in context.axes:
        if slices and count + len(axis.actions) > size:
            parts.append(Part(front=False, late=False, axes=slices, visa=False))
            slices, count = [], 0
        actions = axis.actions
        head = True
        while len(actions) > size:
            parts.append(
                Part(
                    front=False,
                    late=False,
                    axes=[AxisSlice(axis, actions[:size], head)],
                    visa=False,
                )
            )
            actions, head = actions[size:], False
        slices.append(AxisSlice(axis, actions, head))
        count += len(actions)
    parts.append(Part(front=False, late=False, axes=slices, visa=True))
    for index, part in enumerate(parts):
        part.axes_heading = index == 0
        part.css = _part_css(context)
    return parts


def late_parts(context: ReportContext, size: int) -> list[Part]:
    """The overdue reports in parts of at most `size` reports (one table per part), an action's
    reports kept together (they are one row); an action with more than `size` is a part alone."""
    chunks: list[list[OverdueRow]] = [[]]
    for _code, action_rows in groupby(context.overdue, key=lambda row: row.code):
        rows = list(action_rows)
        if chunks[-1] and len(chunks[-1]) + len(rows) > size:
            chunks.append([])
        chunks[-1].extend(rows)
    parts = []
    for index, chunk in enumerate(chunks):
        part = Part(front=False, axes=[], axes_heading=False, visa=False)
        part.late_heading, part.overdue = index == 0, chunk
        part.css = _part_css(context, chapter="Comptes rendus en retard")
        parts.append(part)
    return parts


def parts_pdf(context: ReportContext, size: int = PART_ACTIONS) -> bytes:
    """Overdue reports, then the axes, each part written and freed; then the front part."""
    pdfs: list[bytes] = []
    anchors: dict[str, int] = {}
    pages = 0
    for part in [*late_parts(context, size * OVERDUE_PER_ACTION), *axis_parts(context, size)]:
        document = rendering.html_document(rendering.report_html(context, part))
        for number, page in enumerate(document.pages, start=pages + 1):
            for name in page.anchors:
                anchors.setdefault(name, number)
        pages += len(document.pages)
        pdfs.append(document.write_pdf(pdf_variant=rendering.PDF_VARIANT))
        del document
        _free()
    front, front_pages = _front(context, anchors)
    pdfs.insert(0, front)
    rendering._slow_down_for_tests()
    # An axis opening a part has no chapter before it in that part: its bookmark goes under
    # « Axes et actions » all the same.
    levels = {f"Axe {axis.number} : {axis.title}": 2 for axis in context.axes}
    return pdf_join.join(pdfs, footer=footer_pdf(front_pages + pages), levels=levels)


def _front(context: ReportContext, anchors: dict[str, int]) -> tuple[bytes, int]:
    """The front part, laid out until the page count it assumed for itself is the one it has."""
    wanted = {"retards", "actions", "visa", *(axis.anchor for axis in context.axes)}
    assumed = 0
    for _attempt in range(3):
        toc = {name: assumed + page for name, page in anchors.items() if name in wanted}
        part = Part(late=False, axes=[], axes_heading=False, visa=False, css=FRONT_CSS)
        part.toc_pages = toc
        document = rendering.html_document(rendering.report_html(context, part))
        count = len(document.pages)
        if count == assumed:
            return document.write_pdf(pdf_variant=rendering.PDF_VARIANT), count
        assumed = count
        del document
        _free()
    raise RuntimeError("Le sommaire du rapport ne se stabilise pas.")


def footer_pdf(pages: int) -> bytes:
    """« Page X sur Y » alone, for `pages` pages laid out exactly as the report's (untagged: it
    is stamped as an artifact)."""
    html = render_to_string(
        FOOTER_TEMPLATE, {"pages": range(pages), "static_url": settings.STATIC_URL}
    )
    return rendering.html_document(html, variant=None).write_pdf()


def _part_css(context: ReportContext, chapter: str = "Axes et actions") -> str:
    title = f"{context.convention.reference} — {context.kind_label}"
    return PART_CSS.format(title=_css_string(title), chapter=_css_string(chapter))


def _css_string(text: str) -> str:
    """Text inside a double-quoted CSS string, inside a <style> element."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
    return escaped.replace("<", "\\3c ").replace(">", "\\3e ")


def _free() -> None:
    """Collect the part just written, and hand the freed heap back to the system (glibc), so that
    the join that follows does not add its own memory to the parts' high-water mark."""
    gc.collect()
    if _LIBC is not None:
        _LIBC.malloc_trim(0)


def _libc():
    try:
        return ctypes.CDLL("libc.so.6")
    except OSError:  # not glibc: the memory is reused, only not handed back
        return None


_LIBC = _libc()
