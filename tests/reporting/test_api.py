"""POST /api/v1/reports/ answers 202 with the job's URL; GET polls it; download when done."""

from __future__ import annotations

import pytest
from kombu.exceptions import OperationalError
from rest_framework.test import APIClient

from reporting import services
from reporting.models import Report
from reporting.tasks import generate_report
from tests.reporting.builders import generated_convention
from tests.reporting.pdf_text import LYON_FIGURES, pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


def test_asking_answers_202_with_the_job_url_then_the_job_gives_a_download_link(
    api, lyon, porteur, django_capture_on_commit_callbacks
):
    api.force_authenticate(porteur)

    with django_capture_on_commit_callbacks(execute=True):
        response = api.post("/api/v1/reports/", {"convention": lyon.pk, "kind": "final"})

    report = Report.objects.get()
    job_url = f"http://testserver/api/v1/reports/{report.pk}/"
    assert response.status_code == 202
    assert response["Location"] == job_url
    assert response.json()["url"] == job_url
    job = api.get(job_url).json()
    assert job["status"] == "done"
    assert job["status_label"] == "Prêt"
    assert job["kind"] == "final"
    assert (job["period_start"], job["period_end"]) == ("2016-01-01", "2017-12-31")
    assert job["download_url"] == f"{job_url}download/"
    download = api.get(job["download_url"])
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")
    text = pdf_text(b"".join(download.streaming_content))
    assert all(figure in text for figure in LYON_FIGURES)


def test_a_queued_job_has_no_download_link_and_download_answers_409(api, lyon, porteur):
    report = services.report_request(convention=lyon, kind="final", by=porteur)
    api.force_authenticate(porteur)

    job = api.get(f"/api/v1/reports/{report.pk}/").json()
    download = api.get(f"/api/v1/reports/{report.pk}/download/")

    assert (job["status"], job["download_url"]) == ("queued", None)
    assert download.status_code == 409
    assert download.json()["detail"] == "Le rapport n'est pas encore prêt."


def test_asking_twice_returns_the_same_job(api, lyon, porteur):
    api.force_authenticate(porteur)

    first = api.post("/api/v1/reports/", {"convention": lyon.pk, "kind": "annual", "year": 2016})
    second = api.post("/api/v1/reports/", {"convention": lyon.pk, "kind": "annual", "year": 2016})

    assert (first.status_code, second.status_code) == (202, 202)
    assert first["Location"] == second["Location"]
    assert Report.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_when_redis_is_unreachable_it_answers_503_and_keeps_the_job(
    api, lyon, porteur, monkeypatch
):
    def down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(generate_report, "apply_async", down)
    api.force_authenticate(porteur)

    response = api.post("/api/v1/reports/", {"convention": lyon.pk, "kind": "final"})

    report = Report.objects.get()
    assert response.status_code == 503
    assert response.json()["detail"] == services.BROKER_DOWN_MESSAGE
    assert response["Location"].endswith(f"/api/v1/reports/{report.pk}/")
    assert (report.status, report.enqueued_at) == (Report.Status.QUEUED, None)


def test_a_bad_period_answers_409_in_french_and_creates_nothing(api, lyon, porteur):
    api.force_authenticate(porteur)

    response = api.post("/api/v1/reports/", {"convention": lyon.pk, "kind": "annual", "year": 2030})

    assert response.status_code == 409
    assert response.json() == {"year": ["L'année doit être comprise entre 2016 et 2017."]}
    assert Report.objects.count() == 0


def test_a_reader_may_not_ask(api, lyon, reader):
    api.force_authenticate(reader)

    response = api.post("/api/v1/reports/", {"convention": lyon.pk, "kind": "final"})

    assert response.status_code == 403
    assert Report.objects.count() == 0


@pytest.mark.parametrize("user_fixture", ["other_partner", "departmental_union"])
def test_another_partner_can_neither_see_nor_ask_for_the_report(
    api, request, lyon, porteur, user_fixture, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report = services.report_request(convention=lyon, kind="final", by=porteur)
    api.force_authenticate(request.getfixturevalue(user_fixture))

    listed = api.get("/api/v1/reports/")
    job = api.get(f"/api/v1/reports/{report.pk}/")
    download = api.get(f"/api/v1/reports/{report.pk}/download/")
    asked = api.post("/api/v1/reports/", {"convention": lyon.pk, "kind": "annual", "year": 2016})

    assert listed.json()["count"] == 0
    assert (job.status_code, download.status_code) == (404, 404)
    assert asked.status_code == 409
    assert list(asked.json()) == ["convention"]
    assert Report.objects.count() == 1


def test_the_list_is_filtered_by_convention(api, cnsa, lyon, porteur, officer):
    lyon_report = services.report_request(convention=lyon, kind="final", by=porteur)
    other = generated_convention(cnsa, actions=1, reference="CNSA-AUTRE")
    services.report_request(convention=other, kind="final", by=officer)
    api.force_authenticate(officer)

    listed = api.get(f"/api/v1/reports/?convention={lyon.pk}").json()

    assert [row["id"] for row in listed["results"]] == [lyon_report.pk]
