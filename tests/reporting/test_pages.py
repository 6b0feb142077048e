"""The convention's reports page: ask, watch, download; partners see only their own."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reporting import services
from reporting.models import Report
from tests.reporting.pdf_text import LYON_FIGURES, pdf_text

pytestmark = pytest.mark.django_db


def _page(convention) -> str:
    return reverse("reporting:convention_reports", args=[convention.pk])


def test_a_coordinator_asks_for_the_final_report_and_downloads_it(
    client, lyon, porteur, django_capture_on_commit_callbacks
):
    client.force_login(porteur)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_page(lyon), {"kind": "final"})

    assert response.status_code == 302
    report = Report.objects.get()
    assert report.status == Report.Status.DONE
    page = client.get(_page(lyon))
    assert page.status_code == 200
    assert "Refresh" not in page
    download_url = reverse("reporting:report_download", args=[report.pk])
    assert download_url in page.content.decode()
    download = client.get(download_url)
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == (
        'attachment; filename="rapport-cnsa-lyon-2016-final-20160101-20171231.pdf"'
    )
    text = pdf_text(b"".join(download.streaming_content))
    assert all(figure in text for figure in LYON_FIGURES)


def test_the_page_refreshes_while_a_report_is_being_prepared(client, lyon, porteur):
    services.report_request(convention=lyon, kind="final", by=porteur)
    client.force_login(porteur)

    page = client.get(_page(lyon))

    assert page["Refresh"] == "5"
    body = page.content.decode()
    assert "En attente" in body
    assert "cette page se met à jour toutes les 5 secondes" in body


@pytest.mark.django_db(transaction=True)
def test_when_the_queue_is_down_the_page_says_the_request_is_kept(
    client, lyon, porteur, monkeypatch
):
    from kombu.exceptions import OperationalError

    from reporting.tasks import generate_report

    def down(*args, **kwargs):
        raise OperationalError("Connection refused")

    monkeypatch.setattr(generate_report, "apply_async", down)
    client.force_login(porteur)

    response = client.post(_page(lyon), {"kind": "final"}, follow=True)

    body = response.content.decode()
    assert services.BROKER_DOWN_MESSAGE in body
    assert "la demande est conservée et sera traitée dès son rétablissement" in body
    assert Report.objects.get().status == Report.Status.QUEUED


def test_an_invalid_period_is_refused_with_the_reason(client, lyon, porteur):
    client.force_login(porteur)

    response = client.post(_page(lyon), {"kind": "annual"})

    assert response.status_code == 200
    assert "Indiquez l&#x27;année du rapport annuel." in response.content.decode()
    assert Report.objects.count() == 0


def test_a_reader_may_download_but_not_ask(client, lyon, porteur, reader):
    report = services.report_request(convention=lyon, kind="final", by=porteur)
    client.force_login(reader)

    page = client.get(_page(lyon))
    refused = client.post(_page(lyon), {"kind": "annual", "year": "2016"})

    assert page.status_code == 200
    assert "Générer le rapport" not in page.content.decode()
    assert refused.status_code == 403
    assert list(Report.objects.values_list("pk", flat=True)) == [report.pk]


@pytest.mark.parametrize("user_fixture", ["other_partner", "departmental_union"])
def test_someone_who_does_not_see_the_whole_convention_gets_404(
    client, request, lyon, porteur, user_fixture, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report = services.report_request(convention=lyon, kind="final", by=porteur)
    client.force_login(request.getfixturevalue(user_fixture))

    page = client.get(_page(lyon))
    asked = client.post(_page(lyon), {"kind": "annual", "year": "2016"})
    download = client.get(reverse("reporting:report_download", args=[report.pk]))

    assert (page.status_code, asked.status_code, download.status_code) == (404, 404, 404)
    assert Report.objects.count() == 1


def test_anonymous_visitors_are_sent_to_the_login_page(client, lyon):
    response = client.get(_page(lyon))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_page_lists_reports_in_a_fixed_number_of_queries(client, lyon, porteur):
    # Compared with each other, not with a constant: base.html's navigation is not ours to count.
    client.force_login(porteur)
    services.report_request(convention=lyon, kind="final", by=porteur)
    client.get(_page(lyon))  # warm the session and the scope
    counts = []
    for year in (2016, 2017):
        services.report_request(convention=lyon, kind="annual", year=year, by=porteur)
        with CaptureQueriesContext(connection) as captured:
            client.get(_page(lyon))
        counts.append(len(captured))

    assert counts[0] == counts[1]
