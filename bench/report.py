"""Benchmark of the PDF report: generated conventions of 100, 200 and 1 000 actions rendered by the
service (one document, in parts above the threshold of reporting.parts), with the previous layout
(« avant » : bench/legacy/, the templates and stylesheet as they were, Python's default garbage
collection) and the current one (« après »), side by side and in the same moment; bare WeasyPrint
on the first size's current HTML with the same options for the ratio. Each render runs in a fresh
subprocess so that peak memory is its own. Wall time depends on what else runs on the machine: the
CPU time and the load average are printed, and --repeat N keeps the best of N runs of each.

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


def _use_previous_layout() -> None:
    """The service's path, with the previous layout: its templates (bench/legacy/templates), its
    stylesheet served in place of the current one, and Python's default collection thresholds."""
    from contextlib import nullcontext

    from django.conf import settings

    from reporting import rendering

    settings.TEMPLATES[0]["DIRS"] = [LEGACY / "templates", *settings.TEMPLATES[0]["DIRS"]]
    rendering.TEMPLATE = "legacy/pdf/report.html"
    rendering.fewer_collections = nullcontext  # type: ignore[assignment]
    current = rendering.SafeURLFetcher._static_path

    def previous(url: str) -> Path | None:
        path = current(url)
        return LEGACY / "report.css" if path is not None and path.name == "report.css" else path

    rendering.SafeURLFetcher._static_path = staticmethod(previous)  # type: ignore[method-assign]


def full(actions: int, html_out: Path, mode: str = "full") -> dict:
    """Build the context from the database, render the template, make the PDF (in a rollback).

    `full` is the service's path (parts above the threshold), `legacy` the same path with the
    previous layout, `single` one WeasyPrint document whatever the size. The current layout's
    single-document HTML is written to `html_out` for the bare run."""
    import django

    django.setup()
    if mode == "legacy":
        _use_previous_layout()
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
            context = None

            def work():
                nonlocal context
                with CaptureQueriesContext(connection) as queries:
                    context = selectors.report_context(
                        convention_id=convention.pk,
                        kind="final",
                        period_start=convention.start_date,
                        period_end=convention.end_date,
                    )
                if mode == "single":
                    pdf = rendering.html_to_pdf(rendering.report_html(context))
                else:
                    pdf = parts.report_pdf(context)
                return {"queries": len(queries), "pdf": pdf}

            measured = _measure(work)
            pdf = measured.pop("pdf")
            measured.update(pdf_kib=len(pdf) / 1024, pages=_pages(pdf))
            if mode != "legacy" and context is not None:
                html_out.write_text(rendering.report_html(context))
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
        return {"pdf": document.write_pdf(pdf_variant=PDF_VARIANT)}

    measured = _measure(work)
    pdf = measured.pop("pdf")
    return {**measured, "pdf_kib": len(pdf) / 1024, "pages": _pages(pdf)}


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


def _best(mode: str, actions: int, html: Path, repeat: int) -> dict:
    """The run of least CPU time among `repeat` (peak memory is the same from one run to the next)."""
    return min((_child(mode, actions, html) for _ in range(repeat)), key=lambda run: run["cpu"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,200,1000", help="numbers of actions, e.g. 100,200")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each render, best kept")
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
    loads = []
    with tempfile.TemporaryDirectory() as tmp:
        html = Path(tmp) / "report.html"
        bare_first = None
        for size in sizes:
            before = _best("legacy", size, html, args.repeat)
            after = _best("full", size, html, args.repeat)
            if bare_first is None:  # WeasyPrint alone on the HTML the current render just wrote
                bare_first = _best("bare", size, html, args.repeat)
            rows[size] = (before, after)
            loads.append(os.getloadavg()[0])
    print(
        f"Rapport PDF (bilan final), rendu du service (un document ; en parties au-delà de "
        f"{parts.SPLIT_ABOVE_ACTIONS} actions) : avant = mise en page précédente (bench/legacy/), "
        f"après = mise en page actuelle ; meilleur de {args.repeat} ; charge moyenne "
        f"{min(loads):.1f} à {max(loads):.1f}"
    )
    print(
        f"{'actions':>8}{'avant':>9}{'CPU':>8}{'RSS max':>10}{'pages':>7}"
        f"{'après':>9}{'CPU':>8}{'RSS max':>10}{'pages':>7}{'PDF':>10}"
    )
    for size, (before, after) in rows.items():
        print(
            f"{size:>8}{before['seconds']:>8.1f}s{before['cpu']:>7.1f}s"
            f"{before['maxrss_mib']:>6.0f} Mio{before['pages']:>7}"
            f"{after['seconds']:>8.1f}s{after['cpu']:>7.1f}s"
            f"{after['maxrss_mib']:>6.0f} Mio{after['pages']:>7}{after['pdf_kib']:>6.0f} Kio"
        )
    first, *rest = sizes
    if bare_first:
        ratio = rows[first][1]["cpu"] / bare_first["cpu"]
        print(
            f"CPU, {first} actions : rapport complet / WeasyPrint seul sur le même HTML {ratio:.2f}"
            f" (WeasyPrint seul : {bare_first['seconds']:.1f} s, CPU {bare_first['cpu']:.1f} s)"
        )
    for size in rest:
        before = rows[size][0]["cpu"] / rows[first][0]["cpu"]
        after = rows[size][1]["cpu"] / rows[first][1]["cpu"]
        print(f"CPU {size}/{first} actions : avant {before:.2f}, après {after:.2f}")
    print(f"requêtes SQL pour le contexte : {rows[first][1]['queries']}")


if __name__ == "__main__":
    main()
