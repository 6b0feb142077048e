"""Benchmark of the PDF report: generated conventions of 100, 200 and 1 000 actions, each rendered
as one WeasyPrint document (« avant ») and by the service, in parts above the threshold of
reporting.parts (« après »), side by side; bare WeasyPrint on the first size's HTML with the same
options for the ratio. Each render runs in a fresh subprocess so that peak memory is its own.
Wall time depends on what else runs on the machine: the CPU time and the load average are printed.
`--child legacy` renders the previous design (bench/legacy/, untagged) for comparison.

    make bench-report        (or: DEBUG=1 .venv/bin/python bench/report.py --sizes 100,200,1000)

The convention is created inside a transaction that is rolled back: the database is left as found.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "1")


class Rollback(Exception):
    pass


LEGACY = ROOT / "bench" / "legacy"


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _measure(work) -> dict:
    """Wall time and peak RSS; with BENCH_TRACEMALLOC=1 also Python's own peak (5 to 8 times slower)."""
    traced = os.environ.get("BENCH_TRACEMALLOC") == "1"
    before = _rss_mib()
    if traced:
        tracemalloc.start()
    started, cpu = time.perf_counter(), _cpu()
    result = work()
    seconds = time.perf_counter() - started
    cpu = _cpu() - cpu
    peak = tracemalloc.get_traced_memory()[1] / 2**20 if traced else None
    tracemalloc.stop()
    return {
        "seconds": seconds,
        "cpu": cpu,
        "rss_before_mib": before,
        "maxrss_mib": _rss_mib(),
        "python_peak_mib": peak,
        **result,
    }


def _legacy_html(context) -> str:
    """The previous design: its template, its stylesheet inlined, on the same data."""
    from django.conf import settings
    from django.template import engines
    from django.utils import translation

    from reporting import rendering

    css = (LEGACY / "report.css").read_text()
    css = css.replace('url("fonts/', f'url("{settings.STATIC_URL}reporting/fonts/')
    source = (LEGACY / "report.html").read_text()
    link = '<link rel="stylesheet" href="{{ static_url }}reporting/report.css">'
    source = source.replace(link, f"<style>{css}</style>")
    with translation.override("fr"):
        return (
            engines["django"]
            .from_string(source)
            .render(
                {
                    "r": context,
                    "charts": rendering._charts(context),
                    "static_url": settings.STATIC_URL,
                    "fund_label": settings.CNSA_FUND_LABEL,
                }
            )
        )


def _legacy_pdf(html: str) -> bytes:
    from weasyprint import HTML

    from reporting.rendering import BASE_URL, SafeURLFetcher

    return HTML(string=html, base_url=BASE_URL, url_fetcher=SafeURLFetcher()).write_pdf()


def full(actions: int, html_out: Path, mode: str = "full") -> dict:
    """Build the context from the database, render the template, make the PDF (in a rollback).

    `full` is the service's path (parts above the threshold), `single` one WeasyPrint document
    whatever the size (the render before parts), `legacy` the previous design."""
    import django

    django.setup()
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from reporting import parts, rendering, selectors
    from tests.factories import OrganisationFactory
    from tests.reporting.builders import generated_convention

    measured = {}
    try:
        with transaction.atomic():
            cnsa = OrganisationFactory(kind="funder", name="CNSA (banc d'essai)", short_name="CNSA")
            convention = generated_convention(cnsa, actions=actions, reference="CNSA-BENCH")

            def work():
                with CaptureQueriesContext(connection) as queries:
                    context = selectors.report_context(
                        convention_id=convention.pk,
                        kind="final",
                        period_start=convention.start_date,
                        period_end=convention.end_date,
                    )
                    html = (
                        ""
                        if mode == "full"
                        else (_legacy_html if mode == "legacy" else rendering.report_html)(context)
                    )
                if mode == "full":
                    pdf = parts.report_pdf(context)
                else:
                    pdf = (_legacy_pdf if mode == "legacy" else rendering.html_to_pdf)(html)
                    html_out.write_text(html)
                return {"queries": len(queries), "pdf_kib": len(pdf) / 1024, "pages": _pages(pdf)}

            measured = _measure(work)
            raise Rollback
    except Rollback:
        pass
    return measured


def bare(html_in: Path) -> dict:
    """WeasyPrint alone on the same HTML, with the same URL fetcher (fonts, stylesheet)."""
    import django

    django.setup()
    from weasyprint import HTML

    from reporting.rendering import BASE_URL, PDF_VARIANT, SafeURLFetcher

    html = html_in.read_text()

    def work():
        document = HTML(string=html, base_url=BASE_URL, url_fetcher=SafeURLFetcher())
        pdf = document.write_pdf(pdf_variant=PDF_VARIANT)
        return {"pdf_kib": len(pdf) / 1024, "pages": _pages(pdf)}

    return _measure(work)


def _pages(pdf: bytes) -> int:
    import io

    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)


def _child(mode: str, actions: int, html: Path) -> dict:
    command = [
        sys.executable,
        __file__,
        "--child",
        mode,
        "--actions",
        str(actions),
        "--html",
        str(html),
    ]
    out = subprocess.run(command, check=True, capture_output=True, text=True, cwd=ROOT)  # noqa: S603
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,200,1000", help="numbers of actions, e.g. 100,200")
    parser.add_argument("--actions", type=int, default=100, help="with --child")
    parser.add_argument("--child", choices=["full", "single", "legacy", "bare"])
    parser.add_argument("--html", type=Path)
    args = parser.parse_args()
    if args.child:
        if args.child == "bare":
            result = bare(args.html)
        else:
            result = full(args.actions, args.html, mode=args.child)
        print(json.dumps(result))
        return
    import django

    django.setup()
    from reporting import parts

    sizes = [int(size) for size in args.sizes.split(",")]
    rows = {}
    with tempfile.TemporaryDirectory() as tmp:
        html = Path(tmp) / "report.html"
        bare_first = None
        for size in sizes:
            single = _child("single", size, html)
            if bare_first is None:  # WeasyPrint alone on the HTML the single render just wrote
                bare_first = _child("bare", size, html)
            rows[size] = (single, _child("full", size, html))
    print(
        f"Rapport PDF (bilan final) : avant = un seul document WeasyPrint ; après = en parties "
        f"au-delà de {parts.SPLIT_ABOVE_ACTIONS} actions ; charge moyenne {os.getloadavg()[0]:.1f}"
    )
    print(
        f"{'actions':>8}{'avant':>10}{'RSS max':>10}{'après':>10}{'RSS max':>10}{'CPU':>9}"
        f"{'pages':>7}{'PDF':>10}"
    )
    for size, (before, after) in rows.items():
        print(
            f"{size:>8}{before['seconds']:>9.1f}s{before['maxrss_mib']:>6.0f} Mio"
            f"{after['seconds']:>9.1f}s{after['maxrss_mib']:>6.0f} Mio{after['cpu']:>8.1f}s"
            f"{after['pages']:>7}{after['pdf_kib']:>6.0f} Kio"
        )
    first, *rest = sizes
    if bare_first:
        ratio = rows[first][0]["cpu"] / bare_first["cpu"]
        print(f"CPU, {first} actions : rapport complet / WeasyPrint seul {ratio:.2f}")
    for size in rest:
        before = rows[size][0]["cpu"] / rows[first][0]["cpu"]
        after = rows[size][1]["cpu"] / rows[first][1]["cpu"]
        print(f"CPU {size}/{first} actions : avant {before:.2f}, après {after:.2f}")
    print(f"requêtes SQL pour le contexte : {rows[first][1]['queries']}")


if __name__ == "__main__":
    main()
