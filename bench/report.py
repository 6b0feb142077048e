"""Benchmark of the PDF report: a generated convention of N then 2N actions, rendered with the
previous design (bench/legacy/: its template and stylesheet, untagged) and with today's (tagged
PDF/UA), and by bare WeasyPrint on today's HTML with the same options; each in a fresh subprocess
so that peak memory is its own. Wall time depends on what else runs on the machine: the CPU time
of the process is printed beside it.

    make bench-report            (or: DEBUG=1 .venv/bin/python bench/report.py --actions 100)

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


def full(actions: int, html_out: Path, legacy: bool = False) -> dict:
    """Build the context from the database, render the template, make the PDF (in a rollback)."""
    import django

    django.setup()
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from reporting import rendering, selectors
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
                    html = (_legacy_html if legacy else rendering.report_html)(context)
                pdf = (_legacy_pdf if legacy else rendering.html_to_pdf)(html)
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
    parser.add_argument("--actions", type=int, default=100)
    parser.add_argument("--child", choices=["full", "legacy", "bare"])
    parser.add_argument("--html", type=Path)
    args = parser.parse_args()
    if args.child:
        if args.child == "bare":
            result = bare(args.html)
        else:
            result = full(args.actions, args.html, legacy=args.child == "legacy")
        print(json.dumps(result))
        return
    n, rows = args.actions, {}
    with tempfile.TemporaryDirectory() as tmp:
        html = Path(tmp) / "report.html"
        for size in (n, 2 * n):
            rows[f"avant, {size} actions"] = _child("legacy", size, html)
            rows[f"après, {size} actions"] = _child("full", size, html)
            rows[f"WeasyPrint seul, {size}"] = _child("bare", size, html)
    print(f"Rapport d'une convention de {n} et {2 * n} actions (avant : mise en page précédente)")
    print(
        f"{'mesure':<26}{'durée':>9}{'CPU':>9}{'RSS avant':>12}{'RSS max':>11}"
        f"{'pic Python':>12}{'pages':>7}{'PDF':>10}"
    )
    for name, r in rows.items():
        peak = "—" if r["python_peak_mib"] is None else f"{r['python_peak_mib']:.0f} Mio"
        print(
            f"{name:<26}{r['seconds']:>8.2f}s{r['cpu']:>8.2f}s{r['rss_before_mib']:>8.0f} Mio"
            f"{r['maxrss_mib']:>7.0f} Mio{peak:>12}{r['pages']:>7}{r['pdf_kib']:>6.0f} Kio"
        )
    for label, key in (("durée", "seconds"), ("CPU", "cpu")):
        before = rows[f"avant, {2 * n} actions"][key] / rows[f"avant, {n} actions"][key]
        after = rows[f"après, {2 * n} actions"][key] / rows[f"après, {n} actions"][key]
        ratio = rows[f"après, {n} actions"][key] / rows[f"WeasyPrint seul, {n}"][key]
        print(
            f"{label} : {2 * n}/{n} actions avant {before:.2f}, après {after:.2f} ; "
            f"rapport complet / WeasyPrint seul ({n}) : {ratio:.2f}"
        )
    print(f"requêtes SQL pour le contexte : {rows[f'après, {n} actions']['queries']}")


if __name__ == "__main__":
    main()
