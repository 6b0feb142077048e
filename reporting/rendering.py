"""HTML to PDF with WeasyPrint, fetching nothing but our own static files and data: URIs."""

from __future__ import annotations

import gc
import logging
import mimetypes
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation
from weasyprint import HTML, Document
from weasyprint.urls import URLFetcher, URLFetcherResponse

from core.money import ZERO
from reporting import charts
from reporting.content import Part, ReportContext

logger = logging.getLogger(__name__)

TEMPLATE = "reporting/pdf/report.html"
# A base URL that can never resolve: relative URLs in the template land under it, and the
# fetcher maps its /static/ part onto our static files; nothing is ever asked of the network.
BASE_URL = "https://rapport.invalid/"
ALLOWED_STATIC_PREFIX = "reporting/"
# Tagged for accessibility (structure tree, document language, marked content), as public-service
# documents must be.
PDF_VARIANT = "pdf/ua-1"
# WeasyPrint allocates millions of small objects that live until the PDF is written; with Python's
# default threshold (a young-generation collection every 700 allocations) collections that free
# nothing took a fifth of a 200-action render. They are made rarer while a report is rendered, with
# no change in peak memory (the documents are freed by reference counting), then restored.
RENDER_GC_THRESHOLD = 50_000


class RefusedURL(ValueError):
    pass


class SafeURLFetcher(URLFetcher):
    """Serves reporting/ static files and data: URIs; refuses file:, http(s):, and the rest."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols=("data",), allow_redirects=False, timeout=1)
        self.refused: list[str] = []

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        if url.startswith("data:"):
            return super().fetch(url, headers)
        path = self._static_path(url)
        if path is None:
            self.refused.append(url)
            logger.warning("Rapport PDF : ressource refusée %s", url[:200])
            raise RefusedURL(f"Ressource externe refusée : {url[:200]}")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})

    @staticmethod
    def _static_path(url: str) -> Path | None:
        prefix = BASE_URL + settings.STATIC_URL.lstrip("/")
        if not url.startswith(prefix):
            return None
        parts = urlsplit(url)
        if parts.query or parts.fragment:
            return None
        relative = unquote(url[len(prefix) :])
        if not relative.startswith(ALLOWED_STATIC_PREFIX) or ".." in relative.split("/"):
            return None
        try:
            found = finders.find(relative)
        except Exception:  # SuspiciousFileOperation and the like: refuse, do not explain
            return None
        return Path(found) if found else None


def report_html(context: ReportContext, part: Part | None = None) -> str:
    """The whole report's HTML, or one part of it (see reporting.parts)."""
    part = part or Part.whole(context)
    with translation.override("fr"):
        return render_to_string(
            TEMPLATE,
            {
                "r": context,
                "part": part,
                "charts": _charts(context) if part.front else {},
                "static_url": settings.STATIC_URL,
                "fund_label": settings.CNSA_FUND_LABEL,
            },
        )


def _charts(context: ReportContext) -> dict:
    cnsa_by_year = next((line.by_year for line in context.plan if line.is_cnsa), None)
    return {
        "plan": charts.plan_by_year_chart(
            context.years, cnsa_by_year or [ZERO] * len(context.years), context.plan_year_totals
        ),
        "axes": charts.axes_chart(context.axes),
    }


@contextmanager
def fewer_collections() -> Iterator[None]:
    thresholds = gc.get_threshold()
    gc.set_threshold(RENDER_GC_THRESHOLD, *thresholds[1:])
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)


def html_to_pdf(html: str) -> bytes:
    _slow_down_for_tests()
    with fewer_collections():
        return html_document(html).write_pdf(pdf_variant=PDF_VARIANT)


def html_document(html: str, *, variant: str | None = PDF_VARIANT) -> Document:
    """The laid-out pages, before they are written: their anchors and count, for the parts."""
    return HTML(string=html, base_url=BASE_URL, url_fetcher=SafeURLFetcher()).render(
        pdf_variant=variant
    )


def _slow_down_for_tests() -> None:
    """REPORT_RENDER_DELAY_SECONDS makes a render last long enough to kill its worker in a test."""
    delay = float(os.environ.get("REPORT_RENDER_DELAY_SECONDS", "0") or 0)
    if delay > 0:
        time.sleep(delay)
