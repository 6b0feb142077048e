"""The progress-report API: same scoping and services as the pages."""

from __future__ import annotations

from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from actions.models import Attachment, ProgressReport
from actions.services import STALE_MESSAGE
from tests.actions import files
from tests.factories import ProgressReportFactory

BASE = "/api/v1/progress-reports/"


def _client(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _new_report(world) -> dict:
    return {
        "action": world.action69.pk,
        "period_start": "2019-01-01",
        "period_end": "2019-12-31",
        "narrative": "Six séances.",
        "values": [{"indicator": world.indicator69.pk, "value": "6.00"}],
        "spendings": [
            {"funder": world.cnsa.pk, "amount": "1500.50"},
            {"funder": None, "amount": "20.00"},
        ],
    }


@pytest.mark.django_db
class TestScoping:
    def test_a_union_lists_only_its_reports(self, world):
        mine = ProgressReportFactory(action=world.action69)
        ProgressReportFactory(action=world.action13)

        response = _client(world.contributor69).get(BASE)

        assert response.status_code == 200
        assert [row["id"] for row in response.json()["results"]] == [mine.pk]

    def test_another_unions_report_and_attachment_are_404(self, world):
        other = ProgressReportFactory(action=world.action13, narrative="x")
        attachment = Attachment.objects.create(
            report=other,
            file="a.pdf",
            original_name="a.pdf",
            content_type="application/pdf",
            size=1,
        )
        client = _client(world.contributor69)

        assert client.get(f"{BASE}{other.pk}/").status_code == 404
        assert (
            client.patch(
                f"{BASE}{other.pk}/", {"version": 1, "narrative": "pirate"}, format="json"
            ).status_code
            == 404
        )
        assert client.post(f"{BASE}{other.pk}/submit/").status_code == 404
        assert client.get(f"{BASE}{other.pk}/attachments/{attachment.pk}/").status_code == 404
        assert (
            client.post(
                f"{BASE}{other.pk}/attachments/",
                {"file": files.upload("b.pdf", files.PDF)},
                format="multipart",
            ).status_code
            == 404
        )
        other.refresh_from_db()
        assert (other.narrative, other.status) == ("x", "draft")

    def test_a_union_cannot_create_a_report_on_another_unions_action(self, world):
        data = _new_report(world) | {"action": world.action13.pk}

        response = _client(world.contributor69).post(BASE, data, format="json")

        assert response.status_code == 409
        assert "action" in response.json()
        assert ProgressReport.objects.count() == 0

    def test_anonymous_callers_are_refused(self, world):
        assert APIClient().get(BASE).status_code in (401, 403)


@pytest.mark.django_db
class TestWorkflow:
    def test_create_submit_return_edit_resubmit_approve(self, world):
        partner, officer = _client(world.contributor69), _client(world.officer)

        created = partner.post(BASE, _new_report(world), format="json")
        assert created.status_code == 201, created.json()
        body = created.json()
        assert (body["status"], body["version"]) == ("draft", 2)
        assert sorted(body["spendings"], key=lambda s: Decimal(s["amount"])) == [
            {"funder": None, "amount": "20.00"},
            {"funder": world.cnsa.pk, "amount": "1500.50"},
        ]
        url = f"{BASE}{body['id']}/"

        assert partner.post(f"{url}submit/", {}, format="json").json()["status"] == "submitted"
        refused = officer.post(f"{url}return/", {}, format="json")
        assert refused.status_code == 400
        assert refused.json() == {
            "comment": [
                "Dites au partenaire ce qu'il doit corriger : le commentaire est obligatoire."
            ]
        }
        returned = officer.post(f"{url}return/", {"comment": "Précisez."}, format="json").json()
        assert (returned["status"], returned["review_comment"]) == ("returned", "Précisez.")

        edited = partner.patch(
            url, {"version": returned["version"], "narrative": "Précisé."}, format="json"
        )
        assert edited.status_code == 200, edited.json()
        assert edited.json()["narrative"] == "Précisé."
        assert len(edited.json()["spendings"]) == 2
        assert partner.post(f"{url}submit/", {}, format="json").status_code == 200
        approved = officer.post(f"{url}approve/", {"comment": "Merci."}, format="json").json()
        assert (approved["status"], approved["reviewed_by"]) == ("approved", "cnsa.officer")

        locked = partner.patch(
            url, {"version": approved["version"], "narrative": "Trop tard"}, format="json"
        )
        assert locked.status_code == 409
        assert locked.json() == {
            "status": ["Ce compte rendu est approuvé : il ne peut plus être modifié."]
        }

    def test_a_partner_may_not_approve(self, world):
        report = ProgressReportFactory(action=world.action69, status="submitted")

        response = _client(world.contributor69).post(f"{BASE}{report.pk}/approve/")

        assert response.status_code == 403
        report.refresh_from_db()
        assert report.status == "submitted"

    def test_a_stale_version_is_refused_and_nothing_changes(self, world):
        report = ProgressReportFactory(action=world.action69, version=5, narrative="Actuel")

        response = _client(world.contributor69).patch(
            f"{BASE}{report.pk}/", {"version": 4, "narrative": "Ancien"}, format="json"
        )

        assert response.status_code == 409
        assert response.json() == {"version": [STALE_MESSAGE]}
        report.refresh_from_db()
        assert (report.narrative, report.version) == ("Actuel", 5)

    def test_an_update_without_version_is_refused(self, world):
        report = ProgressReportFactory(action=world.action69)

        response = _client(world.contributor69).patch(
            f"{BASE}{report.pk}/", {"narrative": "X"}, format="json"
        )

        assert response.status_code == 400
        assert response.json() == {"version": ["Indiquez la version que vous modifiez."]}


@pytest.mark.django_db
class TestAttachments:
    def test_upload_and_download(self, world):
        report = ProgressReportFactory(action=world.action69)
        client = _client(world.contributor69)

        uploaded = client.post(
            f"{BASE}{report.pk}/attachments/",
            {"file": files.upload("bilan.pdf", files.PDF)},
            format="multipart",
        )
        assert uploaded.status_code == 201
        assert uploaded.json()["content_type"] == "application/pdf"

        download = _client(world.officer).get(
            f"{BASE}{report.pk}/attachments/{uploaded.json()['id']}/"
        )
        assert download.status_code == 200
        assert download["Content-Disposition"] == 'attachment; filename="bilan.pdf"'

    def test_an_html_file_named_pdf_is_refused(self, world):
        report = ProgressReportFactory(action=world.action69)

        response = _client(world.contributor69).post(
            f"{BASE}{report.pk}/attachments/",
            {"file": files.upload("bilan.pdf", files.HTML)},
            format="multipart",
        )

        assert response.status_code == 409
        assert list(response.json()) == ["file"]
        assert Attachment.objects.count() == 0


@pytest.mark.django_db
def test_approved_spending_shows_in_the_totals(world):
    report = ProgressReportFactory(action=world.action69, status="submitted")
    report.spendings.create(funder=world.cnsa, amount=Decimal("1500.50"))
    _client(world.officer).post(f"{BASE}{report.pk}/approve/")

    response = _client(world.officer).get("/api/v1/totals/", {"group_by": "convention"})

    assert response.status_code == 200
    assert [(row["convention"], row["spent"]) for row in response.json()["results"]] == [
        (world.convention.pk, "1500.50")
    ]


@pytest.mark.django_db
class TestInputRefusals:
    def test_spending_for_an_organisation_outside_the_plan_is_refused(self, world):
        data = _new_report(world) | {"spendings": [{"funder": world.ud13.pk, "amount": "10.00"}]}

        response = _client(world.contributor69).post(BASE, data, format="json")

        assert response.status_code == 409
        assert response.json() == {
            f"spending_{world.ud13.pk}": [
                "Ce financeur ne figure pas au plan de financement de l'action."
            ]
        }
        assert ProgressReport.objects.count() == 0

    def test_two_values_for_one_indicator_are_refused(self, world):
        value = {"indicator": world.indicator69.pk, "value": "1.00"}
        data = _new_report(world) | {"values": [value, value]}

        response = _client(world.contributor69).post(BASE, data, format="json")

        assert response.status_code == 409
        assert response.json() == {
            f"value_{world.indicator69.pk}": ["Une seule valeur par indicateur."]
        }
        assert ProgressReport.objects.count() == 0

    def test_an_absurd_version_on_submit_is_a_400(self, world):
        report = ProgressReportFactory(action=world.action69, narrative="x")

        response = _client(world.contributor69).post(
            f"{BASE}{report.pk}/submit/", {"version": 10**30}, format="json"
        )

        assert response.status_code == 400
        assert list(response.json()) == ["version"]
