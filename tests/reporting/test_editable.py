"""The editable version (ODT) of a report: officers only, on the page and in the API, and it opens
with the same content as the PDF."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from odf import teletype
from odf.opendocument import load
from odf.text import H, P
from rest_framework.test import APIClient

from reporting import selectors
from reporting.models import Report
from reporting.odt import report_odt
from tests.reporting.builders import generated_convention
from tests.reporting.pdf_text import LYON_FIGURES

pytestmark = pytest.mark.django_db


@pytest.fixture
def done(lyon, porteur):
    return Report.objects.create(
        convention=lyon,
        kind=Report.Kind.FINAL,
        period_start=lyon.start_date,
        period_end=lyon.end_date,
        requested_by=porteur,
        status=Report.Status.DONE,
    )


def _text(data: bytes) -> tuple[list[str], str]:
    document = load(io.BytesIO(data))
    headings = [teletype.extractText(h) for h in document.getElementsByType(H)]
    paragraphs = " ".join(teletype.extractText(p) for p in document.getElementsByType(P))
    return headings, paragraphs


def test_an_officer_downloads_an_odt_that_opens_with_the_report_content(client, officer, done):
    client.force_login(officer)

    response = client.get(reverse("reporting:report_editable", args=[done.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.oasis.opendocument.text"
    assert response["Content-Disposition"].endswith('.odt"')
    headings, text = _text(response.content)
    assert headings[:3] == ["Bilan final", "Synthèse", "Situation financière"]
    assert "Axe 3 : Accès aux métiers et professionnalisation" in headings
    assert "Visa" in headings
    assert all(figure in text for figure in LYON_FIGURES)
    assert "Solde au vu du bilan final" in text
    assert "Total de l'axe 3" in text


def test_the_porteur_gets_no_editable_version(client, porteur, done):
    client.force_login(porteur)

    response = client.get(reverse("reporting:report_editable", args=[done.pk]))
    page = client.get(reverse("reporting:convention_reports", args=[done.convention_id]))

    assert response.status_code == 403
    assert "Version modifiable" not in page.content.decode()


def test_the_api_gives_officers_the_editable_version(officer, porteur, done):
    api = APIClient()
    api.force_authenticate(officer)

    job = api.get(f"/api/v1/reports/{done.pk}/").json()
    response = api.get(job["editable_url"])

    assert job["editable_url"] == f"http://testserver/api/v1/reports/{done.pk}/modifiable/"
    assert response.status_code == 200
    assert "Synthèse" in _text(response.content)[0]
    api.force_authenticate(porteur)
    assert api.get(f"/api/v1/reports/{done.pk}/").json()["editable_url"] is None
    assert api.get(f"/api/v1/reports/{done.pk}/modifiable/").status_code == 403


def test_the_odt_lists_each_late_action_once_with_its_late_reports(cnsa):
    convention = generated_convention(cnsa, actions=2, reference="CNSA-LATE-ODT")
    context = selectors.report_context(
        convention_id=convention.pk,
        kind="final",
        period_start=convention.start_date,
        period_end=convention.end_date,
    )

    headings, text = _text(report_odt(context))

    assert "Comptes rendus en retard" in headings
    lead = context.overdue[0].lead
    assert "6 comptes rendus en retard au" in text
    assert "Action Pilote Comptes rendus attendus" in text
    assert (
        f"1.1 — Action générée 1 {lead} Compte rendu 2020 en retard depuis le 30/06/2021 "
        "Compte rendu 2021 en retard depuis le 30/06/2022 Bilan final en retard depuis le 30/06/2023"
    ) in text
