"""WeasyPrint fetches nothing but our static files and data: URIs; partner text is escaped."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from actions.models import ProgressReport
from reporting import rendering, services
from reporting.models import Report
from reporting.rendering import BASE_URL, SafeURLFetcher
from reporting.tasks import generate_report
from tests.reporting.pdf_text import embedded_files, pdf_text

PASSWD_LINE = "root:x:0:0"


class _Recorder(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 — the http.server API
        self.server.paths.append(self.path)
        self.send_response(302)
        self.send_header("Location", "file:///etc/passwd")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def local_server():
    """A loopback HTTP server that records every request (and answers with a redirect)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    server.paths = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def _payloads(port: int) -> str:
    return (
        'Bilan <img src="file:///etc/passwd"> '
        '<link rel="attachment" href="file:///etc/passwd"> '
        f'<img src="http://127.0.0.1:{port}/image.png"> '
        f'<link rel="stylesheet" href="http://127.0.0.1:{port}/style.css"> '
        f'<a rel="attachment" href="http://127.0.0.1:{port}/piece.pdf">pièce</a> '
        f"<style>@import url(http://127.0.0.1:{port}/import.css);</style>"
    )


@pytest.mark.django_db
def test_a_narrative_full_of_injections_gives_a_pdf_with_no_file_no_attachment_no_request(
    lyon, porteur, local_server
):
    port = local_server.server_address[1]
    ProgressReport.objects.filter(action__axis__convention=lyon, action__code="1.1").update(
        narrative=_payloads(port)
    )
    lyon.axes.filter(number=2).update(objective=f'<iframe src="http://127.0.0.1:{port}/x">')
    report = services.report_request(convention=lyon, kind="final", by=porteur)

    generate_report.apply(args=[report.pk], task_id=report.task_id)

    report.refresh_from_db()
    assert report.status == Report.Status.DONE
    data = report.file.read()
    text = pdf_text(data)
    assert PASSWD_LINE not in text
    assert embedded_files(data) == []
    assert local_server.paths == []
    assert '<img src="file:///etc/passwd">' in text  # shown as the text it is


def test_even_unescaped_html_cannot_make_weasyprint_fetch_anything(local_server):
    port = local_server.server_address[1]
    html = (
        "<html><head>"
        f'<link rel="stylesheet" href="http://127.0.0.1:{port}/style.css">'
        '<link rel="attachment" href="file:///etc/passwd">'
        f"<style>body {{ background: url(http://127.0.0.1:{port}/bg.png) }}</style>"
        f'</head><body><p>Texte</p><img src="file:///etc/passwd">{_payloads(port)}'
        f'<object data="file:///etc/passwd"></object><embed src="http://127.0.0.1:{port}/e">'
        "</body></html>"
    )

    data = rendering.html_to_pdf(html)

    assert PASSWD_LINE not in pdf_text(data)
    assert embedded_files(data) == []
    assert local_server.paths == []


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://127.0.0.1:8000/admin/",
        "https://example.org/font.ttf",
        "ftp://127.0.0.1/x",
        f"{BASE_URL}static/reporting/../../../../etc/passwd",
        f"{BASE_URL}static/reporting/%2e%2e/%2e%2e/settings.py",
        f"{BASE_URL}static/css/workspace.css",
        f"{BASE_URL}media/reports/other-partner.pdf",
        f"{BASE_URL}static/reporting/report.css?x=http://127.0.0.1/",
    ],
)
def test_the_fetcher_refuses_anything_but_our_report_assets(url):
    fetcher = SafeURLFetcher()

    with pytest.raises(ValueError):
        fetcher.fetch(url)

    assert fetcher.refused in ([url], [])


def test_the_fetcher_serves_our_font_stylesheet_and_data_uris():
    fetcher = SafeURLFetcher()

    css = fetcher.fetch(f"{BASE_URL}static/reporting/report.css")
    font = fetcher.fetch(f"{BASE_URL}static/reporting/fonts/DejaVuSans.ttf")
    inline = fetcher.fetch("data:text/plain;base64,Qm9uam91cg==")

    assert b"@font-face" in css.read()
    assert css.content_type == "text/css"
    assert font.read(4) == b"\x00\x01\x00\x00"
    assert inline.read() == b"Bonjour"
