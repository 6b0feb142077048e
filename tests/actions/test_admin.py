"""The back office reviews through the same services as the pages."""

from __future__ import annotations

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from tests.factories import ProgressReportFactory

URL = reverse("admin:actions_progressreport_changelist")


@pytest.fixture
def staff_officer(client, world):
    world.officer.is_staff = world.officer.is_superuser = True
    world.officer.save()
    client.force_login(world.officer)
    return client


@pytest.mark.django_db
def test_approving_from_the_admin_calls_the_workflow(staff_officer, world):
    report = ProgressReportFactory(action=world.action69, status="submitted")

    staff_officer.post(URL, {"action": "approve_reports", ACTION_CHECKBOX_NAME: [report.pk]})

    report.refresh_from_db()
    assert (report.status, report.reviewed_by) == ("approved", world.officer)


@pytest.mark.django_db
def test_returning_from_the_admin_asks_for_a_comment(staff_officer, world):
    report = ProgressReportFactory(action=world.action69, status="submitted")

    page = staff_officer.post(URL, {"action": "return_reports", ACTION_CHECKBOX_NAME: [report.pk]})
    assert "Commentaire pour le partenaire" in page.content.decode()
    report.refresh_from_db()
    assert report.status == "submitted"

    staff_officer.post(
        URL,
        {
            "action": "return_reports",
            ACTION_CHECKBOX_NAME: [report.pk],
            "apply": "1",
            "comment": "Précisez.",
        },
    )
    report.refresh_from_db()
    assert (report.status, report.review_comment) == ("returned", "Précisez.")


@pytest.mark.django_db
def test_a_draft_cannot_be_approved_from_the_admin(staff_officer, world):
    report = ProgressReportFactory(action=world.action69)

    response = staff_officer.post(
        URL, {"action": "approve_reports", ACTION_CHECKBOX_NAME: [report.pk]}, follow=True
    )

    assert "Seul un compte rendu transmis peut être approuvé" in response.content.decode()
    report.refresh_from_db()
    assert report.status == "draft"


@pytest.mark.django_db
def test_an_approved_report_is_read_only_in_the_admin(staff_officer, world):
    report = ProgressReportFactory(action=world.action69, status="approved")

    page = staff_officer.get(reverse("admin:actions_progressreport_change", args=[report.pk]))

    assert page.status_code == 200
    assert 'name="narrative"' not in page.content.decode()
