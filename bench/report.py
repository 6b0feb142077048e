"""Benchmark of the PDF report: a generated 100-action convention, rendered once in full and once
by bare WeasyPrint on the same HTML, each in a fresh subprocess so that peak memory is its own.

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


def _rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _measure(work) -> dict:
    """Wall time and peak RSS; with BENCH_TRACEMALLOC=1 also Python's own peak (5 to 8 times slower)."""
    traced = os.environ.get("BENCH_TRACEMALLOC") == "1"
    before = _rss_mib()
    if traced:
        tracemalloc.start()
    started = time.perf_counter()
    result = work()
    seconds = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1] / 2**20 if traced else None
    tracemalloc.stop()
    return {
        "seconds": seconds,
        "rss_before_mib": before,
        "maxrss_mib": _rss_mib(),
        "python_peak_mib": peak,
        **result,
    }


def full(actions: int, html_out: Path) -> dict:
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
                    html = rendering.report_html(context)
                pdf = rendering.html_to_pdf(html)
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

    from reporting.rendering import BASE_URL, SafeURLFetcher

    html = html_in.read_text()

    def work():
        pdf = HTML(string=html, base_url=BASE_URL, url_fetcher=SafeURLFetcher()).write_pdf()
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
    parser.add_argument("--child", choices=["full", "bare"])
    parser.add_argument("--html", type=Path)
    args = parser.parse_args()
    if args.child:
        result = full(args.actions, args.html) if args.child == "full" else bare(args.html)
        print(json.dumps(result))
        return
    with tempfile.TemporaryDirectory() as tmp:
        html = Path(tmp) / "report.html"
        rows = {"rapport complet": _child("full", args.actions, html)}
        rows["WeasyPrint seul"] = _child("bare", args.actions, html)
    print(f"Rapport d'une convention de {args.actions} actions")
    print(
        f"{'mesure':<18}{'durée':>9}{'RSS avant':>12}{'RSS max':>11}{'pic Python':>13}{'pages':>7}{'PDF':>10}"
    )
    for name, r in rows.items():
        peak = "—" if r["python_peak_mib"] is None else f"{r['python_peak_mib']:.0f} Mio"
        print(
            f"{name:<18}{r['seconds']:>8.2f}s{r['rss_before_mib']:>8.0f} Mio{r['maxrss_mib']:>7.0f} Mio"
            f"{peak:>13}{r['pages']:>7}{r['pdf_kib']:>6.0f} Kio"
        )
    print(f"requêtes SQL pour le contexte : {rows['rapport complet']['queries']}")


if __name__ == "__main__":
    main()
